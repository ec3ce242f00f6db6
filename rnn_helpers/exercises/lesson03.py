"""Lesson 03: the weights, the forward pass and one training step."""

from __future__ import annotations

import numpy as np

from rnn_helpers.exercises.core import CodeAnswer, Refused, _, exercise, judge, numbers, whole_number, whole_numbers


@exercise("03.1")
def _stacked_shape(answer):
    shape = whole_numbers(answer, _("Give the shape as a tuple such as (3, 4)"), _("sizes"))
    return judge(shape, (60, 32), _("W (28, 32) on top of U (32, 32) gives (28 + 32, 32) = (60, 32)."), [
        ((32, 60), _("Rows and columns are swapped: [x_t, h_{t-1}] has 60 values and multiplies from the left.")),
        (lambda s: s in ((28, 32), (32, 32)), _("That is one of the two parts; stack W on top of U.")),
        ((61, 32), _("The bias is added after the product, not stacked into the matrix.")),
    ], _("{shape} is not it: W is (28, 32), U is (32, 32); stack them along the first axis.").format(shape=shape))


@exercise("03.2")
def _multiplications_per_step(answer):
    count = whole_number(answer, _("counts of multiplications"))
    return judge(count, 28 * 10 + 10 * 10, _("x_t @ W takes 28*10 and h @ U takes 10*10: 380 per step, 28 * 380 = 10,640 per image."), [
        (28 * 10, _("That is x_t @ W only; h_{t-1} @ U adds 10*10.")),
        (10 * 10, _("That is h_{t-1} @ U only; x_t @ W adds 28*10.")),
        (390, _("390 counts parameters; the bias is added, not multiplied.")),
        (28 * 380, _("That is for all 28 steps; the question asks for one.")),
    ], _("{count} is not it: a (1 x n) @ (n x m) product takes n*m multiplications.").format(count=count))


@exercise("03.3")
def _zero_states(answer):
    count = whole_number(answer, _("counts of states"))
    return judge(count, 0, _("tanh(0 W + 0 U + 0) = tanh(0) = 0 at every blank step: the state stays exactly zero until ink arrives."), [
        (5, _("Compute one step: x_t = 0, h_{t-1} = 0 and b = 0 give tanh(0).")),
    ], _("{count} is not it: write out h_1 = tanh(x_1 W + h_0 U + b) with h_0 = 0, a blank row and a zero bias.").format(count=count))


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
    """The step as lesson 03's stacked form computes it: [x_t, h_{t-1}] @ [W; U] + b, then tanh."""
    return np.tanh(np.hstack([x_t, h_prev]) @ np.vstack([W, U]) + b)


# The typical wrong steps, each with the sentence that names it.
_STEP_MISTAKES = {
    _("U is transposed: the state is a row vector, so it is h_{t-1} @ U (U's rows are the units at t-1)."):
        lambda x_t, h_prev, W, U, b: np.tanh(x_t @ W + h_prev @ U.T + b),
    _("tanh is missing: the new state is tanh of the sum, which keeps it between -1 and 1."):
        lambda x_t, h_prev, W, U, b: x_t @ W + h_prev @ U + b,
    _("The bias b is missing: add it before tanh."): lambda x_t, h_prev, W, U, b: np.tanh(x_t @ W + h_prev @ U),
    _("The previous state is missing: without h_{t-1} @ U the step forgets every earlier row."):
        lambda x_t, h_prev, W, U, b: np.tanh(x_t @ W + b),
    _("The activation is not tanh (that looks like the logistic sigmoid): a SimpleRNN uses tanh."):
        lambda x_t, h_prev, W, U, b: 1 / (1 + np.exp(-(x_t @ W + h_prev @ U + b))),
    _("The activation is not tanh (that looks like ReLU): a SimpleRNN uses tanh."):
        lambda x_t, h_prev, W, U, b: np.maximum(0, x_t @ W + h_prev @ U + b),
    _("The bias is added after tanh; it belongs inside: tanh(x_t W + h_{t-1} U + b)."):
        lambda x_t, h_prev, W, U, b: np.tanh(x_t @ W + h_prev @ U) + b,
}


