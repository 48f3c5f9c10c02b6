"""The rendered situation report.

Contract: `render_report` turns a `ReportContext` into a subject, an email-safe HTML body, a
plain-text body and the inline chart images; Finnish formats by default (3,96 · 30.6.2018 ·
96 %), English with language "en"; every traffic light carries its status word; user text is
escaped; every `cid:` image is attached and every attached image is shown; no external
resources; data-quality findings appear only as counts. The whole HTML and text are compared
with golden files in tests/golden/ (regenerate on purpose: D9_REGENERATE_GOLDEN=1).
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import jinja2
import pytest

from schemas.catalogue import translate
from schemas.report import RenderedReport, ReportContext
from schemas.results import (
    ContextFigure,
    IndicatorResult,
    Indicators,
    PrinciplesMatrix,
    Sample,
    Status,
)
from tasks.report.html import environment, render_report
from tasks.report.i18n import format_date, format_number, format_percent
from tasks.report.view import period_label
from tests.support.indicators import (
    GENERATED_AT,
    example_findings,
    example_indicators,
    example_trends,
    principle_matrix,
)

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
NBSP = "\u00a0"


def _context(language: str = "fi", indicators: Indicators | None = None) -> ReportContext:
    return ReportContext(
        indicators or example_indicators(),
        GENERATED_AT,
        example_trends(),
        example_findings(),
        language,
    )


@pytest.fixture(scope="module")
def fi() -> RenderedReport:
    return render_report(_context("fi"))


@pytest.fixture(scope="module")
def en() -> RenderedReport:
    return render_report(_context("en"))


# --- formats ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "language", "digits", "expected"),
    [
        (3.96, "fi", 2, "3,96"),
        (1234.5, "fi", 2, f"1{NBSP}234,50"),
        (1234567, "fi", 0, f"1{NBSP}234{NBSP}567"),
        (1234.5, "en", 2, "1,234.50"),
        (38, "en", 0, "38"),
        (None, "fi", 2, "–"),
    ],
    ids=["fi-decimal-comma", "fi-thousands", "fi-millions", "en", "en-int", "none"],
)
def test_format_number(value: float | None, language: str, digits: int, expected: str) -> None:
    assert format_number(value, language, digits) == expected


def test_percent_and_date_formats() -> None:
    assert format_percent(0.96, "fi") == f"96{NBSP}%"
    assert format_percent(0.96, "en") == "96%"
    assert format_percent(22 / 27, "fi") == f"81{NBSP}%"
    assert format_date(date(2018, 6, 30), "fi") == "30.6.2018"
    assert format_date("2018-06-30", "en") == "30 June 2018"
    assert format_date(date(2017, 1, 5), "fi") == "5.1.2017"


def test_period_label_names_the_half_year() -> None:
    ind = example_indicators()
    assert period_label(ind, "fi") == "1/2018"
    assert period_label(ind, "en") == "H1 2018"
    assert period_label(replace(ind, period=None, as_of=date(2018, 5, 15)), "fi") == "15.5.2018"


def test_catalogue_lookup_is_strict_unless_given_a_default() -> None:
    assert translate("fi", "status.green") == "tavoitteessa"
    assert translate("en", "status.red") == "behind"
    assert translate("fi", "context.nope", "Oletus") == "Oletus"
    with pytest.raises(KeyError):
        translate("fi", "no.such.key")
    with pytest.raises(ValueError):
        translate("sv", "title")


def test_environment_is_strict_and_escapes() -> None:
    env = environment()
    assert env is environment()  # one environment, built once
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ missing }}").render()
    assert env.from_string("{{ x }}").render(x="<b>") == "&lt;b&gt;"


# --- the report --------------------------------------------------------------------------------


def test_subject_and_title(fi: RenderedReport, en: RenderedReport) -> None:
    assert fi.subject == "D9-tilannekuva 1/2018"
    assert en.subject == "D9 situation report H1 2018"
    assert "Tilannekuva 1/2018" in fi.html and "Tilanne 30.6.2018" in fi.html
    assert "Situation report H1 2018" in en.html and "As of 30 June 2018" in en.html


def test_finnish_report_uses_finnish_formats_and_words(fi: RenderedReport) -> None:
    for text in (
        "3,96",
        "30.6.2018",
        f"97{NBSP}%",
        f"81{NBSP}%",
        "37/38",
        "25 vastausta",
        "vaatii huomiota",
        "jäljessä",
        "Puolustusministeriö",
        "Ympäristöministeriö",
        "Kierros 2017",
        "Asiantuntemus 4,50 (vihreä)",
        "31.5.2019",
        "Luotu 2.7.2018 klo 8.15",
    ):
        assert text in fi.html, text
        assert text in fi.text, text
    assert "3.96" not in fi.text


def test_english_report_uses_english_formats(en: RenderedReport) -> None:
    for text in (
        "3.96",
        "30 June 2018",
        "97%",
        "needs attention",
        "behind",
        "Ministry of Defence",
        "Ministry of the Environment",
        "Awakening",
    ):
        assert text in en.html, text
    assert "Puolustusministeriö" not in en.html


def test_every_light_has_a_word_beside_its_colour(fi: RenderedReport) -> None:
    # 6 yellow + 1 red goals, each a coloured cell and a status word.
    assert fi.html.count(">vaatii huomiota<") == 6
    assert fi.html.count(">jäljessä<") == 1
    assert fi.text.count("[KELTAINEN]") == 6 and fi.text.count("[PUNAINEN]") == 1


def test_principles_matrix_shows_cells_changes_and_legend(fi: RenderedReport) -> None:
    assert "Asiakaskeskeinen palvelu: 1=T 2=T 3=O↑ 4=T 5=E↓ 6=O 7=T 8=O 9=T" in fi.text
    assert "AuroraAI-esiselvitys: 1=O* 2=·" in fi.text
    assert "9. Nimeämme palvelulle ja sen toteutukselle omistajan" in fi.html
    assert fi.html.count('bgcolor="#ef5350"') >= 3  # three "ei toteudu" cells + the red goal


def test_data_quality_shows_counts_only(fi: RenderedReport) -> None:
    assert "Avoimia huomautuksia 5" in fi.text
    assert "- Toimeksiannot, suositeltu tieto puuttuu: 3" in fi.text
    assert "- anna@example.org: 3" in fi.text
    assert "- (ei vastuuhenkilöä): 2" in fi.text
    assert "Tieto puuttuu." not in fi.html  # a finding's sentence is not shown
    assert "D9-005" not in fi.html  # nor the rows it points at


def test_deregulation_opportunities_are_listed(fi: RenderedReport) -> None:
    assert "- D9-007 Toimeksianto 7: Henkilötietojen luovutus vaatii erillisen lain" in fi.text


def test_context_figures_render_generically() -> None:
    ind = example_indicators()
    new = ContextFigure("by_weekday", counts={"maanantai": 3})
    report = render_report(_context("fi", replace(ind, context={"by_weekday": new})))
    assert "By weekday" in report.text and "- Maanantai: 3" in report.text
    assert "Toimeksiannot palvelukonseptin mukaan" not in report.text


def test_user_text_is_escaped() -> None:
    ind = example_indicators()
    evil = "<script>alert(1)</script>"
    result = ind.results["principles_assessed_share"]
    matrix = {evil: principle_matrix()["Tulorekisteri"]}
    results = {
        **ind.results,
        result.id: replace(result, detail=PrinciplesMatrix("2018H1", matrix, {})),
    }
    report = render_report(_context("fi", replace(ind, results=results)))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in report.html
    assert "<script" not in report.html


def test_images_and_cids_match(fi: RenderedReport) -> None:
    cids = re.findall(r'src="cid:([^"]+)"', fi.html)
    assert sorted(cids) == sorted(fi.images) == ["branches", "engagements", "satisfaction"]
    for tag in re.findall(r"<img [^>]*>", fi.html):
        assert re.search(r'alt="[^"]+"', tag) and re.search(r'width="\d+"', tag)


def test_html_is_email_safe(fi: RenderedReport, en: RenderedReport) -> None:
    for html in (fi.html, en.html):
        assert not re.search(r"""(src|href)=["']?https?://""", html)
        assert "<style" not in html and "<script" not in html and "<link" not in html
        assert "display:flex" not in html and "display:grid" not in html
        assert "max-width:640px" in html
        sizes = {int(s) for s in re.findall(r"font-size:(\d+)px", html)} - {1}  # 1px: colour bars
        assert min(sizes) >= 14
    assert not re.search(r"</?[a-z]+[ >]", fi.text + en.text)  # the text bodies hold no markup


