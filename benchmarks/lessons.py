"""Each lesson's run time and peak memory, against the series' targets.

Not a test: the machine is shared and noisy, so this prints figures for a
person to read. Run it with `make benchmark-lessons` or

    .venv/bin/python benchmarks/lessons.py [--only 08] [--only 07 ...]

Each lesson runs with its default parameters, as `make lessons` runs it, in a
process of its own, so that the peak memory reported is that lesson's: the
largest resident set size of any process the run started (the kernel, in
practice), from the operating system's accounting of finished child
processes. The targets printed beside the figures: every lesson's full run
in at most 6 minutes (lesson 08: 5), peak memory under 2 GB, and the whole
series in at most 15 minutes on a 2-core CPU.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

from rnn_build import kernel, lessons, pipeline, provenance

SERIES_MINUTES = 15
LESSON_MINUTES = {"08": 5}  # the others: 6
PEAK_MB = 2048


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
    print(f"{'lesson':32} {'status':6} {'seconds':>8} {'target':>7} {'peak MB':>8}")
    total, failed = 0.0, False
    for lesson in lessons.list_lessons(only=args.only):
        done = subprocess.run([sys.executable, __file__, "--one", lesson.number], capture_output=True, text=True)
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        total += figures["seconds"]
        failed |= not figures["ok"]
        target = 60 * LESSON_MINUTES.get(lesson.number, 6)
        status = "ok" if figures["ok"] else "FAILED"
        print(f"{figures['lesson']:32} {status:6} {figures['seconds']:8.0f} {target:7d} {figures['peak_mb']:8.0f}", flush=True)
    print(f"total {total / 60:.1f} minutes (target for the whole series: at most {SERIES_MINUTES}); "
          f"peak memory target: under {PEAK_MB} MB per lesson; load average {os.getloadavg()[0]:.2f} at the end")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
