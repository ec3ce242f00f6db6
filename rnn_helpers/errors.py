"""The one exception type the helpers raise for bad input, and its checks."""

from __future__ import annotations

from rnn_helpers.i18n import _


class LessonError(Exception):
    """Bad input or missing data; the message names the value and the fix."""


def whole_number(name: str, value, maximum: int | None = None, minimum: int = 1) -> int:
    """Return ``value`` if it is a whole number in ``minimum..maximum``.

    Raises LessonError naming the parameter, the bad value and the range to use.
    ``bool`` is refused although it is an ``int`` subclass: ``epochs=True`` is a slip.
    """
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum or (
            maximum is not None and value > maximum):
        if maximum is None:
            message = _("{name} must be a whole number of at least {minimum}, got {value!r}; set {name} to a value in that "
                        "range (e.g. in the parameters cell)")
        else:
            message = _("{name} must be a whole number from {minimum} to {maximum:,}, got {value!r}; set {name} to a value "
                        "in that range (e.g. in the parameters cell)")
        raise LessonError(message.format(name=name, minimum=minimum, maximum=maximum, value=value))
    return value


def positive_float(name: str, value) -> float:
    """Return ``value`` as a float if it is a number above 0, else raise LessonError."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise LessonError(_("{name} must be a number above 0, got {value!r}; set {name} to e.g. 0.001 (in the parameters "
                            "cell)").format(name=name, value=value))
    return float(value)
