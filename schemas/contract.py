"""The vocabulary of a data contract: a dataset is a sheet of typed, named columns.

Loading (header matching, type coercion, value normalisation) and validation (the
expectation suites) are both derived from these declarations; nothing else restates them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    """How a column's cells are read."""

    TEXT = "text"
    INT = "int"
    FLOAT = "float"
    DATE = "date"
    BOOL = "bool"
    CHOICE = "choice"  # one value of `choices`, accepted through `value_aliases`
    LIST = "list"  # `;` or `,` separated values of `choices`
    EMAIL = "email"


class Need(StrEnum):
    """How much a blank cell matters."""

    OPTIONAL = "optional"
    REQUIRED = "required"  # blank blocks the report
    EXPECTED = "expected"  # blank is a warning: the indicators need it


# An email address as the register and the mailers accept it: one @, a dotted domain, no
# spaces, brackets or separators (a cell holding two addresses is not one address).
EMAIL_PATTERN = r"^[^@\s<>()\[\],;:\"\\]+@[^@\s<>()\[\],;:\"\\]+\.[^@\s<>()\[\],;:\"\\]+$"
EMAIL_ADDRESS = re.compile(EMAIL_PATTERN)


@dataclass(frozen=True)
class Condition:
    """`column` holds one of `values` (used for conditional requirements)."""

    column: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Column:
    """One canonical column of a dataset."""

    name: str
    header_fi: str
    kind: Kind = Kind.TEXT
    need: Need = Need.OPTIONAL
    when: Condition | None = None  # `need` applies only to rows meeting this condition
    aliases: tuple[str, ...] = ()  # other headers: Swedish, English, older wordings
    choices: tuple[str, ...] = ()  # canonical allowed values (CHOICE, LIST)
    value_aliases: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    unique: bool = False
    min_value: float | None = None
    max_value: float | None = None
    default: object = None  # value used for a blank cell

    @property
    def headers(self) -> tuple[str, ...]:
        """Every header text that names this column, Finnish first."""
        return (self.header_fi, *self.aliases)


@dataclass(frozen=True)
class Dataset:
    """A sheet's contract: its name, default sheet and columns."""

    name: str
    sheet: str
    columns: tuple[Column, ...]
    id_column: str | None = None

    def column(self, name: str) -> Column:
        """Return the column called `name`."""
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    @property
    def names(self) -> tuple[str, ...]:
        """Canonical column names in declaration order."""
        return tuple(col.name for col in self.columns)


def normalise_label(text: str) -> str:
    """Fold a header or value for matching: case, accents kept, spacing and punctuation loosened."""
    text = unicodedata.normalize("NFC", str(text)).casefold().strip()
    text = re.sub(r"[\s_]+", " ", text)
    return text.strip(" :?.*")
