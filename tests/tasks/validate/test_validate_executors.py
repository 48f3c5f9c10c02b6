"""Contract: the Polars executor (`tasks.validate.polars_rules`, the command line's) and Great
Expectations (the validator of record, the flows') give identical findings — same rows, columns,
values, rules, severities, messages, engagements, owners, in the same order.

Compared on the bundled sample, on a workbook holding one of every kind of defect (the test
also checks that every rule id fired, so a new rule needs a defect here), and on seeded
workbooks with random defects, including blank-looking and numeric-looking text.
"""

from __future__ import annotations

import random
import shutil
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from schemas import ENGAGEMENTS, FEEDBACK, PRINCIPLES, agency_survey
from schemas.findings import ValidationReport
from schemas.request import Validator
from schemas.settings import Settings, load_settings
from tasks.load import load_inputs
from tasks.validate import validate
from tasks.validate.rules import rules_for
from tests.support import tables as t
from tests.support.project import SAMPLE, sample_project

TODAY = date.today()  # what "a date in the future" is measured against

pytestmark = pytest.mark.slow

NAN = float("nan")
QUICK_ID, LONG_ID = "D9-2016-001", "D9-2016-006"  # a Herätys and a Yhteistyö engagement
# (sheet, header, bad value): each makes a finding of its own kind on the row it is put in.
DEFECTS: list[tuple[str, str, Any]] = [
    ("Toimeksiannot", "Tunnus", None),
    ("Toimeksiannot", "Tunnus", QUICK_ID),  # repeats the first row's id
    ("Toimeksiannot", "Toimeksianto", None),
    ("Toimeksiannot", "Asiakasorganisaatio", None),
    ("Toimeksiannot", "Hallinnonala", None),
    ("Toimeksiannot", "Hallinnonala", "Kuuden ministeriö"),
    ("Toimeksiannot", "Poikkihallinnollinen", "ehkä"),
    ("Toimeksiannot", "Palvelukonsepti", "Kahvi"),
    ("Toimeksiannot", "Vaikuttamisen taso", "paljon"),
    ("Toimeksiannot", "Hankkeen vaihe", "loppu"),
    ("Toimeksiannot", "Painopiste", "talous"),
    ("Toimeksiannot", "Painopiste", "kärkihanke"),  # the key project may then be missing
    ("Toimeksiannot", "Kärkihanke", None),
    ("Toimeksiannot", "Tila", None),
    ("Toimeksiannot", "Tila", "valmiina"),
    ("Toimeksiannot", "Tila", "toteutettu"),  # needs an end date and the effects
    ("Toimeksiannot", "Alkupäivä", None),
    ("Toimeksiannot", "Alkupäivä", "32.1.2017"),
    ("Toimeksiannot", "Alkupäivä", datetime(2019, 1, 1)),  # after the end date
    ("Toimeksiannot", "Päättymispäivä", None),
    ("Toimeksiannot", "Päättymispäivä", "1.1.2016"),  # before the start date
    ("Toimeksiannot", "Elämänpolku", None),
    ("Toimeksiannot", "Ekosysteemi", None),
    ("Toimeksiannot", "Muutos toimintaan", None),
    ("Toimeksiannot", "Avun hyödyt", None),
    ("Toimeksiannot", "Käytetty menetelmä", None),
    ("Toimeksiannot", "Vaikutti strategisiin valintoihin", "ehkä"),
    ("Toimeksiannot", "Tuen muoto", "hankinnat; kahvinkeitto; kahvinkeitto"),
    ("Toimeksiannot", "Investointisuositus", "ehkä"),
    ("Toimeksiannot", "Vastuuhenkilö", None),
    ("Toimeksiannot", "Vastuuhenkilö", "Anna Aalto"),
    ("Toimeksiannot", "Vastuuhenkilö", "anna@example"),
    ("Palaute", "Vastaus", None),
    ("Palaute", "Vastaus", "P-0001"),  # repeats the first row's id
    ("Palaute", "Tunnus", None),
    ("Palaute", "Tunnus", "D9-9999"),  # not in the register
    ("Palaute", "Tunnus", LONG_ID),  # a Yhteistyö engagement
    ("Palaute", "Vastauspäivä", None),
    ("Palaute", "Vastauspäivä", "31.2.2018"),
    ("Palaute", "Koetko", 6),
    ("Palaute", "Koetko", 0),
    ("Palaute", "Koetko", 2.5),
    ("Palaute", "Koetko", "hyvä"),
    ("Asiakastyytyväisyys", "Vastaus", None),
    ("Asiakastyytyväisyys", "Vastaus", "AT-2016-001"),
    ("Asiakastyytyväisyys", "Kierros", None),
    ("Asiakastyytyväisyys", "Vastauspäivä", "eilen"),
    ("Asiakastyytyväisyys", "Asiantuntemus", 0.5),
    ("Asiakastyytyväisyys", "Kokonaistyytyväisyys", 5.5),
    ("Asiakastyytyväisyys", "Hyödyllisyys", "NaN"),
    ("Asiakastyytyväisyys", "Yhteistyön sujuvuus", None),
    ("Digiperiaatteet", "Kausi", None),
    ("Digiperiaatteet", "Kausi", "2018H3"),
    ("Digiperiaatteet", "Kärkihanke", None),
    ("Digiperiaatteet", "Periaate", "10"),
    ("Digiperiaatteet", "Periaate", None),
    ("Digiperiaatteet", "Arvio", "hyvä"),
]
# every rule id the contracts declare, and the loader's unreadable cells
EVERY_RULE = {
    *(r.rule for d in (ENGAGEMENTS, FEEDBACK, PRINCIPLES, agency_survey()) for r in rules_for(d)),
    "type",
}
_LONG_FORM = ["Kausi", "Kärkihanke", "Periaate", "Arvio", "Huomiot"]
_HEADER_ROW = {"Toimeksiannot": 3, "Palaute": 1, "Asiakastyytyväisyys": 2, "Digiperiaatteet": 1}
_FIRST_ROW = {sheet: row + 1 for sheet, row in _HEADER_ROW.items()}


