"""rnn_helpers.runs: rank two arms only when the gap exceeds their spread."""

import pytest

from rnn_helpers import runs
from rnn_helpers.errors import LessonError


def test_summary_gives_mean_sd_and_range():
    assert runs.summary([0.94, 0.95, 0.96]) == "0.9500 ± 0.0100 (0.9400-0.9600)"
    assert runs.spread([0.94, 0.95, 0.96]) == pytest.approx(0.02)


def test_a_gap_larger_than_both_spreads_ranks():
    assert runs.clearly_above([0.97, 0.975, 0.972], [0.95, 0.955, 0.952])
    assert not runs.clearly_above([0.95, 0.955, 0.952], [0.97, 0.975, 0.972])
    assert runs.verdict("GRU", [0.97, 0.975, 0.972], "SimpleRNN", [0.95, 0.955, 0.952]).endswith(": ranked")
    assert runs.verdict("SimpleRNN", [0.95, 0.955, 0.952], "GRU", [0.97, 0.975, 0.972]).startswith("GRU above SimpleRNN")


def test_a_gap_within_either_spread_does_not_rank():
    # means differ by 0.01, but the second arm alone spans 0.03
    assert not runs.clearly_above([0.96, 0.96, 0.96], [0.935, 0.965, 0.95])
    assert runs.verdict("a", [0.96, 0.96, 0.96], "b", [0.935, 0.965, 0.95]) == (
        "a minus b: +0.0100, within the spread (0.0300): not ranked")


def test_one_run_is_not_a_comparison():
    with pytest.raises(LessonError, match=r"at least 2 runs per arm, got \[0.95\]; train the arm with more seeds"):
        runs.summary([0.95])
