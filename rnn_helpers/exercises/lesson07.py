"""Lesson 07: how far a SimpleRNN goes."""

from __future__ import annotations

import math

from rnn_helpers.exercises.core import (
    CodeAnswer,
    Refused,
    _,
    choice,
    close,
    coarse_rounding,
    exercise,
    judge,
    judge_each,
    number,
    pgettext,
    shorten,
    typed_option,
)
from rnn_helpers.exercises.lesson02 import count_slips, keras_count, simple_rnn_count


def _keras_bidirectional_classifier(n: int, u: int, classes: int) -> int:
    import keras

    return keras_count([keras.layers.Bidirectional(keras.layers.SimpleRNN(u)), keras.layers.Dense(classes, activation="softmax")], n)


@exercise("07.1")
def _bidirectional_classifier_parameters(answer):
    code = CodeAnswer(answer, "bidirectional_classifier_parameters")

    def judge_case(case):
        n, u, c = case
        expected = _keras_bidirectional_classifier(n, u, c)
        result = code.parameter_count(code.run(n, u, c))
        one_direction = simple_rnn_count(n, u)
        return judge(result, expected, "", [
            (2 * one_direction + u * c + c, _("The classifier reads both directions' final states side by side (Bidirectional "
                                              "concatenates them): 2u inputs, so its kernel is 2u x num_classes.")),
            (one_direction + 2 * u * c + c, _("That counts one direction; the backward SimpleRNN has its own W, U and b.")),
            (one_direction + u * c + c, _("That is the one-direction model; a bidirectional layer holds two SimpleRNNs.")),
            (2 * one_direction, _("That is the recurrent layer alone; add the Dense classifier (kernel and bias).")),
            (2 * one_direction + 2 * u * c, _("You left out the classifier's bias, one per class.")),
            (simple_rnn_count(n, 2 * u) + 2 * u * c + c, _("The two directions do not share a state: each has its own u x u "
                                                           "recurrent kernel, not one (2u x 2u) kernel.")),
            *count_slips(expected, 2 * (u * u + u) + 2 * u * c + c),
        ], _("For input_size={n}, cell_size={u}, num_classes={c} it gives {result}; Keras counts {expected}. Count one direction, "
             "double it, then the classifier.").format(n=n, u=u, c=c, result=result, expected=expected))

    return judge_each(((28, 128, 10), (5, 3, 4), (28, 10, 10)), judge_case, _(
        "It matches Keras for every model the checker built, e.g. 2 x 20,096 + 2,570 = 42,762 for the lesson's final recipe: the "
        "second direction doubles the recurrent layer, and the classifier reads 2u values."))


@exercise("07.2")
def _cosine_average(answer):
    rate = number(answer, _("a number such as 0.001"))
    return judge(rate, 1.5e-3, _("1.5e-3, half the peak. (1 + cos(pi t)) / 2 averages 1/2 over t from 0 to 1, because the cosine's "
                                 "positive and negative halves cancel. (Over 1,000 discrete steps starting at the peak it is "
                                 "1.5015e-3: the same to 3 digits.)"), [
        (3e-3, _("That is the peak, where the schedule starts; it falls from there to 0.")),
        (1e-3, _("1e-3 is the average of a cosine decay from 2e-3, the lesson's; this one starts at 3e-3.")),
        (3e-3 * 2 / math.pi, _("2/pi times the peak is the average of a quarter cosine, cos(pi t / 2); the decay runs along half a "
                               "cosine, (1 + cos(pi t)) / 2, which averages 1/2.")),
        (lambda r: close(r * 1e-3, 1.5e-3, rel_tol=0.01), _(
            "That is the right number in units of 1e-3: the question asks for the learning rate itself, 1.5e-3 = 0.0015 (Keras "
            "takes learning_rate=1.5e-3, not 1.5).")),
        coarse_rounding(1.5e-3),
    ], _("{rate} is not it: the rate is peak * (1 + cos(pi * step / 1000)) / 2; average that over the run.").format(rate=rate),
        same=lambda a, b: close(a, b, rel_tol=0.01))


_COSINE_CASES = ((0, 100, 2e-3), (25, 100, 2e-3), (50, 100, 2e-3), (99, 100, 2e-3), (7, 30, 0.5), (433, 1290, 1e-3))


def _keras_cosine(step: int, total_steps: int, peak: float) -> float:
    import keras

    return float(keras.optimizers.schedules.CosineDecay(peak, decay_steps=total_steps)(step))


_COSINE_SLIPS = {
    _("The rate never falls below half the peak: write peak * (1 + cos(pi * step / total_steps)) / 2, not "
      "peak * (1 + cos(...)) / 4 or a cosine of the wrong length."): lambda s, n, p: p * (1 + math.cos(math.pi * s / n)) / 4,
    _("That is a quarter cosine, peak * cos(pi/2 * step / total_steps); the decay runs along half a cosine: "
      "peak * (1 + cos(pi * step / total_steps)) / 2."): lambda s, n, p: p * math.cos(math.pi / 2 * s / n),
    _("Without the 1 + ... / 2 the rate goes negative after half the run: peak * (1 + cos(pi * step / total_steps)) / 2."):
        lambda s, n, p: p * math.cos(math.pi * s / n),
    _("math.cos takes radians: use pi * step / total_steps, not 180 * step / total_steps."):
        lambda s, n, p: p * (1 + math.cos(180 * s / n)) / 2,
    _("That rises instead of falling: the rate is peak at step 0, so use 1 + cos(...), not 1 - cos(...)."):
        lambda s, n, p: p * (1 - math.cos(math.pi * s / n)) / 2,
}


