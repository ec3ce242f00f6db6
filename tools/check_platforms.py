"""Check that requirements.txt resolves to wheels on the platforms students use.

Not a test: it asks the package registry. For each platform it evaluates the
environment markers of requirements.txt as that platform would (pip itself
evaluates them for the machine it runs on, even with --platform), then asks
pip to resolve the result with binary wheels only, for Python 3.11:

    .venv/bin/python tools/check_platforms.py            # all four platforms
    .venv/bin/python tools/check_platforms.py --platform macosx_12_0_arm64

It prints, per platform, the TensorFlow package chosen and whether the whole
stack resolved; it exits 1 if any platform failed.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from packaging.requirements import Requirement

PROJECT_ROOT = Path(__file__).resolve().parents[1]
PYTHON_VERSION = "3.11"

# The marker values a CPython 3.11 on each platform reports (PEP 508 names),
# and the wheel tags it accepts: a Linux with glibc 2.28 (Debian 10, Ubuntu
# 20.04, RHEL 8 and newer) takes manylinux wheels for glibc 2.17 to 2.28.
# (glibc 2.27, Ubuntu 18.04, is too old for matplotlib 3.11's wheels.)
LINUX_GLIBC = range(28, 16, -1)
PLATFORMS = {
    "manylinux_2_28_x86_64": ({"sys_platform": "linux", "platform_machine": "x86_64", "platform_system": "Linux",
                               "os_name": "posix"},
                              [f"manylinux_2_{v}_x86_64" for v in LINUX_GLIBC] + ["manylinux2014_x86_64"]),
    "manylinux_2_28_aarch64": ({"sys_platform": "linux", "platform_machine": "aarch64", "platform_system": "Linux",
                                "os_name": "posix"},
                               [f"manylinux_2_{v}_aarch64" for v in LINUX_GLIBC] + ["manylinux2014_aarch64"]),
    "macosx_12_0_arm64": ({"sys_platform": "darwin", "platform_machine": "arm64", "platform_system": "Darwin",
                           "os_name": "posix"},
                          [f"macosx_{v}_0_arm64" for v in range(12, 10, -1)]),
    "win_amd64": ({"sys_platform": "win32", "platform_machine": "AMD64", "platform_system": "Windows",
                   "os_name": "nt"}, ["win_amd64"]),
}


def requirements_for(platform: str, path: Path = PROJECT_ROOT / "requirements.txt") -> list[str]:
    """The requirement lines that apply on ``platform``, markers evaluated and removed."""
    environment = {"python_version": PYTHON_VERSION, "python_full_version": PYTHON_VERSION + ".0",
                   "implementation_name": "cpython", "platform_python_implementation": "CPython",
                   **PLATFORMS[platform][0]}
    kept = []
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        requirement = Requirement(line)
        if requirement.marker is None or requirement.marker.evaluate(environment):
            requirement.marker = None
            kept.append(str(requirement))
    return kept


def resolve(platform: str) -> tuple[bool, str]:
    """Ask pip to resolve the requirements for ``platform``; return (ok, TensorFlow pick or pip's error)."""
    lines = requirements_for(platform)
    with tempfile.TemporaryDirectory() as folder:
        requirements = Path(folder) / "requirements.txt"
        requirements.write_text("\n".join(lines) + "\n")
        report = Path(folder) / "report.json"
        command = [sys.executable, "-m", "pip", "install", "--dry-run", "--quiet", "--ignore-installed",
                   "--only-binary=:all:", *(f"--platform={tag}" for tag in PLATFORMS[platform][1]),
                   "--python-version", PYTHON_VERSION,
                   "--implementation", "cp", "--target", str(Path(folder) / "target"),
                   "--report", str(report), "-r", str(requirements)]
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            error = [ln for ln in done.stderr.splitlines() if ln.startswith("ERROR")]
            return False, (error[0] if error else done.stderr.strip()[-300:])
        installed = {item["metadata"]["name"].lower(): item["metadata"]["version"]
                     for item in json.loads(report.read_text())["install"]}
    tensorflow = [f"{name}=={version}" for name, version in installed.items()
                  if name.replace("_", "-") in ("tensorflow", "tensorflow-cpu")]
    return True, f"{', '.join(tensorflow)}; {len(installed)} packages"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--platform", action="append", choices=sorted(PLATFORMS),
                        help="check only this platform; repeatable")
    args = parser.parse_args(argv)
    failed = 0
    for platform in args.platform or PLATFORMS:
        ok, detail = resolve(platform)
        failed += not ok
        print(f"{platform:24} {'resolves' if ok else 'FAILS':8} {detail}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
