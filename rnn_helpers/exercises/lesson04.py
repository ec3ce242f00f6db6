"""Lesson 04: training and evaluation."""

from __future__ import annotations

from rnn_helpers.exercises.core import _choice, _number_or_explain, exercise


@exercise("04.1")
def _steps_per_epoch(answer):
    if (why := _number_or_explain(answer)):
        return False, why
    if answer == 938:
        return True, "60,000 / 64 = 937.5, and the last, smaller batch is a step too: 938."
    if answer in (937, 937.5):
        return False, "The 32 images left over form one more, smaller batch: round up."
    if answer == 60000:
        return False, "That counts images; the optimizer takes one step per batch of 64."
    return False, f"{answer} is not it: divide the number of images by the batch size."


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
