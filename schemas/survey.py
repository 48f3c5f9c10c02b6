"""Which agency-survey round a figure reads: one rule, shared by the indicator and the check.

The latest round is the one with the latest answer on or before the as-of date (ties: the
greater round text); rows without a round or an answer date are not in any round.
"""

from __future__ import annotations

from datetime import date

import polars as pl


def latest_round(
    survey: pl.DataFrame, as_of: date | None = None
) -> tuple[str | None, pl.DataFrame]:
    """Return the latest round answered by `as_of` (None: any date) and its answers."""
    text = pl.col("round").cast(pl.String).str.strip_chars()
    dated = survey.with_columns(text).filter(
        pl.col("answered_on").is_not_null() & (pl.col("round").str.len_chars() > 0)
    )
    if as_of is not None:
        dated = dated.filter(pl.col("answered_on") <= as_of)
    if dated.is_empty():
        return None, dated
    latest = (
        dated.group_by("round")
        .agg(pl.col("answered_on").max())
        .sort(["answered_on", "round"], descending=True)
        .item(0, "round")
    )
    return latest, dated.filter(pl.col("round") == latest)


def unanswered(answers: pl.DataFrame, metrics: tuple[str, ...]) -> tuple[str, ...]:
    """The metrics, in order, without a single answer among `answers` (absent columns too)."""
    return tuple(
        m for m in metrics if m not in answers.columns or answers[m].drop_nulls().is_empty()
    )
