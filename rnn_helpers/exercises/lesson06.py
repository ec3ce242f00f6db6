"""Lesson 06: reading row by row."""

from __future__ import annotations

from rnn_helpers.exercises.core import _as_tuple, _choice, exercise


@exercise("06.1")
def _reader_output_shape(answer):
    shape = _as_tuple(answer)
    if shape is None:
        return False, f"Give the shape as a tuple such as (1, 2, 3), not {answer!r}."
    if shape == (32, 28, 10):
        return True, "(samples, time steps, classes): ten probabilities after each of the 28 rows, for each of the 32 images."
    if shape == (32, 10):
        return False, "That is the original model's output, after the last row only; the reader answers after every row."
    if shape == (28, 32, 10):
        return False, "Keras keeps the samples first: (samples, time steps, classes)."
    if shape == (32, 28, 64) or (len(shape) == 3 and shape[:2] == (32, 28)):
        return False, "The last axis holds the classifier's output: one probability per class."
    return False, f"{shape} is not it: the classifier is applied to the state after each of the 28 steps."


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


@exercise("06.4")
def _longest_sequences(answer):
    return _choice(answer, {
        "pixels": "One pixel per step makes 784 steps: the first strokes must be carried over hundreds of steps.",
        "rows": "Rows give 28 steps of 28 values, the sequences of this lesson.",
        "columns": "Columns also give 28 steps of 28 values, as long as rows.",
    }, "pixels")
