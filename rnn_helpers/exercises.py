"""Checkers for the lessons' exercises: each says what a wrong answer got wrong.

In a notebook: ``exercises.check("01.1", answer)``. It prints a verdict and an
explanation and returns True when the answer is right.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

Checker = Callable[[object], tuple[bool, str]]
EXERCISES: dict[str, Checker] = {}


def exercise(exercise_id: str):
    """Register a checker under ``exercise_id`` ("LL.N")."""
    def register(checker: Checker) -> Checker:
        EXERCISES[exercise_id] = checker
        return checker
    return register


def check(exercise_id: str, answer) -> bool:
    """Print whether ``answer`` to exercise ``exercise_id`` is right, and why."""
    if exercise_id not in EXERCISES:
        raise KeyError(f"no exercise {exercise_id!r}; known: {', '.join(sorted(EXERCISES))}")
    if answer is None:
        print(f"Exercise {exercise_id}: not answered yet. Replace None with your answer and run the cell again.")
        return False
    ok, why = EXERCISES[exercise_id](answer)
    print(f"Exercise {exercise_id}: {'correct' if ok else 'not yet'}. {why}")
    return ok


def _is_number(answer) -> bool:
    return isinstance(answer, (int, float, np.integer, np.floating)) and not isinstance(answer, bool)


def _number_or_explain(answer, expected_kind: str = "a whole number"):
    if not _is_number(answer):
        return f"Give {expected_kind}, not {type(answer).__name__} {answer!r}."
    return None


# Lesson 01 ---------------------------------------------------------------------------

@exercise("01.1")
def _values_per_image(answer):
    if (why := _number_or_explain(answer)):
        return False, why
    if answer == 28 * 28:
        return True, "28 time steps x 28 values per step = 784, every pixel exactly once."
    if answer == 28:
        return False, "28 is the number of time steps (or the values in one step); multiply the two."
    if answer == 60000:
        return False, "60000 is the number of images; the question is about one image."
    return False, f"{answer} is not it: count the time steps and the values read at each step."


@exercise("01.2")
def _sequence_shape(answer):
    try:
        shape = tuple(int(n) for n in answer)
    except TypeError:
        return False, f"Give the shape as a tuple such as (1, 2, 3), not {answer!r}."
    if shape == (10000, 28, 28):
        return True, "(samples, time_steps, input_size) = (10000, 28, 28): the test set is 10,000 sequences."
    if shape == (10000, 784):
        return False, "That is a flat image per row; the RNN needs time as its own axis: (samples, time_steps, input_size)."
    if shape == (28, 28):
        return False, "That is one image; the first axis counts the samples."
    if shape[:1] == (60000,):
        return False, "60,000 is the training set; the question asks about x_test."
    return False, f"{shape} is not it: x_test holds 10,000 images of 28 rows by 28 pixels."


@exercise("01.3")
def _column_order(answer):
    try:
        axes = tuple(int(n) for n in answer)
    except TypeError:
        return False, f"Give the axes as a tuple for np.transpose, such as (0, 1, 2), not {answer!r}."
    if axes == (0, 2, 1):
        return True, "Swapping axes 1 and 2 makes column c the input at time step c; the samples stay on axis 0."
    if axes == (0, 1, 2):
        return False, "That leaves the data unchanged: it still reads rows."
    if len(axes) == 3 and axes[0] != 0:
        return False, "Axis 0 counts the samples and must stay first; swap the other two."
    return False, f"{axes} is not it: which two axes hold rows and columns?"


@exercise("01.4")
def _rows_for_half_the_ink(answer):
    from rnn_helpers.data import load_mnist

    if (why := _number_or_explain(answer)):
        return False, why
    x = load_mnist(verbose=False).x_train.astype(np.float64)
    ink_by_row = x.sum(axis=(0, 2))
    expected = int(np.argmax(np.cumsum(ink_by_row) >= ink_by_row.sum() / 2)) + 1
    if answer == expected:
        return True, (f"After {expected} of 28 rows the network has seen half the ink of the "
                      "training set: the digits sit in the middle, so the first rows carry little.")
    if answer == 14:
        return False, "14 would hold if ink were spread evenly; measure it: np.cumsum of the ink per row."
    if answer == expected - 1:
        return False, "Off by one: a row index starts at 0, but the question counts rows read."
    return False, f"{answer} is not it: sum the ink of each row over all images, then find where the running total passes half."
