"""The exercise checkers accept the right answer and explain wrong ones; the worked solutions live outside the package."""

import re

import numpy as np
import pytest

from rnn_helpers import exercises


def verdict(capsys, exercise_id, answer):
    exercises.check(exercise_id, answer)
    return exercises.is_correct(exercise_id, answer), capsys.readouterr().out


def test_unanswered(capsys):
    ok, out = verdict(capsys, "01.1", None)
    # the exact text is stored in the notebooks' outputs, which nbval compares
    assert not ok and out == "Exercise 01.1: not answered yet. Replace None with your answer and run the cell again.\n"


def test_the_verdict_keeps_its_shape(capsys):
    assert verdict(capsys, "01.1", (20, 32))[1].startswith("Exercise 01.1: correct. One column per step")
    assert verdict(capsys, "01.1", (32, 20))[1].startswith("Exercise 01.1: not yet. That is reading row by row")


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
    ("07.4", "A", "includes 0"),
    ("07.4", "b", "by the mean of the paired differences"),
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


def _lesson_cells():
    """The cells of the English lessons, read (not run) straight from notebooks/."""
    import nbformat

    from rnn_helpers.data import PROJECT_ROOT

    paths = sorted((PROJECT_ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert len(paths) == 8, paths
    return [cell for path in paths for cell in nbformat.read(path, as_version=4).cells]


def test_every_exercise_in_the_notebooks_has_a_checker():
    used = set(re.findall(r'exercises\.check\("(\d\d\.\d+)"', "\n".join(cell.source for cell in _lesson_cells())))
    assert used == set(exercises.EXERCISES), sorted(used ^ set(exercises.EXERCISES))


# Code exercises: the student's function is run on the checker's inputs, and each typical mistake is named.

def _right_step(x, h, W, U, b):
    return np.tanh(x @ W + h @ U + b)


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
    ("02.5", lambda n, u1, u2: None, "returns nothing (None): is `return` missing?"),
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
    ("05.6", lambda d: np.abs(d).sum(axis=2).mean(axis=0), "That is the L1 norm"),
    ("05.6", lambda d: np.linalg.norm(d, axis=2).max(axis=0), "The shape is right, the values are not"),
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
    ("07.1", lambda n, u, c: None, "returns nothing (None): is `return` missing?"),
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
    (lambda t, p: None, "returns nothing (None): is `return` missing?"),
    (lambda t, p: _confusion_loop(t, p)[:9, :9], "the matrix is (10, 10)"),
    (lambda t, p: _confusion_loop(t, p) * 2, "sum to"),
    (lambda t, p: 1 / 0, "confusion_matrix raised ZeroDivisionError"),
])
def test_04_4_confusion_matrix_names_the_mistake(function, phrase):
    ok, why = exercises.verdict("04.4", function)
    assert not ok and phrase in why, why


def test_04_4_confusion_matrix_accepts_a_loop_and_np_add_at():
    def with_add_at(true_labels, predicted_labels):
        counts = np.zeros((10, 10), dtype=int)
        np.add.at(counts, (true_labels, predicted_labels), 1)
        return counts

    assert exercises.is_correct("04.4", _confusion_loop) and exercises.is_correct("04.4", with_add_at)
    assert "Give the function itself" in exercises.verdict("04.4", 3)[1]


# Fairness: answers that used to be judged wrongly. Each case is the answer that was mishandled.

@pytest.mark.parametrize("exercise_id, answer", [
    ("01.1", (20.9, 32.4)),  # was accepted: int() cut it to (20, 32)
    ("01.2", (1000, 32, 20.7)),  # was accepted
    ("01.3", (0, 2.5, 1)),  # was accepted as (0, 2, 1)
    ("03.1", (60.4, 32)),  # was accepted
    ("06.1", (32, 10.5, 10)),  # was accepted
    ("06.2", [24.5, 25, 26, 27, 28]),  # was accepted
    ("08.2", [8.9, 9, 10]),  # was accepted
    ("02.1", 28 * 64 + 64 * 64 + 0.5),  # was told "You left out the bias" (int() cut it to a known mistake)
    ("02.2", 6784.5),
    ("01.4", 22.5),
])
def test_fractions_are_refused_not_truncated(capsys, exercise_id, answer):
    ok, out = verdict(capsys, exercise_id, answer)
    assert not ok and "is not a whole number" in out, out


