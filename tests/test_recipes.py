"""Lesson 07's recipes: each change is one field, schedules average what the lesson says, models count right."""

import numpy as np
import pytest

from rnn_helpers import recipes
from rnn_helpers.errors import LessonError


def test_each_change_alters_only_what_it_names():
    for name, fields in recipes.CHANGES.items():
        changed = recipes.with_changes(name)
        differing = {f for f in recipes.Recipe.__dataclass_fields__ if getattr(changed, f) != getattr(recipes.LESSON_04, f)}
        assert differing == set(fields), name


def test_the_final_recipe_is_lesson_04s_with_the_two_kept_changes():
    assert recipes.FINAL == recipes.Recipe(bidirectional=True, learning_rate=2e-3, schedule="cosine") == recipes.with_changes(
        recipes.FINAL_CHANGES)
    assert recipes.FINAL.describe() == "bidirectional 128 units, Adam 0.002 with cosine decay, batch 128, clipnorm 1"
    assert recipes.LESSON_04.describe() == "128 units, Adam 0.001, batch 128, clipnorm 1"


def test_an_unknown_change_names_the_known_ones():
    with pytest.raises(LessonError, match=r"no change is called 'bidir'; the changes are: '64 units', "):
        recipes.with_changes(["bidirectional", "bidir"])


@pytest.mark.parametrize("fields, message", [
    ({"cell_size": 0}, "cell_size must be a whole number"),
    ({"schedule": "linear"}, "schedule must be one of constant, cosine, warm-up cosine, got 'linear'"),
    ({"clipnorm": -1.0}, "clipnorm must be a number above 0, got -1.0"),
    ({"learning_rate": 0}, "learning_rate must be a number above 0, got 0"),
])
def test_a_bad_recipe_says_what_is_wrong(fields, message):
    with pytest.raises(LessonError, match=message):
        recipes.Recipe(**fields)


def _rates(recipe, total_steps):
    rate = recipes.learning_rate(recipe, total_steps)
    return np.full(total_steps, rate) if isinstance(rate, float) else np.array([float(rate(s)) for s in range(total_steps)])


def test_the_schedules_average_the_constant_rate():
    steps = 3 * recipes.steps_per_epoch(20000, 128)  # a search run: 471 steps
    assert steps == 471
    for name in ("cosine decay", "warm-up cosine"):
        rates = _rates(recipes.with_changes(name), steps)
        assert rates.mean() == pytest.approx(1e-3, rel=0.05), name
    cosine = _rates(recipes.with_changes("cosine decay"), steps)
    assert cosine[0] == pytest.approx(2e-3) and cosine[-1] < 1e-6 and np.all(np.diff(cosine) <= 0)


def test_warm_up_cosine_rises_to_the_peak_then_falls():
    rates = _rates(recipes.with_changes("warm-up cosine"), 1000)
    top = int(rates.argmax())
    assert rates[0] == pytest.approx(recipes.WARMUP_START * 2e-3)
    assert top == pytest.approx(recipes.WARMUP_SHARE * 1000, abs=1) and rates[top] == pytest.approx(2e-3)
    assert np.all(np.diff(rates[:top + 1]) > 0) and np.all(np.diff(rates[top:]) <= 0)


@pytest.mark.parametrize("name, count", [("bidirectional", 42762), ("2 layers", 54282), ("256 units", 75530), ("64 units", 6602)])
def test_models_have_the_parameters_the_lesson_derives(name, count):
    assert recipes.build(recipes.with_changes(name)).count_params() == count


def test_irnn_is_relu_with_an_identity_recurrent_kernel():
    model = recipes.build(recipes.with_changes("IRNN"))
    layer = model.get_layer("rnn")
    assert layer.get_config()["activation"] == "relu"
    np.testing.assert_array_equal(layer.get_weights()[1], np.eye(128))


def test_steps_per_epoch_counts_the_last_smaller_batch():
    assert recipes.steps_per_epoch(55000, 128) == 430 and recipes.steps_per_epoch(256, 128) == 2


