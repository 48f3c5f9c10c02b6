"""Contract of `tasks.validate`: every blocking and warning rule of the data contracts fires on
the right spreadsheet row and header, with the offending value, engagement and owner; valid
(and messy-but-valid) data yields no findings; every failing row is reported even past GX's
200-value cap; Data Docs work offline; importing the module does not import GX.

GX runs are few: one shared run over a register where each case is its own appended row
(a copy of a valid row with one mutation), plus a handful of focused runs. The case run and
the cross-reference test also run the Polars executor against the same hand-written answers.
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from schemas import ENGAGEMENTS, FEEDBACK, PRINCIPLES, agency_survey
from schemas.findings import Finding, Severity, ValidationReport
from schemas.request import Validator
from schemas.settings import Owners, Settings
from schemas.tables import CellProblem, Inputs
from tasks.validate import validate
from tasks.validate.docs import offline_html
from tests.support import tables as t

B, W = Severity.BLOCKING, Severity.WARNING
OWNERS = Owners(
    engagements="rekisteri@example.org",
    feedback="palaute@example.org",
    agency_survey="kysely@example.org",
    principles="periaatteet@example.org",
)
SETTINGS = Settings(owners=OWNERS)
TODAY = date(2018, 7, 2)  # the half-year due is 2018H1, the one the fixtures assess
_DONE = {
    "status": "toteutettu",
    "end_date": date(2017, 1, 5),  # a Kokeilu of a few days (the plan: about 1-5)
    "change_in_operations": "Uusi",
    "benefits": "Nopeampi",
    "method": "Työpaja",
}

# name -> (cells changed in a copy of valid engagement 2, expected (header, value, rule, severity))
ENGAGEMENT_CASES: dict[str, tuple[dict[str, Any], list[tuple[str, str, str, Severity]]]] = {
    "title missing": ({"title": None}, [("Toimeksianto", "", "required", B)]),
    "customer missing": ({"customer": None}, [("Asiakasorganisaatio", "", "required", B)]),
    "branch missing": ({"branch": None}, [("Hallinnonala", "", "required", B)]),
    "concept missing": ({"service_concept": None}, [("Palvelukonsepti", "", "required", B)]),
    "status missing": ({"status": None}, [("Status", "", "required", B)]),
    "start missing": ({"start_date": None}, [("Alkupäivä", "", "required", B)]),
    "branch unknown": (
        {"branch": "Kuuden ministeriö"},
        [("Hallinnonala", "Kuuden ministeriö", "allowed_values", B)],
    ),
    "concept unknown": (
        {"service_concept": "Kahvi"},
        [("Palvelukonsepti", "Kahvi", "allowed_values", B)],
    ),
    "status unknown": ({"status": "valmiina"}, [("Status", "valmiina", "allowed_values", B)]),
    "influence unknown": (
        {"influence_level": "paljon"},
        [("Vaikuttamisen taso", "paljon", "allowed_values", B)],
    ),
    "stage unknown": (
        {"project_stage": "loppu"},
        [("Hankkeen vaihe", "loppu", "allowed_values", B)],
    ),
    "priority unknown": (
        {"priority": "talous", "key_project": None},
        [("Painopiste", "talous", "allowed_values", B)],
    ),
    "advice unknown": (
        {"investment_advice": "ehkä"},
        [("Investointisuositus", "ehkä", "allowed_values", B)],
    ),
    "support item unknown": (
        {"support_areas": ["hankinnat", "kahvinkeitto"]},
        [("Tuen muoto", "kahvinkeitto", "allowed_values", B)],
    ),
    "completed without end": ({**_DONE, "end_date": None}, [("Päättymispäivä", "", "required", B)]),
    "end before start": (
        {**_DONE, "end_date": date(2016, 12, 31)},
        [("Päättymispäivä", "2016-12-31", "date_order", B)],
    ),
    "key project missing": ({"key_project": None}, [("Kärkihanke", "", "required", B)]),
    "completed without effects": (
        {**_DONE, "change_in_operations": None, "benefits": None, "method": None},
        [
            ("Muutos toimintaan", "", "expected", W),
            ("Avun hyödyt", "", "expected", W),
            ("Käytetty menetelmä", "", "expected", W),
        ],
    ),
    "life path missing": ({"life_path": None}, [("Elämänpolku", "", "expected", W)]),
    "ecosystem missing": ({"ecosystem": None}, [("Ekosysteemi", "", "expected", W)]),
    "owner missing": ({"owner": None}, [("Vastuuhenkilön sähköposti", "", "expected", W)]),
    "owner not email": (
        {"owner": "Anna Aalto"},
        [("Vastuuhenkilön sähköposti", "Anna Aalto", "email", W)],
    ),
}
FIRST_CASE_ROW = 3 + 5  # the register starts at row 3 and has five valid rows


def _case_inputs() -> Inputs:
    """The valid inputs plus one appended engagement per case, ids D9-101, D9-102, ..."""
    template = t.engagements_rows()[1]  # kärkihanke, STM, ongoing
    rows = t.engagements_rows() + [
        template | {"engagement_id": f"D9-{101 + i}"} | cells
        for i, (cells, _) in enumerate(ENGAGEMENT_CASES.values())
    ]
    base = t.valid_inputs()
    return replace(
        base,
        engagements=replace(
            t.table(ENGAGEMENTS, rows, first_row=3), headers=base.engagements.headers
        ),
    )


@pytest.fixture(scope="module", params=["gx", "polars"])
def case_report(request: pytest.FixtureRequest) -> ValidationReport:
    return validate(_case_inputs(), SETTINGS, today=TODAY, validator=Validator(request.param))


def _at(report: ValidationReport, sheet: str, row: int) -> list[Finding]:
    return [f for f in report.findings if f.sheet == sheet and f.row == row]


@pytest.mark.slow
@pytest.mark.parametrize("name", list(ENGAGEMENT_CASES))
def test_engagement_rule_fires_on_its_row_only(case_report: ValidationReport, name: str) -> None:
    index = list(ENGAGEMENT_CASES).index(name)
    row = FIRST_CASE_ROW + index
    expected = ENGAGEMENT_CASES[name][1]
    found = _at(case_report, "Toimeksiannot", row)
    assert sorted((f.column, f.value, f.rule, f.severity) for f in found) == sorted(expected)
    owner = "" if name.startswith("owner") else "anna.aalto@example.org"
    for f in found:
        assert (f.dataset, f.source) == ("engagements", "seuranta.xlsx")
        assert f.engagement_id == f"D9-{101 + index}"
        assert f.owner == (owner or "rekisteri@example.org")


@pytest.mark.slow
def test_valid_rows_among_the_cases_have_no_findings(case_report: ValidationReport) -> None:
    assert [f for f in case_report.findings if f.row < FIRST_CASE_ROW] == []
    assert {f.dataset for f in case_report.findings} == {"engagements"}


@pytest.mark.slow
def test_valid_and_messy_data_has_no_findings() -> None:
    inputs = t.valid_inputs()
    # a branch the loader normalised from its name, a default cross_administrative, a blank rating
    assert inputs.engagements.frame["branch"].to_list()[1] == "STM"
    assert inputs.feedback.frame["value_rating"].to_list()[2] is None
    report = validate(inputs, SETTINGS, today=TODAY)
    assert report.findings == ()
    assert report.blocking == () and report.warnings == () and report.counts == {}


@pytest.mark.slow
@pytest.mark.parametrize("validator", list(Validator))
def test_duplicates_cross_references_ranges_and_types(validator: Validator) -> None:
    base = t.valid_inputs()
    e = t.set_cell(base.engagements, 7, "engagement_id", "D9-001")  # D9-001 is also on row 3
    e = replace(e, problems=(CellProblem(5, "start_date", "Alkupäivä", "32.1.2017", "date"),))
    e = t.set_cell(e, 5, "start_date", None)  # the loader keeps an unreadable cell as null
    fb = t.set_cell(base.feedback, 3, "engagement_id", "D9-999")  # unknown
    fb = t.set_cell(fb, 4, "engagement_id", "D9-003")  # a Yhteistyö engagement
    fb = t.set_cell(fb, 5, "value_rating", 6)
    fb = t.set_cell(fb, 2, "response_id", "R2")  # R2 is also on row 3
    survey = t.set_cell(base.agency_survey, 3, "Asiantuntemus", 0.5)
    pr = t.set_cell(base.principles, 3, "principle", "10")
    pr = t.set_cell(pr, 4, "assessment", "hyvä")
    pr = t.set_cell(pr, 2, "period", None)
    report = validate(Inputs(e, fb, survey, pr), SETTINGS, today=TODAY, validator=validator)
    got = {
        (f.sheet, f.row, f.column, f.value, f.rule, f.severity, f.engagement_id, f.owner)
        for f in report.findings
    }
    anna, pr_owner = "anna.aalto@example.org", "periaatteet@example.org"
    rating = FEEDBACK.column("value_rating").header_fi
    assert got == {
        ("Toimeksiannot", 3, "Tunnus", "D9-001", "unique", B, "D9-001", "anna.aalto@example.org"),
        ("Toimeksiannot", 7, "Tunnus", "D9-001", "unique", B, "D9-001", "bertta.berg@example.org"),
        ("Toimeksiannot", 5, "Alkupäivä", "32.1.2017", "type", B, "D9-003", anna),
        ("Palaute", 2, "Vastaus", "R2", "unique", B, "D9-001", "anna.aalto@example.org"),
        ("Palaute", 3, "Vastaus", "R2", "unique", B, "D9-999", "palaute@example.org"),
        ("Palaute", 3, "Tunnus", "D9-999", "reference", B, "D9-999", "palaute@example.org"),
        # feedback on a Yhteistyö is kept and warned about, not a block (issue 20)
        ("Palaute", 4, "Tunnus", "D9-003", "reference", W, "D9-003", "anna.aalto@example.org"),
        ("Palaute", 5, rating, "6", "range", B, "D9-002", "anna.aalto@example.org"),
        ("Asiakastyytyväisyys", 3, "Asiantuntemus", "0.5", "range", B, "", "kysely@example.org"),
        ("Digiperiaatteet", 3, "Periaate", "10", "allowed_values", B, "", pr_owner),
        ("Digiperiaatteet", 4, "Arvio", "hyvä", "allowed_values", B, "", pr_owner),
        ("Digiperiaatteet", 2, "Kausi", "", "required", B, "", pr_owner),
    }
    assert [(f.sheet, f.row) for f in report.findings][:3] == [
        ("Asiakastyytyväisyys", 3),
        ("Digiperiaatteet", 2),
        ("Digiperiaatteet", 3),
    ]
    assert report.counts["feedback"] == {"blocking": 4, "warning": 1}
    assert all("kommentti" not in f.value.lower() + f.message.lower() for f in report.findings)


@pytest.mark.slow
def test_more_than_200_failures_are_all_reported(tmp_path: Path) -> None:
    rows = [
        t.engagements_rows()[3] | {"engagement_id": f"D9-{i:04d}", "status": "valmiina"}
        for i in range(250)
    ]
    inputs = replace(t.valid_inputs(), engagements=t.table(ENGAGEMENTS, rows, first_row=3))
    found = [
        f for f in validate(inputs, SETTINGS, today=TODAY).findings if f.sheet == "Toimeksiannot"
    ]
    assert [f.row for f in found] == list(range(3, 253))
    assert {(f.column, f.value, f.rule) for f in found} == {("Tila", "valmiina", "allowed_values")}


@pytest.mark.slow
def test_matrix_cell_address_is_named() -> None:
    base = t.valid_inputs()
    frame = base.principles.frame.with_columns(pl.Series("_cell", ["B5", "C5", "D5"]))
    pr = t.set_cell(replace(base.principles, frame=frame), 3, "assessment", "hyvä")
    (finding,) = validate(replace(base, principles=pr), SETTINGS, today=TODAY).findings
    assert (finding.row, finding.value) == (3, "hyvä")
    assert finding.message.endswith("(C5)")


@pytest.mark.slow
def test_data_docs_are_written_and_work_offline(tmp_path: Path) -> None:
    base = t.valid_inputs()
    fb = t.set_cell(base.feedback, 2, "value_rating", 9)  # the row with a comment
    validate(replace(base, feedback=fb), SETTINGS, data_docs_dir=tmp_path, today=TODAY)
    pages = list(tmp_path.rglob("*.html"))
    assert (tmp_path / "index.html").exists() and len(pages) >= 5
    remote = re.compile(r"""<(script|link|img)\b[^>]*\b(src|href)\s*=\s*["']?(https?:)?//""", re.I)
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert not remote.search(html), page
        assert "Henkilökohtainen" not in html


