"""The Chinese edition (中文版): the English lessons with their markdown translated, kept in step with the English.

The English notebooks are the source. ``translations/zh-CN/NN_name.md`` holds one block per English markdown
cell, and one per key result the landing page shows. Each block stores the English it was translated from,
verbatim, in an HTML comment (invisible when the file is shown as markdown), then the translation::

    <!-- cell 8fdca4ab -->
    <!-- en
    ## 2. Where the parameters come from

    At each time step `t` the layer ...
    -->
    ## 2. SimpleRNN 的参数从哪里来

    在每个时间步（time step）`t`，这一层 ...

    <!-- key_result params_10_units -->
    <!-- en
    parameters of the 10-unit layer
    -->
    10 个单元的参数个数

The format, line by line:

- a header line ``<!-- cell ID -->`` (the English cell's id) or ``<!-- key_result NAME -->`` (a record name of
  the notebook's ``rnn_lessons.key_results``);
- the line ``<!-- en``, then the English text exactly as in the notebook, then a line ``-->`` alone. The English
  may therefore contain anything but ``-->`` (which would end the comment early; checked);
- the translation, up to the next header. Blank lines around it are not part of it.

A block is *stale* when its stored English differs from the English notebook's (line ends and spaces at the end
of a line are not counted, so an editor that trims them changes nothing): ``python -m rnn_helpers translations``
shows each stale block with the diff from the stored English to the English now, and ``build`` refuses to write
the edition until the translation and its stored English are updated. No git history is needed: the source of
every translation is in its block.

``build`` writes ``notebooks/zh-CN/NN_name.ipynb``: the English notebook with its markdown replaced and every code
cell, output and id kept as it is, except what rnn_helpers says in the reader's language (``rnn_build.language_cells``):
the set-up cell chooses Chinese, the set-up and exercise cells' outputs are what they print in Chinese (run again, in
one kernel for all the lessons built), and the closing note's lines are written in Chinese. The provenance line under
the title is generated, in Chinese, from the notebook's metadata. ``translated`` makes the same edition in memory, from
an English notebook in memory (the pipeline passes the notebook it just executed), all but the run cells' outputs;
``language_cells.execute_language_cells`` adds those.

What a translation must keep of its English (numbers, code, formulas, links, headings, the glossary's terms) is
checked by ``rnn_build.translation_checks``.
"""

from __future__ import annotations

import copy
import difflib
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from rnn_build import language_cells
from rnn_build.notebook_files import NOTEBOOKS_DIR, write_notebook
from rnn_build.provenance import PROVENANCE_TAG
from rnn_helpers.data import PROJECT_ROOT, show_path
from rnn_helpers.errors import LessonError

LANGUAGE = "zh-CN"
TRANSLATIONS_DIR = PROJECT_ROOT / "translations" / LANGUAGE
EDITION_DIR = NOTEBOOKS_DIR / LANGUAGE
HEADER = re.compile(r"^<!-- (cell|key_result) (\S+) -->$")
ENGLISH_OPEN = "<!-- en"
ENGLISH_CLOSE = "-->"


@dataclass(frozen=True)
class Block:
    """One translated text: ``key`` is ("cell", id) or ("key_result", name); ``english`` the English it translates;
    ``line`` is where its header is."""

    key: tuple[str, str]
    english: str
    text: str
    line: int


def translation_path(lesson_name: str) -> Path:
    return TRANSLATIONS_DIR / f"{lesson_name}.md"


def edition_path(lesson_name: str) -> Path:
    return EDITION_DIR / f"{lesson_name}.ipynb"


def glossary_path() -> Path:
    return TRANSLATIONS_DIR / "glossary.md"


def read_blocks(path: Path) -> dict[tuple[str, str], Block]:
    """The blocks of a translation file, by key ({} when there is no file). A malformed header, a missing or
    unclosed English comment, or a key given twice is an error naming the line. A byte-order mark, CRLF line ends
    and spaces after a header are tolerated."""
    if not path.exists():
        return {}
    lines = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n").split("\n")
    blocks: dict[tuple[str, str], Block] = {}
    at = 0

    def fail(number: int, problem: str):
        raise LessonError(f"{show_path(path)}:{number}: {problem}")

    while at < len(lines):
        line = lines[at]
        if not line.startswith(("<!-- cell ", "<!-- key_result ")):
            if line.strip():
                fail(at + 1, f"text before the first block header: {line[:60]!r}")
            at += 1
            continue
        match = HEADER.match(line.rstrip())
        if not match:
            fail(at + 1, f"malformed header {line!r}; expected '<!-- cell ID -->' or '<!-- key_result NAME -->'")
        key, header_line = (match.group(1), match.group(2)), at + 1
        if at + 1 >= len(lines) or lines[at + 1].rstrip() != ENGLISH_OPEN:
            fail(at + 2, f"{key[0]} {key[1]}: the header must be followed by a line {ENGLISH_OPEN!r} that starts "
                         "the English the block translates")
        close = next((i for i in range(at + 2, len(lines)) if lines[i].rstrip() == ENGLISH_CLOSE), None)
        if close is None:
            fail(at + 2, f"{key[0]} {key[1]}: its English is never closed: end it with a line {ENGLISH_CLOSE!r}")
        english = "\n".join(lines[at + 2:close])
        end = next((i for i in range(close + 1, len(lines)) if lines[i].startswith(("<!-- cell ", "<!-- key_result "))),
                   len(lines))
        if key in blocks:
            fail(header_line, f"{key[0]} {key[1]} is translated twice (also at line {blocks[key].line}); keep one block")
        blocks[key] = Block(key, english, "\n".join(lines[close + 1:end]).strip("\n"), header_line)
        at = end
    return blocks


