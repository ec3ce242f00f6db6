"""Lesson 05: backpropagation through time."""

from __future__ import annotations

import numpy as np

from rnn_helpers import numpy_rnn
from rnn_helpers.exercises.core import CodeAnswer, _as_numbers, _number_or_explain, exercise


@exercise("05.1")
def _softmax_cross_entropy_gradient(answer):
    numbers = _as_numbers(answer)
    if numbers is None or len(numbers) != 3:
        return False, f"Give three numbers, one per class, such as [0.1, 0.2, 0.3], not {answer!r}."
    p, y = np.array([0.1, 0.7, 0.2]), np.array([1.0, 0.0, 0.0])
    if np.allclose(numbers, p - y):
        return True, "p - y = [0.1 - 1, 0.7, 0.2] = [-0.9, 0.7, 0.2]: push the true class up, the others down."
    if np.allclose(numbers, y - p):
        return False, "The sign is flipped: it is p - y. The loss falls when the true class's logit rises, so its derivative is negative."
    if np.allclose(numbers, p - np.array([0.0, 1.0, 0.0])):
        return False, "The true class is 0, the first one, not the class with the largest probability."
    if np.allclose(numbers, p):
        return False, "Subtract the one-hot truth y = [1, 0, 0]."
    return False, f"{list(numbers)} is not it: for softmax followed by cross-entropy, dL/dz = p - y."


@exercise("05.2")
def _zero_term_of_recurrent_gradient(answer):
    if (why := _number_or_explain(answer)):
        return False, why
    if answer == 1:
        return True, ("Step 1: its term is h_0^T dL/da_1, and h_0 is the constant zero state, so it adds nothing whatever the "
                      "weights and the images. dL/dW and dL/db get a term from all 28 steps.")
    if answer == 28:
        return False, ("The last step's term is h_27^T dL/da_28: h_27 is the state after 27 rows, not zero. Look for the step "
                       "whose previous state is the constant h_0 = 0.")
    if answer == 0:
        return False, ("The steps are numbered 1 to 28 here (0 is where Python's loop index starts). The term of step t is "
                       "h_{t-1}^T dL/da_t: at which step is h_{t-1} the constant zero state?")
    return False, (f"{answer} is not it: the term of step t is h_{{t-1}}^T dL/da_t. Which h_{{t-1}} is zero whatever the weights "
                   "and the images?")


@exercise("05.3")
def _vanishing_bound(answer):
    if (why := _number_or_explain(answer, "a number")):
        return False, why
    expected = 0.8 ** 27
    if np.isclose(answer, expected, rtol=0.02):
        return True, (f"0.8^27 = {expected:.5f}: 27 steps back from step 28 to step 1, each stretching by at most "
                      "σ_max(U) times tanh' <= 1. The gradient must vanish.")
    if np.isclose(answer, 0.8 ** 28, rtol=0.02):
        return False, "That is 28 factors; from step 28 back to step 1 there are 27 steps."
    if np.isclose(answer, 0.8, rtol=0.02):
        return False, "That is one step; the factor applies at each of the steps from 28 back to 1."
    return False, f"{answer} is not it: each step back multiplies the norm by at most σ_max(U) (tanh' is at most 1)."


@exercise("05.4")
def _clipped_norms(answer):
    numbers = _as_numbers(answer)
    if numbers is None or len(numbers) != 2:
        return False, f"Give a pair of numbers (a, b), not {answer!r}."
    if np.allclose(numbers, [1.0, 0.3]):
        return True, "Clipping rescales only gradients above the threshold: 5 becomes 1, 0.3 stays 0.3."
    if np.allclose(numbers, [1.0, 1.0]):
        return False, "Clipping only shrinks: a gradient already below the threshold is left alone."
    if np.allclose(numbers, [0.2, 0.06]):
        return False, "That divides both by 5; each gradient is clipped on its own, and only if its norm exceeds 1."
    return False, f"{tuple(numbers)} is not it: g <- g * min(1, clipnorm / |g|)."


# 05.5: one step of the backward loop, written by the student and run by the checker in a loop of its own.

_BATCH, _TIME_STEPS, _INPUT_SIZE, _CELL_SIZE = 3, 6, 4, 5
_GRAD_NAMES = ("kernel", "recurrent_kernel", "bias")


