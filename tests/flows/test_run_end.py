"""The run-end notice and the approval clean-up tell the team lead one thing per cancelled run.

Contract: a cancelled or crashed report run is told to the team lead once (the hook and the
automation may both see it); a run cancelled while it waited for approval is told by the approval
clean-up alone ("peruttu, raporttia ei lähetetty"), so the run-end notice sends nothing for it.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest

from flows.run_end import tell_run_end
from schemas.approval import Decision, PendingApproval
from schemas.mail import Message
from schemas.request import RunEnd
from schemas.settings import load_settings
from tasks.approval import save_pending
from tasks.statedb import open_store
from tests.support.project import sample_project

EET = timezone(timedelta(hours=2))
WAITING_SINCE = datetime(2018, 7, 2, 8, 0, tzinfo=EET)


def _subjects(folder: Path) -> list[str]:
    parse = BytesParser(policy=policy.default).parsebytes
    outbox = sorted((folder / "state" / "outbox").glob("*.eml"))
    return [str(parse(p.read_bytes())["Subject"]) for p in outbox]


def _waiting(run_id: str, decision: Decision | None = None) -> PendingApproval:
    message = Message(
        to=("sg@example.org",), subject="D9", html="<p/>", text="t", sender="d9@example.org"
    )
    deadline = WAITING_SINCE + timedelta(days=3)
    return PendingApproval(run_id, "2018H1", "fi", message, deadline, True, decision=decision)


def _end(how: str = "cancelled") -> RunEnd:
    return RunEnd("d9-report", "calm-fox", how, how.capitalize(), False, "")  # type: ignore[arg-type]


def test_a_cancelled_run_is_told_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("D9_SMTP_HOST", raising=False)
    config = sample_project(tmp_path)
    first = tell_run_end(_end(), {"config": str(config)}, "run-1")
    again = tell_run_end(_end(), {"config": str(config)}, "run-1")
    assert "was told" in first and "already told" in again
    assert _subjects(tmp_path) == ["D9: ajo d9-report pysähtyi kesken (Cancelled)"]


def test_a_run_cancelled_while_waiting_is_left_to_the_approval_clean_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("D9_SMTP_HOST", raising=False)
    config = sample_project(tmp_path)
    save_pending(open_store(load_settings(config, environ={})), _waiting("run-2"), WAITING_SINCE)

    said = tell_run_end(_end(), {"config": str(config)}, "run-2")
    assert "waiting for approval" in said
    assert _subjects(tmp_path) == []


def test_a_run_cancelled_after_its_approval_is_told(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Approved and sending when cancelled: nothing waits any more, so the run-end notice tells."""
    monkeypatch.delenv("D9_SMTP_HOST", raising=False)
    config = sample_project(tmp_path)
    approved = _waiting("run-3", Decision(True, "", False, WAITING_SINCE + timedelta(hours=1)))
    save_pending(open_store(load_settings(config, environ={})), approved, WAITING_SINCE)

    assert "was told" in tell_run_end(_end(), {"config": str(config)}, "run-3")
    assert len(_subjects(tmp_path)) == 1
