"""Lesson 02: counting parameters, and what the recurrent kernel carries from step to step."""

from __future__ import annotations

import numpy as np

from rnn_helpers.exercises.core import CodeAnswer, Refused, Row, _, exercise, judge, judge_each, numbers, whole_number

TIME_STEPS = 28  # the rows of an MNIST image: what a count multiplied "per time step" is multiplied by


def simple_rnn_count(n: int, u: int) -> int:
    """Parameters of a SimpleRNN of ``u`` units on ``n`` inputs: kernel, recurrent kernel, bias."""
    return n * u + u * u + u


def count_slips(right: int, without_kernel: int) -> list[Row]:
    """The two slips any parameter count can make: the kernel left out, and the weights counted once per time step."""
    return [
        (without_kernel, _("You left out the kernel W (input values x units): it is how each step's input reaches the units, "
                           "in every layer and every gate.")),
        (TIME_STEPS * right, _("That multiplies by the 28 time steps, but the weights are not per time step: the same W, U and b "
                               "are reused at every step, which is why the count does not depend on time_steps.")),
    ]


def _count(answer, right: int, formula: str, wrong: list[Row]):
    count = whole_number(answer, _("parameter counts"))
    return judge(count, right, _("{formula} = {count}.").format(formula=formula, count=right), wrong,
                 _("{count} is not it: write out the kernel, recurrent kernel and bias, and add them.").format(count=count))


@exercise("02.1")
def _simple_rnn_64(answer):
    u, n = 64, 28
    return _count(answer, simple_rnn_count(n, u), "28*64 + 64*64 + 64", [
        (n * u + u * u, _("You left out the bias: one per unit.")),
        (n * u + u, _("You left out the recurrent kernel (u x u): each unit reads every unit's previous state "
                      "(without it, this would be a Dense layer's count).")),
        (simple_rnn_count(n, u) + u * 10 + 10, _("That includes a Dense(10) layer; the question asks for the SimpleRNN alone.")),
        *count_slips(simple_rnn_count(n, u), u * u + u),
    ])


@exercise("02.2")
def _lstm_32(answer):
    u, n = 32, 28
    block = simple_rnn_count(n, u)
    return _count(answer, 4 * block, "4 * (28*32 + 32*32 + 32)", [
        (block, _("That is one block, a SimpleRNN; an LSTM has four (input, forget and output gates and the candidate).")),
        (3 * block, _("Three blocks is a GRU; an LSTM has four.")),
        (4 * (n * u + u * u), _("You left out the biases: 4 * u of them.")),
        *count_slips(4 * block, 4 * (u * u + u)),
    ])


@exercise("02.3")
def _gru_16(answer):
    u, n = 16, 28
    block = simple_rnn_count(n, u)
    return _count(answer, 3 * block + 3 * u, "3 * (28*16 + 16*16 + 16) + 3*16", [
        (3 * block, _("Almost: with reset_after=True a GRU has a second bias of 3u for its recurrent part.")),
        (4 * block, _("Four blocks is an LSTM; a GRU has three, plus the second bias.")),
        (block, _("That is one block; a GRU has three (update, reset, candidate) plus a second bias of 3u.")),
        *count_slips(3 * block + 3 * u, 3 * (u * u + u) + 3 * u),
    ])


@exercise("02.4")
def _kernel_uses(answer):
    uses = whole_number(answer, _("counts"))
    return judge(uses, 28, _("Once per time step: the same W is reused for all 28 rows, which is why the count does not grow with "
                             "time_steps."), [
        (1, _("W is stored once, but it is used again at every time step.")),
        (lambda n: n in (10, 20, 30), _("That is the number of units; count the time steps instead.")),
    ], _("{uses} is not it: one row arrives per time step.").format(uses=uses))


def keras_count(layers: list, input_size: int) -> int:
    """Parameters of ``layers`` stacked on sequences of ``input_size`` values, as Keras counts them."""
    import keras

    model = keras.Sequential([keras.Input((None, input_size)), *layers])
    return model.count_params()


@exercise("02.5")
def _stacked_parameters(answer):
    import keras

    code = CodeAnswer(answer, "stacked_parameters")

    def judge_case(case):
        n, u1, u2 = case
        expected = keras_count([keras.layers.SimpleRNN(u1, return_sequences=True), keras.layers.SimpleRNN(u2)], n)
        result = code.parameter_count(code.run(n, u1, u2))
        return judge(result, expected, "", [
            (simple_rnn_count(n, u1) + simple_rnn_count(n, u2), _(
                "The second layer does not read the rows: its input at each step is the first layer's state, units_1 values, so "
                "its kernel is units_1 x units_2.")),
            (simple_rnn_count(n, u1), _("That is the first layer alone; add the second.")),
            (n * u1 + u1 + u1 * u2 + u2, _("You left out the recurrent kernels (u x u per layer).")),
            (n * u1 + u1 * u1 + u1 * u2 + u2 * u2, _("You left out the biases, one per unit of each layer.")),
            (expected + u2 * 10 + 10, _("That includes a Dense(10) classifier; count the two recurrent layers.")),
            *count_slips(expected, (u1 * u1 + u1) + (u2 * u2 + u2)),
        ], _("For input_size={n}, units {u1} then {u2} it gives {result}; Keras counts {expected}. Write out each layer's kernel, "
             "recurrent kernel and bias.").format(n=n, u1=u1, u2=u2, result=result, expected=expected))

    return judge_each(((28, 10, 20), (5, 3, 7), (28, 64, 32)), judge_case, _(
        "It matches Keras's count for every stack the checker built, e.g. 28 -> 10 -> 20 units: 390 + 620 = 1010."))


