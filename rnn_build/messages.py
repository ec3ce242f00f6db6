"""The gettext catalogue of what rnn_helpers says to a student, in Chinese: extracted with Babel, translated in a .po
file, compiled to the .mo file that a Chinese lesson's kernel reads (rnn_helpers.i18n, with the standard library).

    python -m rnn_helpers messages          # update: extract, merge into the .po, compile the .mo; lists what is untranslated
    python -m rnn_helpers messages check    # 0 when the catalogue is in step with the source and complete; else what to do

The .po (``rnn_helpers/locale/zh_CN/LC_MESSAGES/rnn_helpers.po``) is the file a translator edits: a new message arrives
untranslated (``msgstr ""``), a changed one with its old translation as a suggestion marked ``#, fuzzy``; both count as
untranslated until the translation is written and the fuzzy mark removed. ``update`` then compiles the .mo, which is
kept in the repository: a lesson needs no Babel, only Python's gettext.

What a student reads, by source (each message is a msgid and a context):

- ``_("...")`` and ``N_("...")`` literals in rnn_helpers (no context): checker feedback, set-up errors, the findings'
  lines, solution();
- each option of a ``choice(answer, {...})`` or ``typed_option(answer, (...))`` in rnn_helpers/exercises (context
  "choice"): the word a Chinese question shows and its checker accepts;
- each band's description and runs in rnn_helpers/bands.toml (contexts "band" and "band runs"): the closing note's lines;
- each claim of ``findings.holds("...")`` in the English lessons (context "claim"): "your run" lines and failures;
- the message of the set-up cell's import guard (context "import guard"): the Chinese edition's set-up cell shows its
  translation, written in by the translation build (rnn_build/translate.py).

The check compares messages (msgid and context), not the file's text, so moved lines and locations change nothing.
"""

from __future__ import annotations

import ast
import gettext
import io
import re
import tomllib
from pathlib import Path

from rnn_helpers import i18n
from rnn_helpers.data import PROJECT_ROOT, show_path
from rnn_helpers.findings import BANDS_FILE

LANGUAGE = "zh-CN"
PO_FILE = i18n.LOCALE_DIR / i18n.LANGUAGES[LANGUAGE] / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"
MO_FILE = PO_FILE.with_suffix(".mo")
PACKAGE_DIR = PROJECT_ROOT / "rnn_helpers"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
GUARD_CONTEXT = "import guard"
UPDATE = "python -m rnn_helpers messages"
# Placeholders ({name}, {value!r}, {maximum:,}), braces of mathematics (h_{t-1}) and escaped braces ({{ and }} in a
# formatted message): a translation keeps each one, exactly.
PLACEHOLDER = re.compile(r"\{\{|\}\}|\{[^{}]*\}")

Key = tuple[str, str | None]  # (msgid, context)


def _relative(path: Path) -> str:
    return path.relative_to(PROJECT_ROOT).as_posix()


def _python_messages(catalog) -> None:
    """``_("...")`` literals of rnn_helpers, by Babel's Python extractor."""
    from babel.messages.extract import extract_from_file

    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        for lineno, message, comments, context in extract_from_file("python", path, keywords={"_": None, "N_": None}):
            catalog.add(message, locations=[(_relative(path), lineno)], auto_comments=comments, context=context)


def _exercise_of(function: ast.FunctionDef) -> str | None:
    """The id an ``@exercise("LL.N")`` decorator gives ``function``."""
    for decorator in function.decorator_list:
        if (isinstance(decorator, ast.Call) and getattr(decorator.func, "id", "") == "exercise" and decorator.args
                and isinstance(decorator.args[0], ast.Constant)):
            return decorator.args[0].value
    return None


