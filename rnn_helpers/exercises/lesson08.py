"""Lesson 08: an RNN that writes."""

from __future__ import annotations

import numpy as np

from rnn_helpers.exercises.core import CodeAnswer, Refused, _, exercise, judge, shorten, whole_number, whole_numbers
from rnn_helpers.exercises.lesson02 import count_slips

_PROBABILITIES = np.array([[0.01, 0.2, 0.5, 0.8, 0.99], [0.3, 0.6, 0.05, 0.95, 0.5]])
_TEMPERATURES = (0.5, 2.0, 1.0)  # sharper, flatter, unchanged


def _logit(p):
    return np.log(p / (1 - p))


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def _right_tempered(p, temperature):
    """p^(1/T) / (p^(1/T) + (1 - p)^(1/T)): sigmoid(logit(p) / T) written without the logit."""
    ink, no_ink = p ** (1 / temperature), (1 - p) ** (1 / temperature)
    return ink / (ink + no_ink)


_TEMPERATURE_SLIPS = {
    _("Divide the logit, not the probability: p / T is not a probability (it can pass 1) and does not sharpen towards 0 and 1. "
      "Compute sigmoid(log(p / (1 - p)) / T)."): lambda p, t: p / t,
    _("That multiplies the logit by T: T < 1 should make the pixels *more* certain, so divide by T."):
        lambda p, t: _sigmoid(_logit(p) * t),
    _("p ** (1 / T) alone is not a probability of ink against no ink: the no-ink side must be tempered too. "
      "Compute sigmoid(log(p / (1 - p)) / T), which is p^(1/T) / (p^(1/T) + (1 - p)^(1/T))."): lambda p, t: p ** (1 / t),
    _("The logit is log(p / (1 - p)); log(p) alone leaves out the no-ink side."): lambda p, t: _sigmoid(np.log(p) / t),
}


def _at_every_temperature(function) -> np.ndarray:
    """What ``function(p, T)`` gives for the checker's probabilities at each of its temperatures, stacked."""
    return np.stack([function(_PROBABILITIES, t) for t in _TEMPERATURES])


@exercise("08.1")
def _tempered(answer):
    code = CodeAnswer(answer, "tempered")
    results = []
    for temperature in _TEMPERATURES:
        result = code.run(_PROBABILITIES.copy(), temperature)
        if result.shape != _PROBABILITIES.shape:
            return False, _("tempered should return one probability per pixel, shape {expected}; got {shape}.").format(
                expected=_PROBABILITIES.shape, shape=result.shape)
        results.append(result)
    return judge(np.stack(results), _at_every_temperature(_right_tempered), _(
        "Right: T = 1 leaves p as it is, T = 0.5 pushes each pixel towards 0 or 1 (0.8 becomes 0.94), T = 2 towards 0.5 (0.8 becomes "
        "0.67); p = 0.5 stays 0.5 at every temperature."), [
        *((_at_every_temperature(slip), why) for why, slip in _TEMPERATURE_SLIPS.items()),
        (lambda r: not CodeAnswer.matches(r[_TEMPERATURES.index(1.0)], _PROBABILITIES), _(
            "At T = 1 the probabilities should come back unchanged; check the logit and the sigmoid.")),
    ], _("Compute sigmoid(logit(p) / T) with logit(p) = log(p / (1 - p)) and sigmoid(z) = 1 / (1 + exp(-z))."),
        same=CodeAnswer.matches)


@exercise("08.2")
def _truncated_reach(answer):
    steps = sorted(set(whole_numbers(answer, _("Give the steps as a list of numbers such as [1, 2, 3]"), _("step numbers"),
                                     ordered=False)))
    return judge(steps, [8, 9, 10], _(
        "Steps 8, 9 and 10: the chunks are steps 1-7, 8-14, 15-21 and 22-28, and step 10's loss flows back only to the start of its "
        "own chunk. Steps 11-14 are in the chunk but come after step 10: the prediction at step 10 does not depend on them."), [
        (list(range(8, 15)), _("Steps 11 to 14 come after step 10: the prediction made at step 10 cannot depend on them.")),
        (list(range(1, 11)), _("That is full BPTT. Truncation stops the gradient at the chunk's first step: step 10 is in the chunk "
                               "8-14.")),
        (lambda s: s in ([4, 5, 6, 7, 8, 9, 10], list(range(3, 11))), _(
            "The chunks are fixed, 1-7, 8-14, ...: the gradient stops at the start of step 10's chunk, not 7 steps back.")),
        ([7, 8, 9], _("Steps are counted from 1 here, 1 to 28: those look like 0-based indices. Indices 7, 8 and 9 are steps 8, 9 "
                      "and 10.")),
    ], _("{steps} is not it: which chunk is step 10 in, and which of that chunk's steps come before it?").format(steps=steps))


def _fake_next_row(rows):
    """A deterministic 'model' of the last row and its right shift; its values are 0, 0.1, 0.45, 0.55, 0.9 or 1, never 0.5."""
    last = rows[-1]
    return np.clip(0.45 * last + 0.45 * np.roll(last, 1) + 0.1 * (len(rows) % 3 == 0), 0, 1)


