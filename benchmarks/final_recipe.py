"""Lesson 07's final recipe: time to 98% validation accuracy, against the tutorial's whole 3-epoch fit.

Not a test: the machine is shared and noisy, so this prints figures for a
person to read. Run it with `make benchmark` (after training_speed.py) or

    .venv/bin/python benchmarks/final_recipe.py [--repeats 3] [--target 0.98]

What it measures, in one process, with runs taking turns (tutorial, final,
tutorial, final, ...) so that a slow spell on the machine hits both:

- The tutorial's recipe (10 units, Adam 1e-4, batch 64) trains for its 3
  epochs; its fit time is the training clock over all 3 epochs, with and
  without the first optimizer step (which traces the graph).
- The final recipe (``recipes.FINAL``, what lesson 07's default run picks:
  a bidirectional 128-unit SimpleRNN, Adam 2e-3 with cosine decay over
  ``recipes.FINAL_EPOCHS`` epochs, batch 128, ``clipnorm=1``) trains for
  those epochs; the clock stops while the validation accuracy is
  measured (after each of the first ``--check-every`` steps, then every
  ``--check-every``), and the time to the target counts from the end of the
  first step, so graph tracing is excluded.
- Both train on the first 55,000 training images; the last 5,000 are the
  validation split, as in the lessons. After its epochs, each final model
  is evaluated on the test set once: seeds beyond the lesson's own run.

It prints every run, then the minimum and median over ``--repeats`` runs and
the ratio of the final recipe's time to 98% to the tutorial's fit time. The
target for the ratio is at most 10x. About 2 minutes per repeat on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import rnn_helpers  # noqa: F401  (first: sets TensorFlow's log level and numeric path before Keras loads it)

# isort: split
import keras
from training_speed import N_VALIDATION, RECIPES, Stopwatch, accuracy, whole_number

from rnn_build import provenance
from rnn_helpers import data, recipes
from rnn_helpers import model as reference

TUTORIAL_EPOCHS = 3
RATIO_TARGET = 10.0


class FitClock(keras.callbacks.Callback):
    """The seconds a whole fit takes, and how many of them the first optimizer step (which traces the graph) took."""

    def on_train_begin(self, logs=None):
        self.started = time.perf_counter()
        self.first_step_seconds = None

    def on_train_batch_end(self, batch, logs=None):
        if self.first_step_seconds is None:
            self.first_step_seconds = time.perf_counter() - self.started

    def on_train_end(self, logs=None):
        self.train_seconds = time.perf_counter() - self.started


def train_tutorial(seed: int, split) -> FitClock:
    """The tutorial's recipe for its 3 epochs, timed as a student sees it: no validation checks."""
    x_train, y_train = split[:2]
    tutorial = RECIPES["tutorial"]
    keras.backend.clear_session()
    keras.utils.set_random_seed(seed)
    model = reference.compile_for_mnist(reference.build_simple_rnn(tutorial.cell_size), tutorial.learning_rate, tutorial.clipnorm,
                                        steps_per_execution=1)  # one batch per call: FitClock times the first
    clock = FitClock()
    model.fit(x_train, y_train, batch_size=tutorial.batch_size, epochs=TUTORIAL_EPOCHS, verbose=0, callbacks=[clock])
    return clock


def train_final(seed: int, split, target: float, check_every: int):
    """The final recipe for its epochs; returns (stopwatch, test accuracy)."""
    x_train, y_train, x_val, y_val, x_test, y_test = split
    keras.backend.clear_session()
    keras.utils.set_random_seed(seed)
    model = recipes.build(recipes.FINAL)
    total = recipes.FINAL_EPOCHS * recipes.steps_per_epoch(len(x_train), recipes.FINAL.batch_size)
    recipes.compile_recipe(model, recipes.FINAL, total, steps_per_execution=1)  # the stopwatch counts single batches
    watch = Stopwatch(x_val, y_val, target, check_every)
    model.fit(x_train, y_train, batch_size=recipes.FINAL.batch_size, epochs=recipes.FINAL_EPOCHS, verbose=0, callbacks=[watch])
    return watch, float(model.evaluate(x_test, y_test, batch_size=1000, verbose=0)[1])


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=whole_number(3, 3), default=3, help="runs per recipe, at least 3 (default: %(default)s)")
    parser.add_argument("--target", type=accuracy, default=0.98, help="validation accuracy to reach (default: %(default)s)")
    parser.add_argument("--check-every", type=whole_number(1, 100), default=100,
                        help="validation checks after each of the first N steps, then every N steps (default: %(default)s)")
    parser.add_argument("--first-seed", type=whole_number(0, 3), default=0, help="seed of the first run (default: %(default)s)")
    parser.add_argument("--n-train", type=whole_number(1, 6000), default=None, help="training images (default: all 55,000)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    print(provenance.machine_summary())
    x, y, x_test, y_test = data.load_sequences(verbose=False)
    x_train, y_train, x_val, y_val = data.split_validation(x, y, N_VALIDATION)
    split = (x_train[:args.n_train], y_train[:args.n_train], x_val, y_val, x_test, y_test)
    print(f"tutorial: {RECIPES['tutorial'].describe()}, {TUTORIAL_EPOCHS} epochs")
    print(f"final: {recipes.FINAL.describe()}, {recipes.FINAL_EPOCHS} epochs; target {args.target:g} validation accuracy\n",
          flush=True)

    fits, fits_after_tracing, to_target, tests = [], [], [], []
    started = time.perf_counter()
    for seed in range(args.first_seed, args.first_seed + args.repeats):
        tutorial = train_tutorial(seed, split)
        fits.append(tutorial.train_seconds)
        fits_after_tracing.append(tutorial.train_seconds - tutorial.first_step_seconds)
        final, test = train_final(seed, split, args.target, args.check_every)
        tests.append(test)
        reached = (f"{args.target:g} after {final.seconds_to_target:.1f} s (step {final.steps_to_target})"
                   if final.seconds_to_target is not None else f"{args.target:g} not reached")
        to_target.append(final.seconds_to_target)
        print(f"seed {seed}: tutorial fit {tutorial.train_seconds:.1f} s ({fits_after_tracing[-1]:.1f} s after the first step); "
              f"final recipe {reached}, {final.train_seconds:.1f} s for all {recipes.FINAL_EPOCHS} epochs, "
              f"validation {final.accuracy:.4f}, test {test:.4f}", flush=True)

    def line(label, values, fmt):
        print(f"  {label:52} min {format(min(values), fmt):>8}  median {format(statistics.median(values), fmt):>8}")

    print(f"\nover {args.repeats} runs (seeds {args.first_seed}-{args.first_seed + args.repeats - 1}):")
    line("tutorial, 3-epoch fit, s", fits, ".1f")
    line("tutorial, 3-epoch fit after the first step, s", fits_after_tracing, ".1f")
    line("final recipe, test accuracy", tests, ".4f")
    if None in to_target:
        print(f"  final recipe: {to_target.count(None)} of {args.repeats} runs never reached {args.target:g}; no ratio")
    else:
        line(f"final recipe, s to {args.target:g} after the first step", to_target, ".1f")
        low = min(to_target) / min(fits_after_tracing)
        middle = statistics.median(to_target) / statistics.median(fits_after_tracing)
        print(f"\ntime to {args.target:g} / the tutorial's 3-epoch fit (both after the first step): {low:.2f}x, median "
              f"{middle:.2f}x (target: at most {RATIO_TARGET:g}x)")
    print(f"\nWall time {time.perf_counter() - started:.0f} s; load average {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
