"""The exercise checkers accept the right answer and explain wrong ones."""

import numpy as np
import pytest

from rnn_helpers import exercises


def verdict(capsys, exercise_id, answer):
    exercises.check(exercise_id, answer)
    return exercises.is_correct(exercise_id, answer), capsys.readouterr().out


def test_unanswered(capsys):
    ok, out = verdict(capsys, "01.1", None)
    assert not ok and "not answered yet" in out


def test_unknown_exercise():
    with pytest.raises(KeyError, match="no exercise '99.9'"):
        exercises.check("99.9", 1)


@pytest.mark.parametrize("exercise_id, answer, fragment", [
    ("01.1", (32, 20), "reading row by row"),
    ("01.1", 640, "the total"),
    ("01.1", (1000, 20, 32), "without the samples axis"),
    ("01.1", "20, 32", "as a tuple"),
    ("01.2", (1000, 640), "time as its own axis"),
    ("01.2", (1000, 20, 32), "That reads columns"),
    ("01.2", (32, 20), "one image"),
    ("01.2", 7, "as a tuple"),
    ("01.2", ("a", "b"), "as a tuple"),
    ("01.3", (0, 1, 2), "still reads rows"),
    ("01.3", (2, 1, 0), "Axis 0 counts the samples"),
    ("01.4", 21, "Off by one"),
    ("01.4", 15, "half the ink"),
    ("01.4", 0.9, "not a share"),
    ("01.4", "22", "Give a whole number"),
    ("02.1", 28 * 64 + 64 * 64, "left out the bias"),
    ("02.1", 28 * 64 + 64, "left out the recurrent kernel"),
    ("02.1", 5952 + 650, "includes a Dense(10)"),
    ("02.2", 28 * 32 + 32 * 32 + 32, "one block"),
    ("02.2", 4 * (28 * 32 + 32 * 32), "left out the biases"),
    ("02.3", 3 * (28 * 16 + 16 * 16 + 16), "second bias"),
    ("02.4", 1, "used again at every time step"),
    ("02.4", 10, "number of units"),
    ("03.1", (32, 60), "swapped"),
    ("03.1", (61, 32), "bias is added"),
    ("03.2", 280, "x_t @ W only"),
    ("03.2", 390, "counts parameters"),
    ("03.3", 5, "tanh(0)"),
    ("04.1", 937, "round up"),
    ("04.1", 60000, "counts images"),
    ("04.2", "underfitting", "come apart"),
    ("04.2", "both", "Answer with one of"),
    ("04.3", "predictions of 3", "sum of column 3"),
    ("05.1", [0.9, -0.7, -0.2], "sign is flipped"),
    ("05.1", [0.1, -0.3, 0.2], "true class is 0"),
    ("05.1", [0.1, 0.7, 0.2], "Subtract the one-hot truth"),
    ("05.1", [0.1, 0.7], "Give three numbers"),
    ("05.1", "p - y", "Give three numbers"),
    ("05.2", 28, "constant 0"),
    ("05.2", 1, "sum over the steps"),
    ("05.3", 0.8 ** 28, "27 steps"),
    ("05.3", 0.8, "each of the steps"),
    ("05.3", "tiny", "Give a number"),
    ("05.4", (1, 1), "only shrinks"),
    ("05.4", (0.2, 0.06), "clipped on its own"),
    ("05.4", 1, "pair of numbers"),
    ("06.1", (32, 10), "after the last row only"),
    ("06.1", (28, 32, 10), "samples first"),
    ("06.1", (32, 28, 64), "one probability per class"),
    ("06.1", "(32, 28, 10)", "as a tuple"),
    ("06.2", [1, 2, 3, 4, 5], "top rows"),
    ("06.2", [23, 24, 25, 26, 27, 28], "Count again"),
    ("06.2", 5, "as a list"),
    ("06.3", "better", "inside the seed spread"),
    ("06.3", "maybe", "Answer with one of"),
    ("06.4", "columns", "as long as rows"),
])
def test_wrong_answers_are_explained(capsys, exercise_id, answer, fragment):
    ok, out = verdict(capsys, exercise_id, answer)
    assert not ok and "not yet" in out and fragment in out


