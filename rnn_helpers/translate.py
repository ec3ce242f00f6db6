"""The Chinese edition (中文版): the English lessons with their markdown translated, kept in step by hash.

The English notebooks are the source. ``translations/zh-CN/NN_name.md`` holds one block per English
markdown cell, and one per key result the landing page shows::

    <!-- cell 8fdca4ab | en 1f0c2a9e77b3 -->
    中文译文 ...

    <!-- key_result params_10_units | en 52d1c0aa3e10 -->
    10 个单元的参数个数

``en`` is the start of the SHA-256 of the English text the block translates. When that text changes,
the block is *stale*: ``python -m rnn_helpers translations`` lists it with what changed, and
``build`` refuses to write the edition until it is updated. ``build`` writes ``notebooks/zh-CN/NN_name.ipynb``:
the English notebook with its markdown replaced and every code cell, output and id kept as it is.
The provenance line under the title is generated, in Chinese, from the notebook's metadata.
"""

from __future__ import annotations

import copy
import difflib
import hashlib
import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from rnn_helpers.data import PROJECT_ROOT, show_path
from rnn_helpers.errors import LessonError
from rnn_helpers.series import PROVENANCE_TAG, write_notebook

LANGUAGE = "zh-CN"
TRANSLATIONS_DIR = PROJECT_ROOT / "translations" / LANGUAGE
EDITION_DIR = PROJECT_ROOT / "notebooks" / LANGUAGE
HASH_LENGTH = 12
HEADER = re.compile(r"^<!-- (cell|key_result) (\S+) \| en ([0-9a-f]+) -->$")


def source_hash(text: str) -> str:
    """The first 12 hex digits of the SHA-256 of ``text``: what a block says it translates."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:HASH_LENGTH]


@dataclass(frozen=True)
class Block:
    """One translated text: ``key`` is ("cell", id) or ("key_result", name); ``line`` is where its header is."""

    key: tuple[str, str]
    en_hash: str
    text: str
    line: int


def translation_path(lesson_name: str) -> Path:
    return TRANSLATIONS_DIR / f"{lesson_name}.md"


def edition_path(lesson_name: str) -> Path:
    return EDITION_DIR / f"{lesson_name}.ipynb"


def glossary_path() -> Path:
    return TRANSLATIONS_DIR / "glossary.md"


def read_blocks(path: Path) -> dict[tuple[str, str], Block]:
    """The blocks of a translation file, by key ({} when there is no file); a malformed header or a key given
    twice is an error naming the line. A byte-order mark and spaces after a header are tolerated."""
    if not path.exists():
        return {}
    blocks: dict[tuple[str, str], Block] = {}
    current: tuple[tuple[str, str], str, int] | None = None
    lines: list[str] = []

    def close():
        if current is not None:
            key, en_hash, line = current
            if key in blocks:
                raise LessonError(f"{show_path(path)}:{line}: {key[0]} {key[1]} is translated twice "
                                  f"(also at line {blocks[key].line}); keep one block")
            blocks[key] = Block(key, en_hash, "\n".join(lines).strip("\n"), line)

    text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    for number, line in enumerate(text.split("\n"), start=1):
        if line.startswith(("<!-- cell ", "<!-- key_result ")):
            match = HEADER.match(line.rstrip())
            if not match:
                raise LessonError(f"{show_path(path)}:{number}: malformed header {line!r}; "
                                  "expected '<!-- cell ID | en HASH -->' or '<!-- key_result NAME | en HASH -->'")
            close()
            current, lines = ((match.group(1), match.group(2)), match.group(3), number), []
        elif current is not None:
            lines.append(line)
        elif line.strip():
            raise LessonError(f"{show_path(path)}:{number}: text before the first block header: {line[:60]!r}")
    close()
    return blocks


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
        if key not in blocks:
            result.missing.append(key)
        elif blocks[key].en_hash != source_hash(text):
            result.stale.append(key)
        else:
            result.current[key] = blocks[key].text
    known = {key for key, _ in units}
    result.orphans = [key for key in blocks if key not in known]
    return result


def status(english_path: Path) -> Status:
    """Compare a lesson's translation file with its English notebook."""
    return status_of(read_english(english_path), read_blocks(translation_path(english_path.stem)))


