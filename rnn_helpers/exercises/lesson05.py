"""Lesson 05: backpropagation through time."""

from __future__ import annotations

import numpy as np

from rnn_helpers import numpy_rnn
from rnn_helpers.exercises.core import (
    CodeAnswer,
    Refused,
    _,
    close,
    coarse_rounding,
    exercise,
    judge,
    judge_each,
    number,
    numbers,
    whole_number,
)


@exercise("05.1")
def _softmax_cross_entropy_gradient(answer):
    gradient = numbers(answer, 3, _("Give three numbers, one per class, such as [0.1, 0.2, 0.3]"))
    p, y = np.array([0.1, 0.7, 0.2]), np.array([1.0, 0.0, 0.0])
    return judge(gradient, p - y, _("p - y = [0.1 - 1, 0.7, 0.2] = [-0.9, 0.7, 0.2]: push the true class up, the others down."), [
        (y - p, _("The sign is flipped: it is p - y. The loss falls when the true class's logit rises, so its derivative is negative.")),
        (p - np.array([0.0, 1.0, 0.0]), _("The true class is 0, the first one, not the class with the largest probability.")),
        (p, _("Subtract the one-hot truth y = [1, 0, 0].")),
        (-y / p, _("That is dL/dp, the derivative with respect to the probabilities; through the softmax it becomes dL/dz = p - y.")),
    ], _("{gradient} is not it: for softmax followed by cross-entropy, dL/dz = p - y.").format(gradient=list(gradient)),
        same=lambda a, b: np.allclose(a, b))


@exercise("05.2")
def _zero_term_of_recurrent_gradient(answer):
    step = whole_number(answer, _("step numbers"))
    return judge(step, 1, _("Step 1: its term is h_0^T dL/da_1, and h_0 is the constant zero state, so it adds nothing whatever the "
                            "weights and the images. dL/dW and dL/db get a term from all 28 steps."), [
        (28, _("The last step's term is h_27^T dL/da_28: h_27 is the state after 27 rows, not zero. Look for the step whose previous "
               "state is the constant h_0 = 0.")),
        (0, _("The steps are numbered 1 to 28 here (0 is where Python's loop index starts). The term of step t is h_{t-1}^T dL/da_t: "
              "at which step is h_{t-1} the constant zero state?")),
    ], _("{step} is not it: the term of step t is h_{{t-1}}^T dL/da_t. Which h_{{t-1}} is zero whatever the weights and the "
         "images?").format(step=step))


@exercise("05.3")
def _vanishing_bound(answer):
    bound = number(answer, _("a number"))
    expected = 0.8 ** 27
    # Within 2%: two significant digits (0.0024) pass, and 0.8^28 = 0.00193 (20% away) does not. An answer rounded to one
    # digit, 0.002, is not accepted: 0.8^28 rounds to it too, so it cannot show the 27 factors; it is told to give more digits.
    return judge(bound, expected, _("0.8^27 = {expected:.5f}: 27 steps back from step 28 to step 1, each stretching by at most "
                                    "σ_max(U) times tanh' <= 1. The gradient must vanish.").format(expected=expected), [
        coarse_rounding(expected),
        (0.8 ** 28, _("That is 28 factors; from step 28 back to step 1 there are 27 steps.")),
        (0.8, _("That is one step; the factor applies at each of the steps from 28 back to 1.")),
        (100 * expected, _("That is a percentage; give the fraction itself, a number below 1.")),
    ], _("{bound} is not it: each step back multiplies the norm by at most σ_max(U) (tanh' is at most 1).").format(bound=bound),
        same=lambda a, b: close(a, b, rel_tol=0.02))


@exercise("05.4")
def _clipped_norms(answer):
    norms = numbers(answer, 2, _("Give a pair of numbers (a, b)"))
    return judge(norms, [1.0, 0.3], _("Clipping rescales only gradients above the threshold: 5 becomes 1, 0.3 stays 0.3."), [
        ([1.0, 1.0], _("Clipping only shrinks: a gradient already below the threshold is left alone.")),
        ([0.2, 0.06], _("That divides both by 5; each gradient is clipped on its own, and only if its norm exceeds 1.")),
        ([0.3, 1.0], _("Give them in the question's order: first the gradient of norm 5, then the one of norm 0.3.")),
        ([5.0, 0.3], _("The gradient of norm 5 is above clipnorm=1, so it is rescaled to norm 1.")),
    ], _("{norms} is not it: g <- g * min(1, clipnorm / |g|).").format(norms=tuple(norms)), same=lambda a, b: np.allclose(a, b))


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


