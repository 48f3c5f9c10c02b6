"""The report's tables and lists of how things stand: the key project x principle matrix, the
branches still missing, the deregulation log and the data-quality counts.

The mail caps them for a phone reader (at most `MATRIX_ROWS` key projects and
`DEREGULATION_ROWS` obstacles; the PDF has every key project, the appendix every row).
Data-quality findings are counted per sheet and rule, never shown with their free text or
owners (names belong in the nudges). The deregulation log lists every obstacle found so far,
the ones found in the half-year marked new; a found-on date taken from the engagement's start
date is marked so the report can say so.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from schemas.catalogue import number_word, plural, translate
from schemas.findings import Finding, Severity
from schemas.reference import branches, principles
from schemas.report import ReportContext
from schemas.results import Change, Coverage, IndicatorResult, PrinciplesMatrix
from schemas.view import (
    DeregulationLog,
    Matrix,
    MatrixCell,
    MatrixRow,
    Obstacle,
    QualityCounts,
    RuleCount,
)
from tasks.report.halfyear import realisation
from tasks.report.i18n import ASSESSMENT_STATUS, category_names, half_year_label

MATRIX_ROWS = 30  # key projects shown in the mail; a phone reader cannot use more
DEREGULATION_ROWS = 30  # obstacles listed in the mail; all of them are in the appendix
_DEREGULATION = "deregulation_opportunities"


def _cells(
    numbers: tuple[str, ...], cells: Mapping[str, str | None], change: Mapping[str, Change | None]
) -> tuple[MatrixCell, ...]:
    return tuple(
        MatrixCell(
            cells.get(n) or "none",
            change.get(n) or Change.SAME,
            ASSESSMENT_STATUS.get(cells.get(n) or ""),
        )
        for n in numbers
    )


def matrix(result: IndicatorResult | None, language: str) -> Matrix | None:
    """Return the key project x principle cells with colour and change, or None without data."""
    detail = result.detail if result is not None else None
    if not isinstance(detail, PrinciplesMatrix) or not detail.matrix:
        return None
    numbers = tuple(str(p.number) for p in principles())
    rows = tuple(
        MatrixRow(project, _cells(numbers, cells, detail.change.get(project, {})))
        for project, cells in detail.matrix.items()
    )
    return Matrix(
        period=half_year_label(detail.period, language),
        numbers=numbers,
        rows=rows,
        total=len(detail.matrix),
        realisation=realisation(detail, language),
        left_out=detail.left_out,
        shown=MATRIX_ROWS,
    )


def missing_branches(result: IndicatorResult | None, language: str) -> tuple[str, ...] | None:
    """The names of the branches not reached yet, in official order; None without the goal."""
    if result is None or not isinstance(result.detail, Coverage):
        return None
    missing = set(result.detail.missing)
    return tuple(category_names(language)[b.code] for b in branches() if b.code in missing)


def quality(warnings: Sequence[Finding]) -> QualityCounts:
    """Count findings per sheet and rule (never their free text, never who keeps the rows)."""
    open_ = [w for w in warnings if w.severity == Severity.WARNING]
    by_rule = Counter((w.dataset, w.rule) for w in open_)
    return QualityCounts(
        total=len(open_),
        blocking=sum(w.severity == Severity.BLOCKING for w in warnings),
        by_rule=tuple(RuleCount(d, r, n) for (d, r), n in sorted(by_rule.items())),
    )


def _obstacles(ctx: ReportContext) -> list[Obstacle]:
    figure = ctx.indicators.context.get(_DEREGULATION)
    if figure is None or "regulatory_obstacles" not in figure.rows.columns:
        return []
    return [
        Obstacle(
            engagement_id=r["engagement_id"],
            title=r.get("title") or "",
            obstacle=r["regulatory_obstacles"],
            found_on=r.get("found_on"),
            assumed=bool(r.get("found_on_assumed")),
            new=bool(r.get("new")),
            passed_on=r.get("regulatory_passed_on") if r.get("passed_on") else None,
        )
        for r in figure.rows.to_dicts()
        if r["regulatory_obstacles"]
    ]


def _summary(language: str, total: int, new: int, waiting: int | None) -> str:
    """ "Sääntelyesteitä on havaittu yhteensä 5. Niistä 2 … Kaikki 5 ovat vielä välittämättä."""
    parts = [
        plural(language, "deregulation.found", total),
        plural(language, "deregulation.new", new),
    ]
    if waiting is not None:
        every = waiting == total and total > 1
        key = "deregulation.waiting.all" if every else "deregulation.waiting"
        words = number_word(language, total)  # "Kaikki viisi ovat vielä välittämättä."
        parts.append(translate(language, key, n=words) if every else plural(language, key, waiting))
    return " ".join(parts)


def deregulation_log(ctx: ReportContext) -> DeregulationLog:
    """The log's items and its counts: total, new, not passed on, date assumed.

    At most `DEREGULATION_ROWS` items are listed, oldest first: the new ones, then those not yet
    passed on, then the rest; `hidden` says how many more the appendix holds. A register without
    the Sääntelyesteet column has no log ("not recorded"); without the Välitetty column nobody
    can tell what was passed on, so the summary does not count it.
    """
    figure = ctx.indicators.context.get(_DEREGULATION)
    if figure is not None and not figure.recorded:
        return DeregulationLog(recorded=False)
    passed_recorded = figure is None or "regulatory_passed_on" not in figure.partial
    items = _obstacles(ctx)
    ranked = sorted(range(len(items)), key=lambda n: (not items[n].new, bool(items[n].passed_on)))
    shown = sorted(ranked[:DEREGULATION_ROWS])  # the most pressing ones, listed oldest first
    new, waiting = sum(i.new for i in items), sum(i.passed_on is None for i in items)
    receiver = category_names(ctx.language).get(
        ctx.deregulation_receiver, ctx.deregulation_receiver
    )
    if ctx.language == "fi":  # a ministry's name is lower case in running Finnish text
        receiver = receiver[:1].lower() + receiver[1:]
    return DeregulationLog(
        items=tuple(items[n] for n in shown),
        hidden=max(0, len(items) - DEREGULATION_ROWS),
        total=len(items),
        new=new,
        not_passed=waiting,
        assumed=sum(i.assumed for i in items),
        summary=_summary(ctx.language, len(items), new, waiting if passed_recorded else None),
        receiver=translate(ctx.language, "deregulation.receiver", receiver=receiver),
        passed_recorded=passed_recorded,
    )
