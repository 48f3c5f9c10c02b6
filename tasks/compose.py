"""Turn rendered content into `Message`s: the report, its preview, and the data-quality notices.

Pure functions: no I/O. Texts come from the templates and message catalogues.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from itertools import groupby

from d9.settings import Settings
from schemas.findings import Finding
from tasks.deliver import Attachment, Message
from tasks.render import RenderedReport, environment, translate

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REPORT_KIND = "report"


def report_message(
    rendered: RenderedReport, appendix: bytes, to: Sequence[str], settings: Settings, period: str
) -> Message:
    """The steering group's email: HTML with inline charts, text alternative, XLSX appendix."""
    return Message(
        to=tuple(to),
        subject=rendered.subject,
        html=rendered.html,
        text=rendered.text,
        sender=settings.report.sender,
        inline_images=rendered.images,
        attachments=(Attachment(f"d9-tilannekuva-{period}.xlsx", appendix, XLSX),),
        report_key=f"{REPORT_KIND}/{period}",
    )


def preview_message(message: Message, settings: Settings, language: str) -> Message:
    """The same message, to the team lead only, marked as a preview."""
    subject = translate(language, "notice.preview_subject", subject=message.subject)
    banner = (
        environment()
        .get_template("partials/banner.html.j2")
        .render(text=translate(language, "notice.preview_intro"))
    )
    html = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + banner, message.html, count=1)
    text = translate(language, "notice.preview_intro") + "\n\n" + message.text
    return replace(
        message,
        to=(settings.report.team_lead,),
        subject=subject,
        html=html,
        text=text,
        report_key=f"preview/{message.report_key}",
    )


def blocked_message(
    blocking: Sequence[Finding], settings: Settings, period: str, language: str
) -> Message:
    """Tell the team lead why the report did not go out: every blocking finding, by sheet."""
    count = len(blocking)
    return _notice(
        to=settings.report.team_lead,
        settings=settings,
        language=language,
        findings=blocking,
        subject=translate(language, "notice.blocked_subject", period=period),
        title=translate(language, "notice.blocked_title", period=period),
        intro=translate(language, "notice.blocked_intro", count=count),
        key=f"blocked/{period}",
    )


def nudge_message(
    owner: str, findings: Sequence[Finding], settings: Settings, language: str
) -> Message:
    """One data keeper's own open findings."""
    count = len(findings)
    return _notice(
        to=owner,
        settings=settings,
        language=language,
        findings=findings,
        subject=translate(language, "notice.nudge_subject", count=count),
        title=translate(language, "notice.nudge_title"),
        intro=translate(language, "notice.nudge_intro", count=count),
        key="nudge",
    )


def summary_message(findings: Sequence[Finding], settings: Settings, language: str) -> Message:
    """The team lead's summary of all open findings."""
    blocking = sum(1 for f in findings if f.severity == "blocking")
    warning = len(findings) - blocking
    return _notice(
        to=settings.report.team_lead,
        settings=settings,
        language=language,
        findings=findings,
        subject=translate(language, "notice.summary_subject", blocking=blocking, warning=warning),
        title=translate(language, "notice.summary_title"),
        intro=translate(language, "notice.summary_intro", blocking=blocking, warning=warning),
        key="quality-summary",
    )


def _notice(
    *,
    to: str,
    settings: Settings,
    language: str,
    findings: Sequence[Finding],
    subject: str,
    title: str,
    intro: str,
    key: str,
) -> Message:
    ordered = sorted(findings, key=lambda f: (f.source, f.sheet, f.row, f.column))
    groups = [
        {"source": source, "sheet": sheet, "findings": list(items)}
        for (source, sheet), items in groupby(ordered, key=lambda f: (f.source, f.sheet))
    ]
    view = {"lang": language, "title": title, "intro": intro, "groups": groups}
    env = environment()
    return Message(
        to=(to,),
        subject=subject,
        sender=settings.report.sender,
        report_key=key,
        html=env.get_template("notice.html.j2").render(view),
        text=env.get_template("notice.txt.j2").render(view),
    )


def indicator_rows(result: object) -> list[dict[str, object]]:
    """One flat row per indicator, for the Prefect table artifact and the command-line table."""
    return [
        {"indicator": key, "value": r.value, "target": r.target, "status": str(r.status)}
        for key, r in result.results.items()  # type: ignore[attr-defined]
    ]


def failure_message(flow: str, run: str, reason: str, settings: Settings, language: str) -> Message:
    """Tell the team lead that a scheduled or manual run failed, and why (one line, no secrets)."""
    return _notice(
        to=settings.report.team_lead,
        settings=settings,
        language=language,
        findings=(),
        subject=translate(language, "notice.failure_subject", flow=flow),
        title=translate(language, "notice.failure_title", flow=flow),
        intro=translate(language, "notice.failure_intro", run=run, reason=reason),
        key=f"failure/{flow}",
    )
