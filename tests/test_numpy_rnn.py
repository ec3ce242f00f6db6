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


def keras_float64_model(batch, time_steps, input_size, cell_size, num_classes, seed):
    """A float64 model of the lessons' shape with random weights (non-zero biases), and its inputs."""
    import keras

    keras.utils.set_random_seed(seed)
    built = model.build_simple_rnn(cell_size, time_steps, input_size, num_classes, dtype="float64")
    rng = np.random.default_rng(seed)
    built.set_weights([rng.normal(scale=0.5, size=w.shape) for w in built.get_weights()])
    x = rng.normal(size=(batch, time_steps, input_size))
    y = np.eye(num_classes)[rng.integers(num_classes, size=batch)]
    return built, x, y


@pytest.mark.parametrize("batch, time_steps, input_size, cell_size, num_classes", [
    (8, 28, 28, 10, 10),  # the lessons' model
    (1, 1, 1, 1, 2),      # the smallest: one step, one unit
    (3, 7, 5, 12, 4),     # more units than inputs
    (2, 30, 40, 3, 10),   # more inputs than units, more steps
])
def test_gradients_match_tensorflow(batch, time_steps, input_size, cell_size, num_classes):
    import keras
    import tensorflow as tf

    built, x, y = keras_float64_model(batch, time_steps, input_size, cell_size, num_classes, seed=batch + cell_size)
    with tf.GradientTape() as tape:
        tf_loss = keras.losses.CategoricalCrossentropy(dtype="float64")(y, built(x))
    tf_grads = [g.numpy() for g in tape.gradient(tf_loss, built.trainable_variables)]
    weights = dict(zip(numpy_rnn.WEIGHT_NAMES, built.get_weights()))
    assert numpy_rnn.loss(x, y, weights) == pytest.approx(float(tf_loss), rel=1e-12)
    grads = numpy_rnn.gradients(x, y, weights)
    for name, tf_grad in zip(numpy_rnn.WEIGHT_NAMES, tf_grads):
        assert grads[name].shape == weights[name].shape
        assert numpy_rnn.relative_error(grads[name], tf_grad) < 1e-9, name
    assert grads["dL/dh"].shape == (batch, time_steps, cell_size)
    assert set(grads) == {*numpy_rnn.WEIGHT_NAMES, "dL/dh"}


def random_weights(rng, input_size, cell_size, num_classes):
    shapes = [(input_size, cell_size), (cell_size, cell_size), (cell_size,), (cell_size, num_classes), (num_classes,)]
    return dict(zip(numpy_rnn.WEIGHT_NAMES, (rng.normal(size=s) for s in shapes)))


@pytest.mark.parametrize("every_step", [False, True])
def test_dh_is_the_gradient_with_respect_to_each_hidden_state(every_step):
    # Perturb h_t inside the recursion by hand: dL/dh_t must predict the change of the loss.
    rng = np.random.default_rng(2)
    x, y = rng.normal(size=(2, 5, 3)), np.eye(4)[[1, 3]]
    weights = random_weights(rng, 3, 6, 4)
    dh = numpy_rnn.gradients(x, y, weights, every_step=every_step)["dL/dh"]

    def loss_with_h_nudged(t, unit, epsilon):
        kernel, recurrent_kernel, bias = weights["kernel"], weights["recurrent_kernel"], weights["bias"]
        h, states = np.zeros((2, 6)), []
        for step in range(5):
            h = np.tanh(x[:, step] @ kernel + h @ recurrent_kernel + bias)
            if step == t:
                h = h + epsilon * np.eye(6)[unit]  # both examples' h_t[unit]
            states.append(h)
        classified = np.stack(states, axis=1) if every_step else h
        targets = np.repeat(y[:, None], 5, axis=1) if every_step else y
        return numpy_rnn.cross_entropy(numpy_rnn.softmax(classified @ weights["classifier_kernel"] + weights["classifier_bias"]),
                                       targets)

    for t, unit in [(0, 2), (2, 5), (4, 0)]:
        estimate = (loss_with_h_nudged(t, unit, 1e-6) - loss_with_h_nudged(t, unit, -1e-6)) / 2e-6
        assert estimate == pytest.approx(dh[:, t, unit].sum(), rel=1e-6)


def test_softmax_is_stable_and_cross_entropy_checks_y():
    probabilities = numpy_rnn.softmax(np.array([[1000.0, 1000.0], [0.0, np.log(3.0)]]))
    np.testing.assert_allclose(probabilities, [[0.5, 0.5], [0.25, 0.75]])
    assert numpy_rnn.cross_entropy(probabilities, np.array([[1, 0], [0, 1]])) == pytest.approx(-np.log([0.5, 0.75]).mean())
    with pytest.raises(LessonError, match=r"y must be one-hot .* \(2, 2\), got \(2,\); use rnn_helpers.data.one_hot"):
        numpy_rnn.cross_entropy(probabilities, np.array([0, 1]))


