"""The exercise registry and the helpers the lesson checkers share.

A checker takes the student's answer and returns (right?, explanation) in two
moves. First it puts the answer in a normal form (``number``, ``whole_number``,
``whole_numbers``, ``numbers``, ``choice``, or ``CodeAnswer`` for a function);
these raise ``Refused`` when the answer is not of the form the question asks
for, and ``verdict`` turns that into a "not yet" with the reason. Then it
judges the normal form with ``judge``: the right value, then an ordered table
of known wrong values (or tests), each with what it shows, then a general hint.

Every message a student reads goes through ``_`` with named placeholders
(``_("... {name} ...").format(name=...)``), never an f-string, so that Babel
can extract it and gettext translate it. The options of a ``choice`` are
extracted too (context "choice"): a Chinese lesson accepts their translation.
"""

from __future__ import annotations

import math
import traceback
from collections.abc import Callable, Iterable
from decimal import Decimal

import numpy as np

from rnn_helpers.i18n import _, pgettext, sentences  # the message in the reader's language (gettext; see rnn_helpers.i18n)

Checker = Callable[[object], tuple[bool, str]]
EXERCISES: dict[str, Checker] = {}

# One row of a judge's table: a known wrong value (or a test of the answer) and what it shows.
Row = tuple[object, str]


def exercise(exercise_id: str):
    """Register a checker under ``exercise_id`` ("LL.N"). Its worked solution is data, outside the package (see ``worked``)."""
    def register(checker: Checker) -> Checker:
        EXERCISES[exercise_id] = checker
        return checker
    return register


class Refused(Exception):
    """The answer cannot be judged as it is given (not the form asked for, or a function that failed): the message says what to fix."""


def known(exercise_id: str) -> None:
    """Raise KeyError, naming the known ids, unless ``exercise_id`` is registered."""
    if exercise_id not in EXERCISES:
        raise KeyError(_("no exercise {exercise_id!r}; known: {known}").format(exercise_id=exercise_id, known=", ".join(sorted(EXERCISES))))


def verdict(exercise_id: str, answer) -> tuple[bool, str]:
    """(right?, explanation) for ``answer`` to exercise ``exercise_id``."""
    known(exercise_id)
    if answer is None:
        return False, _("not answered yet. Replace None with your answer and run the cell again.")
    try:
        ok, why = EXERCISES[exercise_id](answer)
    except Refused as refused:
        ok, why = False, str(refused)
    return ok, _("correct. {why}").format(why=why) if ok else _("not yet. {why}").format(why=why)


def is_correct(exercise_id: str, answer) -> bool:
    """True when ``answer`` to exercise ``exercise_id`` is right."""
    return verdict(exercise_id, answer)[0]


def check(exercise_id: str, answer) -> None:
    """Print whether ``answer`` to exercise ``exercise_id`` is right, and why."""
    print(_("Exercise {exercise_id}: {verdict}").format(exercise_id=exercise_id, verdict=verdict(exercise_id, answer)[1]))


# Judging a normalised answer.

def _equal(answer, value) -> bool:
    return answer == value


def judge(answer, right, explanation: str, wrong: Iterable[Row] = (), otherwise: str = "",
          same: Callable[[object, object], bool] = _equal) -> tuple[bool, str]:
    """(right?, why) for an ``answer`` already in normal form.

    ``answer`` is compared with ``right`` (``explanation`` says why it is
    right), then with each row of ``wrong`` in order: a row is a wrong value,
    compared with ``same`` as well, or a callable asked about the answer
    itself; the first row that fits gives its diagnosis. ``otherwise`` is the
    hint for a wrong answer no row explains.
    """
    if same(answer, right):
        return True, explanation
    for mistake, diagnosis in wrong:
        if mistake(answer) if callable(mistake) else same(answer, mistake):
            return False, diagnosis
    return False, otherwise


def judge_each(cases: Iterable, judge_case: Callable[[object], tuple[bool, str]], explanation: str) -> tuple[bool, str]:
    """(True, ``explanation``) when ``judge_case`` accepts every case; else the verdict of the first case it does not."""
    for case in cases:
        ok, why = judge_case(case)
        if not ok:
            return False, why
    return True, explanation


def close(answer, value, rel_tol: float = 1e-9) -> bool:
    """``math.isclose`` for the answers of number exercises: both are plain numbers by then."""
    return math.isclose(answer, value, rel_tol=rel_tol)


