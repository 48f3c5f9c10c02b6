"""The text an engagement is compared on: its descriptive fields, normalised, the title weighted."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

# Compared fields and how many times each is repeated in the document (the title says most
# about what an engagement is; the rest is context and the team's boilerplate). Chosen on the
# evaluation set with `python -m bench.similar`: title x3 found every partner in the top three,
# x1 only 81 % of them.
FIELDS: tuple[tuple[str, int], ...] = (
    ("title", 3),
    ("customer", 1),
    ("life_path", 1),
    ("ecosystem", 1),
    ("method", 1),
    ("support_areas", 1),
    ("change_in_operations", 1),
)
_NOT_WORD = re.compile(r"[\W_]+")


def normalise(text: str) -> str:
    """Lower-case, NFC; punctuation and dashes to spaces ("Kanta-palvelu" -> "kanta palvelu")."""
    return _NOT_WORD.sub(" ", unicodedata.normalize("NFC", text).lower()).strip()


def _field_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return " ".join(str(v) for v in value if v)
    return str(value)


def document(record: Mapping[str, Any], fields: tuple[tuple[str, int], ...] = FIELDS) -> str:
    """The normalised text of one engagement record, each field repeated by its weight."""
    parts = [
        normalise(_field_text(record.get(name))) for name, weight in fields for _ in range(weight)
    ]
    return " ".join(p for p in parts if p)
