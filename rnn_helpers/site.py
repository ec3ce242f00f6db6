"""The executed lessons as a small site that works offline: lesson pages and a landing page, in English and Chinese.

Lesson pages are nbconvert's HTML with three changes: math is typeset by a
MathJax copy placed beside the pages (from the PyPI package
jupyter-server-mathjax), so no network is needed; every page has
previous / index / next links; and links between lessons point to their pages
instead of their .ipynb files. The landing page ``index.html`` says what the
series teaches and, per lesson, its goals, run time, status, a thumbnail
taken from its own figures and its key results in words.

The Chinese edition (``zh-CN/`` beside the English pages) is built from the same executed notebooks
and the translations (``rnn_helpers.translate``): its pages and landing page have the same shape, in
Chinese, and every page links to its other-language version.
"""

from __future__ import annotations

import base64
import html
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import nbformat

from rnn_helpers import translate

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
SERIES_TITLE_ZH = "rnn-lessons：把一个循环神经网络彻底讲透"
SERIES_INTRO_ZH = (
    "一套按顺序编号的 Jupyter notebook，把一个循环神经网络彻底讲透：一个 Keras SimpleRNN，把每张 MNIST 数字图片当作 28 个时间步、"
    "每步 28 个像素来读。你将加载数据、搭建模型、弄清它的每一个参数、拆开它的权重矩阵、训练并评估它，"
    "再用随时间反向传播亲手算出它的梯度。本系列写给用它上课的老师、在 JupyterLab 里自学的学生，以及无界面运行 notebook 的 CI 系统。"
    "正文里的每个数字都由上方的代码打印出来，每个结论都由 notebook 自己检查，每一课都能在笔记本电脑的 CPU 上几分钟内跑完，"
    "而且全部离线可用。"
)
LANGUAGE_ZH = translate.LANGUAGE


@dataclass(frozen=True)
class Words:
    """What the pages of one edition say around the lessons, and where the other edition is."""

    lang: str
    title: str
    intro: str
    all_lessons: str
    other_edition: str  # the link text to the other language's version
    other_prefix: str  # from a page of this edition to the other edition's folder
    assets: str  # from a page of this edition to the shared mathjax/ and thumbnails/
    goals_marker: str  # the goals paragraph of a lesson's first cell starts here
    built_by: str
    ran: str  # "{seconds}" and "{status}", then the separator before the notebook's link
    ok: str
    failed: str  # before the error, with its separator
    executed: str
    figure: str  # alt text, "{number}"
    modes: dict  # "full" and "fast" as this edition says them


WORDS = {
    "en": Words(
        "en", SERIES_TITLE, SERIES_INTRO, "All lessons", "中文版", f"{LANGUAGE_ZH}/", "", "After this lesson",
        "These pages were built by <code>make lessons</code> ({mode} mode): every lesson was executed headlessly, and each "
        "page shows what it printed. Open a lesson in JupyterLab with <code>make lab</code> to change its parameters and "
        "run it yourself.",
        "ran in {seconds:.0f} s here; {status}; ", "ran without errors", "FAILED: ", "the executed notebook",
        "a figure from lesson {number}", {"full": "full", "fast": "fast"}),
    LANGUAGE_ZH: Words(
        LANGUAGE_ZH, SERIES_TITLE_ZH, SERIES_INTRO_ZH, "全部课程", "English", "../", "../", "学完本课",
        "这些页面由 <code>make lessons</code>（{mode} 模式）生成：每一课都在无界面环境中运行过，每个页面显示的就是该课运行时打印的内容。"
        "用 <code>make lab-zh</code> 在 JupyterLab 中打开中文版，可以修改参数并自己运行。代码和输出与英文版相同，仍为英文。",
        "本机运行 {seconds:.0f} 秒；{status}；", "运行无错误", "失败：", "运行后的 notebook",
        "第 {number} 课的一张图", {"full": "完整", "fast": "快速"}),
}


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


