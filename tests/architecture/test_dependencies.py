"""Contract: every distribution the product code imports is declared in pyproject.toml.

Each third-party top-level module imported anywhere in the shipped packages (lazy imports inside
functions too) maps, through `importlib.metadata.packages_distributions()`, to a distribution
of `[project] dependencies` or of an extra; and every declared distribution has its exact pin
in requirements.txt, so an install and CI get the versions the suite ran with.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from collections.abc import Iterator
from importlib.metadata import packages_distributions

from tests.support import CHECKOUT

PYPROJECT = tomllib.loads((CHECKOUT / "pyproject.toml").read_text(encoding="utf-8"))
# The shipped top-level packages, as pyproject's package discovery names them.
PACKAGES = tuple(
    name
    for name in PYPROJECT["tool"]["setuptools"]["packages"]["find"]["include"]
    if "*" not in name
)


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_name(requirement: str) -> str:
    found = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement)
    assert found, requirement
    return _normal(found.group(0))


def _declared() -> set[str]:
    project = PYPROJECT["project"]
    extras = [r for group in project.get("optional-dependencies", {}).values() for r in group]
    return {_requirement_name(r) for r in [*project["dependencies"], *extras]}


def _imported_modules() -> Iterator[tuple[str, str]]:
    """(top-level module, file) for every absolute import of the shipped packages."""
    for package in PACKAGES:
        for path in sorted((CHECKOUT / package).rglob("*.py")):
            where = str(path.relative_to(CHECKOUT))
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), where)):
                if isinstance(node, ast.Import):
                    yield from ((alias.name.split(".")[0], where) for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    yield node.module.split(".")[0], where


def test_the_shipped_packages_are_the_product_folders() -> None:
    assert set(PACKAGES) == {"d9", "flows", "tasks", "schemas", "templates", "data"}


def test_every_imported_distribution_is_declared() -> None:
    own, declared = set(PACKAGES), _declared()
    distributions = packages_distributions()
    undeclared: dict[str, str] = {}
    for module, where in _imported_modules():
        if module in own or module in sys.stdlib_module_names or module == "__future__":
            continue
        names = {_normal(d) for d in distributions.get(module, ())}
        if not names & declared:
            undeclared.setdefault(module, f"{where} (distribution: {sorted(names) or 'none'})")
    assert undeclared == {}, f"imported, not declared in pyproject.toml: {undeclared}"


def test_the_postgresql_driver_is_an_extra() -> None:
    extras = PYPROJECT["project"]["optional-dependencies"]
    assert {_requirement_name(r) for r in extras["postgresql"]} == {"psycopg"}
    assert "psycopg" not in {_requirement_name(r) for r in PYPROJECT["project"]["dependencies"]}


def test_every_declared_distribution_is_pinned_in_requirements_txt() -> None:
    text = (CHECKOUT / "requirements.txt").read_text(encoding="utf-8")
    pinned = {_normal(m) for m in re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==", text, re.M)}
    assert _declared() - pinned == set()
