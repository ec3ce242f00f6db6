"""The classroom edition: an nbgrader course folder built from the lessons as they are (`make classroom`, or
``python -m rnn_helpers classroom [--out DIR] [--only NN ...] [--fast]``; the teacher's guide is docs/classroom.md).

The course folder (default build/classroom/) holds, for each lesson, the assignment named after it:

- ``source/<lesson>/<lesson>.ipynb``, the teacher's edition: the lesson with its outputs cleared and, in each exercise
  cell, the worked solution (solutions/NN.toml) between ``### BEGIN SOLUTION`` and ``### END SOLUTION``, followed by
  one autograded test cell (``POINTS``: 1 for a value, 2 for a function) that grades the answer with the lesson's own
  checker, its diagnosis the assertion's message. Where a function of the package passes a code exercise's checker on its own
  (rnn_helpers.numpy_rnn.backward_step for 05.5), a hidden test fails an answer that is, or hands over to, it
  (rnn_build.grading).
- ``release/<lesson>/``, the student edition, made by ``nbgrader generate_assignment``: every exercise cell exactly as
  the self-study lesson shows it (``answer = None``; a code exercise's def line and docstring with the body
  ``...  # your code here``), then the visible part of its test cell. The other cells are the lesson's too, but for
  the links to other lessons, which point into their assignments' folders (``../04_name/04_name.ipynb``).
- ``nbgrader_config.py``, a copy of classroom/nbgrader_config.py, which nbgrader reads when a command runs in the folder.

Where the solution goes in an exercise cell decides what the student edition shows, with ``LessonStubs`` (the
ClearSolutions of the course's nbgrader settings): a region inside a function, its body, becomes the configured stub,
``...  # your code here``; a region at the top of the cell comes right after the student's own line (``answer = None``,
or ``answer = None  # when your function is ready: ...``) and is removed. So nbgrader's student edition is the
lesson's cell, which the build checks after generating it.

The exercises of a lesson are found in its cells, never from a list: an exercise cell is a code cell that calls
``exercises.check("NN.M", answer)``; one that defines a function is a code exercise.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbgrader.preprocessors import ClearSolutions

from rnn_build import grading
from rnn_build.lessons import Lesson, fast_parameters, list_lessons
from rnn_build.notebook_files import BUILD_DIR, write_notebook
from rnn_helpers.data import PROJECT_ROOT, show_path
from rnn_helpers.errors import LessonError
from rnn_helpers.exercises import worked_solution

COURSE_DIR = BUILD_DIR / "classroom"
CONFIG = PROJECT_ROOT / "classroom" / "nbgrader_config.py"
CODE_STUB = "...  # your code here"  # the body of every code exercise's function in the lessons, and nbgrader's stub
POINTS = {"value": 1, "code": 2}  # a question with a value (a shape, a count, a choice, a measured number); a function
EXERCISE_CALL = re.compile(r'exercises\.check\("(\d\d\.\d+)", answer\)')
LESSON_LINK = re.compile(r"\]\((\d\d_[\w-]+)\.ipynb")
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
BEGIN_HIDDEN, END_HIDDEN = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
NBGRADER_SCHEMA = 3


class LessonStubs(ClearSolutions):
    """nbgrader's ClearSolutions, with the stub chosen by where a solution region stands, so that the student edition's
    exercise cell is the self-study lesson's.

    A region inside a function (its ``### BEGIN SOLUTION`` line indented) becomes ``code_stub``, indented like it (the
    lessons' ``...  # your code here``). A region at the top of the cell follows the student's own line, ``answer =
    None``, and is removed: nbgrader's one stub per language cannot be both a function body and ``answer = None``.
    Everything else (nested or unclosed regions, cells that are solutions without a region) is nbgrader's.
    """

    def _replace_solution_region(self, cell, language: str) -> bool:
        if cell.cell_type != "code":
            return super()._replace_solution_region(cell, language)
        lines, kept, inside, replaced = cell.source.split("\n"), [], False, False
        for line in lines:
            if self.begin_solution_delimeter in line:
                if inside:
                    raise RuntimeError("encountered nested begin solution statements")
                inside = replaced = True
                indent = line[:len(line) - len(line.lstrip())]
                if indent:
                    kept += [indent + stub for stub in self.code_stub[language].split("\n")]
            elif self.end_solution_delimeter in line:
                inside = False
            elif not inside:
                kept.append(line)
        if inside:
            raise RuntimeError("no end solution statement found")
        cell.source = "\n".join(kept)
        return replaced


@dataclass
class Exercise:
    """One exercise of a lesson as the course grades it."""

    exercise_id: str
    kind: str  # "value" or "code"
    references: list[str] = field(default_factory=list)  # package functions that pass its checker on their own
    solved: bool = True  # False: no worked solution at hand, the teacher's edition shows the student's cell

    @property
    def points(self) -> int:
        return POINTS[self.kind]

    @property
    def grade_id(self) -> str:
        return "test_" + self.exercise_id.replace(".", "_")


@dataclass
class Assignment:
    """One lesson in the course: its nbgrader assignment name, its source notebook and its exercises."""

    lesson: Lesson
    source: Path
    exercises: list[Exercise]

    @property
    def name(self) -> str:
        return self.lesson.name

    @property
    def points(self) -> int:
        return sum(exercise.points for exercise in self.exercises)


def exercise_cells(nb) -> list[tuple[int, str]]:
    """(cell index, exercise id) of each exercise cell of a notebook, in order."""
    found = []
    for index, cell in enumerate(nb.cells):
        match = EXERCISE_CALL.search(cell.source) if cell.cell_type == "code" else None
        if match:
            found.append((index, match.group(1)))
    return found


def with_parameters(nb, parameters: dict) -> None:
    """Set ``parameters`` in the notebook's ``parameters`` cell, in place, each on its own ``name = value`` line (its
    comment kept), so the notebook keeps the lesson's cells and a run needs no injected cell."""
    cell = next((c for c in nb.cells if "parameters" in c.metadata.get("tags", [])), None)
    if cell is None and parameters:
        raise LessonError("the lesson has no cell tagged parameters to set its fast parameters in")
    for name, value in parameters.items():
        line = f"{name} = {value!r}"
        cell.source, count = re.subn(rf"^{re.escape(name)}\s*=[^#\n]*?(\s*(#.*)?)$", lambda m, line=line: line + m.group(1),
                                     cell.source, flags=re.M)
        if count != 1:
            raise LessonError(f"the parameters cell has {count} lines `{name} = ...`, not one")


