"""Load TensorFlow without its start-up banner in the notebook.

The lessons run TensorFlow with oneDNN on (``TF_ENABLE_ONEDNN_OPTS=1``, set when
``rnn_helpers`` is imported): its kernels train lesson 07 about 1.4 times faster
on a 2-core CPU and stay bit-identical from run to run on one machine. When it
loads, TensorFlow then writes two lines per library to the process's standard
error, whatever ``TF_CPP_MIN_LOG_LEVEL`` says (they come before its log settings
apply): an absl header and "oneDNN custom operations are on...". A kernel
forwards them to the notebook, where JupyterLab shows them in a pink box under
the set-up cell. ``load_tensorflow`` imports TensorFlow with file descriptor 2
sent to a temporary file, then writes back every line but those.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from contextlib import contextmanager

START_UP_LINE = re.compile(r"^(WARNING: All log messages before absl::InitializeLog\(\) is called are written to STDERR"
                           r"|I\d{4} [\d:.]+\s+\d+ port\.cc:\d+\] oneDNN custom operations are on\. .*)\n?$")


def load_tensorflow() -> None:
    """Import TensorFlow (if it is not loaded yet), keeping its start-up banner out of standard error."""
    if "tensorflow" in sys.modules:
        return
    with tempfile.TemporaryFile() as caught:
        with stderr_to(caught):
            import tensorflow  # noqa: F401
        caught.seek(0)
        kept = [line for line in caught.read().decode(errors="replace").splitlines(keepends=True)
                if not START_UP_LINE.match(line)]
    if kept:
        sys.stderr.write("".join(kept))


@contextmanager
def stderr_to(file):
    """Within ``with stderr_to(file):``, what the process writes to file descriptor 2 goes to ``file``."""
    sys.stderr.flush()
    saved = os.dup(2)
    os.dup2(file.fileno(), 2)
    try:
        yield file
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)
