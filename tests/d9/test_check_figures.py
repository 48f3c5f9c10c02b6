"""`d9 check` on a small hand-built workbook flags every case of issue 10 that would otherwise
make a figure silently wrong; `d9 indicators` reads the rest right.

The workbook: a completed engagement ending after today and feedback answered after today
(warnings naming the row); a survey whose first metric header carries a note (read as the
metric) and whose fourth metric has no answer in the latest round (warning, grey, not green);
principles in long form with five Kausi spellings (read), one unreadable Kausi (blocking, named
by cell) and a key project of 2018H1 missing from 2018H2 (warning).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from d9.cli import main
from tests.support.design import REQUIRED_REGISTER_HEADERS
from tests.support.workbooks import write_xlsx

pytestmark = pytest.mark.slow

FUTURE = date(2099, 1, 1)
METRICS = ("Kokonaistyytyväisyys", "Asiantuntemus", "Yhteistyön sujuvuus", "Hyödyllisyys")


def _workbook(path: Path, kausi_bad: str | None) -> None:
    engagements = [
        REQUIRED_REGISTER_HEADERS,
        ["E1", "T1", "Virasto", "VM", "Kokeilu", None, "toteutettu", date(2018, 1, 2), FUTURE],
        ["E2", "T2", "Virasto", "SM", "Yhteistyö", None, "käynnissä", date(2018, 1, 2), None],
    ]
    feedback = [
        ["Vastaus", "Tunnus", "Vastauspäivä", "Arvosana"],
        ["R1", "E1", date(2018, 3, 1), 4],
        ["R2", "E1", FUTURE, 5],
    ]
    survey = [
        ["Vastaus", "Kierros", "Vastauspäivä", "Kokonaistyytyväisyys (1–5)", *METRICS[1:]],
        ["A1", "2018", date(2018, 3, 1), 4, 5, 4, None],
        ["A2", "2018", date(2018, 3, 2), 5, 4, 4, None],
    ]
    spellings = ["2018 H1", "H1/2018", "1/2018", "2018/1", "2018 h1"]
    principles = [["Kausi", "Kärkihanke", "Periaate", "Arvio"]]
    principles += [[s, "Hanke A", str(i + 1), "toteutuu"] for i, s in enumerate(spellings)]
    principles += [["2018H1", "Hanke B", "1", "toteutuu"], ["H2/2018", "Hanke A", "1", "osittain"]]
    if kausi_bad:
        principles.append([kausi_bad, "Hanke A", "2", "osittain"])  # row 9
    write_xlsx(
        path,
        {
            "Toimeksiannot": engagements,
            "Palaute": feedback,
            "Asiakastyytyväisyys": survey,
            "Digiperiaatteet": principles,
        },
    )


def _config(folder: Path, kausi_bad: str | None) -> str:
    _workbook(folder / "book.xlsx", kausi_bad)
    sheets = {
        "engagements": "Toimeksiannot",
        "feedback": "Palaute",
        "agency_survey": "Asiakastyytyväisyys",
        "principles": "Digiperiaatteet",
    }
    text = "".join(f'[sources.{n}]\npath = "book.xlsx"\nsheet = "{s}"\n' for n, s in sheets.items())
    (folder / "d9.toml").write_text(text + '[state]\ndir = "state"\n', encoding="utf-8")
    return str(folder / "d9.toml")


def _line(out: str, *parts: str) -> str:
    return next(line for line in out.splitlines() if all(p in line for p in parts))


def test_check_flags_every_case(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code = main(["check", "--config", _config(tmp_path, "kevät 2018")])
    out = capsys.readouterr().out
    assert code == 1  # the unreadable Kausi blocks
    assert "'kevät 2018'" in _line(out, "row 9", "Kausi", "(blocking)", "A9")
    assert "(warning)" in _line(out, "Toimeksiannot", "row 2", "Päättymispäivä", "2099-01-01")
    assert "(warning)" in _line(out, "Palaute", "row 3", "Vastauspäivä", "2099-01-01")
    assert "(warning)" in _line(out, "Asiakastyytyväisyys", "whole sheet", "Hyödyllisyys", "2018")
    assert "(warning)" in _line(out, "row 7", "Kärkihanke", "Hanke B", "2018H2")
    assert "Kokonaistyytyväisyys" not in out  # the header with a note was found


def test_indicators_read_the_rest_right(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    config = _config(tmp_path, None)
    assert main(["indicators", "--config", config, "--period", "2018H2", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)["indicators"]
    survey = data["agency_survey_green_share"]
    # means 4.5, 4.5, 4.0 green; Hyödyllisyys unanswered: grey, not green -> 3 of 4; at the
    # deadline (2018H2) a goal is met or missed: missed, red (issue 20)
    assert (survey["value"], survey["status"]) == (0.75, "red")
    assert survey["colours"]["Hyödyllisyys"] == "grey"
    principles = data["principles_assessed_share"]
    # 2018H2: Hanke A principle 1 assessed; Hanke B (2018H1) left out: 1 of 18 cells
    assert (principles["numerator"], principles["denominator"]) == (1, 18)
    assert principles["left_out"] == ["Hanke B"]
    h1 = main(["indicators", "--config", config, "--period", "2018H1", "--format", "json"])
    assert h1 == 0
    first = json.loads(capsys.readouterr().out)["indicators"]["principles_assessed_share"]
    # every spelling read as 2018H1: Hanke A 5 cells, Hanke B 1 cell of 18
    assert (first["numerator"], first["denominator"]) == (6, 18)
