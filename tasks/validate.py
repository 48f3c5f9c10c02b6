"""Validate the loaded datasets with Great Expectations and report row-level findings.

The suites are derived from the contracts (`tasks.suites`); this module runs them on one
ephemeral GX context and maps every failing record back to the user's own terms: source,
sheet, spreadsheet row, header as found, value, engagement and owner. Cells the loader
could not read as their type (`LoadedTable.problems`) become findings with rule "type".

GX caps `unexpected_list` (the values) at 200 but, with result format COMPLETE, returns the
complete `unexpected_index_list`; findings are built from that list only, through the `_pos`
index column, so every failing row is reported (tested with more than 200 failures).
`great_expectations` is imported inside `_run_suites()` only: importing it takes seconds.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import polars as pl

from d9.settings import Settings
from schemas.findings import Finding, Severity
from schemas.tables import CELL, ROW, SHEET, CellProblem, Inputs, LoadedTable
from tasks.suites import (
    EMAIL_PATTERN,
    ITEMS,
    OWNER,
    POS,
    Rule,
    base_frame,
    build_data_docs,
    rules_for,
    views,
)

MESSAGES_DIR = Path(__file__).resolve().parent.parent / "templates" / "messages"
PRIVATE_COLUMNS = frozenset({"comment"})  # free text that may hold personal data: never shown
_DEFAULT_MESSAGES = {  # used when the catalogue lacks a key
    "email": "not an email address",
    "reference_concept": "feedback is collected only for Herätys and Kokeilu engagements",
}


@dataclass(frozen=True)
class ValidationReport:
    """Every finding of one validation run, sorted by source, sheet, row and column."""

    findings: tuple[Finding, ...]

    @property
    def blocking(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.BLOCKING)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.WARNING)

    @property
    def counts(self) -> dict[str, dict[str, int]]:
        """Findings per dataset and severity: {"engagements": {"blocking": 2, "warning": 5}}."""
        tally = Counter((f.dataset, str(f.severity)) for f in self.findings)
        names = dict.fromkeys(f.dataset for f in self.findings)
        return {d: {str(s): tally[(d, str(s))] for s in Severity} for d in names}


def validate(
    inputs: Inputs, settings: Settings, *, data_docs_dir: Path | None = None
) -> ValidationReport:
    """Run every dataset's suite; return the findings, and write Data Docs if asked."""
    frames = views(inputs)
    rules = {view: [r for r in _all_rules(inputs) if r.view == view] for view in frames}
    failures = _run_suites(frames, rules, data_docs_dir)
    bases = {t.dataset.name: base_frame(t, inputs) for t in inputs.tables()}
    ctx = _Context(settings, bases)
    findings = [_type_finding(p, t, ctx) for t in inputs.tables() for p in t.problems]
    unreadable = {(f.dataset, f.sheet, f.row, f.column) for f in findings}
    for rule, entry in failures:
        found = _finding(rule, entry, getattr(inputs, rule.dataset), ctx)
        if (found.dataset, found.sheet, found.row, found.column) not in unreadable:
            findings.append(found)
    return ValidationReport(tuple(sorted(findings, key=_order)))


@dataclass(frozen=True)
class _Context:
    settings: Settings
    bases: dict[str, pl.DataFrame]  # dataset -> the frame its `_pos` indexes

    @property
    def language(self) -> str:
        return self.settings.report.language


def _order(f: Finding) -> tuple[Any, ...]:
    return (f.source, f.sheet, f.row, f.column, f.rule, f.value)


def _all_rules(inputs: Inputs) -> list[Rule]:
    return [r for t in inputs.tables() for r in rules_for(t.dataset)]


def _run_suites(
    frames: dict[str, pl.DataFrame], rules: dict[str, list[Rule]], docs: Path | None
) -> list[tuple[Rule, dict[str, Any]]]:
    """Validate each view with its suite; return (rule, unexpected index entry) per failure."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    from tasks.suites import suite

    _quiet("great_expectations")
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    source = context.data_sources.add_pandas("d9")
    result_format = {"result_format": "COMPLETE", "unexpected_index_column_names": [ROW, POS]}
    failures: list[tuple[Rule, dict[str, Any]]] = []
    for view, frame in frames.items():
        batch = source.add_dataframe_asset(view).add_batch_definition_whole_dataframe("all")
        checks = context.suites.add(suite(view, rules[view]))
        definition = context.validation_definitions.add(
            gx.ValidationDefinition(name=view, data=batch, suite=checks)
        )
        result = definition.run(
            batch_parameters={"dataframe": frame.to_pandas()}, result_format=result_format
        )
        failures.extend(_failures(result, rules[view]))
    if docs is not None:
        build_data_docs(context, docs)
    return failures


def _quiet(package: str) -> None:
    """Raise every logger of `package` to ERROR (GX sets INFO on some of its own loggers)."""
    import logging

    for name in [package, *logging.root.manager.loggerDict]:
        if name == package or name.startswith(package + "."):
            logging.getLogger(name).setLevel(logging.ERROR)


def _failures(result: Any, rules: list[Rule]) -> list[tuple[Rule, dict[str, Any]]]:
    out: list[tuple[Rule, dict[str, Any]]] = []
    for item in result.results:
        rule = rules[item.expectation_config.meta["index"]]
        if item.exception_info and item.exception_info.get("raised_exception"):
            raise RuntimeError(
                f"expectation on {rule.view}.{rule.column} failed to run: "
                f"{item.exception_info.get('exception_message')}"
            )
        out.extend((rule, entry) for entry in item.result.get("unexpected_index_list") or [])
    return out


def _finding(rule: Rule, entry: dict[str, Any], table: LoadedTable, ctx: _Context) -> Finding:
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


def _type_finding(p: CellProblem, table: LoadedTable, ctx: _Context) -> Finding:
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
    if isinstance(own, str) and re.match(EMAIL_PATTERN, own.strip()):
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


@cache
def _catalogue(language: str) -> dict[str, str]:
    path = MESSAGES_DIR / f"{language}.toml"
    if not path.exists():
        return {}
    with path.open("rb") as handle:
        return dict(tomllib.load(handle).get("rule", {}))


def _message(key: str, language: str) -> str:
    """The rule's text from the report language's catalogue, then English, then a default."""
    for lang in (language, "en"):
        if key in _catalogue(lang):
            return _catalogue(lang)[key]
    return _DEFAULT_MESSAGES.get(key, key)
