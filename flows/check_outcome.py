"""What a nightly check ended with: the counts, whether the findings changed, who was mailed
and why (the run's named state and its nudges artifact)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from schemas.findings import Finding, Severity, ValidationReport
from tasks.validate.quality import findings_by_owner

if TYPE_CHECKING:
    from prefect.states import State


@dataclass(frozen=True)
class Nudge:
    """One mail of a nightly check: to whom, and why."""

    to: str
    why: str


def nudges_of(
    findings: Sequence[Finding], owners: Sequence[str], lead: str, newcomers: int = 0
) -> tuple[Nudge, ...]:
    """Who the night's mails went to and why: each owner's own findings, the lead's summary."""
    mine = findings_by_owner(findings, lead)
    nudges = [Nudge(o, f"own findings changed since last night: {_count(mine[o])}") for o in owners]
    if findings or newcomers:
        new = f"; {newcomers} new engagement(s) with their most similar ones" if newcomers else ""
        nudges.append(Nudge(lead, f"team lead's summary: {_count(findings)}{new}"))
    return tuple(nudges)


def _count(findings: Sequence[Finding]) -> str:
    blocking = sum(1 for f in findings if f.severity is Severity.BLOCKING)
    return f"{blocking} blocking, {len(findings) - blocking} warnings"


# The names a nightly run shows in the Prefect UI, beside the report's Sent, Held, ...
NUDGED, NO_CHANGES, CHECKED = "Nudged", "NoChanges", "Checked"


@dataclass(frozen=True)
class CheckOutcome:
    """The end state of one nightly check: counts, whether anything changed, who was mailed."""

    blocking: int
    warnings: int
    changed: bool
    notified: tuple[str, ...]  # the owners nudged
    nudges: tuple[Nudge, ...] = ()  # every mail sent, the lead's summary included
    notify: bool = True

    @classmethod
    def of(
        cls,
        validation: ValidationReport,
        changed: bool,
        notified: tuple[str, ...],
        nudges: tuple[Nudge, ...] = (),
        notify: bool = True,
    ) -> CheckOutcome:
        blocking, warnings = len(validation.blocking), len(validation.warnings)
        return cls(blocking, warnings, changed, notified, nudges, notify)

    @property
    def exit_code(self) -> int:
        return 1 if self.blocking else 0

    @property
    def state_name(self) -> str:
        if not self.notify:
            return CHECKED
        return NUDGED if self.nudges else NO_CHANGES

    @property
    def summary(self) -> str:
        """One line: the counts, whether the findings changed, who was mailed."""
        counts = f"nightly check: {self.blocking} blocking, {self.warnings} warnings"
        change = (
            "findings changed since last night" if self.changed else "no changes since last night"
        )
        if not self.notify:
            return f"{counts}; {change}; nudges off"
        mailed = ", ".join(dict.fromkeys(n.to for n in self.nudges))  # the lead may own rows too
        return f"{counts}; {change}; " + (f"mailed {mailed}" if mailed else "nobody mailed")

    def final_state(self) -> State[CheckOutcome]:
        """The run's end state: Completed, named Nudged / NoChanges / Checked, the summary."""
        from prefect.states import Completed

        return Completed(name=self.state_name, message=self.summary, data=self)
