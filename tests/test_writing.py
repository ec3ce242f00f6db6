"""Lesson 08's writer helpers: the teacher-forcing shift, the loss and the two baselines."""

import numpy as np
import pytest

from rnn_helpers import writing
from rnn_helpers.errors import LessonError


def _images(seed=0, n=5):
    return np.random.default_rng(seed).random((n, 28, 28)).astype(np.float32)


def test_teacher_forcing_reads_a_start_row_then_the_true_previous_rows():
    x = _images()
    inputs = writing.teacher_forcing_inputs(x)
    assert inputs.shape == x.shape and inputs.dtype == x.dtype
    assert not inputs[:, 0].any()
    np.testing.assert_array_equal(inputs[:, 1:], x[:, :-1])


def test_images_must_be_three_dimensional():
    with pytest.raises(LessonError, match=r"x must be images as \(samples, rows, row_size\), got shape \(28, 28\)"):
        writing.teacher_forcing_inputs(np.zeros((28, 28)))


def test_binary_cross_entropy_matches_the_formula_and_clips():
    p, y = np.array([0.2, 0.9, 0.0]), np.array([0.0, 1.0, 1.0])
    clipped_zero = -np.log(writing.EPSILON)  # a 0 guessed where the target is 1: the clipped cost, not infinity
    expected = (-np.log(0.8) - np.log(0.9) + clipped_zero) / 3
    assert writing.binary_cross_entropy(p, y) == pytest.approx(expected)
    # grey targets: the loss is smallest when the prediction equals the target
    grey = np.full(4, 0.3)
    assert writing.binary_cross_entropy(grey, grey) < writing.binary_cross_entropy(np.full(4, 0.4), grey)


def test_binary_cross_entropy_per_row_and_shape_check():
    x = _images()
    per_row = writing.binary_cross_entropy(np.full_like(x, 0.5), x, axis=(0, 2))
    assert per_row.shape == (28,) and np.allclose(per_row, np.log(2))
    with pytest.raises(LessonError, match="one shape"):
        writing.binary_cross_entropy(x[:, :-1], x)


def test_the_baselines_predict_the_mean_row_and_the_previous_row():
    x_train, x = _images(1, 50), _images(2, 3)
    mean = writing.mean_row_predictions(x_train, len(x))
    assert mean.shape == x.shape
    np.testing.assert_allclose(mean[2], x_train.mean(axis=0))
    copied = writing.copy_last_row_predictions(x)
    np.testing.assert_array_equal(copied[:, 5], x[:, 4])


def test_binary_cross_entropy_computed_in_place_equals_the_formula_written_out_and_leaves_its_inputs_alone():
    rng = np.random.default_rng(0)
    p = rng.random((50, 28, 28))  # float64, as a caller may pass: the function must not write into it
    p[0, 0, :2] = 0.0, 1.0  # clipped
    y = (rng.random((50, 28, 28)) > 0.7).astype(np.float64)
    p_before, y_before = p.copy(), y.copy()
    clipped = np.clip(p, writing.EPSILON, 1 - writing.EPSILON)
    for axis in (None, (0, 2)):
        written_out = -(y * np.log(clipped) + (1 - y) * np.log(1 - clipped)).mean(axis=axis)
        assert np.array_equal(writing.binary_cross_entropy(p, y, axis=axis), written_out)
    assert np.array_equal(p, p_before) and np.array_equal(y, y_before)
