"""The series from notebooks to a site: execute -> translate -> render, and storing the outputs in the lessons.

Each lesson is executed in memory (``execute``); its executed notebook is written once, into the build folder, and
handed on in memory: to the Chinese edition (``translate.translated``), to the pages (``render``), to the landing
pages' descriptions and thumbnails. Nothing here reads an executed notebook back from disk.

The runner never writes to ``notebooks/`` except through ``store_outputs``, which replaces a lesson only after it
ran to the end.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from rnn_build import language_cells, render, translate
from rnn_build.execute import CELL_TIMEOUT, execute
from rnn_build.lessons import Lesson, fast_parameters, parameter_names
from rnn_build.notebook_files import BUILD_DIR, write_notebook
from rnn_build.provenance import with_provenance
from rnn_helpers.data import show_path
from rnn_helpers.errors import LessonError


@dataclass
class LessonResult:
    """What running one lesson produced: ``notebook`` is the executed notebook (in memory), ``output`` where it was
    written; ``html`` its page and ``chinese`` its Chinese edition (in memory), once published."""

    lesson: Lesson
    ok: bool
    seconds: float
    output: Path
    records: dict = field(default_factory=dict)
    error: str = ""
    notebook: object = field(default=None, repr=False)
    html: Path | None = None
    chinese: object = field(default=None, repr=False)


def run_lesson(lesson: Lesson, out_dir: Path, parameters: dict, timeout: int = CELL_TIMEOUT,
               progress: bool | dict = False, pages: list[str] | None = None, render_pages: bool = False) -> LessonResult:
    """Execute one lesson into ``out_dir/NN_name.ipynb``; never raises for a failing cell.

    ``render_pages`` also publishes it (``publish_lesson``): its page and its Chinese edition's, with ``pages`` (the
    lessons of this build, file stems in order) for their navigation. Tests leave it off: they read the results.
    """
    run = execute(lesson.path, parameters, timeout, progress)
    output = write_notebook(run.notebook, Path(out_dir) / lesson.path.name)
    result = LessonResult(lesson, run.ok, run.seconds, output, run.records, run.error, run.notebook)
    if render_pages:
        publish_lesson(result, pages or [lesson.name])
    return result


def publish_lesson(result: LessonResult, pages: list[str]) -> LessonResult:
    """The pages of an executed lesson beside its notebook: ``NN_name.html``, and its Chinese edition
    ``zh-CN/NN_name.ipynb`` and ``zh-CN/NN_name.html``, each page linking to the other. Sets ``result.html`` and
    ``result.chinese``; returns ``result``.

    The Chinese edition is built leniently: a cell whose translation is missing or stale keeps its English text (with
    a warning), so a lesson edited but not yet translated still gets a complete page. Its set-up and exercise cells are
    run again in Chinese (a kernel of its own, a few seconds), so its page shows the feedback a Chinese reader gets.
    The pages expect MathJax in the build folder: ``publish_site`` and ``run_series`` put it there.
    """
    out_dir, name = result.output.parent, result.lesson.name
    result.chinese = translate.translated(result.notebook, name, strict=False)
    language_cells.execute_language_cells([(name, result.chinese)], folder=result.lesson.path.parent)  # its own feedback
    chinese = write_notebook(result.chinese, out_dir / translate.LANGUAGE / result.output.name)
    result.html = render.write_lesson_page(result.notebook, result.output.with_suffix(".html"), pages, "en",
                                           other_edition=True)
    render.write_lesson_page(result.chinese, chinese.with_suffix(".html"), pages, translate.LANGUAGE, other_edition=True)
    return result


def publish_site(results: list[LessonResult], out_dir: Path, mode: str) -> Path:
    """The site of ``results`` (lessons executed into ``out_dir``): MathJax, the pages of each lesson not yet
    published, the thumbnails, both landing pages and ``summary.json``. Returns the English landing page."""
    out_dir = Path(out_dir)
    strangers = [show_path(r.output) for r in results if r.output.parent.resolve() != out_dir.resolve()]
    if strangers:
        raise LessonError(f"the site in {show_path(out_dir)} can only show lessons executed into it, not {strangers}")
    render.install_mathjax(out_dir)
    pages = [r.lesson.name for r in results]
    for result in results:
        if result.html is None:
            publish_lesson(result, pages)
    write_summary(results, out_dir)
    return publish_landing_pages(results, out_dir, mode)


def publish_landing_pages(results: list[LessonResult], out_dir: Path, mode: str) -> Path:
    """Write the landing pages ``index.html`` and ``zh-CN/index.html`` (with a thumbnail per lesson) for lessons
    already published; return the English landing page."""
    english, chinese = [], []
    for r in results:
        render.thumbnail(r.notebook, r.lesson.number, out_dir)
        english.append(render.describe(r.notebook, r.lesson.name, r.lesson.number, r.ok, r.seconds, r.records, r.error))
        chinese.append(render.describe(r.chinese, r.lesson.name, r.lesson.number, r.ok, r.seconds, r.records, r.error,
                                       translate.LANGUAGE))
    index = render.write_landing_page(english, out_dir, mode, "en", translate.LANGUAGE)
    render.write_landing_page(chinese, out_dir / translate.LANGUAGE, mode, translate.LANGUAGE, "en")
    return index


def write_summary(results: list[LessonResult], out_dir: Path) -> Path:
    """``summary.json``: each lesson's status, seconds, recorded results and error, for a program to read."""
    summary = [{"lesson": r.lesson.name, "ok": r.ok, "seconds": round(r.seconds, 1), "records": r.records,
                "error": r.error} for r in results]
    target = Path(out_dir) / "summary.json"
    target.write_text(json.dumps(summary, indent=2), encoding="utf-8")
    return target


