"""Tiny hand-made frames shaped like loaded tables: contract columns and dtypes, _row, _sheet.

Every builder takes records as dicts of the columns a test cares about; the rest of the
contract's columns are present and null (as the loader leaves absent optional columns).
Rows are numbered from 2 (row 1 is the header), as the spreadsheet shows them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import polars as pl

from schemas.contract import Dataset
from schemas.datasets import (
    DEFAULT_SURVEY_METRICS,
    ENGAGEMENTS,
    FEEDBACK,
    PRINCIPLES,
    agency_survey,
)
from schemas.reference import branches
from schemas.settings import Programme, Settings, Targets
from schemas.tables import DTYPES, Frames


def _schema(dataset: Dataset) -> dict[str, pl.DataType]:
    schema = {c.name: DTYPES[c.kind] for c in dataset.columns}
    return {**schema, "_row": pl.Int64(), "_sheet": pl.String()}


def table(
    dataset: Dataset, records: list[Mapping[str, Any]], sheet: str | None = None
) -> pl.DataFrame:
    """Build a frame of `dataset`'s columns from records; unnamed columns are null."""
    schema = _schema(dataset)
    full = [
        {**dict.fromkeys(schema), "_row": i + 2, "_sheet": sheet or dataset.sheet, **r}
        for i, r in enumerate(records)
    ]
    return pl.DataFrame(full, schema=schema, orient="row") if full else pl.DataFrame(schema=schema)


def engagement(
    eid: str,
    status: str = "toteutettu",
    start: date = date(2017, 1, 1),
    end: date | None = None,
    **columns: Any,
) -> dict[str, Any]:
    """Return one engagement record: Kokeilu in VM unless told otherwise; fully described."""
    return {
        "engagement_id": eid,
        "title": f"Toimeksianto {eid}",
        "customer": "Virasto",
        "branch": "VM",
        "service_concept": "Kokeilu",
        "status": status,
        "start_date": start,
        "end_date": end,
        "cross_administrative": False,
        "life_path": "polku",
        "ecosystem": "eko",
        "change_in_operations": "muutos",
        "benefits": "hyöty",
        "method": "menetelmä",
        **columns,
    }


def feedback(rid: str, eid: str, answered: date, rating: int | None) -> dict[str, Any]:
    """Return one quick-feedback record."""
    return {
        "response_id": rid,
        "engagement_id": eid,
        "answered_on": answered,
        "value_rating": rating,
    }


def survey(rid: str, rnd: str, answered: date, *scores: float | None) -> dict[str, Any]:
    """Return one agency-survey answer, scores in DEFAULT_SURVEY_METRICS order."""
    return {
        "response_id": rid,
        "round": rnd,
        "answered_on": answered,
        **dict(zip(DEFAULT_SURVEY_METRICS, scores, strict=False)),
    }


def assessments(period: str, project: str, marks: str) -> list[dict[str, Any]]:
    """Return nine principle rows from a 9-letter code: t=toteutuu o=osittain e=ei toteudu
    n=ei arvioitavissa .=blank -=no row at all."""
    names = {
        "t": "toteutuu",
        "o": "osittain",
        "e": "ei toteudu",
        "n": "ei arvioitavissa",
        ".": None,
    }
    return [
        {"period": period, "key_project": project, "principle": str(i + 1), "assessment": names[m]}
        for i, m in enumerate(marks)
        if m != "-"
    ]


def frames(
    engagements: Sequence[Mapping[str, Any]] = (),
    feedback_rows: Sequence[Mapping[str, Any]] = (),
    survey_rows: Sequence[Mapping[str, Any]] = (),
    principle_rows: Sequence[Mapping[str, Any]] = (),
) -> Frames:
    """Build the four frames from records (each may be empty)."""
    return Frames(
        table(ENGAGEMENTS, list(engagements)),
        table(FEEDBACK, list(feedback_rows)),
        table(agency_survey(), list(survey_rows)),
        table(PRINCIPLES, list(principle_rows)),
        DEFAULT_SURVEY_METRICS,
    )


def settings(
    start: date = date(2017, 1, 1),
    deadline: date = date(2017, 1, 11),
    completed_target: int = 10,
    **targets: Any,
) -> Settings:
    """Return settings with a short programme (10 days by default) and a small target."""
    return Settings(
        programme=Programme(start=start, deadline=deadline),
        targets=Targets(engagements_completed=completed_target, **targets),
    )


def large_frames(n: int) -> Frames:
    """Build n engagements (and n feedback answers) column-wise, for timing the indicators."""
    idx = pl.int_range(0, n, eager=True)
    codes = pl.Series([b.code for b in branches()])
    start = pl.select(pl.lit(date(2016, 9, 8)) + pl.duration(days=idx % 800)).to_series()
    ids = pl.format("E{}", idx.alias("i"))
    columns = {
        "engagement_id": pl.select(ids).to_series(),
        "title": pl.repeat("t", n, eager=True),
        "customer": pl.repeat("c", n, eager=True),
        "branch": codes.gather(idx % 12),
        "service_concept": pl.Series(["Herätys", "Kokeilu", "Yhteistyö"]).gather(idx % 3),
        "status": pl.Series(["toteutettu", "käynnissä", "peruttu", "suunnitteilla"]).gather(
            idx % 4
        ),
        "start_date": start,
        "end_date": pl.select(start + pl.duration(days=30)).to_series(),
        "life_path": pl.Series(["polku", None]).gather(idx % 2),
        "support_areas": pl.Series([["hankinnat", "viestintä"], ["palvelumuotoilu"]]).gather(
            idx % 2
        ),
        "regulatory_obstacles": pl.Series([None, "laki"]).gather((idx % 50 == 0).cast(pl.Int64)),
        "_row": idx + 2,
    }
    eng = _fill(ENGAGEMENTS, columns, n)
    fb = _fill(
        FEEDBACK,
        {
            "response_id": pl.select(pl.format("R{}", idx.alias("i"))).to_series(),
            "engagement_id": columns["engagement_id"],
            "answered_on": start,
            "value_rating": idx % 5 + 1,
            "_row": idx + 2,
        },
        n,
    )
    answers = table(agency_survey(), [survey("S1", "2017", date(2017, 11, 1), 4, 4, 3.5, 3)])
    principles = table(PRINCIPLES, assessments("2018H1", "A", "tto.ntteo"))
    return Frames(eng, fb, answers, principles, DEFAULT_SURVEY_METRICS)


def _fill(dataset: Dataset, columns: Mapping[str, pl.Series], n: int) -> pl.DataFrame:
    schema = _schema(dataset)
    given = pl.DataFrame({k: v.alias(k) for k, v in columns.items()})
    return given.with_columns(
        [
            pl.lit(None, dtype=t).alias(c)
            for c, t in schema.items()
            if c not in columns and c != "_sheet"
        ],
        _sheet=pl.lit(dataset.sheet),
    ).select(pl.col(c).cast(t) for c, t in schema.items())
