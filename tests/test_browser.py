"""The lessons as a reader sees them, in a real browser: the built site, and lesson 01 run in JupyterLab.

Runs only where Debian's Chromium is installed (`.ci/run` installs it) and drives it with Playwright;
Playwright never downloads a browser of its own here. The site is published from the fast runs of lessons 01-03
that tests/conftest.py's ``fast_runs`` makes (and tests/test_notebooks.py shares): no lesson is executed twice.
Screenshots go to a pytest temporary folder, named at the end of the run, for a person to look at.

Every wait is for a condition (an element, a URL, a file's content), never for a time.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from rnn_build import kernel, lessons, pipeline

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium (apt-get install chromium)")
# Chromium flags for a machine without a display, as root, and with no network but loopback.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
MATHJAX_DONE = "() => window.MathJax && MathJax.Hub && MathJax.Hub.queue.pending === 0"


def wait_until(condition, timeout: float, what: str, every: float = 0.2):
    """Poll ``condition`` until it returns something true, and return that; fail naming ``what`` after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        found = condition()
        if found:
            return found
        if time.monotonic() > deadline:
            pytest.fail(f"{what} within {timeout:.0f} s")
        time.sleep(every)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def site(fast_runs):
    """Lessons 01-03 from the fast runs, published as a site in their folder and served on 127.0.0.1.

    Lesson 02 links to 01 and 03, so all three are published for its links to resolve. The server binds port 0
    itself, so no other process can take the port between choosing and binding it.
    """
    results = [fast_runs(lesson) for lesson in lessons.list_lessons(only=["01", "02", "03"])]
    assert all(r.ok for r in results), [r.error for r in results]
    folder = results[0].output.parent
    pipeline.publish_site(results, folder, "fast")
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", folder
    server.shutdown()
    server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002  (the base class's name)
        pass


def _open(browser, url: str):
    """A page at ``url``, loaded (the ``load`` event: its images, scripts and styles are in), with its console errors
    collected in ``page.errors``."""
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.errors = []
    page.on("console", lambda message: message.type == "error" and page.errors.append(message.text))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(url, wait_until="load")
    return page


def _follow(page, link, url: str) -> None:
    """Click ``link`` and wait until ``url`` has loaded."""
    link.click()
    page.wait_for_url(url, wait_until="load")


def _check_images_and_links(page, folder: Path):
    widths = page.eval_on_selector_all("img", "images => images.map(i => i.naturalWidth)")
    assert widths and min(widths) > 0, f"an image did not load: natural widths {widths}"
    links = page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
    local = [h.split("#")[0] for h in links if h and not h.startswith(("http:", "https:", "#", "mailto:"))]
    missing = sorted({h for h in local if h and not (folder / h).exists()})
    assert not missing, f"links to files that are not there: {missing}"


def _no_remote_scripts(page):
    sources = page.eval_on_selector_all("script[src]", "scripts => scripts.map(s => s.getAttribute('src'))")
    assert not [s for s in sources if "//" in s], f"a script from the network: {sources}"


def test_the_landing_page_shows_every_lesson_with_a_thumbnail(browser, site, screenshots):
    base, folder = site
    page = _open(browser, f"{base}/index.html")
    assert "one recurrent network" in page.title()
    assert page.locator(".lesson").count() == 3
    assert page.locator(".lesson img").count() == 3, "each lesson shows a thumbnail of its own figure"
    assert "After this lesson you can" in page.inner_text("body")
    _check_images_and_links(page, folder)
    page.screenshot(path=str(screenshots / "index.png"))  # the top of the page: docs/landing-page.png in the README
    assert not page.errors, page.errors


def test_a_lesson_page_renders_its_math_offline(browser, site, screenshots):
    base, folder = site
    page = _open(browser, f"{base}/02_building_the_simplernn.html")
    page.wait_for_selector(".MathJax_Display", timeout=30_000)
    page.wait_for_function(MATHJAX_DONE, timeout=30_000)
    assert page.locator(".MathJax_Display").count() >= 1 and page.locator(".MathJax").count() >= 3
    text = page.inner_text("main")
    assert "$$" not in text, "a formula was left as raw TeX"
    nav = page.locator("nav.rnn-lessons-nav").first
    assert nav.locator("a", has_text="All lessons").count() == 1 and nav.locator("a", has_text="01").count() == 1
    _check_images_and_links(page, folder)
    _no_remote_scripts(page)
    page.screenshot(path=str(screenshots / "lesson_02.png"), full_page=False)
    assert not page.errors, page.errors


def test_a_folded_check_cell_opens(browser, site):
    # Cells tagged "harness" are folded under their first comment line. A copy of lesson 02's page is made with one
    # more such cell, whose summary line the test chooses.
    import nbformat

    from rnn_build import render

    base, folder = site
    nb = nbformat.read(folder / "02_building_the_simplernn.ipynb", as_version=4)
    harness = [c for c in nb.cells if render.HARNESS_TAG in c.metadata.get("tags", [])]
    cell = next(c for c in nb.cells if c.cell_type == "code" and c.outputs and c not in harness)
    cell.metadata["tags"] = [*cell.metadata.get("tags", []), render.HARNESS_TAG]
    cell.source = "# Check: the counts agree with the formula\n" + cell.source
    render.write_lesson_page(nb, folder / "harness_02.html", [])
    page = _open(browser, f"{base}/harness_02.html")
    assert page.locator("details.rnn-harness").count() == len(harness) + 1, "every harness cell is folded, no other"
    folded = page.locator("details.rnn-harness", has_text="Check: the counts agree with the formula")
    assert folded.count() == 1 and folded.locator("summary").inner_text() == "Check: the counts agree with the formula"
    code = folded.locator(".jp-CodeCell").first
    assert not code.is_visible(), "the check cell starts folded"
    folded.locator("summary").click()
    code.wait_for(state="visible")
    assert "Check: the counts agree" in code.inner_text()
    assert not page.errors, page.errors


def test_the_landing_page_offers_the_chinese_edition(browser, site, screenshots):
    base, folder = site
    page = _open(browser, f"{base}/index.html")
    _follow(page, page.locator("p.editions a.other-edition"), f"{base}/zh-CN/index.html")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert "循环神经网络" in page.title()
    assert page.locator(".lesson").count() == 3 and page.locator(".lesson img").count() == 3
    body = page.inner_text("body")
    assert body.count("学完本课，你将能够") == 3, "each lesson's goals, in Chinese"
    assert "After this lesson" not in body
    assert page.locator(".lesson a.other-edition").count() == 3, "each lesson links to its English page"
    _check_images_and_links(page, folder / "zh-CN")
    page.screenshot(path=str(screenshots / "index_zh-CN.png"))
    _follow(page, page.locator("p.editions a.other-edition"), f"{base}/index.html")
    assert not page.errors, page.errors


def test_a_chinese_lesson_page_renders_its_math_and_links_to_its_english_version(browser, site, screenshots):
    base, folder = site
    page = _open(browser, f"{base}/zh-CN/02_building_the_simplernn.html")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    page.wait_for_selector(".MathJax_Display", timeout=30_000)
    page.wait_for_function(MATHJAX_DONE, timeout=30_000)
    assert page.locator(".MathJax_Display").count() >= 1
    text = page.inner_text("main")
    assert "$$" not in text and "搭建 SimpleRNN" in text and "原教程" in text
    assert "Total params" in text or "390" in text, "the code's printed output stays as it is"
    nav = page.locator("nav.rnn-lessons-nav").first
    assert nav.locator("a", has_text="全部课程").count() == 1 and nav.locator("a", has_text="01").count() == 1
    _check_images_and_links(page, folder / "zh-CN")
    _no_remote_scripts(page)
    page.screenshot(path=str(screenshots / "lesson_02_zh-CN.png"), full_page=False)
    assert not page.errors, page.errors
    _follow(page, nav.locator("a.other-edition"), f"{base}/02_building_the_simplernn.html")
    assert page.locator("html").get_attribute("lang") == "en"
    _follow(page, page.locator("nav.rnn-lessons-nav a.other-edition").first, f"{base}/zh-CN/02_building_the_simplernn.html")


@pytest.fixture(scope="module")
def jupyterlab(tmp_path_factory):
    """JupyterLab on 127.0.0.1 over a copy of lesson 01 and its Chinese edition (Run All saves the notebook, never the stored one).

    The server chooses its own port (port 0) and says which in the server file it writes to a runtime folder of its own.
    """
    root, runtime = tmp_path_factory.mktemp("lab"), tmp_path_factory.mktemp("lab-runtime")
    lesson = lessons.list_lessons(only=["01"])[0]
    shutil.copy(lesson.path, root / lesson.path.name)
    (root / "zh-CN").mkdir()
    shutil.copy(lesson.path.parent / "zh-CN" / lesson.path.name, root / "zh-CN" / lesson.path.name)
    token = "rnn-lessons-test"
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root", "--ServerApp.port=0",
         "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "JUPYTER_NO_CONFIG": "1", "JUPYTER_RUNTIME_DIR": str(runtime)})

    def server_file():
        if server.poll() is not None:
            pytest.fail(f"JupyterLab exited with {server.returncode}")
        found = list(runtime.glob("jpserver-*.json"))  # its own runtime folder: no other server writes there
        return json.loads(found[0].read_text()) if found else None

    def answers(base: str) -> bool:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=1)
            return True
        except OSError:
            return False

    try:
        base = f"http://127.0.0.1:{wait_until(server_file, 60, 'JupyterLab did not write its server file')['port']}"
        wait_until(lambda: answers(base), 60, "JupyterLab did not answer")
        yield f"{base}/lab/tree/{lesson.path.name}?token={token}", root / lesson.path.name
    finally:
        server.terminate()
        server.wait(timeout=30)


