"""Repeated runs: a result is a set of runs with different seeds, not one number.

One training run is one draw: the random initial weights and the order of the
batches move its accuracy. The lessons train every arm of a comparison with
several seeds, show the mean, the standard deviation and the range, and rank
two arms only when the gap between their means is larger than the spread
(max - min) of both arms: ``clearly_above``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from rnn_helpers.errors import LessonError


def _values(runs: Sequence[float]) -> np.ndarray:
    values = np.asarray(runs, dtype=np.float64)
    if values.ndim != 1 or len(values) < 2:
        raise LessonError(f"a comparison needs at least 2 runs per arm, got {np.ravel(values).tolist()}; "
                          "train the arm with more seeds")
    return values


def spread(runs: Sequence[float]) -> float:
    """Largest minus smallest of the runs."""
    values = _values(runs)
    return float(values.max() - values.min())


def summary(runs: Sequence[float]) -> str:
    """Mean ± standard deviation (n - 1 in the denominator), then the range: "0.9474 ± 0.0047 (0.9426-0.9519)"."""
    values = _values(runs)
    return f"{values.mean():.4f} ± {values.std(ddof=1):.4f} ({values.min():.4f}-{values.max():.4f})"


def clearly_above(better: Sequence[float], worse: Sequence[float]) -> bool:
    """True when mean(better) - mean(worse) exceeds the spread of both arms: a ranking the runs support."""
    gap = _values(better).mean() - _values(worse).mean()
    return bool(gap > max(spread(better), spread(worse)))


def verdict(name_a: str, runs_a: Sequence[float], name_b: str, runs_b: Sequence[float]) -> str:
    """One line: which arm is ahead, and whether the runs rank them ("clearly") or not ("within the spread")."""
    gap = _values(runs_a).mean() - _values(runs_b).mean()
    largest_spread = max(spread(runs_a), spread(runs_b))
    if clearly_above(runs_a, runs_b):
        return f"{name_a} above {name_b} by {gap:.4f}, more than the spread ({largest_spread:.4f}): ranked"
    if clearly_above(runs_b, runs_a):
        return f"{name_b} above {name_a} by {-gap:.4f}, more than the spread ({largest_spread:.4f}): ranked"
    return f"{name_a} minus {name_b}: {gap:+.4f}, within the spread ({largest_spread:.4f}): not ranked"
