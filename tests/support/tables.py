"""Hand-made `LoadedTable`s and `Inputs`, shaped exactly as the loader hands them on.

`valid_inputs()` is one small, valid, slightly messy data set (a title row above the headers,
an English header, a branch given by name and normalised to its code, a blank rating, a
cancelled engagement without effects). Tests change single cells with `set_cell()` by the
spreadsheet row number (`_row`), so each case shows one rule firing on one known row.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import polars as pl

from schemas import ENGAGEMENTS, FEEDBACK, PRINCIPLES, Dataset, agency_survey
from schemas.tables import DTYPES, ROW, SHEET, CellProblem, Inputs, LoadedTable

SOURCE = "seuranta.xlsx"


def table(
    dataset: Dataset,
    rows: list[dict[str, Any]],
    *,
    first_row: int = 2,
    headers: dict[str, str] | None = None,
    problems: tuple[CellProblem, ...] = (),
) -> LoadedTable:
    """A LoadedTable of `rows` (canonical name -> value), from spreadsheet row `first_row` on."""
    schema = {c.name: DTYPES[c.kind] for c in dataset.columns}
    data = {name: [r.get(name) for r in rows] for name in schema}
    frame = pl.DataFrame(data, schema=schema).with_columns(
        pl.Series(ROW, range(first_row, first_row + len(rows)), dtype=pl.Int64),
        pl.lit(dataset.sheet, pl.Utf8).alias(SHEET),
    )
    found = {c.name: c.header_fi for c in dataset.columns} | (headers or {})
    letters = {name: chr(ord("A") + i) for i, name in enumerate(schema)}
    return LoadedTable(dataset, frame, SOURCE, dataset.sheet, found, letters, problems)


def _engagement(n: int, **cells: Any) -> dict[str, Any]:
    base = {
        "engagement_id": f"D9-{n:03d}",
        "title": f"Toimeksianto {n}",
        "customer": "Verohallinto",
        "branch": "VM",
        "cross_administrative": False,
        "service_concept": "Kokeilu",
        "status": "käynnissä",
        "start_date": date(2017, 1, n),
        "life_path": "Työelämä",
        "ecosystem": "Tulorekisteri",
        "owner": "anna.aalto@example.org",
    }
    return base | cells


def engagements_rows() -> list[dict[str, Any]]:
    """Five valid engagements on spreadsheet rows 3-7 (row 1 a title, row 2 the headers)."""
    done = {
        "status": "toteutettu",
        "end_date": date(2017, 1, 5),  # a Kokeilu of a few days (the plan: about 1-5)
        "change_in_operations": "Uusi",
        "benefits": "Nopeampi",
        "method": "Palvelumuotoilu",
    }
    return [
        _engagement(1, **done, support_areas=["palvelumuotoilu", "hankinnat"]),
        _engagement(
            2,
            branch="STM",
            priority="kärkihanke",
            key_project="Tulorekisteri",
            cross_administrative=True,
            influence_level="strateginen",
        ),
        _engagement(
            3,
            service_concept="Yhteistyö",
            priority="terveys",
            project_stage="alkava",
            investment_advice="muuta",
            support_areas=[],
        ),
        _engagement(4, status="peruttu", service_concept="Herätys"),
        _engagement(
            5,
            status="suunnitteilla",
            owner="bertta.berg@example.org",
            **{"start_date": date(2018, 2, 1)},
        ),
    ]


def feedback_rows() -> list[dict[str, Any]]:
    """Four valid answers on rows 2-5; row 4 left the rating blank (no answer, not a zero)."""
    return [
        {
            "response_id": "R1",
            "engagement_id": "D9-001",
            "answered_on": date(2017, 7, 1),
            "value_rating": 5,
            "comment": "Henkilökohtainen kommentti Annalle",
        },
        {
            "response_id": "R2",
            "engagement_id": "D9-004",
            "answered_on": date(2017, 7, 2),
            "value_rating": 4,
        },
        {"response_id": "R3", "engagement_id": "D9-001", "answered_on": date(2017, 7, 3)},
        {
            "response_id": "R4",
            "engagement_id": "D9-002",
            "answered_on": date(2017, 7, 4),
            "value_rating": 1,
        },
    ]


def survey_rows() -> list[dict[str, Any]]:
    """Two valid respondents of round 2018 on rows 2-3."""
    metrics = {
        "Kokonaistyytyväisyys": 4.0,
        "Asiantuntemus": 5.0,
        "Yhteistyön sujuvuus": 3.0,
        "Hyödyllisyys": 1.0,
    }
    return [
        {"response_id": f"A{i}", "round": "2018", "answered_on": date(2018, 3, i), **metrics}
        for i in (1, 2)
    ]


def principle_rows() -> list[dict[str, Any]]:
    """Principles 1-3 of one key project in 2018H1 on rows 2-4; principle 3 not yet assessed."""
    return [
        {
            "period": "2018H1",
            "key_project": "Tulorekisteri",
            "principle": str(p),
            "assessment": a,
            "notes": None,
        }
        for p, a in ((1, "toteutuu"), (2, "osittain"), (3, None))
    ]


def valid_inputs() -> Inputs:
    """The four datasets, all valid; the register has a title row and an English header."""
    return Inputs(
        engagements=table(
            ENGAGEMENTS,
            engagements_rows(),
            first_row=3,
            headers={"status": "Status", "owner": "Vastuuhenkilön sähköposti"},
        ),
        feedback=table(FEEDBACK, feedback_rows()),
        agency_survey=table(agency_survey(), survey_rows()),
        principles=table(PRINCIPLES, principle_rows()),
    )


def set_cell(loaded: LoadedTable, row: int, column: str, value: Any) -> LoadedTable:
    """A copy of `loaded` whose cell at spreadsheet row `row`, column `column` holds `value`."""
    frame = loaded.frame
    dtype = frame.schema[column]
    new = pl.when(pl.col(ROW) == row).then(pl.lit(value, dtype=dtype)).otherwise(pl.col(column))
    return replace(loaded, frame=frame.with_columns(new.alias(column)))
