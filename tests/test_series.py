"""rnn_helpers.series and the command line, on tiny notebooks made here."""

import json
import os
import platform
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from rnn_helpers import series
from rnn_helpers.__main__ import main, parse_override
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
    lessons = series.list_lessons()
    assert [les.number for les in lessons] == sorted(les.number for les in lessons)
    assert lessons[0].name == "01_mnist_rows_as_time_steps"
    for lesson in lessons:
        assert series.fast_parameters(lesson.path), f"{lesson.name} declares no fast parameters"


def test_only_filters_and_rejects_unknown(tmp_path):
    for name in ["01_a.ipynb", "02_b.ipynb", "notes.ipynb"]:
        make_notebook(tmp_path / name, "x = 1")
    assert [les.name for les in series.list_lessons(tmp_path)] == ["01_a", "02_b"]
    assert [les.name for les in series.list_lessons(tmp_path, only=["02"])] == ["02_b"]
    with pytest.raises(LessonError, match=r"no lesson matches \['07'\]; the lessons are 01, 02"):
        series.list_lessons(tmp_path, only=["07"])


def test_run_series_records_results_and_writes_the_index(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    make_notebook(src / "01_ok.ipynb", "n = 3",
                  "import rnn_helpers\nrnn_helpers.record(n=n, half=n / 2, ratio=1 / 3)", fast={"n": 5})
    out = tmp_path / "out"
    results = series.run_series(series.list_lessons(src), out, fast=True, progress=False)
    assert results[0].ok and results[0].records == {"n": 5, "half": 2.5, "ratio": 0.3333}
    assert (out / "01_ok.html").exists() and "01_ok.html" in (out / "index.html").read_text()
    summary = json.loads((out / "summary.json").read_text())
    assert summary[0]["records"]["n"] == 5 and "fast mode" in (out / "index.html").read_text()
    assert "01_ok" in series.format_summary(results) and "n=5" in series.format_summary(results)


def test_a_failing_lesson_stops_the_run_and_names_the_cell(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    make_notebook(src / "01_bad.ipynb", "n = 1", "raise ValueError(f'n was {n}')")
    make_notebook(src / "02_never.ipynb", "n = 1")
    results = series.run_series(series.list_lessons(src), tmp_path / "out", progress=False)
    assert len(results) == 1 and not results[0].ok
    assert results[0].error == "cell In [2] raised ValueError: n was 1"
    assert "FAILED" in series.failure_report(results) and "01_bad" in series.failure_report(results)


def test_store_outputs_replaces_only_after_a_full_run(tmp_path):
    good = make_notebook(tmp_path / "01_good.ipynb", "n = 2", "print(n * 21)")
    bad = make_notebook(tmp_path / "02_bad.ipynb", "n = 2", "1 / 0")
    bad_before = bad.read_bytes()
    results = series.store_outputs(series.list_lessons(tmp_path), out_dir=tmp_path / "build")
    assert [r.ok for r in results] == [True, False]
    assert bad.read_bytes() == bad_before  # the failed lesson is untouched
    stored = nbformat.read(good, as_version=4)
    provenance, parameters, printed = stored.cells
    assert printed.outputs[0]["text"] == "42\n"
    assert printed.execution_count == 2
    assert "papermill" not in stored.metadata and "execution" not in printed.metadata
    assert "tags" not in printed.metadata
    # What made the outputs is in the metadata and in a header line (no title here, so it comes first).
    facts = stored.metadata["rnn_lessons"]["provenance"]
    assert set(facts) == {"python", "tensorflow", "keras", "numpy", "cpu", "cores", "numeric_path", "date"}
    assert provenance.metadata["tags"] == [series.PROVENANCE_TAG]
    assert provenance.source == series.provenance_line(facts) and facts["keras"] in provenance.source
    assert sorted(p.name for p in tmp_path.iterdir()) == ["01_good.ipynb", "02_bad.ipynb", "build"]


def test_cli_reports_a_failure_with_exit_code(tmp_path, monkeypatch, capsys):
    make_notebook(tmp_path / "01_bad.ipynb", "n = 1", "assert n == 2, 'n must be 2'")
    monkeypatch.setattr(series, "NOTEBOOKS_DIR", tmp_path)
    monkeypatch.setattr(series.list_lessons, "__defaults__", (tmp_path, None))
    assert main(["--out", str(tmp_path / "out"), "--no-progress"]) == 1
    captured = capsys.readouterr()
    assert "FAILED" in captured.out and "AssertionError: n must be 2" in captured.err


def test_cli_unknown_lesson_is_a_clear_error(capsys):
    assert main(["run", "--only", "99"]) == 2
    assert "no lesson matches ['99']" in capsys.readouterr().err


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
    from nbformat.v4 import new_output

    log = ("WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\n"
           "I0000 00:00:1795751850.834707    3398 cudart_stub.cc:31] Could not find cuda drivers.\n")
    outputs = [new_output("stream", name="stderr", text=log),
               new_output("stream", name="stderr", text=log + "UserWarning: keep me\n"),
               new_output("stream", name="stdout", text=log)]
    kept = series.without_cpp_logs(outputs)
    assert [o["text"] for o in kept] == ["UserWarning: keep me\n", log]


def test_overrides_go_only_to_lessons_that_have_the_parameter(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    make_notebook(src / "01_a.ipynb", "n = 1", "import rnn_helpers\nrnn_helpers.record(n=n)")
    make_notebook(src / "02_b.ipynb", "m = 1", "import rnn_helpers\nrnn_helpers.record(has_n='n' in globals())")
    results = series.run_series(series.list_lessons(src), tmp_path / "out", overrides={"n": 7}, progress=False)
    assert results[0].records == {"n": 7} and results[1].records == {"has_n": False}
    with pytest.raises(LessonError, match=r"no lesson has a parameter \['cell_sise'\]"):
        series.run_series(series.list_lessons(src), tmp_path / "out", overrides={"cell_sise": 7}, progress=False)


def test_provenance_goes_after_the_title_and_is_replaced_not_repeated():
    from nbformat.v4 import new_markdown_cell

    nb = nbformat.v4.new_notebook(cells=[new_markdown_cell("# 01 - Title"), nbformat.v4.new_code_cell("n = 1")])
    old = dict(series.provenance(), date="2020-01-01", cpu="Old CPU")
    series.with_provenance(nb, old)
    assert [c.cell_type for c in nb.cells] == ["markdown", "markdown", "code"]
    assert "2020-01-01" in nb.cells[1].source and "Old CPU" in nb.cells[1].source
    new = series.provenance()
    series.with_provenance(nb, new)
    assert len(nb.cells) == 3 and nb.cells[1].source == series.provenance_line(new)
    assert nb.metadata["rnn_lessons"]["provenance"] == new
    assert new["numeric_path"] in ("TF_ENABLE_ONEDNN_OPTS=0", "TF_ENABLE_ONEDNN_OPTS=1")


def test_the_numeric_path_keeps_a_value_already_set(monkeypatch):
    monkeypatch.setenv(series.NUMERIC_PATH_VARIABLE, "1")
    series.kernel_environment()
    assert series.provenance()["numeric_path"] == "TF_ENABLE_ONEDNN_OPTS=1"
    monkeypatch.delenv(series.NUMERIC_PATH_VARIABLE)
    series.kernel_environment()
    assert series.provenance()["numeric_path"] == "TF_ENABLE_ONEDNN_OPTS=0"


def test_onednn_start_up_line_is_dropped_too():
    from nbformat.v4 import new_output

    line = ("I0000 00:00:1795791479.903288    3227 port.cc:153] oneDNN custom operations are on. You may see slightly "
            "different numerical results due to floating-point round-off errors from different computation orders.\n")
    assert series.without_cpp_logs([new_output("stream", name="stderr", text=line)]) == []


@pytest.mark.skipif(not (sys.platform == "linux" and platform.machine() == "x86_64"),
                    reason="requirements.txt installs the silent tensorflow-cpu on Linux x86-64 (and Windows)")
def test_tensorflow_imports_silently_after_rnn_helpers():
    # The full `tensorflow` wheel prints "Could not find cuda drivers" here, which JupyterLab shows as a pink
    # stderr box under every lesson's set-up cell; tensorflow-cpu with the lessons' settings prints nothing.
    env = {k: v for k, v in os.environ.items() if not k.startswith("TF_")}
    done = subprocess.run([sys.executable, "-c", "import rnn_helpers, tensorflow"], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert (done.stdout, done.stderr) == ("", "")


def test_a_missing_kernel_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setattr(series, "KERNEL_NAME", "no-such-kernel")
    with pytest.raises(LessonError, match="kernel 'no-such-kernel' is not registered; run `make setup`"):
        series.execute(make_notebook(tmp_path / "01_a.ipynb", "n = 1"), tmp_path / "out.ipynb")


def test_the_project_kernel_is_this_environment():
    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec(series.KERNEL_NAME)
    assert spec.display_name == series.KERNEL_DISPLAY_NAME
    assert Path(spec.argv[0]).resolve() == Path(sys.executable).resolve()
