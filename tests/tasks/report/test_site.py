"""The site channel's pure parts, on hand-made frames: the register as it stood at the as-of
date, the rows behind each figure's numerator, text cells in the page's language without
personal data, the figures' JSON attribute texts, the owner anchors the nudges link to, the
folder swapped in whole and a foreign folder refused."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from schemas.catalogue import translate
from schemas.errors import ConfigError
from schemas.findings import Finding, Severity
from schemas.report import ReportContext
from schemas.results import IndicatorId
from schemas.site import SiteContext, owner_anchor, owner_link, owner_slug
from tasks._files import replace_folder
from tasks.indicators import compute_indicators
from tasks.report.site import publish, render_site
from tasks.report.site.figures import figures, trend
from tasks.report.site.page import owner_blocks
from tasks.report.site.tables import behind, findings_table, register_table, rows_table
from tasks.report.view import build_view
from tests.support.frames import assessments, engagement, feedback, frames, settings

AS_OF = date(2017, 1, 8)


@pytest.fixture
def inputs():
    return frames(
        [
            engagement("A", end=date(2017, 1, 3), owner="maija@vk.fi"),
            engagement("B", end=date(2017, 1, 5), method=None, branch="STM"),
            engagement("C", end=date(2017, 1, 20)),  # completed after the as-of date
            engagement("D", status="käynnissä", start=date(2017, 1, 7), branch="OM"),
            engagement("E", status="suunnitteilla", start=date(2017, 1, 9)),  # not yet started
        ],
        [
            {**feedback("R1", "A", date(2017, 1, 4), 5), "comment": "Maija oli loistava"},
            feedback("R2", "B", date(2017, 1, 6), 3),
        ],
        principle_rows=assessments("2017H1", "Kärki", "toen....."),
    )


def test_the_register_is_as_it_stood_on_the_as_of_date(inputs):
    table = register_table(inputs.engagements, AS_OF, "fi")
    assert list(table.ids) == ["A", "B", "C", "D"]  # E starts the day after
    assert list(table.branches) == ["VM", "STM", "VM", "OM"]
    assert table.columns[:2] == ("Tunnus", "Toimeksianto")
    assert "Vastuuhenkilö" not in table.columns  # an address is personal data
    sent = table.to_json()  # ids and branch codes are columns shown: named, not sent twice
    assert (sent["idcol"], sent["branchcol"]) == (0, table.columns.index("Hallinnonala"))
    assert "ids" not in sent and "branch" not in sent
    start = table.columns.index("Alkupäivä")
    assert table.cells[start][3] == "7.1.2017"
    status, end = table.columns.index("Tila"), table.columns.index("Päättymispäivä")
    # C was completed on 20.1.2017, after the as-of date: on 8.1.2017 it was under way.
    assert [table.cells[status][i] for i in range(4)] == [
        "toteutettu",
        "toteutettu",
        "käynnissä",
        "käynnissä",
    ]
    assert [table.cells[end][i] for i in range(3)] == ["3.1.2017", "5.1.2017", ""]


def test_english_cells_read_in_english(inputs):
    table = register_table(inputs.engagements, AS_OF, "en")
    status = table.columns.index("Status")
    start = table.columns.index("Start date")
    assert table.cells[status][0] == "completed"
    assert table.cells[start][3] == "7 January 2017"


def test_the_rows_behind_a_figure_are_its_numerator_rows(inputs):
    result = compute_indicators(inputs, AS_OF, settings()).results
    assert behind(result[IndicatorId.ENGAGEMENTS_COMPLETED])["engagement_id"].to_list() == [
        "A",
        "B",
    ]
    described = rows_table(result[IndicatorId.EFFECTS_DESCRIBED_SHARE], "fi")
    assert list(described.ids) == ["A"]  # B lacks its method
    assert described.columns[0] == "Rivi"
    assessed = behind(result[IndicatorId.PRINCIPLES_ASSESSED_SHARE])
    assert sorted(assessed["principle"].to_list()) == ["1", "2", "3"]  # t, o, e; not n or blank
    answers = rows_table(result[IndicatorId.QUICK_SATISFACTION_MEAN], "fi")
    assert list(answers.ids) == ["R1", "R2"]
    assert all("Maija" not in text for col in answers.cells for text in col)


def test_figures_carry_the_json_numbers_as_text(inputs):
    ind = compute_indicators(inputs, AS_OF, settings())
    shown = figures(ind, "fi")
    data = ind.to_json()["indicators"]
    for key, figure in shown.items():
        assert json.loads(figure.value) == data[key]["value"]
        assert figure.status == data[key]["status"]
        assert figure.target == (json.dumps(data[key]["target"]) if "target" in data[key] else None)
    assert shown["engagements_completed"].value == "2"
    assert shown["effects_described_share"].shown == "50\u00a0%"
    words = {k: f.word for k, f in figures(ind, "fi", deadline=AS_OF).items()}  # the last day
    assert words["engagements_completed"] in {"saavutettu", "ei saavutettu"}
    assert set(words.values()) <= {"saavutettu", "ei saavutettu", "ei tietoa"}


def test_the_trend_names_every_point_for_a_screen_reader(inputs):
    early = compute_indicators(inputs, date(2017, 1, 4), settings())
    now = compute_indicators(inputs, AS_OF, settings())
    line = trend("engagements_completed", [early, now], "fi")
    assert [p.label for p in line.points] == ["4.1.2017: 1", "8.1.2017: 2"]
    assert line.points[-1].now and not line.points[0].now
    assert "4.1.2017: 1; 8.1.2017: 2" in line.title
    assert line.points[0].y > line.points[1].y  # higher values are drawn higher


def _finding(row: int, owner: str, value: str = "", severity: Severity = Severity.WARNING):
    return Finding(
        "engagements", "seuranta.xlsx", "Toimeksiannot", row, "Elämänpolku", value, "expected",
        severity, "suositeltava tieto puuttuu", f"E{row}", owner,
    )  # fmt: skip


def test_findings_go_to_their_owner_and_never_show_a_cells_value():
    findings = [
        _finding(3, "b@vk.fi", "maija.meikalainen@vk.fi"),
        _finding(4, ""),
        _finding(5, "b@vk.fi", severity=Severity.BLOCKING),
    ]
    blocks = owner_blocks(findings, "lead@vk.fi", "fi")
    assert [(b.owner, b.table.count, b.blocking) for b in blocks] == [
        ("b@vk.fi", 2, 1),
        ("lead@vk.fi", 1, 0),  # rows without an owner are the team lead's, as in the nudges
    ]
    table = findings_table("x", findings[:1], "fi")
    assert [col[0] for col in table.cells] == [
        "Toimeksiannot",
        "3",
        "Elämänpolku",
        "E3",
        "suositeltava tieto puuttuu",
    ]
    assert "maija.meikalainen@vk.fi" not in json.dumps(table.to_json())
    english = findings_table("x", findings[:1], "en", written_in="fi")
    assert english.cells[-1] == [translate("en", "rule.expected")]  # not the Finnish sentence


def test_owner_anchors_are_plain_and_links_need_an_address():
    assert owner_slug("Maija.Meikäläinen@VK.fi") == "maija-meikalainen-vk-fi"
    assert owner_anchor("a@b.fi") == "owner-a-b-fi"
    assert owner_link("", "a@b.fi") == ""
    assert owner_link("https://x.fi/d9/", "a@b.fi") == "https://x.fi/d9/index.html#owner-a-b-fi"


def test_the_folder_is_replaced_whole_and_a_failed_write_keeps_the_old_one(tmp_path, monkeypatch):
    site = tmp_path / "site"
    replace_folder(site, {"index.html": b"old", "rows/a.js": b"a"})
    replace_folder(site, {"index.html": b"new"})
    assert sorted(p.name for p in site.rglob("*")) == ["index.html"]
    assert (site / "index.html").read_bytes() == b"new"

    def fail(self: Path, data: bytes) -> int:
        raise OSError("disk full")

    monkeypatch.setattr(Path, "write_bytes", fail)
    with pytest.raises(OSError):
        replace_folder(site, {"index.html": b"newer"})
    monkeypatch.undo()
    assert (site / "index.html").read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["site"]  # nothing half-written left


def test_a_folder_of_other_files_is_refused(tmp_path):
    (tmp_path / "mine.txt").write_text("keep", encoding="utf-8")
    with pytest.raises(ConfigError, match="not an empty folder"):
        publish(tmp_path, {"index.html": b""})
    assert (tmp_path / "mine.txt").exists()


def test_the_page_names_its_language_and_its_hooks(inputs):
    ind = compute_indicators(inputs, AS_OF, settings())
    for lang in ("fi", "en"):
        view = build_view(ReportContext(ind, datetime(2017, 1, 9, 8, 0), language=lang))
        ctx = SiteContext(
            view, ind, (), inputs.engagements, (_finding(3, "b@vk.fi"),), "lead@vk.fi"
        )
        files = render_site(ctx)
        page = files["index.html"].decode()
        assert f'<html lang="{lang}">' in page
        assert page.count("data-indicator=") == 7
        assert '<table id="engagements" data-table="engagements" data-count="4">' in page
        assert 'data-owner="b@vk.fi" id="owner-b-vk-fi"' in page
        assert "http://" not in page and "https://" not in page  # nothing from outside
        assert [f for f in files if f.startswith("rows/")] == []  # small: all in data.js


def test_now_is_its_half_year_unless_that_half_year_was_reported(inputs):
    reported = compute_indicators(inputs, date(2016, 12, 31), settings(start=date(2016, 9, 1)))
    now = compute_indicators(inputs, date(2017, 6, 30), settings())
    view = build_view(ReportContext(now, datetime(2017, 7, 1, 8, 0)))

    def options(*earlier):
        page = render_site(SiteContext(view, now, earlier, inputs.engagements))
        switch = page["index.html"].decode().split('<select id="period">')[1].split("</select>")[0]
        return re.findall(r'<option value="([^"]*)"', switch)

    assert options(reported) == ["2016H2", "2017H1"]
    again = replace(now, fingerprint="as reported")
    assert options(reported, again) == ["2016H2", "2017H1", "2017-06-30"]
