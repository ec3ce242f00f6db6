"""The build wing (rnn_build): running, storing and publishing the lessons, and the command line, on tiny notebooks made here."""

import json
import os
import platform
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from rnn_build import execute, kernel, lessons, notebook_files, pipeline, provenance, render
from rnn_build.cli import main, parse_override
from rnn_helpers.errors import LessonError


def make_notebook(path, *sources, fast=None):
    cells = [new_code_cell(src) for src in sources]
    cells[0].metadata["tags"] = ["parameters"]
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["rnn_lessons"] = {"fast_parameters": fast or {}}
    nbformat.write(nb, path)
    return path


def test_the_project_lessons_are_numbered_and_declare_fast_parameters():
    found = lessons.list_lessons()
    assert [les.number for les in found] == sorted(les.number for les in found)
    assert found[0].name == "01_mnist_rows_as_time_steps"
    for lesson in found:
        assert lessons.fast_parameters(lesson.path), f"{lesson.name} declares no fast parameters"
        assert set(lessons.fast_parameters(lesson.path)) <= set(lessons.parameter_defaults(lesson.path)), lesson.name


def test_only_filters_and_rejects_unknown(tmp_path):
    for name in ["01_a.ipynb", "02_b.ipynb", "notes.ipynb"]:
        make_notebook(tmp_path / name, "x = 1")
    assert [les.name for les in lessons.list_lessons(tmp_path)] == ["01_a", "02_b"]
    assert [les.name for les in lessons.list_lessons(tmp_path, only=["02"])] == ["02_b"]
    with pytest.raises(LessonError, match=r"no lesson matches \['07'\]; the lessons are 01, 02"):
        lessons.list_lessons(tmp_path, only=["07"])


def test_parameter_defaults_are_the_parameters_cells_literals(tmp_path):
    path = make_notebook(tmp_path / "01_a.ipynb", "n_train = 60000  # images\nn_validation = None\nrate = 1e-3\n"
                                                  "changes = ['256 units', 'one-cycle']\nname = 'x'", "y = 1")
    assert lessons.parameter_defaults(path) == {"n_train": 60000, "n_validation": None, "rate": 0.001,
                                                "changes": ["256 units", "one-cycle"], "name": "x"}
    assert list(lessons.parameter_defaults(path)) == ["n_train", "n_validation", "rate", "changes", "name"]
    assert lessons.parameter_names(path) == {"n_train", "n_validation", "rate", "changes", "name"}
    bad = make_notebook(tmp_path / "02_b.ipynb", "import math\nsize = math.floor(2.5)", "y = 1")
    with pytest.raises(LessonError, match=r"02_b.ipynb: the parameter size = math.floor\(2.5\) is not a plain literal"):
        lessons.parameter_defaults(bad)


