"""Lesson 01: reading an image as a sequence."""

from __future__ import annotations

import numpy as np

from rnn_helpers.exercises.core import (
    CodeAnswer,
    Refused,
    _,
    exercise,
    judge,
    judge_each,
    not_whole,
    number,
    number_or_not,
    whole_numbers,
)


def _sizes(answer, form: str) -> tuple[int, ...]:
    return whole_numbers(answer, form, _("sizes"))


@exercise("01.1")
def _column_reader_sizes(answer):
    if number_or_not(answer) == 640:
        return False, _("640 is the total; split it into time steps and the values that arrive at each step.")
    sizes = _sizes(answer, _("Give (time_steps, input_size) as a tuple such as (3, 4)"))
    return judge(sizes, (20, 32), _("One column per step: 20 steps of 32 values (a column has one pixel per row), 640 numbers in all."), [
        ((32, 20), _("That is reading row by row (32 rows of 20 pixels); the question reads columns.")),
        (lambda s: len(s) == 3, _("Give the two sizes of one image's sequence, (time_steps, input_size), without the samples axis.")),
    ], _("{sizes} is not it: how many columns are there, and how many pixels does one column hold?").format(sizes=sizes))


@exercise("01.2")
def _sequence_shape(answer):
    shape = _sizes(answer, _("Give the shape as a tuple such as (1, 2, 3)"))
    return judge(shape, (1000, 32, 20), _("(samples, time_steps, input_size) = (1000, 32, 20): 1,000 sequences of 32 rows of 20 pixels."), [
        ((1000, 640), _("That is a flat image per row; the RNN needs time as its own axis: (samples, time_steps, input_size).")),
        ((1000, 20, 32), _("That reads columns; row by row, the 32 rows are the time steps.")),
        ((32, 20), _("That is one image; the first axis counts the samples.")),
    ], _("{shape} is not it: which axis counts images, which rows, which pixels in a row?").format(shape=shape))


def _transpose_order(answer) -> tuple[int, ...]:
    """``answer`` as np.transpose reads it for a 3-D array: negative axes counted from the end; refused if np.transpose would raise."""
    axes = whole_numbers(answer, _("Give the axes as a tuple for np.transpose, such as (0, 1, 2)"), _("axes"))
    if len(axes) != 3:
        raise Refused(_("x_train has three axes, (samples, rows, columns): give an order of all three, such as (0, 1, 2), "
                        "not {axes}.").format(axes=axes))
    if not all(-3 <= axis < 3 for axis in axes):
        raise Refused(_("{axes} names an axis x_train does not have: its axes are 0, 1 and 2 (or, counted from the end, -3, -2 and "
                        "-1).").format(axes=axes))
    order = tuple(axis % 3 for axis in axes)
    if len(set(order)) != 3:
        raise Refused(_("{axes} names the same axis twice ({order} counted from 0): np.transpose takes each axis exactly once "
                        "and raises 'repeated axis in transpose'.").format(axes=axes, order=order))
    return order


@exercise("01.3")
def _column_order(answer):
    order = _transpose_order(answer)
    return judge(order, (0, 2, 1), _("Swapping axes 1 and 2 makes column c the input at time step c; the samples stay on axis 0. "
                                     "(Negative axes count from the end: (0, -1, -2) is the same order.)"), [
        ((0, 1, 2), _("That leaves the data unchanged: it still reads rows.")),
        (lambda o: o[0] != 0, _("Axis 0 counts the samples and must stay first; swap the other two.")),
    ])


def _training_ink_by_row() -> np.ndarray:
    """Ink per row summed over the training set, as whole numbers (no float copy of the images)."""
    from rnn_helpers.data import load_mnist

    return load_mnist(verbose=False).x_train.sum(axis=(0, 2), dtype=np.int64)


def _first_row_reaching(ink_by_row: np.ndarray, share: float) -> int:
    """How many rows, counted from the top, hold ``share`` of the ink: the first position of the running total that reaches it, plus 1."""
    running = np.cumsum(ink_by_row)
    return int(np.searchsorted(running, share * running[-1])) + 1


