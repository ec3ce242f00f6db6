"""Checkers for the lessons' exercises: each says what a wrong answer got wrong.

In a notebook: ``exercises.check("01.1", answer)``. It prints a verdict and an
explanation; ``is_correct`` gives the verdict alone, for code. Code exercises
take the student's function as the answer and run it on inputs of the
checker's own. One module per lesson holds its checkers.

Worked solutions are not in this package: they are data in the repository's
``solutions/`` folder (or wherever ``RNN_LESSONS_SOLUTIONS`` points), so that
a classroom edition can leave them with the teacher. ``solution("03.4")``
prints one where the folder is at hand and says where they are otherwise;
``worked_solution`` gives one as data, ``solutions_dir`` the folder.
"""

from rnn_helpers.exercises import lesson01, lesson02, lesson03, lesson04, lesson05, lesson06, lesson07, lesson08  # noqa: F401  (they register)
from rnn_helpers.exercises.core import EXERCISES, check, is_correct, verdict
from rnn_helpers.exercises.worked import WorkedSolution, solution, solutions_dir, worked_solution

__all__ = ["EXERCISES", "WorkedSolution", "check", "is_correct", "solution", "solutions_dir", "verdict", "worked_solution"]
