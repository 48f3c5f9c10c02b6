"""Every message d9 sends, put together in one place: the content rendered by `tasks.report`
(the report, its preview, the notices), addressed and signed here. Pure functions; the
pipelines send what they return."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from schemas.approval import PendingApproval
from schemas.findings import Finding
from schemas.mail import Attachment, InDoubt, Message
from schemas.report import RenderedReport
from schemas.request import ReportKind, ReportRequest, RunEnd, RunFailure
from schemas.settings import Settings
from schemas.similar import SimilarResult
from schemas.site import owner_link
from tasks import report
from tasks.validate.quality import findings_by_owner

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"


@dataclass(frozen=True)
class Files:
    """The report's attachments: the PDF for the meeting papers, the XLSX appendix."""

    pdf: bytes
    xlsx: bytes


def report_message(rendered: RenderedReport, files: Files, request: ReportRequest) -> Message:
    """The steering group's email: HTML with inline charts, text alternative, PDF and XLSX."""
    period, lead = request.period, request.settings.report.team_lead
    return _signed(
        request.settings,
        to=request.recipients,
        content=rendered,
        key=f"{ReportKind.REPORT}/{period}",
        reply_to=lead,
        attachments=(
            Attachment(f"d9-tilannekuva-{period}.pdf", files.pdf, PDF),
            Attachment(f"d9-tilannekuva-{period}.xlsx", files.xlsx, XLSX),
        ),
    )


def rendered_of(message: Message) -> RenderedReport:
    """The rendered parts of a message (to render its preview from)."""
    return RenderedReport(message.subject, message.html, message.text, dict(message.inline_images))


def preview_message(
    message: Message, settings: Settings, language: str, intro: str = ""
) -> Message:
    """The report as a preview, to the team lead only, opening with `intro` (how to approve)."""
    preview = report.preview(rendered_of(message), language, intro)
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
    return _signed(settings, to=(to,), content=notice, key=key, reply_to=settings.report.team_lead)


def _signed(
    settings: Settings,
    *,
    to: Sequence[str],
    content: RenderedReport,
    key: str,
    reply_to: str,
    attachments: tuple[Attachment, ...] = (),
) -> Message:
    return Message(
        to=tuple(to),
        subject=content.subject,
        html=content.html,
        text=content.text,
        sender=settings.report.sender,
        inline_images=content.images,
        attachments=attachments,
        report_key=key,
        sender_name=settings.report.sender_name,
        reply_to=reply_to,
    )


def approval_texts(pending: PendingApproval) -> dict[str, str]:
    """Period, recipients, deadline and the default's action, worded in the report's language."""
    return report.approval_texts(
        pending.language,
        period=pending.period,
        recipients=pending.message.to,
        deadline=pending.deadline,
        send=pending.default_send,
    )


def approval_intro(pending: PendingApproval, run_url: str) -> str:
    """The preview's first paragraph: how to approve, the run's link when known, the deadline."""
    return report.approval_intro(pending.language, approval_texts(pending), run_url)


def default_message(pending: PendingApproval, settings: Settings, sent: bool) -> Message:
    """Tell the team lead that nobody approved in time, and whether the default sent the report."""
    notice = report.default_notice(pending.language, approval_texts(pending), sent)
    key = f"approval-default/{pending.period}"
    return notice_message(notice, settings.report.team_lead, settings, key)


def cancelled_message(pending: PendingApproval, settings: Settings) -> Message:
    """Tell the team lead that the run waiting for approval was cancelled: nothing was sent."""
    notice = report.cancelled_notice(pending.language, approval_texts(pending))
    key = f"approval-cancelled/{pending.period}"
    return notice_message(notice, settings.report.team_lead, settings, key)


def blocked_message(blocking: Sequence[Finding], request: ReportRequest) -> Message:
    """Tell the team lead why the report of the request's period did not go out."""
    settings, period = request.settings, request.period
    notice = report.blocked_notice(blocking, period, request.language)
    return notice_message(notice, settings.report.team_lead, settings, f"blocked/{period}")


def nudge_messages(
    findings: Sequence[Finding],
    settings: Settings,
    newcomers: Sequence[SimilarResult] = (),
    owners: Sequence[str] = (),
) -> list[Message]:
    """The own findings of each of `owners`, and the team lead's summary of all of them (naming
    who was nudged) with the engagements new since last night and their most similar ones."""
    language, lead = settings.report.language, settings.report.team_lead
    by_owner = findings_by_owner(findings, lead)
    site = settings.site.base_url  # each owner's block on the published page, when known
    messages = [
        notice_message(
            report.nudge_notice(items, language, lead, owner_link(site, owner)),
            owner,
            settings,
            "nudge",
        )
        for owner, items in by_owner.items()
        if owner in owners
    ]
    if findings or newcomers:
        summary = report.summary_notice(findings, language, newcomers, owners)
        messages.append(notice_message(summary, lead, settings, "quality-summary"))
    return messages


def failure_message(failure: RunFailure, settings: Settings) -> Message:
    """Tell the team lead that a run failed, why, what to do about it, and where the run is."""
    notice = report.failure_notice(failure, settings.report.language)
    key = f"failure/{failure.flow}"
    return notice_message(notice, settings.report.team_lead, settings, key)


def in_doubt_message(doubts: Sequence[InDoubt], settings: Settings, language: str) -> Message:
    """Ask the team lead to decide about deliveries nobody can vouch for (one key's claims)."""
    notice = report.in_doubt_notice(doubts, language)
    key = f"in-doubt/{doubts[0].key.period}"
    return notice_message(notice, settings.report.team_lead, settings, key)


def run_end_message(end: RunEnd, settings: Settings) -> Message:
    """Tell the team lead that a run crashed, was cancelled or vanished, and what it left."""
    notice = report.run_end_notice(end, settings.report.language)
    return notice_message(notice, settings.report.team_lead, settings, f"run-end/{end.flow}")
