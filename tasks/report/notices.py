"""Render the short notices: the preview banner, a blocked report, nudges, summaries, failures.

Each gives a `RenderedReport` (subject, HTML, text); `tasks.deliver.compose` addresses it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby

from markupsafe import Markup, escape

from schemas.catalogue import translate
from schemas.findings import Finding, Severity, cause_first
from schemas.mail import InDoubt
from schemas.report import RenderedReport
from schemas.request import RunEnd, RunFailure
from schemas.similar import SimilarResult
from tasks.report.i18n import format_date, format_time
from tasks.report.templating import environment


def preview(rendered: RenderedReport, language: str, intro: str = "") -> RenderedReport:
    """The same report marked as a preview for the team lead: banner, subject and text intro."""
    intro = intro or translate(language, "notice.preview_intro")
    banner = environment().get_template("partials/banner.html.j2").render(text=_linked(intro))
    html = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + banner, rendered.html, count=1)
    return RenderedReport(
        subject=translate(language, "notice.preview_subject", subject=rendered.subject),
        html=html,
        text=intro + "\n\n" + rendered.text,
        images=rendered.images,
    )


_URL = re.compile(r"https?://[^\s,<>\"']+[^\s,<>\"'.]")


def _linked(text: str) -> Markup:
    """`text` escaped for HTML, with its web addresses as links (the run to approve)."""
    parts, last = [], 0
    for match in _URL.finditer(text):
        url = escape(match.group(0))
        parts += [escape(text[last : match.start()]), Markup(f'<a href="{url}">{url}</a>')]
        last = match.end()
    return Markup("").join([*parts, escape(text[last:])])


@dataclass(frozen=True)
class Notice:
    """What a short notice says: subject, title, intro, findings and the lines around them."""

    subject: str
    title: str
    intro: str
    findings: Sequence[Finding] = ()
    more: Sequence[str] = ()  # paragraphs after the intro
    footer: str = ""  # "" = the catalogue's notice footer
    contact: str = ""  # whom to ask (the team lead); "" = nobody named
    newcomers: Sequence[SimilarResult] = ()  # engagements new since last night


@dataclass(frozen=True)
class FindingGroup:
    """The findings of one file and sheet, in row order."""

    source: str
    sheet: str
    findings: tuple[Finding, ...]


def blocked_notice(blocking: Sequence[Finding], period: str, language: str) -> RenderedReport:
    """Why the report did not go out: every blocking finding, by sheet."""
    return _render(
        Notice(
            subject=translate(language, "notice.blocked_subject", period=period),
            title=translate(language, "notice.blocked_title", period=period),
            intro=translate(language, "notice.blocked_intro", count=len(blocking)),
            findings=blocking,
        ),
        language,
    )


def nudge_notice(
    findings: Sequence[Finding], language: str, contact: str = "", site: str = ""
) -> RenderedReport:
    """One data keeper's own open findings, whom to ask (`contact`, the team lead), and where
    their block on the situation picture page is (`site`, when its address is known)."""
    count = len(findings)
    return _render(
        Notice(
            subject=translate(language, "notice.nudge_subject", count=count),
            title=translate(language, "notice.nudge_title"),
            intro=translate(language, "notice.nudge_intro", count=count),
            findings=findings,
            more=[translate(language, "site.nudge_link", url=site)] if site else [],
            contact=contact,
        ),
        language,
    )


def summary_notice(
    findings: Sequence[Finding],
    language: str,
    newcomers: Sequence[SimilarResult] = (),
    nudged: Sequence[str] = (),
) -> RenderedReport:
    """The team lead's summary of all open findings naming who got a nudge tonight, and the
    engagements new since last night."""
    blocking = sum(1 for f in findings if f.severity is Severity.BLOCKING)
    warning = len(findings) - blocking
    if not findings and newcomers:
        subject = translate(language, "similar.newcomers_subject", count=len(newcomers))
        title, intro = translate(language, "similar.newcomers_title"), ""
    else:
        subject = translate(language, "notice.summary_subject", blocking=blocking, warning=warning)
        title = translate(language, "notice.summary_title")
        intro = translate(language, "notice.summary_intro", blocking=blocking, warning=warning)
    more = [_nudged(language, nudged)] if findings else []
    return _render(Notice(subject, title, intro, findings, more, newcomers=newcomers), language)


def deadline_text(deadline: datetime, language: str) -> str:
    """'2.1.2027 klo 8.00' (fi) or '2 January 2027 at 08:00' (en)."""
    day, time = format_date(deadline.date(), language), format_time(deadline, language)
    return translate(language, "approval.deadline", date=day, time=time)


def approval_texts(
    language: str, *, period: str, recipients: Sequence[str], deadline: datetime, send: bool
) -> dict[str, str]:
    """The values the approval texts share: period, recipients, deadline, what the default does."""
    return {
        "period": period,
        "recipients": ", ".join(recipients),
        "deadline": deadline_text(deadline, language),
        "default_action": translate(language, f"approval.default_{'send' if send else 'hold'}"),
    }


def approval_intro(language: str, texts: dict[str, str], run_url: str) -> str:
    """The preview's first paragraph: how to approve, where (the run's link when known), by when."""
    where = (
        translate(language, "approval.where_link", url=run_url)
        if run_url
        else translate(language, "approval.where_runs")
    )
    return translate(language, "approval.preview_intro", where=where, **texts)


def default_notice(language: str, texts: dict[str, str], sent: bool) -> RenderedReport:
    """Tell the team lead that nobody answered in time and what the default did."""
    return _render(
        Notice(
            subject=translate(language, "approval.default_subject", **texts),
            title=translate(language, "approval.default_title", **texts),
            intro=translate(language, f"approval.default_{'sent' if sent else 'held'}", **texts),
            footer=translate(language, "approval.footer"),
        ),
        language,
    )


def cancelled_notice(language: str, texts: dict[str, str]) -> RenderedReport:
    """Tell the team lead that the waiting run was cancelled and nothing was sent."""
    return _render(
        Notice(
            subject=translate(language, "approval.cancelled.subject", **texts),
            title=translate(language, "approval.cancelled.title", **texts),
            intro=translate(language, "approval.cancelled.intro", **texts),
            footer=translate(language, "approval.footer"),
        ),
        language,
    )


def _nudged(language: str, nudged: Sequence[str]) -> str:
    if nudged:
        return translate(language, "nudges.sent", owners=", ".join(nudged))
    return translate(language, "nudges.none")


def failure_notice(failure: RunFailure, language: str) -> RenderedReport:
    """A run failed: the one-line error, advice that fits its kind, and the run's link if known."""
    flow, run = failure.flow, failure.run
    other = translate(language, "failure.advice_other")
    advice = translate(language, f"failure.advice_{failure.kind}", other)
    more = [translate(language, "failure.error", reason=failure.reason), advice]
    if failure.run_url:
        more.append(translate(language, "failure.run_link", url=failure.run_url))
    return _render(
        Notice(
            subject=translate(language, "notice.failure_subject", flow=flow),
            title=translate(language, "notice.failure_title", flow=flow),
            intro=translate(language, "failure.intro", run=run),
            more=more,
            footer=translate(language, "failure.footer"),
        ),
        language,
    )


