"""The Chinese edition (notebooks/zh-CN/) is kept in step with the English lessons.

Each English markdown cell has a translation in translations/zh-CN/ keyed by its id, which stores the English it
translates; the Chinese notebooks are built from the two by `python -m rnn_helpers translations build` and must
equal that build, code cells and outputs identical to the English but for what rnn_helpers says in the reader's
language (the set-up cell's language, the set-up and exercise cells' outputs, the closing note's lines: see
rnn_build/language_cells.py; tests/test_messages.py runs those cells again). The glossary (术语表) fixes one Chinese
term per concept.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest

from rnn_build import language_cells, lessons, translate, translation_checks
from rnn_build.cli import chinese_edition, main
from rnn_helpers.data import PROJECT_ROOT
from rnn_helpers.errors import LessonError

LESSONS = lessons.list_lessons()
TRANSLATIONS = translate.TRANSLATIONS_DIR  # the project's, before a test points the module elsewhere
IDS = [lesson.number for lesson in LESSONS]


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_every_english_cell_has_a_current_translation(lesson):
    assert translate.status(lesson.path).in_step, (
        "the Chinese translation is not in step with the English; update these blocks "
        "(`python -m rnn_helpers translations` prints this):\n" + translate.describe_stale(lesson.path))


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_the_chinese_notebook_is_the_build_of_english_and_translation(lesson):
    edition = translate.edition_path(lesson.name)
    assert edition.exists(), f"{edition} is missing: run `python -m rnn_helpers translations build`"
    english = nbformat.read(lesson.path, as_version=4)
    built = translate.translated(english, lesson.name, strict=True)
    stored = nbformat.read(edition, as_version=4)
    # The set-up and exercise cells' outputs are what they print in Chinese: tests/test_messages.py runs them again.
    assert language_cells.without_language_outputs(stored) == language_cells.without_language_outputs(built), (
        f"{edition.name} differs from what the English notebook and its translation build; "
        "never edit it by hand: run `python -m rnn_helpers translations build`")


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_code_cells_and_outputs_are_the_english_ones(lesson):
    english = nbformat.read(lesson.path, as_version=4)
    chinese = nbformat.read(translate.edition_path(lesson.name), as_version=4)
    assert [(c.id, c.cell_type) for c in chinese.cells] == [(c.id, c.cell_type) for c in english.cells]
    language = set(language_cells.language_cell_indices(english))
    for index, (en, zh) in enumerate(zip(english.cells, chinese.cells)):
        if en.cell_type != "code":
            continue
        if language_cells.is_setup_cell(en):  # the one code the editions do not share: setup(..., language="zh-CN")
            assert zh.source == language_cells.chinese_setup_source(en.source, "zh-CN"), en.id
            en, zh = copy.deepcopy(en), copy.deepcopy(zh)
            en.source = zh.source
        if index in language:  # what rnn_helpers prints there is Chinese
            en, zh = copy.deepcopy(en), copy.deepcopy(zh)
            en.outputs = zh.outputs = []
        else:  # the closing note's lines and what rnn_helpers printed while training (a verdict), written in Chinese
            en = copy.deepcopy(en)
            for output in en.outputs:
                if output.get("name") == "stdout":
                    output["text"] = language_cells.chinese_note_lines(output["text"], "zh-CN")
        assert zh == en, f"code cell {en.id} of the Chinese edition differs from the English one"
    assert chinese.metadata["rnn_lessons"]["language"] == "zh-CN"
    assert chinese.metadata["kernelspec"] == english.metadata["kernelspec"]


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_translations_keep_numbers_code_math_links_and_the_glossary(lesson):
    found = translation_checks.problems(lesson.path)
    assert not found, "\n".join(found)


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_the_chinese_edition_is_in_chinese(lesson):
    chinese = nbformat.read(translate.edition_path(lesson.name), as_version=4)
    markdown = [c for c in chinese.cells if c.cell_type == "markdown"]
    title = markdown[0].source.splitlines()[0]
    assert re.match(rf"# {lesson.number} - .*[\u4e00-\u9fff]", title), f"the title is not in Chinese: {title}"
    assert "学完本课" in markdown[0].source, "the landing page takes the goals from the paragraph that starts 学完本课"
    english_name = f"../{lesson.name}.ipynb"
    assert f"]({english_name})" in markdown[1].source, "the provenance line links to the English edition"


def test_every_lesson_and_only_the_lessons_have_a_translation_and_an_edition():
    names = {lesson.name for lesson in LESSONS}
    assert {p.stem for p in translate.TRANSLATIONS_DIR.glob("*.md")} - {"glossary"} == names, (
        "a translation file with no English lesson (renamed? rename its translation too), or a lesson without one")
    assert {p.stem for p in translate.EDITION_DIR.glob("*.ipynb")} == names


def test_the_glossary_is_consistent():
    terms = translation_checks.read_glossary()
    chinese = [t.chinese for t in terms]
    assert len(chinese) == len(set(chinese)), "a Chinese term is given for two concepts"
    for term in terms:
        assert term.chinese not in term.avoid
        for other in terms:
            assert not set(term.avoid) & {other.chinese}, f"{term.chinese} avoids {other.chinese}, another entry's term"
    for name in ("隐状态", "时间步", "循环核", "随时间反向传播", "梯度消失", "梯度爆炸", "谱半径", "奇异值", "教师强制"):
        assert name in chinese


def test_glossary_problems_name_a_variant_a_paraphrase_and_a_first_use_without_brackets():
    terms = [translation_checks.Term(("hidden state",), "隐状态", "隐状态（hidden state）", ("隐藏状态",))]
    english = "The hidden state is carried. The hidden state again."
    assert translation_checks.glossary_problems(english, "隐状态（hidden state）会被传递。隐状态再次出现。", terms) == []
    assert any("隐藏状态" in p for p in translation_checks.glossary_problems(english, "隐状态（hidden state）与隐藏状态", terms))
    assert any("never uses" in p for p in translation_checks.glossary_problems(english, "状态会被传递。", terms))
    assert any("first use" in p for p in translation_checks.glossary_problems(english, "隐状态会被传递。隐状态（hidden state）", terms))
    # More English in the brackets, or a modifier before them, still introduces the term.
    entropy = [translation_checks.Term(("cross-entropy",), "交叉熵", "交叉熵（cross-entropy）", ())]
    assert translation_checks.glossary_problems("binary cross-entropy", "二元交叉熵（binary cross-entropy），交叉熵", entropy) == []
    assert translation_checks.glossary_problems("cross-entropy", "交叉熵损失（cross-entropy loss）", entropy) == []
    assert translation_checks.glossary_problems("cross-entropy", "交叉熵，交叉熵（cross-entropy）", entropy) != []
    # A lesson title in a heading or a link text comes before the first use in the running text.
    assert translation_checks.glossary_problems(english, "# 隐状态\n[隐状态](x.ipynb) 隐状态（hidden state）", terms) == []


def test_block_problems_catch_a_lost_number_code_span_link_and_untranslated_text():
    english = "Each of the `units` has 390 parameters, see [lesson 02](02_b.ipynb) and $h_t$."
    good = "`units` 中的每个有 390 个参数，见[第 02 课](02_b.ipynb)和 $h_t$。"
    assert translation_checks.block_problems(english, good) == []
    assert translation_checks.block_problems(english, english) == ["not translated (no Chinese in it)"]
    assert "numbers missing: 390" in translation_checks.block_problems(english, good.replace("390", "三百九十"))
    assert any("code span" in p for p in translation_checks.block_problems(english, good.replace("`units`", "units")))
    assert any("link target" in p for p in translation_checks.block_problems(english, good.replace("02_b", "03_c")))
    assert any("math" in p for p in translation_checks.block_problems(english, good.replace("$h_t$", "$h$")))
    assert translation_checks.block_problems("## 2. The loop", "## 2. The loop") == ["heading not translated: '## 2. The loop'"]


def test_a_formula_keeps_its_symbols_and_translates_its_words():
    english = r"The sum is $$L = -\sum_{\text{examples}} \log p_{\text{true class}} \quad (\text{the second term is 0 at } t = T)$$"
    chinese = r"总和为 $$L = -\sum_{\text{样本}} \log p_{\text{真实类别}} \quad (t = T \text{ 时第二项为 0})$$"
    assert translation_checks.block_problems(english, chinese) == []
    left = translation_checks.block_problems(english, chinese.replace(r"\text{样本}", r"\text{examples}"))
    assert left == ["English words left inside a formula's \\text{}: examples"]
    assert any("math" in p for p in translation_checks.block_problems(english, chinese.replace(r"\log p", r"\log q")))
    assert translation_checks.block_problems("## 2. The loop\n```\n# a comment\n```", "## 2. 循环\n```\n# a comment\n```") == []
    assert any("bold" in p for p in translation_checks.block_problems("**Run time:** a minute", "**运行时间：**一分钟"))
    assert translation_checks.block_problems("**Run time:** a minute", "**运行时间：** 1 分钟") == []


@pytest.fixture
def copied_lesson(tmp_path, monkeypatch):
    """Lesson 03 and its translation, copied where a test may change them."""
    lesson = LESSONS[2]
    (tmp_path / "notebooks").mkdir()
    english = shutil.copy(lesson.path, tmp_path / "notebooks" / lesson.path.name)
    translations = tmp_path / "translations"
    translations.mkdir()
    shutil.copy(translate.translation_path(lesson.name), translations)
    monkeypatch.setattr(translate, "TRANSLATIONS_DIR", translations)
    monkeypatch.setattr(translate, "EDITION_DIR", tmp_path / "notebooks" / "zh-CN")
    return Path(english)


def edit_english_sentence(path: Path) -> str:
    """Change one sentence of the English notebook (the first cell's last line); return the cell's id."""
    nb = nbformat.read(path, as_version=4)
    cell = nb.cells[0]
    cell.source = cell.source.replace("laptop CPU", "laptop's CPU", 1) if "laptop CPU" in cell.source else cell.source + " Edited."
    nbformat.write(nb, path)
    return cell.id


def test_changing_one_english_sentence_makes_its_translation_stale(copied_lesson, capsys):
    assert translate.status(copied_lesson).in_step
    cell_id = edit_english_sentence(copied_lesson)
    state = translate.status(copied_lesson)
    assert state.stale == [("cell", cell_id)] and not state.missing and not state.orphans
    report = translate.describe_stale(copied_lesson)
    assert f"STALE cell {cell_id}: its English changed" in report and "--- English translated" in report
    with pytest.raises(LessonError, match="not in step"):
        translate.build([copied_lesson])
    assert not translate.edition_path(copied_lesson.stem).exists(), "a refused build writes nothing"


def test_a_new_english_cell_is_missing_and_a_deleted_one_is_an_orphan(copied_lesson):
    nb = nbformat.read(copied_lesson, as_version=4)
    removed = next(c for c in nb.cells[2:] if c.cell_type == "markdown")
    nb.cells.remove(removed)
    nb.cells.append(nbformat.v4.new_markdown_cell("A new closing remark."))
    nbformat.write(nb, copied_lesson)
    state = translate.status(copied_lesson)
    assert state.missing == [("cell", nb.cells[-1].id)]
    assert state.orphans == [("cell", removed.id)]


def test_a_stale_block_shows_how_its_english_changed_from_the_english_it_stores(copied_lesson):
    # No git history is needed (the copy is in no repository): the block itself holds the English it translates.
    before = nbformat.read(copied_lesson, as_version=4).cells[0].source
    edit_english_sentence(copied_lesson)
    after = nbformat.read(copied_lesson, as_version=4).cells[0].source
    removed = [line for line in before.splitlines() if line not in after.splitlines()]
    added = [line for line in after.splitlines() if line not in before.splitlines()]
    assert removed and added
    report = translate.describe_stale(copied_lesson)
    assert "--- English translated" in report and "+++ English now" in report
    assert all(f"-{line}" in report for line in removed) and all(f"+{line}" in report for line in added), report
    # Storing the English now (with the translation updated) puts the block back in step.
    path = translate.translation_path(copied_lesson.stem)
    path.write_text(path.read_text(encoding="utf-8").replace(before, after, 1), encoding="utf-8")
    assert translate.status(copied_lesson).in_step


def test_spaces_at_line_ends_and_crlf_do_not_make_a_block_stale(copied_lesson):
    path = translate.translation_path(copied_lesson.stem)
    text = path.read_text(encoding="utf-8")
    start = text.index("<!-- en\n") + len("<!-- en\n")
    end = text.index("\n-->", start)
    path.write_bytes((text[:start] + text[start:end].replace("\n", "  \r\n") + text[end:]).encode("utf-8"))
    assert translate.status(copied_lesson).in_step


def test_the_stale_command_lists_blocks_and_fails(copied_lesson, monkeypatch, capsys):
    edit_english_sentence(copied_lesson)
    monkeypatch.setattr(lessons, "list_lessons", lambda only=None: [lessons.Lesson("03", copied_lesson)])
    assert main(["translations"]) == 1
    out = capsys.readouterr().out
    assert "STALE cell" in out and "0 of 1 lessons' translations are in step" in out


def test_an_edition_built_leniently_keeps_english_where_the_translation_fails(copied_lesson, capsys):
    english = translate.read_english(copied_lesson)
    translate.translation_path(copied_lesson.stem).unlink()
    edition = translate.translated(english, copied_lesson.stem, strict=False)
    assert [c.source for c in edition.cells if c.cell_type == "code"] == [
        language_cells.chinese_setup_source(c.source, "zh-CN") if language_cells.is_setup_cell(c) else c.source
        for c in english.cells if c.cell_type == "code"]
    assert edition.cells[0].source == english.cells[0].source
    assert "left in English" in capsys.readouterr().err
    translate.translation_path(copied_lesson.stem).write_text("<!-- cell x | en 1 -->\n", encoding="utf-8")
    with pytest.raises(LessonError, match="malformed header"):
        translate.translated(english, copied_lesson.stem, strict=True)
    translate.translated(english, copied_lesson.stem, strict=False)
    assert "malformed header" in capsys.readouterr().err


def test_make_outputs_rebuilds_each_edition_it_can_and_names_the_stale_ones(copied_lesson, tmp_path, capsys):
    other = LESSONS[0]
    second = Path(shutil.copy(other.path, copied_lesson.parent / other.path.name))
    shutil.copy(TRANSLATIONS / f"{other.name}.md", translate.TRANSLATIONS_DIR)
    edit_english_sentence(copied_lesson)
    assert chinese_edition([lessons.Lesson("01", second), lessons.Lesson("03", copied_lesson)]) == 1
    assert translate.edition_path(second.stem).exists(), "a lesson in step gets its edition"
    assert not translate.edition_path(copied_lesson.stem).exists(), "a stale one is held back"
    err = capsys.readouterr().err
    assert "the Chinese edition of 03 is not" in err and "translations 03" in err


def test_an_english_cell_without_an_id_of_its_own_is_named(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("a"), nbformat.v4.new_markdown_cell("b")])
    nb.cells[1].id = nb.cells[0].id
    path = tmp_path / "01_x.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    with pytest.raises(LessonError, match=r"cell 2 repeats the id"):
        translate.read_english(path)


def test_a_translation_file_may_carry_a_byte_order_mark_crlf_and_spaces_after_a_header(tmp_path):
    path = tmp_path / "01_x.md"
    path.write_bytes("\ufeff<!-- cell abc -->  \r\n<!-- en \r\nThe text.\r\n--> \r\n译文\r\n".encode("utf-8"))
    block = translate.read_blocks(path)[("cell", "abc")]
    assert (block.english, block.text, block.line) == ("The text.", "译文", 1)


def test_a_block_stores_its_english_verbatim(tmp_path):
    english = "## 2. The loop\n\nAt step `t`:\n\n$$h_t = \\tanh(x_t W)$$\n\n<!-- a note -\n\n```python\n# code\n```"
    blocks = [translate.format_block(("cell", "abc"), english, "## 2. 循环\n\n译文"),
              translate.format_block(("key_result", "loss"), "the loss", "损失")]
    path = tmp_path / "01_x.md"
    path.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    read = translate.read_blocks(path)
    assert read[("cell", "abc")].english == english and read[("cell", "abc")].text == "## 2. 循环\n\n译文"
    assert (read[("key_result", "loss")].english, read[("key_result", "loss")].text) == ("the loss", "损失")
    assert read[("key_result", "loss")].line == 1 + blocks[0].count("\n") + 2
    # Shown as markdown, the stored English is a comment: only the translation shows.
    shown = translation_checks.read_markdown(path.read_text(encoding="utf-8"))
    assert "The loop" not in "".join(shown.prose) and "循环" in "".join(shown.prose)


def test_english_that_would_end_its_comment_is_refused(tmp_path):
    with pytest.raises(LessonError, match="the English of cell abc contains '-->'"):
        translate.format_block(("cell", "abc"), "a --> b", "甲")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("from a --> to b")])
    with pytest.raises(LessonError, match="which would end the comment"):
        translate.status_of(nb, {})


@pytest.mark.parametrize("text, problem", [
    ("<!-- cell abc | en 123456789abc -->\n译文\n", r"01_x.md:1: malformed header"),
    ("<!-- cell abc -->\n译文\n", r"01_x.md:2: cell abc: the header must be followed by a line '<!-- en'"),
    ("<!-- cell abc -->\n<!-- en\nThe text.\n译文\n", r"01_x.md:2: cell abc: its English is never closed"),
    ("A line.\n<!-- cell abc -->\n", r"01_x.md:1: text before the first block header"),
    ("<!-- cell abc -->\n<!-- en\na\n-->\n甲\n\n<!-- cell abc -->\n<!-- en\nb\n-->\n乙\n",
     r"01_x.md:7: cell abc is translated twice \(also at line 1\)"),
])
def test_a_malformed_file_is_an_error_naming_its_line(tmp_path, text, problem):
    path = tmp_path / "01_x.md"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LessonError, match=problem):
        translate.read_blocks(path)


def test_the_checks_read_markdown_as_the_pages_render_it():
    # A setext heading is a heading; a '#' line in a fenced block is not; a code span may wrap onto the next line.
    assert translation_checks.block_problems("The loop\n========\n", "The loop\n========\n") == ["heading not translated: '# The loop'"]
    assert translation_checks.block_problems("```\n# not a heading\n```\nSome words here.", "```\n# not a heading\n```\n一些字。") == []
    assert translation_checks.block_problems("Use `a\nb` here and there.", "这里用 `a b`。") == []
    # Display math in running text; an ordered list's numbers count as numbers.
    assert any("math" in p for p in translation_checks.block_problems("So $$h_t$$ holds, as seen.", "所以 $$h$$ 成立。"))
    assert "numbers missing: 3" in translation_checks.block_problems("3. Train the model once more.", "训练模型。")
    # Bold around a code span renders in the English; only the Chinese's stray ** is named.
    assert translation_checks.block_problems("**row `t` is step `t`** here.", "**第 `t` 行就是第 `t` 步**。") == []


def test_the_chinese_readme_lists_every_lesson_with_its_chinese_title():
    readme = (PROJECT_ROOT / "README.zh-CN.md").read_text(encoding="utf-8")
    assert "make lessons" in readme and "make test" in readme and "make lab-zh" in readme
    for lesson in LESSONS:
        chinese = nbformat.read(translate.edition_path(lesson.name), as_version=4)
        title = chinese.cells[0].source.splitlines()[0][2:].split(" - ", 1)[1]
        row = f"| {lesson.number} | [{title}](notebooks/zh-CN/{lesson.name}.ipynb) |"
        assert row in readme, f"README.zh-CN.md lacks the row starting {row!r}"
    assert "README.zh-CN.md" in (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
