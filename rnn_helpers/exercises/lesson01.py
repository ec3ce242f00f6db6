"""Lesson 01: reading an image as a sequence."""

from __future__ import annotations

import numpy as np

from rnn_helpers.exercises.core import CodeAnswer, _as_tuple, _is_number, _number_or_explain, exercise


@exercise("01.1", solution="""
Read column by column, one column arrives per time step: 20 columns make 20 time steps, and each column holds one pixel per row,
32 values. (time_steps, input_size) = (20, 32); the network still reads 20 * 32 = 640 numbers per image.""")
def _column_reader_sizes(answer):
    if _is_number(answer) and answer == 640:
        return False, "640 is the total; split it into time steps and the values that arrive at each step."
    sizes = _as_tuple(answer)
    if sizes is None:
        return False, f"Give (time_steps, input_size) as a tuple such as (3, 4), not {answer!r}."
    if sizes == (20, 32):
        return True, "One column per step: 20 steps of 32 values (a column has one pixel per row), 640 numbers in all."
    if sizes == (32, 20):
        return False, "That is reading row by row (32 rows of 20 pixels); the question reads columns."
    if len(sizes) == 3:
        return False, "Give the two sizes of one image's sequence, (time_steps, input_size), without the samples axis."
    return False, f"{sizes} is not it: how many columns are there, and how many pixels does one column hold?"


@exercise("01.2", solution="""
(samples, time_steps, input_size): 1,000 images, one row per time step (32 rows), 20 pixels per row: (1000, 32, 20).""")
def _sequence_shape(answer):
    shape = _as_tuple(answer)
    if shape is None:
        return False, f"Give the shape as a tuple such as (1, 2, 3), not {answer!r}."
    if shape == (1000, 32, 20):
        return True, "(samples, time_steps, input_size) = (1000, 32, 20): 1,000 sequences of 32 rows of 20 pixels."
    if shape == (1000, 640):
        return False, "That is a flat image per row; the RNN needs time as its own axis: (samples, time_steps, input_size)."
    if shape == (1000, 20, 32):
        return False, "That reads columns; row by row, the 32 rows are the time steps."
    if shape == (32, 20):
        return False, "That is one image; the first axis counts the samples."
    return False, f"{shape} is not it: which axis counts images, which rows, which pixels in a row?"


@exercise("01.3")
def _column_order(answer):
    axes = _as_tuple(answer)
    if axes is None:
        return False, f"Give the axes as a tuple for np.transpose, such as (0, 1, 2), not {answer!r}."
    if axes == (0, 2, 1):
        return True, "Swapping axes 1 and 2 makes column c the input at time step c; the samples stay on axis 0."
    if axes == (0, 1, 2):
        return False, "That leaves the data unchanged: it still reads rows."
    if len(axes) == 3 and axes[0] != 0:
        return False, "Axis 0 counts the samples and must stay first; swap the other two."
    return False, f"{axes} is not it: which two axes hold rows and columns?"


def _training_ink_by_row() -> np.ndarray:
    """Ink per row summed over the training set, as whole numbers (no float copy of the images)."""
    from rnn_helpers.data import load_mnist

    return load_mnist(verbose=False).x_train.sum(axis=(0, 2), dtype=np.int64)


@exercise("01.4", solution="""
ink_by_row = x_train.sum(axis=(0, 2), dtype=np.int64)   # ink of each row, over all training images
seen = np.cumsum(ink_by_row) / ink_by_row.sum()          # share seen after 1, 2, ..., 28 rows
rows = int(np.argmax(seen >= 0.9)) + 1                   # first position reaching 90%, counted from 1: 22""")
def _rows_for_most_of_the_ink(answer):
    if (why := _number_or_explain(answer)):
        return False, why
    seen = np.cumsum(_training_ink_by_row())
    expected = int(np.argmax(seen >= 0.9 * seen[-1])) + 1
    if answer == expected:
        return True, (f"After {expected} of 28 rows the network has seen 90% of the training set's ink: "
                      f"the last {28 - expected} rows hold only a tenth of it.")
    if answer == expected - 1:
        return False, "Off by one: np.argmax gives a position counted from 0, but the question counts rows read."
    if answer == int(np.argmax(seen >= 0.5 * seen[-1])) + 1:
        return False, "That is where half the ink is seen; the question asks for 90%."
    if 0 < answer < 1:
        return False, "The question asks for a number of rows, not a share."
    return False, f"{answer} is not it: sum the ink of each row over all images, then find where the running total passes 90%."


@exercise("01.5", solution="""
def ink_seen_after(images, t):
    ink = images.sum(dtype=np.int64)                       # all the ink (int64: no overflow, no float copy)
    return images[:, :t].sum(dtype=np.int64) / ink         # rows 1..t are images[:, :t]""")
def _ink_seen_after(answer):
    code = CodeAnswer(answer, "ink_seen_after")
    if (why := code.callable_or_explain()):
        return False, why
    rng = np.random.default_rng(1)
    images = (rng.random((40, 28, 28)) < 0.3) * rng.integers(1, 256, (40, 28, 28))
    images = images.astype(np.uint8)
    images[0, 20:] = 255  # one image with heavy ink at the bottom: shares differ from image to image

    def share(rows):
        return images[:, :rows].sum(dtype=np.int64) / images.sum(dtype=np.int64)

    mistakes = {
        "Off by one: after t rows the network has read rows 1..t, which are images[:, :t] (not :t + 1).":
            lambda t: share(min(t + 1, 28)),
        "Off by one: images[:, :t] holds the first t rows; you used one row fewer.": lambda t: share(t - 1),
        "You summed the first t columns (images[:, :, :t]); the network reads rows, axis 1.":
            lambda t: images[:, :, :t].sum(dtype=np.int64) / images.sum(dtype=np.int64),
        "You counted inked pixels; the question asks for the share of the ink, the sum of the pixel values.":
            lambda t: np.count_nonzero(images[:, :t]) / np.count_nonzero(images),
        "Rows 1..t are images[:, :t]: Python counts from 0, so images[:, 1:t + 1] skips row 1 and adds row t + 1.":
            lambda t: images[:, 1:t + 1].sum(dtype=np.int64) / images.sum(dtype=np.int64),
        "images[:t] takes the first t images, not rows; rows are axis 1: images[:, :t].":
            lambda t: images[:t].sum(dtype=np.int64) / images.sum(dtype=np.int64),
        "You averaged each image's own share; the question asks for the share of all the ink of all the images.":
            lambda t: np.mean(images[:, :t].sum(axis=(1, 2)) / images.sum(axis=(1, 2))),
    }
    for t in (7, 14, 27, 28, 1):
        result = code.run(images, t)
        if code.error:
            return False, code.error + f" (called with images of shape {images.shape}, t={t})."
        if (why := code.one_number_or_explain(result, "ink_seen_after")):
            return False, why + " The share of all the ink is one number."
        if code.matches(result, share(t)):
            continue
        for why, mistake in mistakes.items():
            if code.matches(result, mistake(t)):
                return False, why
        return False, f"For t={t} it gives {result}, expected {share(t):.6f}: the sum of rows 1..t over the sum of all rows."
    return True, "It gives the share of the ink in the first t rows, for every t the checker tried."
