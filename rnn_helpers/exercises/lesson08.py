"""Lesson 08: an RNN that writes."""

from __future__ import annotations

import numpy as np

from rnn_helpers.exercises.core import CodeAnswer, _as_tuple, _number_or_explain, exercise

_PROBABILITIES = np.array([[0.01, 0.2, 0.5, 0.8, 0.99], [0.3, 0.6, 0.05, 0.95, 0.5]])


def _logit(p):
    return np.log(p / (1 - p))


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


_TEMPERATURE_SLIPS = {
    "Divide the logit, not the probability: p / T is not a probability (it can pass 1) and does not sharpen towards 0 and 1. "
    "Compute sigmoid(log(p / (1 - p)) / T).": lambda p, t: p / t,
    "That multiplies the logit by T: T < 1 should make the pixels *more* certain, so divide by T.":
        lambda p, t: _sigmoid(_logit(p) * t),
    "p ** (1 / T) alone is not a probability of ink against no ink: the no-ink side must be tempered too. "
    "Compute sigmoid(log(p / (1 - p)) / T), which is p^(1/T) / (p^(1/T) + (1 - p)^(1/T)).": lambda p, t: p ** (1 / t),
    "The logit is log(p / (1 - p)); log(p) alone leaves out the no-ink side.": lambda p, t: _sigmoid(np.log(p) / t),
}


@exercise("08.1", solution="""
def tempered(p, temperature):
    logit = np.log(p / (1 - p))                       # back from the probability to the Dense layer's output
    return 1 / (1 + np.exp(-logit / temperature))     # sigmoid of the logit divided by T""")
def _tempered(answer):
    code = CodeAnswer(answer, "tempered")
    if (why := code.callable_or_explain()):
        return False, why
    cases = ((0.5, "sharper"), (2.0, "flatter"), (1.0, "unchanged"))
    results = {}
    for temperature, _ in cases:
        result = code.run(_PROBABILITIES.copy(), temperature)
        if code.error:
            return False, code.error
        if result.shape != _PROBABILITIES.shape:
            return False, f"tempered should return one probability per pixel, shape {_PROBABILITIES.shape}; got {result.shape}."
        results[temperature] = result
    if all(np.allclose(results[t], _sigmoid(_logit(_PROBABILITIES) / t), atol=1e-9) for t, _ in cases):
        return True, ("Right: T = 1 leaves p as it is, T = 0.5 pushes each pixel towards 0 or 1 (0.8 becomes 0.94), T = 2 towards "
                      "0.5 (0.8 becomes 0.67); p = 0.5 stays 0.5 at every temperature.")
    for why, slip in _TEMPERATURE_SLIPS.items():
        if all(np.allclose(results[t], slip(_PROBABILITIES, t), atol=1e-9) for t, _ in cases):
            return False, why
    if not np.allclose(results[1.0], _PROBABILITIES, atol=1e-9):
        return False, "At T = 1 the probabilities should come back unchanged; check the logit and the sigmoid."
    return False, "Compute sigmoid(logit(p) / T) with logit(p) = log(p / (1 - p)) and sigmoid(z) = 1 / (1 + exp(-z))."


@exercise("08.2")
def _truncated_reach(answer):
    steps = _as_tuple(answer)
    if steps is None or isinstance(answer, (int, float)):
        return False, f"Give the steps as a list of numbers such as [1, 2, 3], not {answer!r}."
    steps = sorted(set(steps))
    if steps == [8, 9, 10]:
        return True, ("Steps 8, 9 and 10: the chunks are steps 1-7, 8-14, 15-21 and 22-28, and step 10's loss flows back only "
                      "to the start of its own chunk. Steps 11-14 are in the chunk but come after step 10: the prediction at "
                      "step 10 does not depend on them.")
    if steps == list(range(8, 15)):
        return False, "Steps 11 to 14 come after step 10: the prediction made at step 10 cannot depend on them."
    if steps == list(range(1, 11)):
        return False, "That is full BPTT. Truncation stops the gradient at the chunk's first step: step 10 is in the chunk 8-14."
    if steps in ([4, 5, 6, 7, 8, 9, 10], list(range(3, 11))):
        return False, "The chunks are fixed, 1-7, 8-14, ...: the gradient stops at the start of step 10's chunk, not 7 steps back."
    return False, f"{steps} is not it: which chunk is step 10 in, and which of that chunk's steps come before it?"


