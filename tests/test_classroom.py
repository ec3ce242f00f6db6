"""The classroom edition (rnn_build/classroom.py, classroom/nbgrader_config.py, docs/classroom.md), through nbgrader's own
commands: the course built from lessons 01 and 03 (with their fast parameters, so that autograde's runs are cheap), the
student edition as nbgrader generates it, the installed package, and three students on lesson 03 autograded and given
feedback. Needs nbgrader in the environment (requirements-classroom.txt; `make test` installs it).
"""

from __future__ import annotations

import ast
import html
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tokenize
import zipfile
from pathlib import Path

import nbformat
import numpy as np
import pytest

from rnn_build import cli, grading, lessons
from rnn_helpers import numpy_rnn
from rnn_helpers.data import PROJECT_ROOT
from rnn_helpers.exercises import EXERCISES, verdict, worked_solution

classroom = pytest.importorskip("rnn_build.classroom", reason="nbgrader is not installed: `make classroom-setup` "
                                                                  "(make test installs it)", exc_type=ImportError)

BUILT = ("01", "03")
GRADED = "03"


def exercise_ids(nb) -> list[str]:
    return [exercise_id for _, exercise_id in classroom.exercise_cells(nb)]


def lesson_notebook(number: str, fast: bool = True):
    """The self-study lesson as a course built with ``fast`` starts from (its parameters cell set to the fast values)."""
    lesson = lessons.list_lessons(only=[number])[0]
    nb = nbformat.read(lesson.path, as_version=4)
    if fast:
        classroom.with_parameters(nb, lessons.fast_parameters(lesson.path))
    return lesson, nb


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """The course folder of lessons 01 and 03 with their fast parameters, built by `python -m rnn_helpers classroom`."""
    root = tmp_path_factory.mktemp("course")
    assert cli.main(["classroom", "--fast", "--out", str(root), *(f"--only={n}" for n in BUILT)]) == 0
    return root


def edition(course: Path, folder: str, number: str):
    lesson = lessons.list_lessons(only=[number])[0]
    return nbformat.read(course / folder / lesson.name / lesson.path.name, as_version=4)


# ---------------------------------------------------------------------------------------------------------------------
# The student edition: the lesson, a test cell after each exercise, no solution anywhere
# ---------------------------------------------------------------------------------------------------------------------
def test_the_student_edition_is_the_lesson_with_a_graded_test_after_each_exercise(course):
    for number in BUILT:
        _, lesson = lesson_notebook(number)
        released = edition(course, "release", number)
        tests = [c for c in released.cells if c.metadata.get("nbgrader", {}).get("grade")]
        kept = [c for c in released.cells if not c.metadata.get("nbgrader", {}).get("grade")]
        expected = [(c.cell_type, classroom.course_links(c.source) if c.cell_type == "markdown" else c.source)
                    for c in lesson.cells]
        assert [(c.cell_type, c.source) for c in kept] == expected, \
            f"lesson {number}: the student edition's cells, test cells aside, are the lesson's (links to lessons aside)"
        folder = course / "release" / lessons.list_lessons(only=[number])[0].name
        links = [link for c in kept if c.cell_type == "markdown" for link in re.findall(r"\]\((\.\./[^)#]+\.ipynb)", c.source)]
        assert all((folder / link).is_file() for link in links if link.split("/")[1][:2] in BUILT) and links
        assert exercise_ids(released) == exercise_ids(lesson)
        assert set(exercise_ids(lesson)) == {e for e in EXERCISES if e.startswith(number + ".")}, "every exercise is found"
        assert len(tests) == len(exercise_ids(lesson))
        for index, exercise_id in classroom.exercise_cells(released):
            test = released.cells[index + 1]
            function = any(isinstance(node, ast.FunctionDef) for node in ast.parse(released.cells[index].source).body)
            assert test.metadata["nbgrader"]["grade_id"] == "test_" + exercise_id.replace(".", "_")
            assert test.metadata["nbgrader"]["points"] == (2 if function else 1) and test.metadata["nbgrader"]["locked"]
            assert f'grade("{exercise_id}", answer)' in test.source
            assert released.cells[index].metadata["nbgrader"]["solution"]
        text = json.dumps(released)
        assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text
        assert not any(c.get("outputs") for c in released.cells if c.cell_type == "code")


