"""The executed lessons as a small site that works offline: lesson pages and a landing page.

Lesson pages are nbconvert's HTML with three changes: math is typeset by a
MathJax copy placed beside the pages (from the PyPI package
jupyter-server-mathjax), so no network is needed; every page has
previous / index / next links; and links between lessons point to their pages
instead of their .ipynb files. The landing page ``index.html`` says what the
series teaches and, per lesson, its goals, run time, status, a thumbnail
taken from its own figures and its key results in words.
"""

from __future__ import annotations

import base64
import html
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import nbformat

MATHJAX_FOLDER = "mathjax"
NO_FAVICON = "<link rel='icon' href='data:,'>"  # else the browser asks for /favicon.ico and logs a 404
# The packaged copy has the STIX web fonts only: without this MathJax first asks for its TeX fonts (a 404). Its
# "MathJax_Blank" probe font points at about:blank, which Chromium refuses with a console error: a local() source
# never makes a request.
MATHJAX_FONTS = ('<script type="text/x-mathjax-config">MathJax.Hub.Config({"HTML-CSS": {availableFonts: ["STIX"], '
                 'preferredFont: "STIX", webFont: "STIX-Web", imageFont: null, '
                 'styles: {"@font-face": {"font-family": "MathJax_Blank", src: "local(MathJax_Blank)"}}}});</script>')
# nbconvert's page loads require.js from a CDN for interactive widgets, which the lessons do not use.
REMOTE_SCRIPT = re.compile(r'<script[^>]*src="https?://[^"]*"[^>]*>\s*</script>\s*')
# The only configuration the packaged MathJax 2 copy ships (TeX-AMS_HTML would silently render nothing).
MATHJAX_URL = f"{MATHJAX_FOLDER}/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full"
THUMBNAIL_FOLDER = "thumbnails"

SERIES_TITLE = "rnn-lessons: one recurrent network, completely"
SERIES_INTRO = (
    "A numbered series of Jupyter notebooks that teaches one recurrent network completely: a Keras SimpleRNN that reads each "
    "MNIST digit as 28 time steps of 28 pixels. You load the data, build the model, account for every one of its parameters, "
    "take its weight matrices apart, train and evaluate it, and compute its gradients by hand with backpropagation through time. "
    "It is written for teachers running a class, students working alone in JupyterLab, and CI systems running the notebooks "
    "headlessly. Every number in the text is printed by the code above it, every claim is checked by the notebook itself, "
    "each lesson runs on a laptop CPU in minutes, and everything works offline."
)


@dataclass(frozen=True)
class Page:
    """What the site needs to know about one executed lesson."""

    number: str
    name: str  # file stem, "01_mnist_rows_as_time_steps"
    title: str  # "01 - MNIST rows as time steps"
    tagline: str  # the italic line under the title
    goals: str  # "After this lesson you can ..."
    ok: bool
    seconds: float
    results: list[str]  # key results as sentences
    error: str = ""


def describe(notebook_path: Path, number: str, ok: bool, seconds: float, records: dict, error: str = "") -> Page:
    """A Page from an executed notebook: its first markdown cell (title, italic line, goals) and its key results."""
    nb = nbformat.read(notebook_path, as_version=4)
    first = next((c.source for c in nb.cells if c.cell_type == "markdown"), "")
    title = next((ln[2:].strip() for ln in first.splitlines() if ln.startswith("# ")), notebook_path.stem)
    tagline = next((ln.strip("* ") for ln in first.splitlines() if ln.startswith("*") and not ln.startswith("**")), "")
    goals = next((p[p.index("After this lesson"):].replace("\n", " ") for p in first.split("\n\n") if "After this lesson" in p), "")
    return Page(number, notebook_path.stem, title, tagline, goals, ok, seconds, key_results(nb, records), error)


def install_mathjax(out_dir: Path) -> Path:
    """Copy the packaged MathJax beside the pages (once); return its folder."""
    import jupyter_server_mathjax

    target = out_dir / MATHJAX_FOLDER
    if not (target / "MathJax.js").exists():
        source = Path(jupyter_server_mathjax.__file__).parent / "static"
        shutil.copytree(source, target, dirs_exist_ok=True)
    return target


def _nav(pages: list[str], name: str) -> str:
    """Previous / index / next links for the page ``name`` among ``pages`` (file stems, in order)."""
    at = pages.index(name)
    previous = f'<a href="{html.escape(pages[at - 1])}.html">&larr; {html.escape(pages[at - 1][:2])}</a>' if at else ""
    following = (f'<a href="{html.escape(pages[at + 1])}.html">{html.escape(pages[at + 1][:2])} &rarr;</a>'
                 if at + 1 < len(pages) else "")
    return (f'<nav class="rnn-lessons-nav" style="display:flex;justify-content:space-between;font-family:sans-serif;'
            f'padding:.6em 1em;border-bottom:1px solid #ddd"><span>{previous}</span>'
            f'<a href="index.html">All lessons</a><span>{following}</span></nav>')


