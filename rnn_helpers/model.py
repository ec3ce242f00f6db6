"""The lessons' models and the parameter-count formulas that explain them.

Imports Keras inside the functions, so ``import rnn_helpers.model`` stays cheap.
"""

from __future__ import annotations

from rnn_helpers.data import INPUT_SIZE, NUM_CLASSES, TIME_STEPS
from rnn_helpers.errors import LessonError, whole_number
from rnn_helpers.i18n import _


def simple_rnn_parameters(input_size: int, cell_size: int) -> int:
    """kernel (input_size x u) + recurrent_kernel (u x u) + bias (u)."""
    return input_size * cell_size + cell_size * cell_size + cell_size


def lstm_parameters(input_size: int, cell_size: int) -> int:
    """Four SimpleRNN-shaped blocks: input, forget and output gates and the candidate."""
    return 4 * simple_rnn_parameters(input_size, cell_size)


def gru_parameters(input_size: int, cell_size: int, reset_after: bool = True) -> int:
    """Three blocks (update, reset, candidate); ``reset_after`` adds a second bias of 3u."""
    return 3 * simple_rnn_parameters(input_size, cell_size) + (3 * cell_size if reset_after else 0)


def dense_parameters(inputs: int, outputs: int) -> int:
    """A Dense layer's kernel (inputs x outputs) and bias (outputs)."""
    return inputs * outputs + outputs


LAYERS = ("SimpleRNN", "LSTM", "GRU")
_MODEL_NAMES = {"SimpleRNN": "simple_rnn", "LSTM": "lstm", "GRU": "gru"}


def recurrent_layer(layer: str, cell_size: int, return_sequences: bool, name: str, bidirectional: bool, irnn: bool,
                     dtype: str, rnn_options: dict):
    """One recurrent layer, wrapped in Bidirectional when asked; IRNN: ReLU and an identity recurrent kernel."""
    import keras

    options = dict(rnn_options)
    if irnn:
        options |= {"activation": "relu", "recurrent_initializer": keras.initializers.Identity()}
    recurrent = getattr(keras.layers, layer)(cell_size, return_sequences=return_sequences, name=name, dtype=dtype, **options)
    return keras.layers.Bidirectional(recurrent, name=f"bidirectional_{name}", dtype=dtype) if bidirectional else recurrent


def build_classifier(layer: str = "SimpleRNN", cell_size: int = 10, *, layers: int = 1, bidirectional: bool = False,
                     irnn: bool = False, return_sequences: bool = False, time_steps: int | None = TIME_STEPS,
                     input_size: int = INPUT_SIZE, num_classes: int = NUM_CLASSES, dtype: str = "float32", **rnn_options):
    """The lessons' one classifier: ``layers`` recurrent layers (``"SimpleRNN"``, ``"LSTM"`` or ``"GRU"``) of
    ``cell_size`` units, then Dense softmax.

    Input (batch, time_steps, input_size); output (batch, num_classes) class probabilities, or one set per step,
    (batch, time_steps, num_classes), with ``return_sequences=True``. The recurrent layer is named "rnn" (stacked:
    "rnn_1", "rnn_2", ...; wrapped: "bidirectional_rnn"), the classifier "classifier". ``bidirectional`` reads the rows
    both ways; ``irnn`` is Le, Jaitly and Hinton's (2015) ReLU RNN with an identity recurrent kernel; ``dtype="float64"``
    builds it in double precision (for gradient checks); ``rnn_options`` go to every recurrent layer (e.g. ``unroll``).
    """
    import keras

    if layer not in LAYERS:
        raise LessonError(_("layer must be one of {layers}, got {layer!r}").format(layers=", ".join(LAYERS), layer=layer))
    whole_number("cell_size", cell_size)
    whole_number("layers", layers, maximum=8)
    if time_steps is not None:
        whole_number("time_steps", time_steps)
    whole_number("input_size", input_size)
    names = ["rnn"] if layers == 1 else [f"rnn_{i + 1}" for i in range(layers)]
    stack = [recurrent_layer(layer, cell_size, return_sequences or i < layers - 1, name, bidirectional, irnn, dtype, rnn_options)
             for i, name in enumerate(names)]
    return keras.Sequential([
        keras.Input((time_steps, input_size), dtype=dtype),
        *stack,
        keras.layers.Dense(num_classes, activation="softmax", name="classifier", dtype=dtype),
    ], name=f"{_MODEL_NAMES[layer]}_{cell_size}")


