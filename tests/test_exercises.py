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
    ("04.1", 429, "a step too"),
    ("04.1", 469, "all 60,000 training images"),
    ("04.1", 468, "all 60,000 training images"),
    ("04.1", 860, "batch size 64"),
    ("04.1", 859, "batch size 64"),
    ("04.1", 429.69, "Steps are whole"),
    ("04.1", 55000 / 128, "must be rounded: up"),
    ("04.1", 55000, "counts images"),
    ("04.1", 431, "count the last, smaller batch"),
    ("04.1", "430", "Give a whole number"),
    ("04.2", "underfitting", "come apart"),
    ("04.2", "both", "Answer with one of"),
    ("04.3", "test images of a 3", "sum of row 3"),
    ("05.1", [0.9, -0.7, -0.2], "sign is flipped"),
    ("05.1", [0.1, -0.3, 0.2], "true class is 0"),
    ("05.1", [0.1, 0.7, 0.2], "Subtract the one-hot truth"),
    ("05.1", [0.1, 0.7], "Give three numbers"),
    ("05.1", "p - y", "Give three numbers"),
    ("05.2", 28, "h_27 is the state after 27 rows"),
    ("05.2", 0, "numbered 1 to 28"),
    ("05.2", 14, "Which h_{t-1} is zero"),
    ("05.2", "first", "Give a whole number"),
    ("05.3", 0.8 ** 28, "27 steps"),
    ("05.3", 0.8, "each of the steps"),
    ("05.3", "tiny", "Give a number"),
    ("05.4", (1, 1), "only shrinks"),
    ("05.4", (0.2, 0.06), "clipped on its own"),
    ("05.4", 1, "pair of numbers"),
    ("06.1", (32, 28, 10), "it was given 10 rows, not 28"),
    ("06.1", (32, 10), "probabilities for the 10 classes"),
    ("06.1", (10, 32, 10), "samples first"),
    ("06.1", (32, 10, 64), "one probability per class"),
    ("06.1", (32, 10, 28), "one probability per class"),
    ("06.1", (1, 10, 10), "is not it"),
    ("06.1", "(32, 10, 10)", "as a tuple"),
    ("06.2", [1, 2, 3, 4, 5], "top rows"),
    ("06.2", [23, 24, 25, 26, 27, 28], "Count again"),
    ("06.2", 5, "as a list"),
    ("06.3", "better", "inside the seed spread"),
    ("06.3", "maybe", "Answer with one of"),
    ("07.2", 3e-3, "the peak"),
    ("07.2", 1e-3, "from 2e-3, the lesson's"),
    ("07.2", 3e-3 * 2 / np.pi, "quarter cosine"),
    ("07.2", "0.0015", "not str"),
    ("07.4", "A", "inside the spread"),
    ("07.4", "b", "by the means"),
    ("08.2", list(range(8, 15)), "come after step 10"),
    ("08.2", list(range(1, 11)), "That is full BPTT"),
    ("08.2", 10, "as a list"),
    ("08.4", 6528, "left out the bias"),
    ("08.4", 5952, "without the label"),
    ("08.4", 704, "the other way of conditioning"),
])
def test_wrong_answers_are_explained(capsys, exercise_id, answer, fragment):
    ok, out = verdict(capsys, exercise_id, answer)
    assert not ok and "not yet" in out and fragment in out


