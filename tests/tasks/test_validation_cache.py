"""Validation results are reused only for exactly the same inputs, rules and settings.

Contract: the key changes when any cell, unreadable cell, source or validation setting changes;
a stored result is served without importing Great Expectations; a damaged cache is ignored.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from schemas.findings import Finding, Severity
from schemas.settings import load_settings
from tasks.load import load_inputs
from tasks.validate.cache import (
    CACHE_FILE,
    read_cached,
    validate_cached,
    validation_key,
    write_cached,
)
from tests.support.project import edited_sheet, sample_project

FINDING = Finding(
    "engagements",
    "seuranta.xlsx",
    "Toimeksiannot",
    7,
    "Tila",
    "valmiina",
    "allowed_values",
    Severity.BLOCKING,
    "arvo ei ole sallittu",
    "D9-2016-001",
    "a@example.fi",
)


def test_key_follows_every_cell(tmp_path: Path) -> None:
    config = sample_project(tmp_path)
    settings = load_settings(config, environ={})
    before = validation_key(load_inputs(settings), settings)
    assert validation_key(load_inputs(settings), settings) == before
    with edited_sheet(tmp_path / "seuranta.xlsx", "Toimeksiannot") as sheet:
        sheet.set(20, "Elämänpolku", "Muutettu elämänpolku")
    assert validation_key(load_inputs(settings), settings) != before


def test_key_follows_validation_settings(tmp_path: Path) -> None:
    config = sample_project(tmp_path)
    settings = load_settings(config, environ={})
    inputs = load_inputs(settings)
    other = load_settings(config, environ={}).model_copy(
        update={"owners": settings.owners.model_copy(update={"feedback": "x@example.org"})}
    )
    assert validation_key(inputs, settings) != validation_key(inputs, other)


def test_round_trip_and_damaged_cache(tmp_path: Path) -> None:
    write_cached(tmp_path, "k1", (FINDING,))
    assert read_cached(tmp_path, "k1") == (FINDING,)
    assert read_cached(tmp_path, "k2") is None
    (tmp_path / CACHE_FILE).write_text("{not json", encoding="utf-8")
    assert read_cached(tmp_path, "k1") is None
    (tmp_path / CACHE_FILE).write_text(
        json.dumps({"key": "k1", "findings": [{"x": 1}]}), encoding="utf-8"
    )
    assert read_cached(tmp_path, "k1") is None


@pytest.mark.slow
def test_stored_result_is_served_without_great_expectations(tmp_path: Path) -> None:
    config = sample_project(tmp_path)
    settings = load_settings(config, environ={})
    first = validate_cached(load_inputs(settings), settings)
    assert first.warnings and not first.blocking
    script = (
        "import sys\n"
        "from schemas.settings import load_settings\n"
        "from tasks.load import load_inputs\n"
        "from tasks.validate import validate_cached\n"
        f"s = load_settings({str(config)!r}, environ={{}})\n"
        "r = validate_cached(load_inputs(s), s)\n"
        "print(len(r.findings), 'great_expectations' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    ).stdout.split()
    assert out == [str(len(first.findings)), "False"]