def test_offline_html_drops_remote_assets_and_keeps_links() -> None:
    html = (
        '<html><head><link rel="stylesheet" href="https://cdn.example/b.css"/>'
        '<script src="https://cdn.example/j.js"></script><style>.x{background:'
        "url('https://cdn.example/l.png')}</style></head><body>"
        '<img src="http://cdn.example/logo.png"><img src="static/ok.png">'
        '<a href="https://docs.example/">docs</a></body></html>'
    )
    out = offline_html(html)
    assert "cdn.example" not in out
    assert '<img src="static/ok.png">' in out and 'href="https://docs.example/"' in out
    assert out.count("<style>") == 2


def test_suites_are_derived_from_the_contracts() -> None:
    from tasks.validate.rules import rules_for

    got = {
        (r.view, r.check, r.column, r.rule, r.severity, r.when.values if r.when else None)
        for r in rules_for(ENGAGEMENTS)
    }
    assert ("engagements", "not_null", "end_date", "required", B, ("toteutettu",)) in got
    assert ("engagements", "not_null", "key_project", "required", B, ("kärkihanke",)) in got
    assert ("engagements", "not_null", "benefits", "expected", W, ("toteutettu",)) in got
    assert ("engagements:items", "in_set", "support_areas", "allowed_values", B, None) in got
    assert not any(r.column == "cross_administrative" for r in rules_for(ENGAGEMENTS))
    survey = rules_for(agency_survey(("Palvelu",)))
    assert [(r.column, r.params) for r in survey if r.check == "between"] == [("Palvelu", (1, 5))]
    principle = [r.params for r in rules_for(PRINCIPLES) if r.column == "principle"]
    assert principle == [(), tuple("123456789")]  # required, then one of 1-9


def test_importing_validate_does_not_import_great_expectations() -> None:
    code = "import sys, tasks.validate; sys.exit('great_expectations' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
