"""The project's kernel: its name, its registration, the environment every kernel gets, and how it is connected.

The project's own kernel is registered in .venv by `make setup` (`python -m rnn_helpers kernel`): a student sees
its name in JupyterLab, and a user-level "python3" kernel without rnn_helpers can never stand in for it.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from rnn_helpers.errors import LessonError

KERNEL_NAME = "rnn-lessons"
KERNEL_DISPLAY_NAME = "rnn-lessons (.venv)"

# Set for every kernel the runner and the tests start, so that a stored output and a re-run see the same
# environment. TF_CPP_MIN_LOG_LEVEL=3 keeps TensorFlow's C++ logs out of the outputs (level 2 still lets a
# node_def_util.cc error through); a Python warning names IPYKERNEL_CELL_NAME instead of a /tmp/ipykernel_<pid>/
# path that differs on every run, which nbval would see as a changed output.
KERNEL_ENV = {
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "IPYKERNEL_CELL_NAME": "<IPY-INPUT>",
}
# The numeric path: "1" (the default, as rnn_helpers sets it) trains with oneDNN's kernels, faster and still
# bit-identical from run to run on one machine; "0" turns oneDNN off, which changes the last bits of trained weights
# the way another CPU does. A value already in the environment wins, so `TF_ENABLE_ONEDNN_OPTS=0 make
# test-second-path` tests the stored notebooks on the second path.
NUMERIC_PATH_VARIABLE = "TF_ENABLE_ONEDNN_OPTS"
NUMERIC_PATH_DEFAULT = "1"  # as rnn_helpers/__init__.py sets it


def kernel_environment() -> None:
    """Put ``KERNEL_ENV`` and the numeric path into this process's environment, which kernels inherit."""
    os.environ.update(KERNEL_ENV)
    os.environ.setdefault(NUMERIC_PATH_VARIABLE, NUMERIC_PATH_DEFAULT)


# JupyterLab's settings: its news pop-up off, for `make lab`; and the same with its own menus in Simplified Chinese (the
# language pack jupyterlab-language-pack-zh-cn, in requirements.txt) for `make lab-zh`, which points JupyterLab at a
# settings folder of its own (--LabApp.app_settings_dir), so `make lab` stays English. Both folders sit in JupyterLab's
# application folder, where it also looks for what its settings folder's neighbours hold.
LAB_OVERRIDES = {"@jupyterlab/apputils-extension:notification": {"fetchNews": "false"}}
LAB_LOCALES = {"en": ("settings", {}),
               "zh-CN": ("settings-zh-CN", {"@jupyterlab/translation-extension:plugin": {"locale": "zh_CN"}})}


def lab_settings_dir(language: str = "en", prefix: str | None = None) -> Path:
    """The JupyterLab settings folder of ``language`` in the environment ``prefix`` (default: this one)."""
    return Path(prefix or sys.prefix) / "share" / "jupyter" / "lab" / LAB_LOCALES[language][0]


def install_kernel() -> Path:
    """Register this environment's Python as the kernel ``KERNEL_NAME`` inside it, turn JupyterLab's news pop-up off,
    and write `make lab-zh`'s settings (JupyterLab in Chinese).

    Returns the kernel's folder. All go under ``sys.prefix`` (the .venv), so nothing outside the project changes.
    """
    from ipykernel.kernelspec import install

    folder = Path(install(kernel_name=KERNEL_NAME, display_name=KERNEL_DISPLAY_NAME, prefix=sys.prefix))
    for language, (_name, locale) in LAB_LOCALES.items():
        settings = lab_settings_dir(language)
        settings.mkdir(parents=True, exist_ok=True)
        overrides = {**LAB_OVERRIDES, **locale}
        (settings / "overrides.json").write_text(json.dumps(overrides, indent=2) + "\n", encoding="utf-8")
    return folder


def check_kernel(name: str | None = None) -> None:
    """Raise LessonError with the fix when the project's kernel (or ``name``) is not registered."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    name = name or KERNEL_NAME
    try:
        KernelSpecManager().get_kernel_spec(name)
    except NoSuchKernel:
        raise LessonError(f"the kernel {name!r} is not registered; run `make setup` "
                          "(or `python -m rnn_helpers kernel` in the project's environment)") from None


def client_options() -> dict:
    """Options for the notebook client (nbclient, under papermill) that starts a headless kernel.

    ipykernel 7.3 and newer log "Kernel is running over TCP without encryption" to the kernel's stderr, which the
    runner's terminal shows once per lesson, whenever the kernel's sockets are TCP without CurveZMQ keys. A kernel
    the runner starts only ever talks to the runner on this machine, so where ZeroMQ has Unix-domain sockets (not
    Windows) it is started on the ``ipc`` transport: no TCP port is opened and ipykernel has nothing to warn about.
    The socket files go beside the kernel's connection file in Jupyter's runtime folder and are removed with the
    kernel. On Windows the kernel keeps TCP on 127.0.0.1.

    jupyter_client interrupts a kernel before shutting it down, and an idle ipykernel logs "KeyboardInterrupt caught
    in kernel." at ERROR level: the kernel's own log is kept to CRITICAL. What a notebook does (a failing cell, a
    dead kernel) reaches the runner through the notebook client, not through this log.
    """
    from traitlets.config import Config

    quiet = ["--IPKernelApp.log_level=CRITICAL"]
    if os.name == "posix":
        return {"config": Config({"KernelManager": {"transport": "ipc"}}), "extra_arguments": quiet}
    return {"extra_arguments": quiet}
