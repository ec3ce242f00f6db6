"""List, execute (papermill) and export the lesson notebooks.

The runner never writes to ``notebooks/`` except through ``store_outputs``,
which replaces a lesson only after it ran to the end.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from rnn_helpers.data import PROJECT_ROOT, show_path
from rnn_helpers.errors import LessonError
from rnn_helpers.record import MIME_TYPE

NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
BUILD_DIR = PROJECT_ROOT / "build"
# The project's own kernel, registered in .venv by `make setup` (`python -m rnn_helpers kernel`): a student
# sees its name in JupyterLab, and a user-level "python3" kernel without rnn_helpers can never stand in for it.
KERNEL_NAME = "rnn-lessons"
KERNEL_DISPLAY_NAME = "rnn-lessons (.venv)"
CELL_TIMEOUT = 1800  # seconds; the longest training cell takes a few minutes

# Set for every kernel the runner and the tests start, so a stored output and
# a re-run see the same environment (NOTEBOOK_TESTING.md).
KERNEL_ENV = {
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "IPYKERNEL_CELL_NAME": "<IPY-INPUT>",  # warnings name this, not a random /tmp path
}
# The numeric path: "0" (the default) keeps training bit-identical from run to
# run on one machine; "1" turns on oneDNN, which changes the last bits of
# trained weights the way another CPU does. A value already in the
# environment wins, so `TF_ENABLE_ONEDNN_OPTS=1 make test-second-path` tests
# the stored notebooks on the second path.
NUMERIC_PATH_VARIABLE = "TF_ENABLE_ONEDNN_OPTS"


@dataclass(frozen=True)
class Lesson:
    """One numbered notebook: ``number`` is its two-digit prefix."""

    number: str
    path: Path

    @property
    def name(self) -> str:
        return self.path.stem


@dataclass
class LessonResult:
    """What running one lesson produced."""

    lesson: Lesson
    ok: bool
    seconds: float
    output: Path
    records: dict = field(default_factory=dict)
    error: str = ""
    html: Path | None = None


def list_lessons(notebooks_dir: Path = NOTEBOOKS_DIR, only: list[str] | None = None) -> list[Lesson]:
    """The lessons ``NN_name.ipynb`` in order; ``only`` keeps those whose number
    or name starts with one of its items ("01", "02_building")."""
    lessons = [Lesson(p.name[:2], p) for p in sorted(Path(notebooks_dir).glob("[0-9][0-9]_*.ipynb"))]
    if only:
        chosen = [les for les in lessons if any(les.name.startswith(o) for o in only)]
        unknown = [o for o in only if not any(les.name.startswith(o) for les in lessons)]
        if unknown:
            known = ", ".join(les.number for les in lessons)
            raise LessonError(f"no lesson matches {unknown}; the lessons are {known}")
        return chosen
    return lessons


def fast_parameters(path: Path) -> dict:
    """The small parameters a lesson declares for fast runs (notebook metadata)."""
    nb = nbformat.read(path, as_version=4)
    return dict(nb.metadata.get("rnn_lessons", {}).get("fast_parameters", {}))


def parameter_names(path: Path) -> set[str]:
    """The names assigned in a lesson's ``parameters`` cell."""
    import papermill

    return set(papermill.inspect_notebook(str(path)))


def read_records(nb) -> dict:
    """Merge every result the notebook recorded with ``rnn_helpers.record``."""
    records = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if MIME_TYPE in output.get("data", {}):
                records.update(output["data"][MIME_TYPE])
    return records


def install_kernel() -> Path:
    """Register this environment's Python as the kernel ``KERNEL_NAME`` inside it, and turn JupyterLab's news pop-up off.

    Returns the kernel's folder. Both go under ``sys.prefix`` (the .venv), so nothing outside the project changes.
    """
    import sys

    from ipykernel.kernelspec import install

    folder = Path(install(kernel_name=KERNEL_NAME, display_name=KERNEL_DISPLAY_NAME, prefix=sys.prefix))
    settings = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings"
    settings.mkdir(parents=True, exist_ok=True)
    overrides = {"@jupyterlab/apputils-extension:notification": {"fetchNews": "false"}}
    (settings / "overrides.json").write_text(json.dumps(overrides, indent=2) + "\n", encoding="utf-8")
    return folder