_BIAS_NOT_SUMMED = _("The bias gradient has one number per unit, shape (cell_size,): sum this step's dL/da over the batch, "
                      "da.sum(axis=0), before adding it.")

# The typical slips, each with the sentence that names it and its fix.
_BACKWARD_SLIPS = {
    _("The gradients are not summed over time: only one step's share is left in grads. W, U and b are used at every step, "
      "so each step must add its share to what the later steps put there: `+=`, not `=`."): _slipped_step(added=False),
    _("tanh' is missing: go back through tanh first, da = dh * (1 - h_t ** 2), and use da, not dh, for the three gradients "
      "and for dL/dh_{t-1}."): _slipped_step(tanh_of=None),
    _("U is not transposed: h_{t-1} reaches a_t as h_{t-1} @ U, so the gradient goes back through U's transpose: "
      "return da @ U.T."): _slipped_step(transposed=False),
    _("tanh' is taken at the wrong step: h_t = tanh(a_t), so the derivative at this step is 1 - h_t ** 2, not 1 - h_prev ** 2."):
        _slipped_step(tanh_of="h_prev"),
    _("dL/dU multiplies the state that U acted on, h_{t-1}: grads[\"recurrent_kernel\"] += h_prev.T @ da, not h_t.T @ da."):
        _slipped_step(recurrent_state="h_t"),
}


def _student_step(code: CodeAnswer):
    """The student's function as a step of ``_backward_loop``; Refused at the first call that fails or returns no dL/dh_{t-1}."""
    calls = 0

    def step(dh, x_t, h_prev, h_t, U, grads):
        nonlocal calls
        calls += 1
        where = _("at step {step} of {steps} (the loop runs from step {steps} back to 1)").format(step=_TIME_STEPS + 1 - calls,
                                                                                                  steps=_TIME_STEPS)
        try:
            result = code.call(dh, x_t, h_prev, h_t, U, grads)
        except Refused as refused:
            shapes = _("It was called {where} with dh, h_prev and h_t of shape (batch, cell_size) = {dh}, x_t {x_t}, U {U} and grads "
                       "holding kernel {kernel}, recurrent_kernel {recurrent_kernel} and bias {bias}.").format(
                where=where, dh=dh.shape, x_t=x_t.shape, U=U.shape, kernel=grads["kernel"].shape,
                recurrent_kernel=grads["recurrent_kernel"].shape, bias=grads["bias"].shape)
            bias_hint = _BIAS_NOT_SUMMED if "bias" in code.error_line else ""
            raise Refused(" ".join(filter(None, [str(refused), shapes, bias_hint]))) from None
        return _returned_gradient(result, dh.shape, where)

    return step


def _returned_gradient(result, shape: tuple, where: str) -> np.ndarray:
    """What one call of the student's step returned, as dL/dh_{t-1} of ``shape``; Refused, saying why, if it is not one."""
    if result is None:
        raise Refused(_("rnn_step_backward returned None: it must `return` dL/dh_{t-1}, an array of shape (batch, cell_size). "
                        "(A body that is still `...` returns nothing.)"))
    if isinstance(result, (tuple, list)) and any(isinstance(part, (dict, np.ndarray)) for part in result):
        raise Refused(_("Return dL/dh_{t-1} alone: grads is changed in place, so it needs no return."))
    dh_prev = _as_array(result)
    if dh_prev is None:
        raise Refused(_("rnn_step_backward should return dL/dh_{{t-1}}, an array, not {type}.").format(type=type(result).__name__))
    if dh_prev.shape != shape:
        raise Refused(_("rnn_step_backward returned shape {returned} {where}; dL/dh_{{t-1}} has the shape of dh, (batch, cell_size) "
                        "= {shape}.").format(returned=dh_prev.shape, where=where, shape=shape))
    return dh_prev


def _as_array(value) -> np.ndarray | None:
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return None


def _first_wrong_step(returned, expected) -> int:
    """The first step (counted 1 to T, so the last one the loop ran) whose returned dL/dh_{t-1} is wrong."""
    wrong = [t for t in range(len(expected)) if not CodeAnswer.matches(returned[t], expected[t])]
    return max(wrong) + 1


def _judge_returned(returned, expected, slips: dict) -> tuple[bool, str]:
    """The dL/dh_{t-1} the step returned at every step, against numpy_rnn's and the slips'."""
    if CodeAnswer.matches(returned, expected):
        return True, ""  # the general hint below names the first wrong step, so it is only written for a wrong answer
    return judge(returned, expected, "", [(slip_returned, why) for why, (_slip_grads, slip_returned) in slips.items()], _(
        "The dL/dh_{{t-1}} it returns is first wrong at step {step} (the loop runs from step {steps} back to 1): go back through "
        "tanh, da = dh * (1 - h_t ** 2), then through U, da @ U.T.").format(step=_first_wrong_step(returned, expected),
                                                                            steps=_TIME_STEPS), same=CodeAnswer.matches)


