"""What the first screen says: how many goals are on target, on schedule or close, behind (at
and after the deadline: met or missed), one sentence per goal behind; and each goal's card in
plain words (what the number is, what is missing, which measure of the action plan and which of
its goals 1-5 it serves: `schemas.results.SPECS`, the plan's own mapping).

The words come from the catalogue, counted texts in their count forms (`schemas.catalogue.plural`);
this module only gathers the facts they are filled with.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from schemas.catalogue import messages, number_word, plural, translate
from schemas.periods import elapsed_share
from schemas.report import ReportContext
from schemas.results import (
    Coverage,
    IndicatorResult,
    Reading,
    Sample,
    Status,
    SurveyColours,
    Trajectory,
    indicator_spec,
)
from schemas.view import Behind, Card, Headline
from tasks.report.halfyear import survey_round
from tasks.report.i18n import (
    STATUS_SYMBOLS,
    category_names,
    format_date,
    format_number,
    format_partitive,
    format_value,
    status_key,
)


def is_final(ctx: ReportContext) -> bool:
    """At and after the deadline every goal is met or missed (DESIGN.md)."""
    return ctx.indicators.as_of >= ctx.programme_deadline


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
        return ", ".join(m for m, c in detail.colours.items() if c is not Status.GREEN)
    return ""


def counts_of(result: IndicatorResult) -> dict[str, int]:
    """The counts a goal's sentences may turn on (which one picks a text's form is the
    catalogue's `<key>.count`)."""
    detail = result.detail
    colours = detail.colours if isinstance(detail, SurveyColours) else {}
    gap = 0
    if result.numerator is not None and result.denominator is not None:
        gap = result.denominator - result.numerator
    elif isinstance(detail, Coverage):
        gap = len(detail.missing)
    return {
        "value": int(result.value or 0) if indicator_spec(result.id).reads is Reading.COUNT else 0,
        "numerator": result.numerator or 0,
        "denominator": result.denominator or 0,
        "gap": gap,
        "n": detail.n if isinstance(detail, Sample) else 0,
        "green": sum(c is Status.GREEN for c in colours.values()),
        "total": len(colours),
    }


def facts(result: IndicatorResult, ctx: ReportContext) -> dict[str, str]:
    """Everything a goal's sentences may name, formatted for the report's language."""
    lang, detail = ctx.language, result.detail
    counts = counts_of(result)
    mean = indicator_spec(result.id).reads is Reading.MEAN
    return {
        "value": format_value(result.id, result.value, lang),
        "target": (
            format_number(result.target, lang, 1)
            if mean
            else format_value(result.id, result.target, lang)
        ),
        "deadline": format_date(ctx.programme_deadline, lang),
        "expected": format_number(_expected(result, ctx), lang),
        "expected_part": format_partitive(_expected(result, ctx), lang),
        "numerator": format_number(result.numerator, lang),
        "denominator": format_number(result.denominator, lang),
        "gap": format_number(counts["gap"], lang),
        "names": _names(result, lang),
        "n": format_number(detail.n if isinstance(detail, Sample) else None, lang),
        "round": (detail.round or "") if isinstance(detail, SurveyColours) else "",
        "green": format_number(counts["green"], lang),
        "total": format_number(counts["total"], lang),
        "green_word": number_word(lang, counts["green"]),
        "total_from": number_word(lang, counts["total"], "elative"),
    }


def counted(language: str, key: str, result: IndicatorResult, ctx: ReportContext) -> str:
    """A goal's sentence: in the count form its catalogue entry asks for, or the one text."""
    fill = facts(result, ctx)
    table = messages(language)
    if f"{key}.other" not in table:
        return translate(language, key, **fill)
    n = counts_of(result)[table.get(f"{key}.count", "value")]
    return plural(language, key, n, **fill)


def serves(indicator_id: str, language: str) -> str:
    """ "Palvelee tavoitteita 1 (…) ja 4 (…)." from the plan's mapping in the spec."""
    goals = indicator_spec(indicator_id).goals
    names = [translate(language, f"goal.{n}") for n in goals]
    if not names:
        return ""
    listed = translate(language, "goal.and").join(
        [", ".join(names[:-1]), names[-1]] if len(names) > 1 else names
    )
    return plural(language, "goal.serves", len(names), goals=listed)


def shown(result: IndicatorResult, language: str) -> str:
    """The value as a card shows it; the survey's as metrics in green ("1/4 mittaria vihreällä")."""
    if isinstance(result.detail, SurveyColours) and result.value is not None:
        counts = counts_of(result)
        return plural(
            language,
            "indicator.agency_survey_green_share.shown",
            counts["total"],
            green=format_number(counts["green"], language),
            total=format_number(counts["total"], language),
        )
    return format_value(result.id, result.value, language)


