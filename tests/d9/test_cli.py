"""The `d9` command, driven through `main()` as a user would: exit codes and one-line errors.

Contract (DESIGN.md "Command line"): 0 success; 1 data-quality failures that block; 2 usage or
configuration error; 3 an input that cannot be read; 4 delivery failed. Errors are one line
naming file, sheet, row and column where they apply — never a traceback.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from d9.cli import main
from schemas.request import ReportAsk
from tests.support.design import INDICATOR_IDS
from tests.support.project import edited_sheet, sample_project


@pytest.fixture
def sample_config(tmp_path: Path) -> Path:
    return sample_project(tmp_path)


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_usage_error_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "report", "--period", "2018H1", "--as-of", "2018-06-30")
    assert code == 2
    assert "not allowed with argument" in err


def test_bad_period_is_exit_2(capsys: pytest.CaptureFixture[str], sample_config: Path) -> None:
    code, _, err = _run(capsys, "indicators", "--config", str(sample_config), "--period", "2018H3")
    assert code == 2
    assert "2018H3" in err and err.count("\n") == 1


def test_missing_config_is_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = _run(capsys, "check", "--config", str(tmp_path / "nope.toml"))
    assert code == 2
    assert err == f"d9: error: {tmp_path / 'nope.toml'}: configuration file not found\n"


def test_missing_workbook_is_exit_3(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = _run(
        capsys, "check", "--config", str(sample_project(tmp_path, copy_workbook=False))
    )
    assert code == 3
    assert "seuranta.xlsx" in err and err.count("\n") == 1 and "Traceback" not in err


def test_not_a_spreadsheet_is_exit_3(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "seuranta.xlsx").write_text("this is not a workbook", encoding="utf-8")
    code, _, err = _run(
        capsys, "check", "--config", str(sample_project(tmp_path, copy_workbook=False))
    )
    assert code == 3
    assert "seuranta.xlsx" in err and err.count("\n") == 1


def test_missing_sheet_is_exit_3_and_lists_the_sheets(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config = sample_project(tmp_path)
    config.write_text(
        config.read_text(encoding="utf-8").replace('"Palaute"', '"Palautteet"'), encoding="utf-8"
    )
    code, _, err = _run(capsys, "check", "--config", str(config))
    assert code == 3
    assert "Palautteet" in err and "Toimeksiannot" in err and err.count("\n") == 1


def test_missing_required_column_is_exit_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    sample_project(tmp_path)
    with edited_sheet(tmp_path / "seuranta.xlsx", "Toimeksiannot") as sheet:
        sheet.set(sheet.header_row, "Tila", "Tilanne nyt")
    code, _, err = _run(capsys, "check", "--config", str(tmp_path / "d9.toml"))
    assert code == 1
    assert "Tila" in err and "Toimeksiannot" in err and "Tilanne nyt" in err
    assert err.count("\n") == 1


@pytest.mark.slow
def test_check_on_the_sample_prints_warnings_and_exits_0(
    capsys: pytest.CaptureFixture[str], sample_config: Path
) -> None:
    code, out, _ = _run(capsys, "check", "--config", str(sample_config))
    assert code == 0
    assert "Toimeksiannot" in out
    assert "(warning)" in out and "(blocking)" not in out


@pytest.mark.slow
def test_check_with_a_blocking_cell_names_its_row(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    sample_project(tmp_path)
    with edited_sheet(tmp_path / "seuranta.xlsx", "Toimeksiannot") as sheet:
        sheet.set(7, "Tila", "valmiina")
    code, out, _ = _run(capsys, "check", "--config", str(tmp_path / "d9.toml"))
    assert code == 1
    line = next(line for line in out.splitlines() if "valmiina" in line)
    assert "row 7" in line and "'Tila'" in line and "(blocking)" in line


@pytest.mark.slow
def test_indicators_json_has_the_design_shape(
    capsys: pytest.CaptureFixture[str], sample_config: Path
) -> None:
    code, out, _ = _run(
        capsys,
        "indicators",
        "--config",
        str(sample_config),
        "--period",
        "2018H1",
        "--format",
        "json",
    )
    assert code == 0
    data = json.loads(out)
    assert data["as_of"] == "2018-06-30" and data["period"] == "2018H1"
    ids = INDICATOR_IDS
    assert list(data["indicators"]) == ids
    for item in data["indicators"].values():
        assert item["status"] in {"green", "yellow", "red", "grey"}
        assert item["value"] is None or isinstance(item["value"], int | float)
    # Counted independently in the bundled workbook (see tests/data/test_generate_sample.py):
    # 40 completed by 30.6.2018; 50 x elapsed share 0.782 = 39.1 <= 40 < 50 -> yellow.
    assert data["indicators"]["engagements_completed"] == {
        **data["indicators"]["engagements_completed"],
        "value": 40,
        "target": 50,
        "status": "yellow",
    }
    branches = data["indicators"]["branches_covered"]
    assert (branches["value"], branches["missing"], branches["status"]) == (
        9,
        ["UM", "OM", "PLM"],
        "red",
    )
    survey = data["indicators"]["agency_survey_green_share"]
    assert survey["round"] == "2017" and survey["value"] == 0.75
    assert survey["colours"]["Yhteistyön sujuvuus"] == "yellow"
    assert (tmp := sample_config.parent / "state" / "state.sqlite").exists(), tmp


@pytest.mark.slow
def test_default_period_is_the_deadline_half_year_with_a_notice(
    capsys: pytest.CaptureFixture[str], sample_config: Path
) -> None:
    # today is years after the programme deadline 31.12.2018 (and an explicit later period
    # stays allowed); the notice goes to stderr, the JSON on stdout stays clean
    code, out, err = _run(capsys, "indicators", "--config", str(sample_config), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert (data["as_of"], data["period"]) == ("2018-12-31", "2018H2")
    assert len(err.strip().splitlines()) == 1 and "2018H2" in err


def test_report_from_history_without_a_report_is_exit_2(
    capsys: pytest.CaptureFixture[str], sample_config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import d9.commands

    def no_flow(settings: object, ask: ReportAsk, **kwargs: object) -> object:
        assert ask.from_history is True
        from schemas.errors import ConfigError

        raise ConfigError("no report for 2018H1 is stored in the history")

    monkeypatch.setattr(d9.commands, "run_report", no_flow)
    code, _, err = _run(
        capsys, "report", "--config", str(sample_config), "--period", "2018H1", "--from-history"
    )
    assert code == 2 and "2018H1" in err


@pytest.mark.slow
def test_indicators_table_shows_status_words(
    capsys: pytest.CaptureFixture[str], sample_config: Path
) -> None:
    code, out, _ = _run(
        capsys, "indicators", "--config", str(sample_config), "--as-of", "2018-06-30"
    )
    assert code == 0
    row = next(line for line in out.splitlines() if line.startswith("branches_covered"))
    assert "red" in row and "UM, OM, PLM" in row


def test_no_traceback_from_the_installed_command(tmp_path: Path) -> None:
    d9 = Path(sys.executable).parent / "d9"
    done = subprocess.run(
        [str(d9), "check", "--config", str(sample_project(tmp_path, copy_workbook=False))],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 3
    assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1
