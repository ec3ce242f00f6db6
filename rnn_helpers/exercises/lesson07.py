"""Lesson 07: how far a SimpleRNN goes."""

from __future__ import annotations

import math

from rnn_helpers.exercises.core import CodeAnswer, _choice, _number_or_explain, exercise


def _simple(n: int, u: int) -> int:
    return n * u + u * u + u


def _keras_bidirectional_classifier(n: int, u: int, classes: int) -> int:
    import keras

    model = keras.Sequential([keras.Input((None, n)), keras.layers.Bidirectional(keras.layers.SimpleRNN(u)),
                              keras.layers.Dense(classes, activation="softmax")])
    return model.count_params()


@exercise("07.1", solution="""
def bidirectional_classifier_parameters(input_size, cell_size, num_classes):
    one_direction = input_size * cell_size + cell_size * cell_size + cell_size   # W, U and b of one SimpleRNN
    classifier = 2 * cell_size * num_classes + num_classes                      # reads both final states: 2u values
    return 2 * one_direction + classifier""")
def _bidirectional_classifier_parameters(answer):
    code = CodeAnswer(answer, "bidirectional_classifier_parameters")
    if (why := code.callable_or_explain()):
        return False, why
    for n, u, c in ((28, 128, 10), (5, 3, 4), (28, 10, 10)):
        expected = _keras_bidirectional_classifier(n, u, c)
        result = code.run(n, u, c)
        if code.error:
            return False, code.error
        if (why := code.one_number_or_explain(result, "bidirectional_classifier_parameters")):
            return False, why
        if code.matches(result, expected):
            continue
        mistakes = {
            2 * _simple(n, u) + u * c + c: ("The classifier reads both directions' final states side by side (Bidirectional "
                                            "concatenates them): 2u inputs, so its kernel is 2u x num_classes."),
            _simple(n, u) + 2 * u * c + c: "That counts one direction; the backward SimpleRNN has its own W, U and b.",
            _simple(n, u) + u * c + c: "That is the one-direction model; a bidirectional layer holds two SimpleRNNs.",
            2 * _simple(n, u): "That is the recurrent layer alone; add the Dense classifier (kernel and bias).",
            2 * _simple(n, u) + 2 * u * c: "You left out the classifier's bias, one per class.",
            _simple(n, 2 * u) + 2 * u * c + c: ("The two directions do not share a state: each has its own u x u recurrent "
                                                "kernel, not one (2u x 2u) kernel."),
        }
        return False, mistakes.get(int(result), f"For input_size={n}, cell_size={u}, num_classes={c} it gives {result:g}; "
                                                f"Keras counts {expected}. Count one direction, double it, then the classifier.")
    return True, ("It matches Keras for every model the checker built, e.g. 2 x 20,096 + 2,570 = 42,762 for the lesson's final "
                  "recipe: the second direction doubles the recurrent layer, and the classifier reads 2u values.")


@exercise("07.2")
def _cosine_average(answer):
    if (why := _number_or_explain(answer, "a number such as 0.001")):
        return False, why
    if math.isclose(answer, 1.5e-3, rel_tol=0.01):
        return True, ("1.5e-3, half the peak. (1 + cos(pi t)) / 2 averages 1/2 over t from 0 to 1, because the cosine's positive and "
                      "negative halves cancel. (Over 1,000 discrete steps starting at the peak it is 1.5015e-3: the same to 3 digits.)")
    if math.isclose(answer, 3e-3, rel_tol=0.01):
        return False, "That is the peak, where the schedule starts; it falls from there to 0."
    if math.isclose(answer, 1e-3, rel_tol=0.01):
        return False, "1e-3 is the average of a cosine decay from 2e-3, the lesson's; this one starts at 3e-3."
    if math.isclose(answer, 3e-3 * 2 / math.pi, rel_tol=0.01):
        return False, ("2/pi times the peak is the average of a quarter cosine, cos(pi t / 2); the decay runs along half a cosine, "
                       "(1 + cos(pi t)) / 2, which averages 1/2.")
    return False, f"{answer} is not it: the rate is peak * (1 + cos(pi * step / 1000)) / 2; average that over the run."