def _choice_options(catalog) -> None:
    """The options of every ``choice(answer, {...}, right)`` and ``typed_option(answer, (...))`` in the checkers (context
    "choice")."""
    for path in sorted((PACKAGE_DIR / "exercises").glob("lesson*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for function in (node for node in tree.body if isinstance(node, ast.FunctionDef)):
            exercise_id = _exercise_of(function)
            for call in (node for node in ast.walk(function) if isinstance(node, ast.Call)):
                name = getattr(call.func, "id", "")
                if len(call.args) < 2 or not (name == "choice" and isinstance(call.args[1], ast.Dict)
                                              or name == "typed_option" and isinstance(call.args[1], ast.Tuple)):
                    continue
                for key in (call.args[1].keys if name == "choice" else call.args[1].elts):
                    if isinstance(key, ast.Constant) and isinstance(key.value, str):
                        catalog.add(key.value, locations=[(_relative(path), key.lineno)], context="choice", auto_comments=[
                            f"An answer to exercise {exercise_id}, as the student types it: the Chinese question shows this "
                            "word, and the checker accepts it as well as the English one."])


def _band_texts(catalog) -> None:
    """Each band's description and runs (contexts "band" and "band runs"): the closing note's and the checks' lines."""
    lines = BANDS_FILE.read_text(encoding="utf-8").splitlines()
    for lesson, keys in tomllib.loads("\n".join(lines)).items():
        for key, fields in keys.items():
            lineno = next((n for n, line in enumerate(lines, 1) if line.strip() == f"[{lesson}.{key}]"), 1)
            where = [(_relative(BANDS_FILE), lineno)]
            catalog.add(fields["description"], locations=where, context="band",
                        auto_comments=[f"What band {key} of lesson {lesson} measures."])
            catalog.add(fields["runs"], locations=where, context="band runs",
                        auto_comments=["The runs a band was measured over (written by `make bands`)."])


def lesson_code_cells() -> list[tuple[Path, int, object]]:
    """(path, cell number from 1, cell) of every code cell of the English lessons."""
    import nbformat

    cells = []
    for path in sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        cells += [(path, number, cell) for number, cell in enumerate(nb.cells, 1) if cell.cell_type == "code"]
    return cells


def _parsed(source: str) -> ast.Module | None:
    """A cell's code as Python (IPython magics and shell lines blanked); None if it does not parse."""
    try:
        return ast.parse("\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()))
    except SyntaxError:
        return None


def holds_calls(tree: ast.Module) -> list[ast.Call]:
    """The ``findings.holds(...)`` calls in a cell."""
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "holds" and getattr(node.func.value, "id", "") == "findings"]


def guard_message(tree: ast.Module) -> ast.expr | None:
    """The message of a set-up cell's import guard: ``raise ModuleNotFoundError("...")`` in ``except ModuleNotFoundError:``."""
    for handler in (node for node in ast.walk(tree) if isinstance(node, ast.ExceptHandler)):
        if getattr(handler.type, "id", "") != "ModuleNotFoundError":
            continue
        for node in ast.walk(handler):
            if (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and node.exc.args
                    and getattr(node.exc.func, "id", "") == "ModuleNotFoundError"):
                return node.exc.args[0]
    return None


def _lesson_texts(catalog) -> None:
    """The claims of ``findings.holds`` (context "claim") and the import guard's message (context "import guard")."""
    for path, number, cell in lesson_code_cells():
        tree = _parsed(cell.source)
        if tree is None:
            continue
        where = [(_relative(path), number)]
        for call in holds_calls(tree):
            if call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str):
                catalog.add(call.args[0].value, locations=where, context="claim", auto_comments=[
                    f"A finding of lesson {path.name[:2]}'s default run, printed with 'holds in your run' for other parameters."])
        message = guard_message(tree)
        if isinstance(message, ast.Constant) and isinstance(message.value, str):
            catalog.add(message.value, locations=where, context=GUARD_CONTEXT, auto_comments=[
                "The set-up cell's message when the kernel lacks rnn_helpers; the Chinese edition's set-up cell shows this "
                "translation, and names `make lab-zh`."])


def template():
    """Every message of the source, as a Babel catalogue without translations."""
    from babel.messages.catalog import Catalog

    catalog = Catalog(project="rnn-lessons", fuzzy=False)
    for collect in (_python_messages, _choice_options, _band_texts, _lesson_texts):
        collect(catalog)
    return catalog


def read_catalogue(path: Path | None = None):
    """The translated catalogue (the .po, or ``path``), or an empty Chinese one where there is none yet."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po

    path = path or PO_FILE
    if not path.exists():
        return Catalog(locale=i18n.LANGUAGES[LANGUAGE], project="rnn-lessons", fuzzy=False)
    with open(path, "rb") as f:
        return read_po(f, locale=i18n.LANGUAGES[LANGUAGE])


def compiled(catalog) -> bytes:
    """The .mo file of ``catalog``: its translated messages, fuzzy ones left out."""
    from babel.messages.mofile import write_mo

    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def _write(path: Path, data: bytes) -> None:
    staged = path.with_name(f".{path.name}.tmp")
    staged.write_bytes(data)
    staged.replace(path)


def update() -> list[str]:
    """Merge the source's messages into the .po (new ones untranslated, changed ones fuzzy, gone ones dropped) and
    compile the .mo; return the messages still untranslated, one line each."""
    from babel.messages.pofile import write_po

    catalog = read_catalogue()
    created = catalog.creation_date
    catalog.update(template(), update_creation_date=False)
    catalog.creation_date = created
    catalog.fuzzy = False
    text = io.BytesIO()
    write_po(text, catalog, width=120, ignore_obsolete=True, include_previous=True, include_lineno=False)
    PO_FILE.parent.mkdir(parents=True, exist_ok=True)
    _write(PO_FILE, text.getvalue())
    _write(MO_FILE, compiled(read_catalogue()))
    return [_describe(m) for m in _messages(read_catalogue()) if not _translated(m)]


def _messages(catalog) -> list:
    return [m for m in catalog if m.id]


def _key(message) -> Key:
    return (message.id, message.context)


def _translated(message) -> bool:
    return bool(message.string) and not message.fuzzy


def _describe(message) -> str:
    where = ", ".join(sorted({path for path, _line in message.locations}))
    context = f" [{message.context}]" if message.context else ""
    return f"{message.id!r}{context} ({where})"


def placeholders(text: str) -> list[str]:
    """The placeholders and mathematical braces of a message, sorted: a translation must have the same."""
    return sorted(PLACEHOLDER.findall(text))


def problems() -> list[str]:
    """What keeps the catalogue from being in step and complete, one line each (empty when it is)."""
    found = []
    source = {_key(m): m for m in _messages(template())}
    catalog = read_catalogue()
    translated = {_key(m): m for m in _messages(catalog)}
    new = [source[key] for key in source if key not in translated]
    gone = [translated[key] for key in translated if key not in source]
    if new or gone:
        found.append(f"{show_path(PO_FILE)} is not in step with the source ({len(new)} new messages, {len(gone)} gone): "
                     f"run `{UPDATE}`, then translate what it lists")
        found += [f"  new: {_describe(m)}" for m in new] + [f"  gone: {_describe(m)}" for m in gone]
    for key, message in translated.items():
        if key not in source:
            continue
        if not _translated(message):
            found.append(f"untranslated{' (fuzzy: check the suggestion, then remove the mark)' if message.fuzzy else ''}: "
                         f"{_describe(message)}")
        elif placeholders(message.string) != placeholders(message.id):
            found.append(f"the translation of {_describe(message)} has the placeholders {placeholders(message.string)}, "
                         f"the English {placeholders(message.id)}: keep each one, exactly")
    if _mo_catalogue(MO_FILE) != _mo_catalogue(compiled(catalog)):
        found.append(f"{show_path(MO_FILE)} is not the compiled {PO_FILE.name}: run `{UPDATE}`")
    return found


def _mo_catalogue(source: Path | bytes) -> dict:
    """The messages of a compiled catalogue, as Python's gettext reads them ({} where there is no file)."""
    if isinstance(source, Path):
        if not source.exists():
            return {}
        source = source.read_bytes()
    return dict(gettext.GNUTranslations(io.BytesIO(source))._catalog)