def code_lines(source: str) -> list[str]:
    """The code lines of ``source``, comments dropped and whitespace removed (so that spacing cannot hide a copy)."""
    lines = []
    for line in source.splitlines():
        try:
            tokens = list(tokenize.generate_tokens(io.StringIO(line.strip()).readline))
            line = "".join(t.string for t in tokens if t.type not in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE))
        except (tokenize.TokenError, IndentationError, SyntaxError):  # a line that opens a bracket: keep it as it is
            line = line.split("#")[0]
        if re.sub(r"\s", "", line):
            lines.append(re.sub(r"\s", "", line))
    return lines


def trivial(line: str) -> bool:
    """Too short or too generic to tell a solution by: an import, `answer = name`, `return name`, a def line."""
    return (len(line) < 12 or line.startswith(("import", "from", "def", '"""')) or re.fullmatch(r"(answer=|return)\w+", line)
            is not None)


def own_lines(exercise_id: str, lesson_text: str) -> list[str]:
    """The code lines of the worked solution of ``exercise_id`` that tell it: not trivial, not in its def line or
    docstring (the student's stub shows those), and not already in the self-study lesson (which every reader has)."""
    worked = worked_solution(exercise_id)
    parts = worked.function_parts()
    body = "\n".join([parts.body, parts.footer]) if parts else worked.code
    return [line for line in code_lines(body) if not trivial(line) and line not in lesson_text]


def sentences(exercise_id: str, lesson_text: str) -> list[str]:
    """The explanation's sentences long enough to tell it, without whitespace; those the lesson itself says left out."""
    found = re.split(r"(?<=[.:;])\s+", worked_solution(exercise_id).explanation)
    return [s for s in (re.sub(r"\s", "", s) for s in found) if len(s) >= 40 and s not in lesson_text]


def notebook_text(nb) -> str:
    """Every cell's source and outputs and the metadata, without whitespace."""
    parts = [json.dumps(nb.metadata)]
    for cell in nb.cells:
        parts += [cell.source, json.dumps(cell.metadata), json.dumps(cell.get("outputs", []), ensure_ascii=False)]
    return re.sub(r"\s", "", "\n".join(parts))


def folder_text(folder: Path) -> str:
    """Every file under ``folder`` as text, without whitespace (a notebook's cells read as nbformat gives them)."""
    texts = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        texts.append(notebook_text(nbformat.read(path, as_version=4)) if path.suffix == ".ipynb"
                     else re.sub(r"\s", "", path.read_text(encoding="utf-8", errors="replace")))
    return "\n".join(texts)


