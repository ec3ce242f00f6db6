"""Command line: ``python -m rnn_helpers {run,list,outputs,translations,messages,defaults,classroom,data,kernel}``
(``rnn_helpers/__main__.py`` hands over to ``main``). ``python -m rnn_helpers --fast`` means ``run --fast``."""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

from rnn_build import kernel, lessons, pipeline, translate, translation_checks
from rnn_build.execute import CELL_TIMEOUT
from rnn_build.notebook_files import BUILD_DIR
from rnn_helpers import data
from rnn_helpers.errors import LessonError


def parse_override(text: str) -> tuple[str, object]:
    """``name=value`` with a Python literal value (``cell_size=20``, ``lr=1e-3``)."""
    name, sep, value = text.partition("=")
    if not sep or not name.isidentifier():
        raise argparse.ArgumentTypeError(f"expected name=value, got {text!r}")
    try:
        return name, ast.literal_eval(value)
    except (ValueError, SyntaxError):
        raise argparse.ArgumentTypeError(
            f"the value of {name} must be a Python literal (a number, True, 'text'), got {value!r}") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m rnn_helpers",
                                     description="Run and maintain the rnn-lessons notebooks.")
    sub = parser.add_subparsers(dest="command")
    run = sub.add_parser("run", help="execute the lessons into build/ (HTML, index, summary)")
    run.add_argument("--fast", action="store_true",
                     help="small parameters (a slice of the data, one epoch): a smoke run")
    run.add_argument("--only", action="append", metavar="NN",
                     help="run only this lesson (number or name prefix); repeatable")
    run.add_argument("--out", type=Path, default=BUILD_DIR, metavar="DIR",
                     help="where executed notebooks and HTML go (default: build/)")
    run.add_argument("--set", dest="overrides", action="append", type=parse_override, default=[],
                     metavar="NAME=VALUE", help="override a parameter in every lesson that has it")
    run.add_argument("--timeout", type=int, default=CELL_TIMEOUT,
                     help="seconds one cell may run (default: %(default)s)")
    run.add_argument("--no-progress", action="store_true", help="no progress bars")
    sub.add_parser("list", help="list the lessons and their fast parameters")
    outputs = sub.add_parser("outputs", help="re-execute lessons and store their outputs in notebooks/")
    outputs.add_argument("--only", action="append", metavar="NN")
    translations = sub.add_parser("translations", help="the Chinese edition: list stale blocks, check, or build notebooks/zh-CN/")
    translations.add_argument("words", nargs="*", metavar="[stale|check|build] [NN ...]",
                              help="stale (the default): what to update after an English edit; check: also numbers, code, "
                                   "links and the glossary; build: write the Chinese notebooks (only when in step). "
                                   "NN: lesson numbers or name prefixes (default: all)")
    sub.add_parser("defaults", help="copy the parameters cells' defaults to rnn_helpers/lesson_defaults.json (outputs does it too)")
    classroom = sub.add_parser("classroom", help="build the classroom edition: an nbgrader course folder (teacher's and "
                                                 "students' editions; docs/classroom.md)")
    classroom.add_argument("--out", type=Path, default=BUILD_DIR / "classroom", metavar="DIR",
                           help="the course folder (default: build/classroom/; a real class's gradebook lives there too)")
    classroom.add_argument("--only", action="append", metavar="NN", help="only this lesson (number or name prefix); repeatable")
    classroom.add_argument("--fast", action="store_true",
                           help="the lessons' fast parameters in their parameters cells: quick runs and autogrades")
    sub.add_parser("data", help="find, verify and cache MNIST; say where it came from")
    sub.add_parser("kernel", help="register this environment as the kernel 'rnn-lessons (.venv)' (make setup does it)")
    messages = sub.add_parser("messages", help="the Chinese catalogue of rnn_helpers' messages: update (extract, merge, "
                                               "compile; the default) or check")
    messages.add_argument("action", nargs="?", choices=("update", "check"), default="update")
    return parser


ACTIONS = ("stale", "check", "build")


