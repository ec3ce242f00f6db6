"""A SimpleRNN in plain NumPy: the reference the lessons check their own code against.

Shapes use the lessons' names: x is (batch, time_steps, input_size), kernel
(input_size, cell_size), recurrent_kernel (cell_size, cell_size), bias
(cell_size,), hidden states h (batch, time_steps, cell_size).
"""

from __future__ import annotations

import numpy as np

from rnn_helpers.errors import LessonError
from rnn_helpers.i18n import _


def check_shapes(x, kernel, recurrent_kernel, bias) -> tuple[int, int, int, int]:
    """Return (batch, time_steps, input_size, cell_size), or raise naming the mismatch."""
    if np.ndim(x) != 3:
        raise LessonError(_("x must have shape (batch, time_steps, input_size), got {shape}; for one sequence use "
                            "x[None]").format(shape=np.shape(x)))
    batch, time_steps, input_size = np.shape(x)
    if np.ndim(kernel) != 2 or np.shape(kernel)[0] != input_size:
        raise LessonError(_("kernel must have shape (input_size, cell_size) = ({input_size}, cell_size), got {shape}").format(
            input_size=input_size, shape=np.shape(kernel)))
    cell_size = np.shape(kernel)[1]
    if np.shape(recurrent_kernel) != (cell_size, cell_size):
        raise LessonError(_("recurrent_kernel must have shape (cell_size, cell_size) = ({cell_size}, {cell_size}), got "
                            "{shape}").format(cell_size=cell_size, shape=np.shape(recurrent_kernel)))
    if np.shape(bias) != (cell_size,):
        raise LessonError(_("bias must have shape (cell_size,) = ({cell_size},), got {shape}").format(
            cell_size=cell_size, shape=np.shape(bias)))
    return batch, time_steps, input_size, cell_size


def forward(x, kernel, recurrent_kernel, bias) -> np.ndarray:
    """All hidden states: h_t = tanh(x_t @ kernel + h_{t-1} @ recurrent_kernel + bias), from h_0 = 0.

    Returns h of shape (batch, time_steps, cell_size); h[:, -1] is what
    ``SimpleRNN`` returns without ``return_sequences``.
    """
    batch, time_steps, _input_size, cell_size = check_shapes(x, kernel, recurrent_kernel, bias)
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
        raise LessonError(_("y must be one-hot with the shape of the probabilities {expected}, got {shape}; use "
                            "rnn_helpers.data.one_hot(labels)").format(expected=np.shape(probabilities), shape=np.shape(y)))


def cross_entropy(probabilities: np.ndarray, y: np.ndarray) -> float:
    """Mean of -log(probability of the true class) over every prediction; y is one-hot, the probabilities' shape.

    For (batch, num_classes) that is the mean over the batch; for (batch,
    time_steps, num_classes), a prediction at every step, the mean over the
    examples and the steps, as Keras's categorical cross-entropy averages it.
    """
    _check_one_hot(probabilities, y)
    return float(-np.mean(np.sum(y * np.log(probabilities), axis=-1)))


def _unpack(weights: dict) -> list:
    missing = [name for name in WEIGHT_NAMES if name not in weights]
    if missing:
        raise LessonError(_("weights is missing {missing}; build it with dict(zip(numpy_rnn.WEIGHT_NAMES, "
                            "model.get_weights()))").format(missing=missing))
    return [weights[name] for name in WEIGHT_NAMES]


def _targets(y, probabilities: np.ndarray, every_step: bool) -> np.ndarray:
    """The one-hot ``y`` in the probabilities' shape: with ``every_step``, each example's label repeated at every step."""
    if every_step:
        batch, _time_steps, num_classes = probabilities.shape
        if np.shape(y) != (batch, num_classes):
            raise LessonError(_("with every_step=True, y must be one-hot (batch, num_classes) = {expected}, one label per "
                                "sequence (the loss repeats it at every step), got {shape}; for targets already repeated "
                                "over the steps pass y[:, 0]").format(expected=(batch, num_classes), shape=np.shape(y)))
        y = np.broadcast_to(np.asarray(y)[:, None, :], probabilities.shape)
    _check_one_hot(probabilities, y)
    return y


