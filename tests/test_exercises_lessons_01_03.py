"""Lessons 01-03's newer exercises: the experiments (02.7, 03.6) accept any honest run and name the usual mistakes; the
bottom-up reader (03.5) is checked against its own reference and against Keras's go_backwards."""

import numpy as np
import pytest

from rnn_helpers import exercises


def verdict(capsys, exercise_id, answer):
    exercises.check(exercise_id, answer)
    return exercises.is_correct(exercise_id, answer), capsys.readouterr().out


# 02.7: row 1's effect on h_28 with U x 0.5, x 1 and x 2, as the experiment cell prints them.

@pytest.mark.parametrize("effects", [
    (8.27e-09, 0.285, 0.988),  # the stored run
    (0.0, 0.12, 0.4),  # another honest run: halving can underflow to 0 in float32, doubling stays far from 0
    (3e-7, 0.02, 0.016),  # 4096 units: |h| spread over many units, each entry small
    [1e-9, 0.5, 0.9], np.array([1e-9, 0.5, 0.9]),
])
def test_02_7_accepts_what_any_honest_run_prints(capsys, effects):
    ok, out = verdict(capsys, "02.7", effects)
    assert ok and "(1/2)^27" in out, out


@pytest.mark.parametrize("effects, fragment", [
    ((0.988, 0.285, 8.27e-09), "order is reversed"),
    ((8.27e-09, 0.0, 0.988), "still had U set to zero"),
    ((0.14, 0.285, 0.988), "too large for U x 0.5"),
    ((8.27e-09, 0.285, 1e-5), "too small for U x 2"),
    ((8.27e-09, 1e-8, 0.988), "middle number is too small"),
    ((0.285, 0.285, 0.285), "did not reach the layer"),
    ((8.27e-09, -0.285, 0.988), "never negative"),
    ((8.27e-09, float("nan"), 0.988), "not a finite number"),
    ((0.285, 0.988), "as a tuple"),
    ("8e-9, 0.28, 0.99", "as a tuple"),
])
def test_02_7_names_the_mistake(capsys, effects, fragment):
    ok, out = verdict(capsys, "02.7", effects)
    assert not ok and fragment in out, out


# 03.5: the last state of a bottom-up reader (Keras's go_backwards=True).

def _step(x_t, h, W, U, b):
    return np.tanh(x_t @ W + h @ U + b)


def _reader(step=_step, rows=lambda x: x[:, ::-1], carry=True, every=False):
    """A reader built from switches: which rows in which order, whether the state is carried, whether every state is kept."""
    def read(x, W, U, b):
        h, states = np.zeros((x.shape[0], W.shape[1])), []
        for x_t in np.swapaxes(rows(x), 0, 1):
            new = step(x_t, h, W, U, b)
            states.append(new)
            h = new if carry else h
        return np.stack(states, axis=1) if every else states[-1]
    return read


def test_03_5_accepts_a_bottom_up_reader(capsys):
    for right in (_reader(), _reader(rows=lambda x: np.flip(x, axis=1))):
        ok, out = verdict(capsys, "03.5", right)
        assert ok and "go_backwards=True" in out, out


def test_03_5_the_checkers_reader_is_keras_go_backwards():
    keras = pytest.importorskip("keras")
    x = np.random.default_rng(0).normal(size=(3, 5, 4)).astype("float32")
    layer = keras.layers.SimpleRNN(3, go_backwards=True)
    layer.build((None, 5, 4))
    np.testing.assert_allclose(_reader()(x, *layer.get_weights()), keras.ops.convert_to_numpy(layer(x)), atol=1e-5)


@pytest.mark.parametrize("answer, fragment", [
    (_reader(rows=lambda x: x), "top-down reader's last state"),
    (_reader(rows=lambda x: x[:, :, ::-1]), "reversed the values within each row"),
    (_reader(rows=lambda x: x[:, ::-1, ::-1]), "also reversed the values within each row"),
    (_reader(every=True), "That is every state"),
    (lambda x, W, U, b: _step(x[:, -1], np.zeros((len(x), W.shape[1])), W, U, b), "one step, on row T alone"),
    (_reader(carry=False), "state is not carried"),
    (_reader(step=lambda x_t, h, W, U, b: np.tanh(x_t @ W + h @ U.T + b)), "In the step: U is transposed"),
    (_reader(step=lambda x_t, h, W, U, b: x_t @ W + h @ U + b), "In the step: tanh is missing"),
    (_reader(step=lambda x_t, h, W, U, b: np.tanh(x_t @ W + h @ U)), "In the step: The bias b is missing"),
    (lambda x, W, U, b: None, "returns nothing"),
    ("backward_last_state", "Give the function itself"),
])
def test_03_5_names_the_mistake(capsys, answer, fragment):
    ok, out = verdict(capsys, "03.5", answer)
    assert not ok and fragment in out, out


# 03.6: Adam's first step with the gradient x 1000 and x 0.001.

@pytest.mark.parametrize("sizes", [(0.001, 0.000998), (0.001, 0.001), (0.000999987, 0.00099842), [1e-3, 9.98e-4]])
def test_03_6_accepts_what_the_cell_prints_and_its_rounding(capsys, sizes):
    ok, out = verdict(capsys, "03.6", sizes)
    assert ok and "about the learning rate" in out, out


def test_03_6_the_checkers_steps_are_keras_adam():
    keras = pytest.importorskip("keras")
    tf = pytest.importorskip("tensorflow")
    from rnn_helpers.exercises import lesson03

    for scale in (1000, 0.001):
        w = keras.Variable(np.array([0.5], dtype="float32"))
        keras.optimizers.Adam(learning_rate=1e-3).apply_gradients([(tf.constant([2.0 * scale]), w)])
        assert abs(0.5 - w.numpy()[0]) == pytest.approx(lesson03._keras_adam_first_step(2.0 * scale), rel=1e-4)


@pytest.mark.parametrize("sizes, fragment", [
    ((2.0, 2e-6), "plain gradient descent"),
    ((0.499, 0.499002), "the weight's new values"),
    ((1.0, 0.998), "in thousandths"),
    ((0.01, 0.001), "is not what the cell prints"),
    ((-0.001, -0.000998), "positive numbers"),
    ((0.001,), "as a tuple"),
])
def test_03_6_names_the_mistake(capsys, sizes, fragment):
    ok, out = verdict(capsys, "03.6", sizes)
    assert not ok and fragment in out, out


def test_the_02_count_slips_are_still_named(capsys):
    # The review asked that the x28 and missing-kernel answers be named; they are, for every count exercise of lesson 02.
    assert "not per time step" in verdict(capsys, "02.1", 5952 * 28)[1]
    assert "left out the kernel W" in verdict(capsys, "02.1", 64 * 64 + 64)[1]