def header(key: tuple[str, str], text: str) -> str:
    """The block header for the English ``text`` under ``key``."""
    return f"<!-- {key[0]} {key[1]} | en {source_hash(text)} -->"


def git(folder: Path, *args: str) -> str | None:
    """The output of a git command in ``folder``; None when git is missing or the command fails."""
    try:
        done = subprocess.run(["git", *args], cwd=folder, capture_output=True, encoding="utf-8", errors="replace")
    except OSError:
        return None
    return done.stdout if done.returncode == 0 else None


def old_english(english_path: Path, key: tuple[str, str], en_hash: str) -> str | None:
    """The English text a stale block was made from, found in the notebook's git history; None if not found."""
    commits = (git(english_path.parent, "log", "--format=%H", "--", english_path.name) or "").split()
    for commit in commits[:200]:
        shown = git(english_path.parent, "show", f"{commit}:./{english_path.name}")
        try:
            units = english_units(nbformat.reads(shown, as_version=4)) if shown else []
        except Exception:  # an old commit may hold a notebook (or metadata) of another shape: look further back
            continue
        for unit_key, text in units:
            if unit_key == key and source_hash(text) == en_hash:
                return text
    return None


def describe_stale(english_path: Path, with_history: bool = True) -> str:
    """What to update in a lesson's translation: each stale, missing or orphan block, with the new header
    to paste and, for a stale block, how its English changed."""
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
        before = old_english(english_path, key, block.en_hash) if with_history else None
        if before is None:
            change = ("the English it was made from is not in the git history (in a shallow clone, `git fetch "
                      "--unshallow` brings it); the English now:\n" + english[key])
        else:
            change = "".join(difflib.unified_diff(before.splitlines(keepends=True), english[key].splitlines(keepends=True),
                                                  "English before", "English now", n=1))
        parts.append(f"{show_path(path)}:{block.line}: STALE {key[0]} {key[1]}\n  new header: {header(key, english[key])}\n"
                     + change.rstrip("\n"))
    for key in state.missing:
        parts.append(f"{show_path(path)}: MISSING {key[0]} {key[1]}: add this block (in the English order)\n"
                     f"{header(key, english[key])}\n{english[key]}")
    for key in state.orphans:
        parts.append(f"{show_path(path)}:{blocks[key].line}: ORPHAN {key[0]} {key[1]}: the English notebook has no "
                     "such text any more; delete the block")
    return "\n\n".join(parts)


def chinese_provenance_line(facts: dict, english_name: str) -> str:
    """The Chinese edition's line under the title: where the English is and what made the stored outputs."""
    return (f"*英文原版：[{english_name}.ipynb](../{english_name}.ipynb)。本版的代码和输出与英文版完全相同；"
            f"已保存的输出由 `make outputs` 于 {facts['date']} 生成（Python {facts['python']}、"
            f"TensorFlow {facts['tensorflow']}、Keras {facts['keras']}、NumPy {facts['numpy']}；{facts['cpu']}，{facts['cores']} 核）。"
            "训练后的结果在其他机器上最后几位数字会有所不同。*")


