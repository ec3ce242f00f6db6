"""Seconds per epoch and time to a target test accuracy, tutorial recipe against lesson 04's best.

Not a test: the machine is shared and noisy, so this prints figures for a
person to read. Run it with `make benchmark` or

    .venv/bin/python benchmarks/training_speed.py [--target 0.40] [--check-every 100]

Each recipe trains from the same seed on the full 60,000 images; every
`--check-every` optimizer steps the clock is paused and the test accuracy
measured. Training stops when the target is reached (after at least one full
epoch, so that seconds per epoch are measured) or after `max_epochs`.
"""

from __future__ import annotations

import argparse
import time

import keras

import rnn_helpers  # noqa: F401  (quiets TensorFlow before Keras loads it)
from rnn_helpers import data
from rnn_helpers import model as reference

RECIPES = {
    "tutorial": dict(cell_size=10, learning_rate=1e-4, batch_size=64, clipnorm=None, max_epochs=6),
    "lesson 04 best": dict(cell_size=128, learning_rate=1e-3, batch_size=128, clipnorm=1.0, max_epochs=10),
}


class Stopwatch(keras.callbacks.Callback):
    """Times training only, and checks the test accuracy every `check_every` steps."""

    def __init__(self, x_test, y_test, target: float, check_every: int):
        super().__init__()
        self.x_test, self.y_test = x_test, y_test
        self.target, self.check_every = target, check_every
        self.train_seconds, self.epoch_seconds, self.steps = 0.0, [], 0
        self.time_to_target, self.accuracy = None, 0.0

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch_start_total = self.train_seconds
        self.started = time.perf_counter()

    def on_train_batch_end(self, batch, logs=None):
        self.steps += 1
        if self.steps % self.check_every:
            return
        self.train_seconds += time.perf_counter() - self.started
        self.accuracy = self.model.evaluate(self.x_test, self.y_test, verbose=0, batch_size=1000)[1]
        if self.time_to_target is None and self.accuracy >= self.target:
            self.time_to_target = self.train_seconds
        self.started = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.train_seconds += time.perf_counter() - self.started
        self.epoch_seconds.append(self.train_seconds - self.epoch_start_total)
        self.accuracy = self.model.evaluate(self.x_test, self.y_test, verbose=0, batch_size=1000)[1]
        if self.time_to_target is None and self.accuracy >= self.target:
            self.time_to_target = self.train_seconds
        if self.time_to_target is not None:
            self.model.stop_training = True


def measure(name, recipe, x_train, y_train, x_test, y_test, target, check_every, seed=0) -> dict:
    keras.utils.set_random_seed(seed)
    model = reference.compile_for_mnist(reference.build_simple_rnn(recipe["cell_size"]),
                                        recipe["learning_rate"], recipe["clipnorm"])
    watch = Stopwatch(x_test, y_test, target, check_every)
    model.fit(x_train, y_train, batch_size=recipe["batch_size"], epochs=recipe["max_epochs"],
              verbose=0, callbacks=[watch])
    result = {"name": name, "epochs": len(watch.epoch_seconds),
              "seconds_per_epoch": sum(watch.epoch_seconds) / len(watch.epoch_seconds),
              "time_to_target": watch.time_to_target, "final_accuracy": watch.accuracy}
    reached = f"{result['time_to_target']:.1f} s" if result["time_to_target"] is not None else "not reached"
    print(f"{name:15} {result['seconds_per_epoch']:6.1f} s/epoch over {result['epochs']} epoch(s); "
          f"time to {target:.2f}: {reached}; test accuracy at stop {result['final_accuracy']:.4f}", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", type=float, default=0.40,
                        help="test accuracy to reach (default: %(default)s, what the tutorial's recipe gets)")
    parser.add_argument("--check-every", type=int, default=100, help="optimizer steps between checks")
    args = parser.parse_args()
    x_train, y_train, x_test, y_test = data.load_sequences(verbose=False)
    results = [measure(name, recipe, x_train, y_train, x_test, y_test, args.target, args.check_every)
               for name, recipe in RECIPES.items()]
    tutorial, best = results
    print(f"seconds per epoch, tutorial / best: {tutorial['seconds_per_epoch'] / best['seconds_per_epoch']:.2f}")
    if tutorial["time_to_target"] and best["time_to_target"]:
        print(f"time to {args.target:.2f}, tutorial / best: {tutorial['time_to_target'] / best['time_to_target']:.1f}x")


if __name__ == "__main__":
    main()
