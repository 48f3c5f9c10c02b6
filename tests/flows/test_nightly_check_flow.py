"""The nightly check under Prefect with a real SMTP server on 127.0.0.1.

Contract: each owner receives their own open findings, the team lead a summary; an unchanged
night sends nothing; a changed night mails only the owners whose own findings changed, and the
lead's summary names them; Data Docs and the findings file land in the state folder; free-text
feedback comments never appear in a nudge.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.nightly_check import nightly_check_flow
from schemas.errors import InputError
from tests.support.project import edited_sheet, sample_project
from tests.support.smtp import SmtpServer
from tests.support.state import last_findings, seen_ids

pytestmark = [pytest.mark.slow, pytest.mark.integration]


def test_owners_get_their_own_findings_and_unchanged_nights_stay_quiet(
    tmp_path: Path, smtp: SmtpServer
) -> None:
    config = sample_project(tmp_path, smtp_port=smtp.port)
    with edited_sheet(tmp_path / "seuranta.xlsx", "Toimeksiannot") as sheet:
        owner, engagement = sheet.get(10, "Vastuuhenkilö"), sheet.get(10, "Tunnus")
        sheet.set(10, "Elämänpolku", None)

    first = nightly_check_flow(config=str(config))
    assert first.blocking == 0 and first.warnings >= 1 and first.changed

    stored = last_findings(tmp_path / "state")
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


def test_only_owners_whose_own_findings_changed_are_nudged(
    tmp_path: Path, smtp: SmtpServer
) -> None:
    config = str(sample_project(tmp_path, smtp_port=smtp.port))
    nightly_check_flow(config=config)
    with edited_sheet(tmp_path / "seuranta.xlsx", "Toimeksiannot") as sheet:
        owner = sheet.get(10, "Vastuuhenkilö")
        sheet.set(10, "Ekosysteemi", None)
    before = len(smtp.messages)

    second = nightly_check_flow(config=config)
    assert second.changed and second.notified == (owner,)
    tonight = smtp.messages[before:]
    assert sorted(m.rcpt_tos for m in tonight) == sorted([(owner,), ("lead@example.org",)])
    summary = next(m for m in tonight if m.rcpt_tos == ("lead@example.org",))
    text = summary.parsed().get_body(("plain",)).get_content()
    assert f"Muistutus omista kohdista lähetettiin: {owner}." in text


def test_feedback_comments_never_reach_a_nudge(tmp_path: Path, smtp: SmtpServer) -> None:
    config = sample_project(tmp_path, smtp_port=smtp.port)
    with edited_sheet(tmp_path / "seuranta.xlsx", "Palaute") as sheet:
        first = sheet.header_row + 1
        sheet.set(first, "Avoin palaute", "Salainen kommentti Matti Meikäläiseltä")
        sheet.set(first, "Koetko", 9)  # a blocking finding on that very row

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


def test_the_lead_hears_of_new_engagements_and_the_past_ones_like_them(
    tmp_path: Path, smtp: SmtpServer
) -> None:
    config = sample_project(tmp_path, smtp_port=smtp.port)
    nightly_check_flow(config=str(config))  # the first night: every engagement is known
    assert seen_ids(tmp_path / "state")
    workbook = tmp_path / "seuranta.xlsx"
    with edited_sheet(workbook, "Toimeksiannot") as sheet:
        model, new = 10, sheet.sheet.max_row + 1
        like, like_owner = sheet.get(model, "Tunnus"), sheet.get(model, "Vastuuhenkilö")
        for cell in sheet.sheet[model]:
            sheet.sheet.cell(row=new, column=cell.column).value = cell.value
        sheet.set(new, "Tunnus", "D9-2018-900")
        sheet.set(new, "Toimeksianto", str(sheet.get(model, "Toimeksianto")).upper() + "N")
    before = len(smtp.messages)

    nightly_check_flow(config=str(config))
    to_lead = [m.parsed() for m in smtp.messages[before:] if m.rcpt_tos == ("lead@example.org",)]
    texts = [m.get_body(("plain",)).get_content() for m in to_lead]
    [text] = [t for t in texts if "* D9-2018-900" in t]  # the summary (the lead may also get
    # the nudges of rows without an owner)
    listed = text.split("* D9-2018-900", 1)[1].split("\n\n", 1)[0]
    assert listed.count("\n  - ") == 3  # its three most similar past engagements
    assert f"  - {like} " in listed and f"vastuuhenkilö: {like_owner}" in listed

    after = len(smtp.messages)
    nightly_check_flow(config=str(config))  # nothing new, nothing changed: quiet
    assert len(smtp.messages) == after
