"""The action plan's own facts through the command line, on a register the repository does not
hold (issue 20).

The workbook: a register with only the required headers (no optional column at all) whose
programme runs to the deadline, feedback that misses the target, one Yhteistyö engagement with
feedback, a Kokeilu of three months, and a survey round of the year before. Contract: `d9 check`
warns once per missing optional header (naming it), about the Yhteistyö feedback (kept, not a
block) and about the long Kokeilu; `d9 indicators` gives each indicator the plan's goals, the
figures resting on a missing column as `null` with `"recorded": false`, statuses met or missed
at the deadline; an as-of date before the programme start is exit 2 with one line.
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

METRICS = ("Kokonaistyytyväisyys", "Asiantuntemus", "Yhteistyön sujuvuus", "Hyödyllisyys")
OPTIONAL_HEADERS = (  # the headers of the optional columns a figure rests on
    "Painopiste",
    "Tuen muoto",
    "Vaikutti strategisiin valintoihin",
    "Vaikuttamisen taso",
    "Hankkeen vaihe",
    "Poikkihallinnollinen",
    "Investointisuositus",
    "Sääntelyesteet",
    "Välitetty",
)


def _config(folder: Path, third_branch: str = "STM") -> str:
    d = date
    engagements = [
        REQUIRED_REGISTER_HEADERS,
        [
            "E1",
            "T1",
            "Virasto 1",
            "VM",
            "Herätys",
            None,
            "toteutettu",
            d(2017, 3, 6),
            d(2017, 3, 8),
        ],
        [
            "E2",
            "T2",
            "Virasto 2",
            "SM",
            "Kokeilu",
            None,
            "toteutettu",
            d(2018, 1, 2),
            d(2018, 4, 2),
        ],
        [
            "E3",
            "T3",
            "Virasto 3",
            third_branch,
            "Yhteistyö",
            None,
            "käynnissä",
            d(2018, 2, 1),
            None,
        ],
    ]
    feedback = [
        ["Vastaus", "Tunnus", "Vastauspäivä", "Arvosana"],
        ["R1", "E1", d(2017, 3, 9), 4],
        ["R2", "E2", d(2018, 4, 3), 3],
        ["R3", "E3", d(2018, 5, 1), 1],  # on a Yhteistyö: kept, warned, not in the quick mean
    ]
    survey = [
        ["Vastaus", "Kierros", "Vastauspäivä", *METRICS],
        ["A1", "2017", d(2017, 11, 1), 4, 4, 3, 4],
    ]
    principles = [
        ["Kausi", "Kärkihanke", "Periaate", "Arvio"],
        ["2018H2", "Hanke", "1", "toteutuu"],
    ]
    write_xlsx(
        folder / "book.xlsx",
        {
            "Toimeksiannot": engagements,
            "Palaute": feedback,
            "Asiakastyytyväisyys": survey,
            "Digiperiaatteet": principles,
        },
    )
    sheets = {
        "engagements": "Toimeksiannot",
        "feedback": "Palaute",
        "agency_survey": "Asiakastyytyväisyys",
        "principles": "Digiperiaatteet",
    }
    text = "".join(f'[sources.{n}]\npath = "book.xlsx"\nsheet = "{s}"\n' for n, s in sheets.items())
    (folder / "d9.toml").write_text(text + '[state]\ndir = "state"\n', encoding="utf-8")
    return str(folder / "d9.toml")


def test_check_warns_once_per_missing_header_and_about_the_plans_rules(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["check", "--config", _config(tmp_path)]) == 0  # warnings only: no block
    out = capsys.readouterr().out
    lines = out.splitlines()
    for header in OPTIONAL_HEADERS:
        named = [x for x in lines if f"column '{header}'" in x and "(warning)" in x]
        assert len(named) == 1, (header, named)
        assert "ei kirjattu" in named[0]
    feedback = next(x for x in lines if "Palaute" in x and "row 4" in x)
    assert "(warning)" in feedback and "yhteistyö" in feedback
    kokeilu = next(x for x in lines if "row 3" in x and "Päättymispäivä" in x)
    assert "(warning)" in kokeilu and "91 päivää" in kokeilu  # 2.1.-2.4.2018, both counted


def test_indicators_json_goals_not_recorded_and_met_or_missed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config = _config(tmp_path)
    assert (
        main(["indicators", "--config", config, "--as-of", "2018-12-31", "--format", "json"]) == 0
    )
    data = json.loads(capsys.readouterr().out)
    goals = {k: v["goals"] for k, v in data["indicators"].items()}
    assert goals == {
        "engagements_completed": [1, 4],
        "effects_described_share": [1, 4],
        "branches_covered": [1, 2, 4],
        "life_path_ecosystem_share": [1, 3, 4],
        "quick_satisfaction_mean": [1, 2, 3],
        "agency_survey_green_share": [1, 2, 3],
        "principles_assessed_share": [5],
    }
    statuses = {v["status"] for v in data["indicators"].values()}
    assert "yellow" not in statuses  # at the deadline: met or missed
    quick = data["indicators"]["quick_satisfaction_mean"]
    assert (quick["value"], quick["n"], quick["status"]) == (3.5, 2, "red")  # (4 + 3) / 2; not R3
    context = data["context"]
    for figure in (
        "by_priority",
        "by_support_area",
        "strategic_influence_share",
        "starting_phase_share",
        "cross_administrative_share",
        "investment_advice",
        "deregulation_opportunities",
    ):
        assert context[figure]["value"] is None and context[figure]["recorded"] is False, figure
    assert context["by_service_concept"]["recorded"] is True


@pytest.mark.parametrize(
    "argv",
    [
        ["indicators", "--as-of", "2016-01-01"],
        ["indicators", "--as-of", "1900-01-01"],
        ["indicators", "--period", "2016H1"],
        ["report", "--as-of", "2016-09-07", "--dry-run"],
    ],
    ids=["2016-01-01", "1900", "period-2016H1", "report-day-before"],
)
def test_an_as_of_before_the_programme_start_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str]
) -> None:
    assert main([*argv, "--config", _config(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "before the programme start 2016-09-08" in err[0]


def test_a_cross_administrative_cell_tells_to_pick_the_owning_branch(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["check", "--config", _config(tmp_path, "VM, STM")]) == 1
    line = next(x for x in capsys.readouterr().out.splitlines() if "'VM, STM'" in x)
    assert "row 4" in line and "Hallinnonala" in line and "(blocking)" in line
    assert "Valitse hallinnonala, jolle toimeksianto kuuluu" in line
    assert "Poikkihallinnollinen = kyllä" in line
