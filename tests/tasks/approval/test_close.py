"""Closing a waiting approval once: `close_pending` replaces the record only if it is still the
one read, so a cancel seen both by the run's hook and by the automation is handled once; an
answered record, or none, is left alone."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from schemas.approval import Decision, PendingApproval
from tasks.approval import close_pending, load_pending, save_pending
from tasks.statedb import sqlite_store
from tests.tasks.approval.test_store import NOW, _pending


def _cancel(pending: PendingApproval) -> PendingApproval | None:
    if pending.decision is not None or pending.cancelled:
        return None
    return replace(pending, decision=Decision(False, "", False, NOW), cancelled=True)


def test_a_waiting_record_is_closed_once(tmp_path: Path) -> None:
    store = sqlite_store(tmp_path)
    pending = replace(_pending(), deadline_run_id="d-1")
    save_pending(store, pending, NOW)
    assert close_pending(store, "run-1", _cancel, NOW) == pending  # the record as it was
    closed = load_pending(store, "run-1")
    assert closed is not None and closed.cancelled and closed.decision is not None
    assert closed.deadline_run_id == "d-1"
    assert close_pending(store, "run-1", _cancel, NOW) is None  # the second handler: nothing


def test_an_answered_or_unknown_run_is_left_alone(tmp_path: Path) -> None:
    store = sqlite_store(tmp_path)
    answered = replace(_pending(), decision=Decision(True, "ok", False, NOW))
    save_pending(store, answered, NOW)
    assert close_pending(store, "run-1", _cancel, NOW) is None
    assert load_pending(store, "run-1") == answered
    assert close_pending(store, "run-9", _cancel, NOW) is None
    assert close_pending(sqlite_store(tmp_path / "empty"), "run-1", _cancel, NOW) is None
