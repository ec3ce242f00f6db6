"""The lessons: the numbered notebooks in ``notebooks/``, their small parameters for fast runs, and the names and
default values of their ``parameters`` cells."""

from __future__ import annotations

import ast
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat

from rnn_build.notebook_files import NOTEBOOKS_DIR
from rnn_helpers.data import show_path
from rnn_helpers.errors import LessonError
from rnn_helpers.lesson import DEFAULTS_FILE


@dataclass(frozen=True)
class Lesson:
    """One numbered notebook: ``number`` is its two-digit prefix."""

    number: str
    path: Path

    @property
    def name(self) -> str:
        return self.path.stem


def list_lessons(notebooks_dir: Path | None = None, only: list[str] | None = None) -> list[Lesson]:
    """The lessons ``NN_name.ipynb`` in ``notebooks_dir`` (default: the project's), in order; ``only`` keeps those
    whose number or name starts with one of its items ("01", "02_building")."""
    folder = Path(notebooks_dir) if notebooks_dir is not None else NOTEBOOKS_DIR
    lessons = [Lesson(p.name[:2], p) for p in sorted(folder.glob("[0-9][0-9]_*.ipynb"))]
    if only:
        chosen = [les for les in lessons if any(les.name.startswith(o) for o in only)]
        unknown = [o for o in only if not any(les.name.startswith(o) for les in lessons)]
        if unknown:
            known = ", ".join(les.number for les in lessons)
            raise LessonError(f"no lesson matches {unknown}; the lessons are {known}")
        return chosen
    return lessons


def fast_parameters(path: Path) -> dict:
    """The small parameters a lesson declares for fast runs (notebook metadata ``rnn_lessons.fast_parameters``)."""
    nb = nbformat.read(path, as_version=4)
    return dict(nb.metadata.get("rnn_lessons", {}).get("fast_parameters", {}))


def parameter_names(path: Path) -> set[str]:
    """The names assigned in a lesson's ``parameters`` cell."""
    return set(_inspect(path))


def parameter_defaults(path: Path) -> dict:
    """The names assigned in a lesson's ``parameters`` cell and their default values, in the cell's order.

    Read with ``papermill.inspect_notebook``; each value must be a plain literal (a number, a string, True, None,
    a list ...), as the lessons' rule for that cell says, and is returned as that Python value.
    """
    defaults = {}
    for name, found in _inspect(path).items():
        try:
            defaults[name] = ast.literal_eval(found["default"])
        except (ValueError, SyntaxError):
            raise LessonError(f"{show_path(path)}: the parameter {name} = {found['default']} is not a plain literal; "
                              "write its value in the parameters cell as a number, string, True/False, None or "
                              "a list of those") from None
    return defaults


def _inspect(path: Path) -> dict:
    import papermill  # slow to import: only when a parameters cell is read

    return papermill.inspect_notebook(str(path))


def write_lesson_defaults(target: Path = DEFAULTS_FILE) -> Path:
    """Copy every lesson's parameters-cell defaults into ``target`` (``rnn_helpers/lesson_defaults.json``), atomically.

    A lesson's set-up (``rnn_helpers.setup``) reads them there to tell the default run from a student's; the
    parameters cells stay the one place they are written, and a test keeps the two equal.
    """
    table = {lesson.number: parameter_defaults(lesson.path) for lesson in list_lessons()}
    fd, staged = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(json.dumps(table, indent=2, ensure_ascii=False) + "\n")
        os.chmod(staged, 0o644)
        os.replace(staged, target)
    except BaseException:
        Path(staged).unlink(missing_ok=True)
        raise
    return target
