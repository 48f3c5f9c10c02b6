"""Findings about a sheet as a whole, from what the loader saw in it.

- A header written twice (`Tila` in columns E and K): the first is used; a warning names both.
- Formulas without saved values (a file written by another tool): one blocking finding per sheet
  telling the user to open and save the file in Excel or LibreOffice; the findings of that sheet
  that follow from it (values missing, since such cells read as blank) are left out.
"""

from __future__ import annotations

from collections.abc import Sequence

from schemas.findings import Finding, Severity
from schemas.tables import Inputs
from tasks.validate.findings import Context, Spot, sheet_finding

_SHOWN = 3  # cell references named in the message


def sheet_findings(inputs: Inputs, ctx: Context) -> list[Finding]:
    """The duplicated headers (warnings) and unsaved formulas (blocking) of every sheet."""
    out: list[Finding] = []
    for table in inputs.tables():
        for header, used, ignored in table.twins:
            details = {"header": header, "used": used, "ignored": ignored}
            spot = Spot(0, header, f"{used}, {ignored}")
            out.append(
                sheet_finding(table, ctx, spot, "duplicate_header", Severity.WARNING, **details)
            )
        if table.unsaved:
            cells = ", ".join(table.unsaved[:_SHOWN])
            spot = Spot(0, "", table.unsaved[0])
            count = len(table.unsaved)
            out.append(
                sheet_finding(
                    table,
                    ctx,
                    spot,
                    "unsaved_formulas",
                    Severity.BLOCKING,
                    count=count,
                    cells=cells,
                )
            )
    return out


def without_consequences(findings: Sequence[Finding], inputs: Inputs) -> list[Finding]:
    """Leave out the other findings of a sheet whose formulas have no saved values."""
    unsaved = {(t.source, t.sheet) for t in inputs.tables() if t.unsaved}
    return [
        f
        for f in findings
        if (f.source, f.sheet) not in unsaved or f.rule in ("unsaved_formulas", "duplicate_header")
    ]
