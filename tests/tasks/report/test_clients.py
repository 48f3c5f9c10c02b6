"""The report as its readers get it: a phone's browser, Gmail's size limit, axe-core.

Contract: the mail's HTML fits a 320, 360 and 390 px wide screen without sideways scrolling
(headless Chromium at true phone widths) on the bundled data and on a register the repository
does not hold (35 key projects with long names, an obstacle with long Finnish words on every
engagement); its HTML part as `tasks.deliver` encodes it (quoted-printable) stays within
100,000 bytes on both, so Gmail (which clips past about 102 KB) shows it to its contact line;
a report too big for that is sent compact, the matrix and the obstacle list left to the PDF and
the appendix with a sentence; axe-core finds no WCAG 2.1 A/AA violation, in Finnish or English.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from schemas.mail import Message
from schemas.report import RenderedReport, ReportContext, TrendPoint
from schemas.settings import load_settings
from schemas.view import DeregulationLog, Obstacle, ReportView
from tasks.deliver.mime import build_mime
from tasks.indicators import compute_indicators
from tasks.load import load_inputs
from tasks.report.mail import HTML_BUDGET, render_mail
from tasks.report.view import build_view
from tests.support.browser import axe_violations, browser, horizontal_overflow, open_page
from tests.support.indicators import GENERATED_AT
from tests.support.project import edited_sheet, sample_project

__all__ = ["browser"]

pytestmark = pytest.mark.slow

LEAD = "tiimivetaja@example.org"
KEY_PROJECTS = 35
LONG_PROJECT = "Sosiaali- ja terveydenhuollon asiakastietojärjestelmäkokonaisuus {n}"
LONG_OBSTACLE = (
    "Henkilöllisyyden todentamisvaatimus ja hakemuksen allekirjoitusvaatimus estävät täysin "
    "sähköisen asioinnin (ulkomaalaislupahakemuslomakevaatimukset)."
)
ASSESSMENTS = ("toteutuu", "osittain", "ei toteudu", "ei arvioitavissa", None)
REVIEW = "Tavoitteet etenevät. **Päätettävää:** hallinnonalojen kattavuus <b>ei HTML:ää</b>."


def _big_register(folder: Path) -> Path:
    """The sample workbook with 35 key projects per half-year and an obstacle on every row."""
    config = sample_project(folder)
    book_path = folder / "seuranta.xlsx"
    book = openpyxl.load_workbook(book_path)
    cycle = itertools.cycle(ASSESSMENTS)
    for title in ("Digiperiaatteet 2017H2", "Digiperiaatteet 2018H1"):
        sheet = book[title]
        for n in range(sheet.max_row - 2, KEY_PROJECTS):
            sheet.append([LONG_PROJECT.format(n=n + 1), *(next(cycle) for _ in range(9))])
    book.save(book_path)
    with edited_sheet(book_path, "Toimeksiannot") as sheet:
        for row in range(sheet.header_row + 1, sheet.sheet.max_row + 1):
            if sheet.get(row, "Tunnus"):
                sheet.set(row, "Sääntelyesteet", LONG_OBSTACLE)
    return config


def _context(config: Path, language: str) -> ReportContext:
    """The report of 2018H1 with the two earlier half-years as reported before it."""
    settings = load_settings(config)
    frames = load_inputs(settings).frames()
    dates = (date(2017, 6, 30), date(2017, 12, 31), date(2018, 6, 30))
    earlier, before, now = (compute_indicators(frames, d, settings) for d in dates)
    trends = {
        i: [
            TrendPoint(ind.as_of, ind.results[i].value, ind.results[i].status)
            for ind in (earlier, before)
        ]
        for i in now.results
    }
    return ReportContext(
        now, GENERATED_AT, trends, (), language, contact=LEAD, previous=before, commentary=REVIEW
    )


@pytest.fixture(scope="module")
def registers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("clients")
    return {"bundled": sample_project(root / "bundled"), "big": _big_register(root / "big")}


@pytest.fixture(scope="module")
def views(registers: dict[str, Path]) -> dict[tuple[str, str], ReportView]:
    return {
        (name, lang): build_view(_context(config, lang))
        for name, config in registers.items()
        for lang in ("fi", "en")
    }


def html_part_as_sent(report: RenderedReport) -> int:
    """The bytes of the HTML part as the delivery stage transmits it."""
    message = Message(
        to=("seurantaryhma@example.org",),
        subject=report.subject,
        html=report.html,
        text=report.text,
        sender="d9@example.org",
        inline_images=report.images,
    )
    mime = build_mime(message, message_id="<1.2@example.org>", now=GENERATED_AT)
    part = next(p for p in mime.walk() if p.get_content_type() == "text/html")
    assert part["Content-Transfer-Encoding"] == "quoted-printable"
    return len(part.get_payload())


def _page(folder: Path, report: RenderedReport, name: str) -> Path:
    """The HTML as a mail client shows it: the cid: images as files beside it."""
    html = report.html
    for cid, png in report.images.items():
        (folder / f"{cid}.png").write_bytes(png)
        html = html.replace(f"cid:{cid}", f"{cid}.png")
    page = folder / f"{name}.html"
    page.write_text(html, encoding="utf-8")
    return page


# --- size: Gmail does not clip it ------------------------------------------------------------


@pytest.mark.parametrize("register", ["bundled", "big"])
@pytest.mark.parametrize("language", ["fi", "en"])
def test_the_html_part_as_sent_stays_under_the_budget(views, register, language):
    view = views[(register, language)]
    report = render_mail(view)
    assert html_part_as_sent(report) <= 100_000
    assert LEAD in report.html  # the contact line at the very end is there
    if register == "big":
        assert view.matrix is not None and view.matrix.total == KEY_PROJECTS
        assert len(report.html.split('class="p"')) - 1 == 30  # the mail shows the first 30


def test_a_report_over_the_budget_leaves_matrix_and_obstacles_to_the_attachments(views):
    view = views[("big", "fi")]
    # 30 obstacles of 4,000 characters each: no mail can carry them under the budget.
    long = Obstacle(
        "D9-1", "Toimeksianto", "sääntelyeste " * 300, date(2018, 3, 1), False, True, None
    )
    log = DeregulationLog(items=(long,) * 30, total=42, new=30, not_passed=30)
    report = render_mail(replace(view, deregulation_log=log))
    assert html_part_as_sent(report) <= HTML_BUDGET
    assert "sääntelyeste sääntelyeste" not in report.html
    assert "Sääntelyesteiden luettelo (42) on liitteenä olevassa PDF-tiedostossa" in report.html
    assert f"arviotaulukko ({KEY_PROJECTS} kärkihanketta) on liitteenä" in report.html
    assert 'class="mx"' not in report.html
    assert LEAD in report.html
    # The plain text alternative is not clipped: it keeps the list.
    assert "sääntelyeste sääntelyeste" in report.text


# --- a phone: no sideways scrolling ----------------------------------------------------------


@pytest.mark.parametrize("register", ["bundled", "big"])
def test_no_sideways_scrolling_on_a_phone(browser, views, register, tmp_path):
    for language in ("fi", "en"):
        page = _page(tmp_path, render_mail(views[(register, language)]), f"{register}_{language}")
        for width in (320, 360, 390):
            open_page(browser, page, width=width)
            assert horizontal_overflow(browser) == 0, (language, width)


# --- accessibility -------------------------------------------------------------------------


@pytest.mark.parametrize("register", ["bundled", "big"])
def test_axe_finds_no_wcag_a_or_aa_violation(browser, views, register, tmp_path):
    for language in ("fi", "en"):
        page = _page(tmp_path, render_mail(views[(register, language)]), f"{register}_{language}")
        for width in (390, 1000):
            open_page(browser, page, width=width)
            assert axe_violations(browser) == [], (language, width)


def test_the_review_is_escaped_and_changes_come_right_under_the_headline(views):
    html = render_mail(views[("bundled", "fi")]).html
    assert "<strong>Päätettävää:</strong>" in html
    assert "&lt;b&gt;ei HTML:ää&lt;/b&gt;" in html and "<b>ei HTML" not in html
    order = [
        html.index(s)
        for s in (
            "Yhteenveto",
            "Muutokset edellisestä raportista",
            "Tiimin vetäjän katsaus",
            "Tavoitekohtainen tilanne",
        )
    ]
    assert order == sorted(order)
    assert "Verrattuna raporttiin, jonka tilanne oli 31.12.2017:" in html
