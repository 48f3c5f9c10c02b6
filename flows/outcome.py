"""What a run ended with: one sentence for people, an exit code for the `d9` command."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from flows.run import in_deployment_run
from schemas.findings import Finding
from schemas.mail import DeliveryReceipt, DeliveryState
from schemas.results import Indicators
from tasks.deliver import Delivery, Dispatch, claimant_running
from tasks.validate.quality import blocking_summary

if TYPE_CHECKING:
    from prefect.states import State

    from flows.doubt import Told


class Ending(StrEnum):
    """How a report run ended."""

    SENT = "sent"
    ALREADY_SENT = "already_sent"
    CLAIMED = "claimed"
    DRY_RUN = "dry_run"
    BLOCKED = "blocked"
    HELD = "held"
    IN_DOUBT = "in_doubt"  # may have been delivered and nobody can tell: a person decides
    CANCELLED = "cancelled"


# Every other ending is a success for the command line. In doubt is 4 (README's exit codes):
# cron and the Prefect UI must not show a report nobody can vouch for as a success.
_EXIT = {Ending.BLOCKED: 1, Ending.IN_DOUBT: 4}
# The name a finished run shows in the Prefect UI instead of a bare "Completed".
STATE_NAMES = {
    Ending.SENT: "Sent",
    Ending.ALREADY_SENT: "AlreadySent",
    Ending.CLAIMED: "Claimed",
    Ending.DRY_RUN: "Preview",
    Ending.BLOCKED: "Blocked",
    Ending.HELD: "Held",
    Ending.IN_DOUBT: "InDoubt",
    Ending.CANCELLED: "Cancelled",
}
BY_DEFAULT = " by default (no answer by the approval deadline)"


def force_hint() -> str:
    """How to send again, where the reader is: the run form's `force` in Prefect's UI, else the
    command line's `--force`."""
    ui = "run again with Lähetä uudelleen (the parameter force) on"
    return ui if in_deployment_run() else "use --force"


def _noted(note: str) -> str:
    """The approver's note, quoted, for the run's state message and artifact."""
    return f'; note: "{" ".join(note.split())}"' if note.strip() else ""


def _names(addresses: Sequence[str]) -> str:
    return ", ".join(addresses) or "nobody"


def _paths(receipt: DeliveryReceipt | None) -> tuple[str, ...]:
    return tuple(str(p) for p in receipt.paths) if receipt else ()


# What became of the run that claimed: still running, stopped, or not known (another host).
_CLAIMANT = {
    True: "still running: being sent by another run",
    False: "that run stopped before recording the delivery: it may have been delivered",
    None: "being sent by another run, or that run stopped and it may have been delivered",
}


_UNSURE = "handed over to the mail server, which never answered: it may have been delivered"


def in_doubt_note(
    claims: Sequence[Delivery], running: Callable[[str], bool | None] = claimant_running
) -> str:
    """Say which recipients another run claimed and may have reached: never sent again silently."""
    if not claims:
        return ""
    parts = [
        f"{d.recipient} (claimed by {d.claimed_by} at {_clock(d)}, "
        f"{_UNSURE if d.state is DeliveryState.UNSURE else _CLAIMANT[running(d.claimed_by)]})"
        for d in claims
    ]
    return f"; not sent to {'; '.join(parts)}; {force_hint()} to send again"


def _clock(d: Delivery) -> str:
    t = d.claimed_at
    return f"{t:%H.%M} on {t.day}.{t.month}.{t.year}" if t else "an unknown time"


def html_path(paths: Sequence[str]) -> str:
    """The browser copy among a receipt's paths ("" when there is none)."""
    return next((p for p in paths if p.endswith(".html")), "")


