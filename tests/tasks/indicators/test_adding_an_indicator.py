"""README "Adding an indicator", followed step by step with a toy that is not in the product.

Contract: an indicator is its id and spec, one function, its registration and its catalogue
texts (fi and en); with those, and nothing else, it appears in `Indicators.to_json()`, on a
card of the report view, in the mail and in the appendix (data dictionary and its rows). The
registry and the catalogues are patched for this test only.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from enum import StrEnum

import openpyxl
import polars as pl
import pytest

from schemas.catalogue import messages
from schemas.report import ReportContext
from schemas.results import SPECS, IndicatorId, IndicatorResult, IndicatorSpec, Reading, Status
from schemas.settings import Settings
from schemas.tables import Frames
from tasks.indicators import INDICATORS, Indicator, compute_indicators
from tasks.indicators.common import ENGAGEMENT_COLUMNS, appendix
from tasks.report.appendix import build_appendix
from tasks.report.mail import render_mail
from tasks.report.view import build_view
from tests.support import frames as F

AS_OF = date(2017, 1, 6)
SETTINGS = F.settings()

# Step 1: a new member of IndicatorId (here an extended copy of the enum) and its spec.
Extended = StrEnum(  # type: ignore[misc]
    "IndicatorId",
    {**{m.name: m.value for m in IndicatorId}, "ENGAGEMENTS_CANCELLED": "engagements_cancelled"},
)
TOY = Extended.ENGAGEMENTS_CANCELLED
# a count, no detail, no target; the action plan's goal it serves (issue 20: in the spec)
TOY_SPEC = IndicatorSpec(TOY, Reading.COUNT, goals=(1,))


# Step 2: the function.
def engagements_cancelled(frames: Frames, as_of: date, settings: Settings) -> IndicatorResult:
    """Count the engagements cancelled (peruttu) that had started by as_of."""
    cancelled = frames.engagements.filter(
        (pl.col("status") == "peruttu") & (pl.col("start_date") <= as_of)
    )
    status = Status.GREY if frames.engagements.is_empty() else Status.GREEN
    return IndicatorResult(
        TOY, cancelled.height, status, rows=appendix(cancelled, ENGAGEMENT_COLUMNS)
    )


# Step 4: its texts, in both catalogues.
TEXTS = {
    "fi": {
        "name": "Perutut toimeksiannot",
        "short": "Perutut",
        "says": "Toimeksiantoja on peruttu {value}.",
        "behind": "Peruttuja on {value}.",
        "measure": "perutut toimeksiannot",
        "definition": "Toimeksiannot, joiden tila on peruttu.",
        "target": "",
        "thresholds": "Ei tavoitetta.",
    },
    "en": {
        "name": "Engagements cancelled",
        "short": "Cancelled",
        "says": "{value} engagements have been cancelled.",
        "behind": "{value} cancelled.",
        "measure": "engagements cancelled",
        "definition": "Engagements whose status is cancelled.",
        "target": "",
        "thresholds": "No target.",
    },
}


@pytest.fixture
def registered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(SPECS, TOY, TOY_SPEC)  # step 1
    monkeypatch.setitem(INDICATORS, TOY, Indicator(TOY_SPEC, engagements_cancelled))  # step 3
    for language, texts in TEXTS.items():  # step 4
        for key, text in texts.items():
            monkeypatch.setitem(messages(language), f"indicator.{TOY}.{key}", text)


def _context(language: str) -> ReportContext:
    frames = F.frames(
        [
            F.engagement("A", status="peruttu", start=date(2017, 1, 2)),
            F.engagement("B", status="peruttu", start=date(2017, 1, 5)),
            F.engagement("C", status="peruttu", start=date(2017, 1, 9)),  # after as_of
            F.engagement("D", end=date(2017, 1, 4)),
        ]
    )
    indicators = compute_indicators(frames, AS_OF, SETTINGS)
    return ReportContext(indicators, datetime(2017, 1, 7, 8, 0), language=language)


@pytest.mark.usefixtures("registered")
def test_the_toy_is_in_the_json_after_the_seven() -> None:
    out = _context("fi").indicators.to_json()["indicators"]
    assert list(out)[-1] == "engagements_cancelled" and len(out) == 8
    assert out["engagements_cancelled"] == {"value": 2, "status": "green", "goals": [1]}  # A, B


@pytest.mark.usefixtures("registered")
def test_the_toy_has_a_card_in_the_view_and_the_mail() -> None:
    view = build_view(_context("fi"))
    card = view.cards[-1]
    assert (card.id, card.value, card.status) == (TOY, 2, Status.GREEN)
    assert card.word == "tavoitteessa" and card.says == "Toimeksiantoja on peruttu 2."
    assert card.serves.startswith("Palvelee tavoitetta 1 (asiakaslähtöinen")
    mail = render_mail(view)
    assert (
        "[✓ TAVOITTEESSA] Perutut toimeksiannot: 2\n    Toimeksiantoja on peruttu 2." in mail.text
    )
    assert "Perutut toimeksiannot</h3>" in mail.html
    assert "Tavoitteita on 8:" in mail.text
    english = render_mail(build_view(_context("en")))
    assert "2 engagements have been cancelled." in english.text


@pytest.mark.usefixtures("registered")
def test_the_toy_is_in_the_appendix_with_its_rows() -> None:
    book = openpyxl.load_workbook(io.BytesIO(build_appendix(_context("fi"))))
    dictionary = book["Tietosanasto"]
    last = [c.value for c in dictionary[dictionary.max_row]]
    assert last[:3] == ["engagements_cancelled", "Perutut toimeksiannot", TEXTS["fi"]["definition"]]
    assert (last[5], last[6]) == (2, "tavoitteessa")
    assert last[7].startswith("Palvelee tavoitetta 1 (")  # the goals it serves
    assert dictionary.cell(row=dictionary.max_row, column=6).number_format == "0"  # a count
    rows = book["Perutut"]
    ids = [rows.cell(row=r, column=3).value for r in range(2, rows.max_row + 1)]
    assert ids == ["A", "B"]


def test_the_toy_is_not_in_the_product() -> None:
    assert "engagements_cancelled" not in SPECS and "engagements_cancelled" not in INDICATORS
    assert "indicator.engagements_cancelled.name" not in messages("fi")
