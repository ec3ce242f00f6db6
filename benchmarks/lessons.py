"""Each lesson's run time and peak memory, against the series' targets.

Not a test: the machine is shared and noisy, so this prints figures for a
person to read. Run it with `make benchmark-lessons` or

    .venv/bin/python benchmarks/lessons.py [--only 08] [--only 07 ...] [--repeats 3]

Each lesson runs with its default parameters, as `make lessons` runs it, in a
process of its own, so that the peak memory reported is that lesson's: the
largest resident set size of any process the run started (the kernel, in
practice), from the operating system's accounting of finished child
processes. The tutorial's own run (`benchmarks/tutorial_run.py`) is timed in
the same run, before the lessons and after them, so that each lesson's time
can be read as a ratio on any machine. The targets printed beside the figures:
every lesson in under 6 minutes on a 2-core CPU and at most 15 times the
tutorial's run, and under 1.5 GB of peak memory.

One run of a lesson is not a measurement to hold a target against here: on this
kind of machine the tutorial's own run moves by 20% within one benchmark, and a
lesson's peak memory by 100-200 MB between runs. So every lesson runs
``--repeats`` times (3 by default), in rounds (each lesson once, then the
tutorial's run again), and the targets are checked on the medians, printed
beside the fastest and slowest run and the smallest and largest peak.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rnn_build import kernel, lessons, pipeline, provenance
from rnn_helpers import data

LESSON_SECONDS = 6 * 60
TUTORIAL_RATIO = 15  # a lesson's time at most this many times the tutorial's run, timed in the same run
PEAK_MB = 1536
TUTORIAL_RUN = Path(__file__).with_name("tutorial_run.py")


def tutorial_seconds() -> float:
    """The wall time of the tutorial's whole run, in a process of its own (imports included, as for a lesson)."""
    start = time.perf_counter()
    subprocess.run([sys.executable, str(TUTORIAL_RUN), str(data.PROJECT_ROOT / "data" / "mnist.npz")], check=True,
                   capture_output=True)
    return time.perf_counter() - start


def run_one(number: str, out_dir: Path) -> dict:
    """Run one lesson in this process; its seconds, whether it passed, and the peak memory of what it started."""
    kernel.kernel_environment()
    lesson = lessons.list_lessons(only=[number])[0]
    result = pipeline.run_lesson(lesson, out_dir, {})
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # kilobytes on Linux
    return {"lesson": lesson.name, "ok": result.ok, "seconds": result.seconds, "peak_mb": peak_kb / 1024, "error": result.error}


def run_in_process(lesson: lessons.Lesson) -> dict:
    """Run one lesson in a fresh Python process of its own (see ``run_one``), so that its peak is its own."""
    done = subprocess.run([sys.executable, __file__, "--one", lesson.number], capture_output=True, text=True)
    if done.returncode != 0:  # the process itself died (killed for memory, say): a failed run, and the benchmark goes on
        how = f"killed by signal {-done.returncode}" if done.returncode < 0 else f"exit status {done.returncode}"
        last = done.stderr.strip().splitlines()[-1:] or [how]
        return {"lesson": lesson.name, "ok": False, "seconds": float("nan"), "peak_mb": float("nan"),
                "error": f"the benchmark's process stopped: {last[0]}"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def spread(values: list[float], unit: str) -> str:
    """'median unit (smallest-largest)', or just the value when there is one."""
    if len(values) == 1:
        return f"{values[0]:.0f} {unit}"
    return f"{statistics.median(values):.0f} {unit} ({min(values):.0f}-{max(values):.0f})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", metavar="NN", help="lesson number; repeatable (default: all)")
    parser.add_argument("--repeats", type=int, default=3, metavar="N",
                        help="runs of every lesson; the targets are checked on the medians (default: 3)")
    parser.add_argument("--one", metavar="NN", help=argparse.SUPPRESS)  # internal: run one lesson, print JSON
    args = parser.parse_args(argv)
    if args.one:
        with tempfile.TemporaryDirectory() as out:
            print(json.dumps(run_one(args.one, Path(out))))
        return 0
    if args.repeats < 1:
        parser.error(f"--repeats must be 1 or more, got {args.repeats}")

    print(provenance.machine_summary())
    kernel.kernel_environment()  # the tutorial's run on the lessons' numeric path and thread settings
    chosen = lessons.list_lessons(only=args.only)
    tutorial = [tutorial_seconds()]
    print(f"the tutorial's run: {tutorial[0]:.0f} s", flush=True)
    print(f"{'round':>5} {'lesson':32} {'status':6} {'seconds':>8} {'peak MB':>8}")
    measured = {lesson.name: [] for lesson in chosen}
    failed = False
    for round_number in range(1, args.repeats + 1):
        for lesson in chosen:
            figures = run_in_process(lesson)
            failed |= not figures["ok"]
            measured[lesson.name].append(figures)
            status = "ok" if figures["ok"] else "FAILED"
            print(f"{round_number:5} {figures['lesson']:32} {status:6} {figures['seconds']:8.0f} {figures['peak_mb']:8.0f}",
                  flush=True)
            if not figures["ok"]:
                print(f"      {figures['error']}", flush=True)
        tutorial.append(tutorial_seconds())
        print(f"the tutorial's run: {tutorial[-1]:.0f} s", flush=True)
    tutorial_median = statistics.median(tutorial)
    print(f"\nthe tutorial's run, {len(tutorial)} times: {spread(tutorial, 's')}; "
          f"load average {os.getloadavg()[0]:.2f} at the end")
    print(f"targets per lesson: under {LESSON_SECONDS} s, at most {TUTORIAL_RATIO}x the tutorial's run "
          f"({TUTORIAL_RATIO * tutorial_median:.0f} s here), under {PEAK_MB} MB; "
          + ("checked on one run" if args.repeats == 1 else f"checked on the medians of the passing runs of {args.repeats}"))
    print(f"{'lesson':32} {'seconds':>18} {'x tutorial':>10} {'peak MB':>20}  verdict")
    for name, figures in measured.items():
        passed = [f for f in figures if f["ok"]]  # a run that stopped early says nothing about the lesson's time
        if not passed:
            print(f"{name:32} {'':>18} {'':>10} {'':>20}  misses: every run failed")
            continue
        seconds = [f["seconds"] for f in passed]
        peaks = [f["peak_mb"] for f in passed]
        median_seconds, median_peak = statistics.median(seconds), statistics.median(peaks)
        ratio = median_seconds / tutorial_median
        missed = [what for what, hit in (
            (f"{median_seconds:.0f} s", median_seconds < LESSON_SECONDS),
            (f"{ratio:.1f}x the tutorial", ratio <= TUTORIAL_RATIO),
            (f"{median_peak:.0f} MB", median_peak < PEAK_MB)) if not hit]
        if len(passed) < len(figures):
            missed.insert(0, f"{len(figures) - len(passed)} of {len(figures)} runs failed")
        verdict = f"misses: {', '.join(missed)}" if missed else "meets every target"
        print(f"{name:32} {spread(seconds, 's'):>18} {ratio:10.1f} {spread(peaks, 'MB'):>20}  {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