@pytest.mark.parametrize("exercise_id, answer", [
    ("02.5", lambda n, u1, u2: (n * u1 + u1 * u1 + u1) + 0.5),  # was told "That is the first layer alone"
    ("02.5", lambda n, u1, u2: (n * u1 + u1 * u1 + u1) + (u1 * u2 + u2 * u2 + u2) + 0.05),  # 1010.05 passed the first case
    ("02.6", lambda n, u: 2 * (n * u + u * u + u) + 0.03),
    ("07.1", lambda n, u, c: 2 * (n * u + u * u + u) + 2 * u * c + c + 0.2),
])
def test_count_functions_refuse_fractions(capsys, exercise_id, answer):
    ok, out = verdict(capsys, exercise_id, answer)
    assert not ok and "which is not a whole number: a parameter count is whole" in out, out


@pytest.mark.parametrize("exercise_id, answer", [
    ("01.1", (20.0, 32.0)), ("01.2", np.array([1000, 32, 20])), ("01.4", np.int64(22)),
    ("01.4", np.array(22)), ("05.2", np.array(1)), ("04.1", np.array(430)),  # 0-d arrays were refused ("not ndarray")
    ("02.1", np.float64(5952.0)), ("06.2", np.arange(24, 29)), ("06.2", {24, 25, 26, 27, 28}), ("08.2", range(8, 11)),
    ("05.3", np.float32(0.8 ** 27)), ("07.2", np.float32(1.5e-3)),
])
def test_whole_floats_numpy_numbers_and_sequences_are_accepted(capsys, exercise_id, answer):
    ok, out = verdict(capsys, exercise_id, answer)
    assert ok and "correct" in out, out


@pytest.mark.parametrize("axes", [(0, -1, -2), (0, 2, -2), (-3, 2, 1), [0, -1, 1]])
def test_01_3_accepts_every_order_np_transpose_treats_as_0_2_1(capsys, axes):
    ok, out = verdict(capsys, "01.3", axes)  # (0, -1, -2) and (0, 2, -2) were "not it"
    assert ok and np.array_equal(np.transpose(np.zeros((1, 2, 3)), axes).shape, (1, 3, 2)), out


@pytest.mark.parametrize("axes, fragment", [
    ((0, 2, 2), "names the same axis twice"),
    ((0, -1, 2), "names the same axis twice ((0, 2, 2) counted from 0)"),
    ((0, 3, 1), "names an axis x_train does not have"),
    ((0, 2), "give an order of all three"),
])
def test_01_3_refuses_orders_np_transpose_refuses(capsys, axes, fragment):
    ok, out = verdict(capsys, "01.3", axes)
    assert not ok and fragment in out, out


def test_a_set_is_refused_where_the_order_matters(capsys):
    ok, out = verdict(capsys, "01.1", {20, 32})  # was told "That is reading row by row": a set iterates as (32, 20)
    assert not ok and "A set has no order" in out, out


def test_keras_none_in_a_shape_is_explained(capsys):
    ok, out = verdict(capsys, "06.1", (None, 10, 10))
    assert not ok and "None in a shape is Keras's size not known yet" in out, out


@pytest.mark.parametrize("exercise_id, answer", [("04.2", '"overfitting"'), ("04.3", "predictions of 3."), ("07.4", "  Neither ")])
def test_choices_ignore_quotes_spaces_and_a_full_stop(capsys, exercise_id, answer):
    ok, out = verdict(capsys, exercise_id, answer)  # the first two were "Answer with one of ..."
    assert ok and "correct" in out, out


CODE_EXERCISES_RETURNING_NONE = {
    "01.5": lambda images, t: None, "02.5": lambda n, u1, u2: None, "02.6": lambda n, u: None,
    "03.4": lambda x_t, h_prev, W, U, b: None,  # was "The new state should have the shape of h_prev, (4, 3), got ()"
    "03.5": lambda x, W, U, b: None, "04.4": lambda t, p: None, "05.6": lambda d: None, "06.4": lambda x: None,
    "07.1": lambda n, u, c: None, "07.3": lambda step, total, peak: None, "08.1": lambda p, t: None,
    "08.3": lambda next_row, top, total: None,  # was "The result should be (total_rows, 28) = (12, 28); got ()"
}


