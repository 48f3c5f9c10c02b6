"""The team lead's approval of a scheduled report: what waits for it and what was decided.

A scheduled report run previews the report to the team lead and stops until the lead answers
in the Prefect UI. The run may come back on another worker (a suspended run starts again from
the top), so what it must not repeat is kept as a `PendingApproval` in the state folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from schemas.mail import Message


@dataclass(frozen=True)
class Decision:
    """The answer: send or hold, the lead's note, and whether nobody answered in time;
    `commentary` is the review the lead wrote for the top of the report ("" = none given)."""

    send: bool
    note: str
    by_default: bool
    decided_at: datetime
    commentary: str = ""


@dataclass(frozen=True)
class PendingApproval:
    """One report run waiting for the team lead: the exact message previewed, and its progress."""

    run_id: str
    period: str
    language: str
    message: Message  # the report exactly as previewed: what is approved is what is sent
    deadline: datetime  # after it, `default_send` applies
    default_send: bool
    preview_sent: bool = False
    default_scheduled: bool = False
    decision: Decision | None = None
    delivered_to: tuple[str, ...] = ()
    deadline_run_id: str = ""  # the run of the deadline deployment that answers with the default
    cancelled: bool = False  # cancelled in the UI while waiting: closed, nothing sent
