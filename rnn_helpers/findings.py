"""Laws and findings: what a lesson asserts always, and what only of its default run.

A *law* holds for any valid parameters (a shape, a parameter count, a
gradient check): the lesson asserts it with a plain ``assert``.

A *finding* is what the lesson's default run showed after float32 training
("the best model passes 97%", "bottom-up is not ahead"). Its last digits
differ between CPUs, so it is checked against a band measured over seeds and
the two numeric paths, widened by a margin, and only when the lesson runs with
its default parameters. With any other parameters the lesson prints the
student's value beside the default run's band instead of stopping.

The bands live in ``bands.toml`` beside this module, written by ``make bands``
(``benchmarks/bands.py``), which reads back the values a lesson's ``Findings``
recorded (``record_measured``). No lesson types a band itself.

In a Chinese lesson the lines are Chinese: a band's description and runs, and a
claim, are texts of the gettext catalogue (contexts "band", "band runs" and
"claim"), extracted from bands.toml and from the lessons' ``findings.holds``.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from rnn_helpers.errors import LessonError
from rnn_helpers.i18n import N_, _, pgettext

BANDS_FILE = Path(__file__).with_name("bands.toml")
# One line of the closing note. A constant, so that the Chinese edition's build can read a note an English run printed
# and write it in Chinese (rnn_build.translate.chinese_note_lines).
NOTE_LINE = N_("- {description}: this run {value}; band {low} to {high} (± {margin}), measured over {runs}")


@dataclass(frozen=True)
class Band:
    """What the default run measured for one finding: ``low`` to ``high`` over ``runs``, checked with ``margin``."""

    description: str
    low: float
    high: float
    margin: float
    runs: str

    def holds_for(self, value: float) -> bool:
        return self.low - self.margin <= value <= self.high + self.margin


@cache
def bands(path: Path = BANDS_FILE) -> dict[str, dict[str, Band]]:
    """Every band in ``path``, by lesson number and key: ``bands()["04"]["best_test_accuracy"]``."""
    with open(path, "rb") as f:
        table = tomllib.load(f)
    return {lesson: {key: Band(**fields) for key, fields in keys.items()} for lesson, keys in table.items()}


def band(lesson: str, key: str) -> Band:
    """The band of finding ``key`` of lesson ``lesson``; LessonError naming the known keys if there is none."""
    known = bands().get(lesson, {})
    if key not in known:
        raise LessonError(_("lesson {lesson} has no band {key!r} in {file}; its bands are: {known}. Add it there (then `make "
                            "bands` measures it)").format(lesson=lesson, key=key, file=BANDS_FILE.name,
                                                           known=", ".join(known) or _("none")))
    return known[key]


def _show(value) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)


@dataclass
class Findings:
    """The findings of one run of lesson ``lesson``; ``default_run`` says whether its parameters are the defaults.

    ``measured`` keeps every value checked against a band, for the lesson's closing note and for ``make bands``.
    """

    lesson: str
    default_run: bool
    measured: dict[str, float] = field(default_factory=dict)

    def in_band(self, key: str, value) -> None:
        """``value`` (one number, or one per run) lies in the band ``key`` of this lesson, give or take its margin.

        Asserted for the default run; for other parameters, printed beside the band.
        """
        found = band(self.lesson, key)
        values = [float(v) for v in value] if isinstance(value, (list, tuple)) else [float(value)]
        self.measured[key] = values if isinstance(value, (list, tuple)) else values[0]
        shown = " / ".join(_show(v) for v in values)
        if not self.default_run:
            print(_("{description}: your run {value}; the default run {low} to {high}").format(
                description=pgettext("band", found.description), value=shown, low=_show(found.low), high=_show(found.high)))
            return
        assert all(math.isfinite(v) and found.holds_for(v) for v in values), _(
            "{description} = {value} is outside the band {low} to {high} (margin {margin}) measured for the default run over "
            "{runs}: the lesson's claim no longer holds").format(
            description=pgettext("band", found.description), value=shown, low=_show(found.low), high=_show(found.high),
            margin=_show(found.margin), runs=pgettext("band runs", found.runs))

    def holds(self, claim: str, condition: bool, your_run: str = "") -> None:
        """A yes/no finding of the default run, e.g. "the 30-unit model beats the 10-unit one".

        Asserted for the default run; for other parameters, printed with ``your_run`` (what was measured).
        """
        said = pgettext("claim", claim)
        if not self.default_run:
            detail = _(" ({your_run})").format(your_run=your_run) if your_run else ""
            line = (_("{claim}: holds in your run{detail}; it holds in the default run") if condition else
                    _("{claim}: does not hold in your run{detail}; it holds in the default run"))
            print(line.format(claim=said, detail=detail))
            return
        assert condition, (_("the default run should show that {claim}; got {your_run}") if your_run else
                           _("the default run should show that {claim}")).format(claim=said, your_run=your_run)

    def note(self) -> str:
        """The bands this run was checked against, one line each: this run's value, the band, the margin, what was measured."""
        lines = []
        for key, value in self.measured.items():
            found = band(self.lesson, key)
            shown = " / ".join(_show(v) for v in value) if isinstance(value, list) else _show(value)
            lines.append(_(NOTE_LINE).format(
                description=pgettext("band", found.description), value=shown, low=_show(found.low), high=_show(found.high),
                margin=_show(found.margin), runs=pgettext("band runs", found.runs)))
        return "\n".join(lines)
