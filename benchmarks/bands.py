"""Measure the bands the lessons check their findings against: each training lesson over seeds and numeric paths.

Not a test: it takes an hour or more for every lesson. A lesson's claims about a trained model are checked against a
band (``rnn_helpers/findings.py``): the last digits of float32 training differ between CPUs, so a claim is asserted
only within what the default run measured over seeds and the two numeric paths (``TF_ENABLE_ONEDNN_OPTS`` 0 and 1:
turning oneDNN on or off changes the last bits of trained weights the way another CPU does). This script runs each lesson with its default
parameters except ``seed``, once per seed and path, keeps every executed notebook, and prints each recorded number per
run with its range. With ``--write`` it rewrites the low, high and runs fields of those lessons' bands in
``rnn_helpers/bands.toml`` from the values the lessons' ``findings.in_band`` recorded (a band's description and margin
are chosen by hand and kept).

    .venv/bin/python benchmarks/bands.py --only 04 --seeds 0 3 --paths 0 1 --write
    .venv/bin/python benchmarks/bands.py --report        # the table from runs already made

Executed notebooks go to ``build/bands/NN-seedS-pathP.ipynb``; a run that is already there is not repeated (delete it
to measure again, which you must after changing the lesson).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
from pathlib import Path

import nbformat

from rnn_build import kernel, lessons, notebook_files, pipeline
from rnn_helpers import findings
from rnn_helpers.data import PROJECT_ROOT

OUT_DIR = PROJECT_ROOT / "build" / "bands"
TRAINING_LESSONS = ["03", "04", "05", "06", "07", "08"]
HEADER = """\
# The bands the lessons' findings are checked against: what the default run of each lesson measured, over seeds
# and the two numeric paths (TF_ENABLE_ONEDNN_OPTS 0 and 1), as `make bands` (benchmarks/bands.py) found them.
#
# `make bands` rewrites low, high and runs from the executed lessons; description and margin are chosen by hand and
# kept. A lesson checks `findings.in_band("key", value)`: for its default run, low - margin <= value <= high + margin.
# No lesson types a band: a test fails if one does.
"""


def run_path(lesson: lessons.Lesson, seed: int, path: str) -> Path:
    """Execute ``lesson`` with ``seed`` on numeric path ``path``; return the executed notebook."""
    target = OUT_DIR / f"{lesson.number}-seed{seed}-path{path}.ipynb"
    if target.exists():
        return target
    os.environ[kernel.NUMERIC_PATH_VARIABLE] = path
    result = pipeline.run_lesson(lesson, OUT_DIR / "running", {"seed": seed})
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


def runs_of(number: str) -> list[Path]:
    return sorted(OUT_DIR.glob(f"{number}-seed*-path*.ipynb"))


def report(numbers: list[str]) -> None:
    """Print, per lesson and recorded number, the value of every run made so far and the range."""
    for number in numbers:
        made = runs_of(number)
        if not made:
            continue
        columns = [r.stem.split("-", 1)[1] for r in made]
        values = [flatten(notebook_files.read_records(nbformat.read(r, as_version=4))) for r in made]
        print(f"\n## lesson {number}: {len(made)} runs")
        print(f"{'record':40} {'min':>9} {'max':>9}  " + " ".join(f"{c:>12}" for c in columns))
        for name in values[0]:
            row = [v.get(name) for v in values]
            numbers_only = [x for x in row if isinstance(x, (int, float)) and not isinstance(x, bool)]
            low = f"{min(numbers_only):9.4g}" if numbers_only else f"{'':9}"
            high = f"{max(numbers_only):9.4g}" if numbers_only else f"{'':9}"
            print(f"{name:40} {low} {high}  " + " ".join(f"{str(x):>12}" for x in row))


def measured_bands(number: str) -> tuple[dict[str, tuple[float, float]], str]:
    """Each band key's lowest and highest value over the runs made of lesson ``number``, and what those runs were."""
    made = runs_of(number)
    values: dict[str, list[float]] = {}
    for run in made:
        for key, value in notebook_files.read_records(nbformat.read(run, as_version=4)).get("bands", {}).items():
            values.setdefault(key, []).extend(value if isinstance(value, list) else [value])
    seeds = sorted({int(r.stem.split("-")[1][4:]) for r in made})
    paths = sorted({r.stem.split("-")[2][4:] for r in made})
    runs = (f"seeds {', '.join(map(str, seeds))}, numeric paths {' and '.join(paths)} "
            f"(make bands, {datetime.date.today().isoformat()})")
    return {key: (min(v), max(v)) for key, v in values.items()}, runs


def _number(value: float) -> str:
    return f"{value:.6g}"


def write_bands(numbers: list[str], path: Path = findings.BANDS_FILE) -> None:
    """Rewrite ``low``, ``high`` and ``runs`` of the bands of lessons ``numbers`` from their runs; keep the rest."""
    table = findings.bands(path)
    for number in numbers:
        measured, runs = measured_bands(number)
        missing = sorted(set(table.get(number, {})) - set(measured))
        if missing:
            raise SystemExit(f"lesson {number}'s runs recorded no value for the bands {missing}: re-run it (delete its "
                             "notebooks in build/bands/) or remove those bands")
        for key, (low, high) in measured.items():
            if key not in table.get(number, {}):
                raise SystemExit(f"lesson {number} checks a band {key!r} that bands.toml lacks: add it with a description "
                                 "and a margin first")
            band = table[number][key]
            table[number][key] = findings.Band(band.description, low, high, band.margin, runs)
    lines = [HEADER]
    for number, keys in table.items():
        for key, band in keys.items():
            lines += [f"[{number}.{key}]", f"description = {json.dumps(band.description, ensure_ascii=False)}",
                      f"low = {_number(band.low)}", f"high = {_number(band.high)}", f"margin = {_number(band.margin)}",
                      f"runs = {json.dumps(band.runs, ensure_ascii=False)}", ""]
    staged = path.with_suffix(".tmp")
    staged.write_text("\n".join(lines), encoding="utf-8")
    os.replace(staged, path)
    findings.bands.cache_clear()
    print(f"wrote {path}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", metavar="NN", help="lesson number; repeatable")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    parser.add_argument("--paths", nargs="+", default=["0", "1"], choices=["0", "1"],
                        help="values of TF_ENABLE_ONEDNN_OPTS")
    parser.add_argument("--report", action="store_true", help="only print the table of runs made")
    parser.add_argument("--write", action="store_true", help="rewrite these lessons' bands in rnn_helpers/bands.toml")
    parser.add_argument("--notebooks", type=Path, default=notebook_files.NOTEBOOKS_DIR,
                        help="where the lessons are (a snapshot, while you edit notebooks/)")
    args = parser.parse_args(argv)
    only = args.only or TRAINING_LESSONS
    if not args.report:
        kernel.kernel_environment()
        OUT_DIR.mkdir(parents=True, exist_ok=True)
        for lesson in lessons.list_lessons(args.notebooks, only=only):
            for path in args.paths:
                for seed in args.seeds:
                    run_path(lesson, seed, path)
    report(only)
    if args.write:
        write_bands(only)
    return 0


if __name__ == "__main__":
    sys.exit(main())