_FORMULAS = {"kernel": "x_t.T @ da", "recurrent_kernel": "h_prev.T @ da", "bias": "da.sum(axis=0)"}


def _judge_gradient(name: str, value, expected: np.ndarray, slips: dict) -> tuple[bool, str]:
    """What the loop left in grads[name], against numpy_rnn's and the slips'."""
    got = _as_array(value)
    if got is None:
        raise Refused(_("grads[\"{name}\"] should stay an array of numbers; it is now {value}.").format(name=name, value=repr(value)[:60]))
    return judge(got, expected, "", [
        (lambda g: name == "bias" and g.shape != expected.shape, _("{hint} grads[\"bias\"] ended with shape {shape}, not {expected}.")
         .format(hint=_BIAS_NOT_SUMMED, shape=got.shape, expected=expected.shape)),
        (lambda g: not g.any(), _("grads[\"{name}\"] is still all zeros: add this step's share to the dict you are given, in place "
                                  "(a new dict assigned to `grads` inside the function is lost when it returns).").format(name=name)),
        *((slip_grads[name], why) for why, (slip_grads, _slip_returned) in slips.items()),
    ], _("dL/dh_{{t-1}} is right but grads[\"{name}\"] is not: each step adds {formula}, with da = dh * (1 - h_t ** 2).").format(
        name=name, formula=_FORMULAS[name]), same=CodeAnswer.matches)


@exercise("05.5")
def _rnn_step_backward(answer):
    code = CodeAnswer(answer, "rnn_step_backward")
    x, h, U, dh_last = _backward_inputs()
    grads, returned = _backward_loop(_student_step(code), x, h, U, dh_last)
    expected = numpy_rnn.backward_through_time(x, h, dh_last, U)
    expected_returned = _backward_loop(numpy_rnn.backward_step, x, h, U, dh_last)[1]
    slips = {why: _backward_loop(slipped, x, h, U, dh_last) for why, slipped in _BACKWARD_SLIPS.items()}
    ok, why = _judge_returned(returned, expected_returned, slips)
    if not ok:
        return False, why
    return judge_each(_GRAD_NAMES, lambda name: _judge_gradient(name, grads.get(name), expected[name], slips), _(
        "Run from step 6 back to step 1, it sums the three gradients over time and hands dL/dh_{t-1} to the step before, exactly as "
        "numpy_rnn.backward_through_time does."))


# 05.6: the curve of section 7, the size of dL/dh_t at every step.

def _right_norms(dL_dh):
    return np.sqrt((dL_dh ** 2).sum(axis=2)).mean(axis=0)


_PER_EXAMPLE = _("That is one value per example and step, a 2-D array: average over the examples to get one value per step, "
                 "a 1-D array (time_steps,).")

_NORM_SLIPS = {
    _("The norm is taken over time (axis 1): |dL/dh_t| is the length of one state's gradient, over the units, axis 2."):
        lambda d: np.linalg.norm(d, axis=1).mean(axis=0),
    _("The norm is taken over the examples (axis 0): |dL/dh_t| is the length of one state's gradient, over the units, axis 2; "
      "then average over the examples."): lambda d: np.linalg.norm(d, axis=0).mean(axis=1),
    _("That is the norm of the mean gradient, not the mean of the norms: the examples' gradients point different ways and "
      "partly cancel. Take the norm of each example's dL/dh_t (axis 2) first, then the mean over the examples."):
        lambda d: np.linalg.norm(d.mean(axis=0), axis=1),
    _PER_EXAMPLE: lambda d: np.linalg.norm(d, axis=2),
    _("Those are squared norms (the sum of squares): take the square root of each before the mean, np.linalg.norm(..., axis=2)."):
        lambda d: (d ** 2).sum(axis=2).mean(axis=0),
    _("That is the L1 norm, the sum of the absolute values; |dL/dh_t| is the Euclidean (L2) norm, the square root of the sum of "
      "squares: np.linalg.norm(..., axis=2), whose default is L2."): lambda d: np.abs(d).sum(axis=2).mean(axis=0),
    _("The curve is reversed in time: value t - 1 must be step t, from step 1 to the last (the backward pass runs from the last "
      "step, but the curve is plotted from the first)."): lambda d: _right_norms(d)[::-1],
    _("That is the median over the examples; the curve is their mean: .mean(axis=0)."):
        lambda d: np.median(np.linalg.norm(d, axis=2), axis=0),
    _("That is the sum over the examples; the curve is their mean (the sum divided by the number of examples)."):
        lambda d: np.linalg.norm(d, axis=2).sum(axis=0),
}