@pytest.mark.parametrize("exercise_id, answer", [
    ("01.1", (20, 32)), ("01.1", [20, 32]), ("01.2", (1000, 32, 20)), ("01.3", (0, 2, 1)), ("01.4", 22),
    ("02.1", 5952), ("02.2", 7808), ("02.3", 2208), ("02.4", 28),
    ("03.1", (60, 32)), ("03.2", 380), ("03.3", 0),
    ("04.1", 938), ("04.2", "Overfitting "), ("04.3", "test images of a 3"),
    ("05.1", [-0.9, 0.7, 0.2]), ("05.1", (-0.9, 0.7, 0.2)), ("05.2", 27), ("05.3", 0.8 ** 27), ("05.3", 0.0024),
    ("05.4", (1.0, 0.3)),
    ("06.1", (32, 28, 10)), ("06.2", [28, 27, 26, 25, 24]), ("06.3", "Cannot tell"), ("06.4", "pixels"),
])
def test_right_answers(capsys, exercise_id, answer):
    ok, out = verdict(capsys, exercise_id, answer)
    assert ok and "correct" in out


def test_every_exercise_in_the_notebooks_has_a_checker():
    import re

    import nbformat

    from rnn_helpers import series

    used = set()
    for lesson in series.list_lessons():
        code = "\n".join(c.source for c in nbformat.read(lesson.path, as_version=4).cells)
        used |= set(re.findall(r'exercises\.check\("(\d\d\.\d+)"', code))
    assert used and used <= set(exercises.EXERCISES), sorted(used - set(exercises.EXERCISES))


# Code exercises: the student's function is run on the checker's inputs, and each typical mistake is named.

def _loop(step, carry=True, last=False):
    """A forward loop around ``step``, with the slips students make as switches."""
    def rnn_forward(x, W, U, b):
        h, states = np.zeros((x.shape[0], W.shape[1])), []
        for t in range(x.shape[1]):
            new = step(x[:, t], h, W, U, b)
            states.append(new)
            h = new if carry else h
        return np.stack(states, axis=1)[:, -1] if last else np.stack(states, axis=1)
    return rnn_forward


def _right_step(x, h, W, U, b):
    return np.tanh(x @ W + h @ U + b)


def _stored_before_update(x, W, U, b):
    h, states = np.zeros((x.shape[0], W.shape[1])), []
    for t in range(x.shape[1]):
        states.append(h)
        h = np.tanh(x[:, t] @ W + h @ U + b)
    return np.stack(states, axis=1)


CODE_RIGHT = {
    "01.5": lambda images, t: images[:, :t].sum(dtype=np.int64) / images.sum(dtype=np.int64),
    "02.5": lambda n, u1, u2: (n * u1 + u1 * u1 + u1) + (u1 * u2 + u2 * u2 + u2),
    "02.6": lambda n, u: 2 * (n * u + u * u + u),
    "03.4": _right_step,
    "03.5": _loop(_right_step),
}

