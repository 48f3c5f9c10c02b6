"""Turn rule failures and unreadable cells into `Finding`s, in the user's own terms.

Every failing record is mapped back through `_pos` to its source, sheet, spreadsheet row,
header as found, value, engagement and owner. Messages come from the catalogue's [rule] table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime

import polars as pl

from schemas.catalogue import messages, translate
from schemas.contract import EMAIL_ADDRESS
from schemas.findings import Finding, Severity
from schemas.settings import Settings
from schemas.tables import CELL, ROW, SHEET, CellProblem, LoadedTable, Record
from tasks.validate.rules import OWNER, Failure

PRIVATE_COLUMNS = frozenset({"comment"})  # free text that may hold personal data: never shown
_DEFAULT_MESSAGES = {  # used when the catalogue lacks a key
    "email": "not an email address",
    "reference_concept": "feedback is collected only for Herätys and Kokeilu engagements",
}


@dataclass(frozen=True)
class Context:
    settings: Settings
    bases: dict[str, pl.DataFrame]  # dataset -> the frame its `_pos` indexes

    @property
    def language(self) -> str:
        return self.settings.report.language


def rule_finding(failure: Failure, table: LoadedTable, ctx: Context) -> Finding:
    """A record breaking a rule, mapped back to its sheet, row, header, value and owner."""
    rule = failure.rule
    record = ctx.bases[table.dataset.name].row(failure.pos, named=True)
    column = rule.report_column
    # the offending item of a list, not the whole list
    value = failure.item[0] if failure.item else record.get(column)
    message = _message(rule.message or rule.rule, ctx.language)
    if rule.rule == "allowed_values" and column == "branch" and _several(value):
        # "VM, STM": one engagement is counted once, under the branch that owns it
        detail = translate(ctx.language, "figure_check.branch_several", value=_text(value))
        message = f"{_message('branch_several', ctx.language)}: {detail}"
    if record.get(CELL):
        message = f"{message} ({record[CELL]})"
    return Finding(
        dataset=table.dataset.name,
        source=table.source,
        sheet=record.get(SHEET) or table.sheet,
        row=int(record[ROW]),
        column=_header(table, column),
        value="" if column in PRIVATE_COLUMNS else _text(value),
        rule=rule.rule,
        severity=rule.severity,
        message=message,
        engagement_id=_text(record.get("engagement_id")) if _has_engagement(table) else "",
        owner=_owner(table, record, ctx.settings),
    )


def type_finding(p: CellProblem, table: LoadedTable, ctx: Context) -> Finding:
    """A cell the loader could not read as its type: blocking, named as the loader saw it."""
    record = _record_at_row(ctx.bases[table.dataset.name], p.sheet or table.sheet, p.row)
    message = f"{_message('type', ctx.language)} ({p.expected})"
    return Finding(
        dataset=table.dataset.name,
        source=table.source,
        sheet=p.sheet or table.sheet,
        row=p.row,
        column=_header(table, p.column) if not p.header else p.header,
        value="" if p.column in PRIVATE_COLUMNS else p.value,
        rule="type",
        severity=Severity.BLOCKING,
        message=f"{message} ({p.cell})" if p.cell else message,
        engagement_id=_text(record.get("engagement_id")) if _has_engagement(table) else "",
        owner=_owner(table, record, ctx.settings),
    )


@dataclass(frozen=True)
class Spot:
    """Where a sheet-level finding points: a row (0 = the whole sheet), a column, a value."""

    row: int
    column: str
    value: str = ""
    sheet: str | None = None  # None: the table's own sheet


def sheet_finding(
    table: LoadedTable, ctx: Context, spot: Spot, rule: str, severity: Severity, **details: object
) -> Finding:
    """A finding no column rule gives (row 0: the whole sheet), worded from the catalogue.

    The message is the rule's short text, then its `figure_check.<rule>` detail filled in.
    """
    detail = translate(ctx.language, f"figure_check.{rule}", "", **details)
    message = _message(rule, ctx.language) + (f": {detail}" if detail else "")
    return Finding(
        dataset=table.dataset.name,
        source=table.source,
        sheet=spot.sheet or table.sheet,
        row=spot.row,
        column=_header(table, spot.column) if spot.column in table.headers else spot.column,
        value=spot.value,
        rule=rule,
        severity=severity,
        message=message,
        owner=_owner(table, {}, ctx.settings),
    )


def _several(value: object) -> bool:
    return isinstance(value, str) and any(sep in value for sep in (",", ";", "/", " ja ", " and "))


def _record_at_row(frame: pl.DataFrame, sheet: str, row: int) -> Record:
    if SHEET in frame.columns:
        frame = frame.filter(pl.col(SHEET).is_null() | (pl.col(SHEET) == sheet))
    matches = frame.filter(pl.col(ROW) == row)
    return matches.row(0, named=True) if matches.height else {}


def _has_engagement(table: LoadedTable) -> bool:
    return table.dataset.name in ("engagements", "feedback")


def _owner(table: LoadedTable, record: Record, settings: Settings) -> str:
    """The row's engagement owner when it is an email address, else the dataset's owner."""
    own = record.get("owner") if table.dataset.name == "engagements" else record.get(OWNER)
    if isinstance(own, str) and EMAIL_ADDRESS.match(own.strip()):
        return own.strip()
    return str(getattr(settings.owners, table.dataset.name, ""))


def _header(table: LoadedTable, column: str) -> str:
    if table.headers.get(column):
        return table.headers[column]
    try:
        return table.dataset.column(column).header_fi
    except KeyError:
        return column


def _text(value: object) -> str:
    """Show a cell value as text: blank for null, ISO dates, integral floats without `.0`."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list | tuple | pl.Series):
        return "; ".join(_text(v) for v in value)
    return str(value)


def _message(key: str, language: str) -> str:
    """The rule's text from the report language's catalogue, then English, then a default."""
    for lang in (language, "en"):
        if (text := messages(lang).get(f"rule.{key}")) is not None:
            return text
    return _DEFAULT_MESSAGES.get(key, key)