def check_kernel() -> None:
    """Raise LessonError with the fix when the project's kernel is not registered."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec(KERNEL_NAME)
    except NoSuchKernel:
        raise LessonError(f"the kernel {KERNEL_NAME!r} is not registered; run `make setup` "
                          "(or `python -m rnn_helpers kernel` in the project's environment)") from None


def kernel_environment() -> None:
    """Put ``KERNEL_ENV`` and the numeric path into this process's environment, which kernels inherit."""
    os.environ.update(KERNEL_ENV)
    os.environ.setdefault(NUMERIC_PATH_VARIABLE, "0")


def execute(path: Path, output: Path, parameters: dict | None = None,
            timeout: int = CELL_TIMEOUT, progress: bool | dict = False):
    """Run one notebook with papermill in its own folder; return the executed notebook.

    Raises papermill's PapermillExecutionError (with the cell and the error)
    when a cell fails; the output notebook then shows the failure.
    """
    import papermill

    kernel_environment()
    check_kernel()
    output.parent.mkdir(parents=True, exist_ok=True)
    return papermill.execute_notebook(
        str(path), str(output), parameters=parameters or {}, kernel_name=KERNEL_NAME,
        cwd=str(path.parent), execution_timeout=timeout, progress_bar=progress,
        log_output=False)


def describe_failure(exc: Exception) -> str:
    """One line: which cell failed and how."""
    if hasattr(exc, "ename"):  # PapermillExecutionError
        return f"cell In [{exc.exec_count}] raised {exc.ename}: {exc.evalue}"
    return f"{type(exc).__name__}: {exc}".strip()


def run_lesson(lesson: Lesson, out_dir: Path, parameters: dict, timeout: int = CELL_TIMEOUT,
               progress: bool | dict = False, pages: list[str] | None = None, editions: bool = False) -> LessonResult:
    """Execute one lesson into ``out_dir`` and export it as a page; never raises for a failing cell.

    ``pages`` are the lessons of this build (file stems, in order), for the page's navigation links.
    ``editions`` also writes its Chinese edition (notebook and page) into ``out_dir/zh-CN/``, each page
    linking to the other. The pages expect MathJax in ``out_dir``: ``run_series`` and ``store_outputs``
    put it there once per folder.
    """
    from rnn_helpers import site

    output = out_dir / lesson.path.name
    start = time.perf_counter()
    try:
        nb = execute(lesson.path, output, parameters, timeout, progress)
        result = LessonResult(lesson, True, time.perf_counter() - start, output, read_records(nb))
    except Exception as exc:  # a failing cell, a timeout or a dead kernel: report it, go on
        result = LessonResult(lesson, False, time.perf_counter() - start, output,
                              error=describe_failure(exc))
    if output.exists():
        nbformat.write(clean_notebook(nbformat.read(output, as_version=4)), output)
        result.html = site.export_lesson_page(output, pages or [lesson.name], other_edition=editions)
        if editions:
            site.export_chinese_page(output, pages or [lesson.name])
    return result


def format_summary(results: list[LessonResult]) -> str:
    """A plain-text table: lesson, status, seconds, recorded results."""
    width = max([len(r.lesson.name) for r in results] + [6])
    lines = [f"{'lesson':<{width}}  status  seconds  results"]
    for r in results:
        detail = r.error or ", ".join(f"{k}={v}" for k, v in r.records.items())
        lines.append(f"{r.lesson.name:<{width}}  {'ok' if r.ok else 'FAILED':<6}  "
                     f"{r.seconds:7.1f}  {detail}")
    lines.append(f"{'total':<{width}}  {'':<6}  {sum(r.seconds for r in results):7.1f}")
    return "\n".join(lines)


