"""Contract: the product code stays typed and its request is resolved once, measured from the
source as the next developer would count it (issue 19's measures):

- at most 8 `dict[str, Any]` annotations in d9/, flows/, tasks/, schemas/ (typed dataclasses,
  named aliases for a Polars record or a JSON object, not loose dicts between stages);
- at most 3 functions taking more than 6 parameters (`self`/`cls` not counted): a flow's form
  may need them, nothing else should;
- at most 4 calls reading the wall clock outside d9/ (`datetime.now`, `date.today`, ...): the
  entry points read it once and hand it down in the request.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from tests.support import CHECKOUT as ROOT

PACKAGES = ("d9", "flows", "tasks", "schemas")

CLOCK = {("datetime", "now"), ("datetime", "utcnow"), ("datetime", "today"), ("date", "today")}


def _modules(*packages: str) -> Iterator[tuple[Path, str]]:
    for package in packages:
        for path in sorted((ROOT / package).rglob("*.py")):
            yield path, path.read_text(encoding="utf-8")


def _functions(tree: ast.AST) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    yield from (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef))


def _parameters(node: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    a = node.args
    names = [x.arg for x in (*a.posonlyargs, *a.args, *a.kwonlyargs)]
    return names[1:] if names[:1] in (["self"], ["cls"]) else names


def test_few_untyped_dicts() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{text[: m.start()].count(chr(10)) + 1}"
        for path, text in _modules(*PACKAGES)
        for m in re.finditer(r"dict\[str, Any\]", text)
    ]
    assert len(found) <= 8, found


def test_few_functions_with_many_parameters() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{node.lineno} {node.name}"
        for path, text in _modules(*PACKAGES)
        for node in _functions(ast.parse(text))
        if len(_parameters(node)) > 6
    ]
    assert len(found) <= 3, found


def test_the_clock_is_read_at_the_edges() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path, text in _modules("flows", "tasks", "schemas")
        for node in ast.walk(ast.parse(text))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and (node.func.value.id, node.func.attr) in CLOCK
    ]
    assert len(found) <= 4, found
