"""A lesson's set-up: its parameters checked, the dependent ones filled in, and whether this is the default run.

Every lesson's set-up cell, right after its ``parameters`` cell, calls
``findings = rnn_helpers.setup("04", globals())``. The defaults are written
once, in each lesson's parameters cell; ``lesson_defaults.json`` beside this
module is a copy the build writes from those cells (``papermill.inspect_notebook``)
and a test keeps equal to them, so a kernel can tell a student's run from the
default one without reading the notebook file.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import metadata
from pathlib import Path
from types import SimpleNamespace

from packaging.version import Version

from rnn_helpers import i18n, recipes, tensorflow_start
from rnn_helpers.errors import LessonError, positive_float, whole_number
from rnn_helpers.findings import Findings
from rnn_helpers.i18n import _

DEFAULTS_FILE = Path(__file__).with_name("lesson_defaults.json")
# The versions the lessons are written for (requirements.txt pins newer ones); an older one stops here, not mid-lesson.
MINIMUM_VERSIONS = {"numpy": "1.26", "keras": "3.0"}
VALIDATION_IMAGES = 5000  # held out when n_train is large; a tenth of n_train when that is smaller
WITHOUT_TENSORFLOW = {"01"}  # lessons that only read arrays: their set-up does not load TensorFlow


@cache
def lesson_defaults() -> dict[str, dict]:
    """Each lesson's parameters and their default values, by lesson number ("01": {"n_train": 60000, ...})."""
    return json.loads(DEFAULTS_FILE.read_text(encoding="utf-8"))