def _predict(x, weights: dict, every_step: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The forward pass of the whole model: hidden states h, the states the classifier reads, and its probabilities."""
    kernel, recurrent_kernel, bias, classifier_kernel, classifier_bias = _unpack(weights)
    h = forward(x, kernel, recurrent_kernel, bias)
    states = h if every_step else h[:, -1]  # (batch, time_steps, cell_size) or (batch, cell_size)
    return h, states, softmax(states @ classifier_kernel + classifier_bias)


def loss(x, y, weights: dict, *, every_step: bool = False) -> float:
    """The model's loss on (x, y): forward through time, classify, cross-entropy against the one-hot y (batch, num_classes).

    By default the classifier reads the last state only (``SimpleRNN`` as the
    lessons build it). With ``every_step=True`` it reads every state, as after
    ``SimpleRNN(return_sequences=True)``, against the label repeated at every
    step, and the loss is the mean over the examples and the steps.
    """
    _h, _states, probabilities = _predict(x, weights, every_step)
    return cross_entropy(probabilities, _targets(y, probabilities, every_step))


def backward_step(dh, x_t, h_prev, h_t, recurrent_kernel, grads: dict) -> np.ndarray:
    """One step back through h_t = tanh(x_t W + h_{t-1} U + b), given dh = dL/dh_t (batch, cell_size).

    Adds this step's share to ``grads["kernel"]``, ``grads["recurrent_kernel"]``
    and ``grads["bias"]`` in place (W, U and b are used at every step, so their
    gradients are sums over the steps) and returns the part of dL/dh_{t-1}
    that flows through this step, (batch, cell_size). At the first step pass
    ``h_prev`` = zeros: h_0 is the constant zero state.
    """
    da = dh * (1 - h_t ** 2)  # dL/da_t, through tanh: tanh'(a) = 1 - tanh(a)^2
    grads["kernel"] += x_t.T @ da
    grads["recurrent_kernel"] += h_prev.T @ da  # adds zero at the first step, where h_prev = h_0 = 0
    grads["bias"] += da.sum(axis=0)
    return da @ recurrent_kernel.T


def _gradient_per_step(d_output, h: np.ndarray) -> np.ndarray:
    """The output gradient as (batch, time_steps, cell_size): a last-state gradient goes to the last step, zero elsewhere."""
    batch, time_steps, cell_size = np.shape(h)
    if np.shape(d_output) == (batch, time_steps, cell_size):
        return d_output
    if np.shape(d_output) != (batch, cell_size):
        raise LessonError(_("d_output must be the loss's gradient for the last state {last} or for every state {every}, got "
                            "{shape}").format(last=(batch, cell_size), every=(batch, time_steps, cell_size),
                                              shape=np.shape(d_output)))
    per_step = np.zeros((batch, time_steps, cell_size), np.result_type(d_output, h))
    per_step[:, -1] = d_output
    return per_step


def backward_through_time(x, h, d_output, recurrent_kernel) -> dict:
    """Backpropagation through time for h_t = tanh(x_t W + h_{t-1} U + b).

    ``h`` is ``forward``'s output. ``d_output`` is the loss's gradient with
    respect to what the layer outputs: the last state, (batch, cell_size), as
    ``SimpleRNN`` returns by default, or every state, (batch, time_steps,
    cell_size), as with ``return_sequences=True``. Returns the gradients of the
    loss with respect to ``"kernel"`` (input_size, cell_size),
    ``"recurrent_kernel"`` (cell_size, cell_size) and ``"bias"`` (cell_size,),
    and ``"dL/dh"`` (batch, time_steps, cell_size): the whole dL/dh_t, from the
    output at step t and through every later step.
    """
    batch, time_steps, input_size = np.shape(x)
    cell_size = np.shape(h)[-1]
    if np.shape(h) != (batch, time_steps, cell_size):
        raise LessonError(_("h must be forward()'s output {expected}, got {shape}; pass the states of this x").format(
            expected=(batch, time_steps, cell_size), shape=np.shape(h)))
    d_output = _gradient_per_step(d_output, h)
    dtype = np.result_type(x, h, d_output)
    grads = {"kernel": np.zeros((input_size, cell_size), dtype),
             "recurrent_kernel": np.zeros((cell_size, cell_size), dtype),
             "bias": np.zeros(cell_size, dtype),
             "dL/dh": np.zeros((batch, time_steps, cell_size), dtype)}
    dh_from_later = np.zeros((batch, cell_size), dtype)  # nothing comes back from after the last step
    for t in reversed(range(time_steps)):
        dh = d_output[:, t] + dh_from_later
        grads["dL/dh"][:, t] = dh
        h_prev = h[:, t - 1] if t > 0 else np.zeros_like(dh)  # h_0 = 0, the state before the first row
        dh_from_later = backward_step(dh, x[:, t], h_prev, h[:, t], recurrent_kernel, grads)
    return grads


def _classifier_gradients(states: np.ndarray, d_logits: np.ndarray) -> dict:
    """dL/dV and dL/dc of z = states V + c: sums over the examples (and the steps, when every state is classified)."""
    states = states.reshape(-1, states.shape[-1])
    d_logits = d_logits.reshape(-1, d_logits.shape[-1])
    return {"classifier_kernel": states.T @ d_logits, "classifier_bias": d_logits.sum(axis=0)}


def gradients(x, y, weights: dict, *, every_step: bool = False) -> dict:
    """Gradients of ``loss(x, y, weights, every_step=every_step)`` with respect to the model's weights.

    Returns a dict with one array per name in WEIGHT_NAMES, each the shape of
    its weight, and ``"dL/dh"`` (batch, time_steps, cell_size): the loss's
    gradient with respect to each hidden state h_t (see ``backward_through_time``).
    """
    _kernel, recurrent_kernel, _bias, classifier_kernel, _classifier_bias = _unpack(weights)
    h, states, probabilities = _predict(x, weights, every_step)
    y = _targets(y, probabilities, every_step)
    predictions = probabilities.size // probabilities.shape[-1]  # B, or B * T with every_step
    d_logits = (probabilities - y) / predictions  # softmax + cross-entropy, averaged over the predictions
    grads = backward_through_time(x, h, d_logits @ classifier_kernel.T, recurrent_kernel)
    grads.update(_classifier_gradients(states, d_logits))
    return grads


def relative_error(a, b, floor: float = 1e-8) -> float:
    """The largest over the entries of |a - b| / (|a| + |b|), a number from 0 (equal) to 1.

    It is symmetric in ``a`` and ``b``: neither counts as the true value. The
    denominator is at least ``floor``, so that two entries that are both nearly
    zero are measured against ``floor``, not against each other. The CS231n
    notes divide by max(|a|, |b|) instead; since max(|a|, |b|) <= |a| + |b| <=
    2 max(|a|, |b|), that measure is at least this one and at most twice it
    (for entries above the floor): below 1e-9 here means below 2e-9 there.
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise LessonError(_("cannot compare shapes {a} and {b}").format(a=a.shape, b=b.shape))
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), floor)))
