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


def share_ranked(rng, n: int, gap: float, family: int, arms: int, trials: int, seed_effect: float, old_rule: bool = False,
                 first_arm: bool = False) -> float:
    """Share of trials in which at least one of ``arms`` arms, each ``gap`` sds above a base, is ranked above or below it.

    ``first_arm``: the share in which one given arm is ranked (its power), whatever the others do.
    """
    hits = 0
    for _ in range(trials):
        shared = rng.normal(0, seed_effect, n)
        base = shared + rng.normal(0, 1, n)
        for _ in range(1 if first_arm else arms):
            arm = shared + gap + rng.normal(0, 1, n)
            if old_rule:
                ranked = abs(arm.mean() - base.mean()) > max(np.ptp(arm), np.ptp(base))
            else:
                ranked = runs.compare(arm, base, family).ranked
            if ranked:
                hits += 1
                break
    return hits / trials


def screen_then_confirm(rng, n: int, gaps: tuple[float, ...], trials: int, seed_effect: float) -> tuple[float, float]:
    """Lesson 07's design: a search of len(gaps) arms against a base (n paired seeds), the arm with the largest mean gain
    picked, then the pick confirmed against the base on n fresh seeds, one comparison at 95%.

    Returns (share of searches that confirm an arm whose true gap is 0, share that confirm an arm whose true gap is the
    largest). The confirmation's seeds share nothing with the search's, so the luck that made the pick look best is gone.
    """
    gaps_array = np.asarray(gaps)
    null_confirmed = best_confirmed = 0
    for _ in range(trials):
        shared = rng.normal(0, seed_effect, n)
        base = shared + rng.normal(0, 1, n)
        arms = shared + gaps_array[:, None] + rng.normal(0, 1, (len(gaps), n))
        pick = int(np.argmax(arms.mean(axis=1) - base.mean()))
        fresh = rng.normal(0, seed_effect, n)
        confirmed = runs.clearly_above(fresh + gaps_array[pick] + rng.normal(0, 1, n), fresh + rng.normal(0, 1, n))
        null_confirmed += confirmed and gaps_array[pick] == 0
        best_confirmed += confirmed and gaps_array[pick] == gaps_array.max()
    return null_confirmed / trials, best_confirmed / trials


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
        for arms, family in ((1, 1), (2, 2), (10, 10)):  # one comparison (04, 08), two (05, 06), a search of ten (07)
            for name, old in (("paired t interval" + (f", family {family}" if family > 1 else ""), False),
                              ("old: gap above both spreads", True)):
                figures = [share_ranked(rng, n, gap * spread, family, arms, args.trials // arms, args.seed_effect, old)
                           for gap in (0.0, 2.0, 3.5)]
                print(f"{name:34} {n:5d} {arms:4d}  {figures[0]:13.1%}  {figures[1]:13.1%}  {figures[2]:15.1%}", flush=True)
    print("With 2 or 10 arms: the share of trials in which at least one arm is ranked (with a gap: every arm has it).")
    print(f"\nOne arm's power among its family's comparisons {'':9} {'gap 2 spreads':>13}  {'gap 3.5 spreads':>15}")
    for n, family in ((3, 2), (3, 10), (4, 10), (5, 10)):
        spread = expected_range(n, rng)
        figures = [share_ranked(rng, n, gap * spread, family, family, args.trials, args.seed_effect, first_arm=True)
                   for gap in (2.0, 3.5)]
        print(f"{f'paired t interval, family {family}':34} {n:5d} {1:4d}  {'':13}  {figures[0]:13.1%}  {figures[1]:15.1%}", flush=True)
    print("\nLesson 07's screen then confirmation: 10 arms, the best-looking picked, then confirmed on as many fresh seeds")
    print(f"{'true gaps of the 10 arms (spreads)':48} {'seeds':>5}  {'a null arm confirmed':>20}  {'the best arm confirmed':>22}")
    for n in (3, 4):
        spread = expected_range(n, rng)
        for label, gaps in (("all 0", (0.0,) * 10), ("one 2, the rest 0", (2.0,) + (0.0,) * 9),
                            ("one 3.5, the rest 0", (3.5,) + (0.0,) * 9), ("two 2 and 1.5, the rest 0", (2.0, 1.5) + (0.0,) * 8)):
            null, best = screen_then_confirm(rng, n, tuple(g * spread for g in gaps), args.trials, args.seed_effect)
            print(f"{label:48} {n:5d}  {null:20.1%}  {best:22.1%}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
