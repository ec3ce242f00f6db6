"""The one exception type the helpers raise for bad input, and its checks."""

from __future__ import annotations


class LessonError(Exception):
    """Bad input or missing data; the message names the value and the fix."""


def positive_int(name: str, value, maximum: int | None = None) -> int:
    """Return ``value`` if it is a whole number in ``1..maximum``.

    Raises LessonError naming the parameter, the bad value and the range to use.
    ``bool`` is refused although it is an ``int`` subclass: ``epochs=True`` is a slip.
    """
    allowed = f"1 to {maximum:,}" if maximum is not None else "1 or more"
    if isinstance(value, bool) or not isinstance(value, int) or value < 1 or (
            maximum is not None and value > maximum):
        raise LessonError(f"{name} must be a whole number from {allowed}, got {value!r}; "
                          f"set {name} to a value in that range (e.g. in the parameters cell)")
    return value


def positive_float(name: str, value) -> float:
    """Return ``value`` as a float if it is a number above 0, else raise LessonError."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise LessonError(f"{name} must be a number above 0, got {value!r}; "
                          f"set {name} to e.g. 0.001 (in the parameters cell)")
    return float(value)
