"""The scheduled report's approval step and the Prefect Secret block for the SMTP password.

Contract: with approval required, the team lead gets the preview first; when nobody answers
within the timeout the configured default applies (hold: nothing goes to the steering group;
send: it goes). The SMTP password may come from a Prefect Secret block.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from prefect.blocks.system import Secret

from flows.report import report_flow
from schemas.settings import load_settings
from tests.support.project import sample_project
from tests.support.smtp import SmtpServer
from tests.support.state import approvals

pytestmark = [pytest.mark.slow, pytest.mark.integration]


@pytest.mark.parametrize(
    ("default", "name", "word"), [("hold", "Held", "ei oletuksen"), ("send", "Sent", "lähetettiin")]
)
def test_unanswered_approval_applies_the_default(
    tmp_path: Path, smtp: SmtpServer, default: str, name: str, word: str
) -> None:
    # 0.0003 h = about one second until the default answers.
    report = f'approval_timeout_hours = 0.0003\napproval_default = "{default}"\n'
    config = str(sample_project(tmp_path, smtp_port=smtp.port, report=report))
    state = report_flow(period="2018H1", config=config, require_approval=True, return_state=True)
    assert (state.is_completed(), state.name) == (True, name)
    assert "by default" in state.message and "sg1@example.org, sg2@example.org" in state.message
    outcome = state.result()
    assert outcome.state_name == name and outcome.summary == state.message
    preview, notice = [m for m in smtp.messages if m.rcpt_tos == ("lead@example.org",)]
    assert preview.parsed()["Subject"] == (
        "[Esikatselu] D9-tilannekuva 1.1.–30.6.2018: tavoitteessa 1, aikataulussa tai lähellä 5, "
        "jäljessä 1"
    )
    preview_text = preview.parsed().get_body(("plain",)).get_content()
    assert "Hyväksy tai pidätä lähetys Prefectin käyttöliittymässä" in preview_text
    assert notice.parsed()["Subject"] == (
        "D9-tilannekuva 2018H1: hyväksyntää ei saatu määräaikaan mennessä"
    )
    notice_text = notice.parsed().get_body(("plain",)).get_content()
    assert word in notice_text
    to_group = [m for m in smtp.messages if "sg1@example.org" in m.rcpt_tos]
    assert len(to_group) == (1 if name == "Sent" else 0)
    [kept] = approvals(tmp_path / "state").values()
    assert kept["decision"]["by_default"] is True
    assert kept["delivered_to"] == (
        ["sg1@example.org", "sg2@example.org"] if name == "Sent" else []
    )


def test_no_approval_asked_for_a_period_already_sent(tmp_path: Path, smtp: SmtpServer) -> None:
    report = 'approval_timeout_hours = 0.0003\napproval_default = "send"\n'
    config = str(sample_project(tmp_path, smtp_port=smtp.port, report=report))
    assert report_flow(period="2018H1", config=config).status == "sent"
    sent = len(smtp.messages)
    again = report_flow(period="2018H1", config=config, require_approval=True)
    assert again.status == "already_sent"
    assert len(smtp.messages) == sent  # no preview to the lead, nothing to the group


def test_smtp_password_from_a_prefect_secret_block(tmp_path: Path) -> None:
    Secret(value="block-pass-123").save("d9-smtp-test", overwrite=True)
    config = tmp_path / "d9.toml"
    config.write_text('[smtp]\npassword_block = "d9-smtp-test"\n', encoding="utf-8")
    password = load_settings(config, environ={}).smtp_password()
    assert password is not None and password.get_secret_value() == "block-pass-123"
    env_first = load_settings(config, environ={"D9_SMTP_PASSWORD": "from-env"}).smtp_password()
    assert env_first is not None and env_first.get_secret_value() == "from-env"