def translated(nb, english_name: str, strict: bool = True):
    """The Chinese edition of the English notebook ``nb``: markdown from the translation, everything else as is.

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
        state = status_of(nb, {})
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
    meta = edition.metadata.setdefault("rnn_lessons", {})
    meta["key_results"] = [[name, state.current.get(("key_result", name), text)] for name, text in meta.get("key_results", [])]
    meta["language"] = LANGUAGE
    meta["english_edition"] = f"../{english_name}.ipynb"
    return edition


def build(english_paths: list[Path]) -> list[Path]:
    """Write the Chinese edition of each English lesson; return their paths.

    Strict: every block present and current. All editions are made before any is written, so a stale lesson
    stops the build with nothing written.
    """
    editions = [(translated(read_english(path), path.stem, strict=True), edition_path(path.stem)) for path in english_paths]
    for edition, target in editions:
        write_notebook(edition, target)
    return [target for _, target in editions]


# What a translation must carry over from its English block unchanged.
FENCED = re.compile(r"^```.*?^```", re.DOTALL | re.MULTILINE)
CODE_SPAN = re.compile(r"`(?:[^`\n]|\n(?!\n))+`")  # may wrap onto the next line, as in markdown
MATH_SPAN = re.compile(r"\$\$.+?\$\$|\$[^$\n]+\$", re.DOTALL)
LINK_TARGET = re.compile(r"\]\(([^)\s]+)\)")
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
HAN = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_WORD = re.compile(r"\b[A-Za-z]{2,}\b")


def prose(text: str) -> str:
    """``text`` without its code spans, math and link targets: what is written in words."""
    for pattern in (FENCED, CODE_SPAN, MATH_SPAN):
        text = pattern.sub(" ", text)
    return LINK_TARGET.sub("]( )", text)


def numbers(text: str) -> set[str]:
    """The numbers written with digits in the prose of ``text``, thousands separators dropped ("60,000" -> "60000")."""
    return {n.replace(",", "").rstrip(".") for n in NUMBER.findall(prose(text))}


def headings(text: str) -> list[str]:
    """The markdown headings of ``text``, in order (not the comments of its code blocks)."""
    return [line for line in FENCED.sub("", text).splitlines() if re.match(r"#{1,6} ", line)]


def level(heading: str) -> int:
    return len(heading) - len(heading.lstrip("#"))


def block_problems(english: str, chinese: str) -> list[str]:
    """What a translated block lost or changed: numbers, code, math, link targets, headings, or no Chinese at all."""
    found = []
    if len(ENGLISH_WORD.findall(prose(english))) >= 3 and not HAN.search(chinese):
        found.append("not translated (no Chinese in it)")
    for kind, pattern in (("code block", FENCED), ("code span", CODE_SPAN), ("math", MATH_SPAN)):
        kept = {" ".join(s.split()) for s in pattern.findall(chinese)}
        lost = [s for s in dict.fromkeys(" ".join(s.split()) for s in pattern.findall(english)) if s not in kept]
        if lost:
            found.append(f"{kind} missing or changed: " + ", ".join(lost))
    lost = [t for t in dict.fromkeys(LINK_TARGET.findall(english)) if f"]({t})" not in chinese]
    if lost:
        found.append("link target missing: " + ", ".join(lost))
    lost = sorted(numbers(english) - numbers(chinese))
    if lost:
        found.append("numbers missing: " + ", ".join(lost))
    levels_en, levels_zh = [level(h) for h in headings(english)], [level(h) for h in headings(chinese)]
    if levels_en != levels_zh:
        found.append(f"heading levels {levels_zh} differ from the English {levels_en}")
    found += [f"heading not translated: {zh!r}" for en, zh in zip(headings(english), headings(chinese))
              if ENGLISH_WORD.search(prose(en)) and not HAN.search(zh)]
    if "**" in rendered(chinese):
        found.append("bold that does not render (shows as **): after a closing ** that follows full-width punctuation "
                     "(**运行时间：**), put a space before the next Chinese character")
    return found


def rendered(text: str) -> str:
    """``text`` as nbconvert's markdown renderer (mistune) makes it HTML, code spans and math left out."""
    import mistune

    return mistune.html(MATH_SPAN.sub(" ", CODE_SPAN.sub(" ", FENCED.sub(" ", text))))


