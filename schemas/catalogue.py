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


def plural(language: str, key: str, count: int, /, **values: object) -> str:
    """Look up the count form of `key` for `count` and fill it ({n} = the count, unless a
    formatted n is given, and the other placeholders).

    A counted text is a table in the catalogue, one entry per form: `one` for 1, `other` for
    the rest (Finnish and English need no more); `zero` is used for 0 where a key has it
    ("none of them…"). The numbers are never pasted into a fixed phrase.
    """
    table = messages(language)
    form = "zero" if count == 0 and f"{key}.zero" in table else "one" if count == 1 else "other"
    filled: dict[str, object] = {"n": count, **values}  # a formatted n wins
    return translate(language, f"{key}.{form}", None, **filled)


def number_word(language: str, n: int, case: str = "nominative") -> str:
    """Write a small count as a word ("yksi", "neljästä"; "one"), larger ones as digits."""
    return messages(language).get(f"number.{case}.{n}", str(n))