_COSINE_CASES = ((0, 100, 2e-3), (25, 100, 2e-3), (50, 100, 2e-3), (99, 100, 2e-3), (7, 30, 0.5), (433, 1290, 1e-3))


def _keras_cosine(step: int, total_steps: int, peak: float) -> float:
    import keras

    return float(keras.optimizers.schedules.CosineDecay(peak, decay_steps=total_steps)(step))


_COSINE_SLIPS = {
    "The rate never falls below half the peak: write peak * (1 + cos(pi * step / total_steps)) / 2, not "
    "peak * (1 + cos(...)) / 4 or a cosine of the wrong length.": lambda s, n, p: p * (1 + math.cos(math.pi * s / n)) / 4,
    "That is a quarter cosine, peak * cos(pi/2 * step / total_steps); the decay runs along half a cosine: "
    "peak * (1 + cos(pi * step / total_steps)) / 2.": lambda s, n, p: p * math.cos(math.pi / 2 * s / n),
    "Without the 1 + ... / 2 the rate goes negative after half the run: peak * (1 + cos(pi * step / total_steps)) / 2.":
        lambda s, n, p: p * math.cos(math.pi * s / n),
    "math.cos takes radians: use pi * step / total_steps, not 180 * step / total_steps.":
        lambda s, n, p: p * (1 + math.cos(180 * s / n)) / 2,
    "That rises instead of falling: the rate is peak at step 0, so use 1 + cos(...), not 1 - cos(...).":
        lambda s, n, p: p * (1 - math.cos(math.pi * s / n)) / 2,
}


@exercise("07.3", solution="""
def cosine_rate(step, total_steps, peak):
    progress = step / total_steps                       # 0 at the start, 1 at the end of the run
    return peak * (1 + np.cos(np.pi * progress)) / 2""")
def _cosine_rate(answer):
    code = CodeAnswer(answer, "cosine_rate")
    if (why := code.callable_or_explain()):
        return False, why
    results = []
    for step, total, peak in _COSINE_CASES:
        result = code.run(step, total, peak)
        if code.error:
            return False, code.error
        if (why := code.one_number_or_explain(result, "cosine_rate")):
            return False, why
        results.append(float(result))
    expected = [_keras_cosine(*case) for case in _COSINE_CASES]
    if all(math.isclose(r, e, rel_tol=1e-5, abs_tol=1e-9) for r, e in zip(results, expected)):
        return True, ("It agrees with Keras's CosineDecay at every step checked: peak at step 0, half the peak half-way, "
                      "close to 0 at the last step.")
    for why, slip in _COSINE_SLIPS.items():
        if all(math.isclose(r, slip(*case), rel_tol=1e-6, abs_tol=1e-12) for r, case in zip(results, _COSINE_CASES)):
            return False, why
    for (step, total, peak), r, e in zip(_COSINE_CASES, results, expected):
        if not math.isclose(r, e, rel_tol=1e-5, abs_tol=1e-9):
            return False, (f"cosine_rate({step}, {total}, {peak}) gives {r:.6g}; Keras's CosineDecay gives {e:.6g}. "
                           "At step 0 the rate is the peak; half-way it is half the peak.")
    return False, "Compare with Keras's CosineDecay at a few steps."


@exercise("07.4")
def _ranked_or_not(answer):
    return _choice(answer, {
        "neither": ("A's mean is 0.9570, B's 0.9565: a gap of 0.0005 against B's spread of 0.0050 (and A's 0.0020). Within the "
                    "spread: neither is ranked."),
        "a": "A's mean (0.9570) is only 0.0005 above B's (0.9565), and B's own two runs are 0.0050 apart: the gap is inside the spread.",
        "b": "B has the highest single run, but its mean (0.9565) is below A's (0.9570); rankings go by the means and the spreads.",
    }, "neither")
