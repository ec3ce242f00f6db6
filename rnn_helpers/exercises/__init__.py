"""Checkers for the lessons' exercises: each says what a wrong answer got wrong.

In a notebook: ``exercises.check("01.1", answer)``. It prints a verdict and an
explanation; ``is_correct`` gives the verdict alone, for code, and
``solution("03.4")`` prints a worked solution, kept out of the lesson's way.
Code exercises take the student's function as the answer and run it on
inputs of the checker's own. One module per lesson holds its checkers.
"""

from rnn_helpers.exercises import lesson01, lesson02, lesson03, lesson04, lesson05, lesson06, lesson07, lesson08  # noqa: F401  (they register)
from rnn_helpers.exercises.core import EXERCISES, check, is_correct, solution, verdict

__all__ = ["EXERCISES", "check", "is_correct", "solution", "verdict"]
