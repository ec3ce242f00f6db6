"""The one exception type the helpers raise for bad input, and its checks."""

from __future__ import annotations


class LessonError(Exception):
    """Bad input or missing data; the message names the value and the fix."""


def whole_number(name: str, value, maximum: int | None = None, minimum: int = 1) -> int:
    """Return ``value`` if it is a whole number in ``minimum..maximum``.

    Raises LessonError naming the parameter, the bad value and the range to use.
    ``bool`` is refused although it is an ``int`` subclass: ``epochs=True`` is a slip.
    """
    allowed = f"from {minimum} to {maximum:,}" if maximum is not None else f"of at least {minimum}"
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum or (
            maximum is not None and value > maximum):
        raise LessonError(f"{name} must be a whole number {allowed}, got {value!r}; "
                          f"set {name} to a value in that range (e.g. in the parameters cell)")
    return value


def positive_float(name: str, value) -> float:
    """Return ``value`` as a float if it is a number above 0, else raise LessonError."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise LessonError(f"{name} must be a number above 0, got {value!r}; "
                          f"set {name} to e.g. 0.001 (in the parameters cell)")
    return float(value)
