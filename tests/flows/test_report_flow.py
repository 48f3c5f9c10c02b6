"""The report flow under Prefect against a real SMTP server on 127.0.0.1.

Contract: one message with the HTML, inline images referenced from it, the PDF of the report
and the XLSX appendix, from the team's display name with replies to the team lead; a second run
for the same period sends nothing; force sends again; a blocked report sends the team lead the
reason instead; a dry run sends nothing and leaves a preview with the PDF and the appendix.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from flows.report import report_flow
from tests.support.project import edited_sheet, sample_project
from tests.support.smtp import SmtpServer

pytestmark = [pytest.mark.slow, pytest.mark.integration]


def test_report_is_sent_once_then_again_with_force(tmp_path: Path, smtp: SmtpServer) -> None:
    config = str(sample_project(tmp_path, smtp_port=smtp.port))

    first = report_flow(period="2018H1", config=config)
    assert first.status == "sent" and first.exit_code == 0
    assert len(smtp.messages) == 1
    received = smtp.messages[0]
    assert sorted(received.rcpt_tos) == ["sg1@example.org", "sg2@example.org"]
    message = received.parsed()
    # The sample as of 30.6.2018: quick feedback green; branches (9 of 12) red; five yellow.
    assert message["Subject"] == (
        "D9-tilannekuva 1.1.–30.6.2018: tavoitteessa 1, aikataulussa tai lähellä 5, jäljessä 1"
    )
    assert message["From"] == "D9-tiimi <d9@example.org>"
    assert message["Reply-To"] == "lead@example.org"
    html = message.get_body(("html",)).get_content()
    assert "D9-tilannekuva 1.1.–30.6.2018" in html and "Ulkoministeriö" in html
    assert "<br>\n" not in html  # yagmail's newline-to-<br> rewrite did not happen
    cids = set(re.findall(r'src="cid:([^"]+)"', html))
    parts = {p["Content-ID"].strip("<>") for p in message.walk() if p["Content-ID"]}
    assert cids and cids == parts
    pdf, attachment = message.iter_attachments()
    assert (pdf.get_filename(), pdf.get_content_type()) == (
        "d9-tilannekuva-2018H1.pdf",
        "application/pdf",
    )
    first_page = PdfReader(io.BytesIO(pdf.get_content())).pages[0].extract_text()
    assert "D9-tilannekuva 1.1.–30.6.2018 · tilanne 30.6.2018" in first_page
    assert attachment.get_filename() == "d9-tilannekuva-2018H1.xlsx"
    assert attachment.get_content_type() == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    appendix = tmp_path / "appendix.xlsx"
    appendix.write_bytes(attachment.get_content())
    assert openpyxl.load_workbook(appendix).sheetnames[:2] == ["Tietoja", "Tietosanasto"]

    again = report_flow(period="2018H1", config=config)
    assert again.status == "already_sent" and len(smtp.messages) == 1
    assert "already sent" in again.summary

    forced = report_flow(period="2018H1", config=config, force=True)
    assert forced.status == "sent" and len(smtp.messages) == 2


def test_a_new_recipient_still_gets_an_already_sent_report(
    tmp_path: Path, smtp: SmtpServer
) -> None:
    config = str(sample_project(tmp_path, smtp_port=smtp.port))
    report_flow(period="2018H1", config=config, to=["sg1@example.org"])
    later = report_flow(period="2018H1", config=config, to=["sg1@example.org", "new@example.org"])
    assert later.status == "sent"
    assert [m.rcpt_tos for m in smtp.messages] == [("sg1@example.org",), ("new@example.org",)]


def test_english_report_on_request(tmp_path: Path, smtp: SmtpServer) -> None:
    config = str(sample_project(tmp_path, smtp_port=smtp.port))
    report_flow(period="2018H1", config=config, language="en", to=["x@example.org"])
    message = smtp.messages[0].parsed()
    assert message["Subject"].startswith("D9 situation report 1 January – 30 June 2018: 1 on")


def test_dry_run_sends_nothing_and_leaves_a_preview(tmp_path: Path, smtp: SmtpServer) -> None:
    config = str(sample_project(tmp_path, smtp_port=smtp.port))
    outcome = report_flow(period="2018H1", config=config, dry_run=True)
    assert outcome.status == "dry_run" and smtp.messages == []
    html = [p for p in outcome.paths if p.endswith(".html")]
    assert html and "D9-tilannekuva 1.1.–30.6.2018" in Path(html[0]).read_text(encoding="utf-8")
    assert [p for p in outcome.paths if p.endswith("d9-tilannekuva-2018H1.pdf")]
    assert report_flow(period="2018H1", config=config).status == "sent"  # a dry run is no delivery


def test_blocked_report_tells_the_team_lead_why(tmp_path: Path, smtp: SmtpServer) -> None:
    config = sample_project(tmp_path, smtp_port=smtp.port)
    with edited_sheet(tmp_path / "seuranta.xlsx", "Toimeksiannot") as sheet:
        sheet.set(9, "Tila", "valmiina")

    outcome = report_flow(period="2018H1", config=str(config))
    assert outcome.status == "blocked" and outcome.exit_code == 1
    assert [m.rcpt_tos for m in smtp.messages] == [("lead@example.org",)]
    text = smtp.messages[0].parsed().get_body(("plain",)).get_content()
    assert "rivi 9" in text and "valmiina" in text and "Tila" in text