@pytest.mark.parametrize("exercise_id, answer", [
    ("01.1", (20, 32)), ("01.1", [20, 32]), ("01.2", (1000, 32, 20)), ("01.3", (0, 2, 1)), ("01.4", 22),
    ("02.1", 5952), ("02.2", 7808), ("02.3", 2208), ("02.4", 28),
    ("03.1", (60, 32)), ("03.2", 380), ("03.3", 0),
    ("04.1", 430), ("04.1", 430.0), ("04.2", "Overfitting "), ("04.3", "predictions of 3"),
    ("05.1", [-0.9, 0.7, 0.2]), ("05.1", (-0.9, 0.7, 0.2)), ("05.2", 1), ("05.3", 0.8 ** 27), ("05.3", 0.0024),
    ("05.4", (1.0, 0.3)),
    ("06.1", (32, 10, 10)), ("06.1", [32, 10, 10]), ("06.2", [28, 27, 26, 25, 24]), ("06.3", "Cannot tell"),
    ("07.2", 0.0015), ("07.2", 1.5015e-3), ("07.4", "Neither"),
    ("08.2", [10, 9, 8]), ("08.4", 6592),
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


def _step_back(tanh_of="h_t", recurrent_state="h_prev", transposed=True, added=True):
    """One step of the backward loop, with the slips students make as switches."""
    def rnn_step_backward(dh, x_t, h_prev, h_t, U, grads):
        states = {"h_t": h_t, "h_prev": h_prev}
        da = dh * (1 - states[tanh_of] ** 2) if tanh_of else dh
        shares = {"kernel": x_t.T @ da, "recurrent_kernel": states[recurrent_state].T @ da, "bias": da.sum(axis=0)}
        for name, share in shares.items():
            if added:
                grads[name] += share
            else:
                grads[name] = share
        return da @ (U.T if transposed else U)
    return rnn_step_backward


def _bias_not_summed(dh, x_t, h_prev, h_t, U, grads):
    da = dh * (1 - h_t ** 2)
    grads["kernel"] += x_t.T @ da
    grads["recurrent_kernel"] += h_prev.T @ da
    grads["bias"] += da
    return da @ U.T


def _bias_not_summed_reassigned(dh, x_t, h_prev, h_t, U, grads):
    da = dh * (1 - h_t ** 2)
    grads["kernel"] += x_t.T @ da
    grads["recurrent_kernel"] += h_prev.T @ da
    grads["bias"] = grads["bias"] + da
    return da @ U.T


def _kernel_assigned(dh, x_t, h_prev, h_t, U, grads):
    da = dh * (1 - h_t ** 2)
    grads["kernel"] = x_t.T @ da
    grads["recurrent_kernel"] += h_prev.T @ da
    grads["bias"] += da.sum(axis=0)
    return da @ U.T


def _new_grads_dict(dh, x_t, h_prev, h_t, U, grads):
    da = dh * (1 - h_t ** 2)
    # the slip under test: a new dict, lost when the function returns
    grads = {"kernel": x_t.T @ da, "recurrent_kernel": h_prev.T @ da, "bias": da.sum(axis=0)}  # noqa: F841
    return da @ U.T


def _wrong_key(dh, x_t, h_prev, h_t, U, grads):
    da = dh * (1 - h_t ** 2)
    grads["W"] += x_t.T @ da
    return da @ U.T


def _unwritten(dh, x_t, h_prev, h_t, U, grads):
    ...  # the template as the student first sees it


def _returns_grads_too(dh, x_t, h_prev, h_t, U, grads):
    return _step_back()(dh, x_t, h_prev, h_t, U, grads), grads


def _greedy_loop(next_row, top, total, feed_back=True, threshold=True):
    rows = list(top)
    while len(rows) < total:
        p = next_row(np.array(rows if feed_back else top))
        rows.append((p > 0.5).astype(float) if threshold else p)
    return np.array(rows)


CODE_RIGHT = {
    "01.5": lambda images, t: images[:, :t].sum(dtype=np.int64) / images.sum(dtype=np.int64),
    "02.5": lambda n, u1, u2: (n * u1 + u1 * u1 + u1) + (u1 * u2 + u2 * u2 + u2),
    "02.6": lambda n, u: 2 * (n * u + u * u + u),
    "03.4": _right_step,
    "03.5": _loop(_right_step),
    "05.5": _step_back(),
    "05.6": lambda dL_dh: np.linalg.norm(dL_dh, axis=2).mean(axis=0),
    "06.4": lambda x: x[:, :, ::-1].transpose(0, 2, 1),
    "07.1": lambda n, u, c: 2 * (n * u + u * u + u) + 2 * u * c + c,
    "07.3": lambda step, total, peak: peak * (1 + np.cos(np.pi * step / total)) / 2,
    "08.1": lambda p, t: 1 / (1 + np.exp(-np.log(p / (1 - p)) / t)),
    "08.3": lambda next_row, top, total: _greedy_loop(next_row, top, total),
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
    ("05.5", _step_back(added=False), "not summed over time"),
    ("05.5", _kernel_assigned, "`+=`, not `=`"),
    ("05.5", _step_back(tanh_of=None), "tanh' is missing"),
    ("05.5", _step_back(transposed=False), "U is not transposed"),
    ("05.5", _step_back(tanh_of="h_prev"), "tanh' is taken at the wrong step"),
    ("05.5", _step_back(recurrent_state="h_t"), "not h_t.T @ da"),
    ("05.5", _bias_not_summed, "in line"),
    ("05.5", _bias_not_summed, 'grads["bias"] += da`'),
    ("05.5", _bias_not_summed, "sum this step's dL/da over the batch"),
    ("05.5", _bias_not_summed_reassigned, "ended with shape (3, 5), not (5,)"),
    ("05.5", _new_grads_dict, "still all zeros"),
    ("05.5", _wrong_key, "raised KeyError: 'W' (in line"),
    ("05.5", _wrong_key, "at step 6 of 6"),
    ("05.5", lambda dh, x_t, h_prev, h_t, U, grads: None, "returned None"),
    ("05.5", _unwritten, "A body that is still `...` returns nothing"),
    ("05.5", _returns_grads_too, "Return dL/dh_{t-1} alone"),
    ("05.5", lambda dh, x_t, h_prev, h_t, U, grads: "dh", "an array, not str"),
    ("05.5", lambda dh, x_t, h_prev, h_t, U, grads: (dh * (1 - h_t ** 2)).T, "returned shape (5, 3) at step 6"),
    ("05.5", lambda dh, x_t, h_prev, h_t, U, grads: 2 * (dh * (1 - h_t ** 2)) @ U.T, "first wrong at step 6"),
    ("05.5", "rnn_step_backward", "Give the function itself"),
    ("05.6", lambda d: np.linalg.norm(d, axis=1).mean(axis=0), "over time (axis 1)"),
    ("05.6", lambda d: np.linalg.norm(d, axis=0).mean(axis=1), "over the examples (axis 0)"),
    ("05.6", lambda d: np.linalg.norm(d.mean(axis=0), axis=1), "norm of the mean gradient"),
    ("05.6", lambda d: np.linalg.norm(d, axis=2), "one value per example and step"),
    ("05.6", lambda d: np.linalg.norm(d, axis=2).T, "one value per example and step"),
    ("05.6", lambda d: (d ** 2).sum(axis=2).mean(axis=0), "squared norms"),
    ("05.6", lambda d: np.linalg.norm(d), "expected one value per time step"),
    ("05.6", lambda d: np.abs(d).sum(axis=2).mean(axis=0), "The shape is right, the values are not"),
    ("05.6", lambda d: d.reshape(28, 28), "raised ValueError"),
    ("05.6", lambda d: {"norms": 1}, "should return numbers, not dict"),
    ("05.6", np.linalg.norm(np.ones((2, 3)), axis=1), "Give the function itself"),
    ("06.4", lambda x: x.transpose(0, 2, 1), "read left to right"),
    ("06.4", lambda x: x[:, ::-1], "reads the rows bottom-up"),
    ("06.4", lambda x: x.transpose(0, 2, 1)[:, :, ::-1], "read bottom to top (and the columns left to right)"),
    ("06.4", lambda x: x[:, ::-1, ::-1].transpose(0, 2, 1), "columns run right to left, but each column is read bottom to top"),
    ("06.4", lambda x: x[:, :, ::-1], "still a row"),
    ("06.4", lambda x: x.transpose(2, 1, 0), "samples still first"),
    ("06.4", lambda x: x[:, :, ::-1].reshape(2, 7, 5), "The shape is right, the order is not"),
    ("06.4", lambda x: x.reshape(-1, 28, 28), "x.reshape(-1, 28, 28)"),
    ("06.4", None, "not answered yet"),
    ("06.4", "x[:, :, ::-1]", "Give the function itself"),
    ("07.1", lambda n, u, c: 2 * (n * u + u * u + u) + u * c + c, "2u inputs"),
    ("07.1", lambda n, u, c: (n * u + u * u + u) + 2 * u * c + c, "counts one direction"),
    ("07.1", lambda n, u, c: 2 * (n * u + u * u + u), "add the Dense classifier"),
    ("07.1", lambda n, u, c: (n * 2 * u + 4 * u * u + 2 * u) + 2 * u * c + c, "not one (2u x 2u) kernel"),
    ("07.1", lambda n, u, c: 2 * (n * u + u) + 2 * u * c + c, "Keras counts"),
    ("07.1", lambda n, u, c: None, "does it `return`"),
    ("07.3", lambda step, total, peak: peak * np.cos(np.pi * step / total), "goes negative"),
    ("07.3", lambda step, total, peak: peak * np.cos(np.pi / 2 * step / total), "quarter cosine"),
    ("07.3", lambda step, total, peak: peak * (1 + np.cos(180 * step / total)) / 2, "radians"),
    ("07.3", lambda step, total, peak: peak * (1 - np.cos(np.pi * step / total)) / 2, "rises instead of falling"),
    ("07.3", lambda step, total, peak: peak * (1 + np.cos(np.pi * (step + 1) / total)) / 2, "Keras's CosineDecay gives"),
    ("07.3", lambda step, total, peak: [peak, peak], "should return one number"),
    ("08.1", lambda p, t: p / t, "Divide the logit, not the probability"),
    ("08.1", lambda p, t: 1 / (1 + np.exp(-np.log(p / (1 - p)) * t)), "multiplies the logit by T"),
    ("08.1", lambda p, t: p ** (1 / t), "the no-ink side must be tempered too"),
    ("08.1", lambda p, t: p[0], "one probability per pixel"),
    ("08.3", lambda next_row, top, total: _greedy_loop(next_row, top, total)[len(top):], "Return all total_rows rows"),
    ("08.3", lambda next_row, top, total: _greedy_loop(next_row, top, total, feed_back=False), "only ever saw the given rows"),
    ("08.3", lambda next_row, top, total: _greedy_loop(next_row, top, total, threshold=False), "Greedy rows are 0 or 1"),
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


def test_a_rotation_is_a_right_to_left_reader(capsys):
    ok, out = verdict(capsys, "06.4", lambda x: np.rot90(x, axes=(1, 2)))
    assert ok and "rightmost column" in out


def test_the_backward_step_checker_leaves_the_right_answer_to_numpy_rnn():
    from rnn_helpers import numpy_rnn

    assert exercises.is_correct("05.5", numpy_rnn.backward_step)


def test_a_raising_function_is_reported_with_its_line(capsys):
    def rnn_step(x_t, h_prev, W, U, b):
        z = x_t @ W
        return np.tanh(z + h_prev @ W + b)  # W for U: (4, 3) @ (5, 3) cannot multiply

    ok, out = verdict(capsys, "03.4", rnn_step)
    assert not ok and "raised ValueError" in out and "return np.tanh(z + h_prev @ W + b)" in out, out


def _confusion_loop(true_labels, predicted_labels):
    counts = np.zeros((10, 10), dtype=int)
    for true_digit, predicted_digit in zip(true_labels, predicted_labels):
        counts[true_digit, predicted_digit] += 1
    return counts


@pytest.mark.parametrize("function, phrase", [
    (lambda t, p: _confusion_loop(t, p).T, "Rows and columns are swapped"),
    (lambda t, p: _confusion_loop(t, p) / np.maximum(_confusion_loop(t, p).sum(axis=1, keepdims=True), 1), "Each row is divided"),
    (lambda t, p: _confusion_loop(t, p) / len(t), "divided by the number of images"),
    (lambda t, p: np.diag(np.diag(_confusion_loop(t, p))), "Only the diagonal"),
    (lambda t, p: (_confusion_loop(t, p) > 0).astype(int), "No cell holds more than 1"),
    (lambda t, p: None, "does it `return` the matrix"),
    (lambda t, p: _confusion_loop(t, p)[:9, :9], "the matrix is (10, 10)"),
    (lambda t, p: _confusion_loop(t, p) * 2, "sum to"),
    (lambda t, p: 1 / 0, "confusion_matrix raised ZeroDivisionError"),
])
def test_04_4_confusion_matrix_names_the_mistake(function, phrase):
    ok, why = exercises.verdict("04.4", function)
    assert not ok and phrase in why, why


def test_04_4_confusion_matrix_accepts_a_loop_and_np_add_at_and_has_a_solution(capsys):
    def with_add_at(true_labels, predicted_labels):
        counts = np.zeros((10, 10), dtype=int)
        np.add.at(counts, (true_labels, predicted_labels), 1)
        return counts

    assert exercises.is_correct("04.4", _confusion_loop) and exercises.is_correct("04.4", with_add_at)
    assert "Give the function itself" in exercises.verdict("04.4", 3)[1]
    exercises.solution("04.4")
    namespace = {"np": np}
    exec(capsys.readouterr().out, namespace)
    assert exercises.is_correct("04.4", namespace["confusion_matrix"])