def _fake_next_row(rows):
    """A deterministic 'model' of the last row and its right shift; its values are 0, 0.1, 0.45, 0.55, 0.9 or 1, never 0.5."""
    last = rows[-1]
    return np.clip(0.45 * last + 0.45 * np.roll(last, 1) + 0.1 * (len(rows) % 3 == 0), 0, 1)


def _right_completion(next_row, top, total):
    rows = [np.asarray(r, dtype=float) for r in top]
    while len(rows) < total:
        rows.append((next_row(np.array(rows)) > 0.5).astype(float))
    return np.array(rows)


@exercise("08.3", solution="""
def complete_greedy(next_row, top_rows, total_rows):
    rows = [row for row in top_rows]                        # the given rows, then what is written
    while len(rows) < total_rows:
        p = next_row(np.array(rows))                        # probabilities of the next row, from everything so far
        rows.append((p > 0.5).astype(float))                # greedy: ink where p > 0.5, fed back on the next step
    return np.array(rows)""")
def _complete_greedy(answer):
    code = CodeAnswer(answer, "complete_greedy")
    if (why := code.callable_or_explain()):
        return False, why
    rng = np.random.default_rng(8)
    top = (rng.random((4, 28)) > 0.6).astype(float)
    calls = []

    def watched(rows):
        calls.append(np.array(rows, dtype=float).copy())
        return _fake_next_row(np.array(rows, dtype=float))

    result = code.call(watched, top.copy(), 12)
    if code.error:
        return False, code.error
    expected = _right_completion(_fake_next_row, top, 12)
    try:
        result = np.asarray(result, dtype=float)
    except (TypeError, ValueError):
        return False, f"complete_greedy should return an array of rows, not {type(result).__name__}."
    if result.shape != expected.shape:
        if result.shape == (8, 28):
            return False, "Return all total_rows rows: the given top rows first, then the written ones."
        return False, f"The result should be (total_rows, 28) = {expected.shape}; got {result.shape}."
    if not np.array_equal(result[:4], top):
        return False, "The first rows must be the given top rows, unchanged."
    if np.array_equal(result, expected):
        return True, "Right: each written row is thresholded at 0.5 and read back as input for the next one."
    if calls and len(calls) == 8 and all(len(c) == 4 for c in calls):
        return False, "next_row only ever saw the given rows: append each written row and pass all rows so far on the next call."
    if np.allclose(result[4:], np.clip(result[4:], 0, 1)) and not set(np.unique(result[4:])) <= {0.0, 1.0}:
        return False, "Greedy rows are 0 or 1: ink where p > 0.5. Feeding back p itself is another method, not this one."
    return False, "Some written rows differ from a greedy completion: call next_row on all rows so far, threshold, append, repeat."


@exercise("08.4")
def _label_writer_parameters(answer):
    if (why := _number_or_explain(answer)):
        return False, why
    if answer == 6592:
        return True, "38 x 64 (kernel: 28 pixels and 10 label values in) + 64 x 64 (recurrent kernel) + 64 (bias) = 6,592."
    mistakes = {
        5952: "That is the writer without the label: the kernel now has a row for each of the 38 inputs, 28 pixels and 10 label values.",
        6528: "You left out the bias, one per unit: 64 more.",
        2496: "You left out the recurrent kernel, 64 x 64: the state at step t-1 feeds every unit at step t.",
        6656: "The label adds rows to the kernel (inputs), not units: 38 x 64, not 28 x 64 + 10 x 64 + 64 x 64 + 2 x 64.",
        704: "That is a Dense layer from the label to the state (the other way of conditioning); here the label is part of each input row.",
    }
    return False, mistakes.get(answer, f"{answer} is not it: a SimpleRNN on n inputs has n*u + u*u + u parameters, here n = 38, u = 64.")
