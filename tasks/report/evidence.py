"""The rows behind the report that are not an indicator's own rows, and the findings it counts.

- `counted_findings`: a report counts only the data-quality findings on rows its figures use
  (the rows of its indicators, context figures and evidence, by sheet and spreadsheet row), so a
  past report does not count today's findings on engagements started after its as-of date.
  Sheet-wide findings (row 0) are not on a row a figure uses and are not counted.
- `evidence_frames`: for the appendix, the trend's stored values per reported half-year, the
  findings counted and the branches still missing (the previous half-year's principle cells
  come with the indicators, `Indicators.evidence`). Column headers are in the report language.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import polars as pl

from schemas.catalogue import translate
from schemas.findings import Finding
from schemas.periods import period_key
from schemas.reference import branches
from schemas.report import ReportContext
from schemas.results import Coverage, IndicatorId, Indicators
from schemas.tables import ROW, SHEET
from tasks.report.i18n import category_names


def _frames(indicators: Indicators) -> Iterable[pl.DataFrame]:
    yield from (r.rows for r in indicators.results.values())
    yield from (f.rows for f in indicators.context.values())
    yield from indicators.evidence.values()


def used_rows(indicators: Indicators) -> set[tuple[str, int]]:
    """The (sheet, spreadsheet row) of every row behind the figures."""
    out: set[tuple[str, int]] = set()
    for frame in _frames(indicators):
        if {ROW, SHEET} <= set(frame.columns):
            out.update(frame.select(SHEET, ROW).unique().iter_rows())
    return out


def counted_findings(indicators: Indicators, findings: Sequence[Finding]) -> tuple[Finding, ...]:
    """The findings on rows the figures use, in their order."""
    used = used_rows(indicators)
    return tuple(f for f in findings if (f.sheet, f.row) in used)


def _head(language: str, key: str) -> str:
    return translate(language, f"appendix.evidence.{key}")


def trend_frame(ctx: ReportContext) -> pl.DataFrame:
    """The stored value of each indicator per earlier reported half-year, oldest first."""
    lang, as_of = ctx.language, ctx.indicators.as_of
    points = [(d, i, v, str(s)) for i, pts in ctx.trends.items() for d, v, s in pts if d < as_of]
    points.sort(key=lambda p: (p[0], list(ctx.trends).index(p[1])))
    return pl.DataFrame(
        {
            _head(lang, "period"): [period_key(d) for d, *_ in points],
            _head(lang, "as_of"): [d for d, *_ in points],
            _head(lang, "indicator"): [
                translate(lang, f"indicator.{i}.name", i) for _, i, *_ in points
            ],
            _head(lang, "value"): [None if v is None else float(v) for _, _, v, _ in points],
            _head(lang, "status"): [translate(lang, f"colour.{s}") for *_, s in points],
        },
        schema_overrides={_head(lang, "as_of"): pl.Date, _head(lang, "value"): pl.Float64},
    )


def findings_frame(findings: Sequence[Finding], language: str) -> pl.DataFrame:
    """The findings counted, a row each: where (sheet, row, the engagement's Tunnus, column),
    the value found, how serious, and the message (which names its rule)."""
    return pl.DataFrame(
        {
            SHEET: [f.sheet for f in findings],
            ROW: [f.row or None for f in findings],  # blank: the whole sheet (a missing column)
            "engagement_id": [f.engagement_id or None for f in findings],
            _head(language, "column"): [f.column for f in findings],
            _head(language, "value"): [f.value or None for f in findings],
            _head(language, "severity"): [
                translate(language, f"notice.severity_{f.severity}") for f in findings
            ],
            _head(language, "message"): [f.message for f in findings],
        },
        schema_overrides={
            ROW: pl.Int64,
            "engagement_id": pl.String,
            _head(language, "value"): pl.String,
        },
    )


def missing_branches_frame(indicators: Indicators, language: str) -> pl.DataFrame:
    """The branches not reached yet, code and name, in official order."""
    result = indicators.results.get(IndicatorId.BRANCHES_COVERED)
    missing = (
        set(result.detail.missing) if result and isinstance(result.detail, Coverage) else set()
    )
    codes = [b.code for b in branches() if b.code in missing]
    names = category_names(language)
    return pl.DataFrame(
        {_head(language, "branch"): codes, _head(language, "name"): [names[c] for c in codes]},
        schema={_head(language, "branch"): pl.String, _head(language, "name"): pl.String},
    )


def evidence_frames(ctx: ReportContext) -> dict[str, pl.DataFrame]:
    """Every evidence sheet of the appendix, by catalogue key (`appendix.evidence.<key>`)."""
    return {
        **ctx.indicators.evidence,
        "trend": trend_frame(ctx),
        "findings_counted": findings_frame(ctx.warnings, ctx.language),
        "missing_branches": missing_branches_frame(ctx.indicators, ctx.language),
    }
