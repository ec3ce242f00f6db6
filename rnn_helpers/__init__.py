"""Shared plumbing for the rnn-lessons notebook series.

Importing this package sets TensorFlow's log level and numeric path (it does not
import TensorFlow; a lesson's ``setup`` does): the two variables must be set
before TensorFlow loads, so a lesson imports ``rnn_helpers`` first.
``setdefault`` keeps any value the user chose.
"""

import os

# C++ logs would reach a notebook saved by JupyterLab or papermill but never
# nbval, so a stored notebook would not match a re-run; level 3 also hides a
# node_def_util.cc error that level 2 still lets through.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
# The numeric path: oneDNN's kernels on. They train lesson 07 about 1.5 times
# faster on a 2-core x86-64 CPU than TensorFlow's own (median 433 s to 282 s;
# rnn_helpers/tensorflow_start.py), and a seeded run is still
# bit-identical from process to process on one machine. Another CPU, or
# TF_ENABLE_ONEDNN_OPTS=0 (`make test-second-path`), changes the last bits of
# trained weights; the lessons' bands cover both paths. TensorFlow announces
# oneDNN on standard error as it loads: `setup` loads it without that banner
# (rnn_helpers.tensorflow_start).
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "1")

from rnn_helpers.lesson import setup  # noqa: E402
from rnn_helpers.record import record  # noqa: E402

__all__ = ["record", "setup"]