def _with_long_form_principles(book: openpyxl.Workbook) -> None:
    """Replace the matrices by one long-form sheet (the form whose `Kausi` can be wrong)."""
    rows = []
    for name in [n for n in book.sheetnames if n.startswith("Digiperiaatteet ")]:
        matrix = book[name]
        principles = [c.value for c in matrix[2]][1:]
        for line in matrix.iter_rows(min_row=3, values_only=True):
            rows += [
                [name.split()[-1], line[0], p.split()[0], a, None]
                for p, a in zip(principles, line[1:], strict=True)
            ]
        del book[name]
    sheet = book.create_sheet("Digiperiaatteet")
    for line in [_LONG_FORM, *rows]:
        sheet.append(line)


def _column(sheet: Any, header_row: int, header: str) -> int:
    return next(
        c.column for c in sheet[header_row] if str(c.value or "").strip().startswith(header)
    )


def _defective_project(folder: Path, defects: list[tuple[str, str, Any, int]]) -> Path:
    """The sample project with long-form principles and each (sheet, header, value, row) set."""
    config = sample_project(folder)
    book = openpyxl.load_workbook(folder / "seuranta.xlsx")
    _with_long_form_principles(book)
    for sheet, header, value, row in defects:
        column = _column(book[sheet], _HEADER_ROW[sheet], header)
        book[sheet].cell(row=row, column=column).value = value
    book.save(folder / "seuranta.xlsx")
    return config


def _both(config: Path) -> tuple[ValidationReport, ValidationReport]:
    settings = load_settings(config)
    inputs = load_inputs(settings)
    return validate(inputs, settings, today=TODAY, validator=Validator.GX), validate(
        inputs, settings, today=TODAY, validator=Validator.POLARS
    )


def test_the_sample_gives_identical_findings(tmp_path: Path) -> None:
    shutil.copy(SAMPLE, tmp_path / "seuranta.xlsx")
    by_gx, by_polars = _both(sample_project(tmp_path))
    assert by_gx.findings, "the sample has warnings: an empty comparison would prove nothing"
    assert by_polars.findings == by_gx.findings


def test_every_kind_of_defect_gives_identical_findings(tmp_path: Path) -> None:
    rows = dict.fromkeys(_FIRST_ROW, 0)
    placed = []
    for sheet, header, value in DEFECTS:  # each defect on a row of its own
        placed.append((sheet, header, value, _FIRST_ROW[sheet] + 1 + rows[sheet]))
        rows[sheet] += 1
    by_gx, by_polars = _both(_defective_project(tmp_path, placed))
    assert {f.rule for f in by_gx.findings} >= EVERY_RULE  # (+ the figure checks, run by both)
    assert len(by_gx.blocking) > 40
    assert by_polars.findings == by_gx.findings


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_defects_give_identical_findings(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    last = {"Toimeksiannot": 84, "Palaute": 61, "Asiakastyytyväisyys": 25, "Digiperiaatteet": 150}
    placed = [
        (sheet, header, value, rng.randint(_FIRST_ROW[sheet], last[sheet]))
        for sheet, header, value in rng.choices(DEFECTS, k=40)
    ]
    by_gx, by_polars = _both(_defective_project(tmp_path, placed))
    assert by_gx.blocking
    assert by_polars.findings == by_gx.findings


def test_nan_is_blank_to_both() -> None:
    """pandas reads NaN as a blank cell: no range finding from either executor."""
    base = t.valid_inputs()
    inputs = replace(base, agency_survey=t.set_cell(base.agency_survey, 3, "Asiantuntemus", NAN))
    by_gx = validate(inputs, Settings(), today=TODAY, validator=Validator.GX)
    assert [f for f in by_gx.findings if f.sheet == "Asiakastyytyväisyys"] == []
    assert (
        validate(inputs, Settings(), today=TODAY, validator=Validator.POLARS).findings
        == by_gx.findings
    )
