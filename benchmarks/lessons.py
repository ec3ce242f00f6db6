"""Each lesson's run time and peak memory, against the series' targets.

Not a test: the machine is shared and noisy, so this prints figures for a
person to read. Run it with `make benchmark-lessons` or

    .venv/bin/python benchmarks/lessons.py [--only 08] [--only 07 ...]

Each lesson runs with its default parameters, as `make lessons` runs it, in a
process of its own, so that the peak memory reported is that lesson's: the
largest resident set size of any process the run started (the kernel, in
practice), from the operating system's accounting of finished child
processes. The tutorial's own run (`benchmarks/tutorial_run.py`) is timed in
the same run, before the lessons and after them, so that each lesson's time
can be read as a ratio on any machine. The targets printed beside the figures:
every lesson in under 6 minutes on a 2-core CPU and at most 15 times the
tutorial's run, and under 1.5 GB of peak memory.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", metavar="NN", help="lesson number; repeatable (default: all)")
    parser.add_argument("--one", metavar="NN", help=argparse.SUPPRESS)  # internal: run one lesson, print JSON
    args = parser.parse_args(argv)
    if args.one:
        with tempfile.TemporaryDirectory() as out:
            print(json.dumps(run_one(args.one, Path(out))))
        return 0

    print(provenance.machine_summary())
    kernel.kernel_environment()  # the tutorial's run on the lessons' numeric path and thread settings
    before = tutorial_seconds()
    print(f"the tutorial's run: {before:.0f} s", flush=True)
    print(f"{'lesson':32} {'status':6} {'seconds':>8} {'x tutorial':>10} {'peak MB':>8}")
    rows, failed = [], False
    for lesson in lessons.list_lessons(only=args.only):
        done = subprocess.run([sys.executable, __file__, "--one", lesson.number], capture_output=True, text=True)
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        failed |= not figures["ok"]
        rows.append(figures)
        status = "ok" if figures["ok"] else "FAILED"
        print(f"{figures['lesson']:32} {status:6} {figures['seconds']:8.0f} {figures['seconds'] / before:10.1f} "
              f"{figures['peak_mb']:8.0f}", flush=True)
    after = tutorial_seconds()
    tutorial = (before + after) / 2
    print(f"the tutorial's run: {after:.0f} s after the lessons, {tutorial:.0f} s on average; "
          f"load average {os.getloadavg()[0]:.2f} at the end")
    print(f"targets per lesson: under {LESSON_SECONDS} s, at most {TUTORIAL_RATIO}x the tutorial's run "
          f"({TUTORIAL_RATIO * tutorial:.0f} s here), under {PEAK_MB} MB")
    for figures in rows:
        missed = [what for what, hit in (
            (f"{figures['seconds']:.0f} s", figures["seconds"] < LESSON_SECONDS),
            (f"{figures['seconds'] / tutorial:.1f}x the tutorial", figures["seconds"] <= TUTORIAL_RATIO * tutorial),
            (f"{figures['peak_mb']:.0f} MB", figures["peak_mb"] < PEAK_MB)) if not hit]
        print(f"  {figures['lesson']}: " + (f"misses: {', '.join(missed)}" if missed else "meets every target"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
