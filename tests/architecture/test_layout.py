"""The shape of the code base: one package per pipeline stage, no import cycles, small modules.

The layers themselves (command line > flows > stages > contracts) are declared for
import-linter in pyproject.toml and checked by `lint-imports` in `make lint` and CI; this file
checks what import-linter does not: cycles through lazy imports too, module size, the tree.
"""

from __future__ import annotations

from pathlib import Path

import grimp

from tests.support import CHECKOUT as ROOT

PACKAGES = ("d9", "flows", "tasks", "schemas")
STAGES = {
    "load", "validate", "indicators", "history", "report", "deliver", "statedb", "approval",
    "similar", "export",
}  # fmt: skip
MAX_LINES = 300


def _edges() -> dict[str, set[str]]:
    graph = grimp.build_graph(*PACKAGES)  # imports inside functions count too
    return {m: graph.find_modules_directly_imported_by(m) for m in graph.modules}


def _cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """Return one import cycle as a list of modules, or None (iterative depth-first search)."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    for root in sorted(edges):
        if state.get(root):
            continue
        path, stack = [root], [iter(sorted(edges[root]))]
        state[root] = 1
        while stack:
            child = next(stack[-1], None)
            if child is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(child) == 1:
                return [*path[path.index(child) :], child]
            elif not state.get(child):
                state[child] = 1
                path.append(child)
                stack.append(iter(sorted(edges.get(child, ()))))
    return None


def test_cycle_finder_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set(), "c": {"a", "b"}}) is None


def test_no_import_cycles() -> None:
    assert _cycle(_edges()) is None


def test_every_stage_is_a_package_and_nothing_stage_like_is_flat() -> None:
    tasks = ROOT / "tasks"
    packages = {p.parent.name for p in tasks.glob("*/__init__.py")}
    assert packages >= STAGES
    flat = {p.name for p in tasks.glob("*.py")}
    assert flat == {"__init__.py", "_files.py"}  # shared helpers only


def test_every_stage_says_what_it_takes_and_gives() -> None:
    for stage in STAGES:
        doc = (ROOT / "tasks" / stage / "__init__.py").read_text(encoding="utf-8")
        assert doc.startswith('"""') and "takes" in doc.split('"""')[1], stage


def test_product_modules_are_small() -> None:
    sizes = {
        str(p.relative_to(ROOT)): len(p.read_text(encoding="utf-8").splitlines())
        for package in PACKAGES
        for p in Path(ROOT / package).rglob("*.py")
    }
    assert {p: n for p, n in sizes.items() if n > MAX_LINES} == {}


def test_tests_mirror_the_source_tree() -> None:
    """Each package under tasks/ has its tests in tests/tasks/<package>/; none lie flat."""
    packages = {p.parent.name.removeprefix("_") for p in (ROOT / "tasks").glob("*/__init__.py")}
    tested = {p.parent.name for p in (ROOT / "tests" / "tasks").glob("*/__init__.py")}
    assert packages == tested
    assert {p.name for p in (ROOT / "tests" / "tasks").glob("*.py")} == {"__init__.py"}