def check_overrides(lessons: list[Lesson], overrides: dict) -> dict[Lesson, set[str]]:
    """Each lesson's parameter names; LessonError when an override is a parameter of none of them."""
    names = {lesson: parameter_names(lesson.path) for lesson in lessons}
    unknown = set(overrides) - set().union(*names.values())
    if unknown:
        raise LessonError(f"no lesson has a parameter {sorted(unknown)}; see each notebook's "
                          "parameters cell (or `python -m rnn_helpers list`)")
    return names


def run_series(lessons: list[Lesson], out_dir: Path = BUILD_DIR, fast: bool = False,
               overrides: dict | None = None, timeout: int = CELL_TIMEOUT,
               progress: bool = True, publish: bool = True) -> list[LessonResult]:
    """Run ``lessons`` in order into ``out_dir`` and publish each (both editions); stop at the first failure;
    then write the landing pages and ``summary.json``.

    ``fast`` uses each lesson's declared small parameters; ``overrides`` are applied on top, to every lesson that
    has a parameter of that name. ``publish=False`` writes the executed notebooks and ``summary.json`` only.
    """
    from tqdm.auto import tqdm

    overrides = overrides or {}
    names = check_overrides(lessons, overrides)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if publish:
        render.install_mathjax(out_dir)
    pages = [lesson.name for lesson in lessons]
    results = []
    bar = tqdm(lessons, desc="lessons", unit="lesson", position=0, disable=not progress)
    for lesson in bar:
        bar.set_postfix_str(lesson.name)
        parameters = fast_parameters(lesson.path) if fast else {}
        parameters.update({k: v for k, v in overrides.items() if k in names[lesson]})
        cell_bar = {"desc": lesson.number, "position": 1, "leave": False} if progress else False
        results.append(run_lesson(lesson, out_dir, parameters, timeout, cell_bar, pages, render_pages=publish))
        if not results[-1].ok:
            break
    bar.close()
    if publish:
        publish_landing_pages(results, out_dir, "fast" if fast else "full")
    write_summary(results, out_dir)
    return results


def store_outputs(lessons: list[Lesson], out_dir: Path = BUILD_DIR / "outputs",
                  timeout: int = CELL_TIMEOUT) -> list[LessonResult]:
    """Execute each lesson with its default parameters and store the outputs in it; stop at the first failure.

    A lesson's file is replaced (atomically, with what made its outputs) only when every cell ran; a failure leaves
    the source notebook exactly as it was and the executed copy with the error in ``out_dir``. The Chinese edition
    of the stored lessons is rebuilt by the caller (``python -m rnn_helpers outputs`` does it).
    """
    results = []
    for lesson in lessons:
        run = execute(lesson.path, {}, timeout, progress={"desc": lesson.number})
        target = lesson.path if run.ok else Path(out_dir) / lesson.path.name
        notebook = with_provenance(run.notebook) if run.ok else run.notebook
        results.append(LessonResult(lesson, run.ok, run.seconds, write_notebook(notebook, target), run.records,
                                    run.error, notebook))
        if not run.ok:
            break
    return results


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


def failure_report(results: list[LessonResult]) -> str:
    """Where to look when the last lesson failed; empty when all passed."""
    if not results or results[-1].ok:
        return ""
    r = results[-1]
    return (f"FAILED: {show_path(r.lesson.path)}: {r.error}\n"
            f"The executed notebook with the error is {show_path(r.output)}")
