"""Measure the bands the lessons assert: each training lesson over seeds and numeric paths.

Not a test: it takes an hour or more. A lesson's claims about a trained model
are asserted against a band (NOTEBOOK_TESTING.md, "Determinism"); this script
is where those bands come from. It runs each lesson with its default
parameters except ``seed``, once per seed and per numeric path
(``TF_ENABLE_ONEDNN_OPTS`` 0 and 1: oneDNN changes the last bits of trained
weights the way another CPU does), keeps every executed notebook, and prints,
for each recorded number, its value per run and its range.

    .venv/bin/python benchmarks/bands.py --only 04 --seeds 0 1 2 3 4 --paths 0 1
    .venv/bin/python benchmarks/bands.py --report        # the table from runs already made

Executed notebooks go to ``build/bands/NN-seedS-pathP.ipynb``; a run that is
already there is not repeated (delete it to measure again).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
from pathlib import Path

import nbformat

from rnn_helpers import series
from rnn_helpers.data import PROJECT_ROOT

OUT_DIR = PROJECT_ROOT / "build" / "bands"
TRAINING_LESSONS = ["03", "04", "05", "06", "07", "08"]


def run_path(lesson: series.Lesson, seed: int, path: str) -> Path:
    """Execute ``lesson`` with ``seed`` on numeric path ``path``; return the executed notebook."""
    target = OUT_DIR / f"{lesson.number}-seed{seed}-path{path}.ipynb"
    if target.exists():
        return target
    os.environ[series.NUMERIC_PATH_VARIABLE] = path
    result = series.run_lesson(lesson, OUT_DIR / "running", {"seed": seed})
    if not result.ok:
        raise SystemExit(f"{lesson.name} seed {seed} path {path} failed: {result.error}")
    result.output.replace(target)
    print(f"{target.name}: {result.seconds:.0f} s", flush=True)
    return target


def flatten(records: dict, prefix: str = "") -> dict:
    """{"a": {"b": 1}} -> {"a.b": 1}; lists become a.0, a.1, ..."""
    flat = {}
    items = records.items() if isinstance(records, dict) else enumerate(records)
    for key, value in items:
        name = f"{prefix}{key}"
        if isinstance(value, (dict, list)):
            flat.update(flatten(value, name + "."))
        else:
            flat[name] = value
    return flat


def report(lessons: list[str]) -> None:
    """Print, per lesson and recorded number, the value of every run made so far and the range."""
    print(f"machine: {platform.processor() or platform.machine()}, python {platform.python_version()}")
    for number in lessons:
        runs = sorted(OUT_DIR.glob(f"{number}-seed*-path*.ipynb"))
        if not runs:
            continue
        columns = [r.stem.split("-", 1)[1] for r in runs]
        values = [flatten(series.read_records(nbformat.read(r, as_version=4))) for r in runs]
        print(f"\n## lesson {number}: {len(runs)} runs")
        print(f"{'record':40} {'min':>9} {'max':>9}  " + " ".join(f"{c:>12}" for c in columns))
        for name in values[0]:
            row = [v.get(name) for v in values]
            numbers = [x for x in row if isinstance(x, (int, float)) and not isinstance(x, bool)]
            low = f"{min(numbers):9.4g}" if numbers else f"{'':9}"
            high = f"{max(numbers):9.4g}" if numbers else f"{'':9}"
            print(f"{name:40} {low} {high}  " + " ".join(f"{str(x):>12}" for x in row))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", metavar="NN", help="lesson number; repeatable")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    parser.add_argument("--paths", nargs="+", default=["0", "1"], choices=["0", "1"],
                        help="values of TF_ENABLE_ONEDNN_OPTS")
    parser.add_argument("--report", action="store_true", help="only print the table of runs made")
    parser.add_argument("--notebooks", type=Path, default=series.NOTEBOOKS_DIR,
                        help="where the lessons are (a snapshot, while you edit notebooks/)")
    args = parser.parse_args(argv)
    only = args.only or TRAINING_LESSONS
    if not args.report:
        series.kernel_environment()
        OUT_DIR.mkdir(parents=True, exist_ok=True)
        for lesson in series.list_lessons(args.notebooks, only=only):
            for path in args.paths:
                for seed in args.seeds:
                    run_path(lesson, seed, path)
    report(only)
    return 0


if __name__ == "__main__":
    sys.exit(main())