@pytest.mark.parametrize("exercise_id", sorted(CODE_EXERCISES_RETURNING_NONE))
def test_a_function_that_returns_none_is_told_return_is_missing(capsys, exercise_id):
    ok, out = verdict(capsys, exercise_id, CODE_EXERCISES_RETURNING_NONE[exercise_id])
    assert not ok and "returns nothing (None): is `return` missing?" in out, out


def _ink_in_float16(images, t):
    ink = images.astype(np.float16)  # the slip: float16 sums overflow past 65,504
    return ink[:, :t].sum() / ink.sum()


@pytest.mark.parametrize("exercise_id, answer, fragment", [
    ("01.5", _ink_in_float16, "returned nan: a float too large for its dtype overflows to inf (float16"),  # was "does it `return`"
    ("02.5", lambda n, u1, u2: float("inf"), "returned inf"),
    ("07.3", lambda step, total, peak: np.nan, "returned nan"),
])
def test_nan_and_inf_are_told_apart_from_a_missing_return(capsys, exercise_id, answer, fragment):
    with np.errstate(over="ignore", invalid="ignore"):
        ok, out = verdict(capsys, exercise_id, answer)
    assert not ok and fragment in out and "`return` missing" not in out, out


def test_04_4_a_single_number_is_not_told_return_is_missing(capsys):
    ok, out = verdict(capsys, "04.4", lambda t, p: len(t))  # was "does it `return` the matrix?"
    assert not ok and "returned one number; return the whole (10, 10) matrix" in out, out


def _keras_cell_step(x_t, h_prev, W, U, b):
    h = np.tanh(x_t @ W + h_prev @ U + b)
    return h, [h]  # what lesson 03's TanhCell returns: Keras wants the output and the list of states


def test_03_4_a_keras_cell_output_is_recognised(capsys):
    ok, out = verdict(capsys, "03.4", _keras_cell_step)  # was "should return numbers, not tuple" and a hint about W and U
    assert not ok and "returns (h, [h]), as the Keras cell's call does" in out and "(That h is right.)" in out, out
    assert "cannot be swapped" not in out


def test_03_4_a_keras_cell_output_with_a_wrong_state_is_not_called_right(capsys):
    def wrong(x_t, h_prev, W, U, b):
        h = np.tanh(x_t @ W + b)
        return h, [h]

    ok, out = verdict(capsys, "03.4", wrong)
    assert not ok and "returns (h, [h])" in out and "That h is right" not in out, out


def _confusion_sized_from_the_labels(true_labels, predicted_labels):
    size = int(max(true_labels.max(), predicted_labels.max())) + 1  # the slip: a digit that never occurs gets no row
    counts = np.zeros((size, size), dtype=int)
    np.add.at(counts, (true_labels, predicted_labels), 1)
    return counts


def test_04_4_a_matrix_sized_from_the_labels_is_exposed(capsys):
    ok, out = verdict(capsys, "04.4", _confusion_sized_from_the_labels)  # was accepted: the labels held every digit
    assert not ok and "It returns shape (9, 9): sized from the digits that occur" in out, out


def test_04_4_bincount_without_minlength_is_exposed(capsys):
    ok, out = verdict(capsys, "04.4", lambda t, p: np.bincount(10 * t + p).reshape(10, 10))
    assert not ok and "raised ValueError" in out and "no image here is a 9" in out, out


def test_04_4_labels_miss_a_digit_and_a_transposed_matrix_differs():
    from rnn_helpers.exercises.lesson04 import _confusion, _labels_without_a_nine

    true_labels, predicted_labels = _labels_without_a_nine()
    counts = _confusion(true_labels, predicted_labels)
    assert 9 not in true_labels and 9 not in predicted_labels and not np.array_equal(counts, counts.T)


KERNEL_LEFT_OUT = "You left out the kernel W"
PER_TIME_STEP = "the weights are not per time step"


