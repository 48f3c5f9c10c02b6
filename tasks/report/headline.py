"""What the first screen says: how many goals are on target, on schedule or close, behind, and
one sentence per goal behind; and each goal's card in plain words (what the number is, what is
missing, which measure of the action plan and which of its goals 1-5 it serves).

The words come from the catalogue; this module only gathers the facts they are filled with.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from schemas.catalogue import translate
from schemas.periods import elapsed_share
from schemas.report import ReportContext
from schemas.results import (
    Coverage,
    IndicatorResult,
    Sample,
    Status,
    SurveyColours,
    Trajectory,
    indicator_spec,
)
from schemas.view import Behind, Card, Headline
from tasks.report.i18n import (
    STATUS_SYMBOLS,
    category_names,
    format_date,
    format_number,
    format_value,
    status_key,
)


def status_counts(results: Iterable[IndicatorResult]) -> dict[str, int]:
    """Count goals by what their status means: on target, on schedule, close, behind, no data."""
    counts = dict.fromkeys(("green", "on_schedule", "close", "red", "grey"), 0)
    for r in results:
        if r.status is Status.YELLOW:
            counts["on_schedule" if indicator_spec(r.id).trajectory else "close"] += 1
        else:
            counts[str(r.status)] += 1
    return counts


def _expected(result: IndicatorResult, ctx: ReportContext) -> int | None:
    """The count the target trajectory calls for by the as-of date (the least still yellow)."""
    if result.target is None:
        return None
    if isinstance(result.detail, Trajectory):
        share = result.detail.elapsed_share
    else:
        share = float(
            elapsed_share(ctx.indicators.as_of, ctx.programme_start, ctx.programme_deadline)
        )
    return math.ceil(round(result.target * share, 9))


def _names(result: IndicatorResult, language: str) -> str:
    detail = result.detail
    if isinstance(detail, Coverage):
        names = category_names(language)
        return ", ".join(names.get(code, code) for code in detail.missing)
    if isinstance(detail, SurveyColours):
        return ", ".join(m for m, c in detail.colours.items() if c is Status.RED)
    return ""


def facts(result: IndicatorResult, ctx: ReportContext) -> dict[str, str]:
    """Everything a goal's sentences may name, formatted for the report's language."""
    lang, detail = ctx.language, result.detail
    gap: int | None = None
    if result.numerator is not None and result.denominator is not None:
        gap = result.denominator - result.numerator
    elif isinstance(detail, Coverage):
        gap = len(detail.missing)
    colours = detail.colours if isinstance(detail, SurveyColours) else {}
    expected = _expected(result, ctx)
    return {
        "value": format_value(result.id, result.value, lang),
        "target": format_value(result.id, result.target, lang),
        "deadline": format_date(ctx.programme_deadline, lang),
        "expected": format_number(expected, lang),
        "numerator": format_number(result.numerator, lang),
        "denominator": format_number(result.denominator, lang),
        "gap": format_number(gap, lang),
        "names": _names(result, lang),
        "n": format_number(detail.n if isinstance(detail, Sample) else None, lang),
        "round": (detail.round or "") if isinstance(detail, SurveyColours) else "",
        "green": format_number(sum(c is Status.GREEN for c in colours.values()), lang),
        "total": format_number(len(colours), lang),
    }


def _goals(indicator_id: str, language: str) -> str:
    numbers = translate(language, f"indicator.{indicator_id}.goals", "").split(",")
    names = [translate(language, f"goal.{n.strip()}") for n in numbers if n.strip()]
    return translate(language, "goal.and").join(names)


def card(result: IndicatorResult, ctx: ReportContext) -> Card:
    """One goal's card: status word and symbol, the plain sentence, measure and goals served."""
    lang, key, detail = ctx.language, f"indicator.{result.id}", result.detail
    known = result.value is not None
    goals = _goals(result.id, lang)
    return Card(
        id=result.id,
        value=result.value,
        status=result.status,
        word=translate(lang, status_key(result.status, result.id)),
        symbol=STATUS_SYMBOLS[result.status],
        says=translate(lang, f"{key}.says", **facts(result, ctx)) if known else "",
        measure=translate(lang, "goal.measure", measure=translate(lang, f"{key}.measure")),
        serves=translate(lang, "goal.serves", goals=goals) if goals else "",
        trajectory=detail if isinstance(detail, Trajectory) else None,
        survey=detail if isinstance(detail, SurveyColours) else None,
    )


def headline(ctx: ReportContext) -> Headline:
    """The headline block: counts by status (non-zero ones), a sentence per goal behind."""
    lang, results = ctx.language, list(ctx.indicators.results.values())
    counts = status_counts(results)
    parts = [translate(lang, f"headline.{k}", n=format_number(n, lang)) for k, n in counts.items()]
    behind = tuple(
        Behind(translate(lang, f"indicator.{r.id}.name"), _behind(r, ctx))
        for r in results
        if r.status is Status.RED
    )
    summary = translate(
        lang,
        "headline.subject_summary",
        green=counts["green"],
        yellow=counts["on_schedule"] + counts["close"],
        red=counts["red"],
    )
    shown = tuple(p for p, n in zip(parts, counts.values(), strict=True) if n)
    return Headline(len(results), shown, behind, summary)


def _behind(result: IndicatorResult, ctx: ReportContext) -> str:
    return translate(ctx.language, f"indicator.{result.id}.behind", **facts(result, ctx))
