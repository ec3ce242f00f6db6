"""benchmarks/lessons.py keeps going when a lesson's run fails, and leaves failed runs out of the medians."""

import importlib.util
import subprocess

import pytest

from rnn_build import lessons
from rnn_helpers.data import PROJECT_ROOT


@pytest.fixture()
def bench():
    spec = importlib.util.spec_from_file_location("lessons_benchmark", PROJECT_ROOT / "benchmarks" / "lessons.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_lesson_process_that_dies_is_a_failed_run_that_names_its_error(bench, monkeypatch):
    def killed(*args, **kwargs):
        return subprocess.CompletedProcess(args, -9, stdout="", stderr="MemoryError: out of memory\n")

    monkeypatch.setattr(bench.subprocess, "run", killed)
    lesson = lessons.list_lessons(only=["07"])[0]
    figures = bench.run_in_process(lesson)
    assert figures["lesson"] == lesson.name and not figures["ok"]
    assert "MemoryError: out of memory" in figures["error"]


def test_failed_runs_are_printed_with_their_error_and_left_out_of_the_medians(bench, monkeypatch, capsys):
    runs = iter([{"ok": True, "seconds": 100.0, "peak_mb": 1000.0},
                 {"ok": False, "seconds": 3.0, "peak_mb": 600.0, "error": "LessonError: n_train too small"},
                 {"ok": True, "seconds": 120.0, "peak_mb": 1100.0}])
    monkeypatch.setattr(bench, "run_in_process", lambda lesson: {"lesson": lesson.name, "error": None, **next(runs)})
    monkeypatch.setattr(bench, "tutorial_seconds", lambda: 10.0)
    monkeypatch.setattr(bench.provenance, "machine_summary", lambda: "a machine")
    assert bench.main(["--only", "07", "--repeats", "3"]) == 1
    out = capsys.readouterr().out
    assert "LessonError: n_train too small" in out
    row = next(line for line in out.splitlines() if "runs failed" in line)  # the summary's row for lesson 07
    # the medians of the two passing runs (100 and 120 s), not of all three (100 s)
    assert "110 s (100-120)" in row and "11.0" in row and "1 of 3 runs failed" in row
