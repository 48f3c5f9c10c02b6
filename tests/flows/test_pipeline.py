"""Contract: the report pipeline gives the same result with plain steps (the command line
without a Prefect API) as the Prefect flow — the same message to the same people, the same
outcome sentence and exit code, the same blocked notice, the same one-line error and failure
notice — against a real SMTP server on 127.0.0.1. The plain path imports nothing of Prefect.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path

import pytest

from d9.commands import report_without_prefect
from flows.outcome import ReportOutcome
from flows.report import report_flow
from schemas.errors import InputError
from schemas.request import ReportAsk
from schemas.settings import load_settings
from tests.support.project import edited_sheet, sample_project
from tests.support.smtp import SmtpServer

pytestmark = [pytest.mark.slow, pytest.mark.integration]
Run = Callable[..., ReportOutcome]
PLAIN, FLOW = "plain", "flow"


def _plain(config: str, to: list[str] | None = None, **ask: object) -> ReportOutcome:
    return report_without_prefect(load_settings(config), ReportAsk(to=tuple(to or ()), **ask))  # type: ignore[arg-type]


RUNS: dict[str, Run] = {
    PLAIN: _plain,
    FLOW: lambda **kw: report_flow(**kw, require_approval=False),
}
# the time a report was generated ("klo 10.41", "at 10:41"), content ids, file-name stamps
_STAMP = re.compile(r"(?:klo|at) \d{1,2}[.:]\d{2}|cid:[^\"']+|\d{8}-\d{6}")


def _run(name: str, folder: Path, **params: object) -> ReportOutcome:
    """Run the report of the project in `folder` (made by `sample_project`) one way or the other."""
    defaults = {"period": "2018H1", "as_of": None, "language": None, "to": None}
    params = defaults | {"dry_run": False, "force": False} | params
    return RUNS[name](**params, config=str(folder / "d9.toml"))


def _scrub(text: str, folder: Path) -> str:
    return _STAMP.sub("<stamp>", text.replace(str(folder), "<folder>"))


def _content(message: EmailMessage, folder: Path) -> tuple[object, ...]:
    html = message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    names = [a.get_filename() for a in message.iter_attachments()]
    return message["Subject"], message["To"], _scrub(html, folder), _scrub(text, folder), names


def test_a_sent_report_is_the_same_from_both(tmp_path: Path, smtp: SmtpServer) -> None:
    found = {}
    for name in RUNS:
        sample_project(tmp_path / name, smtp_port=smtp.port)
        outcome = _run(name, tmp_path / name)
        received = smtp.messages[-1]
        found[name] = (
            outcome.status,
            outcome.exit_code,
            _scrub(outcome.summary, tmp_path / name),
            received.rcpt_tos,
            _content(received.parsed(), tmp_path / name),
        )
    assert found[PLAIN][0:2] == ("sent", 0)
    assert found[PLAIN] == found[FLOW]
    assert len(smtp.messages) == 2


def test_a_blocked_report_tells_the_lead_the_same(tmp_path: Path, smtp: SmtpServer) -> None:
    found = {}
    for name in RUNS:
        sample_project(tmp_path / name, smtp_port=smtp.port)
        with edited_sheet(tmp_path / name / "seuranta.xlsx", "Toimeksiannot") as sheet:
            sheet.set(9, "Tila", "valmiina")
        outcome = _run(name, tmp_path / name)
        notice = smtp.messages[-1]
        text = notice.parsed().get_body(("plain",)).get_content()
        summary, text = _scrub(outcome.summary, tmp_path / name), _scrub(text, tmp_path / name)
        found[name] = (outcome.status, outcome.exit_code, summary, notice.rcpt_tos, text)
    assert found[PLAIN][:2] == ("blocked", 1) and "rivi 9" in found[PLAIN][4]
    assert found[PLAIN] == found[FLOW]


def test_a_dry_run_previews_the_same(tmp_path: Path, smtp: SmtpServer) -> None:
    found = {}
    for name in RUNS:
        sample_project(tmp_path / name, smtp_port=smtp.port)
        outcome = _run(name, tmp_path / name, dry_run=True, language="en")
        html = Path(next(p for p in outcome.paths if p.endswith(".html")))
        found[name] = (
            outcome.status,
            _scrub(outcome.summary, tmp_path / name),
            _scrub(html.read_text(encoding="utf-8"), tmp_path / name),
        )
    assert smtp.messages == []
    assert found[PLAIN][0] == "dry_run" and "D9 situation report" in found[PLAIN][2]
    assert found[PLAIN] == found[FLOW]


def test_an_unreadable_workbook_fails_the_same(tmp_path: Path, smtp: SmtpServer) -> None:
    errors = {}
    for name in RUNS:
        sample_project(tmp_path / name, smtp_port=smtp.port)
        (tmp_path / name / "seuranta.xlsx").write_bytes(b"not a spreadsheet")
        with pytest.raises(InputError) as raised:
            _run(name, tmp_path / name)
        errors[name] = _scrub(str(raised.value), tmp_path / name)
    assert errors[PLAIN] == errors[FLOW] and errors[PLAIN].startswith("<folder>/seuranta.xlsx")
    notices = [m for m in smtp.messages if m.rcpt_tos == ("lead@example.org",)]
    assert len(notices) == 2  # the team lead hears of both, as from the flow's failure hook
    texts = [m.parsed().get_body(("plain",)).get_content() for m in notices]
    assert all(errors[PLAIN].replace("<folder>", "") in _scrub(t, tmp_path) for t in texts)


def test_the_plain_path_imports_nothing_of_prefect(tmp_path: Path) -> None:
    config = sample_project(tmp_path)
    code = (
        "import sys; from d9.commands import report_without_prefect as r; "
        "from schemas.request import ReportAsk; from schemas.settings import load_settings; "
        f"o = r(load_settings({str(config)!r}), ReportAsk(period='2018H1', dry_run=True)); "
        "print(o.status, sorted({m.split('.')[0] for m in sys.modules} & {'prefect', "
        "'great_expectations', 'httpx'}))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "dry_run []", done.stderr


def test_the_leads_review_from_the_configured_file_and_from_the_approval(tmp_path: Path) -> None:
    """The file named by `[report] commentary` is in the preview (so the lead sees it before
    approving); a review given at approval replaces it, the figures and recipients unchanged."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from flows.pipeline import report, with_commentary
    from schemas.mail import Message
    from schemas.request import Run, report_request
    from tasks.statedb import open_store

    config = sample_project(tmp_path, report='commentary = "katsaus.md"\n')
    (tmp_path / "katsaus.md").write_text(
        "Pyydämme **päätöstä** kyselystä. <i>ei HTML:ää</i>", encoding="utf-8"
    )
    settings = load_settings(config)
    now = datetime(2018, 7, 2, 9, 0, tzinfo=ZoneInfo("Europe/Helsinki"))
    request = report_request(ReportAsk(period="2018H1", dry_run=True), Run(settings, now))
    store = open_store(settings)
    outcome = report(request, store)
    assert outcome.status == "dry_run"
    preview = next((tmp_path / "state" / "preview").glob("*.html")).read_text(encoding="utf-8")
    assert "Tiimin vetäjän katsaus" in preview
    assert "Pyydämme <strong>päätöstä</strong> kyselystä. &lt;i&gt;ei HTML:ää&lt;/i&gt;" in preview

    # The lead approves with a review of their own: the previewed message is rendered again.
    previewed = Message(("sg1@example.org",), "s", "<p>h</p>", "t", "d9@example.org")
    sent = with_commentary(previewed, request, store, "Hyväksytty: *katsaus* uusi.")
    assert sent.to == ("sg1@example.org",)  # the recipients previewed, whatever the request
    assert "Hyväksytty: <em>katsaus</em> uusi." in sent.html
    assert "päätöstä" not in sent.html  # replaced, not added
    assert "Hyväksytty: *katsaus* uusi." in sent.text
    assert "Toteutettuja toimeksiantoja on" in sent.html or "Tämä on ensimmäinen" in sent.html
    pdf = next(a for a in sent.attachments if a.filename.endswith(".pdf"))
    assert pdf.content.startswith(b"%PDF")