def course_links(markdown: str) -> str:
    """``markdown`` with its links to other lessons (``](04_training_and_evaluation.ipynb``) pointed at where the course
    puts them: each lesson in a folder of its own, in release/ as in the folder a student fetches assignments into."""
    return LESSON_LINK.sub(r"](../\1/\1.ipynb", markdown)


def _function(source: str) -> ast.FunctionDef | None:
    """The function a code exercise's cell defines (its first top-level def), or None for a value exercise."""
    try:
        tree = ast.parse(source)
    except SyntaxError as error:
        raise LessonError(f"an exercise cell is not valid Python: {error}") from None
    return next((node for node in tree.body if isinstance(node, ast.FunctionDef)), None)


def _after_answer_line(lines: list[str], start: int, exercise_id: str) -> int:
    """The index after the student's top-level ``answer = None`` line, at or after ``start``."""
    for index in range(start, len(lines)):
        if lines[index].startswith("answer = None"):
            return index + 1
    raise LessonError(f"the cell of exercise {exercise_id} has no line `answer = None` for the student's answer")


def teacher_cell(cell, exercise_id: str, warnings: list[str]) -> tuple[object, Exercise]:
    """The exercise cell with its worked solution in solution regions (nbgrader's solution cell), and the exercise."""
    lines, function = cell.source.split("\n"), _function(cell.source)
    worked = worked_solution(exercise_id)
    solution = worked.code.split("\n") if worked else []
    exercise = Exercise(exercise_id, "code" if function else "value", solved=worked is not None)
    if worked is None:
        warnings.append(f"exercise {exercise_id} has no worked solution in solutions/{exercise_id[:2]}.toml: the teacher's "
                        "edition shows the student's cell there")
    if function is not None:
        stub_start = function.body[0].lineno - 1 if ast.get_docstring(function) is None else function.body[0].end_lineno
        stub = lines[stub_start:function.end_lineno]
        indent = stub[0][:len(stub[0]) - len(stub[0].lstrip())] if stub else "    "
        if [line.strip() for line in stub] != [CODE_STUB]:
            raise LessonError(f"the function of exercise {exercise_id} has the body {stub!r}; the student edition's stub is "
                              f"{CODE_STUB!r} (classroom/nbgrader_config.py): give the lesson's function that body")
        parts = worked.function_parts() if worked else None
        if worked and (parts is None or parts.header.split("\n")[0].strip() != lines[function.lineno - 1].strip()):
            warnings.append(f"exercise {exercise_id}: the worked solution's def line differs from the lesson's, "
                            f"{lines[function.lineno - 1].strip()!r}: the teacher's edition shows the student's cell there")
            exercise.solved, parts = False, None
        body = parts.body.split("\n") if parts else stub
        footer = parts.footer.split("\n") if parts and parts.footer else []
        after = _after_answer_line(lines, function.end_lineno, exercise_id)
        lines = (lines[:stub_start] + [indent + BEGIN, *body, indent + END] + lines[function.end_lineno:after]
                 + [BEGIN, *footer, END] + lines[after:])
        exercise.references = grading.reference_answers(exercise_id, len(function.args.args))
    else:
        after = _after_answer_line(lines, 0, exercise_id)
        lines = lines[:after] + [BEGIN, *solution, END] + lines[after:]
    cell.source = "\n".join(lines)
    cell.metadata["nbgrader"] = {"grade": False, "grade_id": "answer_" + exercise_id.replace(".", "_"), "locked": False,
                                 "schema_version": NBGRADER_SCHEMA, "solution": True, "task": False}
    return cell, exercise


