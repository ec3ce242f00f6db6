"""The executed lessons as a small site that works offline: lesson pages and landing pages, in each edition's language.

A lesson page is nbconvert's JupyterLab page through the template ``templates/lesson/`` (which extends ``lab``):
the template sets the page's language, typesets math with the MathJax copy placed beside the pages (from the PyPI
package jupyter-server-mathjax) so that no network is needed, loads no remote script, adds previous / index / next
links and the link to the page's other-language version, points links to another lesson's notebook at its page, and
folds the cells tagged ``harness`` (a lesson checking its own claims) under their first comment line.

A landing page (``index.html`` of each edition) is the Jinja2 template ``templates/landing.html.j2``: what the
series teaches and, per lesson, its goals, run time, status, a thumbnail taken from its own figures and its key
results in words. What the pages say around the lessons is data, one file per language: ``words/en.toml`` and
``words/zh-CN.toml``.

Everything here works on notebooks in memory; only the pages, thumbnails and MathJax are written.
"""

from __future__ import annotations

import base64
import dataclasses
import html
import re
import shutil
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"
WORDS_DIR = PACKAGE_DIR / "words"
LESSON_TEMPLATE = "lesson"  # the folder templates/lesson/ (conf.json, index.html.j2)
LANDING_TEMPLATE = "landing.html.j2"
MATHJAX_FOLDER = "mathjax"
# The only configuration the packaged MathJax 2 copy ships (TeX-AMS_HTML would silently render nothing).
MATHJAX_URL = f"{MATHJAX_FOLDER}/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full"
THUMBNAIL_FOLDER = "thumbnails"
HARNESS_TAG = "harness"  # a lesson's check cells: folded on its page


@cache
def words(language: str = "en") -> dict:
    """The interface text of one edition, from ``words/LANGUAGE.toml``; the values of keys ending in ``_html`` are
    marked as HTML (a template writes them as they are), every other text is escaped where it is written."""
    from markupsafe import Markup

    with (WORDS_DIR / f"{language}.toml").open("rb") as f:
        found = tomllib.load(f)
    return {key: Markup(value) if key.endswith("_html") else value for key, value in found.items()}


def install_mathjax(out_dir: Path) -> Path:
    """Copy the packaged MathJax beside the pages (once); return its folder."""
    import jupyter_server_mathjax

    target = Path(out_dir) / MATHJAX_FOLDER
    if not (target / "MathJax.js").exists():
        source = Path(jupyter_server_mathjax.__file__).parent / "static"
        shutil.copytree(source, target, dirs_exist_ok=True)
    return target


def lesson_links(rendered: str, pages: list[str]) -> str:
    """``rendered`` (a markdown cell as HTML) with its links to the notebooks of ``pages`` pointed at their pages,
    also from the Chinese edition's folder to the English ones (``../NN_name.ipynb``)."""
    for stem in pages:
        for prefix in ("", "../"):
            rendered = rendered.replace(f'href="{prefix}{stem}.ipynb"', f'href="{prefix}{stem}.html"')
    return rendered


@cache
def _exporter(language: str):
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name=LESSON_TEMPLATE, extra_template_basedirs=[str(TEMPLATES_DIR)],
                            mathjax_url=words(language)["assets"] + MATHJAX_URL)
    exporter.register_filter("lesson_links", lesson_links)
    return exporter


def lesson_page(nb, name: str, pages: list[str], language: str = "en", other_edition: bool = False) -> str:
    """The HTML page of the executed lesson ``nb`` (file stem ``name``), for a folder of pages beside MathJax.

    ``pages`` are the stems of the lessons in this build, in order: the navigation links to its neighbours there,
    and links to their notebooks in the text go to their pages. ``language`` is the edition ("en", or "zh-CN" for a
    page one folder down); ``other_edition`` adds a link to the page's other-language version.
    """
    pages = list(pages) if name in pages else [name]
    at = pages.index(name)
    page_words = words(language)
    resources = {
        "metadata": {"name": name},
        "rnn": {"lang": page_words["lang"], "name": name, "pages": pages, "words": page_words,
                "previous": pages[at - 1] if at else "", "next": pages[at + 1] if at + 1 < len(pages) else "",
                "other_edition": other_edition},
    }
    body, _ = _exporter(language).from_notebook_node(nb, resources=resources)
    return body


