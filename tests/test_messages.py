"""rnn_helpers speaks Chinese in the Chinese lessons: a gettext catalogue in step with the source and complete, the
language chosen by the Chinese set-up cell, answers accepted in Chinese, and stored outputs that are what the Chinese
cells print. JupyterLab itself speaks Chinese in `make lab-zh` (the official language pack).

    python -m rnn_helpers messages          # after changing a message: extract, merge into the .po, compile the .mo
    python -m rnn_helpers messages check    # what this file's first test checks
"""

from __future__ import annotations

import ast
import copy
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from importlib import metadata

import nbformat
import pytest

from rnn_build import kernel, language_cells, lessons, messages, translate
from rnn_helpers import exercises, findings, i18n, lesson
from rnn_helpers.data import PROJECT_ROOT
from rnn_helpers.errors import LessonError
from rnn_helpers.exercises import worked

LESSONS = lessons.list_lessons()
CJK = re.compile(r"[\u4e00-\u9fff]")
# Three or more English words in a row, outside code spans, placeholders and quoted program output: a sentence left
# untranslated. (Names such as SimpleRNN, Keras's CosineDecay or "Kernel > Change Kernel" stay English on purpose.)
ENGLISH_RUN = re.compile(r"(?<![\w.])[A-Za-z]{2,}(?: [A-Za-z]{2,}){2,}(?![\w(])")


def _prose(text: str) -> str:
    """``text`` without what stays English in Chinese: code spans, placeholders, quoted output and names such as your_runs."""
    return re.sub(r"`[^`]*`|\{[^{}]*\}|'[^']*'|\b\w+_\w+\b", " ", text)


@pytest.fixture
def chinese():
    """rnn_helpers speaking Chinese for one test (the process speaks English again after it)."""
    with i18n.speaking("zh-CN"):
        yield


# The catalogue.

def test_the_catalogue_is_in_step_with_the_source_and_every_message_is_translated():
    found = messages.problems()
    assert not found, "\n".join(found + ["", "`python -m rnn_helpers messages` updates the catalogue and lists what to translate "
                                         "in rnn_helpers/locale/zh_CN/LC_MESSAGES/rnn_helpers.po"])


def test_a_message_without_a_translation_or_with_a_lost_placeholder_is_named(tmp_path, monkeypatch):
    po = tmp_path / "rnn_helpers.po"
    shutil.copy(messages.PO_FILE, po)
    catalog = messages.read_catalogue(po)
    untranslated = catalog.get("not yet. {why}")
    untranslated.string = ""
    catalog.get("correct. {why}").string = "正确。"  # the placeholder lost
    catalog.get("Exercise {exercise_id}: {verdict}").string = "练习 {exercise_id}：{verdict}{extra}"  # one added
    from babel.messages.pofile import write_po

    with open(po, "wb") as f:
        write_po(f, catalog, width=120, ignore_obsolete=True)
    monkeypatch.setattr(messages, "PO_FILE", po)
    found = "\n".join(messages.problems())
    assert "untranslated: 'not yet. {why}'" in found
    assert "'correct. {why}' (rnn_helpers/exercises/core.py) has the placeholders [], the English ['{why}']" in found
    assert "has the placeholders ['{exercise_id}', '{extra}', '{verdict}'], the English ['{exercise_id}', '{verdict}']" in found
    assert "is not the compiled rnn_helpers.po" in found


def test_a_new_message_in_the_source_is_not_in_step_until_the_catalogue_is_updated(monkeypatch):
    real = messages.template

    def with_a_new_message():
        catalog = real()
        catalog.add("A message a lesson engineer has just added.", locations=[("rnn_helpers/exercises/lesson99.py", 1)])
        return catalog

    monkeypatch.setattr(messages, "template", with_a_new_message)
    found = messages.problems()
    assert found[0].startswith("rnn_helpers/locale/zh_CN/LC_MESSAGES/rnn_helpers.po is not in step with the source (")
    assert "  new: 'A message a lesson engineer has just added.' (rnn_helpers/exercises/lesson99.py)" in found


