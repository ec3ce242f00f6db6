"""rnn_helpers.numpy_rnn against Keras's SimpleRNN, and rnn_helpers.model's formulas."""

import numpy as np
import pytest

import rnn_helpers  # noqa: F401  (quiets TensorFlow before Keras loads it)
from rnn_helpers import model, numpy_rnn
from rnn_helpers.errors import LessonError


def keras_layer(cell_size, time_steps, input_size, seed, **options):
    import keras

    keras.utils.set_random_seed(seed)
    layer = keras.layers.SimpleRNN(cell_size, return_sequences=True, **options)
    layer.build((None, time_steps, input_size))
    return layer


@pytest.mark.parametrize("batch, time_steps, input_size, cell_size", [
    (4, 28, 28, 10),   # the lessons' layer
    (1, 1, 1, 1),      # one unit, one step
    (3, 7, 5, 12),     # more units than inputs
    (2, 30, 40, 3),    # more inputs than units, more steps
])
def test_forward_matches_keras(batch, time_steps, input_size, cell_size):
    layer = keras_layer(cell_size, time_steps, input_size, seed=batch + cell_size,
                        bias_initializer="random_normal")  # a non-zero bias is part of the check
    x = np.random.default_rng(0).normal(size=(batch, time_steps, input_size)).astype(np.float32)
    kernel, recurrent_kernel, bias = layer.get_weights()
    assert bias.any()
    h = numpy_rnn.forward(x, kernel, recurrent_kernel, bias)
    assert h.shape == (batch, time_steps, cell_size)
    np.testing.assert_allclose(h, np.asarray(layer(x)), atol=1e-5)


def test_forward_float64_is_exact_tanh_recursion():
    rng = np.random.default_rng(1)
    x, W, U, b = rng.normal(size=(2, 3, 4)), rng.normal(size=(4, 5)), rng.normal(size=(5, 5)), rng.normal(size=5)
    h = numpy_rnn.forward(x, W, U, b)
    h1 = np.tanh(x[:, 0] @ W + b)
    np.testing.assert_allclose(h[:, 0], h1, rtol=1e-12)
    np.testing.assert_allclose(h[:, 1], np.tanh(x[:, 1] @ W + h1 @ U + b), rtol=1e-12)
    assert h.dtype == np.float64


@pytest.mark.parametrize("shapes, message", [
    (((28, 28), (28, 10), (10, 10), (10,)), r"x must have shape \(batch, time_steps, input_size\), got \(28, 28\)"),
    (((2, 28, 28), (10, 28), (10, 10), (10,)), r"kernel must have shape \(input_size, cell_size\) = \(28, cell_size\), got \(10, 28\)"),
    (((2, 28, 28), (28, 10), (10, 12), (10,)), r"recurrent_kernel must have shape .* = \(10, 10\), got \(10, 12\)"),
    (((2, 28, 28), (28, 10), (10, 10), (1, 10)), r"bias must have shape \(cell_size,\) = \(10,\), got \(1, 10\)"),
])
def test_wrong_shapes_are_named(shapes, message):
    with pytest.raises(LessonError, match=message):
        numpy_rnn.forward(*(np.zeros(s) for s in shapes))


@pytest.mark.parametrize("input_size, cell_size", [(28, 10), (28, 20), (28, 30), (1, 1), (40, 3)])
def test_parameter_formulas_match_keras(input_size, cell_size):
    import keras

    shape = (None, 28, input_size)
    layers = {"simple": keras.layers.SimpleRNN(cell_size), "lstm": keras.layers.LSTM(cell_size),
              "gru": keras.layers.GRU(cell_size), "gru_v1": keras.layers.GRU(cell_size, reset_after=False)}
    for layer in layers.values():
        layer.build(shape)
    assert layers["simple"].count_params() == model.simple_rnn_parameters(input_size, cell_size)
    assert layers["lstm"].count_params() == model.lstm_parameters(input_size, cell_size)
    assert layers["gru"].count_params() == model.gru_parameters(input_size, cell_size)
    assert layers["gru_v1"].count_params() == model.gru_parameters(input_size, cell_size, reset_after=False)


def test_the_tutorial_table():
    assert [model.simple_rnn_parameters(28, u) for u in (10, 20, 30)] == [390, 980, 1770]
    built = model.build_simple_rnn(10)
    assert built.count_params() == 390 + model.dense_parameters(10, 10) == 500


def test_build_rejects_a_bad_cell_size():
    with pytest.raises(LessonError, match="cell_size must be a whole number of at least 1, got 0"):
        model.build_simple_rnn(0)