def _backward_inputs(seed: int = 5):
    """Rows x, the states h that forward() gives for them, a non-symmetric U and dL/dh at the last step."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(_BATCH, _TIME_STEPS, _INPUT_SIZE))
    W = rng.normal(scale=0.5, size=(_INPUT_SIZE, _CELL_SIZE))
    U = rng.normal(scale=0.5, size=(_CELL_SIZE, _CELL_SIZE))
    b = rng.normal(scale=0.5, size=_CELL_SIZE)
    return x, numpy_rnn.forward(x, W, U, b), U, rng.normal(size=(_BATCH, _CELL_SIZE))


def _backward_loop(step, x, h, U, dh_last):
    """Run ``step`` from the last time step back to the first, as lesson 05's loop does.

    Returns the gradients it left in ``grads`` and what it returned at each step,
    stacked in the order of the steps, (time_steps, batch, cell_size).
    """
    grads = {name: np.zeros(shape) for name, shape in zip(_GRAD_NAMES, [(_INPUT_SIZE, _CELL_SIZE), U.shape, (_CELL_SIZE,)])}
    returned = [None] * x.shape[1]
    dh = dh_last
    for t in reversed(range(x.shape[1])):
        h_prev = h[:, t - 1] if t > 0 else np.zeros_like(h[:, 0])  # h_0 = 0
        # copies: a step that changes its inputs in place must not change the checker's arrays
        dh = step(dh.copy(), x[:, t].copy(), h_prev.copy(), h[:, t].copy(), U.copy(), grads)
        returned[t] = dh
    return grads, np.stack(returned)


def _slipped_step(tanh_of="h_t", recurrent_state="h_prev", transposed=True, added=True):
    """One step back, right with the defaults; each keyword reproduces one typical slip."""
    def step(dh, x_t, h_prev, h_t, U, grads):
        states = {"h_t": h_t, "h_prev": h_prev}
        da = dh if tanh_of is None else dh * (1 - states[tanh_of] ** 2)
        shares = {"kernel": x_t.T @ da, "recurrent_kernel": states[recurrent_state].T @ da, "bias": da.sum(axis=0)}
        for name, share in shares.items():
            grads[name] = grads[name] + share if added else share
        return da @ (U.T if transposed else U)
    return step


_BIAS_NOT_SUMMED = ("The bias gradient has one number per unit, shape (cell_size,): sum this step's dL/da over the batch, "
                    "da.sum(axis=0), before adding it.")

# The typical slips, each with the sentence that names it and its fix.
_BACKWARD_SLIPS = {
    "The gradients are not summed over time: only one step's share is left in grads. W, U and b are used at every step, "
    "so each step must add its share to what the later steps put there: `+=`, not `=`.": _slipped_step(added=False),
    "tanh' is missing: go back through tanh first, da = dh * (1 - h_t ** 2), and use da, not dh, for the three gradients "
    "and for dL/dh_{t-1}.": _slipped_step(tanh_of=None),
    "U is not transposed: h_{t-1} reaches a_t as h_{t-1} @ U, so the gradient goes back through U's transpose: "
    "return da @ U.T.": _slipped_step(transposed=False),
    "tanh' is taken at the wrong step: h_t = tanh(a_t), so the derivative at this step is 1 - h_t ** 2, not 1 - h_prev ** 2.":
        _slipped_step(tanh_of="h_prev"),
    "dL/dU multiplies the state that U acted on, h_{t-1}: grads[\"recurrent_kernel\"] += h_prev.T @ da, not h_t.T @ da.":
        _slipped_step(recurrent_state="h_t"),
}


class _Stopped(Exception):
    """The student's step cannot go on: the message says why."""