@dataclass(frozen=True)
class ReportOutcome:
    """The end state of one report run."""

    status: Ending
    period: str
    summary: str
    paths: tuple[str, ...] = ()
    indicators: Indicators | None = field(default=None, repr=False)

    @property
    def exit_code(self) -> int:
        return _EXIT.get(self.status, 0)

    @property
    def state_name(self) -> str:
        return STATE_NAMES[self.status]

    def final_state(self) -> State[ReportOutcome]:
        """The run's end state: Completed, named for the outcome, with the summary as message."""
        # Imported here for import cost: the command line's plain runs import nothing of Prefect.
        from prefect.states import Completed, Failed

        if self.status is Ending.IN_DOUBT:  # not green: the list shows a run needing a decision
            return Failed(name=self.state_name, message=self.summary, data=self)
        return Completed(name=self.state_name, message=self.summary, data=self)

    @classmethod
    def held(
        cls,
        period: str,
        recipients: Sequence[str],
        indicators: Indicators | None,
        by_default: bool = False,
        note: str = "",
    ) -> ReportOutcome:
        how = BY_DEFAULT if by_default else ": not approved"
        summary = f"report {period} held{how}; not sent to {_names(recipients)}{_noted(note)}"
        return cls(Ending.HELD, period, summary, (), indicators)

    @classmethod
    def cancelled(cls, period: str, recipients: Sequence[str], lead: str) -> ReportOutcome:
        summary = (
            f"report {period}: the run waiting for approval was cancelled; not sent to "
            f"{_names(recipients)}; the deadline run was removed and the team lead ({lead}) told"
        )
        return cls(Ending.CANCELLED, period, summary)

    @classmethod
    def blocked(
        cls,
        period: str,
        blocking: Sequence[Finding],
        receipt: DeliveryReceipt | None,
        lead: str,
        recipients: Sequence[str] = (),
    ) -> ReportOutcome:
        whom = f" (not sent to {_names(recipients)})" if recipients else ""
        summary = f"report {period} blocked{whom}: {blocking_summary(blocking)}"
        if receipt is not None:
            summary += f"; the team lead ({lead}) was told"
        return cls(Ending.BLOCKED, period, summary, _paths(receipt))

    @classmethod
    def preview(
        cls,
        period: str,
        receipt: DeliveryReceipt,
        indicators: Indicators,
        recipients: Sequence[str] = (),
    ) -> ReportOutcome:
        paths = _paths(receipt)
        html = html_path(paths) or (paths[0] if paths else "")
        whom = f" for {_names(recipients)}" if recipients else ""
        summary = f"dry run: report {period}{whom} rendered, nothing sent; preview: {html}"
        return cls(Ending.DRY_RUN, period, summary, paths, indicators)

    @classmethod
    def in_doubt(
        cls,
        period: str,
        done: Dispatch,
        indicators: Indicators | None,
        orphans: Sequence[Delivery],
        told: Told,
    ) -> ReportOutcome:
        """Some recipients may have it and nobody can tell: never resent, the lead decides."""
        sent = f"sent to {', '.join(done.sent_to)}; " if done.sent_to else ""
        had = f"already sent to {', '.join(done.skipped)}; " if done.skipped else ""
        why = f" ({done.problem})" if done.problem else ""
        who = ", ".join(d.recipient for d in orphans)
        summary = (
            f"report {period}: {sent}{had}may have been delivered to {who}, nobody can tell{why}; "
            f"not sent again (check with them, then {force_hint()} to send again){told.note()}"
        )
        return cls(Ending.IN_DOUBT, period, summary, _paths(done.receipt), indicators)

    @classmethod
    def delivered(
        cls,
        period: str,
        done: Dispatch,
        indicators: Indicators | None,
        by_default: bool = False,
        note: str = "",
    ) -> ReportOutcome:
        paths, doubt = _paths(done.receipt), in_doubt_note(done.in_doubt)
        if not done.sent_to and doubt:
            had = f"; already sent to {', '.join(done.skipped)}" if done.skipped else ""
            return cls(
                Ending.CLAIMED,
                period,
                f"report {period}: nothing sent{had}{doubt}",
                paths,
                indicators,
            )
        if not done.sent_to:
            summary = (
                f"report {period} was already sent to {', '.join(done.skipped)}; nothing sent "
                f"({force_hint()} to send again)"
            )
            return cls(Ending.ALREADY_SENT, period, summary, paths, indicators)
        had = f" (already had it: {', '.join(done.skipped)})" if done.skipped else ""
        where = html_path(paths)
        via = f"; outbox: {where}" if where else ""
        how = BY_DEFAULT if by_default else ""
        summary = (
            f"report {period} sent{how} to {', '.join(done.sent_to)}{had}{via}{doubt}{_noted(note)}"
        )
        return cls(Ending.SENT, period, summary, paths, indicators)