def test_translations_are_chinese():
    for message in messages.read_catalogue():
        if not message.id or not message.string or message.fuzzy:  # untranslated: the first test names it
            continue
        words = re.findall(r"[A-Za-z]{2,}", _prose(message.id)) if " " in message.id.strip() else []  # one word: a name
        assert not words or CJK.search(message.string), f"not translated into Chinese: {message.id!r} -> {message.string!r}"
        left = ENGLISH_RUN.findall(_prose(message.string))
        assert not left, f"English left in the translation of {message.id!r}: {left}"


def _calls(tree: ast.AST, name: str) -> list[ast.Call]:
    return [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", "") == name]


def test_every_message_of_rnn_helpers_can_be_extracted():
    """Babel extracts literals: ``_("...")``, or ``_(NAME)`` where NAME = N_("...") at module level; never an f-string."""
    for path in sorted((PROJECT_ROOT / "rnn_helpers").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        marked = {target.id for node in tree.body if isinstance(node, ast.Assign) and _calls(node.value, "N_")
                  for target in node.targets if isinstance(target, ast.Name)}
        for call in _calls(tree, "_") + _calls(tree, "N_"):
            argument = call.args[0] if len(call.args) == 1 else None
            literal = isinstance(argument, ast.Constant) and isinstance(argument.value, str)
            assert literal or isinstance(argument, ast.Name) and argument.id in marked, (
                f"{path.relative_to(PROJECT_ROOT)}:{call.lineno}: a message must be a string literal (Babel cannot extract "
                "anything else); put values in with .format(name=...)")


def test_every_claim_of_the_lessons_can_be_extracted():
    for path, number, cell in messages.lesson_code_cells():
        tree = ast.parse("\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in cell.source.splitlines()))
        for call in messages.holds_calls(tree):
            claim = call.args[0] if call.args else None
            assert isinstance(claim, ast.Constant) and isinstance(claim.value, str), (
                f"{path.name}, cell {number}: the claim of findings.holds must be a plain string literal, so that the "
                "catalogue holds its translation (measured values go in the third argument)")


# The language: chosen by the set-up cell, for its kernel.

def _lesson_01_parameters() -> dict:
    return dict(lesson.lesson_defaults()["01"])


def test_english_is_the_default_and_the_chinese_set_up_chooses_chinese():
    namespace = _lesson_01_parameters()
    try:
        lesson.setup("01", namespace, language="zh-CN")
        assert i18n.language() == "zh-CN"
        namespace["digit_index"] = -1
        with pytest.raises(LessonError, match=r"digit_index 必须是 0 到 59,999 之间的整数，现在是 -1；"):
            lesson.setup("01", namespace, language="zh-CN")
        lesson.setup("01", _lesson_01_parameters())  # an English lesson's set-up: English again
        assert i18n.language() == "en"
        with pytest.raises(LessonError, match=r"digit_index must be a whole number from 0 to 59,999, got -1"):
            lesson.setup("01", namespace)
        with pytest.raises(LessonError, match="no language 'zh'; the languages are en, zh-CN"):
            lesson.setup("01", _lesson_01_parameters(), language="zh")
    finally:
        i18n.set_language("en")


def test_a_message_table_built_in_english_speaks_the_language_chosen_later(capsys):
    """The checkers' tables of mistakes are built when their module is imported, before a lesson chooses its language."""
    import numpy as np

    def transposed_u(x_t, h_prev, W, U, b):
        return np.tanh(x_t @ W + h_prev @ U.T + b)

    assert exercises.verdict("03.4", transposed_u)[1].startswith("not yet. U is transposed")
    with i18n.speaking("zh-CN"):
        exercises.check("03.4", transposed_u)
    assert capsys.readouterr().out.startswith("练习 03.4：还不对。U 被转置了：状态是行向量")


def test_findings_speak_chinese(chinese, capsys):
    band = findings.band("03", "train_accuracy_after_one_epoch")
    run = findings.Findings("03", default_run=False)
    run.in_band("train_accuracy_after_one_epoch", 0.5)
    run.holds("about three digits in four have ink outside the central 20x20", False, "61.0%")
    out = capsys.readouterr().out.splitlines()
    assert out == [f"训练一轮后的训练集准确率：你的运行为 0.5；默认运行为 {band.low:.4g} 到 {band.high:.4g}",
                   "大约四分之三的数字在中央 20x20 之外有墨迹：在你的运行中不成立（61.0%）；在默认运行中成立"]
    assert run.note().startswith("- 训练一轮后的训练集准确率：本次运行为 0.5；区间为")
    assert not ENGLISH_RUN.findall(run.note())


def test_a_closing_note_printed_in_english_is_written_in_chinese():
    run = findings.Findings("03", default_run=False)
    run.measured["train_accuracy_after_one_epoch"] = 0.4567
    english = run.note()
    with i18n.speaking("zh-CN"):
        chinese_note = run.note()
    printed = f"some other line\n{english}\n"
    assert language_cells.chinese_note_lines(printed, "zh-CN") == f"some other line\n{chinese_note}\n"
    assert chinese_note != english and "本次运行为 0.4567" in chinese_note


# Answers in Chinese: the words the Chinese questions show, through the catalogue (context "choice").

@pytest.mark.parametrize("exercise_id, right, wrong, why", [
    ("04.2", "过拟合", "欠拟合", "欠拟合的表现"),
    ("04.3", "预测为 3 的次数", "数字 3 的测试图像", "第 3 行之和"),
    ("06.3", "无法判断", "更好", "波动之内"),
    ("07.4", "都不是", "B", "均值"),
])
def test_choice_exercises_accept_the_chinese_words(chinese, exercise_id, right, wrong, why):
    assert exercises.verdict(exercise_id, right)[0]
    assert exercises.verdict(exercise_id, f"“{right}”。")[0], "full-width quotes and full stop"
    ok, said = exercises.verdict(exercise_id, wrong)
    assert not ok and why in said, said
    assert any(exercises.verdict(exercise_id, option)[0] for option in _english_options(exercise_id)), "English still right"
    ok, said = exercises.verdict(exercise_id, "也许")
    assert not ok and said.startswith("还不对。请回答 [") and right in said, said


def _english_options(exercise_id: str) -> list[str]:
    """The English options of a choice exercise, as the catalogue's extraction found them."""
    return [m.id for m in messages.template()
            if m.context == "choice" and any(f"exercise {exercise_id}," in comment for comment in m.auto_comments)]


def test_every_choice_exercise_has_its_options_in_the_catalogue():
    extracted = {c for m in messages.template() if m.context == "choice" for c in re.findall(r"\d\d\.\d+", " ".join(m.auto_comments))}
    assert extracted >= {"04.2", "04.3", "06.3", "07.4"}


def test_the_chinese_questions_show_the_chinese_words():
    catalogue = i18n.catalogue("zh-CN")
    for exercise_id in ("04.2", "04.3", "06.3", "07.4"):
        lesson_name = next(les.name for les in LESSONS if les.number == exercise_id[:2])
        cells = nbformat.read(translate.edition_path(lesson_name), as_version=4).cells
        at = next(i for i, c in enumerate(cells) if f'exercises.check("{exercise_id}"' in c.source)
        for option in _english_options(exercise_id):
            assert catalogue.pgettext("choice", option) in cells[at - 1].source, (exercise_id, option)


# Worked solutions: the explanation in Chinese, from solutions/zh-CN/NN.toml (with the English it translates).

def test_every_worked_solution_has_a_current_chinese_explanation():
    solved = [exercises.worked_solution(exercise_id) for exercise_id in sorted(exercises.EXERCISES)]
    stale = [w.exercise_id for w in solved if w is not None and worked.explanation_in(w, "zh-CN") is None]
    assert not stale, (f"no Chinese explanation, or one translated from an English explanation since changed: {stale}. "
                       "Update solutions/zh-CN/NN.toml: `english` is the explanation of solutions/NN.toml, verbatim; "
                       "`explanation` its translation")
    for path in sorted((PROJECT_ROOT / "solutions" / "zh-CN").glob("*.toml")):
        for exercise_id, (_english, text) in worked.read_translations(path).items():
            assert exercise_id in exercises.EXERCISES, f"{path.name}: {exercise_id} is no exercise"
            assert CJK.search(text) and not ENGLISH_RUN.findall(_prose(text)), (path.name, exercise_id)


def test_solution_prints_chinese_and_says_when_the_translation_is_behind(chinese, capsys, monkeypatch, tmp_path):
    exercises.solution("03.4")
    out = capsys.readouterr().out
    assert out.startswith("练习 03.4，参考解答。") and exercises.worked_solution("03.4").code in out
    (tmp_path / "zh-CN").mkdir()
    shutil.copy(PROJECT_ROOT / "solutions" / "03.toml", tmp_path)
    (tmp_path / "zh-CN" / "03.toml").write_text('["03.4"]\nenglish = "An older explanation."\nexplanation = "旧的讲解。"\n',
                                                encoding="utf-8")
    monkeypatch.setenv("RNN_LESSONS_SOLUTIONS", str(tmp_path))
    exercises.solution("03.4")
    out = capsys.readouterr().out
    assert "（这道题讲解的中文译文还没有跟上英文的改动；下面是英文原文。）" in out and "旧的讲解" not in out
    assert exercises.worked_solution("03.4").explanation in out


# The Chinese edition's set-up cell and stored outputs.

def test_the_chinese_set_up_cell_chooses_chinese_and_its_guard_names_make_lab_zh():
    english = next(c.source for c in nbformat.read(LESSONS[3].path, as_version=4).cells if language_cells.is_setup_cell(c))
    chinese_source = language_cells.chinese_setup_source(english, "zh-CN")
    assert 'rnn_helpers.setup("04", globals(), language="zh-CN")' in chinese_source
    guard = ast.literal_eval(messages.guard_message(ast.parse(chinese_source)))
    assert "make lab-zh" in guard and CJK.search(guard)

    def without_guard(source):
        return source.replace(ast.get_source_segment(source, messages.guard_message(ast.parse(source))), "MESSAGE")

    assert without_guard(chinese_source) == without_guard(english).replace("globals())", 'globals(), language="zh-CN")')
    with pytest.raises(LessonError, match="exactly once"):
        language_cells.chinese_setup_source("import rnn_helpers\n", "zh-CN")


@pytest.fixture(scope="module")
def rerun():
    """Each stored Chinese edition, and a copy whose set-up and exercise cells ran again (one kernel for all)."""
    stored = [(les.name, nbformat.read(translate.edition_path(les.name), as_version=4)) for les in LESSONS]
    again = [(name, copy.deepcopy(nb)) for name, nb in stored]
    language_cells.execute_language_cells(again)
    return stored, again


@pytest.mark.parametrize("at", range(len(LESSONS)), ids=[les.number for les in LESSONS])
def test_the_chinese_editions_store_what_their_language_cells_print(rerun, at):
    (name, nb), (_name, ran) = rerun[0][at], rerun[1][at]
    assert 'language="zh-CN"' in next(c.source for c in nb.cells if language_cells.is_setup_cell(c)), (
        f"{name}: the Chinese set-up cell does not choose Chinese; run `python -m rnn_helpers translations build`")
    for index in language_cells.language_cell_indices(nb):
        assert ran.cells[index].outputs == nb.cells[index].outputs, (
            f"{name}, cell {nb.cells[index].id}: the stored output is not what it prints in Chinese; run "
            "`python -m rnn_helpers translations build`")


@pytest.mark.parametrize("at", range(len(LESSONS)), ids=[les.number for les in LESSONS])
def test_what_the_chinese_editions_print_from_rnn_helpers_is_chinese(rerun, at):
    name, nb = rerun[1][at]
    for cell in nb.cells:
        printed = "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream")
        if language_cells.is_exercise_cell(cell):
            assert printed and all(CJK.search(line) for line in printed.splitlines()), (name, cell.id, printed)
        assert not any(language_cells.NOTE_PATTERN.match(line) for line in printed.splitlines()), (name, cell.id)
        assert not any(o.get("output_type") == "error" for o in cell.get("outputs", [])), (name, cell.id)


@pytest.mark.parametrize("at", range(len(LESSONS)), ids=[les.number for les in LESSONS])
def test_the_chinese_editions_store_the_lines_rnn_helpers_prints_while_training_in_chinese(rerun, at):
    """Cells that train are not run again for the Chinese edition: what rnn_helpers printed in them (a verdict, where
    MNIST came from) is rewritten from the English run's values. None may be left in English."""
    name, nb = rerun[0][at]
    for cell in nb.cells:
        printed = "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream")
        left = [line for line in printed.splitlines() if any(p.search(line) for _t, p in language_cells.PRINTED_PATTERNS)]
        assert not left, f"{name}, cell {cell.id}: printed in English: {left}; run `python -m rnn_helpers translations build`"


def test_a_rewritten_verdict_is_what_the_chinese_kernel_prints():
    """The Chinese edition's verdict lines are rewritten from English ones: the rewrite must be, character for character,
    what runs.verdict prints in Chinese from the same runs, for each of its four forms and after a prefix the lesson printed."""
    from rnn_helpers import runs

    cases = [("a", [0.95, 0.96, 0.97], "b", [0.90, 0.905, 0.91], 1), ("a", [0.90, 0.905, 0.91], "b", [0.95, 0.96, 0.97], 3),
             ("LSTM", [0.90, 0.92, 0.91], "SimpleRNN", [0.91, 0.90, 0.92], 1), ("x y", [0.90, 0.92, 0.91], "z", [0.91, 0.90, 0.92], 2)]
    for name_a, runs_a, name_b, runs_b, family in cases:
        english = "  fresh seeds [3 4 5]: " + runs.verdict(name_a, runs_a, name_b, runs_b, family)
        with i18n.speaking("zh-CN"):
            chinese = "  fresh seeds [3 4 5]: " + runs.verdict(name_a, runs_a, name_b, runs_b, family)
        assert CJK.search(chinese) and chinese != english
        assert language_cells.chinese_note_lines(english + "\n", "zh-CN") == chinese + "\n"


def test_a_comparison_can_be_read_in_chinese(chinese, capsys):
    """06.5 and 07.5 ask for a reading of the student's own comparison: 高于 / 低于 / 排不出先后 as the verdict prints it."""
    mine, columns = [0.931, 0.944, 0.937], [0.944, 0.933, 0.9432]
    for exercise_id in ("06.5", "07.5"):
        assert exercises.verdict(exercise_id, (mine, columns, "排不出先后"))[0]
        assert exercises.verdict(exercise_id, (mine, columns, "not ranked"))[0]
        right, why = exercises.verdict(exercise_id, (mine, columns, "高于"))
        assert not right and "包含 0" in why, why
        right, why = exercises.verdict(exercise_id, (mine, columns, "maybe"))
        assert not right and "排不出先后" in why and "maybe" in why, why


def test_a_language_cell_that_needs_the_lesson_stops_the_build_and_nothing_is_written(tmp_path, monkeypatch):
    """Two lessons of code cells only (no markdown, so no translation to keep in step): the second one's exercise cell
    uses a variable of the lesson, which a run of the language cells alone does not have."""
    (tmp_path / "notebooks").mkdir()
    cells = nbformat.read(LESSONS[0].path, as_version=4).cells
    kept = [c for c in cells if c.cell_type == "code" and ("parameters" in c.metadata.get("tags", [])
                                                          or language_cells.is_setup_cell(c))]
    exercise = copy.deepcopy(next(c for c in cells if language_cells.is_exercise_cell(c)))
    paths = []
    for name, extra in (("01_good", ""), ("01_needs_the_lesson", "answer = x_train.shape\n")):
        nb = nbformat.v4.new_notebook(cells=copy.deepcopy(kept) + [copy.deepcopy(exercise)], metadata={
            "kernelspec": nbformat.read(LESSONS[0].path, as_version=4).metadata.kernelspec})
        nb.cells[-1].source = extra + exercise.source
        paths.append(tmp_path / "notebooks" / f"{name}.ipynb")
        nbformat.write(nb, paths[-1])
    monkeypatch.setattr(translate, "TRANSLATIONS_DIR", tmp_path / "translations")
    monkeypatch.setattr(translate, "EDITION_DIR", tmp_path / "notebooks" / "zh-CN")
    with pytest.raises(LessonError, match=rf"cell {exercise.id} of 01_needs_the_lesson failed when the language cells ran"):
        translate.build(paths)
    assert not translate.EDITION_DIR.exists(), "a failed build writes nothing, not even the lesson that ran"


# JupyterLab in Chinese: `make lab-zh`.

def test_make_lab_zh_selects_the_official_chinese_language_pack_and_make_lab_does_not():
    assert metadata.version("jupyterlab-language-pack-zh-cn") == "4.5.post3"
    makefile = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\nlab-zh:", 1)[1].split("\n\n", 1)[0]
    settings = kernel.lab_settings_dir("zh-CN")
    assert f"--LabApp.app_settings_dir=$(VENV)/{settings.relative_to(sys.prefix).as_posix()}" in recipe
    assert "app_settings_dir" not in makefile.split("\nlab:", 1)[1].split("\n\n", 1)[0]
    chosen = json.loads((settings / "overrides.json").read_text(encoding="utf-8"))
    assert chosen["@jupyterlab/translation-extension:plugin"] == {"locale": "zh_CN"}
    assert "@jupyterlab/translation-extension:plugin" not in json.loads(
        (kernel.lab_settings_dir("en") / "overrides.json").read_text(encoding="utf-8"))


def test_jupyterlab_with_lab_zh_settings_serves_its_menus_in_chinese(tmp_path):
    runtime, token = tmp_path / "runtime", "rnn-lessons-test"
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root", "--ServerApp.port=0", "--ServerApp.ip=127.0.0.1",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={tmp_path}",
         f"--LabApp.app_settings_dir={kernel.lab_settings_dir('zh-CN')}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "JUPYTER_NO_CONFIG": "1", "JUPYTER_RUNTIME_DIR": str(runtime),
             "JUPYTERLAB_SETTINGS_DIR": str(tmp_path / "user-settings")})
    try:
        deadline = time.monotonic() + 90
        while not list(runtime.glob("jpserver-*.json")):
            assert server.poll() is None and time.monotonic() < deadline, "JupyterLab did not start"
            time.sleep(0.2)
        base = f"http://127.0.0.1:{json.loads(next(runtime.glob('jpserver-*.json')).read_text())['port']}"

        def get(path: str) -> dict:
            while True:
                try:
                    with urllib.request.urlopen(f"{base}{path}?token={token}", timeout=5) as answer:
                        return json.load(answer)
                except OSError:
                    assert time.monotonic() < deadline, f"JupyterLab did not answer {path}"
                    time.sleep(0.2)

        setting = get("/lab/api/settings/@jupyterlab/translation-extension:plugin")
        assert setting["schema"]["properties"]["locale"]["default"] == "zh_CN", "lab-zh's override is JupyterLab's default"
        packs = get("/lab/api/translations/")["data"]
        assert "zh_CN" in packs, packs
        strings = get("/lab/api/translations/zh_CN")["data"]["jupyterlab"]
        assert strings["menu\x04Kernel"] == ["内核"] and strings["Change Kernel…"] == ["更改内核…"]
    finally:
        server.terminate()
        server.wait(timeout=30)
