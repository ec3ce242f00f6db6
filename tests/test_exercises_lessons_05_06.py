"""The experiment exercises of lessons 05 and 06: the answer of any honest run is accepted, and each known slip is named."""

import numpy as np
import pytest

from rnn_helpers import exercises, runs
from rnn_helpers.exercises import lesson05


def verdict(exercise_id, answer):
    return exercises.verdict(exercise_id, answer)


def _adam_steps(gradients, learning_rate=1e-3, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    """Lesson 05's adam_steps, step by step as Keras takes them."""
    m = v = 0.0
    steps = []
    for t, g in enumerate(gradients, start=1):
        m = beta_1 * m + (1 - beta_1) * g
        v = beta_2 * v + (1 - beta_2) * g ** 2
        steps.append(-learning_rate * np.sqrt(1 - beta_2 ** t) / (1 - beta_1 ** t) * m / (np.sqrt(v) + epsilon))
    return np.array(steps)


@pytest.mark.parametrize("spike", [10, 1000, 3.5])
def test_05_7_the_checker_computes_what_the_lessons_simulation_prints(spike):
    gradients = np.ones(5001)
    gradients[5000] = spike  # the lesson's simulation: 5,000 calm steps, then the spike
    assert lesson05.adam_spike_step(spike) == pytest.approx(-_adam_steps(gradients)[-1] / 1e-3, rel=1e-12)


@pytest.mark.parametrize("answer", [1.81, 1.812, 1.8, np.float64(1.8118), np.array(1.81)])
def test_05_7_accepts_the_spikes_own_step(answer):
    ok, why = verdict("05.7", answer)
    assert ok and "1.81 learning rates" in why, why


@pytest.mark.parametrize("answer, fragment", [
    (3.18, "That is the lesson's spike, 1,000 times"),
    (3.16, "That is the bound (1 - β1) / √(1 - β2)"),
    (10, "That is what SGD would do"),
    (1, "the calm twin's step"),
    (-1.81, "a positive number of learning rates"),
    (0.00181, "divide by 1e-3"),
    (55.4, "the next 50 steps together"),
    (2, "give at least two significant digits, e.g. 1.8"),
    (1.5, "read the first number it prints"),
    ("1.81", "Give a number of learning rates"),
])
def test_05_7_names_each_slip(answer, fragment):
    ok, why = verdict("05.7", answer)
    assert not ok and fragment in why, why


COLUMNS = [0.9536, 0.9454, 0.9544]


@pytest.mark.parametrize("mine", [[0.9500, 0.9460, 0.9510], [0.9600, 0.9550, 0.9620], [0.9300, 0.9250, 0.9320],
                                  [0.9536, 0.9454, 0.9545]])
def test_06_5_accepts_the_reading_the_runs_support_whatever_they_are(mine):
    found = runs.compare(mine, COLUMNS)
    right = "not ranked" if not found.ranked else "above" if found.gap > 0 else "below"
    assert verdict("06.5", (mine, COLUMNS, right))[0]
    assert verdict("06.5", (np.array(mine), tuple(COLUMNS), right.upper() + "."))[0]  # arrays, tuples, case and a full stop
    for wrong in {"above", "below", "not ranked"} - {right}:
        assert not verdict("06.5", (mine, COLUMNS, wrong))[0]


@pytest.mark.parametrize("mine, reading, fragment", [
    ([0.9500, 0.9460, 0.9510], "above", "the interval includes 0, so they are not ranked"),
    ([0.9600, 0.9550, 0.9620], "not ranked", "the interval lies on one side of 0, so the runs rank them (above)"),
    ([0.9600, 0.9550, 0.9620], "below", "the interval lies on the other side of 0"),
])
def test_06_5_explains_a_wrong_reading_with_the_interval(mine, reading, fragment):
    ok, why = verdict("06.5", (mine, COLUMNS, reading))
    assert not ok and fragment in why and "95% interval" in why, why


@pytest.mark.parametrize("answer, fragment", [
    (0.95, "Answer (mine, order_accuracy[\"columns\"], reading)"),
    (([0.95], [0.95], "above"), "one run per arm ranks nothing"),
    (([0.95, 0.94], COLUMNS, "above"), "one run per seed of `seeds`, 3 of them; you gave 2"),
    ((COLUMNS, COLUMNS, "not ranked"), "train your right-to-left reader on each seed first"),
    (([95.0, 94.6, 95.1], COLUMNS, "above"), "between 0 and 1"),
    ((["a", "b", "c"], COLUMNS, "above"), "a list of validation accuracies"),
    (([0.95, 0.946, 0.951], COLUMNS, "better"), "\"above\", \"below\" or \"not ranked\""),
    (([0.95, 0.946, 0.951], COLUMNS, None), "\"above\", \"below\" or \"not ranked\""),
])
def test_06_5_refuses_what_is_not_a_pair_of_runs_and_a_reading(answer, fragment):
    ok, why = verdict("06.5", answer)
    assert not ok and fragment in why, why


# The checker gaps the review of lessons 05 and 06 found, each named (issue 23).

@pytest.mark.parametrize("exercise_id, answer, fragment", [
    ("05.3", 0.002, "give at least two significant digits, e.g. 0.0024"),
    ("06.2", [23, 24, 25, 26, 27], "Rows are counted from 1 here"),
    ("06.2", [27, 26, 25, 24, 23], "Rows are counted from 1 here"),
    ("05.6", lambda d: np.abs(d).sum(axis=2).mean(axis=0), "That is the L1 norm"),
    ("05.6", lambda d: np.linalg.norm(d, axis=2).mean(axis=0)[::-1], "The curve is reversed in time"),
    ("05.6", lambda d: np.median(np.linalg.norm(d, axis=2), axis=0), "That is the median over the examples"),
])
def test_the_review_gaps_of_05_and_06_are_named(exercise_id, answer, fragment):
    ok, why = verdict(exercise_id, answer)
    assert not ok and fragment in why, why
