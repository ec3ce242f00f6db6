"""Lesson 05: backpropagation through time."""

from __future__ import annotations

import numpy as np

from rnn_helpers.exercises.core import _as_numbers, _number_or_explain, exercise


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
