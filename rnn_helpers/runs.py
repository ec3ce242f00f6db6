"""Repeated runs: a result is a set of runs with different seeds, not one number.

One training run is one draw: the random initial weights and the order of the
batches move its accuracy. The lessons train every arm of a comparison with the
same seeds (seed, seed + 1, ...), show the mean, the standard deviation and the
range, and rank two arms only when the runs support it:

- The arms are **paired** by seed: run i of each arm saw the same seed, so the
  differences a_i - b_i cancel what a seed does to both.
- The mean difference gets a **95% confidence interval** from Student's t with
  n - 1 degrees of freedom. Two arms are ranked when the interval excludes 0.
  With no true difference this ranks one comparison in 20 (``RANKING_LEVEL``;
  ``tests/test_runs.py`` measures it by simulation).
- A **search** makes many comparisons, and each one can rank by chance. With
  ``family=k`` comparisons the level is split k ways (Bonferroni), so the chance
  that any of them ranks by chance stays at most 1 in 20.

``benchmarks/ranking_rule.py`` prints how often the rule ranks with and without
a true difference, at the seeds the lessons use.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from rnn_helpers.errors import LessonError
from rnn_helpers.i18n import N_, _  # the message in the reader's language (gettext; see rnn_helpers.i18n)

RANKING_LEVEL = 0.05  # the chance that a comparison (or a whole search, with family=k) ranks two arms that do not differ


def _values(runs: Sequence[float]) -> np.ndarray:
    values = np.asarray(runs, dtype=np.float64)
    if values.ndim != 1 or len(values) < 2:
        raise LessonError(_("a comparison needs at least 2 runs per arm, got {runs}; train the arm with more seeds").format(
            runs=np.ravel(values).tolist()))
    return values


def spread(runs: Sequence[float]) -> float:
    """Largest minus smallest of the runs."""
    values = _values(runs)
    return float(values.max() - values.min())


def summary(runs: Sequence[float]) -> str:
    """Mean ± standard deviation (n - 1 in the denominator), then the range: "0.9474 ± 0.0047 (0.9426-0.9519)"."""
    values = _values(runs)
    return f"{values.mean():.4f} ± {values.std(ddof=1):.4f} ({values.min():.4f}-{values.max():.4f})"


def _regularized_beta(x: float, a: float, b: float) -> float:
    """I_x(a, b), the regularized incomplete beta function, by its continued fraction (Numerical Recipes, 6.4)."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    if x > (a + 1) / (a + b + 2):  # the fraction converges fast only below this point; use the symmetry
        return 1.0 - _regularized_beta(1 - x, b, a)
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log(1 - x)) / a
    c, d = 1.0, 1.0 / (1.0 - (a + b) * x / (a + 1))
    fraction = d
    for m in range(1, 300):
        for numerator in (m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
                          -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))):
            d = 1.0 / (1.0 + numerator * d)
            c = 1.0 + numerator / c
            fraction *= c * d
        if abs(c * d - 1.0) < 1e-15:
            break
    return front * fraction


@cache
def t_quantile(probability: float, df: int) -> float:
    """The ``probability`` quantile of Student's t with ``df`` degrees of freedom (for probability above 1/2)."""
    def upper_tail(t: float) -> float:
        return 0.5 * _regularized_beta(df / (df + t * t), df / 2, 0.5)

    low, high = 0.0, 1.0
    while upper_tail(high) > 1 - probability:
        high *= 2
    for _step in range(200):
        middle = (low + high) / 2
        low, high = (middle, high) if upper_tail(middle) > 1 - probability else (low, middle)
    return (low + high) / 2


@dataclass(frozen=True)
class Comparison:
    """Arm a minus arm b, paired by seed: the mean difference, its interval, and how many comparisons it was one of."""

    gap: float
    low: float
    high: float
    runs: int
    family: int

    @property
    def ranked(self) -> bool:
        """Whether the interval excludes 0: the runs rank the two arms."""
        return self.low > 0 or self.high < 0


