"""`d9 site` driven in headless Chromium, as the team and the steering group use the page: on the
sample project, its figures equal `d9 indicators --format json` for the same date, the branch
filter shows exactly that branch's engagements, activating a figure (click or Enter) shows
exactly the rows behind it, the half-year switch shows what the reports recorded, each data
owner's block lists their findings, nothing is requested outside the folder, axe-core finds no
WCAG 2.1 A/AA violation, and a 390 px phone never scrolls sideways — in Finnish and English.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

from d9.cli import main
from schemas.request import ReportKind
from schemas.settings import load_settings
from tasks.history import record
from tasks.indicators import compute_indicators
from tasks.load import load_inputs
from tasks.statedb import sqlite_store
from tests.support.browser import (
    axe_violations,
    browser,
    horizontal_overflow,
    open_page,
    requests_leaving,
)
from tests.support.design import INDICATOR_IDS
from tests.support.project import edited_sheet, sample_project

__all__ = ["browser"]

pytestmark = pytest.mark.slow

AS_OF = "2018-06-30"
NOW = datetime(2018, 7, 2, 8, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The sample project with one gap made on purpose, a reported 2017H2 in history (with a
    value changed, so "as reported" differs from recomputed), and its site in fi and en."""
    folder = tmp_path_factory.mktemp("site")
    config = sample_project(folder)
    with edited_sheet(folder / "seuranta.xlsx", "Toimeksiannot") as sheet:
        owner = sheet.get(6, "Vastuuhenkilö")
        sheet.set(6, "Elämänpolku", None)  # a warning for the row's owner
    settings = load_settings(config)
    frames = load_inputs(settings).frames()
    sent = compute_indicators(frames, date(2017, 12, 31), settings)
    done = sent.results["engagements_completed"]
    sent = replace(sent, results={**sent.results, "engagements_completed": replace(done, value=7)})
    record(sqlite_store(settings.state_dir), sent, ReportKind.REPORT, NOW)
    sites = {}
    for lang in ("fi", "en"):
        out = folder / f"site-{lang}"
        argv = [
            "site",
            "--out",
            str(out),
            "--as-of",
            AS_OF,
            "--lang",
            lang,
            "--config",
            str(config),
        ]
        assert main(argv) == 0
        sites[lang] = out
    return {"config": config, "sites": sites, "frames": frames, "owner": owner, "folder": folder}


