"""The report as a PDF for the meeting papers.

Contract: `render_pdf` lays the report view out with its own print template and CSS (not the
mail's HTML) into an A4 PDF whose every page has the period and the as-of date in its footer
and "Sivu n / N" (fi) or "Page n of N" (en); the charts are embedded from the view as data:
URIs; nothing else is fetched; the PDF is tagged (PDF/UA-1) in the report's language with its
title, every data table tagged with a header row that repeats after a page break, every key
project of the matrix in it, a chart's caption on the chart's page, numbers right-aligned.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from schemas.report import ReportContext
from schemas.view import ReportView
from tasks.report.charts import satisfaction_chart
from tasks.report.pdf import css_content, html_to_pdf, page_css, print_html, render_pdf
from tasks.report.view import build_view
from tests.support.indicators import (
    GENERATED_AT,
    example_findings,
    example_indicators,
    example_trends,
)

A4 = (595, 842)  # points


def _view(language: str) -> ReportView:
    ctx = ReportContext(
        example_indicators(), GENERATED_AT, example_trends(), example_findings(), language
    )
    return build_view(ctx)


def _pdf(language: str) -> PdfReader:
    return PdfReader(io.BytesIO(render_pdf(_view(language))))


@pytest.fixture(scope="module")
def fi_view() -> ReportView:
    return _view("fi")


@pytest.fixture(scope="module")
def fi(fi_view: ReportView) -> PdfReader:
    return PdfReader(io.BytesIO(render_pdf(fi_view)))


def test_a4_pages_with_period_as_of_and_page_numbers(fi: PdfReader) -> None:
    pages = len(fi.pages)
    assert 2 <= pages <= 5  # the mail's HTML laid out for print took 7
    for n, page in enumerate(fi.pages, start=1):
        size = (round(float(page.mediabox.width)), round(float(page.mediabox.height)))
        assert size == A4
        text = page.extract_text()
        assert "D9-tilannekuva 1.1.–30.6.2018 · tilanne 30.6.2018" in text
        assert f"Sivu {n} / {pages}" in text


def test_same_content_as_the_mail(fi: PdfReader) -> None:
    text = " ".join(page.extract_text() for page in fi.pages).replace("\n", " ")
    for words in (
        "Yhteenveto",
        "Tavoitteita on 7: aikataulussa 2, lähellä tavoitetta 4, jäljessä 1.",
        "Mitä puolivuotiskaudella tapahtui",
        "Periaatteiden toteutuminen kärkihankkeissa",
        "Tahti on 1,8 toimeksiantoa kuukaudessa",
        "Asiantuntemus 4,50 (✓ vihreä)",
        "Havaitut sääntelyesteet",
        "Toimintasuunnitelman kausi 8.9.2016–31.12.2018.",
    ):
        assert words in text, words
    images = {img.data for page in fi.pages for img in page.images}
    assert len(images) == 2  # the two charts, embedded


def test_print_html_is_its_own_not_the_mails(fi_view: ReportView) -> None:
    html = print_html(fi_view)
    assert html.startswith("<!DOCTYPE html>") and '<html lang="fi">' in html
    assert "bgcolor=" not in html and 'role="presentation"' not in html  # no mail workarounds
    assert "cid:" not in html
    sources = re.findall(r'<img src="([^"]+)" alt="([^"]+)"', html)
    assert len(sources) == 2 and all(s.startswith("data:image/png;base64,") for s, _ in sources)
    assert html.count("<thead>") >= 5  # header rows repeat on page breaks
    # Numbers right-aligned: the trend table's values and the data-quality counts.
    assert '<td class="num">4,19</td>' in html and '<td class="num">3</td>' in html


def test_english_footer() -> None:
    text = _pdf("en").pages[0].extract_text()
    assert "D9 situation report 1 January – 30 June 2018 · as of 30 June 2018" in text
    assert "Page 1 of " in text


def test_tagged_pdf_in_the_report_language(fi: PdfReader) -> None:
    catalog = fi.trailer["/Root"]
    assert catalog["/Lang"] == "fi"
    assert catalog["/MarkInfo"]["/Marked"]  # a BooleanObject
    assert "/StructTreeRoot" in catalog


def test_page_label_becomes_css_counters(fi_view: ReportView) -> None:
    assert css_content("Sivu {page} / {pages}") == '"Sivu " counter(page) " / " counter(pages)'
    assert css_content('Page "{page}"') == '"Page \\"" counter(page) "\\""'
    assert "size: A4;" in page_css(fi_view)


def test_nothing_but_its_own_images_is_fetched(tmp_path: Path) -> None:
    view = build_view(ReportContext(example_indicators(), GENERATED_AT, language="fi"))
    other = tmp_path / "other.png"
    labels = {"target": "a", "actual": "b", "unit": "c", "target_value": "d"}
    other.write_bytes(satisfaction_chart([(date(2018, 6, 30), 4.0)], 4.0, ",", labels))
    html = print_html(view).replace("</body>", f'<img src="{other.as_uri()}" alt="x"></body>')
    pdf = PdfReader(io.BytesIO(html_to_pdf(html, page_css(view))))
    images = {img.data for page in pdf.pages for img in page.images}
    assert len(images) == len(view.charts)  # the file was not read


def _structure(pdf: PdfReader) -> Counter[str]:
    """Count the tagged structure elements of a PDF by type (/Table, /THead, /Figure, ...)."""
    counts: Counter[str] = Counter()

    def walk(node: object) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            for kid in node:
                walk(kid)
        elif isinstance(node, dict):
            if "/S" in node:
                counts[str(node["/S"])] += 1
            if "/K" in node:
                walk(node["/K"])

    walk(pdf.trailer["/Root"]["/StructTreeRoot"])
    return counts


def test_every_data_table_is_tagged_with_a_header_row_and_the_document_has_a_title(
    fi: PdfReader, fi_view: ReportView
) -> None:
    tags = _structure(fi)
    tables = print_html(fi_view).count("<table")
    assert tags["/Table"] == tags["/THead"] == tables >= 8
    assert tags["/Figure"] == 2 and tags["/H1"] == 1
    assert fi.metadata is not None and fi.metadata.title == "D9-tilannekuva 1.1.–30.6.2018"
    assert fi.trailer["/Root"]["/ViewerPreferences"]["/DisplayDocTitle"]


def test_header_rows_repeat_and_captions_stay_with_their_charts(fi_view: ReportView) -> None:
    # 40 key projects: the matrix runs over a page break; every key project is in the PDF.
    assert fi_view.matrix is not None
    rows = tuple(
        replace(row, project=f"Kärkihanke {n:02d}")
        for n, row in enumerate(fi_view.matrix.rows * 14, start=1)
    )[:40]
    view = replace(fi_view, matrix=replace(fi_view.matrix, rows=rows, total=40))
    pdf = PdfReader(io.BytesIO(render_pdf(view)))
    pages = [page.extract_text() for page in pdf.pages]
    with_projects = [text for text in pages if "Kärkihanke 0" in text or "Kärkihanke 4" in text]
    assert len(with_projects) >= 2  # the matrix is split over pages
    assert all(re.search(r"Kärkihanke\s+1\s+2\s+3\s+4\s+5", text) for text in with_projects)
    assert all(f"Kärkihanke {n:02d}" in " ".join(pages) for n in range(1, 41))
    for chart in view.charts:
        on = [text for page, text in zip(pdf.pages, pages, strict=True) if page.images]
        assert any(chart.caption in text.replace("\n", " ") for text in on), chart.id


def test_numbers_are_right_aligned_by_css_not_attributes(fi_view: ReportView) -> None:
    html = print_html(fi_view)
    assert " align=" not in html and "th.num, td.num { text-align: right; }" in html
    assert re.search(r'<td class="num">\d', html)
