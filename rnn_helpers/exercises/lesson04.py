"""Lesson 04: training and evaluation."""

from __future__ import annotations

import numpy as np

from rnn_helpers.exercises.core import CodeAnswer, Refused, _, choice, exercise, judge, number, sentences, shorten
from rnn_helpers.i18n import pgettext


def _not_whole_steps(steps) -> str:
    rounding = _(" 55,000 / 128 = 429.7 must be rounded: up, since the images left over make one more, smaller batch.")
    return _("Steps are whole: the optimizer takes one step per batch, and a batch is taken or not.{rounding}").format(
        rounding=rounding if 429 < steps < 430 else "")


@exercise("04.1")
def _steps_per_epoch(answer):
    steps = number(answer, _("a whole number"))
    return judge(steps, 430, _("55,000 / 128 = 429.7: 429 full batches of 128, and the 88 images left over make one more, smaller "
                               "batch. That is a step too: 430."), [
        (lambda s: not float(s).is_integer(), _not_whole_steps(steps)),
        (429, _("429 full batches of 128 leave 88 images; they form one last, smaller batch, and that is a step too: round up.")),
        (lambda s: s in (469, 468), _("That is for all 60,000 training images; the lesson trains on the first 55,000 and keeps the "
                                      "last 5,000 for validation. Divide 55,000 by 128.")),
        (lambda s: s in (860, 859), _("That is for batch size 64; the question uses batches of 128.")),
        (lambda s: s in (55000, 60000), _("That counts images; the optimizer takes one step per batch of 128.")),
    ], _("{steps} is not it: divide the number of training images by the batch size, and count the last, smaller batch.").format(
        steps=steps))


@exercise("04.2")
def _over_or_under(answer):
    return choice(answer, {
        "overfitting": _("A large gap between training and validation accuracy, with the validation loss rising, is overfitting."),
        "underfitting": _("Underfitting shows as training and validation curves close together and both poor; here they have "
                          "come apart."),
    }, "overfitting")


@exercise("04.3")
def _confusion_column(answer):
    return choice(answer, {
        "predictions of 3": _("Each column is one answer of the model, so its sum is how often it answered 3, right or wrong "
                              "(the row sums count the images of each digit)."),
        "test images of a 3": _("That is the sum of row 3: the rows are the true digits, the columns the model's answers."),
        "correct predictions": _("The correct predictions are the diagonal, one cell per column."),
    }, "predictions of 3")


def _confusion(true_labels, predicted_labels, classes=10):
    counts = np.zeros((classes, classes), dtype=int)
    np.add.at(counts, (true_labels, predicted_labels), 1)
    return counts


# Wrong confusion matrices students write, with what to fix; each is computed on the checker's own labels.
_CONFUSION_SLIPS = {
    _("Rows and columns are swapped: row i must be the TRUE digit i, column j the PREDICTED digit j (counts[true, predicted])."):
        lambda t, p: _confusion(t, p).T,
    _("Each row is divided by its sum: that is per-class accuracy and error rates; the exercise asks for counts."):
        lambda t, p: _confusion(t, p) / np.maximum(_confusion(t, p).sum(axis=1, keepdims=True), 1),
    _("It is divided by the number of images: the exercise asks for counts, not shares."):
        lambda t, p: _confusion(t, p) / len(t),
    _("Only the diagonal is filled: the mistakes (true != predicted) must be counted in their cells too."):
        lambda t, p: np.diag(np.diag(_confusion(t, p))),
    _("No cell holds more than 1: `counts[t, p] = 1`, or `counts[true_labels, predicted_labels] += 1` with whole arrays (NumPy "
      "then adds once per distinct pair), marks cells instead of counting. Add 1 per image in a loop, or use np.add.at."):
        lambda t, p: (_confusion(t, p) > 0).astype(int),
}


def _labels_without_a_nine(size: int = 200):
    """True and predicted digits in which 9 never occurs, and 3 is read as 8 more often than 8 as 3.

    A missing digit shows a matrix sized from the labels that occur; the
    asymmetry shows a transposed one.
    """
    rng = np.random.default_rng(4)
    true_labels = rng.integers(0, 9, size=size)
    predicted_labels = np.where(rng.random(size) < 0.7, true_labels, rng.integers(0, 9, size=size))
    true_labels[:3], predicted_labels[:3] = 3, 8
    return true_labels, predicted_labels