def write_index(results: list[LessonResult], out_dir: Path, mode: str) -> Path:
    """Write the landing pages ``index.html`` and ``zh-CN/index.html`` (with a thumbnail per lesson) and ``summary.json``."""
    from rnn_helpers import site

    pages, pages_zh = [], []
    for r in results:
        if r.output.exists():
            site.thumbnail(r.output, out_dir)
            pages.append(site.describe(r.output, r.lesson.number, r.ok, r.seconds, r.records, r.error))
            chinese = out_dir / site.LANGUAGE_ZH / r.output.name
            pages_zh.append(site.describe(chinese, r.lesson.number, r.ok, r.seconds, r.records, r.error, site.LANGUAGE_ZH))
    index = site.write_index(pages, out_dir, mode, other_edition=True)
    site.write_index(pages_zh, out_dir / site.LANGUAGE_ZH, mode, site.LANGUAGE_ZH, other_edition=True)
    summary = [{"lesson": r.lesson.name, "ok": r.ok, "seconds": round(r.seconds, 1),
                "records": r.records, "error": r.error} for r in results]
    (out_dir / "summary.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    return index


def run_series(lessons: list[Lesson], out_dir: Path = BUILD_DIR, fast: bool = False,
               overrides: dict | None = None, timeout: int = CELL_TIMEOUT,
               progress: bool = True) -> list[LessonResult]:
    """Run ``lessons`` in order into ``out_dir``; stop at the first failure.

    ``fast`` uses each lesson's declared small parameters; ``overrides`` are
    applied on top, to every lesson that has a parameter of that name.
    """
    from tqdm.auto import tqdm

    from rnn_helpers import site

    overrides = overrides or {}
    names = {lesson: parameter_names(lesson.path) for lesson in lessons}
    unknown = set(overrides) - set().union(*names.values())
    if unknown:
        raise LessonError(f"no lesson has a parameter {sorted(unknown)}; see each notebook's "
                          "parameters cell (or `python -m rnn_helpers list`)")
    out_dir.mkdir(parents=True, exist_ok=True)
    site.install_mathjax(out_dir)
    results = []
    bar = tqdm(lessons, desc="lessons", unit="lesson", position=0, disable=not progress)
    for lesson in bar:
        bar.set_postfix_str(lesson.name)
        parameters = fast_parameters(lesson.path) if fast else {}
        parameters.update({k: v for k, v in overrides.items() if k in names[lesson]})
        cell_bar = {"desc": lesson.number, "position": 1, "leave": False} if progress else False
        results.append(run_lesson(lesson, out_dir, parameters, timeout, cell_bar, [les.name for les in lessons],
                                  editions=True))
        if not results[-1].ok:
            break
    bar.close()
    write_index(results, out_dir, "fast" if fast else "full")
    return results


def store_outputs(lessons: list[Lesson], out_dir: Path = BUILD_DIR / "outputs",
                  timeout: int = CELL_TIMEOUT) -> list[LessonResult]:
    """Execute each lesson with its default parameters and store the outputs in it.

    A lesson's file is replaced (atomically) only when every cell ran; a
    failure leaves the source notebook exactly as it was and the executed
    copy with the error in ``out_dir``.
    """
    from rnn_helpers import site

    out_dir.mkdir(parents=True, exist_ok=True)
    site.install_mathjax(out_dir)
    results = []
    for lesson in lessons:
        result = run_lesson(lesson, out_dir, {}, timeout, progress={"desc": lesson.number})
        results.append(result)
        if not result.ok:
            break
        write_notebook(with_provenance(nbformat.read(result.output, as_version=4)), lesson.path)  # run_lesson cleaned it
    return results


def write_notebook(nb, target: Path) -> None:
    """Write ``nb`` to ``target`` through a temporary file and a rename: never half a notebook, no temporary file left."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, staged = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:  # "\n" on Windows too: git sees no change
            nbformat.write(nb, f)
        os.chmod(staged, 0o644)
        os.replace(staged, target)
    except BaseException:
        Path(staged).unlink(missing_ok=True)
        raise


PROVENANCE_TAG = "provenance"


def cpu_model() -> str:
    """The processor's marketing name ("AMD EPYC"), as precise as the platform tells."""
    import platform
    import subprocess

    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(errors="replace").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    if platform.system() == "Darwin":
        try:
            return subprocess.run(["sysctl", "-n", "machdep.cpu.brand_string"], capture_output=True,
                                  text=True, check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            pass
    return platform.processor() or platform.machine()


def package_version(*names: str) -> str:
    """The installed version of the first of ``names`` that is installed ("tensorflow", "tensorflow-cpu")."""
    from importlib import metadata

    for name in names:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return "not installed"


def provenance() -> dict:
    """What produces stored outputs here: versions, processor, numeric path and date."""
    import datetime
    import platform

    return {
        "python": platform.python_version(),
        "tensorflow": package_version("tensorflow", "tensorflow-cpu"),
        "keras": package_version("keras"),
        "numpy": package_version("numpy"),
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "numeric_path": f"{NUMERIC_PATH_VARIABLE}={os.environ.get(NUMERIC_PATH_VARIABLE, '0')}",
        "date": datetime.date.today().isoformat(),
    }


def machine_summary(facts: dict | None = None) -> str:
    """Two lines for a benchmark's header: the processor, its load and the numeric path; the package versions."""
    facts = facts or provenance()
    return (f"Machine: {facts['cpu']}, {facts['cores']} cores, load average {os.getloadavg()[0]:.2f} at the start; "
            f"{facts['numeric_path']}\n"
            f"Python {facts['python']}, TensorFlow {facts['tensorflow']}, Keras {facts['keras']}, NumPy {facts['numpy']}")


def provenance_line(facts: dict) -> str:
    """The one line a lesson's header shows about its stored outputs."""
    return (f"*Stored outputs: made by `make outputs` on {facts['date']} with Python {facts['python']}, "
            f"TensorFlow {facts['tensorflow']}, Keras {facts['keras']} and NumPy {facts['numpy']} on "
            f"{facts['cpu']} ({facts['cores']} cores). Results after training differ in their last digits on "
            "other machines.*")


def with_provenance(nb, facts: dict | None = None):
    """``nb`` with its provenance in the metadata and in the header's provenance cell (added after the title if missing)."""
    facts = facts or provenance()
    nb.metadata.setdefault("rnn_lessons", {})["provenance"] = facts
    cells = [c for c in nb.cells if PROVENANCE_TAG in c.metadata.get("tags", [])]
    if not cells:
        cells = [nbformat.v4.new_markdown_cell(metadata={"tags": [PROVENANCE_TAG]})]
        after_title = 1 if nb.cells and nb.cells[0].cell_type == "markdown" else 0
        nb.cells.insert(after_title, cells[0])
    cells[0].source = provenance_line(facts)
    return nb


# TensorFlow's C++ start-up lines are written before its log settings apply,
# straight to file descriptor 2. Papermill and JupyterLab capture them; nbval
# never sees them, so a stored notebook keeping them could never pass nbval.
# tensorflow-cpu prints none on the default path, but the second numeric path
# (oneDNN on) prints "port.cc:153] oneDNN custom operations are on", and the
# full `tensorflow` wheel prints "Could not find cuda drivers".
CPP_LOG_LINE = re.compile(r"^(WARNING: All log messages before absl::InitializeLog\(\) is called"
                          r" are written to STDERR|[IWEF]\d{4} [\d:.]+\s+\d+ [\w.]+:\d+\] .*)\n?$")


def without_cpp_logs(outputs: list) -> list:
    """``outputs`` with the C++ log lines removed from stderr streams."""
    kept = []
    for output in outputs:
        if output.get("output_type") == "stream" and output.get("name") == "stderr":
            lines = [ln for ln in output["text"].splitlines(keepends=True) if not CPP_LOG_LINE.match(ln)]
            if not lines:
                continue
            output["text"] = "".join(lines)
        kept.append(output)
    return kept


def clean_notebook(nb):
    """Drop papermill's timestamps and TensorFlow's C++ log lines from an executed notebook."""
    nb.metadata.pop("papermill", None)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if cell.metadata.get("tags") == []:
            del cell.metadata["tags"]
        if cell.cell_type == "code":
            cell.outputs = without_cpp_logs(cell.outputs)
    return nb


def failure_report(results: list[LessonResult]) -> str:
    """Where to look when the last lesson failed; empty when all passed."""
    if not results or results[-1].ok:
        return ""
    r = results[-1]
    return (f"FAILED: {show_path(r.lesson.path)}: {r.error}\n"
            f"The executed notebook with the error is {show_path(r.output)}")
