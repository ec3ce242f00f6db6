"""The project's imports, read from the source with ``ast``: no circle among the modules of rnn_helpers and rnn_build,
and rnn_helpers (what a lesson imports) never reaches into the build wing or the notebook runners.

Every import counts, at module level and inside functions: an import inside a function only delays a circle until
the function runs, it does not remove it.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from rnn_helpers.data import PROJECT_ROOT

PACKAGES = ("rnn_helpers", "rnn_build")
# What the lessons' package must not import: the runners, Babel (only the catalogue's upkeep needs it; a lesson reads the
# compiled catalogue with gettext) and the build wing (only `python -m rnn_helpers` hands over).
BUILD_ONLY = {"papermill", "nbconvert", "nbclient", "babel", "rnn_build"}
ALLOWED_TO_HAND_OVER = {"rnn_helpers.__main__"}


def modules(root: Path, packages=PACKAGES) -> dict[str, Path]:
    """Every module of ``packages`` under ``root``, by dotted name (a package by its own name, for its __init__.py)."""
    found = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def imports(name: str, path: Path) -> list[tuple[str, str | None]]:
    """Every import in the source of module ``name``, anywhere in it: (module, None) for ``import module``,
    (module, name) for each name of ``from module import name``; relative imports made absolute."""
    here = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(alias.name, None) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = node.module
            if node.level:
                module = ".".join(here[:len(here) - (node.level - 1)] + ([node.module] if node.module else []))
            found += [(module, alias.name) for alias in node.names]
    return found


def import_graph(root: Path, packages=PACKAGES) -> dict[str, set[str]]:
    """Module -> the modules of ``packages`` it imports. ``from a import b`` imports the module a.b when there is
    one, else a (for a name defined there); ``import a.b.c`` imports the longest of a.b.c, a.b, a that is a module."""
    known = modules(root, packages)
    graph = {}
    for name, path in known.items():
        targets = set()
        for module, imported in imports(name, path):
            if imported and f"{module}.{imported}" in known:
                targets.add(f"{module}.{imported}")
                continue
            parts = module.split(".")
            prefixes = [".".join(parts[:n]) for n in range(len(parts), 0, -1)]
            targets.update(next(([p] for p in prefixes if p in known), []))
        graph[name] = targets
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One shortest circle through each group of modules that import each other (Tarjan's strongly connected
    components), each as a list of module names that starts and ends with the same one."""
    index, low, stack, on_stack, groups, counter = {}, {}, [], set(), [], [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1 or node in graph.get(node, ()):
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [_shortest_circle(graph, group) for group in groups]


def _shortest_circle(graph: dict[str, set[str]], group: list[str]) -> list[str]:
    start, members = group[0], set(group)
    paths, seen = [[start]], {start}
    while paths:
        path = paths.pop(0)
        for target in sorted(graph[path[-1]] & members):
            if target == start:
                return [*path, start]
            if target not in seen:
                seen.add(target)
                paths.append([*path, target])
    raise AssertionError(f"no circle through {group}")


def forbidden_imports(root: Path, package: str = "rnn_helpers") -> list[str]:
    """``module imports name`` for each import of BUILD_ONLY in ``package`` (except the modules that hand over)."""
    found = []
    for name, path in modules(root, (package,)).items():
        if name in ALLOWED_TO_HAND_OVER:
            continue
        for module, _ in imports(name, path):
            if module.split(".")[0] in BUILD_ONLY and f"{name} imports {module}" not in found:
                found.append(f"{name} imports {module}")
    return found


def describe(circles: list[list[str]]) -> str:
    return "; ".join(" -> ".join(circle) for circle in circles)


def test_no_module_imports_itself_in_a_circle():
    graph = import_graph(PROJECT_ROOT)
    assert {"rnn_helpers.data", "rnn_build.pipeline", "rnn_build.cli", "rnn_helpers.__main__"} <= set(graph)
    assert "rnn_build.translate" in graph["rnn_build.pipeline"] and "rnn_build.cli" in graph["rnn_helpers.__main__"]
    found = cycles(graph)
    assert not found, f"import circles: {describe(found)}"


def test_the_build_wing_imports_downward():
    # Bottom to top, as rnn_build/__init__.py lists them: a module imports only the ones before it.
    order = ["notebook_files", "kernel", "provenance", "lessons", "execute", "messages", "language_cells", "translate",
             "translation_checks", "render", "pipeline", "grading", "classroom", "hub_exchange", "hub", "cli"]
    graph = import_graph(PROJECT_ROOT)
    assert set(order) == {name.split(".")[1] for name in graph if name.startswith("rnn_build.")}
    for at, module in enumerate(order):
        upward = {t for t in graph[f"rnn_build.{module}"] if t.startswith("rnn_build.") and t.split(".")[1] not in order[:at]}
        assert not upward, f"rnn_build.{module} imports {sorted(upward)}, which stand above it"
    assert not graph["rnn_build"], "the package's __init__ imports nothing"


def test_the_lessons_package_does_not_import_the_build_wing_or_the_runners():
    found = forbidden_imports(PROJECT_ROOT)
    assert not found, "rnn_helpers is what lessons import; publishing belongs in rnn_build: " + "; ".join(found)
    # Nor through a package it imports: importing it loads none of them.
    code = f"import sys, rnn_helpers; print(sorted({{m.split('.')[0] for m in sys.modules}} & {BUILD_ONLY!r}))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


@pytest.fixture
def tangled(tmp_path):
    """A small package with a circle hidden by an import inside a function, and a forbidden import."""
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text('"""Nothing."""\n')
    (package / "a.py").write_text("import os\n\n\ndef f():\n    from pkg import b\n    return b\n")
    (package / "b.py").write_text("from .sub import c\n")
    (package / "sub" / "__init__.py").write_text("")
    (package / "sub" / "c.py").write_text("from .. import a\nfrom pkg.b import name_defined_there\n\n\ndef g():\n"
                                          "    import papermill\n")
    (package / "d.py").write_text("from pkg import a\n")
    return tmp_path


def test_a_circle_is_found_and_named(tangled):
    graph = import_graph(tangled, ("pkg",))
    assert graph["pkg.a"] == {"pkg.b"} and graph["pkg.b"] == {"pkg.sub.c"} and graph["pkg.sub.c"] == {"pkg.a", "pkg.b"}
    assert graph["pkg.d"] == {"pkg.a"} and graph["pkg"] == set()
    found = cycles(graph)
    assert describe(found) == "pkg.a -> pkg.b -> pkg.sub.c -> pkg.a"
    with pytest.raises(AssertionError, match=r"import circles: pkg.a -> pkg.b -> pkg.sub.c -> pkg.a"):
        assert not found, f"import circles: {describe(found)}"


def test_a_forbidden_import_inside_a_function_is_found(tangled):
    assert forbidden_imports(tangled, "pkg") == ["pkg.sub.c imports papermill"]
