"""The report as a PDF for the meeting papers.

Contract: `report_pdf` renders the same HTML as the email with WeasyPrint into an A4 PDF whose
every page has the period and the as-of date in its footer and "Sivu n / N" (fi) or
"Page n of N" (en); the charts are embedded from memory; nothing else is fetched.
"""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader

from schemas.report import ReportContext
from tasks.report.charts import branch_chart
from tasks.report.html import render_report
from tasks.report.pdf import css_content, report_pdf
from tests.support.indicators import (
    GENERATED_AT,
    example_findings,
    example_indicators,
    example_trends,
)

A4 = (595, 842)  # points


def _pdf(language: str) -> PdfReader:
    ctx = ReportContext(
        example_indicators(), GENERATED_AT, example_trends(), example_findings(), language
    )
    return PdfReader(io.BytesIO(report_pdf(render_report(ctx), ctx)))


@pytest.fixture(scope="module")
def fi() -> PdfReader:
    return _pdf("fi")


def test_a4_pages_with_period_as_of_and_page_numbers(fi: PdfReader) -> None:
    pages = len(fi.pages)
    assert pages >= 2
    for n, page in enumerate(fi.pages, start=1):
        size = (round(float(page.mediabox.width)), round(float(page.mediabox.height)))
        assert size == A4
        text = page.extract_text()
        assert "D9-tilannekuva 1.1.–30.6.2018 · tilanne 30.6.2018" in text
        assert f"Sivu {n} / {pages}" in text


def test_same_content_as_the_mail(fi: PdfReader) -> None:
    text = "".join(page.extract_text() for page in fi.pages)
    for words in (
        "Yhteenveto",
        "Tavoitteita on 7: aikataulussa 2, lähellä tavoitetta 4, jäljessä 1.",
        "Mitä puolivuotiskaudella tapahtui",
        "Periaatteiden toteutuminen kärkihankkeissa",
    ):
        assert words in text.replace("\n", " "), words
    images = {img.data for page in fi.pages for img in page.images}
    assert len(images) == 3  # the three charts, embedded


def test_english_footer() -> None:
    text = _pdf("en").pages[0].extract_text()
    assert "D9 situation report 1 January – 30 June 2018 · as of 30 June 2018" in text
    assert "Page 1 of " in text


def test_page_label_becomes_css_counters() -> None:
    assert css_content("Sivu {page} / {pages}") == '"Sivu " counter(page) " / " counter(pages)'
    assert css_content('Page "{page}"') == '"Page \\"" counter(page) "\\""'


def test_nothing_but_its_own_images_is_fetched(tmp_path: Path) -> None:
    ctx = ReportContext(example_indicators(), GENERATED_AT, language="fi")
    rendered = render_report(ctx)
    other = tmp_path / "other.png"
    other.write_bytes(branch_chart(["VM"], {"covered": "a", "missing": "b"}))  # not in the mail
    outside = rendered.html.replace("</body>", f'<img src="{other.as_uri()}"></body>')
    pdf = PdfReader(io.BytesIO(report_pdf(replace(rendered, html=outside), ctx)))
    images = {img.data for page in pdf.pages for img in page.images}
    assert len(images) == len(rendered.images)  # the file was not read
