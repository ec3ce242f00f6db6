"""Lesson 03: the weights and the forward pass."""

from __future__ import annotations

import numpy as np

from rnn_helpers.exercises.core import CodeAnswer, _as_tuple, _number_or_explain, exercise


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
    return False, f"{answer} is not it: write out h_1 = tanh(x_1 W + h_0 U + b) with h_0 = 0, a blank row and a zero bias."


def _step_inputs(seed: int = 3, batch: int = 4, input_size: int = 5, cell_size: int = 3):
    """A batch of rows, a previous state and weights with nothing symmetric or zero, so that mistakes show."""
    rng = np.random.default_rng(seed)
    x_t = rng.normal(size=(batch, input_size))
    h_prev = rng.uniform(-0.9, 0.9, size=(batch, cell_size))
    W = rng.normal(scale=0.5, size=(input_size, cell_size))
    U = rng.normal(scale=0.5, size=(cell_size, cell_size))
    b = rng.normal(scale=0.5, size=cell_size)
    return x_t, h_prev, W, U, b


def _right_step(x_t, h_prev, W, U, b):
    return np.tanh(x_t @ W + h_prev @ U + b)


# The typical wrong steps, each with the sentence that names it.
_STEP_MISTAKES = {
    "U is transposed: the state is a row vector, so it is h_{t-1} @ U (U's rows are the units at t-1).":
        lambda x_t, h_prev, W, U, b: np.tanh(x_t @ W + h_prev @ U.T + b),
    "tanh is missing: the new state is tanh of the sum, which keeps it between -1 and 1.":
        lambda x_t, h_prev, W, U, b: x_t @ W + h_prev @ U + b,
    "The bias b is missing: add it before tanh.": lambda x_t, h_prev, W, U, b: np.tanh(x_t @ W + h_prev @ U),
    "The previous state is missing: without h_{t-1} @ U the step forgets every earlier row.":
        lambda x_t, h_prev, W, U, b: np.tanh(x_t @ W + b),
    "The activation is not tanh (that looks like the logistic sigmoid): a SimpleRNN uses tanh.":
        lambda x_t, h_prev, W, U, b: 1 / (1 + np.exp(-(x_t @ W + h_prev @ U + b))),
    "The activation is not tanh (that looks like ReLU): a SimpleRNN uses tanh.":
        lambda x_t, h_prev, W, U, b: np.maximum(0, x_t @ W + h_prev @ U + b),
    "The bias is added after tanh; it belongs inside: tanh(x_t W + h_{t-1} U + b).":
        lambda x_t, h_prev, W, U, b: np.tanh(x_t @ W + h_prev @ U) + b,
}


@exercise("03.4", solution="""
def rnn_step(x_t, h_prev, W, U, b):
    return np.tanh(x_t @ W + h_prev @ U + b)     # (batch, input_size) @ (input_size, u) + (batch, u) @ (u, u) + (u,)""")
def _rnn_step(answer):
    code = CodeAnswer(answer, "rnn_step")
    if (why := code.callable_or_explain()):
        return False, why
    x_t, h_prev, W, U, b = _step_inputs()
    result = code.run(x_t, h_prev, W, U, b)
    if code.error:
        return False, code.error + (" Shapes: x_t (batch, input_size) @ W (input_size, u), h_prev (batch, u) @ U (u, u); "
                                    "the checker uses input_size 5 and u 3, so W and U cannot be swapped.")
    if code.matches(result, _right_step(x_t, h_prev, W, U, b)):
        return True, "h_t = tanh(x_t W + h_{t-1} U + b), for a whole batch at once."
    for why, wrong_step in _STEP_MISTAKES.items():
        if code.matches(result, wrong_step(x_t, h_prev, W, U, b)):
            return False, why
    if result.shape != h_prev.shape:
        return False, f"The new state should have the shape of h_prev, {h_prev.shape}, got {result.shape}."
    return False, "Not yet right: compute tanh(x_t @ W + h_prev @ U + b)."


def _forward(x, W, U, b, step=_right_step, carry=True):
    """All states h_1..h_T from h_0 = 0; ``carry=False`` restarts every step from 0 (a typical slip)."""
    h = np.zeros((x.shape[0], W.shape[1]))
    states = []
    for t in range(x.shape[1]):
        new = step(x[:, t], h, W, U, b)
        states.append(new)
        h = new if carry else h
    return np.stack(states, axis=1)


@exercise("03.5", solution="""
def my_rnn_forward(x, W, U, b):
    h = np.zeros((x.shape[0], W.shape[1]))       # h_0 = 0: nothing read yet
    states = []
    for t in range(x.shape[1]):                  # rows x_1 .. x_T, in order
        h = np.tanh(x[:, t] @ W + h @ U + b)     # the new state replaces the old one: it is carried to the next step
        states.append(h)
    return np.stack(states, axis=1)              # (batch, time_steps, u): h_1 .. h_T""")
def _rnn_forward(answer):
    code = CodeAnswer(answer, "my_rnn_forward")
    if (why := code.callable_or_explain()):
        return False, why
    _, _, W, U, b = _step_inputs()
    x = np.random.default_rng(4).normal(size=(4, 6, W.shape[0]))
    expected = _forward(x, W, U, b)
    result = code.run(x, W, U, b)
    if code.error:
        return False, code.error + " (x has shape (batch, time_steps, input_size) = (4, 6, 5); W (5, 3), U (3, 3), b (3,))."
    if code.matches(result, expected):
        return True, "All six states h_1..h_6 of every sequence, each step fed the state of the step before."
    if code.matches(result, expected[:, -1]):
        return False, "That is only the last state h_T; return every state, shape (batch, time_steps, u)."
    if code.matches(result, _forward(x, W, U, b, carry=False)):
        return False, "The state is not carried: each step starts again from h = 0. Assign the new state to h inside the loop."
    if code.matches(result, np.swapaxes(expected, 0, 1)):
        return False, "The axes are (time_steps, batch, u); stack the states along axis 1 to get (batch, time_steps, u)."
    if code.matches(result, np.concatenate([np.zeros((4, 1, 3)), expected[:, :-1]], axis=1)):
        return False, ("You stored each state before updating it, which gives h_0..h_(T-1): append the new state h_t after "
                       "computing it.")
    if result.shape == (4, 7, 3) and code.matches(result[:, 1:], expected):
        return False, "You returned h_0 as well: the lessons' states are h_1..h_T, one per row read."
    for why, wrong_step in _STEP_MISTAKES.items():
        if code.matches(result, _forward(x, W, U, b, step=wrong_step)):
            return False, "In the step: " + why
    if result.shape == expected.shape and code.matches(result[:, 0], expected[:, 0]):
        return False, "The first step is right, later ones are not: check what the loop passes on from one step to the next."
    return False, f"Expected an array of shape {expected.shape} with h_t = tanh(x_t W + h_(t-1) U + b) from h_0 = 0."
