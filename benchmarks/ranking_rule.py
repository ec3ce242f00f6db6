"""How often the lessons' ranking rule ranks two arms, with and without a true difference: by simulation.

Not a test (tests/test_runs.py asserts the false-ranking rate); this prints the table the lessons and the README
quote. Each arm's runs are normal with sd 1, plus an effect of the seed that run i of every arm shares (sd
``--seed-effect``: the arms of a comparison are trained with the same seeds). A true gap is given in *spreads*: the
expected range (max - min) of one arm's n runs, the yardstick of the rule the lessons used before, which ranked two
arms when the gap of their means exceeded the spread of both.

    .venv/bin/python benchmarks/ranking_rule.py [--trials 20000]
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

from rnn_helpers import runs


def expected_range(n: int, rng, trials: int = 200_000) -> float:
    """The mean range of n standard normal draws (1.13 for 2, 1.69 for 3)."""
    draws = rng.normal(size=(trials, n))
    return float((draws.max(axis=1) - draws.min(axis=1)).mean())


def share_ranked(rng, n: int, gap: float, family: int, arms: int, trials: int, seed_effect: float, old_rule: bool = False) -> float:
    """Share of trials in which at least one of ``arms`` arms, each ``gap`` sds above a base, is ranked above or below it."""
    hits = 0
    for _ in range(trials):
        shared = rng.normal(0, seed_effect, n)
        base = shared + rng.normal(0, 1, n)
        for _ in range(arms):
            arm = shared + gap + rng.normal(0, 1, n)
            if old_rule:
                ranked = abs(arm.mean() - base.mean()) > max(np.ptp(arm), np.ptp(base))
            else:
                ranked = runs.compare(arm, base, family).ranked
            if ranked:
                hits += 1
                break
    return hits / trials


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=20000)
    parser.add_argument("--seed-effect", type=float, default=0.5, help="sd of what a seed does to every arm (runs have sd 1)")
    args = parser.parse_args(argv)
    rng = np.random.default_rng(0)
    print(f"{args.trials} simulated comparisons per row; run-to-run sd 1, shared seed effect sd {args.seed_effect}")
    print(f"{'rule':34} {'seeds':>5} {'arms':>4}  {'no difference':>13}  {'gap 2 spreads':>13}  {'gap 3.5 spreads':>15}")
    for n in (2, 3, 4, 5):
        spread = expected_range(n, rng)
        for arms, family in ((1, 1), (10, 10)):
            for name, old in (("paired t interval" + (f", family {family}" if family > 1 else ""), False),
                              ("old: gap above both spreads", True)):
                figures = [share_ranked(rng, n, gap * spread, family, arms, args.trials // arms, args.seed_effect, old)
                           for gap in (0.0, 2.0, 3.5)]
                print(f"{name:34} {n:5d} {arms:4d}  {figures[0]:13.1%}  {figures[1]:13.1%}  {figures[2]:15.1%}", flush=True)
    print("With 10 arms: the share of searches in which at least one arm is ranked (with a gap: every arm has it).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
