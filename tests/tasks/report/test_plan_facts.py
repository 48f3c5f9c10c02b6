"""The report says what the action plan says (issue 20), computed from hand-built frames.

Contract under test: every card names the goals its measure serves in the plan's own mapping,
in Finnish and English; as of the deadline each goal is met or missed (subject, headline and
cards say "saavutettu" / "ei saavutettu" with the gap, no "on schedule", no "close"); a reached
count says when it was reached, in the past tense, never a pace or forecast; the survey card
shows "n/m mittaria vihreällä", names its round and says when this year's round is still to
come; a figure resting on a column the register lacks reads "not recorded", never zero.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from schemas.report import ReportContext
from schemas.settings import Settings, Targets
from tasks.indicators import compute_indicators
from tasks.report import render_report
from tasks.report.i18n import NBSP
from tasks.report.view import build_view
from tests.support import frames as F

DEADLINE = date(2018, 12, 31)
SETTINGS = Settings(targets=Targets(engagements_completed=2, branches=2))


def _frames(survey_round: str = "2017", answered: date = date(2017, 11, 1)) -> F.Frames:
    engagements = [
        F.engagement("E1", start=date(2017, 3, 6), end=date(2017, 3, 8), service_concept="Herätys"),
        # the second (target-th) completion, on 4.4.2018; its method is missing
        F.engagement("E2", start=date(2018, 4, 2), end=date(2018, 4, 4), branch="SM", method=None),
        F.engagement("E3", status="käynnissä", start=date(2018, 5, 2), ecosystem=None),
    ]
    feedback = [
        F.feedback("R1", "E1", date(2017, 3, 9), 4),
        F.feedback("R2", "E2", date(2018, 4, 5), 3),
    ]
    survey = [F.survey("A1", survey_round, answered, 4.0, 4.0, 3.0, 4.0)]  # one red
    principles = F.assessments("2018H2", "Hanke", "ttttttttt")
    return F.frames(engagements, feedback, survey, principles)


def _context(as_of: date, language: str, frames: F.Frames | None = None) -> ReportContext:
    indicators = compute_indicators(frames or _frames(), as_of, SETTINGS)
    return ReportContext(indicators, datetime(2019, 1, 2, 9, 0), language=language)


@pytest.mark.parametrize(
    ("language", "completed", "branches", "principles"),
    [
        (
            "fi",
            "Palvelee tavoitteita 1 (asiakaslähtöinen, uudet teknologiat huomioon ottava "
            "kehittämiskulttuuri valtionhallintoon) ja 4 (elämänpolkujen mukaiset, sektorirajat "
            "ylittävät digihankkeet toimeen).",
            "Palvelee tavoitteita 1 (",
            "Palvelee tavoitetta 5 (puolivuotinen tilannekuva digiperiaatteista kärkihankkeissa).",
        ),
        (
            "en",
            "Serves goals 1 (a customer-centred development culture, open to new technologies, "
            "across central government) and 4 (new cross-sector digital projects that follow "
            "customers' life paths).",
            "Serves goals 1 (",
            "Serves goal 5 (a half-yearly picture of the digital principles in the key projects).",
        ),
    ],
)
def test_every_card_names_the_plans_goals(
    language: str, completed: str, branches: str, principles: str
) -> None:
    cards = {c.id: c for c in build_view(_context(date(2018, 6, 30), language)).cards}
    assert cards["engagements_completed"].serves == completed
    assert cards["effects_described_share"].serves == completed  # 1 and 4 as well
    served = {
        "branches_covered": ("1 (", "2 (", "4 ("),
        "life_path_ecosystem_share": ("1 (", "3 (", "4 ("),
        "quick_satisfaction_mean": ("1 (", "2 (", "3 ("),
        "agency_survey_green_share": ("1 (", "2 (", "3 ("),
    }
    for iid, numbers in served.items():
        text = cards[iid].serves
        assert text.startswith(branches) and all(n in text for n in numbers), (iid, text)
        assert "5 (" not in text
    assert cards["principles_assessed_share"].serves == principles


def test_at_the_deadline_each_goal_is_met_or_missed_in_subject_headline_and_cards() -> None:
    # met: completed 2/2, branches 2/2, principles 9/9; missed: effects 1/2, life path 2/3,
    # feedback (4 + 3) / 2 = 3.5, survey 3 of 4 metrics green (round 2017)
    report = render_report(_context(DEADLINE, "fi"))
    assert report.subject.endswith(": saavutettu 3, ei saavutettu 4")
    assert "Tavoitteita on 7: saavutettu 3, ei saavutettu 4." in report.text
    assert "Ei saavutettu:" in report.text
    for word in ("aikataulussa", "lähellä tavoitetta", "jäljessä", "Tällä tahdilla"):
        assert word not in report.text, word
    assert "[✗ EI SAAVUTETTU] Herätysten ja kokeilujen palautteen keskiarvo: 3,50" in report.text
    assert "    3,50 — tavoite vähintään 4,0\n" in report.text
    assert f"    50{NBSP}% — tavoite 100{NBSP}%\n" in report.text  # effects described
    assert "[✓ SAAVUTETTU] Toteutetut toimeksiannot: 2" in report.text
    assert "ei saavutettu</span>" in report.html
    english = render_report(_context(DEADLINE, "en"))
    assert english.subject.endswith(": 3 met, 4 missed")
    assert "Of 7 goals: 3 met, 4 missed." in english.text
    assert "3.50 — target at least 4.0" in english.text


def test_a_reached_goal_says_when_in_the_past_tense() -> None:
    view = build_view(_context(date(2018, 6, 30), "fi"))
    done = next(c for c in view.cards if c.id == "engagements_completed")
    assert done.pace == "Tavoite saavutettiin 4.4.2018."  # the 2nd completion
    assert "tahdilla" not in done.says + done.pace and "edellyttäisi" not in done.says
    english = build_view(_context(date(2018, 6, 30), "en")).cards[0]
    assert english.pace == "The target was reached on 4 April 2018."


def test_the_survey_card_before_and_after_this_years_round() -> None:
    before = build_view(_context(date(2018, 6, 30), "fi"))
    card = next(c for c in before.cards if c.id == "agency_survey_green_share")
    assert card.shown == "3/4 mittaria vihreällä"
    assert "kierroksella 2017 neljästä mittarista kolme on vihreällä" in card.says
    assert (
        card.note
        == "Vuoden 2018 virastojen asiakaskysely on vielä tekemättä; luvut ovat kierrokselta 2017."
    )
    behind = next(b for b in before.headline.behind if "asiakaskysely" in b.name.lower())
    assert "Kierroksella 2017" in behind.says and "vielä tekemättä" in behind.says
    after = build_view(_context(date(2018, 6, 30), "fi", _frames("2018", date(2018, 5, 2))))
    card = next(c for c in after.cards if c.id == "agency_survey_green_share")
    assert card.note == "" and "kierroksella 2018" in card.says
    ended = build_view(_context(DEADLINE, "fi"))
    card = next(c for c in ended.cards if c.id == "agency_survey_green_share")
    assert card.note.startswith("Vuoden 2018 virastojen asiakaskyselyä ei tehty")


def test_a_figure_without_its_column_is_not_recorded_never_zero() -> None:
    frames = replace(_frames(), unrecorded=("support_areas", "investment_advice"))
    report = render_report(_context(date(2018, 6, 30), "fi", frames))
    assert "Ei kirjattu: rekisterissä ei ole saraketta ”Tuen muoto”." in report.text
    assert "Ei kirjattu: rekisterissä ei ole saraketta ”Investointisuositus”." in report.text
    assert "- Projektinhallinta: 0" not in report.text  # not seven areas at zero
    english = render_report(_context(date(2018, 6, 30), "en", frames))
    assert "Not recorded: the register has no column “Tuen muoto”." in english.text


@pytest.mark.parametrize(
    ("language", "total", "new", "waiting", "expected"),
    [
        (
            "fi",
            5,
            0,
            5,
            "Sääntelyesteitä on havaittu yhteensä 5. Tällä puolivuotiskaudella ei havaittu uusia. "
            "Kaikki viisi ovat vielä välittämättä.",
        ),
        (
            "fi",
            3,
            2,
            0,
            "Sääntelyesteitä on havaittu yhteensä 3. Niistä 2 havaittiin tällä "
            "puolivuotiskaudella. Kaikki on välitetty eteenpäin.",
        ),
        (
            "en",
            2,
            1,
            1,
            "2 regulatory obstacles have been found in all. One of them was found in this "
            "half-year. One is not yet passed on.",
        ),
    ],
)
def test_the_deregulation_summary_in_words_never_a_colon_and_a_number(
    language: str, total: int, new: int, waiting: int, expected: str
) -> None:
    from tasks.report.tables import _summary

    assert _summary(language, total, new, waiting) == expected


def test_principles_with_no_assessment_at_all_are_not_read_as_realised_nowhere() -> None:
    """A half-year with no assessments yet: one sentence, not nine rows of zeros and nine
    "fully realised in none of the key projects"; a principle assessed somewhere still is."""
    from tasks.report.mail import render_mail
    from tasks.report.pdf import print_html
    from tests.support.indicators import GENERATED_AT, example_indicators

    view = build_view(ReportContext(example_indicators(), GENERATED_AT))
    real = view.matrix.realisation
    zero = replace(
        real, rows=tuple(replace(r, realised=0, partly=0, not_realised=0) for r in real.rows)
    )
    nothing = replace(view, matrix=replace(view.matrix, realisation=zero))
    said = "Kaudelta ei ole vielä yhtään arviota"
    mail = render_mail(nothing)
    for body in (mail.text, mail.html, print_html(nothing)):
        assert said in body and "ei toteudu täysin" not in body
    some = render_mail(view).text
    assert said not in some
    assert "Periaate 5 (Palvelemme myös häiriötilanteissa) ei toteudu täysin" in some