def test_missing_weights_and_bad_states_are_named():
    with pytest.raises(LessonError, match=r"weights is missing \['classifier_kernel', 'classifier_bias'\]"):
        numpy_rnn.loss(np.zeros((1, 2, 3)), np.eye(2)[[0]], {"kernel": 0, "recurrent_kernel": 0, "bias": 0})
    with pytest.raises(LessonError, match=r"h must be forward\(\)'s output \(1, 2, 4\)"):
        numpy_rnn.backward_through_time(np.zeros((1, 2, 3)), np.zeros((1, 3, 4)), np.zeros((1, 4)), np.zeros((4, 4)))
    with pytest.raises(LessonError, match=r"cannot compare shapes \(2,\) and \(3,\)"):
        numpy_rnn.relative_error(np.zeros(2), np.zeros(3))


def test_relative_error():
    assert numpy_rnn.relative_error([1.0, 0.0], [1.0, 0.0]) == 0.0
    assert numpy_rnn.relative_error([1.0], [3.0]) == pytest.approx(0.5)
    assert numpy_rnn.relative_error([1e-12], [0.0]) == pytest.approx(1e-4)  # below the floor, measured against 1e-8
    assert numpy_rnn.relative_error([1.0], [-1.0]) == 1.0  # the largest it can be


def test_relative_error_is_symmetric_and_within_a_factor_two_of_cs231n_notes():
    rng = np.random.default_rng(3)
    a, b = rng.normal(size=50), rng.normal(size=50)
    ours = numpy_rnn.relative_error(a, b)
    assert ours == numpy_rnn.relative_error(b, a)
    with_max = np.max(np.abs(a - b) / np.maximum(np.abs(a), np.abs(b)))  # the CS231n notes' measure
    assert ours <= with_max <= 2 * ours


@pytest.mark.parametrize("layer, cell_size", [("SimpleRNN", 64), ("LSTM", 28), ("GRU", 33), ("GRU", 1)])
def test_build_classifier_and_its_total_parameters(layer, cell_size):
    built = model.build_classifier(layer, cell_size)
    assert type(built.get_layer("rnn")).__name__ == layer
    assert built.output_shape == (None, 10)
    assert built.count_params() == model.total_parameters(layer, cell_size)


def test_build_classifier_rejects_an_unknown_layer():
    with pytest.raises(LessonError, match="layer must be one of SimpleRNN, LSTM, GRU, got 'RNN'"):
        model.build_classifier("RNN", 10)
    with pytest.raises(LessonError, match="got 'lstm'"):
        model.total_parameters("lstm", 10)


# With every_step=True the classifier reads every state, as after SimpleRNN(return_sequences=True), and the
# loss is the mean over the examples and the steps of the cross-entropy against the label repeated at every step.

@pytest.mark.parametrize("batch, time_steps, input_size, cell_size, num_classes", [
    (4, 28, 28, 10, 10),  # the lessons' sizes
    (3, 7, 5, 12, 4),     # more units than inputs
    (2, 1, 3, 4, 3),      # one step
    (5, 9, 40, 3, 10),    # more inputs than units
])
def test_every_step_gradients_match_tensorflow(batch, time_steps, input_size, cell_size, num_classes):
    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(batch + cell_size)
    built = model.build_classifier("SimpleRNN", cell_size, time_steps=time_steps, input_size=input_size,
                                   num_classes=num_classes, dtype="float64", return_sequences=True)
    assert built.output_shape == (None, time_steps, num_classes)  # Dense after a 3-D input classifies every step
    rng = np.random.default_rng(batch + cell_size)
    built.set_weights([rng.normal(scale=0.5, size=w.shape) for w in built.get_weights()])
    x = rng.normal(size=(batch, time_steps, input_size))
    y = np.eye(num_classes)[rng.integers(num_classes, size=batch)]
    y_every_step = np.repeat(y[:, None], time_steps, axis=1)
    with tf.GradientTape() as tape:
        tf_loss = keras.losses.CategoricalCrossentropy(dtype="float64")(y_every_step, built(x))
    tf_grads = [g.numpy() for g in tape.gradient(tf_loss, built.trainable_variables)]
    weights = dict(zip(numpy_rnn.WEIGHT_NAMES, built.get_weights()))
    assert numpy_rnn.loss(x, y, weights, every_step=True) == pytest.approx(float(tf_loss), rel=1e-12)
    grads = numpy_rnn.gradients(x, y, weights, every_step=True)
    for name, tf_grad in zip(numpy_rnn.WEIGHT_NAMES, tf_grads):
        assert grads[name].shape == weights[name].shape
        assert numpy_rnn.relative_error(grads[name], tf_grad) < 1e-9, name
    assert grads["dL/dh"].shape == (batch, time_steps, cell_size)