def build_simple_rnn(cell_size: int = 10, time_steps: int = TIME_STEPS, input_size: int = INPUT_SIZE,
                     num_classes: int = NUM_CLASSES, dtype: str = "float32", **rnn_options):
    """The tutorial's model in today's Keras: SimpleRNN(cell_size) then Dense softmax (see ``build_classifier``)."""
    return build_classifier("SimpleRNN", cell_size, time_steps=time_steps, input_size=input_size, num_classes=num_classes,
                            dtype=dtype, **rnn_options)


BASELINES = ("logistic regression", "MLP", "CNN")


def build_baseline(name: str, hidden_units: int = 256, time_steps: int = TIME_STEPS, input_size: int = INPUT_SIZE,
                   num_classes: int = NUM_CLASSES):
    """A classifier without recurrence on the same (time_steps, input_size) images, to measure what the recurrence adds.

    ``"logistic regression"``: the flattened pixels into Dense softmax. ``"MLP"``: one hidden ReLU layer of
    ``hidden_units`` between them. ``"CNN"``: two 3x3 convolutions (16 and 32 channels) with 2x2 max pooling, reading
    the image as a picture.
    """
    import keras

    if name not in BASELINES:
        raise LessonError(_("a baseline is one of {baselines}, got {name!r}").format(baselines=", ".join(BASELINES), name=name))
    whole_number("hidden_units", hidden_units)
    layers = {
        "logistic regression": [keras.layers.Flatten()],
        "MLP": [keras.layers.Flatten(), keras.layers.Dense(hidden_units, activation="relu")],
        "CNN": [keras.layers.Reshape((time_steps, input_size, 1)),  # one channel: the image as a picture, not a sequence
                keras.layers.Conv2D(16, 3, activation="relu"), keras.layers.MaxPooling2D(),
                keras.layers.Conv2D(32, 3, activation="relu"), keras.layers.MaxPooling2D(), keras.layers.Flatten()],
    }[name]
    return keras.Sequential([keras.Input((time_steps, input_size)), *layers, keras.layers.Dense(num_classes, activation="softmax")])


def total_parameters(layer: str, cell_size: int, input_size: int = INPUT_SIZE, num_classes: int = NUM_CLASSES) -> int:
    """All parameters of ``build_classifier(layer, cell_size)``: the recurrent layer plus the Dense classifier."""
    per_layer = {"SimpleRNN": simple_rnn_parameters, "LSTM": lstm_parameters, "GRU": gru_parameters}
    if layer not in per_layer:
        raise LessonError(_("layer must be one of {layers}, got {layer!r}").format(layers=", ".join(LAYERS), layer=layer))
    return per_layer[layer](input_size, cell_size) + dense_parameters(cell_size, num_classes)


def compile_for_mnist(model, learning_rate, clipnorm: float | None = None, steps_per_execution: int | None = None):
    """Adam on categorical cross-entropy with accuracy, as the tutorial compiles it.

    ``learning_rate`` is a number or a Keras schedule; ``clipnorm`` clips each weight array's gradient on its own (Keras's
    ``clipnorm``; ``global_clipnorm`` would clip all of them together). Keras runs ``steps_per_execution`` batches
    (default ``STEPS_PER_EXECUTION``) per call into TensorFlow: the same batches and updates as one per call, without
    Python's pause between batches (lesson 07's search trained 12% faster on 2 cores). A callback's
    ``on_train_batch_end`` then runs once per call; the benchmarks that time single batches pass 1.
    """
    import keras

    model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate, clipnorm=clipnorm),
                  loss="categorical_crossentropy", metrics=["accuracy"],
                  steps_per_execution=STEPS_PER_EXECUTION if steps_per_execution is None else steps_per_execution)
    return model


STEPS_PER_EXECUTION = 32  # batches per call into TensorFlow (compile_for_mnist); epoch callbacks still see every epoch
