"""The lessons as a reader sees them, in a real browser: the built site, and lesson 01 run in JupyterLab.

Runs only where Debian's Chromium is installed (`.ci/run` installs it) and drives it with Playwright;
Playwright never downloads a browser of its own here. Screenshots go to build/screenshots/ for a person
to look at.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from rnn_helpers import series

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium (apt-get install chromium)")
SCREENSHOTS = series.BUILD_DIR / "screenshots"
# Chromium flags for a machine without a display, as root, and with no network but loopback.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Lessons 01-03 built by the runner (fast mode), served on 127.0.0.1; yields the base URL and folder.

    Lesson 02 links to 01 and 03, so all three are built for its links to resolve.
    """
    out = tmp_path_factory.mktemp("site")
    results = series.run_series(series.list_lessons(only=["01", "02", "03"]), out, fast=True, progress=False)
    assert all(r.ok for r in results), [r.error for r in results]
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", _free_port()), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", out
    server.shutdown()


def _open(browser, url: str):
    """A page at ``url`` with its console errors collected in ``page.errors``."""
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.errors = []
    page.on("console", lambda message: message.type == "error" and page.errors.append(message.text))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return page


def _check_images_and_links(page, folder: Path):
    widths = page.eval_on_selector_all("img", "images => images.map(i => i.naturalWidth)")
    assert widths and min(widths) > 0, f"an image did not load: natural widths {widths}"
    links = page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
    local = [h.split("#")[0] for h in links if h and not h.startswith(("http:", "https:", "#", "mailto:"))]
    missing = sorted({h for h in local if h and not (folder / h).exists()})
    assert not missing, f"links to files that are not there: {missing}"


def test_the_landing_page_shows_every_lesson_with_a_thumbnail(browser, site):
    base, folder = site
    page = _open(browser, f"{base}/index.html")
    assert "one recurrent network" in page.title()
    assert page.locator(".lesson").count() == 3
    assert page.locator(".lesson img").count() == 3, "each lesson shows a thumbnail of its own figure"
    assert "After this lesson you can" in page.inner_text("body")
    _check_images_and_links(page, folder)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "index.png"))  # the top of the page: docs/landing-page.png in the README
    assert not page.errors, page.errors


def test_a_lesson_page_renders_its_math_offline(browser, site):
    base, folder = site
    page = _open(browser, f"{base}/02_building_the_simplernn.html")
    page.wait_for_selector(".MathJax_Display", timeout=30_000)
    page.wait_for_function("() => window.MathJax && MathJax.Hub && MathJax.Hub.queue.pending === 0", timeout=30_000)
    assert page.locator(".MathJax_Display").count() >= 1 and page.locator(".MathJax").count() >= 3
    text = page.inner_text("#notebook-container" if page.locator("#notebook-container").count() else "body")
    assert "$$" not in text, "a formula was left as raw TeX"
    nav = page.locator("nav.rnn-lessons-nav").first
    assert nav.locator("a", has_text="All lessons").count() == 1 and nav.locator("a", has_text="01").count() == 1
    _check_images_and_links(page, folder)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "lesson_02.png"), full_page=False)
    assert not page.errors, page.errors


def test_the_landing_page_offers_the_chinese_edition(browser, site):
    base, folder = site
    page = _open(browser, f"{base}/index.html")
    page.locator("p.editions a.other-edition").click()
    page.wait_for_load_state("networkidle")
    assert page.url == f"{base}/zh-CN/index.html"
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert "循环神经网络" in page.title()
    assert page.locator(".lesson").count() == 3 and page.locator(".lesson img").count() == 3
    body = page.inner_text("body")
    assert body.count("学完本课，你将能够") == 3, "each lesson's goals, in Chinese"
    assert "After this lesson" not in body
    assert page.locator(".lesson a.other-edition").count() == 3, "each lesson links to its English page"
    _check_images_and_links(page, folder / "zh-CN")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "index_zh-CN.png"))
    page.locator("p.editions a.other-edition").click()
    page.wait_for_load_state("networkidle")
    assert page.url == f"{base}/index.html", "the Chinese landing page links back to the English one"
    assert not page.errors, page.errors


def test_a_chinese_lesson_page_renders_its_math_and_links_to_its_english_version(browser, site):
    base, folder = site
    page = _open(browser, f"{base}/zh-CN/02_building_the_simplernn.html")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    page.wait_for_selector(".MathJax_Display", timeout=30_000)
    page.wait_for_function("() => window.MathJax && MathJax.Hub && MathJax.Hub.queue.pending === 0", timeout=30_000)
    assert page.locator(".MathJax_Display").count() >= 1
    text = page.inner_text("#notebook-container" if page.locator("#notebook-container").count() else "body")
    assert "$$" not in text and "搭建 SimpleRNN" in text and "原教程" in text
    assert "Total params" in text or "390" in text, "the code's printed output stays as it is"
    nav = page.locator("nav.rnn-lessons-nav").first
    assert nav.locator("a", has_text="全部课程").count() == 1 and nav.locator("a", has_text="01").count() == 1
    _check_images_and_links(page, folder / "zh-CN")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "lesson_02_zh-CN.png"), full_page=False)
    assert not page.errors, page.errors
    nav.locator("a.other-edition").click()
    page.wait_for_load_state("networkidle")
    assert page.url == f"{base}/02_building_the_simplernn.html"
    assert page.locator("html").get_attribute("lang") == "en"
    page.locator("nav.rnn-lessons-nav a.other-edition").first.click()
    page.wait_for_load_state("networkidle")
    assert page.url == f"{base}/zh-CN/02_building_the_simplernn.html", "the English page links to its Chinese version"


