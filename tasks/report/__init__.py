"""Render: takes a `ReportContext`, builds the report view once and renders it per channel.

`view.build_view` makes the typed, frozen `schemas.view.ReportView` (the headline and cards from
`headline`, the half-year from `halfyear`, the comparisons with earlier reports from `trends`,
the matrix, missing branches, deregulation log and quality counts from `tables`, the PNG charts
of `charts`). The output channels lay it out, none importing another: `mail.render_mail` (HTML
with `cid:` images and a text alternative), `pdf.render_pdf` (A4, its own print template) and
`appendix.build_appendix` (the XLSX of the rows behind every figure, with the sheets of
`evidence`, which also picks the findings a report counts). All templates share the one Jinja
environment of `templating`; `i18n` formats for fi/en; `notices` renders the preview banner and
the short notices.
"""

from tasks.report.about import provenance
from tasks.report.appendix import build_appendix
from tasks.report.evidence import counted_findings, evidence_frames
from tasks.report.mail import render_mail, render_report
from tasks.report.notices import (
    approval_intro,
    approval_texts,
    blocked_notice,
    cancelled_notice,
    default_notice,
    failure_notice,
    in_doubt_notice,
    nudge_notice,
    preview,
    run_end_notice,
    summary_notice,
)
from tasks.report.pdf import render_pdf
from tasks.report.templating import environment
from tasks.report.view import build_view

__all__ = [
    "approval_intro",
    "approval_texts",
    "blocked_notice",
    "build_appendix",
    "build_view",
    "counted_findings",
    "cancelled_notice",
    "default_notice",
    "environment",
    "evidence_frames",
    "failure_notice",
    "in_doubt_notice",
    "nudge_notice",
    "run_end_notice",
    "preview",
    "provenance",
    "render_mail",
    "render_pdf",
    "render_report",
    "summary_notice",
]