def _student_step(code: CodeAnswer):
    """The student's function as a step of ``_backward_loop``, stopping at the first call that fails or returns no dL/dh_{t-1}."""
    calls = 0

    def step(dh, x_t, h_prev, h_t, U, grads):
        nonlocal calls
        calls += 1
        where = f"at step {_TIME_STEPS + 1 - calls} of {_TIME_STEPS} (the loop runs from step {_TIME_STEPS} back to 1)"
        result = code.call(dh, x_t, h_prev, h_t, U, grads)
        if code.error:
            shapes = (f" It was called {where} with dh, h_prev and h_t of shape (batch, cell_size) = {dh.shape}, x_t {x_t.shape}, "
                      f"U {U.shape} and grads holding kernel {grads['kernel'].shape}, recurrent_kernel "
                      f"{grads['recurrent_kernel'].shape} and bias {grads['bias'].shape}.")
            bias_hint = (" " + _BIAS_NOT_SUMMED) if "bias" in code.error_line else ""
            raise _Stopped(code.error + "." + shapes + bias_hint)
        if result is None:
            raise _Stopped("rnn_step_backward returned None: it must `return` dL/dh_{t-1}, an array of shape (batch, cell_size). "
                           "(A body that is still `...` returns nothing.)")
        if isinstance(result, (tuple, list)) and any(isinstance(part, (dict, np.ndarray)) for part in result):
            raise _Stopped("Return dL/dh_{t-1} alone: grads is changed in place, so it needs no return.")
        dh_prev = _as_array(result)
        if dh_prev is None:
            raise _Stopped(f"rnn_step_backward should return dL/dh_{{t-1}}, an array, not {type(result).__name__}.")
        if dh_prev.shape != dh.shape:
            raise _Stopped(f"rnn_step_backward returned shape {dh_prev.shape} {where}; dL/dh_{{t-1}} has the shape of dh, "
                           f"(batch, cell_size) = {dh.shape}.")
        return dh_prev

    return step


def _as_array(value) -> np.ndarray | None:
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return None


def _first_wrong_step(returned, expected) -> int:
    """The first step (counted 1 to T, so the last one the loop ran) whose returned dL/dh_{t-1} is wrong."""
    wrong = [t for t in range(len(expected)) if not CodeAnswer.matches(returned[t], expected[t])]
    return max(wrong) + 1


@exercise("05.5", solution="""
def rnn_step_backward(dh, x_t, h_prev, h_t, U, grads):
    da = dh * (1 - h_t ** 2)                     # back through tanh: dL/da_t, (batch, cell_size)
    grads["kernel"] += x_t.T @ da                # add this step's share: W, U and b are used at every step
    grads["recurrent_kernel"] += h_prev.T @ da   # U multiplied h_{t-1} (zero at step 1, where h_0 = 0)
    grads["bias"] += da.sum(axis=0)              # one number per unit: sum over the batch
    return da @ U.T                              # dL/dh_{t-1}: back through U, transposed

# The loop that calls it, from the last step back to the first:
#     dh = dh_last
#     for t in reversed(range(time_steps)):
#         h_prev = h[:, t - 1] if t > 0 else np.zeros_like(h[:, 0])
#         dh = rnn_step_backward(dh, x[:, t], h_prev, h[:, t], U, grads)""")
def _rnn_step_backward(answer):
    code = CodeAnswer(answer, "rnn_step_backward")
    if (why := code.callable_or_explain()):
        return False, why
    x, h, U, dh_last = _backward_inputs()
    try:
        grads, returned = _backward_loop(_student_step(code), x, h, U, dh_last)
    except _Stopped as stopped:
        return False, str(stopped)
    expected = numpy_rnn.backward_through_time(x, h, dh_last, U)
    _, expected_returned = _backward_loop(numpy_rnn.backward_step, x, h, U, dh_last)
    slips = {why: _backward_loop(slipped, x, h, U, dh_last) for why, slipped in _BACKWARD_SLIPS.items()}

    if not CodeAnswer.matches(returned, expected_returned):
        for why, (_, slip_returned) in slips.items():
            if CodeAnswer.matches(returned, slip_returned):
                return False, why
        return False, (f"The dL/dh_{{t-1}} it returns is first wrong at step {_first_wrong_step(returned, expected_returned)} "
                       f"(the loop runs from step {_TIME_STEPS} back to 1): go back through tanh, da = dh * (1 - h_t ** 2), "
                       "then through U, da @ U.T.")
    for name in _GRAD_NAMES:
        got = _as_array(grads.get(name))
        if got is None:
            return False, f"grads[\"{name}\"] should stay an array of numbers; it is now {grads.get(name)!r:.60}."
        if CodeAnswer.matches(got, expected[name]):
            continue
        if name == "bias" and got.shape != expected[name].shape:
            return False, _BIAS_NOT_SUMMED + f" grads[\"bias\"] ended with shape {got.shape}, not {expected[name].shape}."
        if not got.any():
            return False, (f"grads[\"{name}\"] is still all zeros: add this step's share to the dict you are given, in place "
                           "(a new dict assigned to `grads` inside the function is lost when it returns).")
        for why, (slip_grads, _) in slips.items():
            if CodeAnswer.matches(got, slip_grads[name]):
                return False, why
        formulas = {"kernel": "x_t.T @ da", "recurrent_kernel": "h_prev.T @ da", "bias": "da.sum(axis=0)"}
        return False, (f"dL/dh_{{t-1}} is right but grads[\"{name}\"] is not: each step adds {formulas[name]}, "
                       "with da = dh * (1 - h_t ** 2).")
    return True, ("Run from step 6 back to step 1, it sums the three gradients over time and hands dL/dh_{t-1} to the step "
                  "before, exactly as numpy_rnn.backward_through_time does.")


