"""Render the short notices: the preview banner, a blocked report, nudges, summaries, failures.

Each gives a `RenderedReport` (subject, HTML, text); `tasks.deliver.compose` addresses it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import groupby

from schemas.catalogue import translate
from schemas.findings import Finding, Severity
from schemas.report import RenderedReport
from schemas.similar import SimilarResult
from tasks.report.html import environment


def preview(rendered: RenderedReport, language: str) -> RenderedReport:
    """The same report marked as a preview for the team lead: banner, subject and text intro."""
    intro = translate(language, "notice.preview_intro")
    banner = environment().get_template("partials/banner.html.j2").render(text=intro)
    html = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + banner, rendered.html, count=1)
    return RenderedReport(
        subject=translate(language, "notice.preview_subject", subject=rendered.subject),
        html=html,
        text=intro + "\n\n" + rendered.text,
        images=rendered.images,
    )


def blocked_notice(blocking: Sequence[Finding], period: str, language: str) -> RenderedReport:
    """Why the report did not go out: every blocking finding, by sheet."""
    return _notice(
        language,
        blocking,
        subject=translate(language, "notice.blocked_subject", period=period),
        title=translate(language, "notice.blocked_title", period=period),
        intro=translate(language, "notice.blocked_intro", count=len(blocking)),
    )


def nudge_notice(findings: Sequence[Finding], language: str, contact: str = "") -> RenderedReport:
    """One data keeper's own open findings, and whom to ask (`contact`, the team lead)."""
    count = len(findings)
    return _notice(
        language,
        findings,
        subject=translate(language, "notice.nudge_subject", count=count),
        title=translate(language, "notice.nudge_title"),
        intro=translate(language, "notice.nudge_intro", count=count),
        contact=contact,
    )


def summary_notice(
    findings: Sequence[Finding], language: str, newcomers: Sequence[SimilarResult] = ()
) -> RenderedReport:
    """The team lead's summary of all open findings, and the engagements new since last night."""
    blocking = sum(1 for f in findings if f.severity is Severity.BLOCKING)
    warning = len(findings) - blocking
    if not findings and newcomers:
        subject = translate(language, "similar.newcomers_subject", count=len(newcomers))
        title, intro = translate(language, "similar.newcomers_title"), ""
    else:
        subject = translate(language, "notice.summary_subject", blocking=blocking, warning=warning)
        title = translate(language, "notice.summary_title")
        intro = translate(language, "notice.summary_intro", blocking=blocking, warning=warning)
    return _notice(
        language, findings, subject=subject, title=title, intro=intro, newcomers=newcomers
    )


def failure_notice(flow: str, run: str, reason: str, language: str) -> RenderedReport:
    """A scheduled or manual run failed, and why (one line, no secrets)."""
    return _notice(
        language,
        (),
        subject=translate(language, "notice.failure_subject", flow=flow),
        title=translate(language, "notice.failure_title", flow=flow),
        intro=translate(language, "notice.failure_intro", run=run, reason=reason),
    )


def _notice(
    language: str,
    findings: Sequence[Finding],
    *,
    subject: str,
    title: str,
    intro: str,
    contact: str = "",
    newcomers: Sequence[SimilarResult] = (),
) -> RenderedReport:
    ordered = sorted(findings, key=lambda f: (f.source, f.sheet, f.row, f.column))
    groups = [
        {"source": source, "sheet": sheet, "findings": list(items)}
        for (source, sheet), items in groupby(ordered, key=lambda f: (f.source, f.sheet))
    ]
    view = {
        "lang": language,
        "title": title,
        "intro": intro,
        "groups": groups,
        "contact": contact,
        "newcomers": list(newcomers),
    }
    env = environment()
    return RenderedReport(
        subject=subject,
        html=env.get_template("notice.html.j2").render(view),
        text=env.get_template("notice.txt.j2").render(view),
    )