@pytest.mark.parametrize("exercise_id, answer, fragment", [
    ("02.1", 64 * 64 + 64, KERNEL_LEFT_OUT), ("02.1", 5952 * 28, PER_TIME_STEP),  # both were the general hint
    ("02.2", 4 * (32 * 32 + 32), KERNEL_LEFT_OUT), ("02.2", 7808 * 28, PER_TIME_STEP),
    ("02.3", 3 * (16 * 16 + 16) + 3 * 16, KERNEL_LEFT_OUT), ("02.3", 2208 * 28, PER_TIME_STEP),
    ("08.4", 64 * 64 + 64, KERNEL_LEFT_OUT), ("08.4", 6592 * 28, PER_TIME_STEP),
    ("02.5", lambda n, u1, u2: (u1 * u1 + u1) + (u2 * u2 + u2), KERNEL_LEFT_OUT),
    ("02.5", lambda n, u1, u2: 28 * ((n * u1 + u1 * u1 + u1) + (u1 * u2 + u2 * u2 + u2)), PER_TIME_STEP),
    ("02.6", lambda n, u: 2 * (u * u + u), KERNEL_LEFT_OUT),
    ("02.6", lambda n, u: 28 * 2 * (n * u + u * u + u), PER_TIME_STEP),
    ("07.1", lambda n, u, c: 2 * (u * u + u) + 2 * u * c + c, KERNEL_LEFT_OUT),
    ("07.1", lambda n, u, c: 28 * (2 * (n * u + u * u + u) + 2 * u * c + c), PER_TIME_STEP),
])
def test_counts_name_the_kernel_left_out_and_the_weights_counted_per_time_step(capsys, exercise_id, answer, fragment):
    ok, out = verdict(capsys, exercise_id, answer)
    assert not ok and fragment in out, out


@pytest.mark.parametrize("exercise_id, answer, fragment", [
    ("02.2", 3 * (28 * 32 + 32 * 32 + 32), "Three blocks is a GRU"),
    ("02.3", 4 * (28 * 16 + 16 * 16 + 16), "Four blocks is an LSTM"),
    ("02.3", 28 * 16 + 16 * 16 + 16, "That is one block"),
    ("03.2", 100, "h_{t-1} @ U only"),
    ("05.1", [-10, 0, 0], "That is dL/dp"),
    ("05.4", (0.3, 1.0), "in the question's order"),
    ("05.4", (5, 0.3), "rescaled to norm 1"),
    ("06.2", [0, 1, 2, 3, 4], "top rows, counted from 0"),
    ("06.2", [24, 25, 26, 27], "5 steps are 5 rows"),
    ("08.2", [7, 8, 9], "Steps are counted from 1 here"),
])
def test_more_known_mistakes_are_named(capsys, exercise_id, answer, fragment):
    ok, out = verdict(capsys, exercise_id, answer)
    assert not ok and fragment in out, out


def _step32(x_t, h_prev, W, U, b):
    x_t, h_prev, W, U, b = (np.asarray(a, dtype=np.float32) for a in (x_t, h_prev, W, U, b))
    return np.tanh(x_t @ W + h_prev @ U + b)


@pytest.mark.parametrize("exercise_id, answer", [
    ("03.4", _step32),
    ("05.6", lambda d: np.linalg.norm(d.astype(np.float32), axis=2).mean(axis=0)),
    ("07.3", lambda step, total, peak: np.float32(peak) * (1 + np.cos(np.float32(np.pi) * np.float32(step) / total)) / 2),
    ("08.1", lambda p, t: CODE_RIGHT["08.1"](p.astype(np.float32), np.float32(t))),
    ("01.5", lambda images, t: np.float32(images[:, :t].sum() / images.sum())),
])
def test_float32_code_is_accepted(capsys, exercise_id, answer):
    ok, out = verdict(capsys, exercise_id, answer)
    assert ok and "correct" in out, out


def test_08_3_a_loop_that_passes_only_the_last_row_is_named(capsys):
    def last_row_only(next_row, top, total):
        rows = list(top)
        while len(rows) < total:
            rows.append((next_row(np.array(rows[-1:])) > 0.5).astype(float))
        return np.array(rows)

    ok, out = verdict(capsys, "08.3", last_row_only)
    assert not ok and "next_row only ever saw one row" in out, out


# Gaps found by the review of lessons 05-08.

@pytest.mark.parametrize("exercise_id, answer, fragment", [
    ("05.3", 0.002, "give at least two significant digits, e.g. 0.0024"),  # was "0.002 is not it"
    ("05.3", 0.24, "That is a percentage"),
    ("07.2", 0.002, "give at least two significant digits, e.g. 0.0015"),
    ("07.2", 1.5, "in units of 1e-3"),  # was "1.5 is not it"
    ("06.2", [23, 24, 25, 26, 27], "Rows are counted from 1 here"),  # was "Count again: 5 steps are 5 rows"
    ("05.6", lambda d: np.abs(d).sum(axis=2).mean(axis=0), "That is the L1 norm"),  # these three were "shape right, values not"
    ("05.6", lambda d: np.linalg.norm(d, axis=2).mean(axis=0)[::-1], "The curve is reversed in time"),
    ("05.6", lambda d: np.median(np.linalg.norm(d, axis=2), axis=0), "That is the median over the examples"),
    ("05.6", lambda d: np.linalg.norm(d, axis=2).sum(axis=0), "That is the sum over the examples"),
])
def test_review_gaps_of_lessons_05_to_08_are_named(capsys, exercise_id, answer, fragment):
    ok, out = verdict(capsys, exercise_id, answer)
    assert not ok and fragment in out, out


