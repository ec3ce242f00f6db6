"""The exercise checkers accept the right answer and explain wrong ones."""

import pytest

from rnn_helpers import exercises


def verdict(capsys, exercise_id, answer):
    ok = exercises.check(exercise_id, answer)
    return ok, capsys.readouterr().out


def test_unanswered(capsys):
    ok, out = verdict(capsys, "01.1", None)
    assert not ok and "not answered yet" in out


def test_unknown_exercise():
    with pytest.raises(KeyError, match="no exercise '99.9'"):
        exercises.check("99.9", 1)


@pytest.mark.parametrize("exercise_id, answer, fragment", [
    ("01.1", 28, "number of time steps"),
    ("01.1", 60000, "number of images"),
    ("01.1", "784", "Give a whole number"),
    ("01.2", (10000, 784), "time as its own axis"),
    ("01.2", (60000, 28, 28), "training set"),
    ("01.2", 7, "as a tuple"),
    ("01.3", (0, 1, 2), "still reads rows"),
    ("01.3", (2, 1, 0), "Axis 0 counts the samples"),
    ("01.4", 14, "spread evenly"),
    ("01.4", 14.5, "is not it"),
])
def test_wrong_answers_are_explained(capsys, exercise_id, answer, fragment):
    ok, out = verdict(capsys, exercise_id, answer)
    assert not ok and "not yet" in out and fragment in out


@pytest.mark.parametrize("exercise_id, answer", [
    ("01.1", 784), ("01.2", (10000, 28, 28)), ("01.3", (0, 2, 1)), ("01.4", 15),
])
def test_right_answers(capsys, exercise_id, answer):
    ok, out = verdict(capsys, exercise_id, answer)
    assert ok and "correct" in out


def test_every_exercise_in_the_notebooks_has_a_checker():
    import re

    import nbformat

    from rnn_helpers import series

    used = set()
    for lesson in series.list_lessons():
        code = "\n".join(c.source for c in nbformat.read(lesson.path, as_version=4).cells)
        used |= set(re.findall(r'exercises\.check\("(\d\d\.\d+)"', code))
    assert used and used <= set(exercises.EXERCISES), sorted(used - set(exercises.EXERCISES))
