"""rnn_helpers.setup: one call checks a lesson's parameters, fills in the dependent ones and tells the default run."""

import ast

import papermill
import pytest

from rnn_helpers import lesson
from rnn_helpers.data import PROJECT_ROOT
from rnn_helpers.errors import LessonError

LESSONS = sorted((PROJECT_ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name[:2])
def test_the_defaults_file_is_the_parameters_cell(path):
    # The defaults are written once, in the parameters cell; the file is the copy a kernel reads. `make outputs` rewrites it.
    cell = {name: ast.literal_eval(p["default"]) for name, p in papermill.inspect_notebook(str(path)).items()}
    assert lesson.lesson_defaults()[path.name[:2]] == cell, (
        "rnn_helpers/lesson_defaults.json differs from the parameters cell: run `python -m rnn_helpers defaults` (make outputs does it)")


def defaults(number):
    return dict(lesson.lesson_defaults()[number])


@pytest.mark.parametrize("number", sorted(lesson.CHECKS))
def test_the_defaults_are_valid_and_the_default_run(number):
    namespace = defaults(number)
    findings = lesson.setup(number, namespace)
    assert findings.default_run and findings.lesson == number
    if "n_validation" in namespace:
        assert namespace["n_validation"] == 5000, "the stored default run holds out the last 5,000 training images"


def test_n_validation_follows_a_lowered_n_train():
    namespace = {**defaults("04"), "n_train": 5000}
    findings = lesson.setup("04", namespace)
    assert namespace["n_validation"] == 500 and not findings.default_run
    assert lesson.validation_size(60000) == 5000 and lesson.validation_size(20000) == 2000 and lesson.validation_size(5) == 1


def test_naming_the_default_value_explicitly_is_still_the_default_run():
    namespace = {**defaults("06"), "n_validation": 5000}
    assert lesson.setup("06", namespace).default_run


def test_any_other_value_is_not_the_default_run():
    assert not lesson.setup("07", {**defaults("07"), "seed": 1}).default_run
    assert not lesson.setup("02", {**defaults("02"), "cell_size": 20}).default_run


@pytest.mark.parametrize("number, changes, message", [
    ("04", {"n_train": 0}, "n_train must be a whole number from 1 to 60,000, got 0"),
    ("04", {"n_train": 2000, "n_validation": 2000}, "n_validation must be a whole number from 1 to 1,999, got 2000"),
    ("06", {"learning_rate": -1}, "learning_rate must be a number above 0, got -1"),
    ("07", {"final_changes": ["wider"]}, "final_changes: no change is called 'wider'"),
    ("08", {"chunk_rows": 5}, r"chunk_rows must divide the 28 rows evenly \(1, 2, 4, 7, 14 or 28\), got 5"),
    ("01", {"digit_index": 60000}, "digit_index must be a whole number from 0 to 59,999"),
    ("05", {"repeats": 1}, "repeats must be a whole number from 2 to 10, got 1"),
])
def test_a_bad_value_is_named_with_its_fix(number, changes, message):
    with pytest.raises(LessonError, match=message):
        lesson.setup(number, {**defaults(number), **changes})


def test_a_parameter_not_set_says_to_run_the_parameters_cell():
    namespace = defaults("03")
    del namespace["epochs"]
    with pytest.raises(LessonError, match="the parameters epochs are not set: run the parameters cell above first"):
        lesson.setup("03", namespace)


def test_an_old_package_version_stops_with_the_fix(monkeypatch):
    monkeypatch.setitem(lesson.MINIMUM_VERSIONS, "numpy", "99.0")
    with pytest.raises(LessonError, match=r"needs numpy 99.0 or newer, this environment has .*; run `make setup`"):
        lesson.setup("01", defaults("01"))
