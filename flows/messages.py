"""Glue between rendering and delivery: each notice rendered by `tasks.report`, addressed by
`tasks.deliver.compose`. Pure functions; the steps send what they return."""

from __future__ import annotations

from collections.abc import Sequence

from schemas.findings import Finding
from schemas.mail import Message
from schemas.settings import Settings
from schemas.similar import SimilarResult
from tasks import report
from tasks.deliver import compose
from tasks.validate.quality import findings_by_owner


def preview_message(message: Message, settings: Settings, language: str) -> Message:
    """The report as a preview, to the team lead only."""
    rendered = report.preview(compose.rendered_of(message), language)
    return compose.preview_message(rendered, message, settings)


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
    owners: bool = True,
) -> list[Message]:
    """Each data keeper's own findings (unless `owners` is false), and the team lead's summary
    of all of them with the engagements new since last night and their most similar ones."""
    language, lead = settings.report.language, settings.report.team_lead
    by_owner = findings_by_owner(findings, lead) if owners else {}
    messages = [
        compose.notice_message(report.nudge_notice(items, language, lead), owner, settings, "nudge")
        for owner, items in by_owner.items()
    ]
    if findings or newcomers:
        summary = report.summary_notice(findings, language, newcomers)
        messages.append(compose.notice_message(summary, lead, settings, "quality-summary"))
    return messages


def failure_message(flow: str, run: str, reason: str, settings: Settings) -> Message:
    """Tell the team lead that a run failed, and why."""
    notice = report.failure_notice(flow, run, reason, settings.report.language)
    return compose.notice_message(notice, settings.report.team_lead, settings, f"failure/{flow}")
