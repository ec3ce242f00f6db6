"""What the classroom edition's test cells call in the kernel that grades a submission: the lesson's own checker, kept
from writing to stderr (``grade``), and, in a hidden test, whether a code exercise's answer is the student's own
function, not the package's reference implementation handed in under another name (``handed_over``).

nbgrader scores a test cell 0 when it writes anything to stderr, not only when it raises. A checker runs the student's
function, and a warning it raises (an overflow in NumPy, a deprecation) would cost a right answer its points: ``grade``
runs the checker with warnings off and stderr caught.

The package a student imports holds complete answers to some code exercises: ``rnn_helpers.numpy_rnn.backward_step``
passes exercise 05.5's checker on its own. In self-study that costs nothing; in a graded edition ``answer =
numpy_rnn.backward_step`` would earn the points. The build (rnn_build.classroom) asks ``reference_answers`` which of the
package's functions pass an exercise's checker on their own, and writes a hidden test that calls ``handed_over`` with
them: the answer must not be one of them, nor a function that calls one (directly, through a module, an alias, a
functools.partial, or another function of the student's that does). A function that builds on a package function that
is not an answer by itself is the student's work and passes (03.5 through ``numpy_rnn.forward`` on the rows reversed:
the reversal is what the exercise asks for).

This module runs in a student's kernel (the visible test cells) and in the one that grades a submission, so it imports
only the lessons' package and the standard library (no nbgrader, no build machinery).
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import inspect
import io
import sys
import types
import warnings

import numpy as np

from rnn_helpers.exercises import verdict

# The package's modules whose functions compute what a code exercise asks for (the NumPy reference of the forward and
# backward pass, the parameter formulas, the writing lesson's helpers). Functions that build or compile a Keras model
# are left out: they answer no exercise, and calling them would load TensorFlow into the build.
REFERENCE_MODULES = ("rnn_helpers.numpy_rnn", "rnn_helpers.model", "rnn_helpers.writing")
NOT_TRIED = ("build", "compile")


def grade(exercise_id: str, answer) -> tuple[bool, str]:
    """(right?, the checker's explanation) for ``answer``, as ``exercises.verdict`` gives it, with nothing written to
    stderr (nbgrader would score the test cell 0 for it)."""
    with warnings.catch_warnings(), np.errstate(all="ignore"), contextlib.redirect_stderr(io.StringIO()):
        warnings.simplefilter("ignore")
        return verdict(exercise_id, answer)


def package_functions() -> dict[str, types.FunctionType]:
    """The public functions defined in ``REFERENCE_MODULES``, by dotted name."""
    found = {}
    for module_name in REFERENCE_MODULES:
        module = importlib.import_module(module_name)
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ == module_name and not name.startswith(("_", *NOT_TRIED)):
                found[f"{module_name}.{name}"] = function
    return found


def _takes(function, arguments: int) -> bool:
    """Whether ``function`` can be called with ``arguments`` positional arguments."""
    try:
        inspect.signature(function).bind(*range(arguments))
        return True
    except TypeError:
        return False


def reference_answers(exercise_id: str, arguments: int) -> list[str]:
    """The dotted names of the package's functions that exercise ``exercise_id``'s checker accepts as they are; only those
    that take the ``arguments`` of the exercise's function are tried (some checkers build a Keras model at each call)."""
    passing = []
    for name, function in package_functions().items():
        if not _takes(function, arguments):
            continue
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            if verdict(exercise_id, function)[0]:
                passing.append(name)
    return passing


def _resolve(name: str):
    """The function a dotted name from ``reference_answers`` names."""
    module_name, _, attribute = name.rpartition(".")
    return getattr(importlib.import_module(module_name), attribute)


def _code_objects(code: types.CodeType):
    """``code`` and every code object nested in it (inner functions, lambdas, comprehensions)."""
    yield code
    for constant in code.co_consts:
        if isinstance(constant, types.CodeType):
            yield from _code_objects(constant)


def _reaches(function, references: dict[int, str], seen: set[int]) -> str | None:
    """The name of the reference that ``function`` is or calls, looking through the functions it names; else None."""
    while isinstance(function, functools.partial) or inspect.ismethod(function):
        function = function.func if isinstance(function, functools.partial) else function.__func__
    if id(function) in references:
        return references[id(function)]
    code = getattr(function, "__code__", None)
    if code is None or id(function) in seen:
        return None
    seen.add(id(function))
    names = {name for inner in _code_objects(code) for name in inner.co_names}
    namespace = getattr(function, "__globals__", {})
    named = [namespace[name] for name in names if name in namespace]
    named += [cell.cell_contents for cell in function.__closure__ or () if _filled(cell)]
    named += [sys.modules[name] for name in names if name in sys.modules]  # `import a.b` inside the function
    modules = [value for value in named if isinstance(value, types.ModuleType)]
    named += [getattr(module, name) for module in modules for name in names if hasattr(module, name)]
    for value in named:
        if not isinstance(value, types.ModuleType) and callable(value):
            found = _reaches(value, references, seen)
            if found:
                return found
    return None


def _filled(cell) -> bool:
    try:
        cell.cell_contents  # noqa: B018  (an empty closure cell raises ValueError)
        return True
    except ValueError:
        return False


def handed_over(answer, reference_names: list[str]) -> str | None:
    """The dotted name of the reference function ``answer`` is, or calls (through any function it names); None when it
    is the student's own work."""
    references = {id(_resolve(name)): name for name in reference_names}
    return _reaches(answer, references, set()) if references else None
