"""What produced a lesson's stored outputs: the machine's facts, the line a lesson shows under its title, and the
two-line machine summary a benchmark prints."""

from __future__ import annotations

import datetime
import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path

import nbformat

from rnn_build.kernel import NUMERIC_PATH_DEFAULT, NUMERIC_PATH_VARIABLE

PROVENANCE_TAG = "provenance"  # the tag of the markdown cell under a lesson's title that says what made its outputs


def cpu_model() -> str:
    """The processor's marketing name ("AMD EPYC"), as precise as the platform tells."""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(errors="replace").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    if platform.system() == "Darwin":
        try:
            return subprocess.run(["sysctl", "-n", "machdep.cpu.brand_string"], capture_output=True,
                                  text=True, check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            pass
    return platform.processor() or platform.machine()


def package_version(*names: str) -> str:
    """The installed version of the first of ``names`` that is installed ("tensorflow", "tensorflow-cpu")."""
    for name in names:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return "not installed"


def provenance() -> dict:
    """What produces stored outputs here: versions, processor, numeric path and date."""
    return {
        "python": platform.python_version(),
        "tensorflow": package_version("tensorflow", "tensorflow-cpu"),
        "keras": package_version("keras"),
        "numpy": package_version("numpy"),
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "numeric_path": f"{NUMERIC_PATH_VARIABLE}={os.environ.get(NUMERIC_PATH_VARIABLE, NUMERIC_PATH_DEFAULT)}",
        "date": datetime.date.today().isoformat(),
    }


def machine_summary(facts: dict | None = None) -> str:
    """Two lines for a benchmark's header: the processor, its load and the numeric path; the package versions."""
    facts = facts or provenance()
    return (f"Machine: {facts['cpu']}, {facts['cores']} cores, load average {os.getloadavg()[0]:.2f} at the start; "
            f"{facts['numeric_path']}\n"
            f"Python {facts['python']}, TensorFlow {facts['tensorflow']}, Keras {facts['keras']}, NumPy {facts['numpy']}")


def provenance_line(facts: dict) -> str:
    """The one line a lesson's header shows about its stored outputs."""
    return (f"*Stored outputs: made by `make outputs` on {facts['date']} with Python {facts['python']}, "
            f"TensorFlow {facts['tensorflow']}, Keras {facts['keras']} and NumPy {facts['numpy']} on "
            f"{facts['cpu']} ({facts['cores']} cores). Results after training differ in their last digits on "
            "other machines.*")


def with_provenance(nb, facts: dict | None = None):
    """``nb`` with its provenance in the metadata and in the header's provenance cell (added after the title if missing)."""
    facts = facts or provenance()
    nb.metadata.setdefault("rnn_lessons", {})["provenance"] = facts
    cells = [c for c in nb.cells if PROVENANCE_TAG in c.metadata.get("tags", [])]
    if not cells:
        cells = [nbformat.v4.new_markdown_cell(metadata={"tags": [PROVENANCE_TAG]})]
        after_title = 1 if nb.cells and nb.cells[0].cell_type == "markdown" else 0
        nb.cells.insert(after_title, cells[0])
    cells[0].source = provenance_line(facts)
    return nb
