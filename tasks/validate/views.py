"""The frames the rules read: each loaded frame with `_pos`, and feedback joined to the register."""

from __future__ import annotations

import polars as pl

from schemas.tables import ROW, Inputs, LoadedTable
from tasks.validate.rules import CONCEPT, ITEMS, OWNER, POS, REGISTERED, Rule, rules_for


def base_frame(table: LoadedTable, inputs: Inputs) -> pl.DataFrame:
    """The frame a dataset's rules read: the loaded one, plus the references for feedback."""
    return _with_references(table, inputs.engagements) if table is inputs.feedback else table.frame


def views(inputs: Inputs) -> dict[str, pl.DataFrame]:
    """The frames GX validates, by view name: `_pos`, `_row` and the columns the rules read.

    `_pos` is the record's index in `base_frame()`, which maps a failure back to its sheet,
    row, cell, engagement and owner.
    """
    out: dict[str, pl.DataFrame] = {}
    for table in inputs.tables():
        rules = rules_for(table.dataset)
        frame = base_frame(table, inputs).with_row_index(POS)
        frame = frame.with_columns(pl.col(POS).cast(pl.Int64))
        keys = [POS, ROW]
        for view in dict.fromkeys(r.view for r in rules):
            needed = _needed(rules, view)
            selected = frame.select(*keys, *needed)
            if view.endswith(ITEMS):
                selected = selected.explode(needed).drop_nulls(needed)
            out[view] = selected
    return out


def _needed(rules: tuple[Rule, ...], view: str) -> list[str]:
    names: dict[str, None] = {}
    for r in rules:
        if r.view == view:
            names.update(dict.fromkeys([r.column, r.report_column]))
            if r.when:
                names[r.when.column] = None
            if r.check == "after":
                names[r.params[0]] = None
    return list(names)


def _with_references(feedback: LoadedTable, engagements: LoadedTable) -> pl.DataFrame:
    """Feedback rows with the referenced engagement's id, concept and owner (null if unknown)."""
    register = (
        engagements.frame.drop_nulls("engagement_id")
        .unique("engagement_id", keep="first", maintain_order=True)
        .select(
            "engagement_id",
            pl.lit(True).alias(REGISTERED),
            pl.col("service_concept").alias(CONCEPT),
            pl.col("owner").alias(OWNER),
        )
    )
    joined = feedback.frame.join(register, on="engagement_id", how="left", maintain_order="left")
    known = pl.when(pl.col("engagement_id").is_not_null()).then(pl.col(REGISTERED).fill_null(False))
    return joined.with_columns(known.alias(REGISTERED))