def format_block(key: tuple[str, str], english: str, text: str) -> str:
    """One block of a translation file (without the blank line that separates it from the next)."""
    check_storable(key, english)
    return f"<!-- {key[0]} {key[1]} -->\n{ENGLISH_OPEN}\n{english}\n{ENGLISH_CLOSE}\n{text}"


def check_storable(key: tuple[str, str], english: str) -> None:
    """LessonError when ``english`` cannot be stored in a block: it holds ``-->``, which would end its comment."""
    if ENGLISH_CLOSE in english:
        raise LessonError(f"the English of {key[0]} {key[1]} contains {ENGLISH_CLOSE!r}, which would end the comment "
                          "that stores it in the translation file; write it another way (an arrow as →)")


def same_english(stored: str, now: str) -> bool:
    """Whether a block's stored English is the English ``now``: line ends and trailing spaces aside."""
    def lines(text: str) -> list[str]:
        return [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]

    return lines(stored) == lines(now)


def read_english(path: Path):
    """An English lesson, after checking that every cell has an id of its own (the key of its translation).

    nbformat would invent a missing or repeated id afresh on every read, so no translation could ever match it.
    """
    raw = json.loads(path.read_text(encoding="utf-8"))
    seen = set()
    for position, cell in enumerate(raw.get("cells", []), start=1):
        cell_id = cell.get("id")
        if not cell_id or cell_id in seen:
            problem = "has no id" if not cell_id else f"repeats the id {cell_id!r}"
            raise LessonError(f"{show_path(path)}: cell {position} {problem}; the translation is keyed by cell ids. "
                              "Give it an id of its own: `python -m rnn_helpers outputs --only NN` rewrites the notebook "
                              "with nbformat, which adds one")
        seen.add(cell_id)
    return nbformat.reads(json.dumps(raw), as_version=4)


def english_units(nb) -> list[tuple[tuple[str, str], str]]:
    """What a lesson's translation must cover, in order: each markdown cell (except the generated provenance
    line) by id, then each key result's description by record name."""
    units = [(("cell", c.id), c.source) for c in nb.cells
             if c.cell_type == "markdown" and PROVENANCE_TAG not in c.metadata.get("tags", [])]
    described = nb.metadata.get("rnn_lessons", {}).get("key_results", [])
    units += [(("key_result", name), text) for name, text in described]
    return units


@dataclass
class Status:
    """How one lesson's translation stands against its English notebook: keys of missing, stale and orphan blocks,
    and the blocks whose English is current (their text, by key)."""

    missing: list[tuple[str, str]] = field(default_factory=list)
    stale: list[tuple[str, str]] = field(default_factory=list)
    orphans: list[tuple[str, str]] = field(default_factory=list)
    current: dict[tuple[str, str], str] = field(default_factory=dict)

    @property
    def in_step(self) -> bool:
        return not (self.missing or self.stale or self.orphans)

    def summary(self) -> str:
        return f"{len(self.missing)} missing, {len(self.stale)} stale, {len(self.orphans)} orphan blocks"


def status_of(nb, blocks: dict) -> Status:
    """Compare the blocks of a translation with the English notebook ``nb``."""
    result = Status()
    units = english_units(nb)
    for key, text in units:
        check_storable(key, text)
        if key not in blocks:
            result.missing.append(key)
        elif not same_english(blocks[key].english, text):
            result.stale.append(key)
        else:
            result.current[key] = blocks[key].text
    known = {key for key, _ in units}
    result.orphans = [key for key in blocks if key not in known]
    return result


def status(english_path: Path) -> Status:
    """Compare a lesson's translation file with its English notebook."""
    return status_of(read_english(english_path), read_blocks(translation_path(english_path.stem)))


