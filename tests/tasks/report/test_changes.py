"""What the steering group reads first: the changes since the last report, the lead's review.

Contract: `tasks.history.previous_report` gives the figures of the latest report of a
half-year before a date (a later query, an off-period report or the report itself never);
`changes` names the goals whose status changed (with both status words), the branches reached
since and the engagements completed since; the mail, its text and the PDF show them right
under the headline ("the first report" when there is none). The lead's review (Markdown from
the file named by `[report] commentary`, or given at approval) follows them, rendered safely:
raw HTML and images never reach the reader as markup; no text, no block.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from schemas.errors import InputError
from schemas.report import ReportContext
from schemas.request import ReportKind
from schemas.results import Coverage, IndicatorResult, Indicators, Status
from tasks.history import previous_report, record
from tasks.report.changes import changes
from tasks.report.commentary import markdown_html, read_commentary
from tasks.report.mail import render_mail
from tasks.report.pdf import print_html
from tasks.report.view import build_view
from tasks.statedb import sqlite_store
from tests.support.indicators import GENERATED_AT, example_indicators

H1_17, H2_17, H1_18 = date(2017, 6, 30), date(2017, 12, 31), date(2018, 6, 30)


def _indicators(as_of: date, completed: int, missing: tuple[str, ...], share: Status) -> Indicators:
    results = {
        "engagements_completed": IndicatorResult(
            "engagements_completed", completed, Status.YELLOW, target=50
        ),
        "branches_covered": IndicatorResult(
            "branches_covered",
            12 - len(missing),
            Status.RED,
            target=12,
            detail=Coverage(missing),
        ),
        "effects_described_share": IndicatorResult(
            "effects_described_share", 0.95, share, target=1.0
        ),
    }
    return Indicators(as_of, None, results, fingerprint=f"{as_of}-{completed}")


def at(day: int) -> datetime:
    return datetime(2018, 7, day, 9, tzinfo=UTC)


@pytest.fixture
def history(tmp_path: Path) -> Path:
    """Reports of 2017H1 and 2017H2, a later query and an off-period report, then 2018H1's."""
    store = sqlite_store(tmp_path)
    report, query = ReportKind.REPORT, ReportKind.INDICATORS
    record(store, _indicators(H1_17, 10, ("UM", "OM", "SM", "PLM"), Status.RED), report, at(1))
    record(store, _indicators(H2_17, 25, ("UM", "OM", "SM", "PLM"), Status.RED), report, at(2))
    record(store, _indicators(H2_17, 26, ("UM",), Status.GREEN), query, at(3))  # ad hoc
    record(store, _indicators(date(2018, 3, 15), 30, (), Status.GREEN), report, at(4))
    record(store, _indicators(H1_18, 40, ("UM", "PLM"), Status.YELLOW), report, at(5))
    return tmp_path


def test_the_last_report_is_the_latest_reported_half_year_before(history: Path) -> None:
    store = sqlite_store(history)
    before = previous_report(store, H1_18)
    assert before is not None and before.as_of == H2_17
    assert before.results["engagements_completed"].value == 25  # the report, not the query
    earlier = previous_report(store, H2_17)
    assert earlier is not None and earlier.as_of == H1_17
    assert previous_report(store, H1_17) is None
    assert previous_report(sqlite_store(history / "none"), H1_18) is None  # no history at all


def test_changes_against_a_hand_built_history(history: Path) -> None:
    store = sqlite_store(history)
    now = _indicators(H1_18, 40, ("UM", "PLM"), Status.YELLOW)
    found = changes(now, previous_report(store, H1_18), "fi")
    assert found.since == H2_17
    # Only the share changed its word: red "behind the target" -> yellow "close to the target".
    assert [(s.id, s.before_word, s.now_word) for s in found.statuses] == [
        ("effects_described_share", "jäljessä tavoitteesta", "lähellä tavoitetta")
    ]
    assert found.new_branches == ("Oikeusministeriö", "Sisäministeriö")  # official order
    assert (found.completed, found.completed_now) == (15, 40)
    assert changes(now, None, "fi").since is None


