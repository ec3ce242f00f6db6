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
    """Seed Keras, build and compile a fresh model with ``build()``, and train it on (x, y) for ``epochs``; a Run.

    ``build`` returns a compiled model (so the seed fixes its initial weights too). ``validation_data`` is watched
    after every epoch; ``callbacks`` are Keras callbacks (e.g. ``early_stopping``).
    """
    import keras

    whole_number("seed", seed, minimum=0)
    whole_number("epochs", epochs)
    keras.utils.set_random_seed(seed)
    model = build()
    start = time.perf_counter()
    history = model.fit(x, y, batch_size=batch_size, epochs=epochs, validation_data=validation_data,
                        callbacks=list(callbacks), verbose=0)
    return Run(model, history.history, time.perf_counter() - start)


def train(recipe: recipes.Recipe, x, y, *, seed: int, epochs: int, validation_data=None, callbacks: Sequence = (),
          return_sequences: bool = False) -> Run:
    """A fresh model of ``recipe`` trained on (x, y): its batch size, its Adam with the schedule spread over these epochs."""
    total_steps = epochs * recipes.steps_per_epoch(len(x), recipe.batch_size)

    def build():
        return recipes.compile_recipe(recipes.build(recipe, return_sequences=return_sequences), recipe, total_steps)

    return fit(build, x, y, seed=seed, epochs=epochs, batch_size=recipe.batch_size, validation_data=validation_data,
               callbacks=callbacks)


def early_stopping(patience: int):
    """Stop once validation accuracy has not improved for ``patience`` epochs, and keep the best epoch's weights."""
    import keras

    whole_number("patience", patience)
    return keras.callbacks.EarlyStopping(monitor="val_accuracy", patience=patience, restore_best_weights=True)
