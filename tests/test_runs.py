"""rnn_helpers.runs: rank two arms, paired by seed, only when the interval of their gap excludes 0."""

import numpy as np
import pytest

from rnn_helpers import runs
from rnn_helpers.errors import LessonError


def test_summary_gives_mean_sd_and_range():
    assert runs.summary([0.94, 0.95, 0.96]) == "0.9500 ± 0.0100 (0.9400-0.9600)"
    assert runs.spread([0.94, 0.95, 0.96]) == pytest.approx(0.02)


@pytest.mark.parametrize("probability, df, expected", [(0.975, 1, 12.7062), (0.975, 2, 4.3027), (0.975, 10, 2.2281),
                                                       (0.9975, 2, 14.0890), (0.9975, 3, 7.4533), (0.995, 4, 4.6041)])
def test_t_quantiles_match_the_tables(probability, df, expected):
    assert runs.t_quantile(probability, df) == pytest.approx(expected, abs=1e-4)


def test_a_steady_gap_ranks_even_when_the_seeds_move_both_arms():
    # seed 1 lifts both arms by a point: the spread of each arm (0.01) is larger than the gap (0.005), but the
    # paired differences are 0.005, 0.004 and 0.006: the same sign, close together
    better, worse = [0.955, 0.964, 0.956], [0.950, 0.960, 0.950]
    assert runs.clearly_above(better, worse) and not runs.clearly_above(worse, better)
    assert runs.verdict("GRU", better, "SimpleRNN", worse) == (
        "GRU above SimpleRNN by 0.0050 (95% interval +0.0025 to +0.0075 over 3 paired seeds): ranked")
    # named the other way round, the verdict still reads "GRU above SimpleRNN", with the interval of GRU - SimpleRNN
    assert runs.verdict("SimpleRNN", worse, "GRU", better) == runs.verdict("GRU", better, "SimpleRNN", worse)


def test_differences_of_both_signs_do_not_rank():
    assert not runs.clearly_above([0.96, 0.95, 0.97], [0.95, 0.96, 0.95])
    assert runs.verdict("a", [0.96, 0.95, 0.97], "b", [0.95, 0.96, 0.95]).endswith("includes 0): not ranked")


def test_a_search_widens_every_interval():
    better, worse = [0.955, 0.964, 0.956], [0.950, 0.960, 0.950]
    alone, among_ten = runs.compare(better, worse), runs.compare(better, worse, family=10)
    assert among_ten.low < alone.low and among_ten.high > alone.high and not among_ten.ranked
    assert "99.5% interval" in runs.verdict("a", better, "b", worse, family=10)
    assert "one of 10 comparisons" in runs.verdict("a", better, "b", worse, family=10)


def test_bad_comparisons_are_refused():
    with pytest.raises(LessonError, match=r"at least 2 runs per arm, got \[0.95\]; train the arm with more seeds"):
        runs.summary([0.95])
    with pytest.raises(LessonError, match="one run per seed each, got 3 and 2 runs"):
        runs.compare([0.9, 0.91, 0.92], [0.9, 0.91])
    with pytest.raises(LessonError, match="family is the number of comparisons made"):
        runs.compare([0.9, 0.91], [0.9, 0.92], family=0)


def _ranked_share(rng, seeds: int, trials: int, gap: float = 0.0, family: int = 1, arms: int = 1,
                  seed_effect: float = 0.5) -> float:
    """Share of trials in which at least one of ``arms`` arms is ranked against a base, for arms ``gap`` above it.

    Accuracies are normal with sd 1 per run, plus an effect of the seed shared by every arm (sd ``seed_effect``).
    """
    hits = 0
    for _ in range(trials):
        shared = rng.normal(0, seed_effect, seeds)
        base = shared + rng.normal(0, 1, seeds)
        hits += any(runs.compare(shared + gap + rng.normal(0, 1, seeds), base, family).ranked for _ in range(arms))
    return hits / trials


@pytest.mark.parametrize("seeds", [2, 3, 5])
def test_with_no_true_difference_one_comparison_in_twenty_is_ranked(seeds):
    # 4,000 simulated comparisons: 5% expected, and the binomial sd is 0.34%: 3.5% to 6.5% is over four sd either way
    share = _ranked_share(np.random.default_rng(seeds), seeds, 4000)
    assert 0.035 < share < 0.065, share


def test_a_search_of_ten_arms_ranks_any_by_chance_at_most_one_time_in_twenty():
    # lesson 07's search: 10 changes against one base, all with 3 seeds; without the family correction the chance that
    # some arm is ranked by chance is 1 - 0.95^10 (about 40%); with it, at most 5%
    rng = np.random.default_rng(7)
    corrected = _ranked_share(rng, 3, 1500, family=10, arms=10)
    uncorrected = _ranked_share(rng, 3, 1500, family=1, arms=10)
    assert corrected <= 0.065 and uncorrected > 0.3, (corrected, uncorrected)


def test_a_large_true_gap_is_ranked_most_of_the_time():
    # a gap of 5 run-to-run sds with 3 paired seeds: the interval's half width is about 4.3 * 1.15 / 1.7 = 2.9 sd
    assert _ranked_share(np.random.default_rng(3), 3, 1000, gap=5.0) > 0.8