def _is_keras_cell_output(returned) -> bool:
    """True for (state, [state]): what a Keras RNN cell's call returns, as lesson 03's TanhCell does."""
    return (isinstance(returned, (tuple, list)) and len(returned) == 2 and isinstance(returned[1], (tuple, list))
            and len(returned[1]) == 1 and np.shape(returned[0]) == np.shape(returned[1][0]))


@exercise("03.4")
def _rnn_step(answer):
    code = CodeAnswer(answer, "rnn_step")
    inputs = _step_inputs()
    x_t, h_prev, W, U, b = inputs
    expected = _right_step(*inputs)
    returned = code.call(*inputs, context=_(
        "Shapes: x_t (batch, input_size) @ W (input_size, u), h_prev (batch, u) @ U (u, u); the checker uses input_size 5 and u 3, "
        "so W and U cannot be swapped."))
    if _is_keras_cell_output(returned):
        state_is_right = CodeAnswer.matches(code.numbers(returned[0]), expected)
        return False, _("rnn_step returns (h, [h]), as the Keras cell's call does: Keras asks a cell for its output and its list of "
                        "states, and for a SimpleRNN both are the new state. The step function returns the new state alone: "
                        "return h.{right}").format(right=_(" (That h is right.)") if state_is_right else "")
    result = code.numbers(returned)
    return judge(result, expected, _("h_t = tanh(x_t W + h_{t-1} U + b), for a whole batch at once."), [
        *((wrong_step(*inputs), why) for why, wrong_step in _STEP_MISTAKES.items()),
        (lambda r: r.shape != h_prev.shape, _("The new state should have the shape of h_prev, {expected}, got {shape}.").format(
            expected=h_prev.shape, shape=result.shape)),
    ], _("Not yet right: compute tanh(x_t @ W + h_prev @ U + b)."), same=CodeAnswer.matches)


def _forward(x, W, U, b, step=_right_step, carry=True):
    """All states h_1..h_T from h_0 = 0, as (batch, time_steps, u); ``carry=False`` restarts every step from 0 (a typical slip)."""
    states = np.empty((len(x), x.shape[1], len(U)))
    state = np.zeros((len(x), len(U)))
    for t, row in enumerate(np.swapaxes(x, 0, 1)):  # row t of every sequence
        states[:, t] = step(row, state, W, U, b)
        if carry:
            state = states[:, t]
    return states


@exercise("03.5")
def _backward_last_state(answer):
    code = CodeAnswer(answer, "backward_last_state")
    W, U, b = _step_inputs()[2:]
    x = np.random.default_rng(4).normal(size=(4, 6, W.shape[0]))
    bottom_up = x[:, ::-1]  # what go_backwards=True reads: row T first
    expected = _forward(bottom_up, W, U, b)[:, -1]
    result = code.run(x, W, U, b, context=_("(x has shape (batch, time_steps, input_size) = (4, 6, 5); W (5, 3), U (3, 3), b (3,).)"))
    return judge(result, expected, _("The state after reading row T first and row 1 last: what SimpleRNN(u, go_backwards=True) "
                                     "returns."), [
        (_forward(x, W, U, b)[:, -1], _("That is the top-down reader's last state: it read row 1 first. Read the rows in reverse "
                                        "order, x[:, ::-1] (or t from time_steps - 1 down to 0).")),
        (_forward(x[:, :, ::-1], W, U, b)[:, -1], _("You reversed the values within each row (axis 2), and still read the rows "
                                                     "top-down: go_backwards reverses the order of the rows, axis 1.")),
        (_forward(x[:, ::-1, ::-1], W, U, b)[:, -1], _("The rows are in the right order, but you also reversed the values within "
                                                        "each row (axis 2): only the order of the rows, axis 1, changes.")),
        (lambda r: r.shape == (4, 6, 3), _("That is every state; return only the state after the last row read (row 1), shape "
                                           "(batch, u).")),
        (_right_step(x[:, -1], np.zeros((4, 3)), W, U, b), _("That is one step, on row T alone: loop over every row, from row T "
                                                            "down to row 1, carrying the state.")),
        (_forward(bottom_up, W, U, b, carry=False)[:, -1], _("The state is not carried: each step starts again from h = 0, so only "
                                                            "row 1 counts. Assign the new state to h inside the loop.")),
        *((_forward(bottom_up, W, U, b, step=wrong_step)[:, -1], _("In the step: {why}").format(why=why))
          for why, wrong_step in _STEP_MISTAKES.items()),
    ], _("Expected the state of shape {shape} after reading the rows bottom-up from h = 0, with h_t = tanh(x_t W + h_(t-1) U + b) "
         "at every step.").format(shape=expected.shape), same=CodeAnswer.matches)