def write_lesson_page(nb, target: Path, pages: list[str], language: str = "en", other_edition: bool = False) -> Path:
    """Write ``lesson_page`` of ``nb`` to ``target`` (``NN_name.html``); return ``target``."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(lesson_page(nb, target.stem, pages, language, other_edition), encoding="utf-8")
    return target


@dataclass(frozen=True)
class Page:
    """What a landing page shows of one executed lesson."""

    number: str
    name: str  # file stem, "01_mnist_rows_as_time_steps"
    title: str  # "01 - MNIST rows as time steps"
    tagline: str  # the italic line under the title
    goals: str  # "After this lesson you can ..."
    ok: bool
    seconds: float
    results: list[str]  # key results as sentences
    error: str = ""
    thumbnail: str = ""  # the thumbnail's address from the landing page, "" for none


def describe(nb, name: str, number: str, ok: bool, seconds: float, records: dict, error: str = "",
             language: str = "en") -> Page:
    """A Page from an executed notebook (in memory): its first markdown cell (title, italic line, goals) and its key
    results; ``language`` is the notebook's edition."""
    page_words = words(language)
    first = next((c.source for c in nb.cells if c.cell_type == "markdown"), "")
    title = next((ln[2:].strip() for ln in first.splitlines() if ln.startswith("# ")), name)
    tagline = next((ln.strip("* ") for ln in first.splitlines() if ln.startswith("*") and not ln.startswith("**")), "")
    marker = page_words["goals_marker"]
    goals = next((p[p.index(marker):].replace("\n", page_words["goals_joiner"]) for p in first.split("\n\n") if marker in p), "")
    return Page(number, name, title, tagline, goals, ok, seconds, key_results(nb, records, page_words["result_separator"]),
                error)


def thumbnail(nb, number: str, out_dir: Path) -> Path | None:
    """Save the lesson's thumbnail figure as ``out_dir/thumbnails/NN.png``; None when it drew nothing.

    The figure is the cell named in the notebook's metadata (``rnn_lessons.thumbnail``, a cell id), else the
    first figure the lesson drew.
    """
    chosen = nb.metadata.get("rnn_lessons", {}).get("thumbnail")
    cells = [c for c in nb.cells if c.cell_type == "code" and (chosen is None or c.get("id") == chosen)]
    for cell in cells:
        for output in cell.get("outputs", []):
            png = output.get("data", {}).get("image/png")
            if png:
                target = Path(out_dir) / THUMBNAIL_FOLDER / f"{number}.png"
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(base64.b64decode(png))
                return target
    return None


def key_results(nb, records: dict, separator: str = ": ") -> list[str]:
    """The lesson's key results as sentences, from the descriptions in its metadata.

    ``rnn_lessons.key_results`` is a list of [record name, description] pairs, in the order to show them.
    """
    described = nb.metadata.get("rnn_lessons", {}).get("key_results", [])
    return [f"{text}{separator}{_readable(records[name])}" for name, text in described if name in records]


def _readable(value) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_readable(v)}" for k, v in value.items())
    if isinstance(value, list):  # one value per seed
        return " / ".join(_readable(v) for v in value)
    return str(value)


def code_spans(text: str):
    """``text`` escaped for HTML, with its `code` spans shown as code (a landing page's tagline and goals)."""
    from markupsafe import Markup

    return Markup(re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text)))


@cache
def _landing_template():
    import jinja2

    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)), autoescape=True,
                                     undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    environment.filters["code_spans"] = code_spans
    return environment.get_template(LANDING_TEMPLATE)


def landing_page(pages: list[Page], mode: str, language: str = "en", other_language: str | None = None) -> str:
    """The landing page of one edition: what the series is, then one block per lesson with its thumbnail, goals and
    results. ``other_language`` offers that edition's landing page and each lesson's page in it."""
    return _landing_template().render(words=words(language), other_words=words(other_language) if other_language else None,
                                      mode=mode, lessons=pages)


def write_landing_page(pages: list[Page], out_dir: Path, mode: str, language: str = "en",
                       other_language: str | None = None) -> Path:
    """Write the landing page ``index.html`` of one edition into its folder ``out_dir`` (``zh-CN/`` for the Chinese
    one), showing each lesson's thumbnail that is there; return its path."""
    out_dir = Path(out_dir)
    assets = words(language)["assets"]
    shown = []
    for page in pages:
        address = f"{assets}{THUMBNAIL_FOLDER}/{page.number}.png"
        shown.append(dataclasses.replace(page, thumbnail=address if (out_dir / address).exists() else ""))
    out_dir.mkdir(parents=True, exist_ok=True)
    index = out_dir / "index.html"
    index.write_text(landing_page(shown, mode, language, other_language), encoding="utf-8")
    return index