def test_run_series_records_results_and_writes_the_site(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    make_notebook(src / "01_ok.ipynb", "n = 3",
                  "import rnn_helpers\nrnn_helpers.record(n=n, half=n / 2, ratio=1 / 3)", fast={"n": 5})
    out = tmp_path / "out"
    results = pipeline.run_series(lessons.list_lessons(src), out, fast=True, progress=False)
    assert results[0].ok and results[0].records == {"n": 5, "half": 2.5, "ratio": 0.3333}
    assert (out / "01_ok.html").exists() and "01_ok.html" in (out / "index.html").read_text()
    assert (out / "zh-CN" / "01_ok.ipynb").exists() and (out / "zh-CN" / "01_ok.html").exists()
    assert (out / "zh-CN" / "index.html").exists() and (out / "mathjax" / "MathJax.js").exists()
    summary = json.loads((out / "summary.json").read_text())
    assert summary[0]["records"]["n"] == 5 and "fast mode" in (out / "index.html").read_text()
    assert "01_ok" in pipeline.format_summary(results) and "n=5" in pipeline.format_summary(results)
    # The executed notebook as written: cleaned, and the same as the one handed on in memory.
    assert nbformat.read(out / "01_ok.ipynb", as_version=4) == results[0].notebook
    assert "papermill" not in results[0].notebook.metadata


def test_a_lesson_runs_without_pages_and_is_published_from_memory(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    lesson = lessons.list_lessons(make_notebook(src / "01_ok.ipynb", "n = 3", "print(n)").parent)[0]
    out = tmp_path / "out"
    result = pipeline.run_lesson(lesson, out, {"n": 4})
    assert sorted(p.name for p in out.iterdir()) == ["01_ok.ipynb"], "a test's run writes its notebook and nothing else"
    result.output.unlink()  # publishing never reads the executed notebook back
    pipeline.publish_site([result], out, "fast")
    assert {"01_ok.html", "index.html", "zh-CN", "mathjax", "summary.json"} <= {p.name for p in out.iterdir()}
    with pytest.raises(LessonError, match="can only show lessons executed into it"):
        pipeline.publish_site([result], tmp_path / "elsewhere", "fast")


def test_a_failing_lesson_stops_the_run_and_names_the_cell(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    make_notebook(src / "01_bad.ipynb", "n = 1", "raise ValueError(f'n was {n}')")
    make_notebook(src / "02_never.ipynb", "n = 1")
    results = pipeline.run_series(lessons.list_lessons(src), tmp_path / "out", progress=False)
    assert len(results) == 1 and not results[0].ok
    assert results[0].error == "cell In [2] raised ValueError: n was 1"
    assert "FAILED" in pipeline.failure_report(results) and "01_bad" in pipeline.failure_report(results)
    # The executed notebook keeps the failure, with papermill's banner, and its page is published.
    failed = nbformat.read(results[0].output, as_version=4)
    assert "An Exception was encountered" in failed.cells[0].source
    assert failed.cells[-1].outputs[0]["ename"] == "ValueError"
    assert (tmp_path / "out" / "01_bad.html").exists()


def test_store_outputs_replaces_only_after_a_full_run(tmp_path):
    good = make_notebook(tmp_path / "01_good.ipynb", "n = 2", "print(n * 21)")
    bad = make_notebook(tmp_path / "02_bad.ipynb", "n = 2", "1 / 0")
    bad_before = bad.read_bytes()
    results = pipeline.store_outputs(lessons.list_lessons(tmp_path), out_dir=tmp_path / "build")
    assert [r.ok for r in results] == [True, False]
    assert bad.read_bytes() == bad_before  # the failed lesson is untouched
    assert [p.name for p in (tmp_path / "build").iterdir()] == ["02_bad.ipynb"], "only the failed run is kept aside"
    stored = nbformat.read(good, as_version=4)
    header, parameters, printed = stored.cells
    assert printed.outputs[0]["text"] == "42\n"
    assert printed.execution_count == 2
    assert "papermill" not in stored.metadata and "execution" not in printed.metadata
    assert "tags" not in printed.metadata
    # What made the outputs is in the metadata and in a header line (no title here, so it comes first).
    facts = stored.metadata["rnn_lessons"]["provenance"]
    assert set(facts) == {"python", "tensorflow", "keras", "numpy", "cpu", "cores", "numeric_path", "date"}
    assert header.metadata["tags"] == [provenance.PROVENANCE_TAG]
    assert header.source == provenance.provenance_line(facts) and facts["keras"] in header.source
    assert sorted(p.name for p in tmp_path.iterdir()) == ["01_good.ipynb", "02_bad.ipynb", "build"]


def test_cli_reports_a_failure_with_exit_code(tmp_path, monkeypatch, capsys):
    make_notebook(tmp_path / "01_bad.ipynb", "n = 1", "assert n == 2, 'n must be 2'")
    monkeypatch.setattr(lessons, "NOTEBOOKS_DIR", tmp_path)
    assert main(["--out", str(tmp_path / "out"), "--no-progress"]) == 1
    captured = capsys.readouterr()
    assert "FAILED" in captured.out and "AssertionError: n must be 2" in captured.err


def test_cli_unknown_lesson_is_a_clear_error(capsys):
    assert main(["run", "--only", "99"]) == 2
    assert "no lesson matches ['99']" in capsys.readouterr().err


def test_python_m_rnn_helpers_is_the_command_line():
    done = subprocess.run([sys.executable, "-m", "rnn_helpers", "list"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("01_mnist_rows_as_time_steps  fast: {")


def test_parse_override():
    assert parse_override("cell_size=20") == ("cell_size", 20)
    assert parse_override("learning_rate=1e-3") == ("learning_rate", 0.001)
    with pytest.raises(Exception, match="expected name=value"):
        parse_override("cell_size")
    with pytest.raises(Exception, match="must be a Python literal"):
        parse_override("name=hello world")


def test_record_rounds_and_rejects_unknown_types():
    import numpy as np

    from rnn_helpers.record import _plain

    assert _plain({"a": np.float32(0.123456), "b": [np.int64(3), 1 / 3]}, 3) == {"a": 0.123, "b": [3, 0.333]}
    # A small number keeps its significant digits instead of becoming 0; large ones keep their decimals.
    assert _plain([5.378103e-13, -0.000123456, 1234.56789, 0.0, float("inf")], 3) == [5.38e-13, -0.000123, 1234.568, 0.0, float("inf")]
    with pytest.raises(TypeError, match="cannot record object"):
        _plain(object(), 3)


def test_cpp_log_lines_are_dropped_but_python_warnings_kept():
    log = ("WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\n"
           "I0000 00:00:1795751850.834707    3398 cudart_stub.cc:31] Could not find cuda drivers.\n")
    outputs = [new_output("stream", name="stderr", text=log),
               new_output("stream", name="stderr", text=log + "UserWarning: keep me\n"),
               new_output("stream", name="stdout", text=log)]
    kept = notebook_files.without_cpp_logs(outputs)
    assert [o["text"] for o in kept] == ["UserWarning: keep me\n", log]


def test_overrides_go_only_to_lessons_that_have_the_parameter(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    make_notebook(src / "01_a.ipynb", "n = 1", "import rnn_helpers\nrnn_helpers.record(n=n)")
    make_notebook(src / "02_b.ipynb", "m = 1", "import rnn_helpers\nrnn_helpers.record(has_n='n' in globals())")
    out = tmp_path / "out"
    results = pipeline.run_series(lessons.list_lessons(src), out, overrides={"n": 7}, progress=False, publish=False)
    assert results[0].records == {"n": 7} and results[1].records == {"has_n": False}
    assert sorted(p.name for p in out.iterdir()) == ["01_a.ipynb", "02_b.ipynb", "summary.json"], "nothing published"
    with pytest.raises(LessonError, match=r"no lesson has a parameter \['cell_sise'\]"):
        pipeline.run_series(lessons.list_lessons(src), out, overrides={"cell_sise": 7}, progress=False)


def test_provenance_goes_after_the_title_and_is_replaced_not_repeated():
    nb = new_notebook(cells=[new_markdown_cell("# 01 - Title"), new_code_cell("n = 1")])
    old = dict(provenance.provenance(), date="2020-01-01", cpu="Old CPU")
    provenance.with_provenance(nb, old)
    assert [c.cell_type for c in nb.cells] == ["markdown", "markdown", "code"]
    assert "2020-01-01" in nb.cells[1].source and "Old CPU" in nb.cells[1].source
    new = provenance.provenance()
    provenance.with_provenance(nb, new)
    assert len(nb.cells) == 3 and nb.cells[1].source == provenance.provenance_line(new)
    assert nb.metadata["rnn_lessons"]["provenance"] == new
    assert new["numeric_path"] in ("TF_ENABLE_ONEDNN_OPTS=0", "TF_ENABLE_ONEDNN_OPTS=1")


def test_the_numeric_path_keeps_a_value_already_set(monkeypatch):
    monkeypatch.setenv(kernel.NUMERIC_PATH_VARIABLE, "0")
    kernel.kernel_environment()
    assert provenance.provenance()["numeric_path"] == "TF_ENABLE_ONEDNN_OPTS=0"
    monkeypatch.delenv(kernel.NUMERIC_PATH_VARIABLE)
    kernel.kernel_environment()
    assert provenance.provenance()["numeric_path"] == "TF_ENABLE_ONEDNN_OPTS=1"


def test_onednn_start_up_line_is_dropped_too():
    line = ("I0000 00:00:1795791479.903288    3227 port.cc:153] oneDNN custom operations are on. You may see slightly "
            "different numerical results due to floating-point round-off errors from different computation orders.\n")
    assert notebook_files.without_cpp_logs([new_output("stream", name="stderr", text=line)]) == []


@pytest.mark.skipif(not (sys.platform == "linux" and platform.machine() == "x86_64"),
                    reason="requirements.txt installs the silent tensorflow-cpu on Linux x86-64 (and Windows)")
def test_tensorflow_loads_silently_in_a_lessons_set_up():
    # The full `tensorflow` wheel prints "Could not find cuda drivers" here, which JupyterLab shows as a pink
    # stderr box under every lesson's set-up cell; tensorflow-cpu with the lessons' settings (oneDNN on, whose
    # start-up banner setup keeps out: tests/test_tensorflow_start.py) prints nothing. As a set-up cell does it:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TF_")}
    code = ("import rnn_helpers\nfrom rnn_helpers.lesson import lesson_defaults\n"
            "rnn_helpers.setup('02', dict(lesson_defaults()['02']))\nimport keras, tensorflow")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert (done.stdout, done.stderr) == ("", "")


@pytest.mark.skipif(os.name != "posix", reason="the kernel keeps TCP where ZeroMQ has no Unix-domain sockets")
def test_a_headless_kernel_says_nothing_in_the_runners_terminal(tmp_path, capfd, monkeypatch):
    # ipykernel logs "Kernel is running over TCP without encryption" to the kernel's stderr, which is the runner's
    # terminal: once per lesson in `make lessons`; on the ipc transport there is nothing to warn about. And when the
    # client interrupts the idle kernel to shut it down, ipykernel logs "KeyboardInterrupt caught in kernel.".
    path = make_notebook(tmp_path / "01_a.ipynb", "n = 1", "print(n)")
    run = execute.execute(path, {"n": 2})
    assert run.ok and run.notebook.cells[-1].outputs[0]["text"] == "2\n"
    assert capfd.readouterr().err == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["01_a.ipynb"], "no socket file is left beside the notebook"
    # The same run on TCP, as papermill starts a kernel by default, does print it: the check above can see it.
    monkeypatch.setattr(execute, "client_options", lambda: {})
    assert execute.execute(path).ok
    assert "Kernel is running over TCP without encryption" in capfd.readouterr().err


def test_a_missing_kernel_is_a_clear_error(tmp_path):
    with pytest.raises(LessonError, match="kernel 'no-such-kernel' is not registered; run `make setup`"):
        execute.execute(make_notebook(tmp_path / "01_a.ipynb", "n = 1"), kernel_name="no-such-kernel")


def test_the_project_kernel_is_this_environment():
    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec(kernel.KERNEL_NAME)
    assert spec.display_name == kernel.KERNEL_DISPLAY_NAME
    assert Path(spec.argv[0]).resolve() == Path(sys.executable).resolve()


# The pages, rendered in memory (tests/test_browser.py opens them in a browser).

def page_notebook():
    nb = new_notebook(cells=[
        new_markdown_cell("# 02 - Title\n\nSee [lesson 01](01_a.ipynb), [the English](../02_b.ipynb) and $h_t$."),
        new_code_cell("x = 1", outputs=[new_output("stream", name="stdout", text="1\n")]),
        new_code_cell("\n#\n# Check: the sizes add up\nassert x == 1  # not this one", metadata={"tags": ["harness"]}),
        new_code_cell("assert True", metadata={"tags": ["harness"]}),
    ])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def test_a_lesson_page_is_made_by_the_template():
    page = render.lesson_page(page_notebook(), "02_b", ["01_a", "02_b", "03_c"], "zh-CN", other_edition=True)
    assert page.startswith("<!DOCTYPE html>") and '<html lang="zh-CN">' in page
    assert page.count('<nav class="rnn-lessons-nav">') == 2
    assert '<a href="01_a.html">← 01</a>' in page and '<a href="03_c.html">03 →</a>' in page
    assert '<a href="index.html">全部课程</a>' in page
    assert 'class="other-edition" href="../02_b.html" hreflang="en">English</a>' in page
    assert 'href="01_a.html"' in page and 'href="../02_b.html"' in page and ".ipynb" not in page
    # Offline: the local MathJax, configured for the fonts it has before it loads, and no script from the network.
    assert page.index("MathJax.Hub.Config({\"HTML-CSS\"") < page.index('src="../mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full"')
    assert "://" not in "".join(line for line in page.splitlines() if "<script" in line or "import(" in line)
    assert '<link href="data:," rel="icon"/>' in page


def test_check_cells_are_folded_under_their_first_comment_line():
    nb = page_notebook()
    page = render.lesson_page(nb, "02_b", ["02_b"])
    assert page.count('<details class="rnn-harness">') == 2
    assert "<summary>Check: the sizes add up</summary>" in page
    assert f"<summary>{render.words('en')['harness_summary']}</summary>" in page, "no comment line: the edition's words"
    untagged, first_check = (page.index(f'id="cell-id={cell.id}"') for cell in nb.cells[1:3])
    assert untagged < page.index("<details") < first_check, "an untagged cell is not folded"
    assert "&lt;- 01" not in page and "← " not in page, "no previous page for a lesson alone"


def test_the_landing_page_escapes_what_it_shows(tmp_path):
    shown = render.Page("01", "01_a", "01 - <Title>", "a `code` line", "After this lesson you can add.", False, 12.3,
                        ["loss: 0.5"], error="cell In [2] raised ValueError: <script>")
    index = render.write_landing_page([shown], tmp_path, "fast", "en", "zh-CN")
    page = index.read_text()
    assert "01 - &lt;Title&gt;" in page and "a <code>code</code> line" in page
    assert "FAILED: cell In [2] raised ValueError: &lt;script&gt;" in page and "<script>" not in page
    assert "ran in 12 s here; " in page and "<code>make lessons</code> (fast mode)" in page
    assert '<p class="editions"><a class="other-edition" hreflang="zh-CN" href="zh-CN/index.html">' in page
    assert "<img" not in page, "no thumbnail was saved for this lesson"


def test_every_edition_words_the_same_things():
    english, chinese = render.words("en"), render.words("zh-CN")
    assert set(english) == set(chinese) and set(english["modes"]) == set(chinese["modes"]) == {"full", "fast"}
    assert (english["lang"], chinese["lang"]) == ("en", "zh-CN")
    assert (english["other_lang"], chinese["other_lang"]) == ("zh-CN", "en")
