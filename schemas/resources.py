"""The files shipped inside the packages, found with `importlib.resources`.

The templates and message catalogues are package data of `templates`; the reference CSVs, the
bundled configuration and the sample workbook of `data`. They are found the same way from a
checkout, an editable install and an installed wheel: nothing computes a path from where a
source file happens to sit in a checkout.
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from schemas.errors import ConfigError

TEMPLATES = "templates"
DATA = "data"


def templates_dir() -> Path:
    """The folder of the Jinja templates (a folder on disk: Jinja's file loader reads it)."""
    return _on_disk(files(TEMPLATES))


def messages_dir() -> Traversable:
    """The folder of the message catalogues, one `<language>.toml` each."""
    return files(TEMPLATES) / "messages"


def reference_csv(name: str) -> Traversable:
    """One table of the reference data: `branches.csv`, `principles.csv` or `vocabulary.csv`."""
    return files(DATA) / "reference" / name


def bundled_config() -> Path:
    """The bundled configuration `d9.toml` (its sources are paths relative to its folder)."""
    return _on_disk(files(DATA) / "d9.toml")


def sample_workbook() -> Path:
    """The bundled sample workbook `seuranta.xlsx`."""
    return _on_disk(files(DATA) / "seuranta.xlsx")


def shipped_files(pattern: str) -> list[Traversable]:
    """The files of a package folder matching `pattern`, by name: e.g. `tasks/validate/*.py`.

    The first part names a top-level package, the last a file name pattern (case-sensitive).
    """
    package, *folders, name = pattern.split("/")
    folder = files(package)
    for part in folders:
        folder = folder / part
    found = (f for f in folder.iterdir() if f.is_file() and fnmatchcase(f.name, name))
    return sorted(found, key=lambda f: f.name)


def _on_disk(resource: Traversable) -> Path:
    # A wheel installs as files; only an exotic importer (a zip) would hand out something else.
    if not isinstance(resource, Path):
        raise ConfigError(f"d9 must be installed as files, not zipped: cannot read {resource}")
    return resource.resolve()
