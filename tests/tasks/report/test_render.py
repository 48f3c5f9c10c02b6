"""The rendered situation report.

Contract: `render_report` turns a `ReportContext` into a subject, an email-safe HTML body, a
plain-text body and the inline chart images; Finnish formats by default (3,96 · 30.6.2018 ·
96 %), English with language "en". The subject and a hidden preheader carry the count of goals
by status; the first block says how many goals are on target, on schedule, close, behind, with
a sentence per goal behind. Status words follow DESIGN.md (yellow on a count with a deadline is
"aikataulussa", on a share "lähellä tavoitetta") and every colour has a word or symbol beside
it. Each card says what its number is, which measure (Mittari) and which goal 1-5 it serves.
The report tells what happened in the half-year, how each principle is realised, the branch
goal's pace and whether this year's survey is still to come. Headings are h1-h3, data tables
have <th scope>, layout tables are role="presentation", alt texts state the data. User text
is escaped; every `cid:` image is attached and every attached image is shown; no external
resources; data-quality findings appear only as counts per sheet, never with owners; at most
30 key projects in the matrix. The whole HTML and text are compared with golden files in
tests/golden/ (regenerate on purpose: D9_REGENERATE_GOLDEN=1).
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import replace
from datetime import date

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
    SurveyColours,
)
from tasks.report.i18n import format_date, format_number, format_percent
from tasks.report.mail import render_report
from tasks.report.notices import nudge_notice
from tasks.report.templating import environment
from tasks.report.view import period_label
from tests.support import CHECKOUT
from tests.support.indicators import (
    EXAMPLE_REVIEW,
    GENERATED_AT,
    example_findings,
    example_indicators,
    example_previous,
    example_trends,
    principle_matrix,
)

GOLDEN = CHECKOUT / "tests" / "golden"
NBSP = "\u00a0"


LEAD = "tiimivetaja@example.org"


def _context(language: str = "fi", indicators: Indicators | None = None) -> ReportContext:
    return ReportContext(
        indicators or example_indicators(),
        GENERATED_AT,
        example_trends(),
        example_findings(),
        language,
        contact=LEAD,
        previous=example_previous(),
        commentary=EXAMPLE_REVIEW,
    )


def _with(*results: IndicatorResult, **context: ContextFigure) -> Indicators:
    ind = example_indicators()
    return replace(
        ind,
        results={**ind.results, **{r.id: r for r in results}},
        context={**ind.context, **context},
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


def test_period_label_names_the_half_year_by_its_dates() -> None:
    ind = example_indicators()
    assert period_label(ind, "fi") == "1.1.–30.6.2018"
    assert period_label(ind, "en") == "1 January – 30 June 2018"
    assert period_label(replace(ind, period="2017H2"), "fi") == "1.7.–31.12.2017"
    assert period_label(replace(ind, period=None, as_of=date(2018, 5, 15)), "fi") == "15.5.2018"


def test_catalogue_lookup_is_strict_unless_given_a_default() -> None:
    assert translate("fi", "status.green") == "tavoitteessa"
    assert translate("en", "status.red") == "behind"
    assert translate("fi", "status.trajectory.yellow") == "aikataulussa"
    assert translate("fi", "status.trajectory.red") == "jäljessä aikataulusta"
    assert translate("fi", "status.level.yellow") == "lähellä tavoitetta"
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


def test_subject_and_title_carry_the_period_and_the_count(
    fi: RenderedReport, en: RenderedReport
) -> None:
    assert fi.subject == (
        "D9-tilannekuva 1.1.–30.6.2018: tavoitteessa 0, aikataulussa tai lähellä 6, jäljessä 1"
    )
    assert en.subject == (
        "D9 situation report 1 January – 30 June 2018: 0 on target, 6 on schedule or close, "
        "1 behind"
    )
    assert "<h1" in fi.html and "D9-tilannekuva 1.1.–30.6.2018</h1>" in fi.html
    assert "D9-tiimi · tilanne 30.6.2018" in fi.html
    assert "1/2018" not in fi.html + fi.text and "2018H1" not in fi.html + fi.text


def test_headline_counts_goals_and_says_what_is_missing(fi: RenderedReport) -> None:
    headline = "Tavoitteita on 7: aikataulussa 2, lähellä tavoitetta 4, jäljessä 1."
    behind = "Elämänpolku tai ekosysteemi puuttuu 10 toimeksiannolta."
    assert headline in fi.text and behind in fi.text
    first_screen = fi.html.index("Tavoitekohtainen tilanne")
    assert fi.html.index(headline) < first_screen and fi.html.index(behind) < first_screen
    preheader = re.search(
        r'<body[^>]*>\n(?:\{#.*#\}\n)?<div style="display:none;([^"]*)">([^<]*)<', fi.html
    )
    assert preheader is not None and "max-height:0" in preheader.group(1)
    assert preheader.group(2) == f"{headline} {behind}"


def test_behind_sentences_name_the_gap() -> None:
    ind = example_indicators()
    done = replace(ind.results["engagements_completed"], value=30, status=Status.RED)
    branches = replace(ind.results["branches_covered"], status=Status.RED)
    report = render_report(_context("fi", _with(done, branches)))
    # 50 x elapsed share 0.8 = 40 on the trajectory; PLM and YM missing.
    assert (
        "Toteutettuja toimeksiantoja on 30; aikataulussa pysyminen edellyttäisi 40:tä."
        in report.text
    )
    assert (
        "Toimeksianto puuttuu vielä 2 hallinnonalalta: Puolustusministeriö, Ympäristöministeriö."
        in report.text
    )
    assert "Tavoitteita on 7: lähellä tavoitetta 4, jäljessä 3." in report.text
    assert "[✗ JÄLJESSÄ AIKATAULUSTA] Toteutetut toimeksiannot: 30" in report.text


def test_status_words_follow_the_kind_of_goal(fi: RenderedReport, en: RenderedReport) -> None:
    assert fi.text.count("[◐ AIKATAULUSSA]") == 2  # completed engagements, branches
    assert fi.text.count("[◐ LÄHELLÄ TAVOITETTA]") == 4  # shares and the mean
    assert fi.text.count("[✗ JÄLJESSÄ TAVOITTEESTA]") == 1
    assert "◐ aikataulussa</span>" in fi.html and "✗ jäljessä tavoitteesta</span>" in fi.html
    assert "vaatii huomiota" not in fi.html and "needs attention" not in en.html
    assert en.text.count("[◐ ON SCHEDULE]") == 2 and en.text.count("[◐ CLOSE TO THE TARGET]") == 4


def test_cards_say_in_plain_words_what_the_number_is(fi: RenderedReport) -> None:
    for text in (
        "Toimeksiantoja on toteutettu 38. Tavoite on 50 viimeistään 31.12.2018; aikataulussa "
        "pysyminen edellyttäisi nyt 40:tä.",
        "Tahti on 1,8 toimeksiantoa kuukaudessa; tavoitteeseen tarvitaan 2,0 kuukaudessa.",
        "Vaikutukset (muutos toimintaan, avun hyödyt ja käytetty menetelmä) on kuvattu 37 "
        "toimeksiannosta; toteutettuja on kaikkiaan 38.",
        # the action plan's goals: completed engagements serve 1 and 4 (issue 20)
        "Mittari: toteutettujen toimeksiantojen määrä. Palvelee tavoitteita 1 (asiakaslähtöinen, "
        "uudet teknologiat huomioon ottava kehittämiskulttuuri valtionhallintoon) ja 4 "
        "(elämänpolkujen mukaiset, sektorirajat ylittävät digihankkeet toimeen).",
        "Palvelee tavoitetta 5 (puolivuotinen tilannekuva digiperiaatteista kärkihankkeissa).",
        "kierroksella 2017 neljästä mittarista kaksi on vihreällä.",
        "2/4 mittaria vihreällä",
    ):
        assert text in fi.text, text
        assert text in fi.html, text
    assert fi.html.count("<h3") >= 7  # a heading per goal card


def test_finnish_report_uses_finnish_formats_and_words(fi: RenderedReport) -> None:
    for text in (
        "3,96",
        "30.6.2018",
        f"97{NBSP}%",
        f"81{NBSP}%",
        "25 vastausta",
        "aikataulussa",
        "jäljessä",
        "Puolustusministeriö",
        "Ympäristöministeriö",
        "Asiantuntemus 4,50 (✓ vihreä)",
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
        "on schedule",
        "close to the target",
        "Ministry of Defence",
        "Ministry of the Environment",
        "Awakening",
    ):
        assert text in en.html, text
    assert "Puolustusministeriö" not in en.html


def test_every_colour_has_a_word_or_symbol_beside_it(fi: RenderedReport) -> None:
    # The trend table's current column: value, symbol and word in the coloured cell.
    html = fi.html.replace("\u00ad", "")  # the hyphenation hints of narrow columns
    assert re.search(r'bgcolor="#ffd54f"[^>]*>38<br><span[^>]*>◐ aikataulussa</span>', html)
    assert "Nyt 38 (◐ aikataulussa)" in fi.text
    # Each card's coloured bar stands beside a pill with a symbol and a word.
    assert len(re.findall(r"<span[^>]*>[✓◐✗–] [a-zäö ]+</span>", html)) >= 7 + 4


def test_what_happened_in_the_half_year(fi: RenderedReport) -> None:
    assert (
        "Puolivuotiskaudella 1.1.–30.6.2018 toimeksiantoja aloitettiin 13 ja toteutettiin 10."
        in fi.text
    )
    # Latest first; D9-037 has no change recorded; three examples at most.
    assert (
        "- Toimeksianto 38 (Sisäministeriö): Hankinta jaettiin vaiheisiin ja ensimmäinen vaihe "
        "kilpailutettiin\n"
        "- Toimeksianto 36 (Oikeusministeriö): Asiakkaat otettiin mukaan palvelun suunnitteluun\n"
        "- Toimeksianto 35 (Työ- ja elinkeinoministeriö): Hankinta jaettiin vaiheisiin ja "
        "ensimmäinen vaihe kilpailutettiin\n"
    ) in fi.text
    assert (
        "Toimeksianto on ollut 10 hallinnonalalla (tavoite 12); näistä uusia tällä kaudella 2. "
        "Uudet: Opetus- ja kulttuuriministeriö, Sisäministeriö. Ohjelmakauden loppuun on 6 "
        "kuukautta, ja 2 hallinnonalaa puuttuu."
    ) in fi.text
    assert (
        "Vuoden 2018 virastojen asiakaskysely on vielä tekemättä; luvut ovat kierrokselta 2017."
        in fi.text
    )


def test_survey_round_of_the_year_done() -> None:
    ind = example_indicators()
    survey = ind.results["agency_survey_green_share"]
    assert isinstance(survey.detail, SurveyColours)
    done = replace(survey, detail=replace(survey.detail, round="2018"))
    report = render_report(_context("fi", _with(done)))
    assert "Vuoden 2018 virastojen asiakaskysely on tehty (kierros 2018)." in report.text


def test_principles_matrix_shows_cells_changes_and_legend(fi: RenderedReport) -> None:
    assert "Asiakaskeskeinen palvelu: 1=T 2=T 3=O↑ 4=T 5=E↓ 6=O 7=T 8=O 9=T" in fi.text
    assert "AuroraAI-esiselvitys: 1=O* 2=·" in fi.text
    assert "9. Nimeämme palvelulle ja sen toteutukselle omistajan" in fi.html
    assert fi.html.count('bgcolor="#ef5350"') >= 3  # three "ei toteudu" cells + the red goal


def test_data_quality_shows_counts_per_sheet_never_who(fi: RenderedReport) -> None:
    assert "Tiedoissa on 5 avointa huomautusta" in fi.text
    assert "- Toimeksiannot, suositeltava tieto puuttuu: 3" in fi.text
    assert "- Palaute, viittaus puuttuu rekisteristä: 2" in fi.text
    assert "anna@example.org" not in fi.html + fi.text  # names belong in the nudges
    assert "Vastuuhenkilö" not in fi.html + fi.text
    assert "Tieto puuttuu." not in fi.html  # a finding's sentence is not shown
    assert "D9-005" not in fi.html  # nor the rows it points at


def test_principles_realisation_per_principle(fi: RenderedReport) -> None:
    assert (
        "  5. Palvelemme myös häiriötilanteissa: Toteutuu 0, osittain 1, ei toteudu 1\n" in fi.text
    )
    assert (
        "  1. Kehitämme palvelut asiakaslähtöisesti: Toteutuu 2, osittain 1, ei toteudu 0\n"
        in fi.text
    )
    assert (
        "Periaate 5 (Palvelemme myös häiriötilanteissa) ei toteudu täysin yhdessäkään "
        "kärkihankkeessa." in fi.html
    )
    assert "Periaate 8 (Avaamme tiedon" in fi.text and "Periaate 1 (" not in fi.text


def test_principles_matrix_is_capped_in_the_mail() -> None:
    ind = example_indicators()
    result = ind.results["principles_assessed_share"]
    row = principle_matrix()["Tulorekisteri"]
    matrix = {f"Kärkihanke {i:04d}": row for i in range(1000)}
    capped = replace(result, detail=PrinciplesMatrix("2018H1", matrix, {}))
    report = render_report(_context("fi", _with(capped)))
    assert report.text.count("Kärkihanke 0") == 30
    assert "Kärkihanke 0029:" in report.text and "Kärkihanke 0030" not in report.html
    assert "Taulukossa on 30 kärkihanketta, kaikkiaan niitä on 1" in report.text
    assert "Kuinka monessa kärkihankkeessa kukin periaate toteutuu (kärkihankkeita 1" in report.text
    assert len(report.html.encode()) < 250_000  # was 17 MB at 100k engagements


def test_headings_and_tables_are_marked_for_screen_readers(fi: RenderedReport) -> None:
    assert fi.html.count("<h1") == 1 and fi.html.count("<h2") >= 8
    tables = re.findall(r"<table[^>]*>", fi.html)
    layout = [t for t in tables if 'role="presentation"' in t]
    assert 3 <= len(layout) < len(tables)  # data tables are not marked as layout
    for block in re.split(r"<table", fi.html)[1:]:
        inner = block.split("</table>")[0]
        if block.startswith(' role="presentation"'):
            assert "<th" not in inner.split("<table")[0]
    assert all("scope=" in th for th in re.findall(r"<th\b[^>]*>", fi.html))


def test_alt_texts_state_the_data(fi: RenderedReport) -> None:
    alts = dict(re.findall(r'<img src="cid:([a-z]+)"[^>]*alt="([^"]+)"', fi.html))
    assert alts["engagements"] == (
        "Kaavio: toteutettuja toimeksiantoja on 38, tavoiteuran mukaan pitäisi olla 40; "
        "tavoite on 50 viimeistään 31.12.2018."
    )
    assert "30.6.2017 4,19; 31.12.2017 4,05; 30.6.2018 3,96" in alts["satisfaction"]
    assert all(alt != translate("fi", f"chart.{cid}") for cid, alt in alts.items())


def test_categories_read_as_labels_not_commands() -> None:
    advice = ContextFigure(
        "investment_advice", counts={"toteuta": 2, "muuta": 1, "älä toteuta": 1}, value=0.5
    )
    fi = render_report(_context("fi", _with(investment_advice=advice)))
    en = render_report(_context("en", _with(investment_advice=advice)))
    assert "- Toteutetaan: 2\n- Toteutetaan muutettuna: 1\n- Ei toteuteta: 1" in fi.text
    assert "Älä toteuta" not in fi.html and "Toteuta<" not in fi.html
    assert "- Go ahead: 2\n- Go ahead with changes: 1\n- Do not go ahead: 1" in en.text


def test_contact_line_at_the_end(fi: RenderedReport) -> None:
    line = f"Kysymykset ja palaute: {LEAD} – voit myös vastata tähän viestiin."
    assert fi.text.rstrip().endswith(line)
    assert line in fi.html[fi.html.index("Luotu 2.7.2018") :]


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
    assert sorted(cids) == sorted(fi.images) == ["engagements", "satisfaction"]
    for tag in re.findall(r"<img [^>]*>", fi.html):
        assert re.search(r'alt="[^"]+"', tag) and re.search(r'width="\d+"', tag)


def test_html_is_email_safe(fi: RenderedReport, en: RenderedReport) -> None:
    for html in (fi.html, en.html):
        assert not re.search(r"""(src|href)=["']?https?://""", html)
        # One <style> in the head, for what repeats (table and matrix cells): under Gmail's
        # clipping size; every cell keeps its alignment and colour as attributes without it.
        assert html.count("<style") == 1 and html.index("</style>") < html.index("<body")
        assert "<script" not in html and "<link" not in html
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
    assert "[– EI TIETOA] Herätysten ja kokeilujen palautteen keskiarvo: –" in report.text
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


def test_nudges_end_with_whom_to_ask() -> None:
    nudge = nudge_notice(example_findings()[:3], "fi", LEAD)
    line = f"Kysymykset ja palaute: {LEAD} – voit myös vastata tähän viestiin."
    assert nudge.text.rstrip().endswith(line) and line in nudge.html
    assert "anna@example.org" not in nudge.text  # the keeper's own rows, not their address
    assert "Kysymykset ja palaute" not in nudge_notice(example_findings()[:3], "fi").text


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