def _saved_run(path: Path, before: float):
    """The notebook at ``path`` once JupyterLab has saved it after ``before`` with every code cell run; else None."""
    import nbformat

    if path.stat().st_mtime == before:
        return None
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception:  # caught mid-write
        return None
    return nb if all(c.execution_count for c in nb.cells if c.cell_type == "code") else None


def test_lesson_01_runs_in_jupyterlab_on_the_project_kernel(browser, jupyterlab, screenshots):
    url, saved = jupyterlab
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url)
    page.wait_for_selector(".jp-Notebook", timeout=60_000)
    kernel_name = page.locator(".jp-Toolbar-kernelName").first
    page.wait_for_function("() => { const k = document.querySelector('.jp-Toolbar-kernelName')?.textContent || '';"
                           " return k && !k.includes('No Kernel') && !k.includes('Connecting'); }", timeout=60_000)
    assert kernel_name.inner_text().strip() == kernel.KERNEL_DISPLAY_NAME, "the notebook opened on another kernel"
    assert page.locator(".jp-Dialog").count() == 0, "no pop-up (such as the news question) covers the page"
    indicator = "document.querySelector('.jp-Notebook-ExecutionIndicator')?.dataset.status"
    page.locator(".jp-Notebook").click()
    page.locator("li[role='menuitem']:has-text('Run')").first.click()
    page.locator("li[role='menuitem']:has-text('Run All Cells')").first.click()
    page.wait_for_function(f"() => {indicator} === 'busy'", timeout=30_000)
    page.wait_for_function(f"() => {indicator} === 'idle'", timeout=300_000)
    page.screenshot(path=str(screenshots / "jupyterlab_lesson_01.png"))
    # What the student now has, as JupyterLab saves it (it renders only the cells in view, so read the file).
    before = saved.stat().st_mtime
    page.keyboard.press("Control+s")
    nb = wait_until(lambda: _saved_run(saved, before), 60, "JupyterLab did not save the run notebook")
    code = [c for c in nb.cells if c.cell_type == "code"]
    outputs = [o for c in code for o in c.outputs]
    errors = [f"{o.ename}: {o.evalue}" for o in outputs if o.output_type == "error"]
    assert not errors, f"Run All stopped on an error: {errors}"
    assert not [o for o in outputs if o.output_type == "stream" and o.name == "stderr"], "a pink stderr box"
    figures = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(figures) >= 4, f"the lesson's figures: {len(figures)}"
    assert nb.metadata["kernelspec"]["name"] == kernel.KERNEL_NAME


