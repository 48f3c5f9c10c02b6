"""Turn rule failures and unreadable cells into `Finding`s, in the user's own terms.

Every failing record is mapped back through `_pos` to its source, sheet, spreadsheet row,
header as found, value, engagement and owner. Messages come from the catalogue's [rule] table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import polars as pl

from schemas.catalogue import messages, translate
from schemas.contract import EMAIL_ADDRESS
from schemas.findings import Finding, Severity
from schemas.settings import Settings
from schemas.tables import CELL, ROW, SHEET, CellProblem, LoadedTable
from tasks.validate.rules import ITEMS, OWNER, POS, Rule

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


def rule_finding(rule: Rule, entry: dict[str, Any], table: LoadedTable, ctx: Context) -> Finding:
    record = ctx.bases[table.dataset.name].row(int(entry[POS]), named=True)
    column = rule.report_column
    if rule.view.endswith(ITEMS) and rule.column in entry:
        value = entry[rule.column]  # the offending item, not the whole list
    else:
        value = record.get(column)
    message = _message(rule.message or rule.rule, ctx.language)
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


def sheet_finding(
    table: LoadedTable,
    ctx: Context,
    row: int,
    column: str,
    value: str,
    rule: str,
    severity: Severity,
    *,
    sheet: str | None = None,
    **details: object,
) -> Finding:
    """A finding no column rule gives (row 0: the whole sheet), worded from the catalogue.

    The message is the rule's short text, then its `figure_check.<rule>` detail filled in.
    """
    detail = translate(ctx.language, f"figure_check.{rule}", "", **details)
    message = _message(rule, ctx.language) + (f": {detail}" if detail else "")
    return Finding(
        dataset=table.dataset.name,
        source=table.source,
        sheet=sheet or table.sheet,
        row=row,
        column=_header(table, column) if column in table.headers else column,
        value=value,
        rule=rule,
        severity=severity,
        message=message,
        owner=_owner(table, {}, ctx.settings),
    )


def _record_at_row(frame: pl.DataFrame, sheet: str, row: int) -> dict[str, Any]:
    if SHEET in frame.columns:
        frame = frame.filter(pl.col(SHEET).is_null() | (pl.col(SHEET) == sheet))
    matches = frame.filter(pl.col(ROW) == row)
    return matches.row(0, named=True) if matches.height else {}


def _has_engagement(table: LoadedTable) -> bool:
    return table.dataset.name in ("engagements", "feedback")


def _owner(table: LoadedTable, record: dict[str, Any], settings: Settings) -> str:
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


def _text(value: Any) -> str:
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