def _agree(rates: list[float], others: list[float]) -> bool:
    """Rates equal at every case, to what Keras's float32 CosineDecay can tell apart."""
    return all(math.isclose(r, o, rel_tol=1e-5, abs_tol=1e-9) for r, o in zip(rates, others, strict=True))


@exercise("07.3")
def _cosine_rate(answer):
    code = CodeAnswer(answer, "cosine_rate")
    rates = [code.one_number(code.run(*case)) for case in _COSINE_CASES]
    expected = [_keras_cosine(*case) for case in _COSINE_CASES]
    explanation = _("It agrees with Keras's CosineDecay at every step checked: peak at step 0, half the peak half-way, close to 0 at "
                    "the last step.")
    if _agree(rates, expected):
        return True, explanation  # the general hint below names the first wrong step, so it is only written for a wrong answer
    (step, total, peak), rate, keras_rate = next((case, r, e) for case, r, e in zip(_COSINE_CASES, rates, expected)
                                                 if not _agree([r], [e]))
    return judge(rates, expected, explanation, [
        ([slip(*case) for case in _COSINE_CASES], why) for why, slip in _COSINE_SLIPS.items()
    ], _("cosine_rate({step}, {total}, {peak}) gives {rate:.6g}; Keras's CosineDecay gives {keras_rate:.6g}. At step 0 the rate is "
         "the peak; half-way it is half the peak.").format(step=step, total=total, peak=peak, rate=rate, keras_rate=keras_rate),
        same=_agree)


@exercise("07.4")
def _ranked_or_not(answer):
    return choice(answer, {
        "neither": _("The paired differences A - B are +0.0020 (seed 1) and -0.0010 (seed 2): a mean of +0.0005 with an sd of "
                     "0.0021. With 2 seeds the 95% interval is the mean ± 12.7 x 0.0021 / sqrt(2), about -0.019 to +0.020: it "
                     "includes 0, so neither is ranked. Differences of both signs never rank."),
        "a": _("A's mean is only 0.0005 above B's, and the paired differences have both signs (+0.0020 with seed 1, -0.0010 with "
               "seed 2): the 95% interval of their mean, about -0.019 to +0.020, includes 0."),
        "b": _("B has the highest single run, but its mean (0.9565) is below A's (0.9570); the rule goes by the mean of the paired "
               "differences and its interval, which includes 0 here."),
    }, "neither")


def _runs(values, what: str) -> list[float]:
    """``values`` as a list of at least 2 accuracies, refused with what to give otherwise."""
    try:
        runs = [float(v) for v in values]
    except (TypeError, ValueError):
        raise Refused(_("{what} should be a list of validation accuracies, one per seed, not {value}.").format(
            what=what, value=shorten(values))) from None
    if len(runs) < 2 or not all(0.0 <= v <= 1.0 for v in runs):
        raise Refused(_("{what} should hold at least 2 validation accuracies between 0 and 1, one per seed; got {value}.").format(
            what=what, value=shorten(values)))
    return runs


@exercise("07.5")
def _your_search_step(answer):
    from rnn_helpers import runs

    if not isinstance(answer, (tuple, list)) or len(answer) != 3:
        raise Refused(_("Answer (your_runs, base_runs, reading): your change's validation accuracies, the base's "
                        "(search[\"base\"][\"validation\"]) and \"above\", \"below\" or \"not ranked\"."))
    mine, base = _runs(answer[0], _("your_runs")), _runs(answer[1], _("base_runs"))
    if len(mine) != len(base):
        raise Refused(_("Pair your runs with the base's: one run per seed of `seeds`, {n} of them; you gave {m}.").format(
            n=len(base), m=len(mine)))
    if mine == base:
        raise Refused(_("your_runs are the base's own runs: run your change with search_run on each seed first."))
    reading = typed_option(answer[2], ("above", "below", "not ranked"))
    if reading is None:
        raise Refused(_("Read the comparison as \"above\", \"below\" or \"not ranked\", not {value}.").format(
            value=shorten(answer[2])))
    found = runs.compare(mine, base)
    right = "not ranked" if not found.ranked else "above" if found.gap > 0 else "below"
    interval = _("your change minus the base: mean paired gain {gap:+.4f}, 95% interval {low:+.4f} to {high:+.4f} over {n} seeds"
                 ).format(gap=found.gap, low=found.low, high=found.high, n=found.runs)
    return judge(reading, right, _("{interval}, so {right}. Counted as an eleventh comparison, family=11 would widen it "
                                   "further.").format(interval=interval, right=pgettext("choice", right)), [
        ("not ranked", _("{interval}: the interval lies on one side of 0, so the runs rank it ({right}).").format(
            interval=interval, right=pgettext("choice", right))),
        (lambda r: right == "not ranked", _("{interval}: the interval includes 0, so it is not ranked, whatever the sign of the "
                                            "mean gain.").format(interval=interval)),
    ], _("{interval}: the interval lies on the other side of 0 (higher accuracy is better).").format(interval=interval))