def chinese_edition(stored: list[lessons.Lesson]) -> int:
    """Rebuild the Chinese edition of lessons whose outputs were just stored: each lesson's translation checked on its
    own, so one stale translation holds back only its own lesson; the lessons in step built together (their language
    cells run in one kernel). 1, naming each lesson held back and how to update it, if any was."""
    held_back, ready = [], []
    for lesson in stored:
        try:
            translate.translated(translate.read_english(lesson.path), lesson.name, strict=True)
            ready.append(lesson)
        except LessonError as exc:
            held_back.append(lesson)
            print(f"error: {exc}", file=sys.stderr)
    try:
        for path in translate.build([lesson.path for lesson in ready]):
            print(f"wrote {data.show_path(path)}")
    except LessonError as exc:
        held_back += ready
        print(f"error: {exc}", file=sys.stderr)
    if held_back:
        numbers = " ".join(lesson.number for lesson in held_back)
        print(f"The English outputs are stored; the Chinese edition of {numbers} is not. Update the translation "
              f"(`python -m rnn_helpers translations {numbers}` shows what changed), then "
              f"`python -m rnn_helpers translations build {numbers}`.", file=sys.stderr)
        return 1
    return 0


def translations_command(words: list[str]) -> int:
    """``python -m rnn_helpers translations [stale|check|build] [NN ...]``: 0 when every lesson is in step (and clean)."""
    action, *only = words if words[:1] and words[0] in ACTIONS else ["stale", *words]
    try:
        chosen = lessons.list_lessons(only=only or None)
    except LessonError as exc:
        raise LessonError(f"{exc}; the actions are {', '.join(ACTIONS)}") from None
    if action == "build":
        for path in translate.build([lesson.path for lesson in chosen]):
            print(f"wrote {data.show_path(path)}")
        return 0
    bad = 0
    for lesson in chosen:
        report = (translate.describe_stale(lesson.path) if action == "stale"
                  else "\n".join(translation_checks.problems(lesson.path)))
        if report:
            bad += 1
            print(report + "\n")
    print(f"{len(chosen) - bad} of {len(chosen)} lessons' translations are "
          + ("in step with the English" if action == "stale" else "clean"))
    return 1 if bad else 0


def messages_command(action: str) -> int:
    """``python -m rnn_helpers messages [update|check]``: 0 when the catalogue is in step with the source and complete."""
    from rnn_build import messages  # Babel: only here

    if action == "update":
        untranslated = messages.update()
        print(f"wrote {data.show_path(messages.PO_FILE)} and {data.show_path(messages.MO_FILE)}")
        if untranslated:
            print(f"{len(untranslated)} messages to translate in {data.show_path(messages.PO_FILE)} (then run this again):\n"
                  + "\n".join(untranslated))
            return 1
        return 0
    found = messages.problems()
    print("\n".join(found) if found else "the catalogue is in step with the source, and every message is translated")
    return 1 if found else 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
        argv = ["run", *argv]  # `python -m rnn_helpers --fast` means `run --fast`
    args = build_parser().parse_args(argv)
    command = args.command
    try:
        if command == "data":
            mnist = data.load_mnist()
            print(f"train {mnist.x_train.shape}, test {mnist.x_test.shape}: verified")
            return 0
        if command == "kernel":
            print(f"kernel {kernel.KERNEL_NAME!r} ({kernel.KERNEL_DISPLAY_NAME}) registered in {kernel.install_kernel()}")
            return 0
        if command == "list":
            for lesson in lessons.list_lessons():
                print(f"{lesson.name}  fast: {lessons.fast_parameters(lesson.path)}")
            return 0
        if command == "translations":
            return translations_command(args.words)
        if command == "messages":
            return messages_command(args.action)
        if command == "classroom":
            from rnn_build import classroom  # nbgrader: only here (make classroom-setup installs it)

            classroom.build(args.out, args.only, args.fast)
            return 0
        if command == "defaults":
            print(f"wrote {data.show_path(lessons.write_lesson_defaults())}")
            return 0
        chosen = lessons.list_lessons(only=args.only)
        if command == "outputs":
            lessons.write_lesson_defaults()  # the set-up cells tell the default run by these
            results = pipeline.store_outputs(chosen)
        else:
            results = pipeline.run_series(chosen, args.out, args.fast, dict(args.overrides),
                                          args.timeout, progress=not args.no_progress)
            print(f"\nExecuted notebooks and HTML: {data.show_path(args.out)}/index.html")
    except LessonError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(pipeline.format_summary(results))
    code = 0
    report = pipeline.failure_report(results)
    if report:
        print(report, file=sys.stderr)
        code = 1
    if command == "outputs":  # the lessons stored before a failure get their Chinese edition too
        code = chinese_edition([r.lesson for r in results if r.ok]) or code
    return code


if __name__ == "__main__":
    sys.exit(main())
