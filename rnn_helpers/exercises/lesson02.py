"""Lesson 02: counting parameters."""

from __future__ import annotations

from rnn_helpers.exercises.core import CodeAnswer, _number_or_explain, exercise


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


def _built_count(layers: list, input_size: int) -> int:
    """Parameters of the recurrent layers ``layers`` stacked on sequences of ``input_size`` values."""
    import keras

    model = keras.Sequential([keras.Input((None, input_size)), *layers])
    return model.count_params()


def _simple(n: int, u: int) -> int:
    return n * u + u * u + u


_STACKED_CASES = ((28, 10, 20), (5, 3, 7), (28, 64, 32))


@exercise("02.5", solution="""
def stacked_parameters(input_size, units_1, units_2):
    first = input_size * units_1 + units_1 * units_1 + units_1     # reads the rows
    second = units_1 * units_2 + units_2 * units_2 + units_2        # reads the first layer's states: units_1 values per step
    return first + second""")
def _stacked_parameters(answer):
    import keras

    code = CodeAnswer(answer, "stacked_parameters")
    if (why := code.callable_or_explain()):
        return False, why
    for n, u1, u2 in _STACKED_CASES:
        expected = _built_count([keras.layers.SimpleRNN(u1, return_sequences=True), keras.layers.SimpleRNN(u2)], n)
        result = code.run(n, u1, u2)
        if code.error:
            return False, code.error
        if (why := code.one_number_or_explain(result, "stacked_parameters")):
            return False, why
        if code.matches(result, expected):
            continue
        mistakes = {
            _simple(n, u1) + _simple(n, u2): "The second layer does not read the rows: its input at each step is the first "
                                             "layer's state, units_1 values, so its kernel is units_1 x units_2.",
            _simple(n, u1): "That is the first layer alone; add the second.",
            n * u1 + u1 + u1 * u2 + u2: "You left out the recurrent kernels (u x u per layer).",
            n * u1 + u1 * u1 + u1 * u2 + u2 * u2: "You left out the biases, one per unit of each layer.",
            _simple(n, u1) + _simple(u1, u2) + u2 * 10 + 10: "That includes a Dense(10) classifier; count the two recurrent layers.",
        }
        return False, mistakes.get(int(result), f"For input_size={n}, units {u1} then {u2} it gives {result:g}; Keras counts "
                                                f"{expected}. Write out each layer's kernel, recurrent kernel and bias.")
    return True, "It matches Keras's count for every stack the checker built, e.g. 28 -> 10 -> 20 units: 390 + 620 = 1010."


@exercise("02.6", solution="""
def bidirectional_parameters(input_size, units):
    one_direction = input_size * units + units * units + units
    return 2 * one_direction      # a forward and a backward SimpleRNN, each with its own W, U and b""")
def _bidirectional_parameters(answer):
    import keras

    code = CodeAnswer(answer, "bidirectional_parameters")
    if (why := code.callable_or_explain()):
        return False, why
    for n, u in ((28, 10), (5, 3), (28, 64)):
        expected = _built_count([keras.layers.Bidirectional(keras.layers.SimpleRNN(u))], n)
        result = code.run(n, u)
        if code.error:
            return False, code.error
        if (why := code.one_number_or_explain(result, "bidirectional_parameters")):
            return False, why
        if code.matches(result, expected):
            continue
        mistakes = {
            _simple(n, u): "That is one direction; Bidirectional holds a second SimpleRNN reading backwards, with its own weights.",
            _simple(n, 2 * u): "The two directions do not share a state: each has its own u x u recurrent kernel, not one "
                               "(2u x 2u) kernel. Count one direction and double it.",
            2 * (n * u + u): "You left out the recurrent kernels.",
        }
        return False, mistakes.get(int(result), f"For input_size={n}, units={u} it gives {result:g}; Keras counts {expected}.")
    return True, "Two independent SimpleRNNs, one per direction: twice the count, e.g. 2 * 390 = 780 for 10 units on 28 inputs."
