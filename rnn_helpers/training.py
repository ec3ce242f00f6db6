"""One training run: seed, build, compile, fit, time it. Lesson 04 writes it out; the later lessons call it from here.

A run is a function of its seed: ``keras.utils.set_random_seed`` fixes the
initial weights and the order of the batches, so the same seed trains the same
model on one machine (other CPUs differ in the last digits: see ``findings``).

Imports Keras inside the functions, so ``import rnn_helpers.training`` stays cheap.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rnn_helpers import recipes
from rnn_helpers.data import ALIGNMENT
from rnn_helpers.errors import whole_number


@dataclass
class Run:
    """One trained model, its history (loss and metrics per epoch, ``val_`` ones on the validation data) and its seconds."""

    model: object
    history: dict[str, list[float]]
    seconds: float

    @property
    def epochs(self) -> int:
        """Epochs trained (fewer than asked when early stopping ended the run)."""
        return len(self.history["loss"])

    def last(self, metric: str = "val_accuracy") -> float:
        """``metric`` after the last epoch."""
        return self.history[metric][-1]

    def best(self, metric: str = "val_accuracy") -> float:
        """The best ``metric`` of any epoch (the weights early stopping keeps)."""
        return max(self.history[metric])


def fit(build: Callable[[], object], x, y, *, seed: int, epochs: int, batch_size: int, validation_data=None,
        callbacks: Sequence = ()) -> Run:
    """Seed Keras, build and compile a model with ``build()``, and train it on (x, y) for ``epochs``; a Run.

    ``build`` returns a compiled model (so the seed fixes its initial weights too). ``validation_data`` is watched
    after every epoch; ``callbacks`` are Keras callbacks (e.g. ``early_stopping``).
    """
    import keras

    whole_number("seed", seed, minimum=0)
    whole_number("epochs", epochs)
    keras.utils.set_random_seed(seed)
    model = build()
    if isinstance(validation_data, (tuple, list)):  # (x, y) or (x, y, sample_weight); a Dataset goes to Keras as it is
        validation_data = (shared_tensor(validation_data[0]), *validation_data[1:])
    start = time.perf_counter()
    history = model.fit(shared_tensor(x), y, batch_size=batch_size, epochs=epochs, validation_data=validation_data,
                        callbacks=list(callbacks), verbose=0)
    return Run(model, history.history, time.perf_counter() - start)


def shared_tensor(x):
    """``x`` as a TensorFlow tensor that reads x's own memory, or ``x`` unchanged when TensorFlow cannot.

    Given a NumPy array, Keras's ``fit`` copies it into TensorFlow, and the conversion holds two copies at once: 330 MB
    for lesson 07's 55,000 training images, when the lesson's memory peaks. Through DLPack, TensorFlow reads the array in
    place instead, for a C-contiguous, writeable float32 array (Keras would copy other types to float32 anyway). It
    lends only arrays that start on a ``data.ALIGNMENT``-byte boundary, as ``data.to_sequences`` arranges: TensorFlow's
    own tensors start on one, and its kernels assume it. The batches, their order and so the trained model are the same.
    """
    import numpy as np

    if not (isinstance(x, np.ndarray) and x.dtype == np.float32 and x.flags.c_contiguous
            and x.flags.writeable and x.size and x.ctypes.data % ALIGNMENT == 0):
        return x
    import tensorflow as tf

    return tf.experimental.dlpack.from_dlpack(x.__dlpack__())


def train(recipe: recipes.Recipe, x, y, *, seed: int, epochs: int, validation_data=None, callbacks: Sequence = (),
          return_sequences: bool = False, reuse: bool = False) -> Run:
    """A fresh model of ``recipe`` trained on (x, y): its batch size, its Adam with the schedule spread over these epochs.

    ``reuse=True`` trains the same as a fresh model, but in the model that the last ``reuse=True`` run of this recipe
    and number of optimizer steps compiled (the earlier Run's model is overwritten): for a search that trains each recipe
    on several seeds. The first time a Keras model trains, TensorFlow traces its training step into a graph: about a
    second, and 10-25 MB that the Python process keeps until it ends; a reused model traces once. It gets the initial
    weights and the new optimizer state that a fresh model of this seed has (``fresh_start``), so each run is the one
    ``reuse=False`` trains (tests/test_recipes.py compares them).
    """
    total_steps = epochs * recipes.steps_per_epoch(len(x), recipe.batch_size)

    def build():
        return recipes.compile_recipe(recipes.build(recipe, return_sequences=return_sequences), recipe, total_steps)

    if not reuse:
        return fit(build, x, y, seed=seed, epochs=epochs, batch_size=recipe.batch_size, validation_data=validation_data,
                   callbacks=callbacks)
    key = (recipe, total_steps, return_sequences)

    def build_or_restart():
        fresh = build()
        if key not in _REUSED:
            _REUSED[key] = fresh
            return fresh
        return fresh_start(_REUSED[key], fresh)

    return fit(build_or_restart, x, y, seed=seed, epochs=epochs, batch_size=recipe.batch_size,
               validation_data=validation_data, callbacks=callbacks)


_REUSED = {}  # (recipe, total_steps, return_sequences): the model train(..., reuse=True) trains again


def fresh_start(model, fresh):
    """``model`` set to the start ``fresh`` (a new compiled model of the same shape) would train from; returns ``model``.

    The weights are copied, and the optimizer's state (its step count and Adam's moments) is set to the fresh
    optimizer's, built for the fresh model's weights. (A model with dropout would also need its random state reset; the
    recipes have none.)
    """
    model.set_weights(fresh.get_weights())
    fresh.optimizer.build(fresh.trainable_variables)
    for mine, new in zip(model.optimizer.variables, fresh.optimizer.variables, strict=True):
        mine.assign(new)
    return model


def early_stopping(patience: int):
    """Stop once validation accuracy has not improved for ``patience`` epochs, and keep the best epoch's weights."""
    import keras

    whole_number("patience", patience)
    return keras.callbacks.EarlyStopping(monitor="val_accuracy", patience=patience, restore_best_weights=True)
