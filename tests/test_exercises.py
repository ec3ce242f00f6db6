"""The exercise checkers accept the right answer and explain wrong ones."""

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
    ("01.1", 28, "number of time steps"),
    ("01.1", 60000, "number of images"),
    ("01.1", "784", "Give a whole number"),
    ("01.2", (10000, 784), "time as its own axis"),
    ("01.2", (60000, 28, 28), "training set"),
    ("01.2", 7, "as a tuple"),
    ("01.2", ("a", "b"), "as a tuple"),
    ("01.3", (0, 1, 2), "still reads rows"),
    ("01.3", (2, 1, 0), "Axis 0 counts the samples"),
    ("01.4", 14, "spread evenly"),
    ("01.4", 14.5, "is not it"),
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
    ("01.1", 784), ("01.2", (10000, 28, 28)), ("01.3", (0, 2, 1)), ("01.4", 15),
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
