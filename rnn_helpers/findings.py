"""Laws and findings: what a lesson asserts always, and what only of its default run.

A *law* holds for any valid parameters (a shape, a parameter count, a
gradient check): the lesson asserts it with a plain ``assert``.

A *finding* is what the lesson's default run showed after float32 training
("the best model passes 97%", "bottom-up is not ahead"). Its last digits
differ between CPUs, so it is asserted against a band measured over at least
five seeds and two numeric paths (``benchmarks/bands.py``), widened by a
margin, and only when the lesson runs with its default parameters. With any
other parameters the lesson prints the student's value beside the default
run's band instead of stopping.
"""

from __future__ import annotations

from dataclasses import dataclass


def _show(value) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)


@dataclass(frozen=True)
class Findings:
    """The findings of one lesson run; ``default_run`` says whether its parameters are the defaults."""

    default_run: bool

    def in_band(self, name: str, value: float, measured: tuple[float, float], margin: float = 0.0) -> None:
        """``value`` lies in the ``measured`` band (min, max over seeds and paths), give or take ``margin``.

        Asserted for the default run; for other parameters, printed beside the band.
        """
        low, high = measured
        if not self.default_run:
            print(f"{name}: your run {_show(value)}; the default run {_show(low)} to {_show(high)}")
            return
        assert low - margin <= value <= high + margin, (
            f"{name} = {_show(value)} is outside the band {_show(low)} to {_show(high)} (margin {_show(margin)}) "
            "measured for the default run over seeds and numeric paths: the lesson's claim no longer holds")

    def holds(self, claim: str, condition: bool, your_run: str = "") -> None:
        """A yes/no finding of the default run, e.g. "the 30-unit model beats the 10-unit one".

        Asserted for the default run; for other parameters, printed with ``your_run`` (what was measured).
        """
        if not self.default_run:
            verdict = "holds" if condition else "does not hold"
            detail = f" ({your_run})" if your_run else ""
            print(f"{claim}: {verdict} in your run{detail}; it holds in the default run")
            return
        assert condition, f"the default run should show that {claim}" + (f"; got {your_run}" if your_run else "")
