"""What the evaluator's export takes: each half-year's figures and what its report said."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from schemas.results import Indicators

REPORTED = "reported"  # the value equals the one the half-year's report sent
RECOMPUTED = "recomputed"  # no report was sent for the half-year, or the data changed since


@dataclass(frozen=True)
class HalfYear:
    """One half-year's indicators, computed now, and the values its report sent (if one was)."""

    period: str
    indicators: Indicators
    reported: Mapping[str, float | int | None] = field(default_factory=dict)  # id -> value

    def source(self, indicator_id: str) -> str:
        """`reported` when a report for the half-year sent this very value, else `recomputed`."""
        if indicator_id not in self.reported:
            return RECOMPUTED
        value = self.indicators.results[indicator_id].value
        return REPORTED if _same(self.reported[indicator_id], value) else RECOMPUTED


def _same(a: float | int | None, b: float | int | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(float(a) - float(b)) <= 1e-12 * max(1.0, abs(float(b)))
