"""Lesson 08's writer: the rows an RNN reads to predict the next row, and the losses it is measured with.

A writer reads a start row (all zeros) and then rows 1..27, and predicts rows
1..28: its input at step t is row t-1 (teacher forcing: the true previous
row), its target row t. Pixels are in [0, 1]; each of the 28 outputs per step
is a sigmoid probability, scored with the binary cross-entropy per pixel.
"""

from __future__ import annotations

import numpy as np

from rnn_helpers.errors import LessonError
from rnn_helpers.i18n import _

EPSILON = 1e-3  # predictions are clipped to [EPSILON, 1 - EPSILON] before the logarithm, so a 0 or 1 guess costs at most -log(1e-3)


def _images(x, name: str = "x") -> np.ndarray:
    x = np.asarray(x)
    if x.ndim != 3:
        raise LessonError(_("{name} must be images as (samples, rows, row_size), got shape {shape}; pass "
                            "data.load_sequences()'s arrays").format(name=name, shape=x.shape))
    return x


def teacher_forcing_inputs(x) -> np.ndarray:
    """The writer's inputs for images x (samples, rows, row_size): a zero start row, then rows 1..rows-1.

    Step t's input is the true row t-1 and its target is row t, so the targets are x itself.
    """
    x = _images(x)
    start = np.zeros_like(x[:, :1])
    return np.concatenate([start, x[:, :-1]], axis=1)


def binary_cross_entropy(predictions, targets, axis=None) -> np.ndarray | float:
    """Mean over pixels of -[y log p + (1 - y) log(1 - p)], with p clipped to [EPSILON, 1 - EPSILON].

    ``axis=None`` gives one number; ``axis=(0, 2)`` one per row, etc. Targets may be grey values in [0, 1].
    """
    p = np.array(predictions, dtype=np.float64)  # copies, in float64, which the steps below then overwrite
    y = np.array(targets, dtype=np.float64)
    if p.shape != y.shape:
        raise LessonError(_("predictions and targets must have one shape, got {predictions} and {targets}").format(
            predictions=p.shape, targets=y.shape))
    # -(y log p + (1 - y) log(1 - p)), in place: three arrays of the images' size, where the formula written out would
    # hold six at once (190 MB for lesson 08's 5,000 validation images). The same operations, so the same numbers.
    np.clip(p, EPSILON, 1 - EPSILON, out=p)
    loss = np.log(p)
    loss *= y
    np.log(np.subtract(1, p, out=p), out=p)
    p *= np.subtract(1, y, out=y)
    loss += p
    return -loss.mean(axis=axis)


def mean_row_predictions(x_train, n_samples: int) -> np.ndarray:
    """Baseline: for every row position, the training images' mean row, for ``n_samples`` images."""
    mean = _images(x_train, "x_train").mean(axis=0)  # (rows, row_size)
    return np.broadcast_to(mean, (n_samples, *mean.shape))


def copy_last_row_predictions(x) -> np.ndarray:
    """Baseline: row t is predicted to be row t-1 (row 1 to be blank): the teacher-forcing inputs themselves."""
    return teacher_forcing_inputs(x)