@exercise("02.6")
def _bidirectional_parameters(answer):
    import keras

    code = CodeAnswer(answer, "bidirectional_parameters")

    def judge_case(case):
        n, u = case
        expected = keras_count([keras.layers.Bidirectional(keras.layers.SimpleRNN(u))], n)
        result = code.parameter_count(code.run(n, u))
        return judge(result, expected, "", [
            (simple_rnn_count(n, u), _("That is one direction; Bidirectional holds a second SimpleRNN reading backwards, with its own "
                                       "weights.")),
            (simple_rnn_count(n, 2 * u), _("The two directions do not share a state: each has its own u x u recurrent kernel, not one "
                                           "(2u x 2u) kernel. Count one direction and double it.")),
            (2 * (n * u + u), _("You left out the recurrent kernels.")),
            *count_slips(expected, 2 * (u * u + u)),
        ], _("For input_size={n}, units={u} it gives {result}; Keras counts {expected}.").format(
            n=n, u=u, result=result, expected=expected))

    return judge_each(((28, 10), (5, 3), (28, 64)), judge_case, _(
        "Two independent SimpleRNNs, one per direction: twice the count, e.g. 2 * 390 = 780 for 10 units on 28 inputs."))


# 02.7, an experiment: row 1's effect on h_28 with U scaled. Laws for any honest run with 28 time steps and at most 4096
# units: halved, U shrinks every vector to half its length, so 27 steps leave at most (1/2)^27 * |h_1| <= 7.5e-9 * 64;
# as Keras initialised it (orthogonal), only tanh shrinks the state, and slowly (|h_t| >= tanh(|h_(t-1)|)); doubled, a
# small state doubles at each step until tanh stops it (|h_t| >= tanh(2 |h_(t-1)|)), so |h_28| stays near 0.96 or above.
HALVED_AT_MOST = 1e-6
KEPT_AT_LEAST = 1e-6
DOUBLED_AT_LEAST = 1e-3


@exercise("02.7")
def _scaled_recurrent_kernel(answer):
    effects = numbers(answer, 3, _("Give the three effects the cell printed as a tuple, (effect at 0.5, effect at 1, effect at 2)"))
    if not np.isfinite(effects).all():
        raise Refused(_("{effects} holds a value that is not a finite number: give the three effects the cell printed.").format(
            effects=effects.tolist()))
    if (effects < 0).any():
        raise Refused(_("An effect is the largest |change| of h_28, never negative: give the three numbers as the cell printed them."))
    half, one, two = effects
    if len(set(effects.tolist())) == 1:
        return False, _("The three effects are equal: the factor did not reach the layer. Change `factor` in the experiment cell and "
                        "run that cell again before reading the effect.")
    return judge((half, one, two), "right", _(
        "Halved, U shrinks every state to at most half its length at each of the 27 steps after row 1, so row 1's trace is below "
        "(1/2)^27, about 7e-9 of its start: it vanishes. As Keras initialised it, U keeps a state's length (lesson 03: it is "
        "orthogonal) and only tanh shrinks it, slowly. Doubled, U stretches a small state at every step and tanh stops it below 1, "
        "so row 1 still moves h_28 a lot. What U does to the state at every step decides how long the layer remembers; lesson 05 "
        "finds the same factor in the gradients, which vanish or explode."), [
        (lambda e: e[0] > e[2] and e[2] < HALVED_AT_MOST, _(
            "The order is reversed: give the effect at 0.5 first and the effect at 2 last.")),
        (lambda e: e[1] == 0, _(
            "With factor 1 the effect is 0, as with U = 0: the probe still had U set to zero. The experiment cell sets the probe's "
            "weights itself (its own W and b, factor * U); run that cell with factor = 1 rather than re-reading section 4's output.")),
        (lambda e: e[0] > HALVED_AT_MOST, _(
            "With U halved, each of the 27 steps after row 1 at least halves the state, so the effect is below (1/2)^27, about 7e-9 "
            "(times |h_1|): your first number is too large for U x 0.5 with 28 time steps. Run the cell with factor = 0.5 (and the "
            "default time_steps = 28) and copy what it prints, exponent included.")),
        (lambda e: e[2] < DOUBLED_AT_LEAST, _(
            "With U doubled, row 1's trace cannot fade: a small state doubles at every step until tanh stops it, so h_28 stays far "
            "from 0. Your last number is too small for U x 2: run the cell with factor = 2 and copy what it prints.")),
        (lambda e: e[1] < KEPT_AT_LEAST, _(
            "With U as Keras initialised it (factor 1), row 1 still moves h_28 clearly (section 4 printed it): your middle number is "
            "too small. Run the cell with factor = 1.")),
    ], "", same=lambda e, _right: e[0] <= HALVED_AT_MOST and e[1] >= KEPT_AT_LEAST and e[2] >= DOUBLED_AT_LEAST)