def describe_stale(english_path: Path) -> str:
    """What to update in a lesson's translation: each stale block with how its English changed (from the English
    stored in the block to the notebook's), each missing block to add, each orphan block to delete."""
    nb = read_english(english_path)
    path = translation_path(english_path.stem)
    blocks = read_blocks(path)
    state = status_of(nb, blocks)
    if state.in_step:
        return ""
    english = dict(english_units(nb))
    parts = [] if path.exists() else [f"{show_path(path)} does not exist: create it with the blocks below, in this order"]
    for key in state.stale:
        block = blocks[key]
        change = "".join(difflib.unified_diff(_lines(block.english), _lines(english[key]), "English translated",
                                              "English now", n=1))
        parts.append(f"{show_path(path)}:{block.line}: STALE {key[0]} {key[1]}: its English changed. Update the "
                     f"translation, and store the English now between '{ENGLISH_OPEN}' and '{ENGLISH_CLOSE}':\n"
                     + change.rstrip("\n"))
    for key in state.missing:
        parts.append(f"{show_path(path)}: MISSING {key[0]} {key[1]}: add this block (in the English order), with the "
                     f"translation under the English\n{format_block(key, english[key], '')}")
    for key in state.orphans:
        parts.append(f"{show_path(path)}:{blocks[key].line}: ORPHAN {key[0]} {key[1]}: the English notebook has no "
                     "such text any more; delete the block")
    return "\n\n".join(parts)


def _lines(text: str) -> list[str]:
    return (text if text.endswith("\n") else text + "\n").splitlines(keepends=True)


def chinese_provenance_line(facts: dict, english_name: str) -> str:
    """The Chinese edition's line under the title: where the English is and what made the stored outputs."""
    return (f"*英文原版：[{english_name}.ipynb](../{english_name}.ipynb)。本版的代码和输出与英文版相同，只是设置单元格"
            "选用了中文，所以 rnn_helpers 的提示（设置、练习反馈和结尾说明）是中文；"
            f"已保存的输出由 `make outputs` 于 {facts['date']} 生成（Python {facts['python']}、"
            f"TensorFlow {facts['tensorflow']}、Keras {facts['keras']}、NumPy {facts['numpy']}；{facts['cpu']}，{facts['cores']} 核）。"
            "训练后的结果在其他机器上最后几位数字会有所不同。*")


def translated(nb, english_name: str, strict: bool = True):
    """The Chinese edition of the English notebook ``nb`` (in memory): markdown from the translation, everything
    else as is; ``nb`` itself is not changed.

    ``strict`` raises LessonError when a block is missing, stale or orphaned, or the file cannot be read (what
    ``build`` and the tests want). Otherwise such a cell keeps its English text and a warning on stderr says how
    many did (what a page built from a lesson edited but not yet translated wants).
    """
    try:
        state = status_of(nb, read_blocks(translation_path(english_name)))
    except LessonError as exc:
        if strict:
            raise
        print(f"warning: {exc}; the Chinese edition of {english_name} keeps the English text", file=sys.stderr)
        state = Status(missing=[key for key, _ in english_units(nb)])
    if strict and not state.in_step:
        raise LessonError(f"the translation of {english_name} is not in step with the English ({state.summary()}); "
                          f"`python -m rnn_helpers translations {english_name[:2]}` lists them")
    if not strict and (state.missing or state.stale):
        print(f"warning: {len(state.missing) + len(state.stale)} texts of the Chinese {english_name} are left in English "
              f"({state.summary()}); `python -m rnn_helpers translations {english_name[:2]}` lists them", file=sys.stderr)
    edition = copy.deepcopy(nb)
    facts = nb.metadata.get("rnn_lessons", {}).get("provenance")
    for cell in edition.cells:
        if cell.cell_type != "markdown":
            continue
        if PROVENANCE_TAG in cell.metadata.get("tags", []):
            if facts:
                cell.source = chinese_provenance_line(facts, english_name)
        else:
            cell.source = state.current.get(("cell", cell.id), cell.source)
    try:
        language_cells.localise_code(edition, LANGUAGE)
    except LessonError as exc:
        if strict:
            raise
        print(f"warning: {exc}; the Chinese edition of {english_name} keeps the English set-up cell", file=sys.stderr)
    meta = edition.metadata.setdefault("rnn_lessons", {})
    meta["key_results"] = [[name, state.current.get(("key_result", name), text)] for name, text in meta.get("key_results", [])]
    meta["language"] = LANGUAGE
    meta["english_edition"] = f"../{english_name}.ipynb"
    return edition


def build(english_paths: list[Path]) -> list[Path]:
    """Write the Chinese edition of each English lesson; return their paths.

    Strict: every block present and current. All editions are made, and their language cells run (one kernel), before
    any is written, so a stale lesson or a failing cell stops the build with nothing written.
    """
    editions = [(translated(read_english(path), path.stem, strict=True), edition_path(path.stem)) for path in english_paths]
    if english_paths:
        language_cells.execute_language_cells([(target.stem, edition) for edition, target in editions],
                                              folder=Path(english_paths[0]).parent)
    return [write_notebook(edition, target) for edition, target in editions]
