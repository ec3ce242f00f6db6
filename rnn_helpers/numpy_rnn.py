"""A SimpleRNN in plain NumPy: the reference the lessons check their own code against.

Shapes use the lessons' names: x is (batch, time_steps, input_size), kernel
(input_size, cell_size), recurrent_kernel (cell_size, cell_size), bias
(cell_size,), hidden states h (batch, time_steps, cell_size).
"""

from __future__ import annotations

import numpy as np

from rnn_helpers.errors import LessonError


def check_shapes(x, kernel, recurrent_kernel, bias) -> tuple[int, int, int, int]:
    """Return (batch, time_steps, input_size, cell_size), or raise naming the mismatch."""
    if np.ndim(x) != 3:
        raise LessonError(f"x must have shape (batch, time_steps, input_size), got {np.shape(x)}; "
                          "for one sequence use x[None]")
    batch, time_steps, input_size = np.shape(x)
    if np.ndim(kernel) != 2 or np.shape(kernel)[0] != input_size:
        raise LessonError(f"kernel must have shape (input_size, cell_size) = ({input_size}, cell_size), "
                          f"got {np.shape(kernel)}")
    cell_size = np.shape(kernel)[1]
    if np.shape(recurrent_kernel) != (cell_size, cell_size):
        raise LessonError(f"recurrent_kernel must have shape (cell_size, cell_size) = "
                          f"({cell_size}, {cell_size}), got {np.shape(recurrent_kernel)}")
    if np.shape(bias) != (cell_size,):
        raise LessonError(f"bias must have shape (cell_size,) = ({cell_size},), got {np.shape(bias)}")
    return batch, time_steps, input_size, cell_size


def forward(x, kernel, recurrent_kernel, bias) -> np.ndarray:
    """All hidden states: h_t = tanh(x_t @ kernel + h_{t-1} @ recurrent_kernel + bias), from h_0 = 0.

    Returns h of shape (batch, time_steps, cell_size); h[:, -1] is what
    ``SimpleRNN`` returns without ``return_sequences``.
    """
    batch, time_steps, _, cell_size = check_shapes(x, kernel, recurrent_kernel, bias)
    dtype = np.result_type(x, kernel)
    h = np.zeros((batch, time_steps, cell_size), dtype=dtype)
    h_prev = np.zeros((batch, cell_size), dtype=dtype)
    for t in range(time_steps):
        h_prev = np.tanh(x[:, t] @ kernel + h_prev @ recurrent_kernel + bias)
        h[:, t] = h_prev
    return h


# The whole model of the lessons: SimpleRNN, then Dense softmax, then cross-entropy.
# Its five weights, in the order ``model.get_weights()`` returns them.
WEIGHT_NAMES = ("kernel", "recurrent_kernel", "bias", "classifier_kernel", "classifier_bias")


def softmax(logits: np.ndarray) -> np.ndarray:
    """Class probabilities along the last axis; subtracting the max keeps exp() from overflowing."""
    shifted = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


def _check_one_hot(probabilities, y) -> None:
    if np.shape(probabilities) != np.shape(y):
        raise LessonError(f"y must be one-hot with the shape of the probabilities {np.shape(probabilities)}, "
                          f"got {np.shape(y)}; use rnn_helpers.data.one_hot(labels)")


def cross_entropy(probabilities: np.ndarray, y: np.ndarray) -> float:
    """Mean over the batch of -log(probability of the true class); y is one-hot (batch, num_classes)."""
    _check_one_hot(probabilities, y)
    return float(-np.mean(np.sum(y * np.log(probabilities), axis=-1)))


def _unpack(weights: dict) -> list:
    missing = [name for name in WEIGHT_NAMES if name not in weights]
    if missing:
        raise LessonError(f"weights is missing {missing}; build it with "
                          "dict(zip(numpy_rnn.WEIGHT_NAMES, model.get_weights()))")
    return [weights[name] for name in WEIGHT_NAMES]


def loss(x, y, weights: dict) -> float:
    """The model's loss on (x, y): forward through time, classify h at the last step, cross-entropy."""
    kernel, recurrent_kernel, bias, classifier_kernel, classifier_bias = _unpack(weights)
    h = forward(x, kernel, recurrent_kernel, bias)
    return cross_entropy(softmax(h[:, -1] @ classifier_kernel + classifier_bias), y)


def backward_through_time(x, h, dh_last, recurrent_kernel) -> dict:
    """Backpropagation through time for h_t = tanh(x_t W + h_{t-1} U + b).

    ``h`` is ``forward``'s output and ``dh_last`` (batch, cell_size) the loss's
    gradient with respect to the last hidden state. Returns the gradients of
    the loss with respect to ``kernel`` (input_size, cell_size),
    ``recurrent_kernel`` (cell_size, cell_size), ``bias`` (cell_size,) and
    ``h`` (batch, time_steps, cell_size): dL/dh_t through every later step.
    """
    batch, time_steps, input_size = np.shape(x)
    cell_size = np.shape(h)[-1]
    if np.shape(h) != (batch, time_steps, cell_size) or np.shape(dh_last) != (batch, cell_size):
        raise LessonError(f"h must be forward()'s output {(batch, time_steps, cell_size)} and dh_last "
                          f"{(batch, cell_size)}, got {np.shape(h)} and {np.shape(dh_last)}")
    dtype = np.result_type(x, h)
    grads = {"kernel": np.zeros((input_size, cell_size), dtype),
             "recurrent_kernel": np.zeros((cell_size, cell_size), dtype),
             "bias": np.zeros(cell_size, dtype),
             "h": np.zeros_like(h, dtype=dtype)}
    dh = dh_last
    for t in reversed(range(time_steps)):
        grads["h"][:, t] = dh
        d_pre = dh * (1 - h[:, t] ** 2)  # through tanh: tanh'(a) = 1 - tanh(a)^2
        grads["kernel"] += x[:, t].T @ d_pre
        grads["bias"] += d_pre.sum(axis=0)
        if t > 0:  # the state before the first row, h_0, is the constant 0: nothing flows further back
            grads["recurrent_kernel"] += h[:, t - 1].T @ d_pre
        dh = d_pre @ recurrent_kernel.T
    return grads


def gradients(x, y, weights: dict) -> dict:
    """Gradients of ``loss(x, y, weights)`` for each name in WEIGHT_NAMES, plus ``"h"`` (dL/dh_t)."""
    kernel, recurrent_kernel, bias, classifier_kernel, classifier_bias = _unpack(weights)
    h = forward(x, kernel, recurrent_kernel, bias)
    probabilities = softmax(h[:, -1] @ classifier_kernel + classifier_bias)
    _check_one_hot(probabilities, y)
    d_logits = (probabilities - y) / len(y)  # softmax + cross-entropy, averaged over the batch
    grads = backward_through_time(x, h, d_logits @ classifier_kernel.T, recurrent_kernel)
    grads["classifier_kernel"] = h[:, -1].T @ d_logits
    grads["classifier_bias"] = d_logits.sum(axis=0)
    return grads


def relative_error(a, b, floor: float = 1e-8) -> float:
    """Largest elementwise |a - b| / max(|a| + |b|, floor): the gradient-check measure of CS231n."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise LessonError(f"cannot compare shapes {a.shape} and {b.shape}")
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), floor)))