@pytest.mark.parametrize("exercise_id, answer", [("05.3", 0.0024), ("05.3", 0.00242), ("07.2", 0.0015)])
def test_two_significant_digits_are_enough(capsys, exercise_id, answer):
    assert verdict(capsys, exercise_id, answer)[0]


# Worked solutions: data in solutions/, outside the package.

def _all_solutions():
    from rnn_helpers.exercises import worked

    return worked.read_all(exercises.solutions_dir())


def test_every_exercise_has_a_worked_solution_and_every_solution_an_exercise():
    assert exercises.solutions_dir() is not None, "the checkout's solutions/ folder"
    assert set(_all_solutions()) == set(exercises.EXERCISES) and len(exercises.EXERCISES) >= 38


@pytest.mark.parametrize("exercise_id", sorted(exercises.EXERCISES))
def test_every_worked_solution_passes_its_checker(exercise_id):
    worked = exercises.worked_solution(exercise_id)
    namespace = {"np": np}
    exec(worked.code, namespace)  # the code that replaces `answer = None` (and the stub) in the exercise cell
    ok, why = exercises.verdict(exercise_id, namespace["answer"])
    assert ok, why
    assert len(worked.explanation) > 80, "an explanation in prose"


def _notebook_stubs() -> dict[str, str]:
    """The exercise cells' source that precedes `answer = None`, by exercise id (the stub function of a code exercise)."""
    stubs = {}
    for cell in _lesson_cells():
        found = re.search(r'exercises\.check\("(\d\d\.\d+)"', cell.source)
        if cell.cell_type == "code" and found:
            stubs[found.group(1)] = cell.source.split("answer = None")[0].strip()
    return stubs


def test_code_solutions_keep_the_stubs_def_line_and_docstring_and_a_separable_body():
    import ast

    stubs = _notebook_stubs()
    code_exercises = [e for e, stub in stubs.items() if stub.startswith("def ")]
    assert len(code_exercises) == 13
    for exercise_id in code_exercises:
        parts = exercises.worked_solution(exercise_id).function_parts()
        stub = ast.parse(stubs[exercise_id]).body[0]
        def_line = stubs[exercise_id].splitlines()[0]
        assert parts.header.splitlines()[0] == def_line, exercise_id
        assert ast.get_docstring(ast.parse(parts.header + "\n    ...").body[0]), exercise_id  # a docstring after the def line
        if ast.get_docstring(stub) is not None:
            assert ast.get_docstring(stub) == ast.get_docstring(ast.parse(parts.header + "\n    ...").body[0]), exercise_id
        assert parts.footer == f"answer = {stub.name}", exercise_id
        assert '"""' not in parts.body and parts.body.startswith("    "), exercise_id  # the body alone, indented


def test_value_solutions_have_no_function_parts():
    assert exercises.worked_solution("01.1").function_parts() is None


def test_solution_prints_the_explanation_and_the_code(capsys):
    exercises.solution("03.4")
    out = capsys.readouterr().out
    worked = exercises.worked_solution("03.4")
    assert out.startswith("Exercise 03.4, worked solution.") and worked.explanation in out and worked.code in out