def describe(notebook_path: Path, number: str, ok: bool, seconds: float, records: dict, error: str = "",
             language: str = "en") -> Page:
    """A Page from an executed notebook: its first markdown cell (title, italic line, goals) and its key results."""
    nb = nbformat.read(notebook_path, as_version=4)
    first = next((c.source for c in nb.cells if c.cell_type == "markdown"), "")
    title = next((ln[2:].strip() for ln in first.splitlines() if ln.startswith("# ")), notebook_path.stem)
    tagline = next((ln.strip("* ") for ln in first.splitlines() if ln.startswith("*") and not ln.startswith("**")), "")
    marker = WORDS[language].goals_marker
    joiner = "" if language == LANGUAGE_ZH else " "  # Chinese lines are joined without a space
    goals = next((p[p.index(marker):].replace("\n", joiner) for p in first.split("\n\n") if marker in p), "")
    separator = "：" if language == LANGUAGE_ZH else ": "
    return Page(number, notebook_path.stem, title, tagline, goals, ok, seconds, key_results(nb, records, separator), error)


def install_mathjax(out_dir: Path) -> Path:
    """Copy the packaged MathJax beside the pages (once); return its folder."""
    import jupyter_server_mathjax

    target = out_dir / MATHJAX_FOLDER
    if not (target / "MathJax.js").exists():
        source = Path(jupyter_server_mathjax.__file__).parent / "static"
        shutil.copytree(source, target, dirs_exist_ok=True)
    return target


def _nav(pages: list[str], name: str, words: Words, other_edition: bool) -> str:
    """Previous / index / next links for the page ``name`` among ``pages`` (file stems, in order),
    and a link to its other-language version when that edition is built."""
    at = pages.index(name)
    previous = f'<a href="{html.escape(pages[at - 1])}.html">&larr; {html.escape(pages[at - 1][:2])}</a>' if at else ""
    following = (f'<a href="{html.escape(pages[at + 1])}.html">{html.escape(pages[at + 1][:2])} &rarr;</a>'
                 if at + 1 < len(pages) else "")
    other = (f' &middot; <a class="other-edition" hreflang="{LANGUAGE_ZH if words.lang == "en" else "en"}" '
             f'href="{words.other_prefix}{html.escape(name)}.html">{words.other_edition}</a>' if other_edition else "")
    return (f'<nav class="rnn-lessons-nav" style="display:flex;justify-content:space-between;font-family:sans-serif;'
            f'padding:.6em 1em;border-bottom:1px solid #ddd"><span>{previous}</span>'
            f'<span><a href="index.html">{words.all_lessons}</a>{other}</span><span>{following}</span></nav>')


def export_lesson_page(notebook_path: Path, pages: list[str], language: str = "en", other_edition: bool = False) -> Path:
    """Write ``notebook_path`` as an HTML page beside it, with local MathJax and navigation; return its path.

    ``pages`` are the stems of the lessons in this build, in order: they get links, and links to their
    .ipynb files in the lesson's text are pointed at their pages. ``language`` is the edition ("en", or
    "zh-CN" for a page one folder down); ``other_edition`` adds a link to the page's other-language version.
    """
    from nbconvert import HTMLExporter

    words = WORDS[language]
    mathjax_url = words.assets + MATHJAX_URL
    body, _ = HTMLExporter(mathjax_url=mathjax_url).from_filename(str(notebook_path))
    for stem in pages:
        body = body.replace(f'href="{stem}.ipynb"', f'href="{stem}.html"')
        body = body.replace(f'href="../{stem}.ipynb"', f'href="../{stem}.html"')  # the Chinese edition's English link
    body = re.sub(r"<html[^>]*>", f'<html lang="{words.lang}">', body, count=1)
    body = body.replace("<head>", "<head>" + NO_FAVICON, 1)
    body = REMOTE_SCRIPT.sub("", body)
    body = body.replace(f'<script src="{mathjax_url}"', MATHJAX_FONTS + f'<script src="{mathjax_url}"', 1)
    if notebook_path.stem in pages:
        nav = _nav(pages, notebook_path.stem, words, other_edition)
        body = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + nav, body, count=1)
        body = body.replace("</body>", nav + "</body>", 1)
    target = notebook_path.with_suffix(".html")
    target.write_text(body, encoding="utf-8")
    return target


