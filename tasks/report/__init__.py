"""Render: takes the `Indicators` of a date (inside a `ReportContext`), gives a `RenderedReport`.

`html.render_report` fills the Jinja templates (HTML and text) with what `view` prepares and
the PNG charts of `charts` (the headline and cards from `headline`, the half-year from
`halfyear`); `pdf.report_pdf` makes the A4 PDF of the same HTML; `appendix.build_appendix`
writes the XLSX of the rows behind every figure, plus the sheets of `evidence` (trend values,
findings counted, missing branches), which also picks the findings a report counts (those on
rows its figures use); `notices` renders the preview banner and the short notices; `i18n`
formats for fi/en.
"""

from tasks.report.appendix import build_appendix, provenance
from tasks.report.evidence import counted_findings, evidence_frames
from tasks.report.html import environment, render_report
from tasks.report.notices import (
    blocked_notice,
    failure_notice,
    nudge_notice,
    preview,
    summary_notice,
)
from tasks.report.pdf import report_pdf

__all__ = [
    "blocked_notice",
    "build_appendix",
    "counted_findings",
    "environment",
    "evidence_frames",
    "failure_notice",
    "nudge_notice",
    "preview",
    "provenance",
    "render_report",
    "report_pdf",
    "summary_notice",
]
