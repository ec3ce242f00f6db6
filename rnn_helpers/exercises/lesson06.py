"""Lesson 06: reading row by row."""

from __future__ import annotations

import numpy as np

from rnn_helpers.exercises.core import CodeAnswer, Refused, _, choice, exercise, judge, pgettext, shorten, typed_option, whole_numbers


@exercise("06.1")
def _reader_output_shape(answer):
    shape = whole_numbers(answer, _("Give the shape as a tuple such as (1, 2, 3)"), _("sizes"))
    return judge(shape, (32, 10, 10), _(
        "(samples, time steps, classes) = (32, 10, 10): ten probabilities after each of the 10 rows it was given, for each of the 32 "
        "images. The reader has no 28 built in: it answers once per step it reads."), [
        ((32, 28, 10), _("The reader answers after every step it is given, and it was given 10 rows, not 28: the number of steps "
                         "comes from the input, x[:32, :10].")),
        ((32, 10), _("One answer per step is not one number: each of the 10 steps gives probabilities for the 10 classes. Keep an "
                     "axis for the samples, one for the steps and one for the classes.")),
        ((10, 32, 10), _("Keras keeps the samples first: (samples, time steps, classes).")),
        (lambda s: len(s) == 3 and s[:2] == (32, 10), _("The last axis holds the classifier's output: one probability per class, 10 "
                                                         "of them.")),
    ], _("{shape} is not it: the classifier is applied to the state after each of the steps the reader is given.").format(shape=shape))


@exercise("06.2")
def _bottom_up_rows(answer):
    rows = sorted(whole_numbers(answer, _("Give the rows as a list of numbers such as [1, 2, 3]"), _("row numbers"), ordered=False))
    return judge(rows, [24, 25, 26, 27, 28], _("Rows 28, 27, 26, 25 and 24, in that order: x[:, ::-1] starts with the last row."), [
        ([23, 24, 25, 26, 27], _("Rows are counted from 1 here, row 1 at the top and row 28 at the bottom: those look like 0-based "
                                 "indices. Indices 27 down to 23 are rows 28 down to 24.")),
        ([1, 2, 3, 4, 5], _("Those are the top rows, what the top-down reader has seen; reversed, step 1 is row 28.")),
        ([0, 1, 2, 3, 4], _("Those are the top rows, counted from 0: what the top-down reader has seen. Reversed, step 1 is row 28, "
                            "and rows are counted from 1 here.")),
        (lambda r: len(r) != 5, _("Count again: 5 steps are 5 rows, ending with row 28 at step 1.")),
    ], _("{rows} is not it: the bottom-up reader starts at row 28 and reads one row per step.").format(rows=rows))


@exercise("06.3")
def _within_the_spread(answer):
    return choice(answer, {
        "cannot tell": _("0.950 lies inside the 0.947-0.952 range of the first model's own seeds; one run cannot rank them."),
        "better": _("It beats one of the first model's runs and loses to the other: the difference is inside the seed spread."),
        "worse": _("It beats one of the first model's runs: the difference is inside the seed spread."),
    }, "cannot tell")


def _right_to_left(x):
    """The columns from the right, each one a time step: a rotation of every image by 90 degrees, counter-clockwise."""
    return np.rot90(x, axes=(1, 2))


_ORDER_SLIPS = {
    _("The columns are read left to right: step 1 should be the rightmost column. Reverse the columns (x[:, :, ::-1]) "
      "as well as transposing."): lambda x: x.transpose(0, 2, 1),
    _("That reads the rows bottom-up, one row per step: each step must be a column. Reverse the columns, x[:, :, ::-1], "
      "then transpose so that a column is one step: .transpose(0, 2, 1)."): lambda x: x[:, ::-1],
    _("Each column is read bottom to top (and the columns left to right): after the transpose the last axis holds the pixels of "
      "one step, so reversing it turns each column upside down. Reverse the steps instead, axis 1 after the transpose, or the "
      "columns before it, x[:, :, ::-1]."):
        lambda x: x.transpose(0, 2, 1)[:, :, ::-1],
    _("The columns run right to left, but each column is read bottom to top: reverse only the columns, x[:, :, ::-1], "
      "not the rows too."): lambda x: x[:, ::-1, ::-1].transpose(0, 2, 1),
    _("The columns are reversed but each step is still a row: transpose so that a column is one step, .transpose(0, 2, 1)."):
        lambda x: x[:, :, ::-1],
}