def export_lesson_page(notebook_path: Path, pages: list[str]) -> Path:
    """Write ``notebook_path`` as an HTML page beside it, with local MathJax and navigation; return its path.

    ``pages`` are the stems of the lessons in this build, in order: they get links, and links to their
    .ipynb files in the lesson's text are pointed at their pages.
    """
    from nbconvert import HTMLExporter

    body, _ = HTMLExporter(mathjax_url=MATHJAX_URL).from_filename(str(notebook_path))
    for stem in pages:
        body = body.replace(f'href="{stem}.ipynb"', f'href="{stem}.html"')
    body = body.replace("<head>", "<head>" + NO_FAVICON, 1)
    body = REMOTE_SCRIPT.sub("", body)
    body = body.replace(f'<script src="{MATHJAX_URL}"', MATHJAX_FONTS + f'<script src="{MATHJAX_URL}"', 1)
    if notebook_path.stem in pages:
        nav = _nav(pages, notebook_path.stem)
        body = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + nav, body, count=1)
        body = body.replace("</body>", nav + "</body>", 1)
    target = notebook_path.with_suffix(".html")
    target.write_text(body, encoding="utf-8")
    return target


def thumbnail(notebook_path: Path, out_dir: Path) -> Path | None:
    """Save the lesson's thumbnail figure as ``thumbnails/NN.png``; None when it drew nothing.

    The figure is the cell named in the notebook's metadata (``rnn_lessons.thumbnail``, a cell id),
    else the first figure the lesson drew.
    """
    nb = nbformat.read(notebook_path, as_version=4)
    chosen = nb.metadata.get("rnn_lessons", {}).get("thumbnail")
    cells = [c for c in nb.cells if c.cell_type == "code" and (chosen is None or c.get("id") == chosen)]
    for cell in cells:
        for output in cell.get("outputs", []):
            png = output.get("data", {}).get("image/png")
            if png:
                target = out_dir / THUMBNAIL_FOLDER / f"{notebook_path.stem[:2]}.png"
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(base64.b64decode(png))
                return target
    return None


def key_results(nb, records: dict) -> list[str]:
    """The lesson's key results as sentences, from the descriptions in its metadata.

    ``rnn_lessons.key_results`` is a list of [record name, description] pairs, in the order to show them.
    """
    described = nb.metadata.get("rnn_lessons", {}).get("key_results", [])
    return [f"{text}: {_readable(records[name])}" for name, text in described if name in records]


def _inline(text: str) -> str:
    """Escape ``text`` for HTML and show its `code` spans as code."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text))


def _readable(value) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_readable(v)}" for k, v in value.items())
    if isinstance(value, list):  # one value per seed
        return " / ".join(_readable(v) for v in value)
    return str(value)


STYLE = """
body{font-family:system-ui,sans-serif;max-width:62em;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.7em;margin-bottom:.2em}.intro{color:#333}.meta{color:#666;font-size:.9em}
.lesson{display:flex;gap:1.2em;border-top:1px solid #ddd;padding:1em 0}
.lesson img{width:220px;height:auto;border:1px solid #eee;align-self:flex-start}
.lesson h2{font-size:1.15em;margin:.1em 0 .3em}.tagline{font-style:italic;margin:.2em 0}
.failed{color:#b00020;font-weight:bold}.ok{color:#1b7d3a}ul{margin:.3em 0;padding-left:1.2em}
"""


def write_index(pages: list[Page], out_dir: Path, mode: str) -> Path:
    """The landing page: what the series is, then one block per lesson with its thumbnail, goals and results."""
    blocks = []
    for page in pages:
        thumb = out_dir / THUMBNAIL_FOLDER / f"{page.number}.png"
        image = (f'<img src="{THUMBNAIL_FOLDER}/{page.number}.png" alt="a figure from lesson {page.number}">'
                 if thumb.exists() else "")
        status = ('<span class="ok">ran without errors</span>' if page.ok
                  else f'<span class="failed">FAILED: {html.escape(page.error)}</span>')
        result_list = ("<ul>" + "".join(f"<li>{html.escape(r)}</li>" for r in page.results) + "</ul>") if page.results else ""
        blocks.append(
            f'<div class="lesson">{image}<div>'
            f'<h2><a href="{html.escape(page.name)}.html">{html.escape(page.title)}</a></h2>'
            f'<p class="tagline">{_inline(page.tagline)}</p><p>{_inline(page.goals)}</p>{result_list}'
            f'<p class="meta">ran in {page.seconds:.0f} s here; {status}; '
            f'<a href="{html.escape(page.name)}.ipynb">the executed notebook</a></p></div></div>')
    page_html = (
        "<!doctype html><html lang='en'><meta charset='utf-8'><meta name='viewport' content='width=device-width'>"
        f"{NO_FAVICON}"
        f"<title>{html.escape(SERIES_TITLE)}</title><style>{STYLE}</style><body>"
        f"<h1>{html.escape(SERIES_TITLE)}</h1><p class='intro'>{html.escape(SERIES_INTRO)}</p>"
        f"<p class='meta'>These pages were built by <code>make lessons</code> ({html.escape(mode)} mode): every lesson was "
        "executed headlessly, and each page shows what it printed. Open a lesson in JupyterLab with <code>make lab</code> to "
        "change its parameters and run it yourself.</p>"
        + "".join(blocks) + "</body></html>")
    index = out_dir / "index.html"
    index.write_text(page_html, encoding="utf-8")
    return index
