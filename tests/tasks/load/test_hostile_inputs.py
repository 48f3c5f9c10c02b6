"""The last bad inputs a team meets: Excel's "Unicode text", a header twice, unsaved formulas.

Contract, on the sample workbook edited as a user (or another tool) would:
- a register saved by Excel as "Unicode text" (UTF-16 with a BOM, tab-separated) loads exactly
  like the same sheet in the xlsx;
- a header written twice (`Tila` in two columns) is one warning naming both columns; the first
  is used;
- ids written by another tool as formulas without saved values (`="D9-…"`, which calamine reads
  as blank) are one blocking finding for the sheet telling the user to open and save the file in
  Excel or LibreOffice, not a "value missing" finding per cell.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import openpyxl
from polars.testing import assert_frame_equal

from schemas.findings import Severity
from schemas.request import Validator
from schemas.settings import load_settings
from schemas.tables import SHEET
from tasks.load import load_inputs
from tasks.validate import validate
from tests.support.project import edited_sheet, sample_project

TODAY = date(2018, 7, 2)
REGISTER = "Toimeksiannot"


def test_a_utf16_tab_separated_register_loads_like_the_workbook(tmp_path: Path) -> None:
    config = sample_project(tmp_path)
    sheet = openpyxl.load_workbook(tmp_path / "seuranta.xlsx", data_only=True)[REGISTER]
    text = io.StringIO()
    writer = csv.writer(text, delimiter="\t", lineterminator="\r\n")
    for row in sheet.iter_rows(values_only=True):
        writer.writerow(["" if v is None else _cell(v) for v in row])
    (tmp_path / "register.txt").write_bytes(text.getvalue().encode("utf-16"))  # BOM first
    assert (tmp_path / "register.txt").read_bytes()[:2] in (b"\xff\xfe", b"\xfe\xff")
    raw = config.read_text(encoding="utf-8")
    config.write_text(
        raw.replace(
            f'path = "seuranta.xlsx"\nsheet = "{REGISTER}"', 'path = "register.txt"\nsheet = ""', 1
        ),
        encoding="utf-8",
    )

    from_text = load_inputs(load_settings(config, environ={})).engagements
    from_xlsx = load_inputs(load_settings(sample_project(tmp_path / "x"), environ={})).engagements
    assert from_text.frame.height == from_xlsx.frame.height > 50
    assert_frame_equal(from_text.frame.drop(SHEET), from_xlsx.frame.drop(SHEET))


def _cell(value: object) -> str:
    """A cell as Excel's text export writes it (dates as d.m.yyyy)."""
    if hasattr(value, "strftime"):
        return f"{value.day}.{value.month}.{value.year}"  # type: ignore[attr-defined]
    return str(value)


def test_a_header_written_twice_is_one_warning_naming_both_columns(tmp_path: Path) -> None:
    config = sample_project(tmp_path)
    with edited_sheet(tmp_path / "seuranta.xlsx", REGISTER) as sheet:
        used = sheet.column("Tila")
        extra = sheet.sheet.max_column + 1
        sheet.sheet.cell(row=sheet.header_row, column=extra).value = "Tila"
        for row in range(sheet.header_row + 1, sheet.sheet.max_row + 1):
            sheet.sheet.cell(row=row, column=extra).value = "ei käytössä"  # ignored: first one wins
    settings = load_settings(config, environ={})
    inputs = load_inputs(settings)

    report = validate(inputs, settings, today=TODAY, validator=Validator.POLARS)
    twins = [f for f in report.findings if f.rule == "duplicate_header"]
    first, second = _letter(used), _letter(extra)
    assert [(f.severity, f.sheet, f.row, f.column) for f in twins] == [
        (Severity.WARNING, REGISTER, 0, "Tila")
    ]
    assert f"sarakkeissa {first} ja {second}: käytetään saraketta {first}" in twins[0].message
    assert "ei käytössä" not in inputs.engagements.frame["status"].to_list()


def test_formulas_without_saved_values_are_one_blocking_finding_per_sheet(tmp_path: Path) -> None:
    config = sample_project(tmp_path)
    with edited_sheet(tmp_path / "seuranta.xlsx", REGISTER) as sheet:
        rows = range(sheet.header_row + 1, sheet.sheet.max_row + 1)
        ids = [r for r in rows if sheet.get(r, "Tunnus")]
        for row in ids:  # openpyxl writes the formula with no value: as another tool would
            sheet.set(row, "Tunnus", f'="{sheet.get(row, "Tunnus")}"')
    settings = load_settings(config, environ={})

    report = validate(load_inputs(settings), settings, today=TODAY, validator=Validator.POLARS)
    on_register = [f for f in report.findings if f.sheet == REGISTER]
    assert [(f.rule, f.severity, f.row) for f in on_register] == [
        ("unsaved_formulas", Severity.BLOCKING, 0)
    ]
    message = on_register[0].message
    assert f"{len(ids)} solussa on kaava ilman tallennettua arvoa" in message
    assert "avaa tiedosto Excelissä tai LibreOfficessa ja tallenna se" in message


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)
