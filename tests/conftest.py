"""Shared test set-up: one fast run per lesson (the kernel environment is set in ../conftest.py)."""

import json
import re

import pytest

from rnn_helpers import series


@pytest.fixture(scope="session")
def fast_runs(tmp_path_factory):
    """Run each lesson once with its fast parameters; results cached per lesson."""
    out_dir = tmp_path_factory.mktemp("fast")
    cache = {}

    def run(lesson, **overrides):
        key = (lesson.number, json.dumps(overrides, sort_keys=True))  # parameters may be lists, e.g. lesson 07's final_changes
        if key not in cache:
            parameters = {**series.fast_parameters(lesson.path), **overrides}
            name = re.sub(r"[^\w.-]+", "_", lesson.number + "".join(f"_{k}-{v}" for k, v in sorted(overrides.items())))
            cache[key] = series.run_lesson(lesson, out_dir / name, parameters)
        return cache[key]

    return run
