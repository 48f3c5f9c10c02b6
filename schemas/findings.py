"""Data-quality findings: one per offending cell or row, in the user's own terms."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    BLOCKING = "blocking"  # a contract violation: the report is not sent
    WARNING = "warning"  # the indicators are weaker for it: fix before the report is due


@dataclass(frozen=True, order=True)
class Finding:
    """One problem at one spreadsheet row (row 0 = the whole sheet, e.g. a missing column)."""

    dataset: str
    source: str
    sheet: str
    row: int
    column: str  # the header as the user sees it in the sheet
    value: str
    rule: str  # stable rule id, e.g. "required", "allowed_values", "unique"
    severity: Severity
    message: str  # one human sentence (language of the report)
    engagement_id: str = ""
    owner: str = ""  # email of who should fix it

    @property
    def location(self) -> str:
        return f"{self.source}, sheet '{self.sheet}', row {self.row}, column '{self.column}'"