def test_at_the_deadline_the_changes_say_met_or_missed(history: Path) -> None:
    """The final report's words are its own: "ei saavutettu", not "lähellä tavoitetta"; the
    last report before it keeps the words it was sent with."""
    final = _indicators(date(2018, 12, 31), 48, ("UM",), Status.YELLOW)
    before = _indicators(H1_18, 40, ("UM", "PLM"), Status.GREEN)
    found = changes(final, before, "fi", deadline=date(2018, 12, 31))
    assert [(s.id, s.before_word, s.now_word) for s in found.statuses] == [
        ("effects_described_share", "tavoitteessa", "ei saavutettu")
    ]
    earlier = changes(before, _indicators(H2_17, 25, (), Status.RED), "fi", date(2018, 12, 31))
    assert [s.now_word for s in earlier.statuses] == ["tavoitteessa"]


def _context(previous: Indicators | None, commentary: str = "") -> ReportContext:
    return ReportContext(
        example_indicators(), GENERATED_AT, previous=previous, commentary=commentary
    )


def test_the_block_comes_right_under_the_headline_in_every_channel(history: Path) -> None:
    ind = example_indicators()
    before = replace(
        ind,
        as_of=H2_17,
        results={
            **ind.results,
            "engagements_completed": replace(ind.results["engagements_completed"], value=30),
        },
    )
    view = build_view(_context(before, "Katsaus **tärkeä**."))
    mail = render_mail(view)
    expected = "Toteutettuja toimeksiantoja on 8 lisää, nyt yhteensä 38."  # 38 - 30
    for body in (mail.text, mail.html, print_html(view)):
        order = [
            body.index(s)
            for s in (
                "Yhteenveto",
                "Muutokset edellisestä raportista",
                "Verrattuna raporttiin, jonka tilanne oli 31.12.2017:",
                expected,
                "Tiimin vetäjän katsaus",
                "Tavoitekohtainen tilanne",
            )
        ]
        assert order == sorted(order)
    assert "Tavoitteiden tilat ovat ennallaan." in mail.text  # no status changed
    first = render_mail(build_view(_context(None)))
    assert "Tämä on ensimmäinen raportti" in first.text
    assert "Tiimin vetäjän katsaus" not in first.text + first.html  # no review, no block


def test_the_review_is_rendered_safely() -> None:
    html = str(
        markdown_html(
            "# Otsikko\n\n<script>alert(1)</script> **lihava** "
            "[linkki](javascript:alert(1)) ![kuva](http://127.0.0.1:9/x.png)"
        )
    )
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<strong>lihava</strong>" in html
    assert 'href="javascript' not in html
    assert "<img" not in html  # a mail fetches nothing
    assert "<h3>Otsikko</h3>" in html  # under the report's own h2
    mail = render_mail(build_view(_context(None, "<b>ei</b> <img src=x onerror=alert(1)>")))
    assert "&lt;b&gt;ei&lt;/b&gt; &lt;img src=x onerror=alert(1)&gt;" in mail.html
    assert "<b>ei</b>" not in mail.html and "<img src=x" not in mail.html


def test_the_review_file(tmp_path: Path) -> None:
    assert read_commentary("") == ""
    review = tmp_path / "katsaus.md"
    review.write_text("\ufeff  Tilanne on hyvä.\n\n", encoding="utf-8")
    assert read_commentary(str(review)) == "Tilanne on hyvä."
    with pytest.raises(InputError, match="katsaus-puuttuu.md: the commentary file cannot be read"):
        read_commentary(str(tmp_path / "katsaus-puuttuu.md"))
    review.write_bytes("Tilanne \xe4".encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8 text"):
        read_commentary(str(review))


def test_a_report_made_again_compares_with_what_it_compared_with(history: Path) -> None:
    store = sqlite_store(history)
    # 2017H2 is reported again on corrected data after 2018H1 was sent (at(5)).
    corrected = _indicators(H2_17, 24, ("UM", "OM", "SM", "PLM"), Status.RED)
    record(store, replace(corrected, fingerprint="corrected"), ReportKind.REPORT, at(6))
    assert previous_report(store, H1_18).results["engagements_completed"].value == 24
    as_sent = previous_report(store, H1_18, recorded_by=at(5))
    assert as_sent is not None and as_sent.results["engagements_completed"].value == 25