def _pace(result: IndicatorResult, ctx: ReportContext) -> str:
    """When a reached count was reached (past tense); else its pace and forecast, never once
    the deadline has passed."""
    lang, detail, key = ctx.language, result.detail, f"indicator.{result.id}"
    reached_on = detail.reached_on if isinstance(detail, Trajectory | Coverage) else None
    if reached_on is not None and result.status is Status.GREEN:
        return translate(lang, "goal.reached_on", date=format_date(reached_on, lang))
    if is_final(ctx) or not isinstance(detail, Trajectory):
        return ""
    current = format_number(detail.current_per_month, lang, 1)
    required = format_number(detail.required_per_month, lang, 1)
    pace = translate(lang, f"{key}.pace", current=current, required=required)
    if detail.projected_date is None:
        return f"{pace} {translate(lang, f'{key}.not_projected')}"
    projected = format_date(detail.projected_date, lang)
    return f"{pace} {translate(lang, f'{key}.projected', date=projected)}"


def _note(result: IndicatorResult, ctx: ReportContext) -> str:
    """What the survey figure rests on: an earlier year's round while this year's is to come."""
    if not isinstance(result.detail, SurveyColours):
        return ""
    rnd = survey_round(ctx)
    if rnd is None or rnd.state not in ("pending", "missed"):
        return ""
    return translate(ctx.language, f"halfyear.survey_{rnd.state}", year=rnd.year, round=rnd.round)


def verdict(result: IndicatorResult, ctx: ReportContext) -> str:
    """At the deadline, a missed goal's gap: "3,92 — tavoite vähintään 4,0"."""
    if not is_final(ctx) or result.status is not Status.RED:
        return ""
    lang, key = ctx.language, f"indicator.{result.id}"
    goal = translate(lang, f"{key}.goal", **facts(result, ctx))
    return translate(lang, "goal.missed", value=shown(result, lang), goal=goal)


def _says_key(result: IndicatorResult, ctx: ReportContext) -> str:
    """Once the deadline has passed or the target is reached, a goal's own past-tense sentence
    (no "staying on schedule would call for…") where the catalogue has one."""
    key, table = f"indicator.{result.id}", messages(ctx.language)
    reached = isinstance(result.detail, Trajectory) and result.detail.reached_on is not None
    final = (is_final(ctx) or reached) and any(k.startswith(f"{key}.says_final") for k in table)
    return f"{key}.says_final" if final else f"{key}.says"


def card(result: IndicatorResult, ctx: ReportContext) -> Card:
    """One goal's card: status word and symbol, the plain sentence, measure and goals served."""
    lang, key, detail = ctx.language, f"indicator.{result.id}", result.detail
    known = result.value is not None
    return Card(
        id=result.id,
        value=result.value,
        status=result.status,
        word=translate(lang, status_key(result.status, result.id, is_final(ctx))),
        symbol=STATUS_SYMBOLS[result.status],
        says=counted(lang, _says_key(result, ctx), result, ctx) if known else "",
        measure=translate(lang, "goal.measure", measure=translate(lang, f"{key}.measure")),
        serves=serves(result.id, lang),
        trajectory=detail if isinstance(detail, Trajectory) else None,
        survey=detail if isinstance(detail, SurveyColours) else None,
        shown=shown(result, lang),
        verdict=verdict(result, ctx),
        pace=_pace(result, ctx) if known else "",
        note=_note(result, ctx),
    )


def headline(ctx: ReportContext) -> Headline:
    """The headline block: counts by status (non-zero ones), a sentence per goal behind.

    At and after the deadline the counts are of goals met and missed, and each missed goal
    says its gap.
    """
    lang, results = ctx.language, list(ctx.indicators.results.values())
    counts = status_counts(results)
    final = is_final(ctx)
    if final:
        keys = {"met": counts["green"], "missed": counts["red"], "grey": counts["grey"]}
    else:
        keys = counts
    parts = tuple(
        translate(lang, f"headline.{k}", n=format_number(n, lang)) for k, n in keys.items() if n
    )
    behind = tuple(
        Behind(translate(lang, f"indicator.{r.id}.name"), _behind(r, ctx))
        for r in results
        if r.status is Status.RED
    )
    summary = translate(
        lang,
        "headline.subject_final" if final else "headline.subject_summary",
        green=counts["green"],
        yellow=counts["on_schedule"] + counts["close"],
        red=counts["red"],
    )
    return Headline(
        len(results),
        parts,
        behind,
        summary,
        behind_title=translate(lang, "headline.missed_title" if final else "headline.behind"),
        none_behind=translate(lang, "headline.all_met" if final else "headline.none_behind"),
    )


def _behind(result: IndicatorResult, ctx: ReportContext) -> str:
    key = f"indicator.{result.id}.behind"
    if is_final(ctx) and f"{key}_final" in messages(ctx.language):
        key = f"{key}_final"  # the gap already says what the sentence would repeat
    says = counted(ctx.language, key, result, ctx)
    gap, note = verdict(result, ctx), _note(result, ctx)
    return " ".join(part for part in (f"{gap}." if gap else "", says, note) if part)