def _right_completion(next_row, top, total):
    """The greedy completion: each next row thresholded at 0.5, from all the rows before it."""
    rows = np.asarray(top, dtype=float)
    while len(rows) < total:
        rows = np.vstack([rows, next_row(rows) > 0.5])
    return rows


@exercise("08.3")
def _complete_greedy(answer):
    code = CodeAnswer(answer, "complete_greedy")
    rng = np.random.default_rng(8)
    top = (rng.random((4, 28)) > 0.6).astype(float)
    calls = []

    def watched(rows):
        calls.append(np.array(rows, dtype=float).copy())
        return _fake_next_row(np.array(rows, dtype=float))

    result = code.numbers(code.call(watched, top.copy(), 12))
    expected = _right_completion(_fake_next_row, top, 12)
    return judge(result, expected, _("Right: each written row is thresholded at 0.5 and read back as input for the next one."), [
        (lambda r: r.shape == (8, 28), _("Return all total_rows rows: the given top rows first, then the written ones.")),
        (lambda r: r.shape != expected.shape, _("The result should be (total_rows, 28) = {expected}; got {shape}.").format(
            expected=expected.shape, shape=result.shape)),
        (lambda r: not np.array_equal(r[:4], top), _("The first rows must be the given top rows, unchanged.")),
        (lambda r: len(calls) == 8 and all(len(c) == 4 for c in calls), _(
            "next_row only ever saw the given rows: append each written row and pass all rows so far on the next call.")),
        (lambda r: len(calls) == 8 and all(len(c) == 1 for c in calls), _(
            "next_row only ever saw one row: pass it all the rows so far, np.array(rows), not only the last one.")),
        (lambda r: np.allclose(r[4:], np.clip(r[4:], 0, 1)) and not set(np.unique(r[4:])) <= {0.0, 1.0}, _(
            "Greedy rows are 0 or 1: ink where p > 0.5. Feeding back p itself is another method, not this one.")),
    ], _("Some written rows differ from a greedy completion: call next_row on all rows so far, threshold, append, repeat."),
        same=np.array_equal)


@exercise("08.4")
def _label_writer_parameters(answer):
    count = whole_number(answer, _("parameter counts"))
    return judge(count, 6592, _("38 x 64 (kernel: 28 pixels and 10 label values in) + 64 x 64 (recurrent kernel) + 64 (bias) = 6,592."), [
        (5952, _("That is the writer without the label: the kernel now has a row for each of the 38 inputs, 28 pixels and 10 label "
                 "values.")),
        (6528, _("You left out the bias, one per unit: 64 more.")),
        (2496, _("You left out the recurrent kernel, 64 x 64: the state at step t-1 feeds every unit at step t.")),
        (6656, _("The label adds rows to the kernel (inputs), not units: 38 x 64, not 28 x 64 + 10 x 64 + 64 x 64 + 2 x 64.")),
        (704, _("That is a Dense layer from the label to the state (the other way of conditioning); here the label is part of each "
                "input row.")),
        *count_slips(6592, 64 * 64 + 64),
    ], _("{count} is not it: a SimpleRNN on n inputs has n*u + u*u + u parameters, here n = 38, u = 64.").format(count=count))


_CHUNK_SIZES = (1, 2, 4, 7, 14, 28)


@exercise("08.5")
def _reach_of_your_chunks(answer):
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        raise Refused(_("Answer (chunk_rows, my_reach): the chunk size you set and the 28 values input_gradient_norms returned."))
    chunk = whole_number(answer[0], _("chunk sizes"))
    if chunk not in _CHUNK_SIZES:
        raise Refused(_("chunk_rows must divide the 28 rows evenly (1, 2, 4, 7, 14 or 28), got {chunk}.").format(chunk=chunk))
    try:
        reach = np.asarray(answer[1], dtype=np.float64)
    except (TypeError, ValueError):
        raise Refused(_("my_reach should be the 28 numbers input_gradient_norms returned, not {value}.").format(
            value=shorten(answer[1]))) from None
    if reach.shape != (28,) or not np.all(np.isfinite(reach)) or np.any(reach < 0):
        raise Refused(_("my_reach should be the 28 norms input_gradient_norms returned (one per step, none negative); got shape "
                        "{shape}.").format(shape=reach.shape))
    reached = np.flatnonzero(reach) + 1  # step numbers, 1 to 28
    first = 28 - chunk + 1
    return judge(reached.tolist(), list(range(first, 29)), _(
        "With chunks of {chunk} rows the last row's loss reaches steps {first} to 28, its own chunk, and nothing before: exactly "
        "zero there, however the writer was trained. The prediction at the j-th step of a chunk learns from j inputs.").format(
            chunk=chunk, first=first), [
        (lambda steps: len(steps) == 28, _("Every step gets gradient: that is full BPTT's reach. Call input_gradient_norms with "
                                           "truncate=True.")),
        (lambda steps: len(steps) == 7 and chunk != 7, _("That is the reach of chunks of 7, the lesson's: set chunk_rows = {chunk} "
                                                         "in a cell before calling input_gradient_norms (it reads chunk_rows when "
                                                         "it runs).").format(chunk=chunk)),
    ], _("The gradient reaches steps {steps}; chunks of {chunk} rows would give steps {first} to 28. Did you run it with "
         "chunk_rows = {chunk}?").format(steps=reached.tolist(), chunk=chunk, first=first), same=lambda a, b: a == b)
