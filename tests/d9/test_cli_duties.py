"""`d9 similar` and `d9 export` through `main()`, on the sample project: the command-line
contract (exit codes, one-line errors, --config) and the export's values, which must equal
`d9 indicators --period P` for every half-year P, marked reported or recomputed."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import openpyxl
import pytest

from d9.cli import main
from schemas.request import ReportKind
from schemas.settings import load_settings
from tasks.history import record
from tasks.indicators import compute_indicators
from tasks.load import load_inputs
from tasks.statedb import sqlite_store
from tests.support.design import INDICATOR_IDS
from tests.support.project import edited_sheet, sample_project

NOW = datetime(2019, 1, 2, 8, 0, tzinfo=UTC)

# The sample programme runs 2016-09-08 .. 2018-12-31: its half-years, all ended by now.
PERIODS = ["2016H2", "2017H1", "2017H2", "2018H1", "2018H2"]


@pytest.fixture
def config(tmp_path: Path) -> Path:
    return sample_project(tmp_path)


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


# --- d9 similar ---------------------------------------------------------------------------


def test_similar_by_id_lists_others_best_first_as_json(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, config: Path
) -> None:
    with edited_sheet(tmp_path / "seuranta.xlsx", "Toimeksiannot") as sheet:
        sheet.set(12, "Toimeksianto", "Ajanvarauksen uudistaminen terveyskeskuksiin")
        sheet.set(20, "Toimeksianto", "Sähköinen ajanvaraus terveyskeskusten vastaanotoille")
        asked, partner = sheet.get(12, "Tunnus"), sheet.get(20, "Tunnus")
    code, out, err = _run(
        capsys, "similar", asked, "--top", "3", "--format", "json", "--config", str(config)
    )
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["query"]["engagement_id"] == asked
    ids = [s["engagement_id"] for s in data["similar"]]
    assert len(ids) == 3 and asked not in ids and ids[0] == partner
    scores = [s["score"] for s in data["similar"]]
    assert scores == sorted(scores, reverse=True)
    assert set(data["similar"][0]) >= {
        "engagement_id",
        "title",
        "customer",
        "branch",
        "status",
        "owner",
        "score",
    }


def test_similar_by_text_prints_a_table(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, config: Path
) -> None:
    with edited_sheet(tmp_path / "seuranta.xlsx", "Toimeksiannot") as sheet:
        sheet.set(15, "Toimeksianto", "Kalastuslupien verkkokauppa")
        wanted = sheet.get(15, "Tunnus")
    code, out, _ = _run(
        capsys, "similar", "--text", "kalastusluvan ostaminen verkosta", "--config", str(config)
    )
    lines = out.splitlines()
    assert code == 0
    assert lines[0] == "Most similar to: kalastusluvan ostaminen verkosta"
    assert lines[1].split()[:3] == ["score", "engagement_id", "title"]
    assert wanted in lines[2]
    assert len(lines) == 2 + 5  # --top defaults to 5


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (
            ["similar", "D9-0000-999"],
            2,
            "sheet 'Toimeksiannot': no engagement with id 'D9-0000-999'",
        ),
        (["similar"], 2, "give either an engagement id or --text"),
        (["similar", "D9-2016-001", "--text", "x"], 2, "give either an engagement id or --text"),
        (["similar", "--text", "x", "--top", "0"], 2, "not a positive whole number"),
        (["similar", "--text", "   "], 2, "--text is empty"),
    ],
    ids=["unknown-id", "neither", "both", "top-0", "empty-text"],
)
def test_similar_usage_errors_are_one_line(
    capsys: pytest.CaptureFixture[str], config: Path, argv: list[str], code: int, message: str
) -> None:
    got, out, err = _run(capsys, *argv, "--config", str(config))
    assert got == code and out == ""
    assert message in err and "Traceback" not in err


def test_similar_missing_workbook_is_exit_3(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config = sample_project(tmp_path, copy_workbook=False)
    code, _, err = _run(capsys, "similar", "--text", "x", "--config", str(config))
    assert code == 3 and "seuranta.xlsx" in err and len(err.strip().splitlines()) == 1


def test_similar_needs_only_the_register(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, config: Path
) -> None:
    book = openpyxl.load_workbook(tmp_path / "seuranta.xlsx")
    del book["Palaute"]
    book.save(tmp_path / "seuranta.xlsx")
    code, out, err = _run(capsys, "similar", "D9-2016-001", "--config", str(config))
    assert (code, err) == (0, "") and out.startswith("Most similar to: D9-2016-001 ")


# --- d9 export ----------------------------------------------------------------------------


def test_export_values_equal_d9_indicators_for_every_half_year(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, config: Path
) -> None:
    out = tmp_path / "export"
    code, printed, err = _run(capsys, "export", "--out", str(out), "--config", str(config))
    assert (code, err) == (0, "")
    assert "2016H2–2018H2 (5 half-years)" in printed
    assert sorted(p.name for p in out.iterdir()) == [
        "README.txt",
        "context.csv",
        "evaluation.xlsx",
        "indicators.csv",
    ]
    header = (out / "indicators.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("period,as_of,indicator,value,target,status")
    rows = _csv(out / "indicators.csv")
    assert [r["period"] for r in rows] == [p for p in PERIODS for _ in INDICATOR_IDS]
    for period in PERIODS:
        code, printed, _ = _run(
            capsys, "indicators", "--period", period, "--format", "json", "--config", str(config)
        )
        expected = json.loads(printed)
        mine = {r["indicator"]: r for r in rows if r["period"] == period}
        assert list(mine) == INDICATOR_IDS
        for iid, want in expected["indicators"].items():
            got = mine[iid]
            assert got["as_of"] == expected["as_of"]
            assert got["status"] == want["status"], (period, iid)
            value = None if got["value"] == "" else float(got["value"])
            assert value == want["value"], (period, iid)  # full precision, not rounded
            assert got["target"] == ("" if want.get("target") is None else str(want["target"]))
            assert got["source"] == "recomputed" and got["reported_value"] == ""


def test_a_reported_half_year_says_which_values_are_the_reported_ones(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, config: Path
) -> None:
    settings = load_settings(config)
    frames = load_inputs(settings).frames()
    sent = compute_indicators(frames, date(2017, 12, 31), settings)
    # The report of 2017H2 went out when one more engagement counted as completed.
    completed = sent.results["engagements_completed"]
    was = replace(completed, value=completed.value + 1)
    earlier = replace(
        sent, results={**sent.results, "engagements_completed": was}, fingerprint="older data"
    )
    record(sqlite_store(settings.state_dir), earlier, ReportKind.REPORT, NOW)
    out = tmp_path / "export"
    assert _run(capsys, "export", "--out", str(out), "--config", str(config))[0] == 0
    rows = {(r["period"], r["indicator"]): r for r in _csv(out / "indicators.csv")}
    same = rows[("2017H2", "branches_covered")]
    assert (same["source"], same["reported_value"]) == ("reported", same["value"])
    changed = rows[("2017H2", "engagements_completed")]
    assert changed["source"] == "recomputed"
    assert int(changed["reported_value"]) == int(changed["value"]) + 1
    assert rows[("2018H1", "branches_covered")]["source"] == "recomputed"  # no report sent


def test_evaluation_workbook_has_each_half_year_and_the_ministry_sheet(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, config: Path
) -> None:
    with edited_sheet(tmp_path / "seuranta.xlsx", "Toimeksiannot") as sheet:
        cell = sheet.sheet.cell(row=7, column=sheet.column("Toimeksianto"))  # completed 2016
        cell.value, cell.data_type = '=HYPERLINK("http://x")', "s"  # text, as typed with a '
    formula_like = '=HYPERLINK("http://x")'
    out = tmp_path / "export"
    assert _run(capsys, "export", "--out", str(out), "--config", str(config))[0] == 0
    book = openpyxl.load_workbook(out / "evaluation.xlsx")
    assert book.sheetnames == [n for p in PERIODS for n in (p, f"{p} rivit")] + ["Sääntelyesteet"]
    figures = [r for r in book["2018H1"].iter_rows(min_row=3, values_only=True) if r[0]]
    assert [r[0] for r in figures[: len(INDICATOR_IDS)]] == INDICATOR_IDS
    behind = list(book["2018H1 rivit"].iter_rows(values_only=True))
    assert behind[0][0] == "Tunnusluku" and behind[0][-2:] == ("Välilehti", "Rivi")
    cells = [c for row in book["2018H1 rivit"].iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    assert formula_like in [c.value for c in cells]  # written as the text it is
    log = list(book["Sääntelyesteet"].iter_rows(values_only=True))
    assert "Sääntelyesteet" in log[0] and "Havaintopäivänä alkupäivä" in log[0]
    readme = (out / "README.txt").read_text(encoding="utf-8")
    assert "indicators.csv" in readme and "Puolivuotiskaudet: 2016H2, 2017H1" in readme


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (["export"], 2, "the following arguments are required: --out"),
        (["export", "--out", "FILE"], 2, "exists and is not a folder"),
    ],
    ids=["no-out", "out-is-a-file"],
)
def test_export_usage_errors(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    config: Path,
    argv: list[str],
    code: int,
    message: str,
) -> None:
    (tmp_path / "FILE").write_text("x")
    argv = [str(tmp_path / "FILE") if a == "FILE" else a for a in argv]
    got, _, err = _run(capsys, *argv, "--config", str(config))
    assert got == code and message in err


def test_export_stops_on_blocking_findings(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, config: Path
) -> None:
    with edited_sheet(tmp_path / "seuranta.xlsx", "Toimeksiannot") as sheet:
        sheet.set(10, "Tila", "ehkä")
    code, _, err = _run(capsys, "export", "--out", str(tmp_path / "e"), "--config", str(config))
    assert code == 1 and "blocking data-quality findings" in err
    assert not (tmp_path / "e").exists()