def _json(config: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    capsys.readouterr()
    assert main(["indicators", "--as-of", AS_OF, "--format", "json", "--config", str(config)]) == 0
    return json.loads(capsys.readouterr().out)


def _data(path: Path) -> dict[str, object]:
    """What a data script hands the page: the JSON text inside its JSON.parse("...")."""
    literal = re.search(r"JSON\.parse\((\".*\")\);", path.read_text(encoding="utf-8")).group(1)
    return json.loads(json.loads(literal))


def _open(driver, site: Path, width: int = 1000) -> None:
    open_page(driver, site / "index.html", width)
    WebDriverWait(driver, 30).until(
        lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("data-ready") == "true"
    )


def _ids(driver, table_id: str) -> list[str]:
    rows = driver.find_elements(By.CSS_SELECTOR, f"#{table_id} tbody tr[data-id]")
    return [r.get_attribute("data-id") for r in rows]


def _all_ids(driver, table_id: str) -> list[str]:
    """Every row of a paginated table: page through it with its own Next button."""
    key = driver.find_element(By.ID, table_id).get_attribute("data-table")
    seen = _ids(driver, table_id)
    pager = driver.find_element(By.CSS_SELECTOR, f'[data-pager="{key}"]')
    while (
        pager.is_displayed() and pager.find_element(By.CSS_SELECTOR, '[data-step="1"]').is_enabled()
    ):
        pager.find_element(By.CSS_SELECTOR, '[data-step="1"]').click()
        seen += _ids(driver, table_id)
    return seen


def test_the_figures_equal_d9_indicators_json_for_the_same_date(browser, project, capsys):
    data = _json(project["config"], capsys)["indicators"]
    _open(browser, project["sites"]["fi"])
    shown = {
        e.get_attribute("data-indicator"): e
        for e in browser.find_elements(By.CSS_SELECTOR, "[data-indicator]")
    }
    assert sorted(shown) == sorted(INDICATOR_IDS)
    for key, figure in data.items():
        element = shown[key]
        assert json.loads(element.get_attribute("data-value")) == figure["value"], key
        assert element.get_attribute("data-status") == figure["status"], key
        target = element.get_attribute("data-target")
        assert (json.loads(target) if target is not None else None) == figure.get("target"), key


def test_choosing_a_branch_shows_exactly_its_engagements(browser, project):
    register = project["frames"].engagements.filter(pl.col("start_date") <= date(2018, 6, 30))
    _open(browser, project["sites"]["fi"])
    table = browser.find_element(By.ID, "engagements")
    assert int(table.get_attribute("data-count")) == register.height
    for code in ("VM", "STM", "UM"):
        Select(browser.find_element(By.ID, "branch")).select_by_value(code)
        mine = register.filter(pl.col("branch") == code)["engagement_id"].to_list()
        assert int(table.get_attribute("data-count")) == len(mine)
        assert sorted(_all_ids(browser, "engagements")) == sorted(mine)
        branches = {
            r.get_attribute("data-branch")
            for r in browser.find_elements(By.CSS_SELECTOR, "#engagements tbody tr[data-id]")
        }
        assert branches <= {code}
    Select(browser.find_element(By.ID, "branch")).select_by_value("")
    assert int(table.get_attribute("data-count")) == register.height


def test_activating_a_figure_shows_exactly_the_rows_behind_it(browser, project):
    eng = project["frames"].engagements
    as_of = date(2018, 6, 30)
    completed = eng.filter((pl.col("status") == "toteutettu") & (pl.col("end_date") <= as_of))
    described = completed.filter(
        pl.col("change_in_operations").is_not_null()
        & pl.col("benefits").is_not_null()
        & pl.col("method").is_not_null()
    )
    _open(browser, project["sites"]["fi"])
    rows = browser.find_element(By.ID, "rows-engagements_completed")
    assert not rows.is_displayed()
    browser.find_element(By.CSS_SELECTOR, '[data-indicator="engagements_completed"]').click()
    WebDriverWait(browser, 10).until(lambda d: rows.is_displayed())
    assert int(rows.get_attribute("data-count")) == completed.height
    assert sorted(_all_ids(browser, "rows-engagements_completed")) == sorted(
        completed["engagement_id"].to_list()
    )
    button = browser.find_element(By.CSS_SELECTOR, '[data-indicator="effects_described_share"]')
    button.send_keys(Keys.ENTER)  # the keyboard: focus it and press Enter
    shares = browser.find_element(By.ID, "rows-effects_described_share")
    WebDriverWait(browser, 10).until(lambda d: shares.is_displayed())
    assert button.get_attribute("aria-expanded") == "true"
    assert int(shares.get_attribute("data-count")) == described.height
    assert sorted(_all_ids(browser, "rows-effects_described_share")) == sorted(
        described["engagement_id"].to_list()
    )


def test_the_half_year_switch_shows_the_figures_as_reported(browser, project, capsys):
    now = _json(project["config"], capsys)["indicators"]["engagements_completed"]["value"]
    _open(browser, project["sites"]["fi"])
    options = [
        o.get_attribute("value") for o in browser.find_elements(By.CSS_SELECTOR, "#period option")
    ]
    assert options == ["2017H2", "2018H1"]  # the reported half-year, then now
    figure = browser.find_element(By.CSS_SELECTOR, '[data-indicator="engagements_completed"]')
    Select(browser.find_element(By.ID, "period")).select_by_value("2017H2")
    assert figure.get_attribute("data-value") == "7"  # as the report recorded it
    assert figure.find_element(By.CSS_SELECTOR, ".value").text == "7"
    assert "2017H2" in browser.find_element(By.ID, "period-note").text
    Select(browser.find_element(By.ID, "period")).select_by_value("2018H1")
    assert json.loads(figure.get_attribute("data-value")) == now


def test_each_owner_block_lists_their_findings_with_sheet_row_and_column(browser, project):
    _open(browser, project["sites"]["fi"])
    owner = project["owner"]
    block = browser.find_element(By.CSS_SELECTOR, f'#findings [data-owner="{owner}"]')
    assert block.get_attribute("id").startswith("owner-")
    cells = [
        [td.text for td in tr.find_elements(By.TAG_NAME, "td")]
        for tr in block.find_elements(By.CSS_SELECTOR, "tbody tr[data-id]")
    ]
    assert ["Toimeksiannot", "6", "Elämänpolku"] in [c[:3] for c in cells]
    owners = {
        b.get_attribute("data-owner")
        for b in browser.find_elements(By.CSS_SELECTOR, "[data-owner]")
    }
    assert len(owners) == len(browser.find_elements(By.CSS_SELECTOR, "[data-owner]"))


def test_no_feedback_comment_nor_owner_address_outside_their_own_findings(project):
    book = openpyxl.load_workbook(project["folder"] / "seuranta.xlsx", read_only=True)
    sheet = book["Palaute"]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    col = header.index("Avoin palaute")
    comments = {r[col] for r in sheet.iter_rows(min_row=2, values_only=True) if r[col]}
    assert comments  # the sample has comments to leak
    site = project["sites"]["fi"]
    text = "\n".join(p.read_text(encoding="utf-8") for p in site.rglob("*") if p.is_file())
    assert [c for c in comments if str(c) in text] == []
    register = _data(site / "data.js")["tables"]["engagements"]
    assert register["cols"][register["idcol"]]  # the ids: the first column, Tunnus
    assert not any("@" in text for column in register["cols"] for text in column)


def test_nothing_is_requested_from_outside_the_folder(browser, project):
    site = project["sites"]["fi"]
    requests_leaving(browser, site)  # empty the log
    _open(browser, site)
    for figure in browser.find_elements(By.CSS_SELECTOR, "[data-indicator]"):
        figure.click()  # loads every figure's rows
    WebDriverWait(browser, 10).until(
        lambda d: all(
            e.is_displayed() for e in d.find_elements(By.CSS_SELECTOR, "table[id^=rows-]")
        )
    )
    assert requests_leaving(browser, site) == []


@pytest.mark.parametrize("lang", ["fi", "en"])
@pytest.mark.parametrize("width", [1000, 390])
def test_accessible_and_never_sideways_on_a_phone(browser, project, lang, width):
    site = project["sites"][lang]
    _open(browser, site, width)
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == lang
    browser.find_element(By.CSS_SELECTOR, '[data-indicator="branches_covered"]').click()
    WebDriverWait(browser, 10).until(
        lambda d: d.find_element(By.ID, "rows-branches_covered").is_displayed()
    )
    assert axe_violations(browser) == []
    assert horizontal_overflow(browser) == 0


def test_english_page_speaks_english(project):
    page = (project["sites"]["en"] / "index.html").read_text(encoding="utf-8")
    assert "Engagements" in page and "All branches" in page
    assert "Toimeksiannot</h2>" not in page


def test_a_folder_of_other_files_is_refused_and_kept(project, tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    argv = ["site", "--out", str(tmp_path), "--as-of", AS_OF, "--config", str(project["config"])]
    assert main(argv) == 2
    assert "not an empty folder" in capsys.readouterr().err
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_the_site_is_small_at_the_teams_scale(project):
    site = project["sites"]["fi"]
    assert sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) < 2_000_000
