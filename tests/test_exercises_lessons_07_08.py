"""Lessons 07 and 08's experiment exercises: the checkers read the student's own run, so any honest run is right."""

import numpy as np
import pytest

from rnn_helpers import exercises, runs

BASE = [0.9430, 0.9472, 0.9450]


def verdict(exercise_id, answer):
    return exercises.verdict(exercise_id, answer)


@pytest.mark.parametrize("mine", [[0.9581, 0.9569, 0.9577], [0.9441, 0.9460, 0.9445], [0.9101, 0.9203, 0.9150],
                                  [0.9530, 0.9400, 0.9520]])
def test_07_5_accepts_the_reading_the_runs_support_whatever_they_are(mine):
    found = runs.compare(mine, BASE)
    right = "not ranked" if not found.ranked else "above" if found.gap > 0 else "below"
    ok, why = verdict("07.5", (mine, BASE, right))
    assert ok and f"{found.low:+.4f} to {found.high:+.4f}" in why
    for wrong in {"above", "below", "not ranked"} - {right}:
        assert not verdict("07.5", (mine, BASE, wrong))[0]


@pytest.mark.parametrize("mine, reading, diagnosis", [
    ([0.9581, 0.9569, 0.9577], "not ranked", "lies on one side of 0, so the runs rank it (above)"),
    ([0.9441, 0.9460, 0.9445], "above", "includes 0, so it is not ranked"),
    ([0.9101, 0.9203, 0.9150], "above", "on the other side of 0"),
])
def test_07_5_explains_a_wrong_reading_with_the_interval(mine, reading, diagnosis):
    ok, why = verdict("07.5", (mine, BASE, reading))
    assert not ok and diagnosis in why


@pytest.mark.parametrize("answer, message", [
    ((BASE, BASE, "above"), "the base's own runs"),
    (([0.95, 0.96], BASE, "above"), "one run per seed of `seeds`, 3 of them; you gave 2"),
    (([0.95, 0.96, 1.5], BASE, "above"), "between 0 and 1"),
    (([0.95, 0.96, 0.97], BASE, "better"), "\"above\", \"below\" or \"not ranked\""),
    ("above", "Answer (your_runs, base_runs, reading)"),
])
def test_07_5_refuses_what_is_not_a_run(answer, message):
    ok, why = verdict("07.5", answer)
    assert not ok and message in why


def test_07_4_reads_the_paired_interval():
    ok, why = verdict("07.4", "neither")
    assert ok and "-0.019 to +0.020" in why
    assert "includes 0" in verdict("07.4", "A")[1]


def _reach(chunk):
    return np.r_[np.zeros(28 - chunk), np.linspace(0.002, 0.04, chunk)]


@pytest.mark.parametrize("chunk", [1, 2, 4, 7, 14, 28])
def test_08_5_accepts_the_reach_of_any_chunk_size(chunk):
    ok, why = verdict("08.5", (chunk, _reach(chunk)))
    assert ok and f"steps {28 - chunk + 1} to 28" in why


@pytest.mark.parametrize("answer, diagnosis", [
    ((4, np.full(28, 0.01)), "full BPTT's reach"),
    ((4, _reach(7)), "set chunk_rows = 4 in a cell"),
    ((14, _reach(4)), "Did you run it with chunk_rows = 14?"),
])
def test_08_5_names_the_usual_mistakes(answer, diagnosis):
    ok, why = verdict("08.5", answer)
    assert not ok and diagnosis in why


@pytest.mark.parametrize("answer, message", [
    ((5, _reach(4)), "divide the 28 rows evenly"),
    ((4, _reach(4)[:20]), "got shape (20,)"),
    ((4, -_reach(4)), "none negative"),
    (_reach(4), "Answer (chunk_rows, my_reach)"),
])
def test_08_5_refuses_what_is_not_a_reach(answer, message):
    ok, why = verdict("08.5", answer)
    assert not ok and message in why


def test_the_units_slip_of_07_2_is_named():
    # issue 23: 1.5 (the right rate in units of 1e-3) got no hint; fixed before this change, kept here
    ok, why = verdict("07.2", 1.5)
    assert not ok and "units of 1e-3" in why
