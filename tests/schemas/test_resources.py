"""Contract: every file the code reads comes through `schemas.resources` (importlib.resources),
so a checkout, an editable install and an installed wheel find the same files."""

from __future__ import annotations

import pytest

from schemas import resources
from schemas.catalogue import LANGUAGES
from schemas.errors import ConfigError
from tests.support import CHECKOUT

SOURCES = ("d9", "flows", "tasks", "schemas")


def test_the_folders_and_files_are_those_of_the_packages() -> None:
    assert (resources.templates_dir() / "report.html.j2").is_file()
    assert (resources.templates_dir() / "partials" / "macros.html.j2").is_file()
    assert all((resources.messages_dir() / f"{lang}.toml").is_file() for lang in LANGUAGES)
    for name in ("branches.csv", "principles.csv", "vocabulary.csv"):
        assert resources.reference_csv(name).read_text(encoding="utf-8").count("\n") > 1
    assert resources.bundled_config().name == "d9.toml" and resources.bundled_config().is_file()
    assert resources.sample_workbook().read_bytes()[:2] == b"PK"  # an xlsx is a zip


def test_shipped_files_match_one_folder_by_name_in_order() -> None:
    found = resources.shipped_files("tasks/validate/*.py")
    names = [f.name for f in found]
    assert "cache.py" in names and "__init__.py" in names and names == sorted(names)
    assert [f.name for f in resources.shipped_files("data/reference/*.csv")] == [
        "branches.csv",
        "principles.csv",
        "vocabulary.csv",
    ]
    assert resources.shipped_files("templates/messages/*.TOML") == []  # case-sensitive


def test_a_resource_that_is_not_a_file_on_disk_is_one_line() -> None:
    class Zipped:  # what a zip importer would hand out: a Traversable, not a Path
        def __str__(self) -> str:
            return "d9.zip/data/d9.toml"

    with pytest.raises(ConfigError, match="installed as files, not zipped"):
        resources._on_disk(Zipped())  # type: ignore[arg-type]


def test_no_product_module_finds_files_from_its_own_location() -> None:
    # Paths computed from __file__ point into a checkout; an installed package has none.
    offenders = [
        str(path.relative_to(CHECKOUT))
        for package in SOURCES
        for path in (CHECKOUT / package).rglob("*.py")
        if "__file__" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
