"""Record a lesson's key results so the runner and the tests can read them."""

from __future__ import annotations

import math
import numbers

MIME_TYPE = "application/x.rnn-lessons+json"


def _round(value: float, digits: int) -> float:
    """``digits`` decimals, and at least ``digits`` significant digits: 5.4e-13 stays 5.4e-13, not 0."""
    if value == 0 or not math.isfinite(value):
        return value
    return round(value, max(digits, digits - 1 - math.floor(math.log10(abs(value)))))


def _plain(value, digits: int):
    """Return ``value`` as a JSON-ready Python value, floats rounded."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return _round(float(value), digits)
    if isinstance(value, (list, tuple)):
        return [_plain(v, digits) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v, digits) for k, v in value.items()}
    if hasattr(value, "tolist"):  # NumPy arrays and scalars
        return _plain(value.tolist(), digits)
    raise TypeError(f"cannot record {type(value).__name__} value {value!r}; "
                    "record numbers, strings, lists or dicts")


def record(digits: int = 4, **results) -> None:
    """Show ``results`` in the notebook and store them as a custom-MIME output.

    Floats are rounded to ``digits`` decimals (small ones to ``digits``
    significant digits) so that nbval, which compares the stored
    JSON exactly, sees the same value on every run. The runner and the tests
    read them back from the executed notebook (``rnn_build.notebook_files.read_records``).
    """
    from IPython.display import display

    results = {name: _plain(value, digits) for name, value in results.items()}
    text = "\n".join(f"recorded {name} = {value}" for name, value in results.items())
    display({MIME_TYPE: results, "text/plain": text}, raw=True)