def test_without_the_solutions_folder_solution_points_to_the_teacher(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("RNN_LESSONS_SOLUTIONS", str(tmp_path))  # a folder without the lessons' files: the classroom edition
    exercises.solution("03.4")
    assert "In the classroom edition the worked solutions are with your teacher" in capsys.readouterr().out
    assert exercises.worked_solution("03.4") is None


def test_the_environment_variable_points_at_a_teachers_folder(capsys, monkeypatch, tmp_path):
    (tmp_path / "03.toml").write_text('["03.4"]\ncode = "answer = 1"\nexplanation = "A teacher\'s own."\n', encoding="utf-8")
    monkeypatch.setenv("RNN_LESSONS_SOLUTIONS", str(tmp_path))
    exercises.solution("03.4")
    assert "A teacher's own." in capsys.readouterr().out
    exercises.solution("03.5")
    assert "There is no worked solution of 03.5 in" in capsys.readouterr().out


def test_solution_of_an_unknown_exercise_raises_key_error():
    with pytest.raises(KeyError, match="no exercise '99.9'"):
        exercises.solution("99.9")


@pytest.mark.parametrize("text, fragment", [
    ('["03.4"]\ncode = "answer = 1"\n', "must have exactly the text fields code, explanation"),
    ('["04.1"]\ncode = "answer = 1"\nexplanation = "x"\n', "belongs to lesson 04; move it to 04.toml"),
    ('["03.4"\n', "not valid TOML"),
])
def test_a_malformed_solutions_file_is_named_with_the_fix(monkeypatch, tmp_path, text, fragment):
    (tmp_path / "03.toml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("RNN_LESSONS_SOLUTIONS", str(tmp_path))
    with pytest.raises(ValueError, match=re.escape(fragment)):
        exercises.worked_solution("03.4")


def _normalised(line: str) -> str:
    """A line of code without its trailing comment and with its white space folded."""
    return " ".join(re.sub(r"\s+#[^\"']*$", "", line).split())


def test_no_worked_solution_is_left_in_the_package():
    from rnn_helpers.data import PROJECT_ROOT

    package_lines = {_normalised(line) for path in (PROJECT_ROOT / "rnn_helpers").rglob("*.py")
                     for line in path.read_text(encoding="utf-8").splitlines()}
    for exercise_id, worked in _all_solutions().items():
        parts = worked.function_parts()
        shown_to_students = set((parts.header + "\n" + parts.footer).splitlines()) if parts else set()
        for line in worked.code.splitlines():
            code = _normalised(line)
            if line in shown_to_students or len(code) <= 15 or code.startswith(("import ", "from ")):
                continue
            assert code not in package_lines, (exercise_id, code)


def test_the_solutions_folder_is_not_part_of_the_package():
    import tomllib

    from rnn_helpers.data import PROJECT_ROOT

    setuptools = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert "solutions" not in str(setuptools) and not (PROJECT_ROOT / "solutions" / "__init__.py").exists()
    for path in (PROJECT_ROOT / "rnn_helpers").rglob("*.toml"):  # no data file inside the package holds a solution either
        assert not set(tomllib.loads(path.read_text(encoding="utf-8"))) & set(exercises.EXERCISES), path


# Messages ready for translation: Babel extracts `_("...")` literals, and cannot extract an f-string.

def _exercise_modules():
    import ast

    from rnn_helpers.data import PROJECT_ROOT

    for path in sorted((PROJECT_ROOT / "rnn_helpers" / "exercises").glob("*.py")):
        yield path.name, ast.parse(path.read_text(encoding="utf-8"))


def test_every_message_is_a_literal_with_named_placeholders():
    import ast
    import string

    messages = 0
    for name, tree in _exercise_modules():
        formatted = {id(node.func.value) for node in ast.walk(tree)
                     if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format"}
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_":
                messages += 1
                assert len(node.args) == 1 and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str), \
                    (name, node.lineno)
                fields = [field for _text, field, _spec, _conversion in string.Formatter().parse(node.args[0].value) if field]
                if id(node) in formatted:  # placeholders are named, so that a translation may move them
                    assert all(field.isidentifier() for field in fields), (name, node.lineno, fields)
                else:  # not formatted: braces are mathematics such as h_{t-1}, not a placeholder left unfilled
                    assert not any(field.isidentifier() for field in fields), (name, node.lineno, fields)
    assert messages > 200


def test_no_message_is_an_f_string_or_formatted_outside_the_translation_function():
    import ast

    for name, tree in _exercise_modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr):  # an f-string may format a number, never hold words
                words = "".join(part.value for part in node.values if isinstance(part, ast.Constant))
                assert not re.search(r"[A-Za-z]{2}", words), (name, node.lineno)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
                receiver = node.func.value
                is_message = isinstance(receiver, ast.Call) and getattr(receiver.func, "id", "") == "_"
                assert is_message or (isinstance(receiver, ast.Constant) and " " not in receiver.value), (name, node.lineno)
