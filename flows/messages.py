"""Glue between rendering and delivery: each notice rendered by `tasks.report`, addressed by
`tasks.deliver.compose`. Pure functions; the steps send what they return."""

from __future__ import annotations

from collections.abc import Sequence

from schemas.approval import PendingApproval
from schemas.findings import Finding
from schemas.mail import Message
from schemas.settings import Settings
from schemas.similar import SimilarResult
from tasks import report
from tasks.deliver import compose
from tasks.validate.quality import findings_by_owner


def preview_message(
    message: Message, settings: Settings, language: str, intro: str = ""
) -> Message:
    """The report as a preview, to the team lead only, opening with `intro` (how to approve)."""
    rendered = report.preview(compose.rendered_of(message), language, intro)
    return compose.preview_message(rendered, message, settings)


def default_message(pending: PendingApproval, settings: Settings, sent: bool) -> Message:
    """Tell the team lead that nobody approved in time, and whether the default sent the report."""
    texts = approval_texts(pending, settings)
    notice = report.default_notice(pending.language, texts, sent)
    key = f"approval-default/{pending.period}"
    return compose.notice_message(notice, settings.report.team_lead, settings, key)


def approval_intro(pending: PendingApproval, settings: Settings, run_url: str) -> str:
    """The preview's first paragraph: how to approve, the run's link when known, the deadline."""
    return report.approval_intro(pending.language, approval_texts(pending, settings), run_url)


def approval_texts(pending: PendingApproval, settings: Settings) -> dict[str, str]:
    """Period, recipients, deadline and the default's action, worded in the report's language."""
    return report.approval_texts(
        pending.language,
        period=pending.period,
        recipients=pending.message.to,
        deadline=pending.deadline,
        send=pending.default_send,
    )


def blocked_message(
    blocking: Sequence[Finding], settings: Settings, period: str, language: str
) -> Message:
    """Tell the team lead why the report of `period` did not go out."""
    notice = report.blocked_notice(blocking, period, language)
    return compose.notice_message(notice, settings.report.team_lead, settings, f"blocked/{period}")


def nudge_messages(
    findings: Sequence[Finding],
    settings: Settings,
    newcomers: Sequence[SimilarResult] = (),
    *,
    owners: Sequence[str] = (),
) -> list[Message]:
    """The own findings of each of `owners`, and the team lead's summary of all of them (naming
    who was nudged) with the engagements new since last night and their most similar ones."""
    language, lead = settings.report.language, settings.report.team_lead
    by_owner = findings_by_owner(findings, lead)
    messages = [
        compose.notice_message(report.nudge_notice(items, language, lead), owner, settings, "nudge")
        for owner, items in by_owner.items()
        if owner in owners
    ]
    if findings or newcomers:
        summary = report.summary_notice(findings, language, newcomers, owners)
        messages.append(compose.notice_message(summary, lead, settings, "quality-summary"))
    return messages


def failure_message(
    flow: str, run: str, reason: str, settings: Settings, *, kind: str = "", run_url: str = ""
) -> Message:
    """Tell the team lead that a run failed, why, what to do about it, and where the run is."""
    language = settings.report.language
    notice = report.failure_notice(flow, run, reason, language, kind=kind, run_url=run_url)
    return compose.notice_message(notice, settings.report.team_lead, settings, f"failure/{flow}")
