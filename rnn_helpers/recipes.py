"""Training recipes for lesson 07's search: one SimpleRNN classifier, described by a few choices.

A ``Recipe`` names everything a training run depends on besides the data and
the seed. ``dataclasses.replace(recipe, batch_size=256)`` is one change, which
is how lesson 07 searches: from ``LESSON_04`` one change at a time. The
benchmark trains ``FINAL``, the recipe lesson 07 ends with.

Imports Keras inside the functions, so ``import rnn_helpers.recipes`` stays cheap.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from rnn_helpers import model
from rnn_helpers.data import INPUT_SIZE, NUM_CLASSES, TIME_STEPS
from rnn_helpers.errors import LessonError, positive_float, whole_number
from rnn_helpers.i18n import _

SCHEDULES = ("constant", "cosine", "warm-up cosine")
# "warm-up cosine": a linear rise, then the cosine down. (Smith's one-cycle policy has this shape of learning rate but also
# cycles the momentum the other way; this schedule leaves Adam's betas alone, so it is not called one-cycle.)
WARMUP_SHARE = 0.3  # share of the steps spent rising to the peak learning rate
WARMUP_START = 0.1  # the rise starts at this fraction of the peak


@dataclass(frozen=True)
class Recipe:
    """A recurrent classifier and how it is trained.

    ``layer`` is the recurrent layer (SimpleRNN, or LSTM and GRU for lesson 06's comparison); ``layers`` of them, of
    ``cell_size`` units, are stacked (the first reads the rows); ``bidirectional`` wraps each in
    ``keras.layers.Bidirectional``; ``irnn`` uses ReLU with an identity recurrent kernel (Le, Jaitly and Hinton, 2015)
    instead of tanh with an orthogonal one. Adam's ``learning_rate`` is constant, or the peak of a ``schedule``.
    """

    cell_size: int = 128
    layer: str = "SimpleRNN"
    layers: int = 1
    bidirectional: bool = False
    irnn: bool = False
    learning_rate: float = 1e-3
    schedule: str = "constant"
    batch_size: int = 128
    clipnorm: float | None = 1.0

    def __post_init__(self):
        whole_number("cell_size", self.cell_size, maximum=4096)
        if self.layer not in model.LAYERS:
            raise LessonError(_("layer must be one of {layers}, got {layer!r}").format(layers=", ".join(model.LAYERS),
                                                                                      layer=self.layer))
        whole_number("layers", self.layers, maximum=8)
        positive_float("learning_rate", self.learning_rate)
        whole_number("batch_size", self.batch_size, maximum=60000)
        if self.schedule not in SCHEDULES:
            raise LessonError(_("schedule must be one of {schedules}, got {schedule!r}").format(schedules=", ".join(SCHEDULES),
                                                                                               schedule=self.schedule))
        if self.clipnorm is not None:
            positive_float("clipnorm", self.clipnorm)

    def describe(self) -> str:
        """The recipe in a few words: "128 units, Adam 0.001, batch 128, clipnorm 1"."""
        shape = f"{self.layers} x " if self.layers > 1 else ""
        kind = ("bidirectional " if self.bidirectional else "") + ("IRNN " if self.irnn else "")
        kind += "" if self.layer == "SimpleRNN" else f"{self.layer} "
        clipping = f"clipnorm {self.clipnorm:g}" if self.clipnorm else "no clipping"
        rate = {"constant": f"Adam {self.learning_rate:g}", "cosine": f"Adam {self.learning_rate:g} with cosine decay",
                "warm-up cosine": f"Adam warm-up to {self.learning_rate:g}, then cosine decay"}[self.schedule]
        return f"{shape}{kind}{self.cell_size} units, {rate}, batch {self.batch_size}, {clipping}"


LESSON_04 = Recipe()  # lesson 04's best model: 128 units, Adam 1e-3, batch 128, clipnorm 1

# Lesson 07's search: each change alone, from LESSON_04. The schedules peak at twice the constant rate, so that
# all three average about 1e-3 over a run (lesson 07 prints the averages).
CHANGES = {
    "64 units": {"cell_size": 64},
    "256 units": {"cell_size": 256},
    "cosine decay": {"schedule": "cosine", "learning_rate": 2e-3},
    "warm-up cosine": {"schedule": "warm-up cosine", "learning_rate": 2e-3},
    "batch 64": {"batch_size": 64},
    "batch 256": {"batch_size": 256},
    "no clipping": {"clipnorm": None},
    "IRNN": {"irnn": True},
    "2 layers": {"layers": 2},
    "bidirectional": {"bidirectional": True},
}


def with_changes(names, base: Recipe = LESSON_04) -> Recipe:
    """``base`` with the ``CHANGES`` named in ``names`` applied, in order (a later change wins where two set one field)."""
    if isinstance(names, str):
        names = [names]
    unknown = [name for name in names if name not in CHANGES]
    if unknown:
        raise LessonError(_("no change is called {name!r}; the changes are: {changes}").format(  # lesson 07's set-up shows it
            name=unknown[0], changes=", ".join(map(repr, CHANGES))))
    fields = {}
    for name in names:
        fields.update(CHANGES[name])
    return replace(base, **fields)


# What lesson 07's default run picks (its search, then the confirmation on fresh seeds) and how long it trains the pick:
# the benchmark trains this recipe, and tests/test_recipes.py fails if the stored lesson picked anything else.
FINAL_CHANGES = ("cosine decay", "bidirectional")
FINAL = with_changes(FINAL_CHANGES)  # bidirectional, 128 units, cosine decay from 2e-3
FINAL_EPOCHS = 8


def build(recipe: Recipe, return_sequences: bool = False, time_steps: int | None = TIME_STEPS, input_size: int = INPUT_SIZE,
          num_classes: int = NUM_CLASSES):
    """The recipe's model (``model.build_classifier``): its recurrent layer(s), then Dense softmax."""
    return model.build_classifier(recipe.layer, recipe.cell_size, layers=recipe.layers, bidirectional=recipe.bidirectional,
                                  irnn=recipe.irnn, return_sequences=return_sequences, time_steps=time_steps,
                                  input_size=input_size, num_classes=num_classes)


def learning_rate(recipe: Recipe, total_steps: int):
    """Adam's learning rate for a run of ``total_steps`` optimizer steps: a number, or a Keras schedule."""
    import keras

    whole_number("total_steps", total_steps)
    peak = recipe.learning_rate
    if recipe.schedule == "constant":
        return peak
    if recipe.schedule == "cosine":  # from the peak down to 0 along half a cosine
        return keras.optimizers.schedules.CosineDecay(peak, decay_steps=total_steps)
    warmup = max(1, math.floor(WARMUP_SHARE * total_steps))  # a linear rise, then the cosine down
    return keras.optimizers.schedules.CosineDecay(WARMUP_START * peak, decay_steps=max(1, total_steps - warmup),
                                                  warmup_target=peak, warmup_steps=warmup)


def compile_recipe(classifier, recipe: Recipe, total_steps: int, steps_per_execution: int | None = None):
    """Compile ``classifier`` with the recipe's Adam (its schedule over ``total_steps``) and clipping (``model.compile_for_mnist``)."""
    return model.compile_for_mnist(classifier, learning_rate(recipe, total_steps), recipe.clipnorm, steps_per_execution)


def steps_per_epoch(n_images: int, batch_size: int) -> int:
    """Optimizer steps in one pass over ``n_images`` (the last batch may be smaller)."""
    return math.ceil(n_images / batch_size)
