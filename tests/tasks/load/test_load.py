"""Loading turns real-world spreadsheets into typed frames following the data contracts.

Contract under test (tasks.load): the header row is found below title rows and matched in any
case, spacing or language; unknown columns are ignored and missing optional ones are null;
blank rows are dropped while `_row` stays the sheet's own row number; dates, numbers, booleans,
choices and lists are read the way people type them; a cell that cannot be read becomes null
plus a CellProblem with its address; a missing required column raises ValidationFailed; an
unreadable source or missing sheet raises InputError; the principles matrix layout becomes
long-form rows pointing at their cells; load_inputs reads a shared workbook once.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import polars as pl
import pytest

from schemas.datasets import ENGAGEMENTS, FEEDBACK, PRINCIPLES, agency_survey
from schemas.errors import InputError, ValidationFailed
from schemas.settings import Settings
from schemas.tables import CellProblem, LoadedTable
from tasks.load import load_inputs, load_table
from tests.support.design import REQUIRED_REGISTER_HEADERS
from tests.support.workbooks import Cell, write_book, write_csv

HEADERS = REQUIRED_REGISTER_HEADERS


def row(**cells: Cell) -> list[Cell]:
    """An engagement row in HEADERS order, with defaults for the required cells."""
    base: dict[str, Cell] = {
        "Tunnus": "E1",
        "Toimeksianto": "T",
        "Asiakasorganisaatio": "Virasto",
        "Hallinnonala": "VM",
        "Palvelukonsepti": "Kokeilu",
        "Kärkihanke": None,
        "Tila": "käynnissä",
        "Alkupäivä": date(2017, 1, 2),
        "Päättymispäivä": None,
    }
    return [cells.get(h, base[h]) for h in HEADERS]


@pytest.fixture(params=[".xlsx", ".ods"])
def suffix(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def load_engagements(tmp_path: Path, suffix: str, rows: list[list[Cell]]) -> LoadedTable:
    path = write_book(tmp_path / f"book{suffix}", {"Toimeksiannot": rows})
    return load_table(ENGAGEMENTS, path.read_bytes(), source_name=path.name)


def column(tmp_path: Path, suffix: str, header: str, values: list[Cell], name: str) -> list[object]:
    """Load engagements plus a column `header` holding `values`; return canonical column `name`."""
    rows = [HEADERS + [header]] + [row(Tunnus=f"E{i}") + [v] for i, v in enumerate(values)]
    return load_engagements(tmp_path, suffix, rows).frame[name].to_list()


# --- Layout -------------------------------------------------------------------------------


def test_title_rows_above_header_and_excel_row_numbers(tmp_path: Path, suffix: str) -> None:
    rows = [
        ["Toimeksiannot 2017"],
        ["Päivitetty 1.6.2017"],
        [],
        HEADERS,
        row(Tunnus="A"),
        row(Tunnus="B"),
    ]
    table = load_engagements(tmp_path, suffix, rows)
    assert table.frame["engagement_id"].to_list() == ["A", "B"]
    assert table.frame["_row"].to_list() == [5, 6]  # header on row 4
    assert table.frame["_sheet"].to_list() == ["Toimeksiannot", "Toimeksiannot"]


def test_header_row_is_the_one_with_most_matches(tmp_path: Path, suffix: str) -> None:
    rows = [["Tila", "raportti"], HEADERS, row(Tunnus="A")]  # a title row mentioning one header
    table = load_engagements(tmp_path, suffix, rows)
    assert table.frame["_row"].to_list() == [3]
    assert table.frame["status"].to_list() == ["käynnissä"]


def test_headers_in_any_case_spacing_and_language(tmp_path: Path, suffix: str) -> None:
    english = [
        "  engagement id ",
        "TITLE",
        "Customer",
        "branch",
        "Service concept",
        "Key project",
        "STATUS",
        "start date",
        "End date",
    ]
    swedish = [
        "Beteckning",
        "Uppdrag",
        "Kundorganisation",
        "Förvaltningsområde",
        "Tjänstekoncept",
        "Spetsprojekt",
        "Läge",
        "Startdatum",
        "Slutdatum",
    ]
    for i, headers in enumerate((english, swedish)):
        path = write_book(tmp_path / f"h{i}{suffix}", {"Toimeksiannot": [headers, row(Tunnus="X")]})
        table = load_table(ENGAGEMENTS, path.read_bytes(), source_name=path.name)
        assert table.frame["engagement_id"].to_list() == ["X"]
        assert table.frame["start_date"].to_list() == [date(2017, 1, 2)]
        assert table.headers["engagement_id"] == headers[0].strip()


def test_extra_columns_ignored_and_letters_recorded(tmp_path: Path, suffix: str) -> None:
    rows = [[None, "Muistiinpano", *HEADERS], [None, "ohita", *row(Tunnus="A")]]
    table = load_engagements(tmp_path, suffix, rows)
    assert "Muistiinpano" not in table.frame.columns
    assert table.letters["engagement_id"] == "C"  # column A empty, B unknown
    assert table.letters["end_date"] == "K"
    assert table.headers["customer"] == "Asiakasorganisaatio"


def test_missing_optional_columns_are_null_with_their_dtype(tmp_path: Path, suffix: str) -> None:
    table = load_engagements(tmp_path, suffix, [HEADERS, row()])
    frame = table.frame
    assert frame.schema["strategic_choices"] == pl.Boolean
    assert frame.schema["support_areas"] == pl.List(pl.String)
    assert frame.schema["life_path"] == pl.String
    assert frame["strategic_choices"].to_list() == [None]
    assert frame["cross_administrative"].to_list() == [None]
    assert "life_path" not in table.headers


def test_blank_rows_dropped_row_numbers_kept(tmp_path: Path, suffix: str) -> None:
    rows = [HEADERS, row(Tunnus="A"), [], [None, "  ", None], row(Tunnus="B"), [], []]
    table = load_engagements(tmp_path, suffix, rows)
    assert table.frame["engagement_id"].to_list() == ["A", "B"]
    assert table.frame["_row"].to_list() == [2, 5]


# --- Values -------------------------------------------------------------------------------


def test_dates_in_every_form(tmp_path: Path, suffix: str) -> None:
    values: list[Cell] = [
        date(2017, 3, 1),
        datetime(2017, 3, 1, 15, 45),
        "2017-03-01",
        "1.3.2017",
        "01.03.2017",
        " 1.3.2017 ",
    ]
    rows = [HEADERS] + [row(Tunnus=f"E{i}", Alkupäivä=v) for i, v in enumerate(values)]
    frame = load_engagements(tmp_path, suffix, rows).frame
    assert frame["start_date"].to_list() == [date(2017, 3, 1)] * 6


def test_unreadable_date_becomes_null_and_a_problem(tmp_path: Path, suffix: str) -> None:
    rows = [["Seuranta"], HEADERS, row(Tunnus="A"), row(Tunnus="B", Päättymispäivä="ei tiedossa")]
    table = load_engagements(tmp_path, suffix, rows)
    assert table.frame["end_date"].to_list() == [None, None]
    assert table.problems == (
        CellProblem(
            row=4,
            column="end_date",
            header="Päättymispäivä",
            value="ei tiedossa",
            expected="date",
            sheet="Toimeksiannot",
            cell="I4",
        ),
    )


def test_impossible_date_is_a_problem(tmp_path: Path, suffix: str) -> None:
    table = load_engagements(tmp_path, suffix, [HEADERS, row(Alkupäivä="30.2.2017")])
    assert table.frame["start_date"].to_list() == [None]
    assert [(p.cell, p.value) for p in table.problems] == [("H2", "30.2.2017")]


def test_integers_from_floats_text_and_decimal_comma(tmp_path: Path, suffix: str) -> None:
    header = [
        "Vastaus",
        "Tunnus",
        "Vastauspäivä",
        "Koetko D9-yhteistyön tuovan lisäarvoa ja hyötyä hankkeellesi?",
    ]
    values: list[Cell] = [4, 4.0, " 4 ", "4,0", None, 4.5, "hyvä"]
    rows = [header] + [[f"R{i}", "E1", "2017-05-01", v] for i, v in enumerate(values)]
    path = write_book(tmp_path / f"f{suffix}", {"Palaute": rows})
    table = load_table(FEEDBACK, path.read_bytes(), source_name=path.name)
    assert table.frame.schema["value_rating"] == pl.Int64
    assert table.frame["value_rating"].to_list() == [4, 4, 4, 4, None, None, None]
    assert [(p.cell, p.value, p.expected) for p in table.problems] == [
        ("D7", "4.5", "integer"),
        ("D8", "hyvä", "integer"),
    ]


def test_floats_with_decimal_comma_and_text(tmp_path: Path, suffix: str) -> None:
    dataset = agency_survey(("Asiantuntemus",))
    rows = [
        ["Vastaus", "Kierros", "Vastauspäivä", "asiantuntemus"],
        ["R1", 2018, "2018-02-01", "4,5"],
        ["R2", 2018, "2018-02-01", " 4 "],
        ["R3", 2018, "2018-02-01", 3.25],
        ["R4", 2018, "2018-02-01", None],
    ]
    path = write_book(tmp_path / f"s{suffix}", {"Asiakastyytyväisyys": rows})
    table = load_table(dataset, path.read_bytes(), source_name=path.name)
    assert table.frame["Asiantuntemus"].to_list() == [4.5, 4.0, 3.25, None]
    assert table.frame["round"].to_list() == ["2018"] * 4  # a number typed as a round stays text
    assert table.problems == ()


def test_ids_typed_as_numbers_stay_text(tmp_path: Path, suffix: str) -> None:
    table = load_engagements(tmp_path, suffix, [HEADERS, row(Tunnus=12), row(Tunnus=" D9-13 ")])
    assert table.frame["engagement_id"].to_list() == ["12", "D9-13"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kyllä", True),
        ("Ei", False),
        ("ja", True),
        ("NEJ", False),
        ("yes", True),
        ("No", False),
        ("x", True),
        ("X", True),
        ("true", True),
        ("FALSE", False),
        (1, True),
        (0, False),
        (True, True),
        (False, False),
        (None, False),
    ],
)
def test_booleans_with_default(tmp_path: Path, text: Cell, expected: bool) -> None:
    values = column(tmp_path, ".xlsx", "Poikkihallinnollinen", [text], "cross_administrative")
    assert values == [expected]


def test_booleans_in_ods_and_blank_without_default(tmp_path: Path) -> None:
    values: list[Cell] = ["Kyllä", None, True, "x", "0"]
    got = column(tmp_path, ".ods", "Vaikutti strategisiin valintoihin", values, "strategic_choices")
    assert got == [True, None, True, True, False]


def test_unreadable_boolean_is_a_problem(tmp_path: Path, suffix: str) -> None:
    rows = [HEADERS + ["Poikkihallinnollinen"], row() + ["ehkä"]]
    table = load_engagements(tmp_path, suffix, rows)
    assert table.frame["cross_administrative"].to_list() == [None]
    assert [(p.cell, p.expected) for p in table.problems] == [("J2", "yes/no")]


def test_branch_names_become_codes(tmp_path: Path, suffix: str) -> None:
    values = [
        "ulkoasiainministeriö",
        "Ministry of Employment and the Economy",
        "stm",
        " VM ",
        "Finansministeriet",
        "Tuntematon virasto ",
    ]
    rows = [HEADERS] + [row(Tunnus=f"E{i}", Hallinnonala=v) for i, v in enumerate(values)]
    table = load_engagements(tmp_path, suffix, rows)
    assert table.frame["branch"].to_list() == ["UM", "TEM", "STM", "VM", "VM", "Tuntematon virasto"]
    assert table.problems == ()


def test_choice_values_normalised(tmp_path: Path, suffix: str) -> None:
    rows = [HEADERS] + [
        row(Tunnus="A", Palvelukonsepti="HERÄTYS", Tila="Valmis"),
        row(Tunnus="B", Palvelukonsepti="collaboration", Tila="In progress"),
    ]
    frame = load_engagements(tmp_path, suffix, rows).frame
    assert frame["service_concept"].to_list() == ["Herätys", "Yhteistyö"]
    assert frame["status"].to_list() == ["toteutettu", "käynnissä"]


def test_support_areas_split_and_normalised(tmp_path: Path, suffix: str) -> None:
    values: list[Cell] = [
        "Hankinnat; viestintä",
        "Service design,procurement , ",
        "taikuus",
        None,
        " ; ",
    ]
    got = column(tmp_path, suffix, "Tuen muoto", values, "support_areas")
    assert got == [
        ["hankinnat", "viestintä"],
        ["palvelumuotoilu", "hankinnat"],
        ["taikuus"],
        None,
        None,
    ]


# --- CSV and file objects -------------------------------------------------------------


def test_csv_rows_are_line_numbers(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "t.csv",
        [
            ["Toimeksiannot"],
            [],
            HEADERS,
            row(Tunnus="A", Alkupäivä="1.3.2017"),
            [],
            row(Tunnus="B", Alkupäivä="2017-03-02", Hallinnonala="um"),
        ],
    )
    table = load_table(ENGAGEMENTS, path.read_bytes(), source_name="t.csv")
    assert table.frame["engagement_id"].to_list() == ["A", "B"]
    assert table.frame["_row"].to_list() == [4, 6]
    assert table.frame["start_date"].to_list() == [date(2017, 3, 1), date(2017, 3, 2)]
    assert table.frame["branch"].to_list() == ["VM", "UM"]
    assert table.frame["_sheet"].to_list() == ["", ""]


def test_csv_with_commas_bom_and_file_object(tmp_path: Path) -> None:
    text = "\ufeffVastaus,Tunnus,Vastauspäivä,Arvosana\nR1,E1,1.6.2017,5\nR2,E2,2.6.2017,\n"
    table = load_table(FEEDBACK, io.BytesIO(text.encode("utf-8")), source_name="palaute.csv")
    assert table.frame["response_id"].to_list() == ["R1", "R2"]
    assert table.frame["value_rating"].to_list() == [5, None]
    assert table.source == "palaute.csv"


def test_csv_in_windows_encoding(tmp_path: Path) -> None:
    text = "Vastaus;Tunnus;Vastauspäivä\nR1;E1;1.6.2017\n"
    table = load_table(FEEDBACK, text.encode("cp1252"), source_name="palaute.csv")
    assert table.headers["answered_on"] == "Vastauspäivä"


# --- Bad input ----------------------------------------------------------------------------


def test_missing_required_column_named_with_headers_found(tmp_path: Path, suffix: str) -> None:
    headers = [h for h in HEADERS if h != "Tila"]
    with pytest.raises(ValidationFailed) as err:
        load_engagements(tmp_path, suffix, [["Otsikko"], headers, row()[:-1]])
    text = str(err.value)
    assert "'Tila'" in text and "sheet 'Toimeksiannot'" in text and f"book{suffix}" in text
    assert "headers found: 'Tunnus', 'Toimeksianto'" in text
    assert err.value.column == "Tila"


def test_conditionally_required_column_must_exist_where_its_condition_can_hold(
    tmp_path: Path,
) -> None:
    """Kärkihanke is needed where Painopiste can say kärkihanke; a register without a
    Painopiste column cannot, so it loads (both not recorded) instead of being refused."""
    headers = [h for h in HEADERS if h != "Kärkihanke"]
    with pytest.raises(ValidationFailed, match="Kärkihanke"):
        load_engagements(tmp_path, ".xlsx", [[*headers, "Painopiste"]])
    cells = [v for h, v in zip(HEADERS, row(), strict=True) if h != "Kärkihanke"]
    loaded = load_engagements(tmp_path, ".xlsx", [headers, cells])
    assert loaded.frame["key_project"].to_list() == [None]
    assert loaded.frame["priority"].to_list() == [None]


def test_empty_sheet_reports_no_headers(tmp_path: Path) -> None:
    with pytest.raises(ValidationFailed, match=r"headers found: none"):
        load_engagements(tmp_path, ".xlsx", [])


def test_missing_sheet_lists_existing_sheets(tmp_path: Path, suffix: str) -> None:
    path = write_book(tmp_path / f"b{suffix}", {"Palaute": [["Vastaus"]], "Muut": [["x"]]})
    with pytest.raises(InputError) as err:
        load_table(ENGAGEMENTS, path.read_bytes(), source_name=path.name)
    assert str(err.value) == (
        f"b{suffix}, sheet 'Toimeksiannot': sheet not found; the workbook has: 'Palaute', 'Muut'"
    )


def test_sheet_name_matched_ignoring_case(tmp_path: Path, suffix: str) -> None:
    path = write_book(tmp_path / f"b{suffix}", {"Toimeksiannot": [HEADERS, row()]})
    table = load_table(
        ENGAGEMENTS, path.read_bytes(), source_name=path.name, sheet=" TOIMEKSIANNOT"
    )
    assert table.sheet == "Toimeksiannot"
    assert table.frame["_sheet"].to_list() == ["Toimeksiannot"]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("seuranta.xlsx", b"Tunnus;Tila\nE1;valmis\n"),
        ("seuranta.xlsx", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        ("seuranta.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        ("seuranta.ods", b"PK\x03\x04 broken zip"),
    ],
    ids=["text-as-xlsx", "png-as-xlsx", "png-as-csv", "broken-zip"],
)
def test_not_a_spreadsheet(name: str, data: bytes) -> None:
    with pytest.raises(InputError, match=rf"^{name}: not a") as err:
        load_table(ENGAGEMENTS, data, source_name=name)
    assert err.value.exit_code == 3


# --- Principles ---------------------------------------------------------------------------


def test_principles_long_form(tmp_path: Path, suffix: str) -> None:
    rows = [
        ["Kausi", "Kärkihanke", "Periaate", "Arvio", "Huomiot"],
        ["2018H1", "Kärki A", 1, "Toteutuu", "hyvä"],
        ["2018H1", "Kärki A", "Poistamme turhan asioinnin", "partly", None],
        ["2018H1", "Kärki A", "P9", None, None],
    ]
    path = write_book(tmp_path / f"p{suffix}", {"Digiperiaatteet": rows})
    frame = load_table(PRINCIPLES, path.read_bytes(), source_name=path.name).frame
    assert frame["principle"].to_list() == ["1", "2", "9"]
    assert frame["assessment"].to_list() == ["toteutuu", "osittain", None]
    assert frame["_cell"].to_list() == [None, None, None]
    assert frame["_row"].to_list() == [2, 3, 4]


def test_principles_matrix_sheets_per_half_year(tmp_path: Path, suffix: str) -> None:
    h1 = [
        ["Digiperiaatteiden arviointi"],
        ["Kärkihanke", "1", "P2", "3 Rakennamme helppokäyttöisiä ja turvallisia palveluita"],
        ["Hanke A", "toteutuu", None, "Osittain"],
        [],
        ["Hanke B", "ei arvioitavissa", "ei toteudu", "hmm"],
    ]
    h2 = [["Key project", 1, "We eliminate unnecessary transactions"], ["Hanke A", "yes", "partly"]]
    path = write_book(
        tmp_path / f"m{suffix}",
        {"Ohje": [["lue"]], "Digiperiaatteet 2017H1": h1, "Digiperiaatteet 2018 H1": h2},
    )
    table = load_table(PRINCIPLES, path.read_bytes(), source_name=path.name)
    frame = table.frame
    assert frame.columns == [
        "period",
        "key_project",
        "principle",
        "assessment",
        "notes",
        "_row",
        "_sheet",
        "_cell",
    ]
    assert frame.rows() == [
        ("2017H1", "Hanke A", "1", "toteutuu", None, 3, "Digiperiaatteet 2017H1", "B3"),
        ("2017H1", "Hanke A", "2", None, None, 3, "Digiperiaatteet 2017H1", "C3"),
        ("2017H1", "Hanke A", "3", "osittain", None, 3, "Digiperiaatteet 2017H1", "D3"),
        ("2017H1", "Hanke B", "1", "ei arvioitavissa", None, 5, "Digiperiaatteet 2017H1", "B5"),
        ("2017H1", "Hanke B", "2", "ei toteudu", None, 5, "Digiperiaatteet 2017H1", "C5"),
        ("2017H1", "Hanke B", "3", "hmm", None, 5, "Digiperiaatteet 2017H1", "D5"),
        ("2018H1", "Hanke A", "1", "toteutuu", None, 2, "Digiperiaatteet 2018 H1", "B2"),
        ("2018H1", "Hanke A", "2", "osittain", None, 2, "Digiperiaatteet 2018 H1", "C2"),
    ]
    assert table.headers["key_project"] == "Kärkihanke"
    assert table.letters["key_project"] == "A"


def test_principles_matrix_on_configured_sheet_with_period_column(tmp_path: Path) -> None:
    rows = [
        ["Kausi", "Kärkihanke", *(str(n) for n in range(1, 10))],
        ["2018H2", "Hanke C", *(["toteutuu"] * 8), None],
    ]
    path = write_book(tmp_path / "m.xlsx", {"Digiperiaatteet": rows})
    frame = load_table(PRINCIPLES, path.read_bytes(), source_name="m.xlsx").frame
    assert frame.height == 9
    assert frame["principle"].to_list() == [str(n) for n in range(1, 10)]
    assert frame["assessment"].null_count() == 1
    assert frame["_cell"].to_list()[-1] == "K2"
    assert set(frame["period"].to_list()) == {"2018H2"}


def test_principles_matrix_without_key_project_column(tmp_path: Path) -> None:
    path = write_book(tmp_path / "m.xlsx", {"Digiperiaatteet 2017H1": [["Nimi", "1", "2"]]})
    with pytest.raises(ValidationFailed, match=r"'Kärkihanke' not found \(headers found: 'Nimi'"):
        load_table(PRINCIPLES, path.read_bytes(), source_name="m.xlsx")


def test_principles_sheet_missing_entirely(tmp_path: Path) -> None:
    path = write_book(tmp_path / "m.xlsx", {"Digiperiaatteet ohje": [["x"]]})
    with pytest.raises(InputError, match=r"sheet 'Digiperiaatteet': sheet not found"):
        load_table(PRINCIPLES, path.read_bytes(), source_name="m.xlsx")


# --- load_inputs --------------------------------------------------------------------------


def shared_workbook(path: Path) -> Path:
    return write_book(
        path,
        {
            "Toimeksiannot": [HEADERS, row(Tunnus="E1")],
            "Palaute": [
                ["Vastaus", "Tunnus", "Vastauspäivä", "Arvosana"],
                ["R1", "E1", "1.6.2017", 5],
            ],
            "Asiakastyytyväisyys": [
                ["Vastaus", "Kierros", "Vastauspäivä", "Laatu"],
                ["S1", "2017", "1.6.2017", "3,5"],
            ],
            "Digiperiaatteet 2017H1": [["Kärkihanke", "1"], ["Hanke A", "osittain"]],
        },
    )


def test_load_inputs_reads_a_shared_workbook_once(tmp_path: Path) -> None:
    shared_workbook(tmp_path / "seuranta.xlsx")
    survey = {"sheet": "Asiakastyytyväisyys", "metrics": ["Laatu"]}
    settings = Settings(config_path=tmp_path / "d9.toml", sources={"agency_survey": survey})
    reads: list[str] = []

    def read(location: str) -> bytes:
        reads.append(location)
        return Path(location).read_bytes()

    inputs = load_inputs(settings, read=read)
    assert reads == [str(tmp_path / "seuranta.xlsx")]
    assert inputs.engagements.frame["engagement_id"].to_list() == ["E1"]
    assert inputs.feedback.frame["value_rating"].to_list() == [5]
    assert inputs.agency_survey.frame["Laatu"].to_list() == [3.5]
    assert inputs.principles.frame["assessment"].to_list() == ["osittain"]
    assert inputs.frames().survey_metrics == ("Laatu",)


def test_load_inputs_from_separate_files_and_missing_file(tmp_path: Path) -> None:
    shared_workbook(tmp_path / "seuranta.ods")
    write_csv(
        tmp_path / "palaute.csv",
        [["Vastaus", "Tunnus", "Vastauspäivä"], ["R9", "E1", "2017-06-01"]],
    )
    sources = {n: {"path": "seuranta.ods"} for n in ("engagements", "agency_survey", "principles")}
    sources["feedback"] = {"path": "palaute.csv"}
    sources["agency_survey"]["metrics"] = ["Laatu"]
    inputs = load_inputs(Settings(config_path=tmp_path / "d9.toml", sources=sources))
    assert inputs.feedback.frame["response_id"].to_list() == ["R9"]
    assert inputs.feedback.source == str(tmp_path / "palaute.csv")
    assert inputs.engagements.frame["_row"].to_list() == [2]
    sources["feedback"] = {"path": "puuttuu.xlsx"}
    with pytest.raises(InputError, match="puuttuu.xlsx: file not found"):
        load_inputs(Settings(config_path=tmp_path / "d9.toml", sources=sources))


def test_many_rows_load_with_row_numbers(tmp_path: Path) -> None:
    rows = [HEADERS] + [row(Tunnus=f"E{i}", Alkupäivä=f"{1 + i % 28}.3.2017") for i in range(3000)]
    frame = load_engagements(tmp_path, ".xlsx", rows).frame
    assert frame.height == 3000
    assert frame["_row"][-1] == 3001
    assert frame["start_date"][-1] == date(2017, 3, 1 + 2999 % 28)