# 03.6, an experiment: Adam's first step on the lesson's weight w = 0.5 with gradient 2.0, times 1000 and times 0.001.
ADAM_GRADIENT, ADAM_LEARNING_RATE, ADAM_EPSILON, ADAM_BETA_2 = 2.0, 1e-3, 1e-7, 0.999


def _keras_adam_first_step(gradient: float) -> float:
    """How far Keras's Adam moves a weight at its first step: lr * g / (|g| + eps / sqrt(1 - beta_2)), Keras's epsilon placement."""
    return ADAM_LEARNING_RATE * abs(gradient) / (abs(gradient) + ADAM_EPSILON / np.sqrt(1 - ADAM_BETA_2))


def _about(value: float, expected: float) -> bool:
    return bool(np.isclose(value, expected, rtol=0.01, atol=0))


@exercise("03.6")
def _adam_step_sizes(answer):
    sizes = numbers(answer, 2, _("Give the two step sizes as a tuple, (size with g x 1000, size with g x 0.001)"))
    if not np.isfinite(sizes).all():
        raise Refused(_("{sizes} holds a value that is not a finite number: give the two sizes the cell printed.").format(
            sizes=sizes.tolist()))
    if (sizes < 0).any():
        raise Refused(_("A step size is how far the weight moved, |change|: give positive numbers."))
    large, small = (_keras_adam_first_step(ADAM_GRADIENT * scale) for scale in (1000, 0.001))
    plain = [ADAM_LEARNING_RATE * ADAM_GRADIENT * scale for scale in (1000, 0.001)]
    return judge(sizes, (large, small), _(
        "Both steps are about the learning rate, 0.001, although the gradients differ by a factor of a million: Adam divides each "
        "step by the gradient's own running size, so the learning rate, not the gradient, sets how far a weight moves. (The small "
        "gradient's step is a little shorter because Keras adds its epsilon to that size.) Plain gradient descent would have moved "
        "the weight by 2 and by 0.000002."), [
        (lambda s: _about(s[0], plain[0]) and _about(s[1], plain[1]), _(
            "Those are plain gradient descent's steps, learning rate times gradient (0.001 x 2000 and 0.001 x 0.002). Adam's first "
            "step divides by the gradient's own size: run the cell and read how far the weight moved.")),
        (lambda s: all(_about(v, 0.5 - step) for v, step in zip(s, (large, small))), _(
            "Those are the weight's new values; the question asks how far it moved, |new - old|.")),
        (lambda s: all(_about(v, 1000 * step) for v, step in zip(s, (large, small))), _(
            "Those are the steps in thousandths, the unit of the learning rate: give them as numbers (about 0.001).")),
    ], _("{sizes} is not what the cell prints: set scale = 1000, run it and read how far the first weight moved; then scale = 0.001."
         ).format(sizes=sizes.tolist()), same=lambda s, right: _about(s[0], right[0]) and _about(s[1], right[1]))
