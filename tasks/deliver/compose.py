"""Address rendered content: the report with its appendix, its preview, and the notices.

Pure functions: no I/O, no wording (texts are rendered by `tasks.report`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from schemas.mail import Attachment, Message
from schemas.report import RenderedReport
from schemas.settings import Settings

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
REPORT_KIND = "report"


def report_message(
    rendered: RenderedReport,
    appendix: bytes,
    to: Sequence[str],
    settings: Settings,
    period: str,
    pdf: bytes | None = None,
) -> Message:
    """The steering group's email: HTML with inline charts, text alternative, PDF and XLSX."""
    attachments = [Attachment(f"d9-tilannekuva-{period}.xlsx", appendix, XLSX)]
    if pdf is not None:
        attachments.insert(0, Attachment(f"d9-tilannekuva-{period}.pdf", pdf, PDF))
    return Message(
        to=tuple(to),
        subject=rendered.subject,
        html=rendered.html,
        text=rendered.text,
        sender=settings.report.sender,
        inline_images=rendered.images,
        attachments=tuple(attachments),
        report_key=f"{REPORT_KIND}/{period}",
        sender_name=settings.report.sender_name,
        reply_to=settings.report.team_lead,
    )


def rendered_of(message: Message) -> RenderedReport:
    """The rendered parts of a message (to render its preview from)."""
    return RenderedReport(message.subject, message.html, message.text, dict(message.inline_images))


def choose_recipients(
    explicit: Sequence[str], variable: object, configured: Sequence[str]
) -> list[str]:
    """Pick recipients: explicit ones, else the Prefect Variable's value, else the configuration.

    The Variable may hold a list or one text of addresses separated by commas or semicolons.
    """
    if explicit:
        return list(explicit)
    if isinstance(variable, str):
        variable = [a.strip() for a in variable.replace(";", ",").split(",") if a.strip()]
    if isinstance(variable, list | tuple) and variable:
        return [str(a) for a in variable]
    return list(configured)


def preview_message(preview: RenderedReport, message: Message, settings: Settings) -> Message:
    """The report `message` with the preview's texts, to the team lead only."""
    return replace(
        message,
        to=(settings.report.team_lead,),
        subject=preview.subject,
        html=preview.html,
        text=preview.text,
        report_key=f"preview/{message.report_key}",
    )


def notice_message(notice: RenderedReport, to: str, settings: Settings, key: str) -> Message:
    """A notice (blocked report, nudge, summary, failure) to one person."""
    return Message(
        to=(to,),
        subject=notice.subject,
        html=notice.html,
        text=notice.text,
        sender=settings.report.sender,
        report_key=key,
        sender_name=settings.report.sender_name,
        reply_to=settings.report.team_lead,
    )
