"""Validation results are reused only for exactly the same inputs, rules and settings.

Contract: the key changes when any cell, unreadable cell, source or validation setting changes;
a stored result is served without importing Great Expectations; only the latest results are kept.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from schemas.findings import Finding, Severity
from schemas.request import Run, Validator
from schemas.settings import load_settings
from tasks.load import load_inputs
from tasks.statedb import sqlite_store
from tasks.validate.cache import validate_cached, validation_key
from tasks.validate.stored import KEEP_RESULTS, read_result, write_result
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
NOW = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)
TODAY = date(2026, 12, 2)


def test_key_follows_every_cell(tmp_path: Path) -> None:
    config = sample_project(tmp_path)
    settings = load_settings(config, environ={})
    before = validation_key(load_inputs(settings), settings, TODAY)
    assert validation_key(load_inputs(settings), settings, TODAY) == before
    with edited_sheet(tmp_path / "seuranta.xlsx", "Toimeksiannot") as sheet:
        sheet.set(20, "Elämänpolku", "Muutettu elämänpolku")
    assert validation_key(load_inputs(settings), settings, TODAY) != before


def test_key_follows_validation_settings(tmp_path: Path) -> None:
    config = sample_project(tmp_path)
    settings = load_settings(config, environ={})
    inputs = load_inputs(settings)
    other = load_settings(config, environ={}).model_copy(
        update={"owners": settings.owners.model_copy(update={"feedback": "x@example.org"})}
    )
    assert validation_key(inputs, settings, TODAY) != validation_key(inputs, other, TODAY)


def test_key_follows_the_day(tmp_path: Path) -> None:
    settings = load_settings(sample_project(tmp_path), environ={})
    inputs = load_inputs(settings)
    tomorrow = TODAY + timedelta(days=1)  # a date in the future may have become the present
    assert validation_key(inputs, settings, TODAY) != validation_key(inputs, settings, tomorrow)


def test_round_trip_and_only_the_latest_results_are_kept(tmp_path: Path) -> None:
    store = sqlite_store(tmp_path)
    assert read_result(store, "k1") is None
    write_result(store, "k1", (FINDING,), NOW)
    assert read_result(store, "k1") == (FINDING,)
    assert read_result(store, "k2") is None
    for n in range(KEEP_RESULTS):
        write_result(store, f"later-{n}", (), NOW + timedelta(minutes=n + 1))
    assert read_result(store, "k1") is None  # the oldest result made room
    assert read_result(store, f"later-{KEEP_RESULTS - 1}") == ()


@pytest.mark.slow
def test_stored_result_is_served_without_great_expectations(tmp_path: Path) -> None:
    config = sample_project(tmp_path)
    settings = load_settings(config, environ={})
    run = Run(settings, NOW, Validator.GX)
    first = validate_cached(load_inputs(settings), run, sqlite_store(settings.state_dir))
    assert first.warnings and not first.blocking
    script = (
        "import sys\n"
        "from schemas.settings import load_settings\n"
        "from datetime import datetime, UTC\n"
        "from schemas.request import Run, Validator\n"
        "from tasks.load import load_inputs\n"
        "from tasks.statedb import sqlite_store\n"
        "from tasks.validate import validate_cached\n"
        f"s = load_settings({str(config)!r}, environ={{}})\n"
        f"run = Run(s, datetime.fromisoformat({NOW.isoformat()!r}), Validator.POLARS)\n"
        "r = validate_cached(load_inputs(s), run, sqlite_store(s.state_dir))\n"
        "print(len(r.findings), 'great_expectations' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    ).stdout.split()
    assert out == [str(len(first.findings)), "False"]