@dataclass(frozen=True)
class Term:
    """One row of the glossary (术语表)."""

    english: tuple[str, ...]  # forms that mark the concept in English text
    chinese: str
    first_use: str  # how the first use in a lesson is written; "" for none
    avoid: tuple[str, ...]

    def introduced_at(self, text: str, at: int) -> bool:
        """Whether the occurrence of the term at ``at`` is written in its first-use form: exactly, or, for a form
        with the English in brackets, with up to four more characters before the brackets and more English inside
        them (二元交叉熵（binary cross-entropy） introduces 交叉熵（cross-entropy））."""
        start = at - self.first_use.find(self.chinese)
        if start >= 0 and text.startswith(self.first_use, start):
            return True
        bracket = re.search(r"（([^，）]+)", self.first_use)
        return bool(bracket and re.match(rf"{re.escape(self.chinese)}[\u4e00-\u9fff]{{0,4}}（[^）]*{re.escape(bracket.group(1))}",
                                         text[at:]))

    def in_english(self, text: str) -> bool:
        return any(re.search(rf"(?<![\w-]){re.escape(form)}(?:s|es)?(?![\w-])", text, re.IGNORECASE)
                   for form in self.english)


def read_glossary(path: Path | None = None) -> list[Term]:
    """The glossary's table: English forms | 中文 | 首次出现 | 不要用."""
    path = path or glossary_path()
    terms = []
    rows = [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("|")]
    for line in rows[2:]:  # after the header row and its separator
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 4 or not cells[0] or not cells[1]:
            raise LessonError(f"{show_path(path)}: a glossary row needs 4 columns and an English and a Chinese term: {line!r}")
        english, chinese, first_use, avoid = cells
        if first_use and chinese not in first_use:
            raise LessonError(f"{show_path(path)}: the first-use form {first_use!r} does not contain {chinese!r}")
        terms.append(Term(tuple(f.strip() for f in english.split(" / ")), chinese, first_use,
                          tuple(a.strip() for a in avoid.split("、") if a.strip())))
    return terms


def running_text(text: str) -> str:
    """``text`` without headings and link texts, which name lessons by their titles: where a term's first use is looked for."""
    text = "\n".join(line for line in text.splitlines() if not re.match(r"#{1,6} ", line))
    return re.sub(r"\[[^\]]*\]\([^)]*\)", " ", text)


def glossary_problems(english: str, chinese: str, terms: list[Term]) -> list[str]:
    """Where a lesson's Chinese text (its cells joined in order) departs from the glossary."""
    found = []
    body = running_text(chinese)
    for term in terms:
        if term.in_english(prose(english)) and term.chinese not in chinese:
            found.append(f"the English says {term.english[0]!r} but the Chinese never uses {term.chinese}")
        cleaned = chinese.replace(term.first_use or term.chinese, " ").replace(term.chinese, " ")
        for variant in term.avoid:
            if variant in cleaned:
                found.append(f"uses {variant!r}: the glossary's term is {term.chinese}")
        first = body.find(term.chinese)
        if term.first_use and first != -1 and not term.introduced_at(body, first):
            context = body[max(0, first - 15):first + len(term.chinese) + 15].replace("\n", " ")
            found.append(f"first use of {term.chinese} should read {term.first_use!r}: ...{context}...")
    return found


def problems(english_path: Path) -> list[str]:
    """Everything wrong with one lesson's translation: its state against the English, then each block, then the glossary."""
    nb = read_english(english_path)
    path = translation_path(english_path.stem)
    if not path.exists():
        return [f"{show_path(path)} does not exist; `python -m rnn_helpers translations {english_path.name[:2]}` "
                "prints the blocks it needs"]
    blocks = read_blocks(path)
    state = status_of(nb, blocks)
    found = [f"{kind} {key[0]} {key[1]}" for kind, keys in (("missing", state.missing), ("stale", state.stale),
                                                             ("orphan", state.orphans)) for key in keys]
    cells_en, cells_zh = [], []
    for key, text in english_units(nb):
        if key not in blocks:
            continue
        found += [f"{show_path(path)}:{blocks[key].line}: {key[0]} {key[1]}: {p}" for p in block_problems(text, blocks[key].text)]
        if key[0] == "cell":
            cells_en.append(text)
            cells_zh.append(blocks[key].text)
    found += [f"{show_path(path)}: glossary: {p}" for p in
              glossary_problems("\n\n".join(cells_en), "\n\n".join(cells_zh), read_glossary())]
    return found