def in_doubt_notice(doubts: Sequence[InDoubt], language: str) -> RenderedReport:
    """Deliveries nobody can vouch for: who, since when, why, how to check, how to send again."""
    first = doubts[0]
    period, who = first.key.period, [d.recipient for d in doubts]
    lines = [_doubt_line(d, language) for d in doubts]
    ids = sorted({d.message_id for d in doubts if d.message_id})
    check = (
        translate(language, "in_doubt.check", subject=first.subject, message_id=", ".join(ids))
        if ids
        else translate(language, "in_doubt.check_no_id", period=period)
    )
    to = " ".join(f"--to {r}" for r in who)
    resend = translate(language, "in_doubt.resend", period=period, to=to, recipients=", ".join(who))
    return _render(
        Notice(
            subject=translate(language, "in_doubt.subject", period=period),
            title=translate(language, "in_doubt.title", period=period),
            intro=translate(language, "in_doubt.intro", period=period),
            more=[*lines, check, resend, translate(language, "in_doubt.leave")],
            footer=translate(language, "in_doubt.footer"),
        ),
        language,
    )


def _doubt_line(doubt: InDoubt, language: str) -> str:
    since = (
        deadline_text(doubt.since, language)  # "2.7.2018 klo 10.32"
        if doubt.since
        else translate(language, "in_doubt.unknown_time")
    )
    why = (
        translate(language, "in_doubt.why_unsure")
        if doubt.unsure
        else translate(language, "in_doubt.why_stopped", by=doubt.claimed_by)
    )
    who = doubt.recipient
    return translate(language, "in_doubt.recipient", recipient=who, since=since, why=why)


def run_end_notice(end: RunEnd, language: str) -> RenderedReport:
    """A run crashed, was cancelled or vanished: what happened, whether a report was on its way."""
    what = translate(language, f"in_doubt.crash_{end.how}")
    claims = "in_doubt.crash_claims" if end.was_sending else "in_doubt.crash_no_claims"
    more = [translate(language, claims)]
    if end.run_url:
        more.append(translate(language, "in_doubt.crash_run_link", url=end.run_url))
    return _render(
        Notice(
            subject=translate(language, "in_doubt.crash_subject", flow=end.flow, state=end.state),
            title=translate(language, "in_doubt.crash_title", flow=end.flow),
            intro=translate(language, "in_doubt.crash_intro", run=end.run, what=what),
            more=more,
            footer=translate(language, "in_doubt.footer"),
        ),
        language,
    )


def _groups(findings: Sequence[Finding]) -> tuple[FindingGroup, ...]:
    """The findings by file and sheet in row order; the sheet holding the first cause (a
    duplicated id, a missing column) first."""
    ordered = sorted(findings, key=lambda f: (f.source, f.sheet, f.row, f.column))
    groups = [
        FindingGroup(source, sheet, tuple(items))
        for (source, sheet), items in groupby(ordered, key=lambda f: (f.source, f.sheet))
    ]
    return tuple(sorted(groups, key=lambda g: min(cause_first(f) for f in g.findings)))


def _render(notice: Notice, language: str) -> RenderedReport:
    """Fill the notice templates (HTML and text) with a notice."""
    values = {
        "lang": language,
        "title": notice.title,
        "intro": notice.intro,
        "groups": _groups(notice.findings),
        "contact": notice.contact,
        "newcomers": notice.newcomers,
        "more": notice.more,
        "footer": notice.footer or translate(language, "notice.footer"),
    }
    env = environment()
    return RenderedReport(
        subject=notice.subject,
        html=env.get_template("notice.html.j2").render(values),
        text=env.get_template("notice.txt.j2").render(values),
    )
