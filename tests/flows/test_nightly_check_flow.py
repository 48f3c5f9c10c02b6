"""The nightly check under Prefect with a real SMTP server on 127.0.0.1.

Contract: each owner receives their own open findings, the team lead a summary; an unchanged
night sends nothing; Data Docs and the findings file land in the state folder; free-text
feedback comments never appear in a nudge.
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from d9.errors import InputError
from flows.nightly_check import nightly_check_flow
from tests.support.project import sample_project
from tests.support.smtp import SmtpServer

pytestmark = [pytest.mark.slow, pytest.mark.integration]


def _header_column(sheet: object, title: str) -> int:
    return next(c.column for c in sheet[3] if c.value and str(c.value).strip() == title)  # type: ignore[index]


def test_owners_get_their_own_findings_and_unchanged_nights_stay_quiet(
    tmp_path: Path, smtp: SmtpServer
) -> None:
    config = sample_project(tmp_path, smtp_port=smtp.port)
    book = openpyxl.load_workbook(tmp_path / "seuranta.xlsx")
    sheet = book["Toimeksiannot"]
    owner = sheet.cell(row=10, column=_header_column(sheet, "Vastuuhenkilö")).value
    engagement = sheet.cell(row=10, column=_header_column(sheet, "Tunnus")).value
    sheet.cell(row=10, column=_header_column(sheet, "Elämänpolku")).value = None
    book.save(tmp_path / "seuranta.xlsx")

    first = nightly_check_flow(config=str(config))
    assert first.blocking == 0 and first.warnings >= 1 and first.changed

    stored = json.loads((tmp_path / "state" / "findings.json").read_text(encoding="utf-8"))[
        "findings"
    ]
    owners = {f["owner"] for f in stored if f["owner"]}
    by_recipient = {m.rcpt_tos: m.parsed() for m in smtp.messages}
    assert set(by_recipient) >= {(o,) for o in owners} | {("lead@example.org",)}
    nudge = by_recipient[(owner,)].get_body(("plain",)).get_content()
    assert f"rivi 10, sarake ”Elämänpolku” ({engagement})" in nudge
    mine = [f for f in stored if f["owner"] == owner]
    assert nudge.count("- rivi ") == len(mine)
    others = [f for f in stored if f["owner"] and f["owner"] != owner]
    assert all(f"({f['engagement_id']})" not in nudge for f in others if f["engagement_id"])
    assert "yhteenveto" in by_recipient[("lead@example.org",)]["Subject"]
    assert (tmp_path / "state" / "data-docs").is_dir()

    sent = len(smtp.messages)
    second = nightly_check_flow(config=str(config))
    assert not second.changed and second.notified == () and len(smtp.messages) == sent


def test_feedback_comments_never_reach_a_nudge(tmp_path: Path, smtp: SmtpServer) -> None:
    config = sample_project(tmp_path, smtp_port=smtp.port)
    book = openpyxl.load_workbook(tmp_path / "seuranta.xlsx")
    sheet = book["Palaute"]
    header_row = next(r for r in range(1, 6) if any(c.value == "Avoin palaute" for c in sheet[r]))
    comment = next(c.column for c in sheet[header_row] if c.value == "Avoin palaute")
    rating = next(
        c.column for c in sheet[header_row] if c.value and str(c.value).startswith("Koetko")
    )
    sheet.cell(row=header_row + 1, column=comment).value = "Salainen kommentti Matti Meikäläiseltä"
    sheet.cell(row=header_row + 1, column=rating).value = 9  # a blocking finding on that very row
    book.save(tmp_path / "seuranta.xlsx")

    outcome = nightly_check_flow(config=str(config))
    assert outcome.blocking == 1
    assert smtp.messages
    for received in smtp.messages:
        assert (
            b"Meik" not in received.data
            and "Meikäläiseltä" not in received.parsed().get_body(("plain",)).get_content()
        )


def test_a_failed_run_mails_the_team_lead_the_reason(tmp_path: Path, smtp: SmtpServer) -> None:
    config = sample_project(tmp_path, smtp_port=smtp.port)
    (tmp_path / "seuranta.xlsx").unlink()
    with pytest.raises(InputError, match="file not found"):
        nightly_check_flow(config=str(config))
    [notice] = smtp.messages
    assert notice.rcpt_tos == ("lead@example.org",)
    message = notice.parsed()
    assert message["Subject"] == "D9: ajo d9-nightly-check epäonnistui"
    assert "seuranta.xlsx: file not found" in message.get_body(("plain",)).get_content()
