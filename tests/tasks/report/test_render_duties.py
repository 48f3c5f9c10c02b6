"""The report's deregulation log and the context figures beside the previous half-year, on the
hand-built indicators of tests/support/indicators.py (D9-007 found 1.3.2017 by its start date and
passed on; D9-031 found 3.4.2018, new, not passed on; shares 40 % -> 45 %, Kela 2 -> 3)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import polars as pl

from schemas.report import ReportContext
from tasks.report import render_report
from tests.support.indicators import example_indicators


def _render(language: str, **changes: object):
    indicators = replace(example_indicators(), **changes) if changes else example_indicators()
    return render_report(ReportContext(indicators, datetime(2018, 7, 2, 8, 15), language=language))


def test_the_log_is_cumulative_marks_new_ones_and_those_not_passed_on() -> None:
    text = _render("fi").text
    assert "Sääntelyesteitä on havaittu yhteensä 2. Niistä yksi havaittiin tällä" in text
    assert (
        "Yksi on vielä välittämättä. Sääntelyesteiden vastaanottaja: valtiovarainministeriö."
        in text
    )
    assert "(havaittu 1.3.2017*; välitetty: VM 5/2017)" in text
    assert "(havaittu 3.4.2018, uusi; ei vielä välitetty)" in text
    assert "* Havaintopäivä puuttuu (1): käytetty toimeksiannon alkupäivää." in text
    html = _render("en").html
    assert "not yet passed on" in html and "VM 5/2017" in html
    assert "Date found missing (1): the engagement&#39;s start date is used." in html


def test_without_obstacles_the_section_is_left_out() -> None:
    ind = example_indicators()
    context = {k: f for k, f in ind.context.items() if k != "deregulation_opportunities"}
    report = _render("fi", context=context)
    assert "normienpurku" not in report.text.lower() and "normienpurku" not in report.html.lower()


def test_trended_figures_show_the_previous_half_year_beside_this_one() -> None:
    text = _render("fi").text
    section = text.split("== Muut tunnusluvut edelliseen puolivuotiskauteen verrattuna", 1)[1]
    assert section.startswith(" (1.7.–31.12.2017 → 1.1.–30.6.2018) ==")
    assert "- Osuus: 40\u00a0% → 45\u00a0%" in section
    assert (
        "- Kela: 2 → 3\n- Verohallinto: 0 → 2\n"
        "- Asiakkaita, joilla useampi toimeksianto / kaikki asiakkaat: 1/19 → 2/25"
    ) in section
    # A trended figure is shown once, in the trend table, not again among the other figures.
    assert text.count("Toimeksiannot, joissa vaikutettiin strategisiin valintoihin") == 1


def test_appendix_names_the_columns_the_log_adds() -> None:
    from tasks.report.appendix import column_header

    assert column_header("found_on_assumed", "fi") == "Havaintopäivänä alkupäivä"
    assert column_header("passed_on", "en") == "Passed on"
    assert column_header("regulatory_found_on", "fi") == "Sääntelyeste havaittu"


def test_a_long_log_is_capped_in_the_mail_with_the_pressing_ones_first() -> None:
    from tasks.report.tables import DEREGULATION_ROWS

    figure = example_indicators().context["deregulation_opportunities"]
    old, new = figure.rows.row(0, named=True), figure.rows.row(1, named=True)  # D9-007, D9-031
    rows = [{**old, "engagement_id": f"OLD-{i:03d}"} for i in range(40)]
    rows += [{**new, "engagement_id": f"NEW-{i:03d}"} for i in range(5)]
    many = replace(figure, rows=pl.DataFrame(rows, schema=figure.rows.schema))
    context = {**example_indicators().context, "deregulation_opportunities": many}
    text = _render("fi", context=context).text
    listed = [line for line in text.splitlines() if line.startswith(("- OLD-", "- NEW-"))]
    assert len(listed) == DEREGULATION_ROWS == 30
    assert sum(line.startswith("- NEW-") for line in listed) == 5  # every new one is shown
    assert listed[0].startswith("- OLD-000") and listed[-1].startswith("- NEW-004")
    assert "Luettelossa on 30 sääntelyestettä" in text and "kaikkiaan niitä on 45" in text
