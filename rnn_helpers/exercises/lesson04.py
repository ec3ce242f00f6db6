"""Lesson 04: training and evaluation."""

from __future__ import annotations

import numpy as np

from rnn_helpers.exercises.core import CodeAnswer, _choice, _number_or_explain, exercise


@exercise("04.1")
def _steps_per_epoch(answer):
    if (why := _number_or_explain(answer)):
        return False, why
    if answer == 430:
        return True, ("55,000 / 128 = 429.7: 429 full batches of 128, and the 88 images left over make one more, smaller batch. "
                      "That is a step too: 430.")
    if not float(answer).is_integer():
        rounding = " 55,000 / 128 = 429.7 must be rounded: up, since the images left over make one more, smaller batch."
        return False, ("Steps are whole: the optimizer takes one step per batch, and a batch is taken or not."
                       + (rounding if 429 < answer < 430 else ""))
    if answer == 429:
        return False, ("429 full batches of 128 leave 88 images; they form one last, smaller batch, and that is a step too: "
                       "round up.")
    if answer in (469, 468):
        return False, ("That is for all 60,000 training images; the lesson trains on the first 55,000 and keeps the last 5,000 "
                       "for validation. Divide 55,000 by 128.")
    if answer in (860, 859):
        return False, "That is for batch size 64; the question uses batches of 128."
    if answer in (55000, 60000):
        return False, "That counts images; the optimizer takes one step per batch of 128."
    return False, f"{answer} is not it: divide the number of training images by the batch size, and count the last, smaller batch."


@exercise("04.2")
def _over_or_under(answer):
    return _choice(answer, {
        "overfitting": "A large gap between training and validation accuracy, with the validation loss rising, is overfitting.",
        "underfitting": ("Underfitting shows as training and validation curves close together and both poor; here they have "
                         "come apart."),
    }, "overfitting")


@exercise("04.3")
def _confusion_column(answer):
    return _choice(answer, {
        "predictions of 3": ("Each column is one answer of the model, so its sum is how often it answered 3, right or wrong "
                             "(the row sums count the images of each digit)."),
        "test images of a 3": "That is the sum of row 3: the rows are the true digits, the columns the model's answers.",
        "correct predictions": "The correct predictions are the diagonal, one cell per column.",
    }, "predictions of 3")


def _confusion(true_labels, predicted_labels, classes=10):
    counts = np.zeros((classes, classes), dtype=int)
    np.add.at(counts, (true_labels, predicted_labels), 1)
    return counts


# Wrong confusion matrices students write, with what to fix; each is computed on the checker's own labels.
_CONFUSION_SLIPS = {
    "Rows and columns are swapped: row i must be the TRUE digit i, column j the PREDICTED digit j (counts[true, predicted]).":
        lambda t, p: _confusion(t, p).T,
    "Each row is divided by its sum: that is per-class accuracy and error rates; the exercise asks for counts.":
        lambda t, p: _confusion(t, p) / np.maximum(_confusion(t, p).sum(axis=1, keepdims=True), 1),
    "It is divided by the number of images: the exercise asks for counts, not shares.":
        lambda t, p: _confusion(t, p) / len(t),
    "Only the diagonal is filled: the mistakes (true != predicted) must be counted in their cells too.":
        lambda t, p: np.diag(np.diag(_confusion(t, p))),
    ("No cell holds more than 1: `counts[t, p] = 1`, or `counts[true_labels, predicted_labels] += 1` with whole arrays (NumPy "
     "then adds once per distinct pair), marks cells instead of counting. Add 1 per image in a loop, or use np.add.at."):
        lambda t, p: (_confusion(t, p) > 0).astype(int),
}


@exercise("04.4", solution="""
def confusion_matrix(true_labels, predicted_labels):
    counts = np.zeros((10, 10), dtype=int)
    for true_digit, predicted_digit in zip(true_labels, predicted_labels):
        counts[true_digit, predicted_digit] += 1      # row: the true digit, column: the model's answer
    return counts

# or, without a loop:  np.add.at(counts, (true_labels, predicted_labels), 1)
# (counts[true_labels, predicted_labels] += 1 would count a repeated pair only once)""")
def _confusion_matrix(answer):
    code = CodeAnswer(answer, "confusion_matrix")
    if (why := code.callable_or_explain()):
        return False, why
    rng = np.random.default_rng(4)
    true_labels = rng.integers(0, 10, size=200)
    predicted_labels = np.where(rng.random(200) < 0.7, true_labels, rng.integers(0, 10, size=200))
    predicted_labels[:3] = [9, 9, 9]  # 3 read as 9 more often than 9 read as 3: a transposed matrix differs
    true_labels[:3] = [3, 3, 3]
    expected = _confusion(true_labels, predicted_labels)
    result = code.run(true_labels.copy(), predicted_labels.copy())
    if code.error:
        return False, code.error + " (called with two arrays of 200 labels from 0 to 9)."
    if code.matches(result, expected):
        return True, ("Row i counts the test images of digit i, column j the answers j: the diagonal holds the correct answers, "
                      f"and the whole matrix sums to the {len(true_labels)} images.")
    if result.shape == ():
        return False, "confusion_matrix returned one value: does it `return` the matrix? (A body that is still `...` returns None.)"
    for why, slip in _CONFUSION_SLIPS.items():
        if code.matches(result, slip(true_labels, predicted_labels)):
            return False, why
    if result.shape != (10, 10):
        return False, f"It returns shape {result.shape}; with 10 digits the matrix is (10, 10), even if a digit never occurs."
    if result.sum() != len(true_labels):
        return False, (f"Its entries sum to {result.sum():g}, not to the {len(true_labels)} images: every image must be counted "
                       "exactly once, in the cell [true digit, predicted digit].")
    return False, "The shape and the total are right, some counts are not: cell [i, j] counts the images of digit i read as j."
