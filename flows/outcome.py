"""What a report run ended with: one line for people, an exit code for the `d9` command."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from schemas.results import Indicators

Status = Literal["sent", "already_sent", "dry_run", "blocked", "held"]
_EXIT = {"sent": 0, "already_sent": 0, "dry_run": 0, "held": 0, "blocked": 1}


@dataclass(frozen=True)
class ReportOutcome:
    """The end state of one report run."""

    status: Status
    period: str
    summary: str
    paths: tuple[str, ...] = ()
    indicators: Indicators | None = field(default=None, repr=False)

    @property
    def exit_code(self) -> int:
        return _EXIT[self.status]

    @classmethod
    def held(cls, period: str, indicators: Indicators) -> ReportOutcome:
        return cls(
            "held", period, f"report {period} held: not approved, nothing sent", (), indicators
        )


@dataclass(frozen=True)
class CheckOutcome:
    """The end state of one nightly check: counts, whether anything changed, who was mailed."""

    blocking: int
    warnings: int
    changed: bool
    notified: tuple[str, ...]

    @classmethod
    def of(cls, validation: object, changed: bool, notified: tuple[str, ...]) -> CheckOutcome:
        return cls(len(validation.blocking), len(validation.warnings), changed, notified)  # type: ignore[attr-defined]

    @property
    def exit_code(self) -> int:
        return 1 if self.blocking else 0