def validation_size(n_train: int) -> int:
    """How many of the ``n_train`` training images are held out when ``n_validation`` is None.

    5,000 of the full 60,000 (the lessons' split); a tenth of a smaller set, so that lowering ``n_train`` alone gives
    a smaller run instead of an error; at least 1.
    """
    return max(1, min(VALIDATION_IMAGES, n_train // 10))


def _check_versions() -> None:
    for package, minimum in MINIMUM_VERSIONS.items():
        installed = metadata.version(package)
        if Version(installed) < Version(minimum):
            raise LessonError(_("this lesson needs {package} {minimum} or newer, this environment has {installed}; run `make "
                                "setup` in the project folder (it installs the pinned versions)").format(
                package=package, minimum=minimum, installed=installed))


def _sizes(p, *names_and_maximums) -> None:
    for name, maximum in names_and_maximums:
        whole_number(name, getattr(p, name), maximum=maximum)


def _check_split(p) -> None:
    """n_train, n_validation and n_test of a lesson that holds out a validation split."""
    _sizes(p, ("n_train", 60000))
    whole_number("n_validation", p.n_validation, maximum=p.n_train - 1)
    _sizes(p, ("n_test", 10000))


def _check_seeds(p) -> None:
    whole_number("repeats", p.repeats, minimum=2, maximum=10)
    whole_number("seed", p.seed, minimum=0)


def _check_01(p) -> None:
    _sizes(p, ("n_train", 60000), ("n_test", 10000))
    whole_number("digit_index", p.digit_index, minimum=0, maximum=p.n_train - 1)


def _check_02(p) -> None:
    _sizes(p, ("cell_size", 4096), ("input_size", 4096), ("time_steps", 1000))


def _check_03(p) -> None:
    _sizes(p, ("cell_size", 4096), ("n_samples", 10000), ("n_train", 60000), ("epochs", 100))
    whole_number("seed", p.seed, minimum=0)


def _check_04(p) -> None:
    _check_split(p)
    _sizes(p, ("tutorial_epochs", 100), ("best_max_epochs", 100), ("patience", 100), ("best_cell_size", 1024),
           ("best_batch_size", p.n_train - p.n_validation))
    positive_float("best_learning_rate", p.best_learning_rate)
    _check_seeds(p)


def _check_05(p) -> None:
    _check_split(p)
    _sizes(p, ("cell_size", 1024), ("epochs", 100), ("check_examples", p.n_test), ("norm_examples", p.n_test))
    _check_seeds(p)


def _check_06(p) -> None:
    _check_split(p)
    _sizes(p, ("cell_size", 1024), ("epochs", 100), ("batch_size", p.n_train - p.n_validation),
           ("examples_to_show", min(10, p.n_validation)))
    positive_float("learning_rate", p.learning_rate)
    _check_seeds(p)


def _check_07(p) -> None:
    _check_split(p)
    _sizes(p, ("baseline_max_epochs", 100), ("search_train", p.n_train - p.n_validation), ("search_epochs", 100),
           ("final_epochs", 200))
    if p.final_changes is not None:
        try:
            recipes.with_changes(p.final_changes)
        except LessonError as error:
            raise LessonError(_("final_changes: {error}; or set final_changes = None to train what the search picks").format(
                error=error)) from None
    _check_seeds(p)


def _check_08(p) -> None:
    _check_split(p)
    _sizes(p, ("cell_size", 1024), ("epochs", 100), ("batch_size", p.n_train - p.n_validation), ("rows_given", 27),
           ("chunk_rows", 28), ("examples_to_show", min(10, p.n_validation)))
    positive_float("learning_rate", p.learning_rate)
    if 28 % p.chunk_rows:
        raise LessonError(_("chunk_rows must divide the 28 rows evenly (1, 2, 4, 7, 14 or 28), got {chunk_rows}; set chunk_rows "
                            "to one of those in the parameters cell").format(chunk_rows=p.chunk_rows))
    _check_seeds(p)


CHECKS = {"01": _check_01, "02": _check_02, "03": _check_03, "04": _check_04, "05": _check_05, "06": _check_06,
          "07": _check_07, "08": _check_08}


def _filled(values: dict) -> dict:
    """``values`` with the parameters that default to None filled in from the others (``n_validation``)."""
    values = dict(values)
    if "n_validation" in values and values["n_validation"] is None and isinstance(values.get("n_train"), int):
        values["n_validation"] = validation_size(values["n_train"])
    return values


def setup(lesson: str, namespace: dict, language: str = i18n.DEFAULT) -> Findings:
    """Check lesson ``lesson``'s parameters in ``namespace`` (the notebook's ``globals()``) and return its Findings.

    ``language`` is the language rnn_helpers speaks in this kernel from now on (the Chinese edition's set-up cell
    passes "zh-CN"; English otherwise): chosen first, so that the checks below already speak it.

    Fills in the parameters that depend on others (``n_validation = None`` becomes ``validation_size(n_train)``,
    written back into ``namespace``). Raises LessonError naming a bad value and the fix. The run is the default
    run when every parameter has its default value (after filling in), the run the stored outputs and the bands
    come from. Last, loads TensorFlow for the lessons that use it, without the start-up banner it would print under
    this cell (``tensorflow_start``).
    """
    if language not in i18n.LANGUAGES:
        raise LessonError(_("no language {language!r}; the languages are {languages}").format(
            language=language, languages=", ".join(i18n.LANGUAGES)))
    i18n.set_language(language)
    if lesson not in CHECKS:
        raise LessonError(_("no lesson {lesson!r}; the lessons are {lessons}").format(lesson=lesson, lessons=", ".join(CHECKS)))
    _check_versions()
    defaults = lesson_defaults()[lesson]
    missing = [name for name in defaults if name not in namespace]
    if missing:
        raise LessonError(_("the parameters {names} are not set: run the parameters cell above first").format(
            names=", ".join(missing)))
    values = _filled({name: namespace[name] for name in defaults})
    CHECKS[lesson](SimpleNamespace(**values))
    namespace.update(values)
    if lesson not in WITHOUT_TENSORFLOW:
        tensorflow_start.load_tensorflow()  # now, so that its start-up banner stays out of the notebook
    return Findings(lesson, default_run=values == _filled(defaults))