@exercise("06.4")
def _reorder_right_to_left(answer):
    code = CodeAnswer(answer, "reorder_right_to_left")
    x = np.random.default_rng(7).permutation(2 * 5 * 7).reshape(2, 5, 7)  # not square: rows and columns cannot be confused
    expected = _right_to_left(x)
    result = code.run(x.copy(), context=_("(Called with x of shape (samples, rows, columns) = {shape}.)").format(shape=x.shape))
    return judge(result, expected, _("Step 1 is the rightmost column, read top to bottom; the sequence has shape (samples, columns, "
                                     "rows) = {shape}.").format(shape=expected.shape), [
        *((slip(x), why) for why, slip in _ORDER_SLIPS.items()),
        (lambda r: r.shape != expected.shape, _(
            "For x of shape (samples, rows, columns) = {shape} it returns shape {returned}; a reader of columns gets (samples, "
            "columns, rows) = {expected}, with the samples still first.").format(shape=x.shape, returned=result.shape,
                                                                                 expected=expected.shape)),
    ], _("The shape is right, the order is not: step 1 must be the rightmost column, x[:, :, -1], top to bottom, then the column to "
         "its left, and so on."), same=CodeAnswer.matches)


# 06.5: an experiment. The runs are the student's own; the checker reads them again with the series' ranking rule.

def _accuracies(values, what: str) -> list[float]:
    """``values`` as a list of at least 2 validation accuracies, refused with what to give otherwise."""
    try:
        accuracies = [float(v) for v in values]
    except (TypeError, ValueError):
        raise Refused(_("{what} should be a list of validation accuracies, one per seed, not {value}.").format(
            what=what, value=shorten(values))) from None
    if len(accuracies) < 2 or not all(0.0 <= a <= 1.0 for a in accuracies):
        raise Refused(_("{what} should hold at least 2 validation accuracies between 0 and 1, one per seed (one run per arm ranks "
                        "nothing); got {value}.").format(what=what, value=shorten(values)))
    return accuracies


@exercise("06.5")
def _right_to_left_against_columns(answer):
    from rnn_helpers import runs

    if not isinstance(answer, (tuple, list)) or len(answer) != 3:
        raise Refused(_("Answer (mine, order_accuracy[\"columns\"], reading): your right-to-left reader's validation accuracies, "
                        "the column reader's, and \"above\", \"below\" or \"not ranked\"."))
    mine, columns = _accuracies(answer[0], _("mine")), _accuracies(answer[1], _("order_accuracy[\"columns\"]"))
    if len(mine) != len(columns):
        raise Refused(_("Pair your runs with the column reader's: one run per seed of `seeds`, {n} of them; you gave {m}.").format(
            n=len(columns), m=len(mine)))
    if mine == columns:
        raise Refused(_("mine are the column reader's own runs: train your right-to-left reader on each seed first."))
    reading = typed_option(answer[2], ("above", "below", "not ranked"))
    if reading is None:
        raise Refused(_("Read the comparison as \"above\", \"below\" or \"not ranked\", not {value}.").format(value=shorten(answer[2])))
    found = runs.compare(mine, columns)
    right = "not ranked" if not found.ranked else "above" if found.gap > 0 else "below"
    interval = _("right to left minus left to right: mean paired gap {gap:+.4f}, 95% interval {low:+.4f} to {high:+.4f} over {n} "
                 "seeds").format(gap=found.gap, low=found.low, high=found.high, n=found.runs)
    return judge(reading, right, _("{interval}, so {right}. Both readers see the same columns, in opposite directions.").format(
        interval=interval, right=pgettext("choice", right)), [
        ("not ranked", _("{interval}: the interval lies on one side of 0, so the runs rank them ({right}).").format(
            interval=interval, right=pgettext("choice", right))),
        (lambda r: right == "not ranked", _("{interval}: the interval includes 0, so they are not ranked, whatever the sign of the "
                                            "mean gap.").format(interval=interval)),
    ], _("{interval}: the interval lies on the other side of 0 (a higher accuracy is better).").format(interval=interval))
