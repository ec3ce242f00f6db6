"""Lesson 04's experiment exercise: the checker reads the student's own two histories, so any honest run is judged on what it shows."""

import pytest

from rnn_helpers import exercises


def history(val_accuracy, accuracy=None):
    """A Keras-shaped history of len(val_accuracy) epochs."""
    accuracy = accuracy or [v - 0.05 for v in val_accuracy]
    return {"accuracy": accuracy, "loss": [2.0 - a for a in accuracy], "val_accuracy": val_accuracy,
            "val_loss": [2.0 - v for v in val_accuracy]}


ONE_E3 = history([0.5172, 0.5550, 0.5870])  # the 1e-3 run a student compares with


class Run:
    """What training.fit returns, as far as the checker looks: a .history dict."""

    def __init__(self, history):
        self.history = history


@pytest.mark.parametrize("mine, right", [
    (history([0.5724, 0.6136, 0.6564]), "higher"),  # what seed 0 gave at 3e-3
    (history([0.4506, 0.5100, 0.5600]), "lower"),  # a run that did worse: the checker follows the numbers, not a stored run
])
def test_04_5_accepts_the_reading_the_two_histories_support(mine, right):
    ok, why = exercises.verdict("04.5", (mine, ONE_E3, right))
    assert ok and f"{mine['val_accuracy'][-1]:.4f}" in why and "0.5870" in why
    wrong = {"higher", "lower"} - {right}
    assert not exercises.is_correct("04.5", (mine, ONE_E3, wrong.pop()))


def test_04_5_accepts_runs_and_a_tie_and_the_reading_in_any_case():
    mine = history([0.5724, 0.6136, 0.6564])
    assert exercises.is_correct("04.5", (Run(mine), Run(ONE_E3), "higher"))
    assert exercises.is_correct("04.5", [mine, ONE_E3, " Higher."])
    tied = history([0.5, 0.55, 0.5870])
    assert exercises.is_correct("04.5", (tied, ONE_E3, "higher")) and exercises.is_correct("04.5", (tied, ONE_E3, "lower"))


@pytest.mark.parametrize("answer, diagnosis", [
    # validation accuracy higher at 3e-3, training accuracy lower: "lower" read the training curve
    ((history([0.55, 0.60, 0.65], accuracy=[0.40, 0.50, 0.55]), history([0.50, 0.55, 0.58], accuracy=[0.45, 0.55, 0.60]), "lower"),
     "That is what the training accuracy says"),
    ((history([0.55, 0.60, 0.65]), ONE_E3, "lower"), "Read the last value of \"val_accuracy\" in each history: yours is higher"),
    ((ONE_E3, ONE_E3, "higher"), "Both histories are the same run"),
    ((history([0.55, 0.60, 0.65, 0.66]), ONE_E3, "higher"), "Your run trained 4 epochs and the 1e-3 run 3"),
    ((history([0.55, 0.60, 0.65]), ONE_E3, "better"), "Answer with one of ['higher', 'lower']"),
    ((history([0.55, 0.60, 0.65]), ONE_E3), "Answer with three things in a tuple"),
    ("higher", "Answer with three things in a tuple"),
    ((0.65, ONE_E3, "higher"), "The first item should be a training history"),
    ((history([0.55, 0.60, 0.65]), {"loss": [1.0]}, "higher"), "The second item should be a training history"),
])
def test_04_5_names_the_mistake(answer, diagnosis):
    ok, why = exercises.verdict("04.5", answer)
    assert not ok and diagnosis in why, why


def test_04_5_the_same_history_twice_is_caught_even_as_a_copy():
    ok, why = exercises.verdict("04.5", (ONE_E3, dict(ONE_E3), "higher"))
    assert not ok and "Both histories are the same run" in why
