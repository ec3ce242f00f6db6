"""Worked solutions: data kept outside the package, so that a classroom edition can leave them out.

They live in the repository's ``solutions/`` folder, one TOML file per lesson
(``solutions/03.toml``), one table per exercise with two fields::

    ["03.4"]
    explanation = '''Why the answer is what it is, in prose.'''
    code = '''
    def rnn_step(x_t, h_prev, W, U, b):
        \"\"\"One step of the SimpleRNN for a batch.\"\"\"
        ...the body...

    answer = rnn_step
    '''

``code`` is what goes in the exercise cell in place of ``answer = None`` (a
value exercise) or of the stub function and ``answer = None`` (a code
exercise: a def line, a docstring, the body, then ``answer = name``), and the
checker then says correct. ``FunctionParts`` splits a code exercise's
solution into those pieces, for a build that puts the body alone between
``### BEGIN SOLUTION`` and ``### END SOLUTION``.

The explanations in another language live in a folder named after it, in the
same folder (``solutions/zh-CN/03.toml``), so they travel with the solutions:
one table per exercise with the English explanation it translates, verbatim,
and its translation::

    ["03.4"]
    english = '''The English explanation, as 03.toml has it.'''
    explanation = '''其中文译文。'''

``solution`` prints the translation in a lesson that chose that language; where
there is none, or its English is no longer the explanation's (stale), it prints
the English with a line saying so. The code, and its comments, are the same in
every language, like the lessons' code cells.

The folder is found next to the package in a checkout (``data.PROJECT_ROOT``),
or wherever the environment variable ``RNN_LESSONS_SOLUTIONS`` points (a
teacher's environment). A student's classroom environment, or a non-editable
install, has neither: ``solution`` then says the solutions are with the
teacher, and nothing the student imports holds one.
"""

from __future__ import annotations

import ast
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from rnn_helpers import i18n
from rnn_helpers.data import PROJECT_ROOT
from rnn_helpers.exercises.core import _, known

ENV_SOLUTIONS = "RNN_LESSONS_SOLUTIONS"
FIELDS = ("code", "explanation")
TRANSLATION_FIELDS = ("english", "explanation")


@dataclass(frozen=True)
class FunctionParts:
    """A code exercise's solution in the pieces a classroom build needs.

    ``header`` is the def line and the docstring (what the student's stub
    shows), ``body`` the lines after them, indented as in the function, and
    ``footer`` the line that hands the function to the checker, ``answer = name``.
    """
    header: str
    body: str
    footer: str


@dataclass(frozen=True)
class WorkedSolution:
    """One exercise's worked solution, as the solutions folder holds it."""
    exercise_id: str
    code: str
    explanation: str

    def function_parts(self) -> FunctionParts | None:
        """The def line with its docstring, the body and ``answer = name``; None for a value exercise (no function)."""
        tree = ast.parse(self.code)
        function = next((node for node in tree.body if isinstance(node, ast.FunctionDef)), None)
        if function is None:
            return None
        lines = self.code.strip("\n").splitlines()
        docstring = function.body[0] if ast.get_docstring(function) is not None else None
        header_end = docstring.end_lineno if docstring else function.body[0].lineno - 1
        return FunctionParts(header="\n".join(lines[function.lineno - 1:header_end]),
                             body="\n".join(lines[header_end:function.end_lineno]).strip("\n"),
                             footer="\n".join(lines[function.end_lineno:]).strip())


def solutions_dir() -> Path | None:
    """The folder of worked solutions: ``$RNN_LESSONS_SOLUTIONS`` if set, else ``solutions/`` in the checkout; None if it is not there."""
    configured = os.environ.get(ENV_SOLUTIONS)
    folder = Path(configured).expanduser() if configured else PROJECT_ROOT / "solutions"
    return folder if folder.is_dir() else None


def read_lesson(path: Path) -> dict[str, WorkedSolution]:
    """The worked solutions in one lesson's file, by exercise id; a malformed entry raises ValueError naming the file and the fix."""
    try:
        tables = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ValueError(_("{path}: not valid TOML ({error}); fix the file or restore it from the repository").format(
            path=path, error=error)) from None
    return {exercise_id: _entry(path, exercise_id, fields) for exercise_id, fields in tables.items()}


