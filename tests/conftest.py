"""Shared test set-up: one fast run per lesson and set of parameters (the kernel environment is set in ../conftest.py)."""

import json
import re

import pytest

from rnn_build import lessons, pipeline


@pytest.fixture(scope="session")
def fast_runs(tmp_path_factory):
    """Run a lesson with its fast parameters, updated by ``overrides``; each set of merged parameters runs once a session.

    The cache key is the lesson and its merged parameters, so an override that repeats a fast parameter (lesson 02's
    ``cell_size=20``) reuses the fast run. Runs with the fast parameters alone are executed into one folder (as
    ``NN_name.ipynb``, the layout of a build), from which tests/test_browser.py publishes the site; runs with other
    parameters go to a folder of their own. No page is rendered here: the tests read the results.
    """
    out_dir = tmp_path_factory.mktemp("fast")
    cache = {}

    def run(lesson, **overrides):
        fast = lessons.fast_parameters(lesson.path)
        parameters = {**fast, **overrides}
        key = (lesson.number, json.dumps(parameters, sort_keys=True))  # parameters may be lists, e.g. lesson 07's final_changes
        if key not in cache:
            changed = {k: v for k, v in sorted(parameters.items()) if k not in fast or json.dumps(fast[k]) != json.dumps(v)}
            folder = out_dir
            if changed:
                folder = out_dir / re.sub(r"[^\w.-]+", "_", lesson.number + "".join(f"_{k}-{v}" for k, v in changed.items()))
            cache[key] = pipeline.run_lesson(lesson, folder, parameters)
        return cache[key]

    return run


SCREENSHOTS = pytest.StashKey[str]()


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory, request):
    """A temporary folder for the browser tests' screenshots; the end of the run says where it is."""
    folder = tmp_path_factory.mktemp("screenshots")
    request.config.stash[SCREENSHOTS] = str(folder)
    return folder


def pytest_terminal_summary(terminalreporter, config):
    if SCREENSHOTS in config.stash:
        terminalreporter.write_line(f"screenshots of the browser tests: {config.stash[SCREENSHOTS]}")
