"""The exercise registry and the helpers the lesson checkers share."""

from __future__ import annotations

import traceback
from collections.abc import Callable

import numpy as np

Checker = Callable[[object], tuple[bool, str]]
EXERCISES: dict[str, Checker] = {}
SOLUTIONS: dict[str, str] = {}


def exercise(exercise_id: str, solution: str = ""):
    """Register a checker under ``exercise_id`` ("LL.N"), with a worked solution for teachers."""
    def register(checker: Checker) -> Checker:
        EXERCISES[exercise_id] = checker
        if solution:
            SOLUTIONS[exercise_id] = solution.strip("\n")
        return checker
    return register


def _known(exercise_id: str) -> None:
    if exercise_id not in EXERCISES:
        raise KeyError(f"no exercise {exercise_id!r}; known: {', '.join(sorted(EXERCISES))}")


def verdict(exercise_id: str, answer) -> tuple[bool, str]:
    """(right?, explanation) for ``answer`` to exercise ``exercise_id``."""
    _known(exercise_id)
    if answer is None:
        return False, "not answered yet. Replace None with your answer and run the cell again."
    ok, why = EXERCISES[exercise_id](answer)
    return ok, f"{'correct' if ok else 'not yet'}. {why}"


def is_correct(exercise_id: str, answer) -> bool:
    """True when ``answer`` to exercise ``exercise_id`` is right."""
    return verdict(exercise_id, answer)[0]


def check(exercise_id: str, answer) -> None:
    """Print whether ``answer`` to exercise ``exercise_id`` is right, and why."""
    print(f"Exercise {exercise_id}: {verdict(exercise_id, answer)[1]}")


def solution(exercise_id: str) -> None:
    """Print the worked solution of ``exercise_id`` (for teachers, or after trying)."""
    _known(exercise_id)
    print(SOLUTIONS.get(exercise_id, "No worked solution: the checker's explanation of the right answer is the solution."))


def _is_number(answer) -> bool:
    return isinstance(answer, (int, float, np.integer, np.floating)) and not isinstance(answer, bool)


def _as_tuple(answer) -> tuple[int, ...] | None:
    """``answer`` as a tuple of ints (a shape or an axes order), or None if it is not one."""
    try:
        return tuple(int(n) for n in answer)
    except (TypeError, ValueError):
        return None


def _number_or_explain(answer, expected_kind: str = "a whole number"):
    if not _is_number(answer):
        return f"Give {expected_kind}, not {type(answer).__name__} {answer!r}."
    return None


def _choice(answer, options: dict[str, str], right: str):
    text = str(answer).strip().lower()
    if text not in options:
        return False, f"Answer with one of {sorted(options)}, not {answer!r}."
    return text == right, options[text]


def _as_numbers(answer) -> np.ndarray | None:
    """``answer`` as a 1-D float array, or None if it is not a sequence of numbers."""
    try:
        numbers = np.asarray(answer, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    return numbers if numbers.ndim == 1 else None


def _shorten(value, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."


class CodeAnswer:
    """Runs a student's function on the checker's own inputs and compares it with candidate results.

    ``run(*args)`` calls the function and keeps the first error it raises, as a
    sentence the student can act on that names the line of their code that
    raised it; ``call(*args)`` does the same but returns the result as it is,
    for checkers that look at more than numbers. ``matches(result, expected)``
    compares with a tolerance that float32 and float64 code both meet.
    """

    def __init__(self, answer, name: str):
        self.function, self.name, self.error = answer, name, ""
        self.error_line = ""  # the line of the student's code that raised, if the error came from there

    def callable_or_explain(self):
        if callable(self.function):
            return None
        return f"Give the function itself (`answer = {self.name}`, no parentheses), not {type(self.function).__name__}."

    def call(self, *args):
        """What the function returns, as it is; None, with ``error`` set, if it raised."""
        try:
            return self.function(*args)
        except Exception as error:  # the student's code: report what it raised, and where
            self.error = f"{self.name} raised {type(error).__name__}: {error}{self._where(error)}"
            return None

    def _where(self, error: Exception) -> str:
        """Where in the student's own code ``error`` was raised, as " (in line N: `code`)", or "" if not there."""
        code = getattr(self.function, "__code__", None)
        frames = [frame for frame in traceback.extract_tb(error.__traceback__)
                  if code is not None and frame.filename == code.co_filename]
        if not frames:
            return ""
        self.error_line = frames[-1].line or ""
        return f" (in line {frames[-1].lineno}: `{self.error_line}`)" if self.error_line else f" (in line {frames[-1].lineno})"

    def run(self, *args):
        """What the function returns as a float array; None, with ``error`` set, if it raised or returned no numbers."""
        result = self.call(*args)
        if self.error:
            return None
        try:
            return np.asarray(result, dtype=np.float64)
        except (TypeError, ValueError):
            self.error = f"{self.name} should return numbers, not {type(result).__name__} {_shorten(result)}"
            return None

    @staticmethod
    def one_number_or_explain(result, name: str):
        """None if ``result`` is one finite number, else what to fix."""
        if result.shape != ():
            return f"{name} should return one number; it returned an array of shape {result.shape}."
        if not np.isfinite(result):
            return f"{name} returned {result}: does it `return` the count? (A body that is still `...` returns nothing.)"
        return None

    @staticmethod
    def matches(result, expected) -> bool:
        expected = np.asarray(expected, dtype=np.float64)
        return (result is not None and result.shape == expected.shape
                and np.allclose(result, expected, rtol=1e-4, atol=1e-6))