def test_one_builder_for_every_lesson_model():
    # lesson 02's model, lesson 06's gated layers and lesson 07's recipes all come from model.build_classifier
    from rnn_helpers import model

    assert model.build_simple_rnn(10).count_params() == 390 + 110
    assert [layer.name for layer in model.build_simple_rnn(10).layers] == ["rnn", "classifier"]
    lstm = recipes.build(recipes.Recipe(layer="LSTM", cell_size=28))
    assert lstm.count_params() == model.total_parameters("LSTM", 28)
    stacked = recipes.build(recipes.with_changes("2 layers"))
    assert [layer.name for layer in stacked.layers] == ["rnn_1", "rnn_2", "classifier"]
    every_step = model.build_classifier("GRU", 5, return_sequences=True)
    assert every_step.output_shape == (None, 28, 10)
    assert recipes.Recipe(layer="GRU", cell_size=33).describe() == "GRU 33 units, Adam 0.001, batch 128, clipnorm 1"
    with pytest.raises(LessonError, match="layer must be one of SimpleRNN, LSTM, GRU, got 'RNN'"):
        recipes.Recipe(layer="RNN")


@pytest.mark.parametrize("name, parameters", [("logistic regression", 7850), ("MLP", 784 * 256 + 256 + 2570),
                                              ("CNN", (9 * 16 + 16) + (9 * 16 * 32 + 32) + (5 * 5 * 32 * 10 + 10))])
def test_the_baselines_count_what_lessons_04_and_07_say(name, parameters):
    from rnn_helpers import model

    assert model.build_baseline(name).count_params() == parameters


