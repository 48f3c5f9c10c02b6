"""Reports from history, under Prefect, with a real SMTP server on 127.0.0.1 (issue 10: 5, 8).

Contract: the trend of a report shows reported half-years only (an ad-hoc `d9 indicators` run
is not a column); `from_history` renders, without the spreadsheets, exactly the report that was
sent for the period: same subject, HTML, text and charts, even after an earlier half-year was
reported again on other data; a period never reported is one ConfigError line.
"""

from __future__ import annotations

import re
from datetime import date
from email.message import EmailMessage
from pathlib import Path

import pytest

from d9.commands import run_for
from flows import jobs
from flows.report import report_flow
from schemas.errors import ConfigError
from schemas.settings import load_settings
from tasks.statedb import open_store
from tests.support.project import edited_sheet, sample_project
from tests.support.smtp import SmtpServer

pytestmark = [pytest.mark.slow, pytest.mark.integration]


def _parts(message: EmailMessage) -> tuple[str, str, str, list[bytes]]:
    html = message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    images = [p.get_content() for p in message.walk() if p["Content-ID"]]
    return message["Subject"], re.sub(r"cid:[^\"]+", "cid:", html), text, images


def test_report_from_history_is_the_report_sent(tmp_path: Path, smtp: SmtpServer) -> None:
    config = sample_project(tmp_path, smtp_port=smtp.port)
    settings = load_settings(config)
    jobs.indicators(run_for(settings), open_store(settings), [date(2017, 6, 30)])  # ad hoc
    report_flow(period="2017H2", config=str(config), to=["sg@example.org"])
    sent = report_flow(period="2018H1", config=str(config), to=["sg@example.org"])
    assert sent.status == "sent"
    original = smtp.messages[-1].parsed()
    text = original.get_body(("plain",)).get_content()
    assert "31.12.2017" in text and "30.6.2017" not in text  # reported 2017H2 only

    # 2017H2 is reported again on corrected data: 2018H1 as reported keeps the trend it showed
    with edited_sheet(tmp_path / "seuranta.xlsx", "Toimeksiannot") as sheet:
        sheet.set(4, "Tila", "käynnissä")  # D9-2016-001, completed in 2016: one fewer now
    report_flow(period="2017H2", config=str(config), to=["sg@example.org"], force=True)
    (tmp_path / "seuranta.xlsx").unlink()  # the spreadsheets are not read again
    again = report_flow(
        period="2018H1", config=str(config), to=["sg@example.org"], force=True, from_history=True
    )
    assert again.status == "sent"
    assert _parts(smtp.messages[-1].parsed()) == _parts(original)

    with pytest.raises(ConfigError, match="2016H2"):
        report_flow(period="2016H2", config=str(config), dry_run=True, from_history=True)