def coarse_rounding(exact: float) -> Row:
    """A row for an answer that is ``exact`` rounded to too few significant digits to be told from the wrong answers nearby."""
    def too_coarse(answer) -> bool:
        digits = len(Decimal(repr(float(answer))).normalize().as_tuple().digits)
        return answer != 0 and digits < 2 and close(answer, float(f"{exact:.{digits}g}"))
    return too_coarse, _("That is the right value rounded to one significant digit, too coarse to tell it from the wrong answers "
                         "near it: give at least two significant digits, e.g. {example}.").format(example=f"{exact:.2g}")


# Putting answers in normal form. Each raises Refused with what to give instead.

def shorten(value, limit: int = 60) -> str:
    """``repr(value)``, cut to ``limit`` characters for a message."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."


def _given_instead(form: str, answer) -> Refused:
    return Refused(_("{form}, not {type} {value}.").format(form=form, type=type(answer).__name__, value=shorten(answer)))


def number(answer, kind: str = "") -> int | float:
    """``answer`` as a Python int or float: ints, floats, NumPy scalars and 0-d arrays of them (not bool, text or lists)."""
    plain = answer.item() if isinstance(answer, (np.ndarray, np.generic)) and np.ndim(answer) == 0 else answer
    if isinstance(plain, bool) or not isinstance(plain, (int, float)):
        raise _given_instead(_("Give {kind}").format(kind=kind or _("a number")), answer)
    if not math.isfinite(plain):
        raise Refused(_("{value} is not a number the question can have as its answer: give a finite number.").format(value=plain))
    return plain


def not_whole(value, what: str) -> str:
    """The message for ``value``, a number that should be whole (``what`` names the kind of number, in the plural)."""
    return _("{value} is not a whole number, and {what} are whole numbers: give a whole number (20.0 counts as 20, but 20.9 is "
             "not cut down to 20).").format(value=value, what=what)


def whole_number(answer, what: str) -> int:
    """``answer`` as an int, refused (not truncated) if it is not exactly whole.

    NumPy integers and floats that are exactly whole (20.0, what 640 / 32
    gives in Python) are the same number and are accepted: the checkers judge
    the answer, not its type. A fraction is refused, since int(20.9) == 20
    would turn a wrong answer into the right one.
    """
    value = number(answer, _("a whole number"))
    if not float(value).is_integer():
        raise Refused(not_whole(value, what))
    return int(value)


_SEQUENCES = (tuple, list, range, np.ndarray)


def whole_numbers(answer, form: str, what: str, ordered: bool = True) -> tuple[int, ...]:
    """``answer`` as a tuple of ints: a tuple, list, range or 1-D array of whole numbers (also a set, where ``ordered`` is False).

    ``form`` says what to give ("Give the shape as a tuple such as (1, 2, 3)"),
    ``what`` the kind of number, in the plural ("sizes"). Elements are refused
    as ``whole_number`` refuses them.
    """
    if ordered and isinstance(answer, (set, frozenset)):
        raise Refused(_("A set has no order, and here the order matters. {form}.").format(form=form))
    containers = _SEQUENCES if ordered else (*_SEQUENCES, set, frozenset)
    if not isinstance(answer, containers) or isinstance(answer, np.ndarray) and answer.ndim != 1:
        raise _given_instead(form, answer)
    if any(value is None for value in answer):
        raise Refused(_("None in a shape is Keras's size not known yet (the batch, before data arrives); here every size is known: "
                        "give it as a number. {form}.").format(form=form))
    if any(number_or_not(value) is None for value in answer):  # text or a nested list inside: the form is wrong, not a number
        raise _given_instead(form, answer)
    return tuple(whole_number(value, what) for value in answer)


def number_or_not(value):
    """``value`` as a Python number if ``number`` accepts it, else None (for looking over a sequence before refusing it)."""
    try:
        return number(value)
    except Refused:
        return None


def numbers(answer, count: int, form: str) -> np.ndarray:
    """``answer`` as a 1-D float array of ``count`` numbers (a list, tuple or array)."""
    try:
        values = np.asarray(answer, dtype=np.float64)
    except (TypeError, ValueError):
        raise _given_instead(form, answer) from None
    if isinstance(answer, str) or values.shape != (count,):
        raise _given_instead(form, answer)
    return values


def _option_text(answer) -> str | None:
    """A typed option as ``choice`` compares it: spaces folded, quotes and a final full stop (English or Chinese) off, lower case."""
    if not isinstance(answer, str):
        return None
    return " ".join(answer.split()).rstrip(".。").strip("\"'“”‘’「」").rstrip(".。").strip().lower()


def typed_option(answer, options: Iterable[str]) -> str | None:
    """The option of ``options`` that ``answer`` names, typed as the English question writes it or as the reader's
    catalogue translates it (context "choice"); None when it names none. Case, spaces, quotes and a final full stop
    do not matter."""
    text = _option_text(answer)
    translated = {_option_text(pgettext("choice", option)): option for option in options}
    return text if text in translated.values() else translated.get(text)


def choice(answer, options: dict[str, str], right: str) -> tuple[bool, str]:
    """(right?, why) for a multiple-choice ``answer``; case, spaces, quotes and a final full stop do not matter.

    ``options`` maps each option, as the English question writes it, to what choosing it shows. The translation of an
    option in the reader's catalogue (context "choice": 过拟合 for "overfitting") is the same answer, so a Chinese
    lesson accepts the words its question shows, and the English ones too; a refusal lists the reader's words.
    """
    chosen = typed_option(answer, options)
    if chosen is None:
        shown = sorted(pgettext("choice", option) for option in options)
        raise Refused(_("Answer with one of {options}, not {value}.").format(options=shown, value=shorten(answer)))
    return chosen == right, options[chosen]


class CodeAnswer:
    """A student's function, run on the checker's own inputs.

    Each method gives the checker what it needs or raises ``Refused`` with a
    sentence the student can act on: ``call`` returns what the function
    returns (a raised error is reported with the line of the student's code
    that raised it), ``numbers`` turns that into a float array, ``run`` does
    both, ``one_number`` and ``parameter_count`` take a single number.
    ``matches`` compares with a tolerance that float32 and float64 code both meet.
    """

    def __init__(self, answer, name: str):
        if not callable(answer):
            raise Refused(_("Give the function itself (`answer = {name}`, no parentheses), not {type}.").format(
                name=name, type=type(answer).__name__))
        self.function, self.name = answer, name
        self.error_line = ""  # the line of the student's code that raised, if the error came from there

    def call(self, *args, context: str = ""):
        """What the function returns, as it is. ``context`` (how it was called) follows the error if it raises."""
        try:
            return self.function(*args)
        except Exception as error:  # the student's code: report what it raised, and where
            raised = _("{name} raised {kind}: {error}{where}.").format(name=self.name, kind=type(error).__name__, error=error,
                                                                       where=self._where(error))
            raise Refused(sentences(raised, context)) from None

    def _where(self, error: Exception) -> str:
        """Where in the student's own code ``error`` was raised, as " (in line N: `code`)", or "" if not there."""
        code = getattr(self.function, "__code__", None)
        frames = [frame for frame in traceback.extract_tb(error.__traceback__)
                  if code is not None and frame.filename == code.co_filename]
        if not frames:
            return ""
        self.error_line = frames[-1].line or ""
        if not self.error_line:
            return _(" (in line {number})").format(number=frames[-1].lineno)
        return _(" (in line {number}: `{line}`)").format(number=frames[-1].lineno, line=self.error_line)

    def numbers(self, result) -> np.ndarray:
        """``result`` as a float array; refused if it is None (no `return`) or not numbers."""
        if result is None:
            raise Refused(_("{name} returns nothing (None): is `return` missing? (A body that is still `...` returns None.)").format(
                name=self.name))
        try:
            return np.asarray(result, dtype=np.float64)
        except (TypeError, ValueError):
            raise Refused(_("{name} should return numbers, not {type} {value}.").format(
                name=self.name, type=type(result).__name__, value=shorten(result))) from None

    def run(self, *args, context: str = "") -> np.ndarray:
        """What the function returns for ``args``, as a float array."""
        return self.numbers(self.call(*args, context=context))

    def one_number(self, result: np.ndarray, hint: str = "") -> float:
        """``result`` as one finite float; NaN and inf are told apart from a missing `return` (they come from overflow or 0/0)."""
        if result.shape != ():
            raise Refused(sentences(_("{name} should return one number; it returned an array of shape {shape}.").format(
                name=self.name, shape=result.shape), hint))
        if not np.isfinite(result):
            raise Refused(_("{name} returned {value}: a float too large for its dtype overflows to inf (float16 stops at 65,504), "
                            "and inf / inf or 0 / 0 gives nan. Compute in a wide dtype: .sum(dtype=np.int64), or float64.").format(
                name=self.name, value=result))
        return float(result)

    def parameter_count(self, result: np.ndarray) -> int:
        """``result`` as a whole number of parameters."""
        value = self.one_number(result)
        if not value.is_integer():
            raise Refused(_("{name} returned {value}, which is not a whole number: a parameter count is whole. (Did a `/` divide "
                            "somewhere? Counts need only * and +.)").format(name=self.name, value=value))
        return int(value)

    @staticmethod
    def matches(result, expected) -> bool:
        expected = np.asarray(expected, dtype=np.float64)
        return (result is not None and result.shape == expected.shape
                and np.allclose(result, expected, rtol=1e-4, atol=1e-6))
