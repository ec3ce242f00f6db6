"""Lesson 04: training and evaluation."""

from __future__ import annotations

from rnn_helpers.exercises.core import _choice, _number_or_explain, exercise


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
        "overfitting": "A large gap between training and test accuracy, with the test loss rising, is overfitting.",
        "underfitting": "Underfitting shows as training and test curves close together and both poor; here they have come apart.",
    }, "overfitting")


@exercise("04.3")
def _confusion_row(answer):
    return _choice(answer, {
        "test images of a 3": "Each row is one true digit, so its sum is how many test images show a 3.",
        "predictions of 3": "That is the sum of column 3: the columns are the predictions.",
        "correct predictions": "The correct predictions are the diagonal, one cell per row.",
    }, "test images of a 3")
