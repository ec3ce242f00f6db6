"""Checkers for the lessons' exercises: each says what a wrong answer got wrong.

In a notebook: ``exercises.check("01.1", answer)``. It prints a verdict and an
explanation; ``is_correct`` gives the verdict alone, for code.
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


def verdict(exercise_id: str, answer) -> tuple[bool, str]:
    """(right?, explanation) for ``answer`` to exercise ``exercise_id``."""
    if exercise_id not in EXERCISES:
        raise KeyError(f"no exercise {exercise_id!r}; known: {', '.join(sorted(EXERCISES))}")
    if answer is None:
        return False, "not answered yet. Replace None with your answer and run the cell again."
    ok, why = EXERCISES[exercise_id](answer)
    return ok, f"{'correct' if ok else 'not yet'}. {why}"


def is_correct(exercise_id: str, answer) -> bool:
    """True when ``answer`` to exercise ``exercise_id`` is right."""
    return verdict(exercise_id, answer)[0]


def check(exercise_id: str, answer) -> None:
    """Print whether ``answer`` to exercise ``exercise_id`` is right, and why."""
    print(f"Exercise {exercise_id}: {verdict(exercise_id, answer)[1]}")


def _is_number(answer) -> bool:
    return isinstance(answer, (int, float, np.integer, np.floating)) and not isinstance(answer, bool)


def _as_tuple(answer) -> tuple[int, ...] | None:
    """``answer`` as a tuple of ints (a shape or an axes order), or None if it is not one."""
    try:
        return tuple(int(n) for n in answer)
    except (TypeError, ValueError):
        return None


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
    shape = _as_tuple(answer)
    if shape is None:
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


# Lesson 02 ---------------------------------------------------------------------------

def _count_exercise(answer, expected: int, wrong: dict[int, str], what: str):
    if (why := _number_or_explain(answer)):
        return False, why
    if answer == expected:
        return True, f"{what} = {expected}."
    return False, wrong.get(int(answer), f"{answer} is not it: write out the kernel, recurrent kernel and bias, and add them.")


@exercise("02.1")
def _simple_rnn_64(answer):
    u, n = 64, 28
    return _count_exercise(answer, n * u + u * u + u, {
        n * u + u * u: "You left out the bias: one per unit.",
        n * u + u: "You left out the recurrent kernel (u x u): each unit reads every unit's previous state "
                   "(without it, this would be a Dense layer's count).",
        n * u + u * u + u + u * 10 + 10: "That includes a Dense(10) layer; the question asks for the SimpleRNN alone.",
    }, f"{n}*{u} + {u}*{u} + {u}")


@exercise("02.2")
def _lstm_32(answer):
    u, n = 32, 28
    block = n * u + u * u + u
    return _count_exercise(answer, 4 * block, {
        block: "That is one block, a SimpleRNN; an LSTM has four (input, forget and output gates and the candidate).",
        3 * block: "Three blocks is a GRU; an LSTM has four.",
        4 * (n * u + u * u): "You left out the biases: 4 * u of them.",
    }, f"4 * ({n}*{u} + {u}*{u} + {u})")


@exercise("02.3")
def _gru_16(answer):
    u, n = 16, 28
    block = n * u + u * u + u
    return _count_exercise(answer, 3 * block + 3 * u, {
        3 * block: "Almost: with reset_after=True a GRU has a second bias of 3u for its recurrent part.",
        4 * block: "Four blocks is an LSTM; a GRU has three, plus the second bias.",
        block: "That is one block; a GRU has three (update, reset, candidate) plus a second bias of 3u.",
    }, f"3 * ({n}*{u} + {u}*{u} + {u}) + 3*{u}")


@exercise("02.4")
def _kernel_uses(answer):
    if (why := _number_or_explain(answer)):
        return False, why
    if answer == 28:
        return True, "Once per time step: the same W is reused for all 28 rows, which is why the count does not grow with time_steps."
    if answer == 1:
        return False, "W is stored once, but it is used again at every time step."
    if answer in (10, 20, 30):
        return False, "That is the number of units; count the time steps instead."
    return False, f"{answer} is not it: one row arrives per time step."


# Lesson 03 ---------------------------------------------------------------------------

@exercise("03.1")
def _stacked_shape(answer):
    shape = _as_tuple(answer)
    if shape is None:
        return False, f"Give the shape as a tuple such as (3, 4), not {answer!r}."
    if shape == (60, 32):
        return True, "W (28, 32) on top of U (32, 32) gives (28 + 32, 32) = (60, 32)."
    if shape == (32, 60):
        return False, "Rows and columns are swapped: [x_t, h_{t-1}] has 60 values and multiplies from the left."
    if shape == (28, 32) or shape == (32, 32):
        return False, "That is one of the two parts; stack W on top of U."
    if shape == (61, 32):
        return False, "The bias is added after the product, not stacked into the matrix."
    return False, f"{shape} is not it: W is (28, 32), U is (32, 32); stack them along the first axis."


@exercise("03.2")
def _multiplications_per_step(answer):
    if (why := _number_or_explain(answer)):
        return False, why
    if answer == 28 * 10 + 10 * 10:
        return True, "x_t @ W takes 28*10 and h @ U takes 10*10: 380 per step, 28 * 380 = 10,640 per image."
    if answer == 28 * 10:
        return False, "That is x_t @ W only; h_{t-1} @ U adds 10*10."
    if answer == 390:
        return False, "390 counts parameters; the bias is added, not multiplied."
    if answer == 28 * 380:
        return False, "That is for all 28 steps; the question asks for one."
    return False, f"{answer} is not it: a (1 x n) @ (n x m) product takes n*m multiplications."


@exercise("03.3")
def _zero_states(answer):
    if (why := _number_or_explain(answer)):
        return False, why
    if answer == 0:
        return True, "tanh(0 W + 0 U + 0) = tanh(0) = 0 at every blank step: the state stays exactly zero until ink arrives."
    if answer == 5:
        return False, "Compute one step: x_t = 0, h_{t-1} = 0 and b = 0 give tanh(0)."
    return False, f"{answer} is not it: write out h_0 = tanh(x_0 W + 0 U + b) for a blank row and a zero bias."


# Lesson 04 ---------------------------------------------------------------------------

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


def _choice(answer, options: dict[str, str], right: str):
    text = str(answer).strip().lower()
    if text not in options:
        return False, f"Answer with one of {sorted(options)}, not {answer!r}."
    return text == right, options[text]


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


def _as_numbers(answer) -> np.ndarray | None:
    """``answer`` as a 1-D float array, or None if it is not a sequence of numbers."""
    try:
        numbers = np.asarray(answer, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    return numbers if numbers.ndim == 1 else None


# Lesson 05 ---------------------------------------------------------------------------

@exercise("05.1")
def _softmax_cross_entropy_gradient(answer):
    numbers = _as_numbers(answer)
    if numbers is None or len(numbers) != 3:
        return False, f"Give three numbers, one per class, such as [0.1, 0.2, 0.3], not {answer!r}."
    p, y = np.array([0.1, 0.7, 0.2]), np.array([1.0, 0.0, 0.0])
    if np.allclose(numbers, p - y):
        return True, "p - y = [0.1 - 1, 0.7, 0.2] = [-0.9, 0.7, 0.2]: push the true class up, the others down."
    if np.allclose(numbers, y - p):
        return False, "The sign is flipped: it is p - y. The loss falls when the true class's logit rises, so its derivative is negative."
    if np.allclose(numbers, p - np.array([0.0, 1.0, 0.0])):
        return False, "The true class is 0, the first one, not the class with the largest probability."
    if np.allclose(numbers, p):
        return False, "Subtract the one-hot truth y = [1, 0, 0]."
    return False, f"{list(numbers)} is not it: for softmax followed by cross-entropy, dL/dz = p - y."


@exercise("05.2")
def _steps_adding_to_recurrent_gradient(answer):
    if (why := _number_or_explain(answer)):
        return False, why
    if answer == 27:
        return True, ("Steps 2 to 28: step 1 multiplies U by h_0 = the constant zero state, so it adds nothing "
                      "(the `if t > 0` in the loop). dL/dW and dL/db get all 28.")
    if answer == 28:
        return False, "Look at step 1: the state before it is the constant 0, so h_{t-1}^T dL/da_t is zero there."
    if answer == 1:
        return False, "U is used at every step, not only the last: the gradient is a sum over the steps."
    return False, f"{answer} is not it: count the steps in which U multiplies a state that is not the constant 0."


@exercise("05.3")
def _vanishing_bound(answer):
    if (why := _number_or_explain(answer, "a number")):
        return False, why
    expected = 0.8 ** 27
    if np.isclose(answer, expected, rtol=0.02):
        return True, (f"0.8^27 = {expected:.5f}: 27 steps back from step 28 to step 1, each stretching by at most "
                      "σ_max(U) times tanh' <= 1. The gradient must vanish.")
    if np.isclose(answer, 0.8 ** 28, rtol=0.02):
        return False, "That is 28 factors; from step 28 back to step 1 there are 27 steps."
    if np.isclose(answer, 0.8, rtol=0.02):
        return False, "That is one step; the factor applies at each of the steps from 28 back to 1."
    return False, f"{answer} is not it: each step back multiplies the norm by at most σ_max(U) (tanh' is at most 1)."


@exercise("05.4")
def _clipped_norms(answer):
    numbers = _as_numbers(answer)
    if numbers is None or len(numbers) != 2:
        return False, f"Give a pair of numbers (a, b), not {answer!r}."
    if np.allclose(numbers, [1.0, 0.3]):
        return True, "Clipping rescales only gradients above the threshold: 5 becomes 1, 0.3 stays 0.3."
    if np.allclose(numbers, [1.0, 1.0]):
        return False, "Clipping only shrinks: a gradient already below the threshold is left alone."
    if np.allclose(numbers, [0.2, 0.06]):
        return False, "That divides both by 5; each gradient is clipped on its own, and only if its norm exceeds 1."
    return False, f"{tuple(numbers)} is not it: g <- g * min(1, clipnorm / |g|)."


# Lesson 06 ---------------------------------------------------------------------------

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