def test_the_student_edition_holds_no_worked_solution(course):
    searched = 0
    for number in BUILT:
        _, lesson = lesson_notebook(number, fast=False)
        lesson_text = notebook_text(lesson)
        teacher = notebook_text(edition(course, "source", number))
        student = folder_text(course / "release")
        for exercise_id in exercise_ids(lesson):
            code, prose = own_lines(exercise_id, lesson_text), sentences(exercise_id, lesson_text)
            assert code or prose, f"{exercise_id}: nothing in its worked solution to search for"
            assert all(line in teacher for line in code), f"{exercise_id}: the teacher's edition has the solution"
            leaked = [line for line in code + prose if line in student]
            assert not leaked, f"the student edition holds the worked solution of {exercise_id}: {leaked}"
            searched += len(code) + len(prose)
    assert searched >= 20


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The package as a student's environment installs it: a wheel built from a copy of the project (as `make hub-setup`
    does), installed into a folder of its own. Returns (the wheel, the folder)."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "project"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(PROJECT_ROOT / name, source / name)
    for name in ("rnn_helpers", "rnn_build"):
        shutil.copytree(PROJECT_ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet"]
    subprocess.run([*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(tmp / "dist"), str(source)], check=True,
                   capture_output=True)
    wheel = next((tmp / "dist").glob("*.whl"))
    subprocess.run([*pip, "install", "--no-deps", "--no-compile", "--target", str(tmp / "site"), str(wheel)], check=True,
                   capture_output=True)
    return wheel, tmp / "site"


def test_the_installed_package_holds_no_worked_solution(installed):
    wheel, _ = installed
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        texts = {name: archive.read(name).decode("utf-8", errors="replace") for name in names if not name.endswith(".mo")}
    assert not [n for n in names if n.startswith("solutions/") or re.search(r"(^|/)\d\d\.toml$", n)], names
    assert not [n for n, text in texts.items() if re.search(r'^\["\d\d\.\d+"\]', text, flags=re.M)], "no exercise's table"
    package = re.sub(r"\s", "", "\n".join(texts.values()))
    for lesson in lessons.list_lessons():
        lesson_text = notebook_text(nbformat.read(lesson.path, as_version=4))
        for exercise_id in sorted(e for e in EXERCISES if e.startswith(lesson.number + ".")):
            if worked_solution(exercise_id) is not None:
                leaked = [line for line in own_lines(exercise_id, lesson_text) if line in package]
                assert not leaked, f"the package holds the worked solution of {exercise_id}: {leaked}"


def run_installed(site: Path, code: str, **environment) -> str:
    """Run ``code`` with the installed package (not the checkout's) first on the path, outside the project."""
    env = {k: v for k, v in os.environ.items() if k != "RNN_LESSONS_SOLUTIONS"}
    env.update(PYTHONPATH=str(site), **environment)
    done = subprocess.run([sys.executable, "-c", code], cwd=site, env=env, capture_output=True, text=True, check=True)
    return done.stdout


def test_a_student_cannot_print_a_solution_and_a_teacher_can(installed):
    _, site = installed
    code = ("import rnn_helpers.exercises as e; print(e.__file__); e.solution('03.4'); "
            "print('worked:', e.worked_solution('03.4'))")
    student = run_installed(site, code)
    assert student.startswith(str(site)), "the installed package, not the checkout's, is imported"
    assert "the worked solutions are with your teacher" in student and "worked: None" in student
    teacher = run_installed(site, code, RNN_LESSONS_SOLUTIONS=str(PROJECT_ROOT / "solutions"))
    assert "def rnn_step" in teacher and worked_solution("03.4").code.splitlines()[-1] in teacher


# ---------------------------------------------------------------------------------------------------------------------
# Three students on lesson 03: nbgrader autograde and generate_feedback
# ---------------------------------------------------------------------------------------------------------------------
def header(exercise_id: str) -> str:
    return worked_solution(exercise_id).function_parts().header


# The typical mistakes: U transposed in the step, the state not carried, a value exercise's shape with its axes swapped.
MISTAKES = {
    "03.1": ("swapped", "answer = (32, 60)"),
    "03.4": ("transposed", header("03.4") + "\n    return np.tanh(x_t @ W + h_prev @ U.T + b)\n\n\nanswer = rnn_step"),
    "03.5": ("not carried", header("03.5") + """
    h = np.zeros((x.shape[0], W.shape[1]))
    for t in range(x.shape[1] - 1, -1, -1):
        h_t = np.tanh(x[:, t] @ W + h @ U + b)   # h is never updated: every step starts from h = 0
    return h_t


answer = backward_last_state"""),
}


def answered(nb, answers: dict[str, str]):
    """A copy of the student edition with each exercise cell's answer part (what comes before `exercises.check`)
    replaced by the code in ``answers``."""
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    for index, exercise_id in classroom.exercise_cells(nb):
        if exercise_id in answers and not nb.cells[index].metadata["nbgrader"].get("grade"):
            lines = nb.cells[index].source.split("\n")
            check = next(i for i, line in enumerate(lines) if classroom.EXERCISE_CALL.search(line))
            nb.cells[index].source = "\n".join([answers[exercise_id], *lines[check:]])
    return nb


def diagnosis(exercise_id: str, code: str) -> str:
    """What the lesson's checker says of the answer ``code`` makes, run here."""
    namespace = {"np": np}
    exec(code, namespace)
    right, why = verdict(exercise_id, namespace["answer"])
    assert not right
    return why


def feedback_text(path: Path) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8")))


def test_three_students_are_graded_full_partial_and_zero_with_the_checkers_diagnoses(course):
    from nbgrader.api import Gradebook

    lesson = lessons.list_lessons(only=[GRADED])[0]
    released = edition(course, "release", GRADED)
    points = {e: released.cells[i + 1].metadata["nbgrader"]["points"] for i, e in classroom.exercise_cells(released)}
    right = {exercise_id: worked_solution(exercise_id).code for exercise_id in points}
    students = {"amara": right, "bruno": {**right, **{e: code for e, (_, code) in MISTAKES.items()}}, "chen": {}}
    for student, answers in students.items():
        target = course / "submitted" / student / lesson.name / lesson.path.name
        target.parent.mkdir(parents=True)
        nbformat.write(answered(released, answers), target)
    classroom.nbgrader(course, "autograde", lesson.name)
    classroom.nbgrader(course, "generate_feedback", lesson.name, "--student=bruno")

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        scores = {s: gradebook.find_submission(lesson.name, s).score for s in students}
        total = gradebook.find_assignment(lesson.name).max_score
    assert total == sum(points.values())
    assert scores == {"amara": total, "bruno": total - sum(points[e] for e in MISTAKES), "chen": 0}

    text = feedback_text(course / "feedback" / "bruno" / lesson.name / f"{lesson.name}.html")
    for exercise_id, (named, code) in MISTAKES.items():
        why = diagnosis(exercise_id, code)
        assert named in why, f"the checker names the mistake in {exercise_id}: {why}"
        graded = text[text.index(f"Grade cell: test_{exercise_id.replace('.', '_')}"):]
        graded = graded[:graded.index("Student's answer") if "Student's answer" in graded else None]
        assert f"Score: 0.0 / {points[exercise_id]:.1f}" in graded
        assert f"AssertionError: Exercise {exercise_id}: {why}" in graded, f"the feedback on {exercise_id} gives the diagnosis"


# ---------------------------------------------------------------------------------------------------------------------
# The parts, in process: every lesson's stubs, the hidden test against the package's own answers, the settings
# ---------------------------------------------------------------------------------------------------------------------
def student_cell(cell) -> str:
    """What nbgrader's generate_assignment makes of a solution cell with the course's stubs."""
    stubs = classroom.LessonStubs()
    stubs.code_stub = {"python": classroom.CODE_STUB}
    cell = nbformat.from_dict(json.loads(json.dumps(cell)))
    stubs._replace_solution_region(cell, "python")
    return cell.source


def test_every_exercise_of_every_lesson_gets_the_lessons_cell_back(monkeypatch):
    monkeypatch.setattr(grading, "reference_answers", lambda exercise_id, arguments: [])  # some checkers load Keras
    for lesson in lessons.list_lessons():
        original = nbformat.read(lesson.path, as_version=4)
        nb, exercises = classroom.source_notebook(lesson, fast=False, warnings=[])
        assert [e.exercise_id for e in exercises] == exercise_ids(original)
        for (index, exercise_id), (teacher_index, _) in zip(classroom.exercise_cells(original), classroom.exercise_cells(nb),
                                                            strict=True):
            assert student_cell(nb.cells[teacher_index]) == original.cells[index].source, exercise_id


def test_an_exercise_without_a_worked_solution_keeps_the_students_cell(tmp_path, monkeypatch):
    monkeypatch.setenv("RNN_LESSONS_SOLUTIONS", str(tmp_path))  # no solutions at hand
    _, lesson = lesson_notebook(GRADED, fast=False)
    warnings = []
    for index, exercise_id in classroom.exercise_cells(lesson):
        source = lesson.cells[index].source
        cell, exercise = classroom.teacher_cell(nbformat.from_dict(json.loads(json.dumps(lesson.cells[index]))), exercise_id,
                                                warnings)
        assert not exercise.solved and student_cell(cell) == source
    assert len(warnings) == len(classroom.exercise_cells(lesson)) and "no worked solution" in warnings[0]


def test_the_stubs_follow_where_a_region_stands():
    cell = nbformat.v4.new_code_cell("def f(x):\n    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION\n\n\n"
                                     "answer = None  # when ready: answer = f\n### BEGIN SOLUTION\nanswer = f\n### END SOLUTION\n"
                                     'exercises.check("99.1", answer)')
    assert student_cell(cell) == ("def f(x):\n    ...  # your code here\n\n\nanswer = None  # when ready: answer = f\n"
                                  'exercises.check("99.1", answer)')
    with pytest.raises(RuntimeError, match="no end solution"):
        student_cell(nbformat.v4.new_code_cell("answer = None\n### BEGIN SOLUTION\nanswer = 1"))


def test_the_hidden_test_fails_the_packages_own_answer_however_it_is_handed_in():
    import functools

    from rnn_helpers.numpy_rnn import backward_step as step

    assert grading.reference_answers("05.5", 6) == ["rnn_helpers.numpy_rnn.backward_step"]
    assert grading.reference_answers("03.5", 4) == []  # numpy_rnn.forward reads top-down: not an answer on its own

    def through_the_module(*args):
        return numpy_rnn.backward_step(*args)

    def through_an_alias(*args):
        return step(*args)

    def through_an_import(*args):
        from rnn_helpers.numpy_rnn import backward_step
        return backward_step(*args)

    def through_a_helper(*args):
        return through_the_module(*args)

    names = ["rnn_helpers.numpy_rnn.backward_step"]
    for answer in (numpy_rnn.backward_step, through_the_module, through_an_alias, through_an_import, through_a_helper,
                   functools.partial(step), lambda *args: numpy_rnn.backward_step(*args)):
        assert grading.handed_over(answer, names) == names[0]
    namespace = {"np": np}
    exec(worked_solution("05.5").code, namespace)
    assert grading.handed_over(namespace["answer"], names) is None
    assert grading.handed_over(lambda x, W, U, b: numpy_rnn.forward(x[:, ::-1], W, U, b), []) is None


def test_a_right_answer_that_warns_keeps_its_points(capsys):
    import warnings

    def ink_seen_after(images, t):
        warnings.warn("a student's own warning", stacklevel=2)
        print("and a line on stderr", file=sys.stderr)
        np.exp(np.float32(1000))  # NumPy's RuntimeWarning: overflow encountered in exp
        return images[:, :t].sum(dtype=np.int64) / images.sum(dtype=np.int64)

    right, why = grading.grade("01.5", ink_seen_after)
    assert capsys.readouterr().err == "", "nbgrader scores a test cell that writes to stderr 0"
    assert right, why


def test_the_settings_name_the_course_and_its_exchange(monkeypatch, tmp_path):
    from traitlets.config.loader import PyFileConfigLoader

    for name in ("PATH", "TF_CPP_MIN_LOG_LEVEL", "IPYKERNEL_CELL_NAME", "TF_ENABLE_ONEDNN_OPTS"):
        monkeypatch.setenv(name, os.environ.get(name, ""))  # the file sets them for nbgrader: restored after the test
    monkeypatch.delenv("RNN_LESSONS_COURSE_ID", raising=False)
    monkeypatch.delenv("RNN_LESSONS_EXCHANGE", raising=False)
    config = PyFileConfigLoader(classroom.CONFIG.name, path=str(classroom.CONFIG.parent)).load_config()
    assert config.CourseDirectory.course_id == "rnn-lessons" and "root" not in config.Exchange
    assert config.Execute.timeout >= 1800 and config.ClearSolutions.code_stub == {"python": classroom.CODE_STUB}
    assert classroom.LessonStubs in config.GenerateAssignment.preprocessors
    monkeypatch.setenv("RNN_LESSONS_COURSE_ID", "rnn-lessons-2027")
    monkeypatch.setenv("RNN_LESSONS_EXCHANGE", str(tmp_path))
    config = PyFileConfigLoader(classroom.CONFIG.name, path=str(classroom.CONFIG.parent)).load_config()
    assert config.CourseDirectory.course_id == "rnn-lessons-2027" and config.Exchange.root == str(tmp_path)