def test_missing_data_reads_as_no_data() -> None:
    ind = example_indicators()
    grey = IndicatorResult(
        "quick_satisfaction_mean", None, Status.GREY, target=4.0, detail=Sample(0)
    )
    report = render_report(_context("fi", replace(ind, results={**ind.results, grey.id: grey})))
    assert "[HARMAA] Pikapalautteen keskiarvo: – (ei tietoa)" in report.text
    assert "satisfaction" not in report.images


# --- golden files ------------------------------------------------------------------------------


def _check_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os.environ.get("D9_REGENERATE_GOLDEN") == "1":
        path.write_text(actual, encoding="utf-8")
        print(f"regenerated {path}")
        return
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(True),
                actual.splitlines(True),
                f"golden/{name}",
                "rendered",
                n=2,
            )
        )
        pytest.fail(
            f"{name} differs from the golden file (D9_REGENERATE_GOLDEN=1 to accept):\n"
            f"{diff[:6000]}"
        )


@pytest.mark.parametrize("language", ["fi", "en"])
def test_golden_files(language: str, fi: RenderedReport, en: RenderedReport) -> None:
    report = fi if language == "fi" else en
    _check_golden(f"report_{language}.html", report.html)
    _check_golden(f"report_{language}.txt", report.text)


def test_unanswered_metric_and_left_out_projects_are_named() -> None:
    base = example_indicators()
    survey = base.results["agency_survey_green_share"]
    colours = {**survey.detail.colours, "Hyödyllisyys": Status.GREY}  # type: ignore[union-attr]
    means = {**survey.detail.means, "Hyödyllisyys": None}  # type: ignore[union-attr]
    principles = base.results["principles_assessed_share"]
    matrix = replace(principles.detail, left_out=("Hanke X",))  # type: ignore[type-var]
    results = {
        **base.results,
        "agency_survey_green_share": replace(
            survey,
            detail=replace(survey.detail, colours=colours, means=means),  # type: ignore[type-var]
        ),
        "principles_assessed_share": replace(principles, detail=matrix),
    }
    for language, unanswered, left_out in (
        ("fi", "Hyödyllisyys: ei vastauksia, ei vihreä", "Edelliseltä kaudelta puuttuvat"),
        ("en", "Hyödyllisyys: no answers, not green", "Key projects missing since"),
    ):
        rendered = render_report(_context(language, replace(base, results=results)))
        for body in (rendered.text, rendered.html):
            assert unanswered in body
            assert left_out in body and "Hanke X" in body