def compare(runs_a: Sequence[float], runs_b: Sequence[float], family: int = 1) -> Comparison:
    """Arm a against arm b, run i of each with the same seed: the mean paired difference a - b with its confidence interval.

    The interval has level 1 - RANKING_LEVEL / family (Student's t, n - 1 degrees of freedom), so that among ``family``
    comparisons of arms that do not differ, the chance that any is ranked stays at most RANKING_LEVEL.
    """
    a, b = _values(runs_a), _values(runs_b)
    if len(a) != len(b):
        raise LessonError(_("paired arms need one run per seed each, got {a} and {b} runs; train both with the same seeds").format(
            a=len(a), b=len(b)))
    if isinstance(family, bool) or not isinstance(family, int) or family < 1:
        raise LessonError(_("family is the number of comparisons made, a whole number of at least 1, got {family!r}").format(
            family=family))
    differences = a - b
    n = len(differences)
    half_width = t_quantile(1 - RANKING_LEVEL / (2 * family), n - 1) * differences.std(ddof=1) / math.sqrt(n)
    gap = float(differences.mean())
    return Comparison(gap, gap - half_width, gap + half_width, n, family)


def clearly_above(better: Sequence[float], worse: Sequence[float], family: int = 1) -> bool:
    """True when the runs rank ``better`` above ``worse``: the paired interval of better - worse lies above 0."""
    found = compare(better, worse, family)
    return found.ranked and found.gap > 0


# What ``verdict`` prints, one template per case, with every value already written as text: the Chinese edition reads
# these lines back from an English run's output and writes them with the Chinese templates (rnn_build.language_cells).
VERDICT_RANKED = N_("{ahead} above {behind} by {gap} ({level} interval {low} to {high} over {runs} paired seeds): ranked")
VERDICT_RANKED_AMONG = N_("{ahead} above {behind} by {gap} ({level} interval {low} to {high} over {runs} paired seeds, one of "
                          "{family} comparisons): ranked")
VERDICT_NOT_RANKED = N_("{name_a} minus {name_b}: {gap} ({level} interval {low} to {high} over {runs} paired seeds includes 0): "
                        "not ranked")
VERDICT_NOT_RANKED_AMONG = N_("{name_a} minus {name_b}: {gap} ({level} interval {low} to {high} over {runs} paired seeds, one of "
                              "{family} comparisons includes 0): not ranked")
VERDICTS = (VERDICT_RANKED, VERDICT_RANKED_AMONG, VERDICT_NOT_RANKED, VERDICT_NOT_RANKED_AMONG)


def verdict(name_a: str, runs_a: Sequence[float], name_b: str, runs_b: Sequence[float], family: int = 1) -> str:
    """One line: which arm is ahead, the interval of the gap, and whether the runs rank them (in the reader's language)."""
    found = compare(runs_a, runs_b, family)
    values = {"level": f"{100 * (1 - RANKING_LEVEL / family):.4g}%", "runs": str(found.runs), "family": str(family)}
    if found.ranked:
        # "ahead above behind": the gap and its interval are ahead - behind, so both are positive
        ahead, behind, low, high = ((name_a, name_b, found.low, found.high) if found.gap > 0
                                    else (name_b, name_a, -found.high, -found.low))
        template = _(VERDICT_RANKED_AMONG) if family > 1 else _(VERDICT_RANKED)
        return template.format(ahead=ahead, behind=behind, gap=f"{abs(found.gap):.4f}", low=f"{low:+.4f}", high=f"{high:+.4f}",
                               **values)
    template = _(VERDICT_NOT_RANKED_AMONG) if family > 1 else _(VERDICT_NOT_RANKED)
    return template.format(name_a=name_a, name_b=name_b, gap=f"{found.gap:+.4f}", low=f"{found.low:+.4f}",
                           high=f"{found.high:+.4f}", **values)