@exercise("01.4")
def _rows_for_most_of_the_ink(answer):
    rows = number(answer, _("a whole number"))
    ink = _training_ink_by_row()
    expected = _first_row_reaching(ink, 0.9)
    return judge(rows, expected, _("After {rows} of 28 rows the network has seen 90% of the training set's ink: the last {rest} rows "
                                   "hold only a tenth of it.").format(rows=expected, rest=28 - expected), [
        (lambda r: 0 < r < 1, _("The question asks for a number of rows, not a share.")),
        (lambda r: not float(r).is_integer(), not_whole(rows, _("numbers of rows"))),
        (expected - 1, _("Off by one: np.argmax gives a position counted from 0, but the question counts rows read.")),
        (_first_row_reaching(ink, 0.5), _("That is where half the ink is seen; the question asks for 90%.")),
    ], _("{rows} is not it: sum the ink of each row over all images, then find where the running total passes 90%.").format(rows=rows))


def _ink_images() -> np.ndarray:
    """Random uint8 images whose shares of ink differ from image to image (one has heavy ink at the bottom)."""
    rng = np.random.default_rng(1)
    images = (rng.random((40, 28, 28)) < 0.3) * rng.integers(1, 256, (40, 28, 28))
    images = images.astype(np.uint8)
    images[0, 20:] = 255
    return images


def _ink_share(images: np.ndarray, rows: slice, axis: int = 1) -> float:
    """The share of all the ink that lies in ``rows`` along ``axis`` (1: rows, 2: columns), summed as int64."""
    index = [slice(None)] * 3
    index[axis] = rows
    return images[tuple(index)].sum(dtype=np.int64) / images.sum(dtype=np.int64)


def _ink_slips(images: np.ndarray, t: int) -> list:
    """What the usual mistakes give for ``t``, with what each one shows."""
    per_image = images.sum(axis=(1, 2))
    return [
        (_ink_share(images, slice(min(t + 1, 28))),
         _("Off by one: after t rows the network has read rows 1..t, which are images[:, :t] (not :t + 1).")),
        (_ink_share(images, slice(t - 1)), _("Off by one: images[:, :t] holds the first t rows; you used one row fewer.")),
        (_ink_share(images, slice(t), axis=2), _("You summed the first t columns (images[:, :, :t]); the network reads rows, axis 1.")),
        (np.count_nonzero(images[:, :t]) / np.count_nonzero(images),
         _("You counted inked pixels; the question asks for the share of the ink, the sum of the pixel values.")),
        (_ink_share(images, slice(1, t + 1)),
         _("Rows 1..t are images[:, :t]: Python counts from 0, so images[:, 1:t + 1] skips row 1 and adds row t + 1.")),
        (images[:t].sum(dtype=np.int64) / per_image.sum(),
         _("images[:t] takes the first t images, not rows; rows are axis 1: images[:, :t].")),
        (np.mean(images[:, :t].sum(axis=(1, 2)) / per_image),
         _("You averaged each image's own share; the question asks for the share of all the ink of all the images.")),
        (100 * _ink_share(images, slice(t)), _("That is a percentage; return the share itself, a number from 0 to 1.")),
    ]


@exercise("01.5")
def _ink_seen_after(answer):
    code = CodeAnswer(answer, "ink_seen_after")
    images = _ink_images()

    def judge_t(t):
        result = code.one_number(code.run(images.copy(), t, context=_("(Called with images of shape {shape}, t={t}.)").format(
            shape=images.shape, t=t)), hint=_("The share of all the ink is one number."))
        expected = _ink_share(images, slice(t))
        return judge(result, expected, "", _ink_slips(images, t), _(
            "For t={t} it gives {result}, expected {expected:.6f}: the sum of rows 1..t over the sum of all rows.").format(
            t=t, result=result, expected=expected), same=lambda r, e: CodeAnswer.matches(np.asarray(r), e))

    return judge_each((7, 14, 27, 28, 1), judge_t, _("It gives the share of the ink in the first t rows, for every t the checker tried."))
