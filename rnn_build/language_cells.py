"""What a lesson prints in the reader's language, and how the Chinese edition comes to print it in Chinese.

Everything a lesson computes and draws is the same in both editions, so the Chinese edition keeps the English run's
outputs. rnn_helpers speaks the reader's language in three places only:

- the set-up cell: the Chinese edition's calls ``rnn_helpers.setup("04", globals(), language="zh-CN")``, which chooses
  Chinese for that notebook's kernel, and its import guard says in Chinese to start JupyterLab with ``make lab-zh``
  (``chinese_setup_source``: the one code cell the two editions do not share);
- the exercise cells (``exercises.check`` and ``exercises.solution``): their feedback;
- the closing note (``findings.note()``): one line per band;
- the lines it prints in cells that train (``runs.verdict``'s comparison, ``load_mnist``'s source): PRINTED_LINES.

The set-up and exercise cells need no training. ``execute_language_cells`` runs them, with the parameters cells
before them, for a list of Chinese editions in one kernel (each lesson in a fresh namespace; TensorFlow is imported
once), and stores what they print: the Chinese edition's outputs are what its cells print, and a build costs seconds,
not a second run of the lessons. A cell that needs more than the parameters and the set-up (a variable of the lesson)
stops the build, naming it.

The note's and the printed lines' values come from the run's training, so their cells are not run again:
``chinese_note_lines`` reads each line the English run printed with the English template (``findings.NOTE_LINE``, or
one of PRINTED_LINES) and writes the same values with the Chinese one, a band's description and runs in Chinese: what
the Chinese kernel prints from the same values. A printed line that fits no template is left alone (what a lesson's own
code prints, in the lesson's code, as in the English edition).
"""

from __future__ import annotations

import ast
import contextlib
import copy
import re

import nbformat

from rnn_build.messages import GUARD_CONTEXT, guard_message
from rnn_build.notebook_files import NOTEBOOKS_DIR, without_cpp_logs
from rnn_helpers import data, findings, i18n, runs
from rnn_helpers.errors import LessonError

SETUP_CALL = re.compile(r'(rnn_helpers\.setup\(\s*"\d\d"\s*,\s*globals\(\))\s*\)')
PARAMETER_TAGS = ("parameters", "injected-parameters")
EXERCISE_CALLS = ("exercises.check(", "exercises.solution(")
LINE_WIDTH = 120  # of a rewritten literal; a CJK character counts 2, as ruff counts it


def is_setup_cell(cell) -> bool:
    return cell.cell_type == "code" and "rnn_helpers.setup(" in cell.source


def is_exercise_cell(cell) -> bool:
    return cell.cell_type == "code" and any(call in cell.source for call in EXERCISE_CALLS)


def language_cell_indices(nb) -> list[int]:
    """The positions of the cells whose output is in the reader's language and needs no training: the set-up cell and
    the exercise cells."""
    return [i for i, cell in enumerate(nb.cells) if is_setup_cell(cell) or is_exercise_cell(cell)]


def _width(text: str) -> int:
    return sum(2 if "\u2e80" <= character <= "\uffef" else 1 for character in text)


def _literal(text: str, indent: int, first_line_start: int) -> str:
    """``text`` as a Python string literal, cut into implicitly joined pieces that keep each line within LINE_WIDTH."""
    pieces, piece, room = [], "", LINE_WIDTH - first_line_start - 2
    for word in re.split(r"(?<=[，。：；）、 ])", text):  # a line may end after a Chinese punctuation mark or a space
        if piece and _width(piece + word) > room:
            pieces.append(piece)
            piece, room = "", LINE_WIDTH - indent - 2
        piece += word
    pieces.append(piece)
    quoted = ['"' + p.replace("\\", "\\\\").replace('"', '\\"') + '"' for p in pieces]
    return ("\n" + " " * indent).join(quoted)


def chinese_setup_source(source: str, language: str) -> str:
    """The set-up cell of the ``language`` edition: ``setup(...)`` given ``language=``, and the import guard's message
    replaced by its translation (the catalogue's, context "import guard"). LessonError when the cell does not call
    ``rnn_helpers.setup("NN", globals())`` exactly once, or the guard has no translation."""
    if len(SETUP_CALL.findall(source)) != 1:
        raise LessonError('the set-up cell must call rnn_helpers.setup("NN", globals()) exactly once, so that the Chinese '
                          'edition can add language="zh-CN"; it reads:\n' + source)
    chinese = SETUP_CALL.sub(lambda m: f'{m.group(1)}, language="{language}")', source)
    node = guard_message(ast.parse(chinese))
    if node is None:
        return chinese
    english = ast.literal_eval(node)
    translated = i18n.catalogue(language).pgettext(GUARD_CONTEXT, english)
    if translated == english:
        raise LessonError(f"the import guard of the set-up cell has no {language} translation: run `python -m rnn_helpers "
                          f"messages` and translate its message (context {GUARD_CONTEXT!r})")
    segment = ast.get_source_segment(chinese, node)
    start = chinese.index(segment)
    column = start - (chinese.rfind("\n", 0, start) + 1)
    return chinese.replace(segment, _literal(translated, column, column), 1)


