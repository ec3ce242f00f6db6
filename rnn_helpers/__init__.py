"""Shared plumbing for the rnn-lessons notebook series.

Importing this package only quiets TensorFlow (it does not import it): the two
variables must be set before TensorFlow loads, so a lesson imports
``rnn_helpers`` first. ``setdefault`` keeps any value the user chose.
"""

import os

# C++ logs would reach a notebook saved by JupyterLab or papermill but never
# nbval, so a stored notebook would not match a re-run; level 3 also hides a
# node_def_util.cc error that level 2 still lets through.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
# oneDNN changes the last bits of float results between machines; without it
# a seeded training run is bit-identical across processes here.
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

from rnn_helpers.lesson import setup  # noqa: E402
from rnn_helpers.record import record  # noqa: E402

__all__ = ["record", "setup"]