def test_the_chinese_edition_opens_in_jupyterlab_on_the_project_kernel(browser, jupyterlab, screenshots):
    url, saved = jupyterlab
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url.replace("/lab/tree/", "/lab/workspaces/zh-CN/tree/zh-CN/"))  # a workspace of its own: only this notebook open
    page.wait_for_selector(".jp-Notebook .jp-RenderedMarkdown", timeout=60_000)
    page.wait_for_function("() => { const k = document.querySelector('.jp-Toolbar-kernelName')?.textContent || '';"
                           " return k && !k.includes('No Kernel') && !k.includes('Connecting'); }", timeout=60_000)
    assert page.locator(".jp-Toolbar-kernelName").first.inner_text().strip() == kernel.KERNEL_DISPLAY_NAME
    first = page.locator(".jp-RenderedMarkdown").first.inner_text()
    assert "01 - " in first and "学完本课" in first, first[:200]
    page.screenshot(path=str(screenshots / "jupyterlab_lesson_01_zh-CN.png"))


@pytest.fixture(scope="module")
def jupyterlab_zh(tmp_path_factory):
    """JupyterLab as `make lab-zh` starts it (its own settings folder: the Chinese language pack selected) over the
    Chinese edition of lesson 01, built in memory from the English and its translation, as the build makes it."""
    import nbformat

    from rnn_build import translate

    root, runtime = tmp_path_factory.mktemp("lab-zh"), tmp_path_factory.mktemp("lab-zh-runtime")
    lesson = lessons.list_lessons(only=["01"])[0]
    edition = translate.translated(translate.read_english(lesson.path), lesson.name, strict=False)
    nbformat.write(edition, root / lesson.path.name)
    token = "rnn-lessons-test"
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root", "--ServerApp.port=0",
         "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
         f"--LabApp.app_settings_dir={kernel.lab_settings_dir('zh-CN')}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "JUPYTER_NO_CONFIG": "1", "JUPYTER_RUNTIME_DIR": str(runtime),
             "JUPYTERLAB_SETTINGS_DIR": str(root / ".user-settings")})  # no user's choice of language in the way

    def server_file():
        if server.poll() is not None:
            pytest.fail(f"JupyterLab exited with {server.returncode}")
        found = list(runtime.glob("jpserver-*.json"))
        return json.loads(found[0].read_text()) if found else None

    try:
        base = f"http://127.0.0.1:{wait_until(server_file, 60, 'JupyterLab did not write its server file')['port']}"
        wait_until(lambda: _answers(f"{base}/api/status?token={token}"), 60, "JupyterLab did not answer")
        yield f"{base}/lab/workspaces/zh/tree/{lesson.path.name}?token={token}", root / lesson.path.name
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_make_lab_zh_shows_jupyterlab_and_the_lessons_feedback_in_chinese(browser, jupyterlab_zh, screenshots):
    url, saved = jupyterlab_zh
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url)
    page.wait_for_selector(".jp-Notebook .jp-RenderedMarkdown", timeout=60_000)
    menus = page.locator(".lm-MenuBar-itemLabel")
    page.wait_for_function("() => [...document.querySelectorAll('.lm-MenuBar-itemLabel')].some(m => m.textContent === '内核')",
                           timeout=60_000)
    assert {"文件", "编辑", "运行", "内核", "帮助"} <= set(menus.all_inner_texts()), menus.all_inner_texts()
    page.wait_for_function("() => { const k = document.querySelector('.jp-Toolbar-kernelName')?.textContent || '';"
                           " return k.includes('rnn-lessons'); }", timeout=60_000)
    indicator = "document.querySelector('.jp-Notebook-ExecutionIndicator')?.dataset.status"
    page.locator(".jp-Notebook").click()
    menus.filter(has_text="运行").first.click()
    page.locator("li[role='menuitem']:has-text('运行所有单元格')").first.click()
    page.wait_for_function(f"() => {indicator} === 'busy'", timeout=30_000)
    page.wait_for_function(f"() => {indicator} === 'idle'", timeout=300_000)
    page.screenshot(path=str(screenshots / "jupyterlab_zh_lesson_01.png"))
    before = saved.stat().st_mtime
    page.keyboard.press("Control+s")
    nb = wait_until(lambda: _saved_run(saved, before), 60, "JupyterLab did not save the run notebook")
    printed = [o.get("text", "") for c in nb.cells if "exercises.check(" in c.source for o in c.outputs]
    assert printed and all(text.startswith("练习 01.") and "还没有作答" in text for text in printed), printed
    assert not [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]


def _answers(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=1)
        return True
    except OSError:
        return False
