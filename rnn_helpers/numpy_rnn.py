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
    """All hidden states: h_t = tanh(x_t @ kernel + h_{t-1} @ recurrent_kernel + bias), h_{-1} = 0.

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