def _pattern(template: str) -> re.Pattern:
    """A regular expression matching a line ``template`` printed, each {placeholder} a named group."""
    parts = re.split(r"(\{\w+\})", template)
    return re.compile("".join(f"(?P<{p[1:-1]}>.+?)" if re.fullmatch(r"\{\w+\}", p) else re.escape(p) for p in parts) + "$")


NOTE_PATTERN = _pattern(findings.NOTE_LINE)
# Lines rnn_helpers prints in cells that train, whose values the Chinese edition keeps from the English run: each
# template has plain {placeholders}, its values already written as text (see runs.verdict).
PRINTED_LINES = (*runs.VERDICTS, data.LOADED)
PRINTED_PATTERNS = [(template, _pattern(template)) for template in PRINTED_LINES]


def chinese_note_lines(text: str, language: str) -> str:
    """``text`` (printed output) with each line of a closing note, and each line that rnn_helpers printed from one of
    PRINTED_LINES (a comparison's verdict, where MNIST was loaded from), as an English run printed it, in ``language``."""
    def rewrite(line: str) -> str:
        found = NOTE_PATTERN.match(line)
        if found:
            fields = found.groupdict()
            with i18n.speaking(language):
                return i18n._(findings.NOTE_LINE).format(**{
                    **fields, "description": i18n.pgettext("band", fields["description"]),
                    "runs": i18n.pgettext("band runs", fields["runs"])})
        for template, pattern in PRINTED_PATTERNS:
            found = pattern.search(line)
            if found:  # the first placeholder takes what the lesson printed before the message (a verdict's name)
                with i18n.speaking(language):
                    return line[:found.start()] + i18n._(template).format(**found.groupdict())
        return line

    return "".join(rewrite(line[:-1]) + "\n" if line.endswith("\n") else rewrite(line)
                   for line in text.splitlines(keepends=True))


def localise_code(edition, language: str) -> None:
    """In ``edition`` (in place): the set-up cell for ``language``, and every closing note's lines in it."""
    for cell in edition.cells:
        if cell.cell_type != "code":
            continue
        if is_setup_cell(cell):
            cell.source = chinese_setup_source(cell.source, language)
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stdout":
                output["text"] = chinese_note_lines(output["text"], language)


def execute_language_cells(editions: list[tuple[str, object]], folder=NOTEBOOKS_DIR, timeout: int | None = None) -> None:
    """Run the language cells of each edition ((name, notebook) pairs), after its parameters cells, and store what they
    print in it (in place). One kernel for all, on the project's kernel with ``folder`` as the working directory; each
    lesson starts from an empty namespace. LessonError naming the lesson and the cell if one fails."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    from rnn_build.execute import CELL_TIMEOUT
    from rnn_build.kernel import KERNEL_NAME, check_kernel, client_options, kernel_environment

    if not any(language_cell_indices(nb) for _name, nb in editions):
        return  # nothing speaks: no kernel
    kernel_environment()
    check_kernel()
    cells, targets = [], []  # the cells to run, and for each one the (edition, cell) its outputs go to, or None
    for name, nb in editions:
        cells.append(nbformat.v4.new_code_cell("%reset -f"))  # a fresh namespace; the imported modules stay
        targets.append(None)
        for cell in nb.cells:
            if cell.cell_type == "code" and set(cell.metadata.get("tags", [])) & set(PARAMETER_TAGS):
                cells.append(copy.deepcopy(cell))
                targets.append(None)
        for index in language_cell_indices(nb):
            cells.append(copy.deepcopy(nb.cells[index]))
            targets.append((name, nb.cells[index]))
    runner = nbformat.v4.new_notebook(cells=cells, metadata=copy.deepcopy(editions[0][1].metadata))
    client = NotebookClient(runner, kernel_name=KERNEL_NAME, timeout=timeout or CELL_TIMEOUT, **client_options())
    try:
        with contextlib.chdir(folder):  # the ipc transport's sockets are named relative to the working directory
            client.execute()
    except CellExecutionError as error:
        failed = next((target for cell, target in zip(cells, targets) if cell.get("outputs") and any(
            o.get("output_type") == "error" for o in cell.outputs)), None)
        where = f"cell {failed[1].id} of {failed[0]}" if failed else "a parameters cell"
        raise LessonError(f"the Chinese edition: {where} failed when the language cells ran on their own (a set-up or "
                          f"exercise cell may use only what the parameters and set-up cells define):\n{error}") from None
    for cell, target in zip(cells, targets):
        if target is None:
            continue
        outputs = without_cpp_logs(cell.outputs)
        for output in outputs:
            if "execution_count" in output:
                output["execution_count"] = target[1].get("execution_count")
        target[1].outputs = outputs


def without_language_outputs(nb):
    """A copy of ``nb`` with the outputs of its language cells left out (what the edition shares with its English)."""
    shared = copy.deepcopy(nb)
    for index in language_cell_indices(shared):
        shared.cells[index].outputs = []
    return shared