def _entry(path: Path, exercise_id: str, fields) -> WorkedSolution:
    """One table of a lesson's file as a WorkedSolution, checked: the right lesson, exactly the two text fields."""
    lesson = exercise_id.split(".")[0]
    if lesson != path.stem:
        raise ValueError(_("{path}: entry {exercise_id!r} belongs to lesson {lesson}; move it to {lesson}.toml").format(
            path=path, exercise_id=exercise_id, lesson=lesson))
    if not isinstance(fields, dict) or sorted(fields) != sorted(FIELDS) or not all(isinstance(v, str) for v in fields.values()):
        raise ValueError(_("{path}: entry {exercise_id!r} must have exactly the text fields {fields}, no others; it has {found}").format(
            path=path, exercise_id=exercise_id, fields=", ".join(FIELDS),
            found=sorted(fields) if isinstance(fields, dict) else type(fields).__name__))
    return WorkedSolution(exercise_id, fields["code"].strip("\n"), fields["explanation"].strip())


def read_all(folder: Path) -> dict[str, WorkedSolution]:
    """Every worked solution in ``folder`` (its NN.toml files), by exercise id."""
    solutions = {}
    for path in sorted(folder.glob("[0-9][0-9].toml")):
        solutions.update(read_lesson(path))
    return solutions


def _lesson_file(exercise_id: str) -> Path | None:
    """The solutions file of ``exercise_id``'s lesson, or None where there is none (the classroom edition)."""
    folder = solutions_dir()
    path = folder / "{lesson}.toml".format(lesson=exercise_id.split(".")[0]) if folder else None
    return path if path is not None and path.is_file() else None


def read_translations(path: Path) -> dict[str, tuple[str, str]]:
    """The translated explanations in one lesson's file of a language folder: exercise id -> (the English it
    translates, the translation). A malformed entry raises ValueError naming the file and the fix."""
    try:
        tables = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ValueError(_("{path}: not valid TOML ({error}); fix the file or restore it from the repository").format(
            path=path, error=error)) from None
    for exercise_id, fields in tables.items():
        if not isinstance(fields, dict) or sorted(fields) != sorted(TRANSLATION_FIELDS) or not all(
                isinstance(v, str) for v in fields.values()):
            raise ValueError(_("{path}: entry {exercise_id!r} must have exactly the text fields {fields}, no others; it has "
                               "{found}").format(path=path, exercise_id=exercise_id, fields=", ".join(TRANSLATION_FIELDS),
                                                 found=sorted(fields) if isinstance(fields, dict) else type(fields).__name__))
    return {exercise_id: (fields["english"].strip(), fields["explanation"].strip()) for exercise_id, fields in tables.items()}


def same_text(stored: str, now: str) -> bool:
    """Whether an English stored beside a translation is the English ``now``: line ends and trailing spaces aside."""
    def lines(text: str) -> list[str]:
        return [line.rstrip() for line in text.strip().replace("\r\n", "\n").split("\n")]

    return lines(stored) == lines(now)


def explanation_in(worked: WorkedSolution, language: str) -> str | None:
    """The explanation of ``worked`` in ``language``: the English for English; else its translation where the language
    folder has one whose English is the explanation's, None where it has none or a stale one."""
    if language == i18n.DEFAULT:
        return worked.explanation
    folder = solutions_dir()
    path = folder / language / "{lesson}.toml".format(lesson=worked.exercise_id.split(".")[0]) if folder else None
    if path is None or not path.is_file():
        return None
    english, translation = read_translations(path).get(worked.exercise_id, ("", ""))
    return translation if translation and same_text(english, worked.explanation) else None


def worked_solution(exercise_id: str) -> WorkedSolution | None:
    """The worked solution of ``exercise_id`` as data (for a classroom build); None where it is not at hand.

    Raises KeyError for an exercise that does not exist.
    """
    known(exercise_id)
    path = _lesson_file(exercise_id)
    return read_lesson(path).get(exercise_id) if path else None


def solution(exercise_id: str) -> None:
    """Print the worked solution of ``exercise_id``: the reasoning, then the code (for teachers, or after a real attempt).

    Where the solutions are not at hand (the classroom edition) it says so, and raises nothing.
    """
    worked = worked_solution(exercise_id)
    if worked is not None:
        explanation = explanation_in(worked, i18n.language())
        if explanation is None:  # not translated yet, or translated from an English since changed: the English, said so
            explanation = _("(The explanation in your language is not up to date with the English one; here is the "
                            "English.)") + "\n\n" + worked.explanation
        print(_("Exercise {exercise_id}, worked solution.\n\n{explanation}\n\n{code}").format(
            exercise_id=exercise_id, explanation=explanation, code=worked.code))
    elif _lesson_file(exercise_id) is not None:
        print(_("There is no worked solution of {exercise_id} in {path}.").format(exercise_id=exercise_id, path=_lesson_file(exercise_id)))
    else:
        print(_("In the classroom edition the worked solutions are with your teacher: none is installed with the lessons. "
                "When your answer is right, the checker's explanation says why."))
