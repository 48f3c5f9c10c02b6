"""The short notices of issue 12: the approval preview's intro, the default notice, failures.

Contract: the preview says how to approve, links the run when its address is known, and gives
the deadline and what the default does; the failure mail gives the one-line error, advice for
its kind of error and the run's link, all in the team's language (no "fix the data" advice for
an SMTP outage); the lead's data-quality summary names who was nudged.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

from schemas.report import RenderedReport
from schemas.request import RunFailure
from tasks.report import approval_intro, approval_texts, default_notice, failure_notice, preview
from tasks.report.notices import nudge_notice, summary_notice
from tests.support.indicators import example_findings

EET = timezone(timedelta(hours=2))
DEADLINE = datetime(2027, 1, 5, 8, 0, tzinfo=EET)
GROUP = ("sg1@example.org", "sg2@example.org")


def _texts(language: str, send: bool) -> dict[str, str]:
    return approval_texts(language, period="2018H2", recipients=GROUP, deadline=DEADLINE, send=send)


def test_preview_intro_says_how_where_and_by_when() -> None:
    url = "http://prefect.example/runs/flow-run/abc"
    fi = approval_intro("fi", _texts("fi", False), url)
    assert f"avaa odottava ajo osoitteessa {url}, valitse Resume" in fi
    assert "Jos et vastaa 5.1.2027 klo 8.00 mennessä, raportti jää oletuksena lähettämättä." in fi
    assert "Vastaanottajat: sg1@example.org, sg2@example.org." in fi
    en = approval_intro("en", _texts("en", True), "")
    assert "open the waiting run from the Runs page (state Suspended or Paused)" in en
    assert "by 5 January 2027 at 08:00, the report is sent by default." in en


def test_default_notice_tells_what_the_default_did() -> None:
    sent = default_notice("fi", _texts("fi", True), sent=True)
    assert sent.subject == "D9-tilannekuva 2018H2: hyväksyntää ei saatu määräaikaan mennessä"
    assert (
        "Hyväksyntää ei saatu 5.1.2027 klo 8.00 mennessä, joten raportti 2018H2 lähetettiin "
        "oletuksen mukaisesti vastaanottajille sg1@example.org, sg2@example.org." in sent.text
    )
    held = default_notice("en", _texts("en", False), sent=False)
    assert "was held by default" in held.text and "d9 report --period 2018H2" in held.text


def test_failure_mail_advice_fits_the_error_and_links_the_run() -> None:
    url = "http://prefect.example/runs/flow-run/abc"
    smtp = failure_notice(
        RunFailure("d9-report", "brave-fox", "SMTP server refused", "DeliveryError", url), "fi"
    )
    assert smtp.subject == "D9: ajo d9-report epäonnistui"
    assert "Virheilmoitus: SMTP server refused" in smtp.text
    assert "Sähköpostin lähetys epäonnistui" in smtp.text and f"Ajo Prefectissä: {url}" in smtp.text
    assert "Korjaa tiedot" not in smtp.text  # not the data's fault
    data = failure_notice(
        RunFailure("d9-nightly-check", "x", "3 blocking", "ValidationFailed"), "fi"
    )
    assert "Korjaa tiedot jaettuun taulukkoon" in data.text and "Ajo Prefectissä" not in data.text
    unexpected = RunFailure("d9-report", "x", "odottamaton virhe (KeyError)", "other")
    other = failure_notice(unexpected, "en")
    assert "The error is not in the spreadsheet's data." in other.text
    assert "Ajo" not in other.text


def test_lead_summary_names_who_was_nudged() -> None:
    nudged = summary_notice(example_findings(), "fi", nudged=("anna@example.org",))
    assert "Muistutus omista kohdista lähetettiin: anna@example.org." in nudged.text
    nobody = summary_notice(example_findings(), "en", nudged=())
    assert "Nobody's own findings changed since last night" in nobody.text


def test_a_missing_column_is_the_whole_sheet_not_row_0() -> None:
    missing = replace(example_findings()[0], row=0, column="Välitetty", engagement_id="")
    fi = nudge_notice([missing], "fi")
    assert "koko välilehti, sarake ”Välitetty”" in fi.text and "rivi 0" not in fi.text
    assert "koko välilehti, sarake ”Välitetty”" in fi.html
    assert "the whole sheet, column “Välitetty”" in nudge_notice([missing], "en").text


def test_preview_banner_links_the_run_and_escapes_the_rest() -> None:
    url = "http://prefect.example/runs/flow-run/abc-1"
    intro = approval_intro("fi", _texts("fi", False), url)
    report = RenderedReport("D9-tilannekuva 2/2018", "<html><body><p>R & D</p></body></html>", "R")
    shown = preview(report, "fi", intro)
    assert f'<a href="{url}">{url}</a>, valitse Resume' in shown.html
    assert shown.text.startswith(intro + "\n\n")
    assert shown.subject == "[Esikatselu] D9-tilannekuva 2/2018"


def test_the_decision_notice_says_who_since_when_why_how_to_check_and_resend() -> None:
    from schemas.mail import InDoubt, MailKey

    key = MailKey("report", "2018H1")
    since = datetime(2018, 7, 2, 10, 32, tzinfo=timezone(timedelta(hours=3)))
    doubts = [
        InDoubt(key, "sg1@example.org", since, True, "w1:42", "<a1@d9>", "D9-tilannekuva 1/2018"),
        InDoubt(key, "sg2@example.org", since, False, "w1:42", "<a1@d9>", "D9-tilannekuva 1/2018"),
    ]
    from tasks.report import in_doubt_notice

    fi = in_doubt_notice(doubts, "fi")
    assert fi.subject == "D9: onko raportti 2018H1 perillä? Päätä, lähetetäänkö se uudelleen"
    assert "sg1@example.org: lähetys aloitettiin 2.7.2018 klo 10.32; viesti luovutettiin" in fi.text
    stopped = "sg2@example.org: lähetys aloitettiin 2.7.2018 klo 10.32; lähettänyt ajo (w1:42)"
    assert stopped in fi.text
    assert "viestin tunnus <a1@d9>" in fi.text and "”D9-tilannekuva 1/2018”" in fi.text
    assert "d9 report --period 2018H1 --force --to sg1@example.org --to sg2@example.org" in fi.text
    assert "Lähetä uudelleen päälle" in fi.text and "vain kerran" in fi.text
    assert "&lt;a1@d9&gt;" in fi.html  # escaped, never markup
    en = in_doubt_notice(doubts[:1], "en")
    assert en.subject == "D9: did report 2018H1 arrive? Decide whether to send it again"
    assert "sg1@example.org: sending started 2 July 2018 at 10:32; the message was handed over" in (
        en.text
    )


def test_the_run_end_notice_says_what_stopped_and_whether_it_was_sending() -> None:
    from schemas.request import RunEnd
    from tasks.report import run_end_notice

    url = "http://prefect.example/runs/flow-run/abc"
    crashed = run_end_notice(RunEnd("d9-report", "calm-fox", "crashed", "Crashed", True, url), "fi")
    assert crashed.subject == "D9: ajo d9-report pysähtyi kesken (Crashed)"
    assert "Ajo calm-fox ei päässyt loppuun: sen prosessi pysähtyi" in crashed.text
    assert "Se oli lähettämässä raporttia" in crashed.text and url in crashed.text
    stale = run_end_notice(RunEnd("d9-nightly-check", "shy-owl", "stale", "Crashed"), "en")
    assert "it has given no sign of life" in stale.text
    assert "nothing went out and nothing is in doubt" in stale.text
