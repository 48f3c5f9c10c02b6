"""Practices spreading: customers and branches coming back, customers moving up the concepts.

Choices (the issue leaves them open):

- Over the reached engagements (see `common.reached`). A `customer` cell naming several
  organisations ("Hätäkeskuslaitos, Valvira"; "," or ";") counts for each of them.
- `repeat_customers`: counts = customer -> engagements, for customers with more than one,
  most engagements first (ties in natural order: "Virasto 3" before "Virasto 10"); numerator =
  such customers, denominator = customers (`engagements_per_customer` is the one rule). Its
  previous half-year's figure counts every customer shown now, with the engagements it had
  then (1, or 0 when it had none), so a customer's first engagement never reads as 0; likewise
  `repeat_branches`.
- `repeat_branches`: counts = branch -> engagements for branches with more than one, in the
  official order; numerator = such branches, denominator = branches with any engagement.
- `concept_progression`: a customer's path is its service concepts in the order first reached
  (by start date; the same day: Herätys before Kokeilu before Yhteistyö). It moved when the path
  has two or more concepts and each is higher than the one before (Herätys → Kokeilu →
  Yhteistyö). counts = path -> customers; numerator = customers who moved, denominator = customers.
"""

from __future__ import annotations

import re
from dataclasses import replace

import polars as pl

from schemas.reference import branches, vocabulary
from schemas.results import ContextFigure
from tasks.indicators.common import ENGAGEMENT_COLUMNS, appendix

ARROW = " → "


def by_customer(base: pl.DataFrame) -> pl.DataFrame:
    """One row per (engagement, named customer organisation), `organisation` holding the name."""
    return (
        base.with_columns(
            pl.col("customer").str.replace_all(";", ",").str.split(",").alias("organisation")
        )
        .explode("organisation")
        .with_columns(pl.col("organisation").str.strip_chars())
        .filter(pl.col("organisation").str.len_chars().fill_null(0) > 0)
    )


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """Sort "Virasto 3" before "Virasto 10": digits compare as numbers, the rest case-blind."""
    parts = re.split(r"(\d+)", text.casefold())
    key = tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts if p)
    return (*key, (2, text))  # names equal but for case: a fixed order all the same


def engagements_per_customer(base: pl.DataFrame) -> dict[str, int]:
    """The one rule of the repeat-customer counts: engagements per named customer organisation,
    most first, ties in natural order ("Virasto 3" before "Virasto 10")."""
    sizes = by_customer(base).group_by("organisation").len().iter_rows()
    ordered = sorted(sizes, key=lambda r: (-r[1], natural_key(r[0])))
    return {name: int(n) for name, n in ordered}


def repeat_customers(base: pl.DataFrame) -> ContextFigure:
    per, sizes = by_customer(base), engagements_per_customer(base)
    counts = {name: n for name, n in sizes.items() if n > 1}
    rows = per.filter(pl.col("organisation").is_in(list(counts))).sort("organisation", "start_date")
    return ContextFigure(
        "repeat_customers",
        counts=counts,
        numerator=len(counts),
        denominator=len(sizes),
        rows=appendix(rows, ("organisation", *ENGAGEMENT_COLUMNS)),
    )


def with_earlier_counts(
    before: ContextFigure, sizes: dict[str, int], shown: dict[str, int]
) -> ContextFigure:
    """The earlier figure with the engagements then of everyone shown now (1 is not 0)."""
    counts = {name: sizes.get(name, 0) for name in dict.fromkeys([*shown, *before.counts])}
    return replace(before, counts=counts)


def engagements_per_branch(base: pl.DataFrame) -> dict[str, int]:
    """Engagements per branch, in the official order (branches without any left out)."""
    found = dict(base.drop_nulls("branch").group_by("branch").len().iter_rows())
    return {b.code: int(found[b.code]) for b in branches() if found.get(b.code)}


def repeat_branches(base: pl.DataFrame) -> ContextFigure:
    found = dict(base.drop_nulls("branch").group_by("branch").len().iter_rows())
    counts = {b: n for b, n in engagements_per_branch(base).items() if n > 1}
    rows = base.filter(pl.col("branch").is_in(list(counts))).sort("branch", "start_date")
    return ContextFigure(
        "repeat_branches",
        counts=counts,
        numerator=len(counts),
        denominator=len(found),
        rows=appendix(rows, ENGAGEMENT_COLUMNS),
    )


def _path(concepts: list[str]) -> str:
    return ARROW.join(dict.fromkeys(concepts))


def concept_progression(base: pl.DataFrame) -> ContextFigure:
    order = vocabulary("service_concept")[0]
    rank = {c: i for i, c in enumerate(order)}
    per = by_customer(base).filter(pl.col("service_concept").is_in(order))
    per = per.with_columns(pl.col("service_concept").replace_strict(rank).alias("_rank"))
    paths = (
        per.sort("start_date", "_rank")
        .group_by("organisation", maintain_order=True)
        .agg(pl.col("service_concept"))
        .with_columns(
            pl.col("service_concept").map_elements(_path, return_dtype=pl.String).alias("path")
        )
    )
    moved = [
        (o, p) for o, p in zip(paths["organisation"], paths["path"], strict=True) if _up(p, rank)
    ]
    counts: dict[str, int] = {}
    for _, path in sorted(moved, key=lambda m: [rank[c] for c in m[1].split(ARROW)]):
        counts[path] = counts.get(path, 0) + 1
    names = [o for o, _ in moved]
    rows = per.filter(pl.col("organisation").is_in(names)).sort("organisation", "start_date")
    return ContextFigure(
        "concept_progression",
        counts=counts,
        numerator=len(moved),
        denominator=paths.height,
        rows=appendix(rows, ("organisation", *ENGAGEMENT_COLUMNS)),
    )


def _up(path: str, rank: dict[str, int]) -> bool:
    steps = [rank[c] for c in path.split(ARROW)]
    return len(steps) > 1 and all(a < b for a, b in zip(steps, steps[1:], strict=False))