@pytest.fixture(scope="module")
def jupyterlab(tmp_path_factory):
    """JupyterLab on 127.0.0.1 over a copy of lesson 01 and its Chinese edition (Run All saves the notebook, never the stored one)."""
    root = tmp_path_factory.mktemp("lab")
    lesson = series.list_lessons(only=["01"])[0]
    shutil.copy(lesson.path, root / lesson.path.name)
    (root / "zh-CN").mkdir()
    shutil.copy(lesson.path.parent / "zh-CN" / lesson.path.name, root / "zh-CN" / lesson.path.name)
    port, token = _free_port(), "rnn-lessons-test"
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root", f"--ServerApp.port={port}",
         "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "JUPYTER_NO_CONFIG": "1"})
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=1)
            break
        except OSError:
            time.sleep(0.5)
    else:
        server.kill()
        pytest.fail("JupyterLab did not start within a minute")
    yield f"{base}/lab/tree/{lesson.path.name}?token={token}", root / lesson.path.name
    server.terminate()
    server.wait(timeout=30)


def test_lesson_01_runs_in_jupyterlab_on_the_project_kernel(browser, jupyterlab):
    import nbformat

    url, saved = jupyterlab
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url)
    page.wait_for_selector(".jp-Notebook", timeout=60_000)
    kernel = page.locator(".jp-Toolbar-kernelName").first
    page.wait_for_function("() => { const k = document.querySelector('.jp-Toolbar-kernelName')?.textContent || '';"
                           " return k && !k.includes('No Kernel') && !k.includes('Connecting'); }", timeout=60_000)
    assert kernel.inner_text().strip() == series.KERNEL_DISPLAY_NAME, "the notebook opened on another kernel"
    assert page.locator(".jp-Dialog").count() == 0, "no pop-up (such as the news question) covers the page"
    indicator = "document.querySelector('.jp-Notebook-ExecutionIndicator')?.dataset.status"
    page.locator(".jp-Notebook").click()
    page.locator("li[role='menuitem']:has-text('Run')").first.click()
    page.locator("li[role='menuitem']:has-text('Run All Cells')").first.click()
    page.wait_for_function(f"() => {indicator} === 'busy'", timeout=30_000)
    page.wait_for_function(f"() => {indicator} === 'idle'", timeout=300_000)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "jupyterlab_lesson_01.png"))
    # What the student now has, as JupyterLab saves it (it renders only the cells in view, so read the file).
    before = saved.stat().st_mtime
    page.keyboard.press("Control+s")
    for _ in range(60):
        if saved.stat().st_mtime != before:
            break
        time.sleep(0.5)
    time.sleep(1)
    nb = nbformat.read(saved, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    outputs = [o for c in code for o in c.outputs]
    errors = [f"{o.ename}: {o.evalue}" for o in outputs if o.output_type == "error"]
    assert not errors, f"Run All stopped on an error: {errors}"
    assert all(c.execution_count for c in code), "Run All left cells unexecuted"
    assert not [o for o in outputs if o.output_type == "stream" and o.name == "stderr"], "a pink stderr box"
    figures = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(figures) >= 4, f"the lesson's figures: {len(figures)}"
    assert nb.metadata["kernelspec"]["name"] == series.KERNEL_NAME


def test_the_chinese_edition_opens_in_jupyterlab_on_the_project_kernel(browser, jupyterlab):
    url, saved = jupyterlab
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url.replace("/lab/tree/", "/lab/workspaces/zh-CN/tree/zh-CN/"))  # a workspace of its own: only this notebook open
    page.wait_for_selector(".jp-Notebook .jp-RenderedMarkdown", timeout=60_000)
    page.wait_for_function("() => { const k = document.querySelector('.jp-Toolbar-kernelName')?.textContent || '';"
                           " return k && !k.includes('No Kernel') && !k.includes('Connecting'); }", timeout=60_000)
    assert page.locator(".jp-Toolbar-kernelName").first.inner_text().strip() == series.KERNEL_DISPLAY_NAME
    first = page.locator(".jp-RenderedMarkdown").first.inner_text()
    assert "01 - " in first and "学完本课" in first, first[:200]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "jupyterlab_lesson_01_zh-CN.png"))