def test_cell(exercise: Exercise):
    """The autograded test cell that follows an exercise cell: the lesson's checker (through ``grading.grade``, which
    keeps stderr clean), its diagnosis as the message nbgrader's feedback shows; a hidden test against the package's
    own answer where there is one."""
    ex = exercise.exercise_id
    lines = [f"# Exercise {ex}, {exercise.points} point{'s' if exercise.points > 1 else ''}, graded by the lesson's own checker: "
             "until the answer is right, this cell stops with the",
             "# checker's diagnosis, which your feedback shows too.",
             "from rnn_build.grading import grade",
             "",
             f'right, diagnosis = grade("{ex}", answer)',
             f'assert right, "Exercise {ex}: " + diagnosis']
    if exercise.references:
        names = ", ".join(exercise.references)
        lines += [BEGIN_HIDDEN,
                  f"# {names} passes this checker on its own: an answer that is it, or hands over to it,",
                  "# is not the student's own work (rnn_build/grading.py).",
                  "from rnn_build.grading import handed_over",
                  "",
                  f"reference = handed_over(answer, {exercise.references!r})",
                  f'assert reference is None, f"Exercise {ex}: not yet. The answer is {{reference}}, or calls it: the package\'s '
                  'own implementation, not yours. The exercise asks you to write the function yourself."',
                  END_HIDDEN]
    cell = nbformat.v4.new_code_cell("\n".join(lines))
    cell.id = exercise.grade_id.replace("_", "-")
    cell.metadata["nbgrader"] = {"grade": True, "grade_id": exercise.grade_id, "locked": True, "points": exercise.points,
                                 "schema_version": NBGRADER_SCHEMA, "solution": False, "task": False}
    return cell


