"""The sample-workbook generator: deterministic, realistic and valid against the data contracts.

Contract under test: `generate(path, engagements=, seed=)` writes the same bytes for the same
arguments; the workbook has the register, feedback, survey and one principles matrix per
half-year; its rows obey the blocking rules of DESIGN.md (required cells, unique ids, end dates,
key projects, feedback only for Herätys/Kokeilu); as of 30.6.2018 the demo is believable
(35-45 completed, 9-11 branches); and the committed `data/seuranta.xlsx` is exactly its output.
The workbook is read back with fastexcel and parsed here, independently of `tasks/load.py`.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from datetime import date
from pathlib import Path
from types import ModuleType

import fastexcel
import polars as pl
import pytest

from schemas.contract import normalise_label
from schemas.reference import branch_aliases

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "data" / "generate_sample.py"
AS_OF = date(2018, 6, 30)
PERIODS = ("2017H1", "2017H2", "2018H1")
SHEETS = [
    "Toimeksiannot",
    "Palaute",
    "Asiakastyytyväisyys",
    "Digiperiaatteet 2017H1",
    "Digiperiaatteet 2017H2",
    "Digiperiaatteet 2018H1",
]
REQUIRED = (
    "Tunnus",
    "Toimeksianto",
    "Asiakasorganisaatio",
    "Hallinnonala",
    "Palvelukonsepti",
    "Tila",
    "Alkupäivä",
)
RATING = "Koetko D9-yhteistyön tuovan lisäarvoa ja hyötyä hankkeellesi?"
METRICS = ("Kokonaistyytyväisyys", "Asiantuntemus", "Yhteistyön sujuvuus", "Hyödyllisyys")
ASSESSMENTS = {"toteutuu", "osittain", "ei toteudu", "ei arvioitavissa"}


def _load_generator() -> ModuleType:
    # data/ is not a package: load the script the way `python data/generate_sample.py` runs it.
    spec = importlib.util.spec_from_file_location("generate_sample", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("generate_sample", module)
    spec.loader.exec_module(module)
    return module


gen = _load_generator()


def _date(text: str | None) -> date | None:
    """Parse a cell read as text: a spreadsheet date or ISO text, or Finnish d.m.yyyy."""
    if text is None:
        return None
    text = text.strip()
    if re.match(r"\d{4}-\d{2}-\d{2}", text):
        return date.fromisoformat(text[:10])
    day, month, year = text.split(".")
    return date(int(year), int(month), int(day))


def _sheet(path: Path, name: str, header_row: int) -> pl.DataFrame:
    """Read a sheet as text with stripped headers, dropping fully blank rows."""
    frame = fastexcel.read_excel(path).load_sheet(name, header_row=header_row, dtypes="string")
    df = frame.to_polars()
    df = df.rename({c: c.strip() for c in df.columns})
    return df.filter(pl.any_horizontal(pl.all().is_not_null()))


def _norm(text: str | None) -> str | None:
    return None if text is None else normalise_label(text)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sample") / "seuranta.xlsx"
    gen.generate(path)
    return path


@pytest.fixture(scope="module")
def register(sample: Path) -> list[dict[str, str | None]]:
    return _sheet(sample, "Toimeksiannot", header_row=2).to_dicts()


def test_same_arguments_give_the_same_bytes_and_another_seed_does_not(tmp_path: Path) -> None:
    first, second, other = tmp_path / "a.xlsx", tmp_path / "b.xlsx", tmp_path / "c.xlsx"
    gen.generate(first, engagements=30, seed=7)
    gen.generate(second, engagements=30, seed=7)
    gen.generate(other, engagements=30, seed=8)
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() != other.read_bytes()


def test_committed_workbook_is_the_generators_default_output(sample: Path) -> None:
    committed = ROOT / "data" / "seuranta.xlsx"
    assert committed.read_bytes() == sample.read_bytes(), (
        "data/seuranta.xlsx differs from the generator: run `make sample`, do not edit it by hand"
    )


def test_workbook_has_the_four_datasets_and_a_matrix_per_half_year(sample: Path) -> None:
    assert fastexcel.read_excel(sample).sheet_names == SHEETS


def test_register_sits_below_two_title_rows_with_blank_rows_and_an_extra_column(
    sample: Path,
) -> None:
    raw = (
        fastexcel.read_excel(sample)
        .load_sheet("Toimeksiannot", header_row=None, dtypes="string")
        .to_polars()
    )
    assert raw.row(0)[0] == "D9-toimeksiantorekisteri"
    assert raw.row(1)[0].startswith("Päivitetty ")
    assert raw.row(2)[:2] == ("Tunnus", "Toimeksianto")
    assert raw.row(2)[-1] == "Muistiinpanot"
    blank_rows = raw.slice(3).filter(pl.all_horizontal(pl.all().is_null())).height
    assert blank_rows == 2


def test_register_has_80_engagements_with_unique_well_formed_ids(
    register: list[dict[str, str | None]],
) -> None:
    ids = [r["Tunnus"] for r in register]
    assert len(ids) == 80
    assert len(set(ids)) == 80
    assert all(re.fullmatch(r"D9-201[678]-\d{3}", i or "") for i in ids)
    assert ids[0] == "D9-2016-001"
    assert _date(register[0]["Alkupäivä"]) <= date(2016, 9, 30)  # work began with the programme


def test_every_required_cell_is_filled(register: list[dict[str, str | None]]) -> None:
    for row in register:
        assert all((row[c] or "").strip() for c in REQUIRED), row["Tunnus"]


def test_branches_are_written_in_many_ways_but_all_resolve(
    register: list[dict[str, str | None]],
) -> None:
    written = {r["Hallinnonala"] for r in register}
    assert all(_norm(w) in branch_aliases() for w in written)
    assert len(written) > len({branch_aliases()[_norm(w)] for w in written})  # not only codes


def test_dates_come_both_as_dates_and_as_finnish_text(sample: Path) -> None:
    book = fastexcel.read_excel(sample)
    as_dates = book.load_sheet("Toimeksiannot", header_row=2, dtypes={"Alkupäivä ": "date"})
    as_text = book.load_sheet("Toimeksiannot", header_row=2, dtypes="string")
    assert as_dates.to_polars()["Alkupäivä "].drop_nulls().len() > 40  # real spreadsheet dates
    texts = as_text.to_polars()["Alkupäivä "].drop_nulls()
    assert any(re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{4}", v) for v in texts)


def test_completed_engagements_end_on_or_after_their_start(
    register: list[dict[str, str | None]],
) -> None:
    for row in register:
        start, end = _date(row["Alkupäivä"]), _date(row["Päättymispäivä"])
        assert start is not None and date(2016, 9, 8) <= start <= date(2018, 12, 31)
        if _norm(row["Tila"]) == "toteutettu":
            assert end is not None, row["Tunnus"]
        if end is not None:
            assert end >= start, row["Tunnus"]


def test_key_project_rows_name_their_key_project(register: list[dict[str, str | None]]) -> None:
    flagged = [r for r in register if _norm(r["Painopiste"]) == "kärkihanke"]
    assert flagged
    assert all((r["Kärkihanke"] or "").strip() for r in flagged)
    assert {r["Kärkihanke"] for r in flagged} <= {
        "Kansallinen palveluarkkitehtuuri",
        "Tulorekisteri",
        "Lupa- ja valvontapalvelujen uudistus",
        "Työvoimapalvelujen uudistus",
        "Digitaalinen oppimisympäristö",
    }


def test_demo_figures_as_of_mid_2018_are_believable(register: list[dict[str, str | None]]) -> None:
    completed = [
        r
        for r in register
        if _norm(r["Tila"]) == "toteutettu" and (_date(r["Päättymispäivä"]) or date.max) <= AS_OF
    ]
    active = [
        r
        for r in register
        if _norm(r["Tila"]) in ("toteutettu", "käynnissä")
        and (_date(r["Alkupäivä"]) or date.max) <= AS_OF
    ]
    covered = {branch_aliases()[_norm(r["Hallinnonala"]) or ""] for r in active}
    assert 35 <= len(completed) <= 45
    assert 9 <= len(covered) <= 11
    assert "PLM" not in covered
    # Warning-level gaps exist, so the data-quality check has something to say.
    assert any(
        not r["Muutos toimintaan"] or not r["Avun hyödyt"] or not r["Käytetty menetelmä"]
        for r in completed
    )
    assert any(not r["Elämänpolku"] or not r["Ekosysteemi"] for r in active)


def test_feedback_answers_quick_engagements_after_they_started(
    sample: Path,
    register: list[dict[str, str | None]],
) -> None:
    concept = {r["Tunnus"]: _norm(r["Palvelukonsepti"]) for r in register}
    start = {r["Tunnus"]: _date(r["Alkupäivä"]) for r in register}
    feedback = _sheet(sample, "Palaute", header_row=0)
    assert feedback.columns == ["Vastaus", "Tunnus", "Vastauspäivä", RATING, "Avoin palaute"]
    ids = feedback["Vastaus"].to_list()
    assert len(set(ids)) == len(ids) > 40
    assert all(re.fullmatch(r"P-\d{4}", i) for i in ids)
    for row in feedback.iter_rows(named=True):
        assert concept[row["Tunnus"]] in ("herätys", "kokeilu")
        assert _date(row["Vastauspäivä"]) >= start[row["Tunnus"]]
    ratings = [float(v) for v in feedback[RATING].drop_nulls()]
    assert set(ratings) <= {1.0, 2.0, 3.0, 4.0, 5.0}
    assert feedback[RATING].null_count() > 0
    assert 3.9 <= sum(ratings) / len(ratings) <= 4.3


def test_agency_survey_has_two_autumn_rounds_of_integer_ratings(sample: Path) -> None:
    survey = _sheet(sample, "Asiakastyytyväisyys", header_row=1)
    assert survey.columns == ["Vastaus", "Kierros", "Vastauspäivä", *METRICS]
    assert set(survey["Kierros"]) == {"2016", "2017"}
    for row in survey.iter_rows(named=True):
        answered = _date(row["Vastauspäivä"])
        assert answered is not None and answered.year == int(row["Kierros"])
        assert answered.month in (11, 12)
        assert all(row[m] is None or float(row[m]) in (1, 2, 3, 4, 5) for m in METRICS)
    for round_ in ("2016", "2017"):
        assert 10 <= survey.filter(pl.col("Kierros") == round_).height <= 15


def test_principles_matrices_have_a_row_per_key_project_and_a_column_per_principle(
    sample: Path,
) -> None:
    projects = {}
    for period in PERIODS:
        matrix = _sheet(sample, f"Digiperiaatteet {period}", header_row=1)
        assert matrix.columns[0] == "Kärkihanke"
        assert matrix.columns[1] == "1 Kehitämme palvelut asiakaslähtöisesti"
        assert matrix.columns[9] == "9 Nimeämme palvelulle ja sen toteutukselle omistajan"
        assert len(matrix.columns) == 10
        cells = {v for c in matrix.columns[1:] for v in matrix[c].drop_nulls()}
        assert cells <= ASSESSMENTS
        projects[period] = set(matrix["Kärkihanke"])
    assert projects["2017H1"] < projects["2018H1"]
    assert len(projects["2018H1"]) == 5


def test_larger_workbooks_scale_every_sheet(tmp_path: Path) -> None:
    path = tmp_path / "big.xlsx"
    gen.generate(path, engagements=2_000, seed=1)
    register = _sheet(path, "Toimeksiannot", header_row=2)
    quick = register.filter(pl.col("Palvelukonsepti").str.to_lowercase() != "yhteistyö").height
    collaborations = register.height - quick
    assert register.height == 2_000
    assert 0.9 * quick <= _sheet(path, "Palaute", header_row=0).height <= 1.5 * quick
    survey = _sheet(path, "Asiakastyytyväisyys", header_row=1).height
    assert 0.15 * collaborations <= survey <= 0.25 * collaborations
    assert _sheet(path, "Digiperiaatteet 2018H1", header_row=1).height == 125  # 5 x 2000 / 80


def test_command_line_writes_the_requested_file_and_rejects_nonsense(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "cli.xlsx"
    assert gen.main(["--engagements", "12", "--seed", "3", "--out", str(out)]) == 0
    assert _sheet(out, "Toimeksiannot", header_row=2).height == 12
    assert str(out) in capsys.readouterr().out
    with pytest.raises(SystemExit) as exit_info:
        gen.main(["--engagements", "0", "--out", str(out)])
    assert exit_info.value.code == 2


@pytest.mark.slow
def test_a_hundred_thousand_engagements_are_written_in_constant_memory_mode(tmp_path: Path) -> None:
    # Speed is measured by `make bench`, not asserted here; this checks the large-size path works.
    path = tmp_path / "bench.xlsx"
    gen.generate(path, engagements=100_000)
    assert _sheet(path, "Toimeksiannot", header_row=2).height == 100_000