def export_chinese_page(english_notebook: Path, pages: list[str]) -> Path:
    """The Chinese edition of an executed lesson: its notebook in ``zh-CN/`` beside it and that notebook's page.

    Built leniently: a markdown cell whose translation is missing or stale keeps its English text, so a
    lesson edited but not yet translated still gets a complete page.
    """
    from rnn_helpers import series

    nb = nbformat.read(english_notebook, as_version=4)
    target = english_notebook.parent / LANGUAGE_ZH / english_notebook.name
    series.write_notebook(translate.translated(nb, english_notebook.stem, strict=False), target)
    return export_lesson_page(target, pages, LANGUAGE_ZH, other_edition=True)


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


def key_results(nb, records: dict, separator: str = ": ") -> list[str]:
    """The lesson's key results as sentences, from the descriptions in its metadata.

    ``rnn_lessons.key_results`` is a list of [record name, description] pairs, in the order to show them.
    """
    described = nb.metadata.get("rnn_lessons", {}).get("key_results", [])
    return [f"{text}{separator}{_readable(records[name])}" for name, text in described if name in records]


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


def write_index(pages: list[Page], out_dir: Path, mode: str, language: str = "en", other_edition: bool = False) -> Path:
    """The landing page: what the series is, then one block per lesson with its thumbnail, goals and results.

    ``out_dir`` is the edition's folder (``zh-CN/`` for the Chinese one); ``other_edition`` offers the other
    language's landing page and each lesson's other-language page.
    """
    words = WORDS[language]
    blocks = []
    for page in pages:
        thumb = out_dir / words.assets / THUMBNAIL_FOLDER / f"{page.number}.png"
        image = (f'<img src="{words.assets}{THUMBNAIL_FOLDER}/{page.number}.png" '
                 f'alt="{html.escape(words.figure.format(number=page.number))}">' if thumb.exists() else "")
        status = (f'<span class="ok">{words.ok}</span>' if page.ok
                  else f'<span class="failed">{words.failed}{html.escape(page.error)}</span>')
        result_list = ("<ul>" + "".join(f"<li>{html.escape(r)}</li>" for r in page.results) + "</ul>") if page.results else ""
        other = (f' &middot; <a class="other-edition" href="{words.other_prefix}{html.escape(page.name)}.html">'
                 f'{words.other_edition}</a>' if other_edition else "")
        blocks.append(
            f'<div class="lesson">{image}<div>'
            f'<h2><a href="{html.escape(page.name)}.html">{html.escape(page.title)}</a></h2>'
            f'<p class="tagline">{_inline(page.tagline)}</p><p>{_inline(page.goals)}</p>{result_list}'
            f'<p class="meta">{words.ran.format(seconds=page.seconds, status=status)}'
            f'<a href="{html.escape(page.name)}.ipynb">{words.executed}</a>{other}</p></div></div>')
    switch = (f'<p class="editions"><a class="other-edition" href="{words.other_prefix}index.html">'
              f'{WORDS[LANGUAGE_ZH].title if language == "en" else SERIES_TITLE}</a> ({words.other_edition})</p>'
              if other_edition else "")
    page_html = (
        f"<!doctype html><html lang='{words.lang}'><meta charset='utf-8'><meta name='viewport' content='width=device-width'>"
        f"{NO_FAVICON}"
        f"<title>{html.escape(words.title)}</title><style>{STYLE}</style><body>"
        f"<h1>{html.escape(words.title)}</h1>{switch}<p class='intro'>{html.escape(words.intro)}</p>"
        f"<p class='meta'>{words.built_by.format(mode=html.escape(words.modes.get(mode, mode)))}</p>"
        + "".join(blocks) + "</body></html>")
    out_dir.mkdir(parents=True, exist_ok=True)
    index = out_dir / "index.html"
    index.write_text(page_html, encoding="utf-8")
    return index
