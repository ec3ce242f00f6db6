"""What a class costs one machine: N students on the hub running lessons at once.

Not a test: it prints figures for a person to read (and for the sizing rule in docs/classroom-hub.md). As root,
after `make hub-setup`:

    .venv/bin/python benchmarks/classroom.py                      # N = 1, 2, 4, 8 on lessons 01-03; 05 at N = 1, 2, 4
    .venv/bin/python benchmarks/classroom.py --students 1 2 --training-students 1 2
    .venv/bin/python benchmarks/classroom.py --fast --students 1 --training-students   # a smoke run

It starts the class's hub (classroom/jupyterhub_config.py, from .venv-hub) on 127.0.0.1 with a teacher and the
largest N of students, system users it creates and removes at the end. For each N, the first N students log in,
start their servers, and all at once run lessons 01, 02 and 03 one after the other, each in a fresh kernel, as a
class does with *Run All*; then, for the training rounds, all at once one training lesson (05 by default: the
shortest that trains, 2 minutes alone). The lessons are the self-study notebooks with their default parameters
(``--fast``: the lessons' fast parameters), copied into each student's home through their server.

Per N it prints, for each lesson: the wall time (mean and slowest over the students) and how many times the N = 1
time that is; the peak resident memory of a kernel (the kernel's own high-water mark, read just before it is shut
down); and for the whole round the peak of the largest student's Jupyter server (jupyterhub-singleuser, the same
way) and the peak memory of the machine, also above what it used just before the round (sampled every 0.5 s from
/proc/meminfo), so that other work on the machine is counted apart. A round in which a lesson fails is reported with
its error. ``--json FILE`` also writes every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat

from rnn_build import hub, lessons, provenance

GB = 1 << 30
MB = 1 << 20
BASE_LESSONS = ["01", "02", "03"]


def machine_used_bytes() -> int:
    """Memory in use on the whole machine: MemTotal - MemAvailable."""
    fields = {}
    for line in Path("/proc/meminfo").read_text().splitlines():
        name, value = line.split(":", 1)
        fields[name] = int(value.split()[0]) * 1024
    return fields["MemTotal"] - fields["MemAvailable"]


class MemorySampler:
    """The machine's peak memory in use while a round runs, sampled every ``every`` seconds in a thread."""

    def __init__(self, every: float = 0.5):
        self.every, self.peak, self._stop = every, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, machine_used_bytes())
            self._stop.wait(self.every)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def student_notebook(lesson: lessons.Lesson, fast: bool):
    """The self-study lesson as a student opens it: no stored outputs; with ``fast``, its fast parameters injected in a
    cell after the parameters cell (as papermill does)."""
    notebook = nbformat.read(lesson.path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    if fast:
        parameters = lessons.fast_parameters(lesson.path)
        at = next(i for i, cell in enumerate(notebook.cells) if "parameters" in cell.metadata.get("tags", []))
        source = "\n".join(f"{name} = {value!r}" for name, value in parameters.items())
        notebook.cells.insert(at + 1, nbformat.v4.new_code_cell(source, metadata={"tags": ["injected-parameters"]}))
    return notebook


def server_peak_bytes(user: str) -> int | None:
    """The peak resident memory of the user's Jupyter server (jupyterhub-singleuser) so far."""
    for pid in hub.user_processes(user):
        try:
            if b"jupyterhub-singleuser" in Path(f"/proc/{pid}/cmdline").read_bytes():
                return hub.peak_resident_bytes(pid)
        except OSError:
            continue
    return None


def run_round(sessions: list[hub.Session], chosen: list[lessons.Lesson], fast: bool) -> dict:
    """Every student runs ``chosen`` in order, all students at once; the figures of the round."""
    for session in sessions:
        for lesson in chosen:
            session.write_notebook(f"rnn-lessons/{lesson.name}.ipynb", student_notebook(lesson, fast))
    results = {session.name: [] for session in sessions}
    start = threading.Barrier(len(sessions))

    def student(session):
        start.wait()
        for lesson in chosen:
            try:
                run = session.run_notebook(f"rnn-lessons/{lesson.name}.ipynb", timeout=3600, measure_peak=True)
                results[session.name].append({"lesson": lesson.number, "seconds": run.seconds,
                                              "kernel_peak": run.peak_bytes, "errors": run.errors})
            except Exception as exc:  # a dead kernel (out of memory) is a figure too
                results[session.name].append({"lesson": lesson.number, "seconds": None, "kernel_peak": None,
                                              "errors": [f"{type(exc).__name__}: {exc}"]})

    idle = machine_used_bytes()
    started = time.monotonic()
    with MemorySampler() as sampler:
        threads = [threading.Thread(target=student, args=(session,)) for session in sessions]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    server_peaks = [peak for peak in (server_peak_bytes(session.name) for session in sessions) if peak]
    return {"students": len(sessions), "wall_seconds": time.monotonic() - started, "idle_bytes": idle,
            "machine_peak_bytes": sampler.peak, "machine_peak_above_idle_bytes": sampler.peak - idle,
            "server_peak_bytes": max(server_peaks, default=None), "runs": results}


def lesson_figures(round_: dict, number: str) -> dict:
    runs = [run for runs in round_["runs"].values() for run in runs if run["lesson"] == number]
    seconds = [run["seconds"] for run in runs if run["seconds"] is not None]
    peaks = [run["kernel_peak"] for run in runs if run["kernel_peak"]]
    return {"mean": statistics.mean(seconds) if seconds else None, "slowest": max(seconds, default=None),
            "kernel_peak": max(peaks, default=None), "errors": sorted({e for run in runs for e in run["errors"]})}


def print_table(title: str, rounds: list[dict], numbers: list[str]) -> None:
    if not rounds:
        return
    print(f"\n{title}")
    print(f"{'N':>3} {'lesson':>6} {'wall s mean':>11} {'slowest':>8} {'x N=1':>6} {'kernel peak MB':>15} "
          f"{'server peak MB':>15} {'machine peak GB':>16} {'above idle GB':>14}")
    alone = next((r for r in rounds if r["students"] == 1), None)
    first = {number: lesson_figures(alone, number)["mean"] for number in numbers} if alone else {}
    for round_ in rounds:
        for i, number in enumerate(numbers):
            f = lesson_figures(round_, number)
            ratio = f"{f['mean'] / first[number]:.2f}" if f["mean"] and first.get(number) else "-"
            machine = (f"{round_['machine_peak_bytes'] / GB:16.1f} {round_['machine_peak_above_idle_bytes'] / GB:14.1f}"
                       if i == 0 else f"{'':16} {'':14}")
            server = f"{round_['server_peak_bytes'] / MB:15.0f}" if i == 0 and round_["server_peak_bytes"] else f"{'':15}"
            mean = f"{f['mean']:11.1f}" if f["mean"] else f"{'failed':>11}"
            slowest = f"{f['slowest']:8.1f}" if f["slowest"] else f"{'-':>8}"
            peak = f"{f['kernel_peak'] / MB:15.0f}" if f["kernel_peak"] else f"{'-':>15}"
            print(f"{round_['students']:>3} {number:>6} {mean} {slowest} {ratio:>6} {peak} {server} {machine}")
            for error in f["errors"]:
                print(f"{'':11}error: {error[:150]}")
        print(f"{'':11}round: {round_['wall_seconds']:.0f} s for all {round_['students']} students")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, nargs="*", default=[1, 2, 4, 8], help="N for lessons 01-03")
    parser.add_argument("--training-students", type=int, nargs="*", default=[1, 2, 4], help="N for the training lesson")
    parser.add_argument("--training-lesson", default="05", help="the training lesson (default: %(default)s)")
    parser.add_argument("--fast", action="store_true", help="the lessons' fast parameters (a smoke run of this script)")
    parser.add_argument("--memory-limit", default="6G", help="each student's limit on the hub (default: %(default)s, "
                        "above what a student uses, so that it measures rather than limits)")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        print("error: the benchmark creates system users and runs the hub: run it as root", file=sys.stderr)
        return 2
    if not (hub.HUB_VENV / ".installed").exists():
        print("error: the class's environment is missing: make hub-setup", file=sys.stderr)
        return 2

    most = max([*args.students, *args.training_students, 1])
    tag = os.urandom(2).hex()
    teacher, group = f"bt{tag}", f"bg{tag}"
    students = [f"bs{i}{tag}" for i in range(1, most + 1)]
    passwords = {name: hub.new_password() for name in [teacher, *students]}
    folder = Path(tempfile.mkdtemp(prefix="classroom-benchmark-"))
    print(provenance.machine_summary())
    kernels = subprocess.run([str(hub.HUB_VENV / "bin" / "python"), "-c", "import sys, tensorflow; "
                              "print('Python', sys.version.split()[0] + ', TensorFlow', tensorflow.__version__)"],
                             capture_output=True, text=True).stdout.strip()
    print(f"the students' kernels: {hub.HUB_VENV.name}, {kernels}")
    print(f"lessons {' '.join(BASE_LESSONS)} at N = {args.students}; lesson {args.training_lesson} at N = "
          f"{args.training_students}; {'fast' if args.fast else 'default'} parameters; limit {args.memory_limit} a student")
    base = lessons.list_lessons(only=BASE_LESSONS)
    training = lessons.list_lessons(only=[args.training_lesson])
    figures = {"base": [], "training": []}
    try:
        hub.ensure_group(group)
        hub.create_user(teacher, passwords[teacher])
        for name in students:
            hub.create_user(name, passwords[name], (group,))
        with hub.Hub(folder, teacher=teacher, students_group=group, course="benchmark", memory_limit=args.memory_limit) as h:
            sessions = [hub.Session(h.url, name, passwords[name]) for name in students]
            for kind, counts, chosen in (("base", args.students, base), ("training", args.training_students, training)):
                for n in counts:
                    for session in sessions[:n]:
                        session.start_server()
                    figures[kind].append(run_round(sessions[:n], chosen, args.fast))
                    for session in sessions[:n]:
                        session.stop_server()
                    print(f"  done: {kind} N = {n} in {figures[kind][-1]['wall_seconds']:.0f} s", flush=True)
    finally:
        for name in [teacher, *students]:
            hub.remove_user(name)
        hub.remove_group(group)
        shutil.rmtree(folder, ignore_errors=True)
    print_table("Lessons 01-03, every student at once (each lesson in a fresh kernel, one after the other)",
                figures["base"], BASE_LESSONS)
    print_table(f"Lesson {args.training_lesson} (training), every student at once", figures["training"],
                [args.training_lesson])
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
