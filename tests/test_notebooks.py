"""Every lesson run by papermill with small parameters; assertions on what it recorded.

nbval (the other notebook check) re-runs the stored notebooks at full size;
these runs prove the parameters work and the recorded results make sense.
"""

import pytest

from rnn_helpers import series

LESSONS = series.list_lessons()


def check_01(records, parameters):
    assert records["n_train"] == parameters["n_train"] and records["n_test"] == parameters["n_test"]
    assert (records["time_steps"], records["input_size"]) == (28, 28)
    assert 0.4 < records["ink_seen_after_14_rows"] < 0.55
    assert records["rows_for_half_the_ink"] in (14, 15, 16)
    assert 0.7 < records["zero_pixel_share"] < 0.9


EXPECTED = {"01": check_01}


def test_every_lesson_has_expectations():
    assert sorted(EXPECTED) == [lesson.number for lesson in LESSONS]


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.name)
def test_fast_run_records_sensible_results(lesson, fast_runs):
    result = fast_runs(lesson)
    assert result.ok, result.error
    EXPECTED[lesson.number](result.records, series.fast_parameters(lesson.path))


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.name)
def test_a_bad_parameter_fails_with_a_clear_message(lesson, tmp_path):
    # A negative size is wrong in every lesson; the validation cell names it.
    name = "n_train"
    result = series.run_lesson(lesson, tmp_path, {**series.fast_parameters(lesson.path), name: -1})
    assert not result.ok
    assert "raised LessonError: n_train must be a whole number from 1 to" in result.error
    assert "got -1" in result.error
