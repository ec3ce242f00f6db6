"""Load TensorFlow without its start-up banner in the notebook.

The lessons run TensorFlow with oneDNN's kernels on (``TF_ENABLE_ONEDNN_OPTS=1``,
set when ``rnn_helpers`` is imported): on a 2-core x86-64 CPU they train lesson
07 about 1.5 times faster (median 433 s to 282 s), and a seeded run stays
bit-identical from run to run on one machine. As it loads, TensorFlow then writes
two lines per library straight to file descriptor 2, whatever
``TF_CPP_MIN_LOG_LEVEL`` says (they come before its log settings apply): an absl
header and "oneDNN custom operations are on...". A Jupyter kernel forwards them to
the notebook, where JupyterLab shows them in a pink box under the set-up cell.

``load_tensorflow`` imports TensorFlow with file descriptor 2 sent to a temporary
file, then writes every other line back to file descriptor 2, where it would have
gone: also when the import fails, so that its error messages are not lost. Where
file descriptor 2 cannot be redirected, it imports TensorFlow as it is.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from contextlib import contextmanager

BANNER_LINE = re.compile(rb"^(WARNING: All log messages before absl::InitializeLog\(\) is called are written to STDERR"
                         rb"|I\d{4} [\d:.]+\s+\d+ port\.cc:\d+\] oneDNN custom operations are on\. .*)\r?\n?$")


def load_tensorflow() -> None:
    """Import TensorFlow (if it is not loaded yet), keeping its oneDNN start-up banner off standard error."""
    if "tensorflow" in sys.modules:
        return
    try:
        caught = tempfile.TemporaryFile()
    except OSError:  # no writable temporary folder: the banner is harmless
        import tensorflow  # noqa: F401
        return
    with caught:
        try:
            with stderr_to(caught):
                import tensorflow  # noqa: F401
        finally:
            caught.seek(0)
            kept = without_banner(caught.read())
            if kept:
                os.write(2, kept)


def without_banner(written: bytes) -> bytes:
    """What was written to standard error, without the banner's lines."""
    return b"".join(line for line in written.splitlines(keepends=True) if not BANNER_LINE.match(line))


@contextmanager
def stderr_to(file):
    """Within ``with stderr_to(file):``, what the process writes to file descriptor 2 goes to ``file``.

    Does nothing where file descriptor 2 is closed (a process started without one).
    """
    if sys.stderr is not None:
        sys.stderr.flush()
    try:
        saved = os.dup(2)
    except OSError:
        yield file
        return
    try:
        os.dup2(file.fileno(), 2)
        yield file
    finally:
        if sys.stderr is not None:
            sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)