CODE_WRONG = [
    ("01.5", lambda images, t: images[:, :t + 1].sum() / images.sum(), "not :t + 1"),
    ("01.5", lambda images, t: images[:, :t - 1].sum() / images.sum(), "one row fewer"),
    ("01.5", lambda images, t: images[:, :, :t].sum() / images.sum(), "first t columns"),
    ("01.5", lambda images, t: np.count_nonzero(images[:, :t]) / np.count_nonzero(images), "counted inked pixels"),
    ("01.5", lambda images, t: np.mean(images[:, :t].sum(axis=(1, 2)) / images.sum(axis=(1, 2))), "averaged each image"),
    ("01.5", lambda images, t: 1 / 0, "raised ZeroDivisionError"),
    ("01.5", 0.5, "Give the function itself"),
    ("01.5", lambda images, t: images[:, 1:t + 1].sum() / images.sum(), "skips row 1"),
    ("01.5", lambda images, t: images[:t].sum() / images.sum(), "first t images"),
    ("01.5", lambda images, t: images[:, :t].sum(axis=(1, 2)), "one number"),
    ("02.5", lambda n, u1, u2: (n * u1 + u1 * u1 + u1) + (n * u2 + u2 * u2 + u2), "units_1 x units_2"),
    ("02.5", lambda n, u1, u2: n * u1 + u1 * u1 + u1, "first layer alone"),
    ("02.5", lambda n, u1, u2: n * u1 + u1 + u1 * u2 + u2, "recurrent kernels"),
    ("02.5", lambda n, u1, u2: n * u1 + u1 * u1 + u1 * u2 + u2 * u2, "biases"),
    ("02.5", lambda n, u1, u2: None, "does it `return`"),
    ("02.5", lambda n, u1, u2: (n * u1, u2), "one number"),
    ("02.6", lambda n, u: n * u + u * u + u, "one direction"),
    ("02.6", lambda n, u: n * 2 * u + 4 * u * u + 2 * u, "do not share a state"),
    ("03.4", lambda x, h, W, U, b: np.tanh(x @ W + h @ U.T + b), "U is transposed"),
    ("03.4", lambda x, h, W, U, b: x @ W + h @ U + b, "tanh is missing"),
    ("03.4", lambda x, h, W, U, b: np.tanh(x @ W + h @ U), "bias b is missing"),
    ("03.4", lambda x, h, W, U, b: np.tanh(x @ W + b), "previous state is missing"),
    ("03.4", lambda x, h, W, U, b: np.tanh(x @ U + h @ W + b), "cannot be swapped"),
    ("03.4", lambda x, h, W, U, b: np.maximum(0, x @ W + h @ U + b), "looks like ReLU"),
    ("03.4", lambda x, h, W, U, b: np.tanh(x @ W + h @ U) + b, "added after tanh"),
    ("03.5", _loop(_right_step, carry=False), "not carried"),
    ("03.5", _loop(_right_step, last=True), "only the last state"),
    ("03.5", _stored_before_update, "before updating"),
    ("03.5", _loop(lambda x, h, W, U, b: np.tanh(x @ W + h @ U.T + b)), "In the step: U is transposed"),
    ("03.5", _loop(lambda x, h, W, U, b: np.tanh(x @ W + h @ U)), "In the step: The bias b is missing"),
    ("03.5", _loop(lambda x, h, W, U, b: x @ W + h @ U + b), "In the step: tanh is missing"),
]


@pytest.mark.parametrize("exercise_id", sorted(CODE_RIGHT))
def test_code_exercises_accept_a_right_function(capsys, exercise_id):
    ok, out = verdict(capsys, exercise_id, CODE_RIGHT[exercise_id])
    assert ok and "correct" in out


@pytest.mark.parametrize("exercise_id, answer, fragment", CODE_WRONG,
                         ids=[f"{e}-{fragment}" for e, _, fragment in CODE_WRONG])
def test_code_exercises_name_the_mistake(capsys, exercise_id, answer, fragment):
    ok, out = verdict(capsys, exercise_id, answer)
    assert not ok and fragment in out, out


def test_every_code_exercise_has_a_worked_solution_that_passes(capsys):
    for exercise_id in CODE_RIGHT:
        exercises.solution(exercise_id)
        text = capsys.readouterr().out
        assert text.startswith("def "), exercise_id
        namespace = {"np": np}
        exec(text, namespace)  # the solution is the code a teacher would show: it must pass its own checker
        function = next(v for k, v in namespace.items() if callable(v) and k != "np")
        assert exercises.is_correct(exercise_id, function), exercise_id


def test_a_solution_for_a_question_without_code_says_so(capsys):
    exercises.solution("04.2")
    assert "No worked solution" in capsys.readouterr().out
