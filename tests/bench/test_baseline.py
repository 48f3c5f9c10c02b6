"""The benchmark's pandas + openpyxl baseline computes the same indicators as d9.

Contract under test: on a generated workbook (80 engagements, the sample generator's default
seed), `bench.baseline_pandas.compute` returns, for every indicator id of DESIGN.md, the value
`tasks.indicators.compute_indicators` gives (to 1e-9), at three half-year ends, so the speed
comparison in the README is between two programs that agree. Its cell readers are checked on
hand-written values.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from bench.baseline_pandas import clean_text, compute, to_date, to_number
from bench.workbooks import config_text, generate
from schemas.settings import load_settings
from tasks.indicators import INDICATORS, compute_indicators
from tasks.load import load_inputs

AS_OF_DATES = (date(2017, 6, 30), date(2017, 12, 31), date(2018, 6, 30))


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bench")
    path = folder / "engagements-80.xlsx"
    generate(path, 80)
    (folder / "d9.toml").write_text(config_text(path.name, "state"), encoding="utf-8")
    return path


@pytest.mark.parametrize("as_of", AS_OF_DATES, ids=str)
def test_baseline_matches_compute_indicators(workbook: Path, as_of: date) -> None:
    settings = load_settings(workbook.parent / "d9.toml")
    ours = compute_indicators(load_inputs(settings).frames(), as_of, settings).results
    theirs = compute(workbook, as_of)
    assert set(theirs) == set(INDICATORS) == set(ours)
    for iid, result in ours.items():
        if result.value is None:
            assert theirs[iid] is None, iid
        else:
            assert theirs[iid] == pytest.approx(result.value, abs=1e-9), iid


def test_the_comparison_is_not_vacuous(workbook: Path) -> None:
    values = compute(workbook, date(2018, 6, 30))
    assert all(v is not None for v in values.values())
    assert (values["engagements_completed"] or 0) > 0
    share = values["effects_described_share"]
    assert share is not None and 0 < share < 1  # the generator leaves gaps on purpose


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (datetime(2018, 3, 5, 0, 0), date(2018, 3, 5)),
        ("5.3.2018", date(2018, 3, 5)),
        (" 2018-03-05 ", date(2018, 3, 5)),
        ("2018-03-05 00:00:00", date(2018, 3, 5)),
        ("maaliskuussa", None),
        (None, None),
        (float("nan"), None),
    ],
    ids=["spreadsheet-date", "finnish", "iso-spaced", "iso-datetime", "words", "none", "nan"],
)
def test_to_date(cell: object, expected: date | None) -> None:
    assert to_date(cell) == expected


def test_cell_readers() -> None:
    assert to_number("3,5") == 3.5
    assert to_number(4) == 4.0
    assert to_number("") is None
    assert clean_text("  Kela ") == "Kela"
    assert clean_text("   ") is None
