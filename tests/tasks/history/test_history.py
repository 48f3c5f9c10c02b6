"""Snapshots in the state store: keyed by (as_of, fingerprint), one transaction per record.

Re-recording the same data replaces that snapshot only; a failing record leaves the file as it
was; the trend gives the latest snapshot per as-of date, oldest date first.
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest

from schemas.errors import StateError
from schemas.request import ReportKind
from schemas.results import Coverage, IndicatorResult, Indicators, Sample, Status, Trajectory
from tasks.history import record, stored, trend
from tasks.statedb import Store, sqlite_store

REPORT, QUERY = ReportKind.REPORT, ReportKind.INDICATORS

H1, H2 = date(2017, 6, 30), date(2017, 12, 31)
T0 = datetime(2018, 1, 2, 8, 0)


def make(
    as_of: date,
    completed: int,
    fp: str = "fp-a",
    mean: float | None = 4.1875,
    period: str | None = "2017H1",
) -> Indicators:
    """Return three indicators with hand-picked values."""
    return Indicators(
        as_of,
        period,
        {
            "engagements_completed": IndicatorResult(
                "engagements_completed",
                completed,
                Status.YELLOW,
                target=50,
                detail=Trajectory(0.5, 1.0, 2.0, date(2019, 1, 31)),
            ),
            "quick_satisfaction_mean": IndicatorResult(
                "quick_satisfaction_mean",
                mean,
                Status.GREEN if mean else Status.GREY,
                target=4.0,
                detail=Sample(16),
            ),
            "branches_covered": IndicatorResult(
                "branches_covered",
                9,
                Status.YELLOW,
                target=12,
                numerator=None,
                detail=Coverage(("UM", "PLM", "YM")),
            ),
        },
        fingerprint=fp,
    )


def snapshot(store: Store, as_of: date, fingerprint: str | None = None) -> Indicators | None:
    found = stored(store, as_of, fingerprint=fingerprint)
    return None if found is None else found.indicators


def table_counts(state: Path) -> tuple[int, int]:
    path = sqlite_store(state).path
    assert path is not None
    with sqlite3.connect(path) as conn:
        snapshots = conn.execute("SELECT count(*) FROM snapshot").fetchone()[0]
        values = conn.execute("SELECT count(*) FROM indicator_value").fetchone()[0]
    conn.close()
    return snapshots, values


def test_record_creates_folder_and_reads_back(tmp_path: Path) -> None:
    state = tmp_path / "new" / "state"
    record(sqlite_store(state), make(H1, 21), REPORT, T0)
    got = snapshot(sqlite_store(state), H1)
    assert got is not None
    assert (got.as_of, got.period, got.fingerprint) == (H1, "2017H1", "fp-a")
    assert list(got.results) == [
        "engagements_completed",
        "quick_satisfaction_mean",
        "branches_covered",
    ]
    completed = got.results["engagements_completed"]
    assert completed.value == 21 and isinstance(completed.value, int)
    assert (completed.status, completed.target) == (Status.YELLOW, 50)
    assert completed.detail == Trajectory(0.5, 1.0, 2.0, date(2019, 1, 31))
    assert got.results["quick_satisfaction_mean"].value == 4.1875
    assert got.results["branches_covered"].detail == Coverage(("UM", "PLM", "YM"))


def test_rerun_with_same_data_is_idempotent(tmp_path: Path) -> None:
    record(sqlite_store(tmp_path), make(H1, 21), REPORT, T0)
    record(sqlite_store(tmp_path), make(H1, 21), REPORT, datetime(2018, 1, 3))
    assert table_counts(tmp_path) == (1, 3)
    assert trend(sqlite_store(tmp_path), "engagements_completed", H2) == [(H1, 21, Status.YELLOW)]


def test_other_data_for_the_same_date_is_a_new_snapshot(tmp_path: Path) -> None:
    record(sqlite_store(tmp_path), make(H1, 21, fp="old"), REPORT, T0)
    record(sqlite_store(tmp_path), make(H1, 22, fp="fixed"), REPORT, datetime(2018, 1, 5))
    assert table_counts(tmp_path) == (2, 6)
    latest, old = snapshot(sqlite_store(tmp_path), H1), snapshot(sqlite_store(tmp_path), H1, "old")
    assert latest is not None and latest.results["engagements_completed"].value == 22
    assert old is not None and old.results["engagements_completed"].value == 21
    assert trend(sqlite_store(tmp_path), "engagements_completed", H1) == [(H1, 22, Status.YELLOW)]


def broken(as_of: date, fp: str) -> Indicators:
    """Indicators whose third value cannot be stored: the insert fails after two rows."""
    good = make(as_of, 30, fp=fp).results
    bad = IndicatorResult("branches_covered", [9], Status.YELLOW)  # type: ignore[arg-type]
    return Indicators(as_of, None, {**good, "branches_covered": bad}, fingerprint=fp)


def test_failed_record_leaves_earlier_snapshots_untouched(tmp_path: Path) -> None:
    record(sqlite_store(tmp_path), make(H1, 21), REPORT, T0)
    with pytest.raises(StateError):
        record(sqlite_store(tmp_path), broken(H2, "fp-b"), REPORT, T0)
    assert table_counts(tmp_path) == (1, 3)
    assert snapshot(sqlite_store(tmp_path), H2) is None


def test_failed_replacement_keeps_the_old_values(tmp_path: Path) -> None:
    record(sqlite_store(tmp_path), make(H1, 21), REPORT, T0)
    with pytest.raises(StateError):
        record(sqlite_store(tmp_path), broken(H1, "fp-a"), QUERY, datetime(2018, 2, 1))
    assert table_counts(tmp_path) == (1, 3)
    kept = snapshot(sqlite_store(tmp_path), H1)
    assert kept is not None and kept.results["engagements_completed"].value == 21
    reports = trend(sqlite_store(tmp_path), "engagements_completed", H1, kinds=(REPORT,))
    assert reports == [(H1, 21, Status.YELLOW)]


def test_trend_is_ordered_latest_per_date_and_bounded(tmp_path: Path) -> None:
    d3 = date(2018, 6, 30)
    record(sqlite_store(tmp_path), make(d3, 38, fp="c"), REPORT, datetime(2018, 7, 1))
    record(sqlite_store(tmp_path), make(H1, 21, fp="a"), REPORT, datetime(2017, 7, 1))
    record(sqlite_store(tmp_path), make(H2, 29, fp="b1"), REPORT, datetime(2018, 1, 2))
    record(
        sqlite_store(tmp_path), make(H2, 30, fp="b2"), QUERY, datetime(2018, 1, 9)
    )  # later, other data
    assert trend(sqlite_store(tmp_path), "engagements_completed", d3) == [
        (H1, 21, Status.YELLOW),
        (H2, 30, Status.YELLOW),
        (d3, 38, Status.YELLOW),
    ]
    assert trend(sqlite_store(tmp_path), "engagements_completed", H2) == [
        (H1, 21, Status.YELLOW),
        (H2, 30, Status.YELLOW),
    ]
    reports = trend(sqlite_store(tmp_path), "engagements_completed", d3, kinds=(REPORT,))
    assert reports[1] == (H2, 29, Status.YELLOW)
    assert trend(sqlite_store(tmp_path), "no_such_indicator", d3) == []


def test_grey_null_values_round_trip(tmp_path: Path) -> None:
    record(sqlite_store(tmp_path), make(H1, 0, mean=None), REPORT, T0)
    assert trend(sqlite_store(tmp_path), "quick_satisfaction_mean", H1) == [(H1, None, Status.GREY)]


def test_reading_without_a_database_creates_nothing(tmp_path: Path) -> None:
    state = tmp_path / "state"
    assert trend(sqlite_store(state), "engagements_completed", H2) == []
    assert snapshot(sqlite_store(state), H1) is None
    assert not state.exists()