def source_notebook(lesson: Lesson, fast: bool, warnings: list[str]) -> tuple[object, list[Exercise]]:
    """The teacher's edition of ``lesson`` (in memory) and its exercises."""
    nb = nbformat.read(lesson.path, as_version=4)
    if fast:
        with_parameters(nb, fast_parameters(lesson.path))
    cells, exercises = [], []
    found = dict(exercise_cells(nb))
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        elif cell.cell_type == "markdown":
            cell.source = course_links(cell.source)
        if index not in found:
            cells.append(cell)
            continue
        cell, exercise = teacher_cell(cell, found[index], warnings)
        cells += [cell, test_cell(exercise)]
        exercises.append(exercise)
    nb.cells = cells
    return nb, exercises


def nbgrader(course: Path, *arguments: str) -> str:
    """Run an nbgrader command in the course folder (where its nbgrader_config.py is read); its log, or LessonError."""
    done = subprocess.run([sys.executable, "-m", "nbgrader", *arguments], cwd=course, capture_output=True, text=True)
    if done.returncode != 0:
        raise LessonError(f"`nbgrader {' '.join(arguments)}` failed in {show_path(course)}:\n{done.stdout}{done.stderr}")
    return done.stdout + done.stderr


def check_release(course: Path, assignment: Assignment, lesson_nb) -> None:
    """Raise LessonError unless each exercise cell of the student edition is the lesson's cell, character for character."""
    released = nbformat.read(course / "release" / assignment.name / assignment.source.name, as_version=4)
    lesson_cells = {exercise_id: lesson_nb.cells[index].source for index, exercise_id in exercise_cells(lesson_nb)}
    released_cells = {exercise_id: released.cells[index].source for index, exercise_id in exercise_cells(released)
                      if not released.cells[index].metadata.get("nbgrader", {}).get("grade")}
    for exercise_id, source in lesson_cells.items():
        if released_cells.get(exercise_id) != source:
            raise LessonError(f"the student edition's cell of exercise {exercise_id} is not the lesson's:\n"
                              f"{released_cells.get(exercise_id)}\n--- the lesson's:\n{source}\n"
                              "(check ClearSolutions in classroom/nbgrader_config.py)")


def build(out: Path = COURSE_DIR, only: list[str] | None = None, fast: bool = False, report=print) -> list[Assignment]:
    """Build the course in ``out``: the nbgrader settings, the teacher's edition of each chosen lesson and its student
    edition by ``nbgrader generate_assignment``, checked. Returns the assignments; ``report`` gets a line for each.

    Raises LessonError when a lesson's exercise cell cannot be built (no ``answer = None`` line, a function whose body
    is not the stub) or nbgrader fails; an exercise without a worked solution only gets a warning line.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(CONFIG, out / "nbgrader_config.py")
    assignments, warnings = [], []
    for lesson in list_lessons(only=only):
        nb, exercises = source_notebook(lesson, fast, warnings)
        target = out / "source" / lesson.name / lesson.path.name
        assignment = Assignment(lesson, write_notebook(nb, target), exercises)
        nbgrader(out, "generate_assignment", assignment.name, "--force")
        lesson_nb = nbformat.read(lesson.path, as_version=4)
        if fast:
            with_parameters(lesson_nb, fast_parameters(lesson.path))
        check_release(out, assignment, lesson_nb)
        assignments.append(assignment)
        kinds = ", ".join(f"{sum(e.kind == kind for e in exercises)} {kind}" for kind in POINTS)
        report(f"{assignment.name}: {len(exercises)} exercises ({kinds}), {assignment.points} points"
               + (" (fast parameters)" if fast else ""))
    for warning in warnings:
        report(f"warning: {warning}")
    report(f"course: {show_path(out)} (source/: the teacher's edition, release/: the students'; docs/classroom.md)")
    return assignments