@exercise("04.4")
def _confusion_matrix(answer):
    code = CodeAnswer(answer, "confusion_matrix")
    true_labels, predicted_labels = _labels_without_a_nine()
    expected = _confusion(true_labels, predicted_labels)
    result = code.run(true_labels.copy(), predicted_labels.copy(), context=_(
        "(Called with two arrays of {size} labels from 0 to 8: no image here is a 9.)").format(size=len(true_labels)))
    return judge(result, expected, _("Row i counts the images of digit i, column j the answers j: the diagonal holds the correct "
                                     "answers, and the whole matrix sums to the {size} images.").format(size=len(true_labels)), [
        (lambda r: r.shape == (), _("confusion_matrix returned one number; return the whole (10, 10) matrix of counts.")),
        *((slip(true_labels, predicted_labels), why) for why, slip in _CONFUSION_SLIPS.items()),
        (lambda r: r.shape == (9, 9), _("It returns shape (9, 9): sized from the digits that occur (no image here is a 9). There are "
                                        "10 digits, so the matrix is (10, 10) even if a digit never occurs: np.zeros((10, 10)). "
                                        "(scikit-learn's confusion_matrix needs labels=range(10) for that.)")),
        (lambda r: r.shape != (10, 10), _("It returns shape {shape}; with 10 digits the matrix is (10, 10), even if a digit never "
                                          "occurs.").format(shape=result.shape)),
        (lambda r: r.sum() != len(true_labels), _(
            "Its entries sum to {total:g}, not to the {size} images: every image must be counted exactly once, in the cell "
            "[true digit, predicted digit].").format(total=result.sum(), size=len(true_labels))),
    ], _("The shape and the total are right, some counts are not: cell [i, j] counts the images of digit i read as j."),
        same=CodeAnswer.matches)


def _history(value, which: str) -> dict:
    """A training history as the checker reads it: Keras's dict of per-epoch lists (or a Run or History holding one)."""
    value = getattr(value, "history", value)  # a Run or a keras History object: its dict
    if not isinstance(value, dict) or not isinstance(value.get("val_accuracy"), (list, tuple)) or not value["val_accuracy"]:
        raise Refused(_("The {which} item should be a training history: run.history, the dict of per-epoch lists (with "
                        "\"val_accuracy\") in the Run that training.fit returns, not {value}.").format(which=which, value=shorten(value)))
    return value


def _last(history: dict, key: str) -> float:
    return float(history[key][-1])


@exercise("04.5")
def _learning_rate_experiment(answer):
    form = _("Answer with three things in a tuple: (your 3e-3 run's history, fast_runs[0].history, \"higher\" or \"lower\").")
    if not isinstance(answer, (tuple, list)) or len(answer) != 3:
        raise Refused(form)
    mine, theirs = _history(answer[0], _("first")), _history(answer[1], _("second"))
    if mine is theirs or mine == theirs:
        raise Refused(_("Both histories are the same run: the first should be your run at 3e-3, the second the 1e-3 run of section 3 "
                        "with the same seed, fast_runs[0].history."))
    if len(mine["val_accuracy"]) != len(theirs["val_accuracy"]):
        raise Refused(_("Your run trained {mine} epochs and the 1e-3 run {theirs}: compare after the same number of epochs "
                        "(epochs=tutorial_epochs, as in section 3).").format(mine=len(mine["val_accuracy"]),
                                                                             theirs=len(theirs["val_accuracy"])))
    ours, reference = _last(mine, "val_accuracy"), _last(theirs, "val_accuracy")
    facts = _("After the last epoch your run at 3e-3 reached {ours:.4f} validation accuracy, the 1e-3 run {reference:.4f}.").format(
        ours=ours, reference=reference)
    right = "higher" if ours > reference else "lower"
    reading_is_right, _unused = choice(answer[2], {"higher": "", "lower": ""}, right)  # refuses anything but the two readings
    if reading_is_right or ours == reference:
        why = (_("Three times larger steps took the weights further in the same number of steps. If both curves still rise at the "
                 "last epoch, with training and validation close together, the model is still underfitting, and the learning "
                 "rate was still what held it back.") if right == "higher" else
               _("Larger steps did not help here: look for a loss that falls less, or rises, from one epoch to the next, the mark of "
                 "steps that overshoot."))
        return True, sentences(facts, why)
    if "accuracy" in mine and "accuracy" in theirs and (_last(mine, "accuracy") > _last(theirs, "accuracy")) == (right == "lower"):
        return False, sentences(facts, _("That is what the training accuracy says; the question asks about the validation "
                                         "accuracy, \"val_accuracy\" in the history."))
    return False, sentences(facts, _("Read the last value of \"val_accuracy\" in each history: yours is {right}.").format(
        right=pgettext("choice", right)))
