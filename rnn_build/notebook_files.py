"""Where notebooks live and how they are written, cleaned and read back.

The bottom of the build wing: the project's folders, the one atomic writer every notebook the build makes goes
through, the cleaning of an executed notebook (papermill's timestamps, TensorFlow's C++ log lines) and the results a
lesson recorded with ``rnn_helpers.record``.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import nbformat

from rnn_helpers.data import PROJECT_ROOT
from rnn_helpers.record import MIME_TYPE

NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
BUILD_DIR = PROJECT_ROOT / "build"


def write_notebook(nb, target: Path) -> Path:
    """Write ``nb`` to ``target`` through a temporary file and a rename: never half a notebook, no temporary file left.

    Written with "\\n" line ends on every system (git sees no change on Windows); returns ``target``.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, staged = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            nbformat.write(nb, f)
        os.chmod(staged, 0o644)
        os.replace(staged, target)
    except BaseException:
        Path(staged).unlink(missing_ok=True)
        raise
    return target


def read_records(nb) -> dict:
    """Merge every result the notebook recorded with ``rnn_helpers.record``."""
    records = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if MIME_TYPE in output.get("data", {}):
                records.update(output["data"][MIME_TYPE])
    return records


# TensorFlow's C++ start-up lines are written before its log settings apply, straight to file descriptor 2.
# Papermill and JupyterLab capture them, but nbval never sees them (ipykernel stops capturing file descriptors
# under pytest), so a stored notebook that kept them could never pass nbval. With oneDNN on (the default numeric
# path) TensorFlow prints "port.cc:153] oneDNN custom operations are on" as it loads (a lesson's set-up loads it
# without: rnn_helpers.tensorflow_start), and the full `tensorflow` wheel prints "Could not find cuda drivers".
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
    """Drop papermill's timestamps and TensorFlow's C++ log lines from an executed notebook (in place); return it."""
    nb.metadata.pop("papermill", None)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if cell.metadata.get("tags") == []:
            del cell.metadata["tags"]
        if cell.cell_type == "code":
            cell.outputs = without_cpp_logs(cell.outputs)
    return nb
