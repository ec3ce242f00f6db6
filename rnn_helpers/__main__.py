"""Command line: ``python -m rnn_helpers {run,list,outputs,data}``."""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

from rnn_helpers import data, series
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
    run.add_argument("--out", type=Path, default=series.BUILD_DIR, metavar="DIR",
                     help="where executed notebooks and HTML go (default: build/)")
    run.add_argument("--set", dest="overrides", action="append", type=parse_override, default=[],
                     metavar="NAME=VALUE", help="override a parameter in every lesson that has it")
    run.add_argument("--timeout", type=int, default=series.CELL_TIMEOUT,
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
    sub.add_parser("data", help="find, verify and cache MNIST; say where it came from")
    sub.add_parser("kernel", help="register this environment as the kernel 'rnn-lessons (.venv)' (make setup does it)")
    return parser


ACTIONS = ("stale", "check", "build")


def chinese_edition(lessons: list) -> int:
    """Rebuild the Chinese edition of lessons whose outputs were just stored: each lesson on its own, so one stale
    translation holds back only its own lesson. 1, naming each lesson held back and how to update it, if any was."""
    from rnn_helpers import translate

    held_back = []
    for lesson in lessons:
        try:
            print(f"wrote {data.show_path(translate.build([lesson.path])[0])}")
        except LessonError as exc:
            held_back.append(lesson)
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
    from rnn_helpers import translate

    action, *only = words if words[:1] and words[0] in ACTIONS else ["stale", *words]
    try:
        lessons = series.list_lessons(only=only or None)
    except LessonError as exc:
        raise LessonError(f"{exc}; the actions are {', '.join(ACTIONS)}") from None
    if action == "build":
        for path in translate.build([lesson.path for lesson in lessons]):
            print(f"wrote {data.show_path(path)}")
        return 0
    bad = 0
    for lesson in lessons:
        report = (translate.describe_stale(lesson.path) if action == "stale"
                  else "\n".join(translate.problems(lesson.path)))
        if report:
            bad += 1
            print(report + "\n")
    print(f"{len(lessons) - bad} of {len(lessons)} lessons' translations are "
          + ("in step with the English" if action == "stale" else "clean"))
    return 1 if bad else 0


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
            print(f"kernel {series.KERNEL_NAME!r} ({series.KERNEL_DISPLAY_NAME}) registered in {series.install_kernel()}")
            return 0
        if command == "list":
            for lesson in series.list_lessons():
                print(f"{lesson.name}  fast: {series.fast_parameters(lesson.path)}")
            return 0
        if command == "translations":
            return translations_command(args.words)
        lessons = series.list_lessons(only=args.only)
        if command == "outputs":
            results = series.store_outputs(lessons)
        else:
            results = series.run_series(lessons, args.out, args.fast, dict(args.overrides),
                                        args.timeout, progress=not args.no_progress)
            print(f"\nExecuted notebooks and HTML: {data.show_path(args.out)}/index.html")
    except LessonError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(series.format_summary(results))
    code = 0
    report = series.failure_report(results)
    if report:
        print(report, file=sys.stderr)
        code = 1
    if command == "outputs":  # the lessons stored before a failure get their Chinese edition too
        code = chinese_edition([r.lesson for r in results if r.ok]) or code
    return code


if __name__ == "__main__":
    sys.exit(main())
