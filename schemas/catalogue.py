"""The message catalogues `templates/messages/<lang>.toml`: every text a reader sees, by key.

Read like the reference data: shipped files, loaded once. Every stage that words something for
people (findings, the report, notices) looks its texts up here, so no text lives in code.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import cache
from typing import Any

from schemas.resources import messages_dir

LANGUAGES = ("fi", "en")


def _flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in table.items():
        if isinstance(value, Mapping):
            out.update(_flatten(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = str(value)
    return out


@cache
def messages(language: str) -> dict[str, str]:
    """Return the message catalogue of `language` as dotted key -> text."""
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r} (use one of {', '.join(LANGUAGES)})")
    with (messages_dir() / f"{language}.toml").open("rb") as handle:
        return _flatten(tomllib.load(handle))


def translate(language: str, key: str, default: str | None = None, **values: object) -> str:
    """Look up `key` in the catalogue and fill its {placeholders}; unknown keys need a default."""
    text = messages(language).get(key, default)
    if text is None:
        raise KeyError(f"message {key!r} missing from the {language} catalogue")
    return text.format(**values) if values else text
