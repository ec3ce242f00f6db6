"""Run one notebook headlessly with papermill, in its own folder, and return the executed notebook in memory.

Nothing is written to disk here: the caller decides where the executed notebook goes (and writes it once).
A failing cell, a timeout or a dead kernel is not raised: ``Execution.ok`` is False, ``error`` says which cell
failed and how, and the notebook shows the failure (papermill's banner at the top and its anchor above the cell).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from rnn_build.kernel import KERNEL_NAME, check_kernel, client_options, kernel_environment
from rnn_build.notebook_files import clean_notebook, read_records

CELL_TIMEOUT = 1800  # seconds; the longest training cell takes a few minutes


@dataclass
class Execution:
    """One run of one notebook: the executed (and cleaned) notebook, whether every cell ran, the time it took,
    what it recorded, and the failure in one line."""

    notebook: object  # nbformat.NotebookNode
    ok: bool
    seconds: float
    records: dict = field(default_factory=dict)
    error: str = ""


def describe_failure(exc: Exception) -> str:
    """One line: which cell failed and how."""
    if hasattr(exc, "ename"):  # PapermillExecutionError
        return f"cell In [{exc.exec_count}] raised {exc.ename}: {exc.evalue}"
    return f"{type(exc).__name__}: {exc}".strip()


def execute(path: Path, parameters: dict | None = None, timeout: int = CELL_TIMEOUT,
            progress: bool | dict = False, kernel_name: str = KERNEL_NAME) -> Execution:
    """Run the notebook ``path`` with ``parameters`` injected after its ``parameters`` cell, on the project's kernel,
    with ``path``'s folder as the working directory; ``timeout`` is per cell, ``progress`` papermill's cell bar
    (False, True or tqdm's options).

    Raises LessonError before starting when the kernel is not registered; never raises for what the notebook does.
    """
    import papermill
    from papermill.engines import papermill_engines
    from papermill.execute import raise_for_execution_errors
    from papermill.iorw import load_notebook_node
    from papermill.utils import chdir

    kernel_environment()
    check_kernel(kernel_name)
    path = Path(path)
    start = time.perf_counter()
    # papermill.execute_notebook without an output file would drop the notebook of a failed run: its steps are
    # taken here instead, on a notebook this function keeps, so that a failure is kept in memory too.
    nb = load_notebook_node(str(path))
    if parameters:
        nb = papermill.parameterize.parameterize_notebook(nb, parameters, kernel_name=kernel_name)
    error = ""
    try:
        with chdir(str(path.parent)):
            papermill_engines.execute_notebook_with_engine(
                None, nb, kernel_name=kernel_name, input_path=str(path), output_path=None,
                progress_bar=progress, log_output=False, execution_timeout=timeout, **client_options())
        raise_for_execution_errors(nb, None)  # adds papermill's error banner to ``nb`` and raises the first error
    except Exception as exc:  # a failing cell, a timeout or a dead kernel: report it, never raise it
        error = describe_failure(exc)
    seconds = time.perf_counter() - start
    clean_notebook(nb)
    return Execution(nb, not error, seconds, {} if error else read_records(nb), error)