@exercise("05.6")
def _per_step_norms(answer):
    code = CodeAnswer(answer, "per_step_norms")
    rng = np.random.default_rng(6)

    def judge_shape(shape):  # examples, time_steps, cell_size: all different, so a wrong axis shows
        dL_dh = rng.normal(loc=0.3, size=shape)
        result = code.run(dL_dh.copy(), context=_("(Called with dL_dh of shape (examples, time_steps, cell_size) = {shape}.)").format(
            shape=shape))
        return judge(result, _right_norms(dL_dh), "", [
            *((slip(dL_dh), why) for why, slip in _NORM_SLIPS.items()),
            (lambda r: r.shape == shape[1::-1], _PER_EXAMPLE),  # (time_steps, examples): per example, transposed
            (lambda r: r.shape != (shape[1],), _("For dL_dh of shape {shape} it returns shape {returned}; expected one value per "
                                                 "time step, ({steps},).").format(shape=shape, returned=result.shape, steps=shape[1])),
        ], _("The shape is right, the values are not: the norm of each example's dL/dh_t over the units "
             "(np.linalg.norm(dL_dh, axis=2)), then the mean over the examples (axis 0)."), same=CodeAnswer.matches)

    return judge_each(((7, 5, 4), (3, 6, 2)), judge_shape, _(
        "The mean over the examples of |dL/dh_t|, one value per step: the curve section 7 plots on a log scale."))


# 05.7: an experiment with section 9's simulation of Adam, recomputed here, so that the answer of any run is judged.

_CALM_STEPS, _ADAM = 5000, {"beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7}  # the simulation's calm steps; Keras's defaults


def adam_spike_step(spike: float) -> float:
    """The spike's own Adam step, in learning rates, after _CALM_STEPS steps of gradient 1 (the running means in closed form)."""
    beta_1, beta_2, epsilon = _ADAM["beta_1"], _ADAM["beta_2"], _ADAM["epsilon"]
    t = _CALM_STEPS + 1
    m = beta_1 * (1 - beta_1 ** _CALM_STEPS) + (1 - beta_1) * spike  # a mean of ones is 1 - beta ** steps before bias correction
    v = beta_2 * (1 - beta_2 ** _CALM_STEPS) + (1 - beta_2) * spike ** 2
    return float(np.sqrt(1 - beta_2 ** t) / (1 - beta_1 ** t) * m / (np.sqrt(v) + epsilon))


@exercise("05.7")
def _adam_spike(answer):
    step = number(answer, _("a number of learning rates"))
    expected = adam_spike_step(10)
    return judge(step, expected, _(
        "{expected:.2f} learning rates. A spike only 10 times the usual gradient barely moves the running mean of squared gradients "
        "(from 1 to about 1.1), so its step is about (0.9 + 0.1 x 10) / 1.05 learning rates, well under the bound of 3.16, which only "
        "a spike that dwarfs the running means approaches; and the weight is not slowed afterwards.").format(expected=expected), [
        coarse_rounding(expected),
        (lambda s: abs(s - (1 - _ADAM["beta_1"]) / np.sqrt(1 - _ADAM["beta_2"])) < 0.006, _(
            "That is the bound (1 - β1) / √(1 - β2), which a spike approaches only when it dwarfs the running means; run the "
            "simulation with spike = 10 and read the spike's own step.")),
        (adam_spike_step(1000), _("That is the lesson's spike, 1,000 times the usual gradient: set spike = 10 and run the cell again.")),
        (10, _("That is what SGD would do, learning_rate x the spike; Adam divides by the running scale of the gradient.")),
        (1, _("That is the calm twin's step, one learning rate; the question asks for the spiked weight's step.")),
        (-expected, _("Give the size of the step, a positive number of learning rates (the simulation prints them so).")),
        (expected * 1e-3, _("That is the step itself, with learning_rate = 1e-3; the question counts it in learning rates: divide "
                            "by 1e-3.")),
        (lambda s: s > 20, _("The first number printed is the spike's own step; the next 50 steps together are a different "
                             "number.")),
    ], _("{step} is not it: run the simulation with spike = 10 and read the first number it prints, the spike's own step.").format(
        step=step), same=lambda a, b: close(a, b, rel_tol=0.01))
