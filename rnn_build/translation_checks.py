"""The checks of a translation against its English (``python -m rnn_helpers translations check``): every number,
code block, code span, formula and link target kept; headings at the same levels and translated; bold that renders;
no block left in English; and the glossary's terms (术语表) used, introduced in their first-use form, and never a
variant it rules out.

Markdown is read with the parser nbconvert renders the pages with (mistune, with nbconvert's math rules): code,
formulas, link targets and headings come from its syntax tree. What is searched in the raw text (a glossary term's
first use, and where it stands) stays with regular expressions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from rnn_build.translate import english_units, glossary_path, read_blocks, read_english, status_of, translation_path
from rnn_helpers.data import show_path
from rnn_helpers.errors import LessonError


# What a translation must carry over from its English block unchanged, read from nbconvert's markdown syntax tree.
@cache
def _parser():
    from nbconvert.filters.markdown_mistune import MarkdownWithMath

    return MarkdownWithMath(renderer=None)  # no renderer: the parser returns mistune's syntax tree


@dataclass
class Markdown:
    """What the checks read in one markdown text: the pieces a translation keeps verbatim, the headings, the text
    in words (``prose``: no code, formulas or link targets), and text in which ``**`` was left as is."""

    code_blocks: list[str] = field(default_factory=list)
    code_spans: list[str] = field(default_factory=list)
    math: list[str] = field(default_factory=list)
    link_targets: list[str] = field(default_factory=list)
    headings: list[tuple[int, str]] = field(default_factory=list)  # (level, its text in words)
    prose: list[str] = field(default_factory=list)
    unrendered_bold: list[str] = field(default_factory=list)


INLINE_CONTAINERS = {"emphasis", "strong", "link", "image", "strikethrough"}


@lru_cache(maxsize=1024)
def read_markdown(text: str) -> Markdown:
    """``text`` parsed as nbconvert parses a markdown cell (kept for the next check of the same text: do not change it)."""
    found = Markdown()

    def words(tokens) -> list[str]:
        pieces = []
        for token in tokens:
            kind = token["type"]
            if kind in ("block_code",):
                found.code_blocks.append(token["raw"])
            elif kind == "codespan":
                found.code_spans.append(token["raw"])
            elif kind in ("block_math", "inline_math", "multiline_math"):
                found.math.append(token.get("raw", ""))
            elif kind == "latex_environment":
                found.math.append(token["attrs"]["body"])
            elif kind == "text":
                pieces.append(token["raw"])
                if "**" in token["raw"]:
                    found.unrendered_bold.append(token["raw"])
            elif kind in ("softbreak", "linebreak", "blank_line"):
                pieces.append("\n")
            if kind in ("link", "image"):
                found.link_targets.append(token["attrs"]["url"])
            if kind == "list" and token["attrs"].get("ordered"):  # an ordered list's numbers are the text's too
                first = token["attrs"].get("start", 1)
                pieces += [f"{first + i}. " for i in range(len(token.get("children", [])))]
            children = token.get("children")
            if children:
                inner = words(children)
                if kind == "heading":
                    found.headings.append((token["attrs"]["level"], "".join(inner).strip()))
                pieces += inner
                if kind not in INLINE_CONTAINERS:
                    pieces.append("\n")
        return pieces

    found.prose = words(_parser()(text))
    return found


NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
HAN = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_WORD = re.compile(r"\b[A-Za-z]{2,}\b")


def prose(text: str) -> str:
    """``text`` without its code, formulas and link targets: what is written in words."""
    return "".join(read_markdown(text).prose)


def numbers(text: str) -> set[str]:
    """The numbers written with digits in the prose of ``text``, thousands separators dropped ("60,000" -> "60000")."""
    return {n.replace(",", "").rstrip(".") for n in NUMBER.findall(prose(text))}


def _same_spacing(pieces: list[str]) -> list[str]:
    """``pieces`` with their runs of white space made one space, each once, in order."""
    return list(dict.fromkeys(" ".join(p.split()) for p in pieces))


TEXT_IN_MATH = re.compile(r"\\text\{([^{}]*)\}")


def math_skeleton(formula: str) -> str:
    """``formula`` without its ``\\text{...}`` and its spaces: what a translation keeps of a formula. The words may be
    translated and placed as the language needs (``(\\text{the second term is 0 at } t = T)`` ->
    ``(t = T \\text{ 时第二项为 0})``); ``untranslated_math_text`` checks that they were."""
    return "".join(TEXT_IN_MATH.sub("", formula).split())


def untranslated_math_text(english_math: list[str], chinese_math: list[str]) -> list[str]:
    """The ``\\text{...}`` words of the Chinese formulas kept in English as they were (``\\text{examples}`` where
    the Chinese prose says 样本): a formula reads in the language of the sentence around it."""
    english_words = {words for formula in english_math for words in TEXT_IN_MATH.findall(formula)}
    return [words for formula in chinese_math for words in TEXT_IN_MATH.findall(formula)
            if words in english_words and not HAN.search(words) and ENGLISH_WORD.search(words)]


def block_problems(english: str, chinese: str) -> list[str]:
    """What a translated block lost or changed: code, math, link targets, numbers, headings, or no Chinese at all."""
    en, zh = read_markdown(english), read_markdown(chinese)
    en_prose = "".join(en.prose)
    found = []
    if len(ENGLISH_WORD.findall(en_prose)) >= 3 and not HAN.search(chinese):
        found.append("not translated (no Chinese in it)")
    for kind, before, after in (("code block", en.code_blocks, zh.code_blocks), ("code span", en.code_spans, zh.code_spans),
                                ("math", en.math, zh.math)):
        same = math_skeleton if kind == "math" else (lambda piece: " ".join(piece.split()))
        kept = {same(piece) for piece in after}
        lost = [piece for piece in _same_spacing(before) if same(piece) not in kept]
        if lost:
            found.append(f"{kind} missing or changed: " + ", ".join(lost))
    left = untranslated_math_text(en.math, zh.math)
    if left:
        found.append("English words left inside a formula's \\text{}: " + ", ".join(left))
    lost = [t for t in dict.fromkeys(en.link_targets) if t not in zh.link_targets]
    if lost:
        found.append("link target missing: " + ", ".join(lost))
    lost = sorted(numbers(english) - numbers(chinese))
    if lost:
        found.append("numbers missing: " + ", ".join(lost))
    levels_en, levels_zh = [level for level, _ in en.headings], [level for level, _ in zh.headings]
    if levels_en != levels_zh:
        found.append(f"heading levels {levels_zh} differ from the English {levels_en}")
    found += [f"heading not translated: {'#' * level + ' ' + zh_text!r}"
              for (_, en_text), (level, zh_text) in zip(en.headings, zh.headings)
              if ENGLISH_WORD.search(en_text) and not HAN.search(zh_text)]
    if zh.unrendered_bold:
        found.append("bold that does not render (shows as **): after a closing ** that follows full-width punctuation "
                     "(**运行时间：**), put a space before the next Chinese character")
    return found


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
    english_words = prose(english)
    for term in terms:
        if term.in_english(english_words) and term.chinese not in chinese:
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