def test_every_step_gradients_match_finite_differences():
    rng = np.random.default_rng(4)
    x, y = rng.normal(size=(3, 6, 4)), np.eye(5)[[0, 4, 2]]
    weights = random_weights(rng, 4, 7, 5)
    grads = numpy_rnn.gradients(x, y, weights, every_step=True)
    for name in numpy_rnn.WEIGHT_NAMES:
        for index in [(0,) * weights[name].ndim, tuple(n - 1 for n in weights[name].shape)]:
            nudged = {key: w.copy() for key, w in weights.items()}
            nudged[name][index] += 1e-6
            loss_plus = numpy_rnn.loss(x, y, nudged, every_step=True)
            nudged[name][index] -= 2e-6
            loss_minus = numpy_rnn.loss(x, y, nudged, every_step=True)
            estimate = (loss_plus - loss_minus) / 2e-6
            assert numpy_rnn.relative_error(grads[name][index], estimate) < 1e-6, (name, index)


def test_every_step_with_one_step_is_the_last_step_model():
    rng = np.random.default_rng(5)
    x, y = rng.normal(size=(4, 1, 3)), np.eye(3)[[0, 1, 2, 1]]
    weights = random_weights(rng, 3, 5, 3)
    assert numpy_rnn.loss(x, y, weights, every_step=True) == pytest.approx(numpy_rnn.loss(x, y, weights), rel=1e-14)
    every, last = numpy_rnn.gradients(x, y, weights, every_step=True), numpy_rnn.gradients(x, y, weights)
    assert set(every) == set(last)
    for name in last:
        np.testing.assert_allclose(every[name], last[name], rtol=1e-13, atol=1e-16, err_msg=name)


def test_a_last_state_gradient_is_an_every_state_gradient_that_is_zero_before_the_last_step():
    rng = np.random.default_rng(6)
    x, U = rng.normal(size=(2, 4, 3)), rng.normal(size=(5, 5))
    h = numpy_rnn.forward(x, rng.normal(size=(3, 5)), U, rng.normal(size=5))
    dh_last = rng.normal(size=(2, 5))
    every_state = np.zeros_like(h)
    every_state[:, -1] = dh_last
    from_last, from_every = numpy_rnn.backward_through_time(x, h, dh_last, U), numpy_rnn.backward_through_time(x, h, every_state, U)
    for name in ("kernel", "recurrent_kernel", "bias", "dL/dh"):
        np.testing.assert_array_equal(from_last[name], from_every[name], err_msg=name)


def test_backward_step_adds_one_steps_gradients_and_returns_the_earlier_one_as_tensorflow_finds_them():
    # One step h_t = tanh(x_t W + h_prev U + b) and a loss sum(dh * h_t), whose gradient with respect to h_t is dh:
    # TensorFlow differentiates it on its own, and backward_step must add the same to grads and return dL/dh_prev.
    import tensorflow as tf

    rng = np.random.default_rng(7)
    x_t, h_prev, dh = rng.normal(size=(2, 4)), rng.normal(size=(2, 3)), rng.normal(size=(2, 3))
    W, U, b = rng.normal(size=(4, 3)), rng.normal(size=(3, 3)), rng.normal(size=3)
    variables = [tf.Variable(a) for a in (W, U, b, h_prev)]
    with tf.GradientTape() as tape:
        h_t = tf.tanh(x_t @ variables[0] + variables[3] @ variables[1] + variables[2])
        loss = tf.reduce_sum(dh * h_t)
    expected = [g.numpy() for g in tape.gradient(loss, variables)]
    start = {"kernel": np.ones((4, 3)), "recurrent_kernel": np.ones((3, 3)), "bias": np.ones(3)}  # earlier steps' shares
    grads = {name: g.copy() for name, g in start.items()}
    dh_prev = numpy_rnn.backward_step(dh, x_t, h_prev, h_t.numpy(), U, grads)
    for name, want in zip(("kernel", "recurrent_kernel", "bias"), expected):
        np.testing.assert_allclose(grads[name] - start[name], want, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(dh_prev, expected[3], rtol=1e-12, atol=1e-12)


def test_every_step_needs_one_label_per_sequence():
    rng = np.random.default_rng(8)
    x, weights = rng.normal(size=(2, 3, 4)), random_weights(rng, 4, 5, 6)
    y_every_step = np.zeros((2, 3, 6))
    message = r"with every_step=True, y must be one-hot \(batch, num_classes\) = \(2, 6\).* got \(2, 3, 6\); .* pass y\[:, 0\]"
    with pytest.raises(LessonError, match=message):
        numpy_rnn.loss(x, y_every_step, weights, every_step=True)
    with pytest.raises(LessonError, match=message):
        numpy_rnn.gradients(x, y_every_step, weights, every_step=True)
    with pytest.raises(LessonError, match=r"d_output must be the loss's gradient for the last state \(2, 5\) or for every state"):
        numpy_rnn.backward_through_time(x, np.zeros((2, 3, 5)), np.zeros((2, 4, 5)), np.zeros((5, 5)))
