"""Lesson 06: reading row by row."""

from __future__ import annotations

import numpy as np

from rnn_helpers.exercises.core import CodeAnswer, _as_tuple, _choice, exercise


@exercise("06.1")
def _reader_output_shape(answer):
    shape = _as_tuple(answer)
    if shape is None:
        return False, f"Give the shape as a tuple such as (1, 2, 3), not {answer!r}."
    if shape == (32, 10, 10):
        return True, ("(samples, time steps, classes) = (32, 10, 10): ten probabilities after each of the 10 rows it was given, "
                      "for each of the 32 images. The reader has no 28 built in: it answers once per step it reads.")
    if shape == (32, 28, 10):
        return False, ("The reader answers after every step it is given, and it was given 10 rows, not 28: the number of "
                       "steps comes from the input, x[:32, :10].")
    if shape == (32, 10):
        return False, ("One answer per step is not one number: each of the 10 steps gives probabilities for the 10 classes. "
                       "Keep an axis for the samples, one for the steps and one for the classes.")
    if shape == (10, 32, 10):
        return False, "Keras keeps the samples first: (samples, time steps, classes)."
    if len(shape) == 3 and shape[:2] == (32, 10):
        return False, "The last axis holds the classifier's output: one probability per class, 10 of them."
    return False, f"{shape} is not it: the classifier is applied to the state after each of the steps the reader is given."


@exercise("06.2")
def _bottom_up_rows(answer):
    rows = _as_tuple(answer)
    if rows is None:
        return False, f"Give the rows as a list of numbers such as [1, 2, 3], not {answer!r}."
    if sorted(rows) == [24, 25, 26, 27, 28]:
        return True, "Rows 28, 27, 26, 25 and 24, in that order: x[:, ::-1] starts with the last row."
    if sorted(rows) == [1, 2, 3, 4, 5]:
        return False, "Those are the top rows, what the top-down reader has seen; reversed, step 1 is row 28."
    if sorted(rows) == [23, 24, 25, 26, 27, 28] or sorted(rows) == [23, 24, 25, 26, 27]:
        return False, "Count again: 5 steps are 5 rows, ending with row 28 at step 1."
    return False, f"{list(rows)} is not it: the bottom-up reader starts at row 28 and reads one row per step."


@exercise("06.3")
def _within_the_spread(answer):
    return _choice(answer, {
        "cannot tell": "0.950 lies inside the 0.947-0.952 range of the first model's own seeds; one run cannot rank them.",
        "better": "It beats one of the first model's runs and loses to the other: the difference is inside the seed spread.",
        "worse": "It beats one of the first model's runs: the difference is inside the seed spread.",
    }, "cannot tell")


def _right_to_left(x):
    return x[:, :, ::-1].transpose(0, 2, 1)


_ORDER_SLIPS = {
    "The columns are read left to right: step 1 should be the rightmost column. Reverse the columns (x[:, :, ::-1]) "
    "as well as transposing.": lambda x: x.transpose(0, 2, 1),
    "That reads the rows bottom-up, one row per step: each step must be a column. Reverse the columns, x[:, :, ::-1], "
    "then transpose so that a column is one step: .transpose(0, 2, 1).": lambda x: x[:, ::-1],
    "Each column is read bottom to top (and the columns left to right): after the transpose the last axis holds the pixels of "
    "one step, so reversing it turns each column upside down. Reverse the steps instead, axis 1 after the transpose, or the "
    "columns before it, x[:, :, ::-1].":
        lambda x: x.transpose(0, 2, 1)[:, :, ::-1],
    "The columns run right to left, but each column is read bottom to top: reverse only the columns, x[:, :, ::-1], "
    "not the rows too.": lambda x: x[:, ::-1, ::-1].transpose(0, 2, 1),
    "The columns are reversed but each step is still a row: transpose so that a column is one step, .transpose(0, 2, 1).":
        lambda x: x[:, :, ::-1],
}


@exercise("06.4", solution="""
def reorder_right_to_left(x):
    columns = x[:, :, ::-1]               # the rightmost column first; each column still top to bottom
    return columns.transpose(0, 2, 1)     # (samples, columns, rows): column c is the input at step c""")
def _reorder_right_to_left(answer):
    code = CodeAnswer(answer, "reorder_right_to_left")
    if (why := code.callable_or_explain()):
        return False, why
    x = np.random.default_rng(7).permutation(2 * 5 * 7).reshape(2, 5, 7)  # not square: rows and columns cannot be confused
    expected = _right_to_left(x)
    result = code.run(x.copy())
    if code.error:
        return False, code.error + f" (called with x of shape (samples, rows, columns) = {x.shape})."
    if code.matches(result, expected):
        return True, ("Step 1 is the rightmost column, read top to bottom; the sequence has shape (samples, columns, rows) = "
                      f"{expected.shape}.")
    for why, slip in _ORDER_SLIPS.items():
        if code.matches(result, slip(x)):
            return False, why
    if result.shape != expected.shape:
        return False, (f"For x of shape (samples, rows, columns) = {x.shape} it returns shape {result.shape}; a reader of "
                       f"columns gets (samples, columns, rows) = {expected.shape}, with the samples still first.")
    return False, ("The shape is right, the order is not: step 1 must be the rightmost column, x[:, :, -1], top to bottom, "
                   "then the column to its left, and so on.")