def test_a_run_is_a_function_of_its_seed():
    from rnn_helpers import training

    rng = np.random.default_rng(0)
    x, y = rng.random((64, 28, 28), dtype=np.float32), np.eye(10, dtype=np.float32)[rng.integers(0, 10, 64)]
    recipe = recipes.Recipe(cell_size=4, batch_size=32)
    first, again = (training.train(recipe, x, y, seed=5, epochs=2, validation_data=(x[:16], y[:16])) for _ in range(2))
    other = training.train(recipe, x, y, seed=6, epochs=2)
    assert first.epochs == 2 and set(first.history) >= {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert first.history["loss"] == again.history["loss"], "the same seed trains the same model"
    assert first.history["loss"] != other.history["loss"]
    assert first.best("val_accuracy") >= first.last("val_accuracy") and first.seconds > 0


@pytest.mark.parametrize("changes", [(), ("cosine decay",), ("batch 256", "bidirectional")])
def test_a_reused_model_trains_exactly_the_run_a_fresh_one_does(changes):
    from rnn_helpers import training

    rng = np.random.default_rng(1)
    x, y = rng.random((96, 28, 28), dtype=np.float32), np.eye(10, dtype=np.float32)[rng.integers(0, 10, 96)]
    recipe = recipes.with_changes(changes, base=recipes.Recipe(cell_size=4, batch_size=32))
    first = training.train(recipe, x, y, seed=3, epochs=2, reuse=True)
    for seed in (4, 3):  # a second seed, then the first again: the model must start afresh each time
        fresh = training.train(recipe, x, y, seed=seed, epochs=2)
        reused = training.train(recipe, x, y, seed=seed, epochs=2, reuse=True)
        assert reused.model is first.model, "reuse=True trains the model of the last run of this recipe and length"
        assert reused.history == fresh.history
        for mine, theirs in zip(reused.model.get_weights(), fresh.model.get_weights(), strict=True):
            np.testing.assert_array_equal(mine, theirs)
    other_length = training.train(recipe, x, y, seed=3, epochs=1, reuse=True)
    assert other_length.model is not first.model, "a run of another length has another schedule, so another model"


def test_running_batches_together_trains_the_same_as_one_batch_per_call():
    import keras

    from rnn_helpers import model

    rng = np.random.default_rng(3)
    x, y = rng.random((120, 28, 28), dtype=np.float32), np.eye(10, dtype=np.float32)[rng.integers(0, 10, 120)]
    trained = []
    for steps_per_execution in (model.STEPS_PER_EXECUTION, 1):  # 60 batches an epoch: one call of 32, then one of 28
        keras.utils.set_random_seed(0)
        classifier = model.compile_for_mnist(model.build_simple_rnn(4), 1e-2, 1.0, steps_per_execution)
        history = classifier.fit(x, y, batch_size=2, epochs=2, validation_data=(x[:10], y[:10]), verbose=0).history
        trained.append((history, classifier.get_weights()))
    (grouped, grouped_weights), (single, single_weights) = trained
    # Equal to the last bit on the machines measured; the tolerance leaves room for a CPU on which TensorFlow optimizes
    # the 32-batch graph into another order of float32 operations. A batch skipped or trained twice moves the weights by
    # about the learning rate, 1e-2, a thousand times more.
    assert model.STEPS_PER_EXECUTION > 1 and grouped.keys() == single.keys()
    for metric in single:
        np.testing.assert_allclose(grouped[metric], single[metric], rtol=1e-5, err_msg=metric)
    for a, b in zip(grouped_weights, single_weights, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5)


def test_a_fit_lends_aligned_arrays_to_tensorflow_and_trains_the_same_as_on_a_copy():
    from rnn_helpers import data, training

    rng = np.random.default_rng(2)
    x = data.to_sequences(rng.integers(0, 256, (80, 28, 28), dtype=np.uint8))
    y = np.eye(10, dtype=np.float32)[rng.integers(0, 10, 80)]
    shared = training.shared_tensor(x)
    x[0, 0, 0] = 0.5
    assert float(shared[0, 0, 0]) == 0.5, "the tensor reads the array's own memory"
    unaligned = np.empty(x.size + 1, np.float32)[1:].reshape(x.shape)
    unaligned[...] = x
    every_other_row = x[:, ::2]
    assert training.shared_tensor(unaligned) is unaligned, "an array off the boundary goes to Keras as it is (copied)"
    assert training.shared_tensor(every_other_row) is every_other_row, "so does one that is not contiguous"
    before = x.copy()
    recipe = recipes.Recipe(cell_size=4, batch_size=16)
    lent = training.train(recipe, x, y, seed=0, epochs=2, validation_data=(x[:16], y[:16]))
    copied = training.train(recipe, unaligned, y, seed=0, epochs=2, validation_data=(unaligned[:16], y[:16]))
    assert lent.history == copied.history
    np.testing.assert_array_equal(x, before)  # TensorFlow read the array; it wrote nothing into it
    import tensorflow as tf

    batches = tf.data.Dataset.from_tensor_slices((x[:16], y[:16])).batch(8)  # validation data as Keras also takes it
    in_batches = training.train(recipe, x, y, seed=0, epochs=2, validation_data=batches)
    np.testing.assert_allclose(in_batches.history["val_loss"], lent.history["val_loss"], rtol=1e-5)  # the same model, scored


def test_the_final_recipe_is_what_lesson_07s_default_run_picked_and_trains():
    # recipes.FINAL (what benchmarks/final_recipe.py trains) must not drift from the stored default run of lesson 07: its search
    # and confirmation picked FINAL_CHANGES, and it trained them for FINAL_EPOCHS. A new pick means updating both.
    import nbformat

    from rnn_build import notebook_files
    from rnn_helpers import lesson
    from rnn_helpers.data import PROJECT_ROOT

    defaults = lesson.lesson_defaults()["07"]
    assert defaults["final_changes"] is None, "the default run trains what its search picks"
    assert defaults["final_epochs"] == recipes.FINAL_EPOCHS
    path = next((PROJECT_ROOT / "notebooks").glob("07_*.ipynb"))
    records = notebook_files.read_records(nbformat.read(path, as_version=4))
    assert records["default_run"] is True and records["confirmed"] is True
    assert records["search_pick"] == list(recipes.FINAL_CHANGES)
    assert records["final_recipe"] == recipes.FINAL.describe()
