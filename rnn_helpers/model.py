"""The lessons' models and the parameter-count formulas that explain them.

Imports Keras inside the functions, so ``import rnn_helpers.model`` stays cheap.
"""

from __future__ import annotations

from rnn_helpers.data import INPUT_SIZE, NUM_CLASSES, TIME_STEPS
from rnn_helpers.errors import LessonError, whole_number


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


def build_classifier(layer: str, cell_size: int = 10, time_steps: int = TIME_STEPS, input_size: int = INPUT_SIZE,
                     num_classes: int = NUM_CLASSES, dtype: str = "float32", **rnn_options):
    """A recurrent layer (``"SimpleRNN"``, ``"LSTM"`` or ``"GRU"``) with ``cell_size`` units, then Dense softmax.

    Input shape (batch, time_steps, input_size); output (batch, num_classes)
    class probabilities. The layers are named "rnn" and "classifier".
    ``dtype="float64"`` builds it in double precision (for gradient checks);
    ``rnn_options`` go to the recurrent layer (e.g. ``unroll``).
    """
    import keras

    if layer not in LAYERS:
        raise LessonError(f"layer must be one of {', '.join(LAYERS)}, got {layer!r}")
    whole_number("cell_size", cell_size)
    whole_number("time_steps", time_steps)
    whole_number("input_size", input_size)
    recurrent = getattr(keras.layers, layer)(cell_size, name="rnn", dtype=dtype, **rnn_options)
    return keras.Sequential([
        keras.Input((time_steps, input_size), dtype=dtype),
        recurrent,
        keras.layers.Dense(num_classes, activation="softmax", name="classifier", dtype=dtype),
    ], name=f"{_MODEL_NAMES[layer]}_{cell_size}")


def build_simple_rnn(cell_size: int = 10, time_steps: int = TIME_STEPS, input_size: int = INPUT_SIZE,
                     num_classes: int = NUM_CLASSES, dtype: str = "float32", **rnn_options):
    """The tutorial's model in today's Keras: SimpleRNN(cell_size) then Dense softmax (see ``build_classifier``)."""
    return build_classifier("SimpleRNN", cell_size, time_steps, input_size, num_classes, dtype, **rnn_options)


def total_parameters(layer: str, cell_size: int, input_size: int = INPUT_SIZE, num_classes: int = NUM_CLASSES) -> int:
    """All parameters of ``build_classifier(layer, cell_size)``: the recurrent layer plus the Dense classifier."""
    per_layer = {"SimpleRNN": simple_rnn_parameters, "LSTM": lstm_parameters, "GRU": gru_parameters}
    if layer not in per_layer:
        raise LessonError(f"layer must be one of {', '.join(LAYERS)}, got {layer!r}")
    return per_layer[layer](input_size, cell_size) + dense_parameters(cell_size, num_classes)


def compile_for_mnist(model, learning_rate: float, clipnorm: float | None = None):
    """Adam on categorical cross-entropy with accuracy, as the tutorial compiles it."""
    import keras

    model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate, clipnorm=clipnorm),
                  loss="categorical_crossentropy", metrics=["accuracy"])
    return model