# 05.6: the curve of section 7, the size of dL/dh_t at every step.

def _right_norms(dL_dh):
    return np.linalg.norm(dL_dh, axis=2).mean(axis=0)


_PER_EXAMPLE = ("That is one value per example and step, a 2-D array: average over the examples to get one value per step, "
                "a 1-D array (time_steps,).")

_NORM_SLIPS = {
    "The norm is taken over time (axis 1): |dL/dh_t| is the length of one state's gradient, over the units, axis 2.":
        lambda d: np.linalg.norm(d, axis=1).mean(axis=0),
    "The norm is taken over the examples (axis 0): |dL/dh_t| is the length of one state's gradient, over the units, axis 2; "
    "then average over the examples.": lambda d: np.linalg.norm(d, axis=0).mean(axis=1),
    "That is the norm of the mean gradient, not the mean of the norms: the examples' gradients point different ways and "
    "partly cancel. Take the norm of each example's dL/dh_t (axis 2) first, then the mean over the examples.":
        lambda d: np.linalg.norm(d.mean(axis=0), axis=1),
    _PER_EXAMPLE: lambda d: np.linalg.norm(d, axis=2),
    "Those are squared norms (the sum of squares): take the square root of each before the mean, np.linalg.norm(..., axis=2).":
        lambda d: (d ** 2).sum(axis=2).mean(axis=0),
}


@exercise("05.6", solution="""
def per_step_norms(dL_dh):
    per_example = np.linalg.norm(dL_dh, axis=2)   # (examples, time_steps): |dL/dh_t| of each example, over the units
    return per_example.mean(axis=0)               # (time_steps,): the mean over the examples""")
def _per_step_norms(answer):
    code = CodeAnswer(answer, "per_step_norms")
    if (why := code.callable_or_explain()):
        return False, why
    rng = np.random.default_rng(6)
    for shape in ((7, 5, 4), (3, 6, 2)):  # examples, time_steps, cell_size: all different, so a wrong axis shows
        dL_dh = rng.normal(loc=0.3, size=shape)
        result = code.run(dL_dh.copy())
        if code.error:
            return False, code.error + f" (called with dL_dh of shape (examples, time_steps, cell_size) = {shape})."
        if code.matches(result, _right_norms(dL_dh)):
            continue
        for why, slip in _NORM_SLIPS.items():
            if code.matches(result, slip(dL_dh)):
                return False, why
        if result.shape == shape[1::-1]:  # (time_steps, examples): per example, transposed
            return False, _PER_EXAMPLE
        if result.shape != (shape[1],):
            return False, (f"For dL_dh of shape {shape} it returns shape {result.shape}; expected one value per time step, "
                           f"({shape[1]},).")
        return False, ("The shape is right, the values are not: the norm of each example's dL/dh_t over the units "
                       "(np.linalg.norm(dL_dh, axis=2)), then the mean over the examples (axis 0).")
    return True, "The mean over the examples of |dL/dh_t|, one value per step: the curve section 7 plots on a log scale."
