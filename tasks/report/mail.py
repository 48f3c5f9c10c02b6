"""The mail channel: the report view as an email's subject, HTML body and text alternative.

The HTML (`templates/report.html.j2`, table layout and inline styles for mail clients) shows the
charts as `cid:` images; `RenderedReport.images` carries their PNGs by content id, which the
delivery stage attaches inline. The text body (`templates/report.txt.j2`) says the same in
plain text for clients that show no HTML.
"""

from __future__ import annotations

from schemas.catalogue import translate
from schemas.report import RenderedReport, ReportContext
from schemas.view import ReportView
from tasks.report.templating import environment, variables
from tasks.report.view import build_view


def render_mail(view: ReportView) -> RenderedReport:
    """Render the report's subject, HTML and text bodies and its inline chart images."""
    env, values = environment(), variables(view)
    subject = translate(
        view.language, "subject", period=view.period_label, summary=view.headline.summary
    )
    return RenderedReport(
        subject=subject,
        html=env.get_template("report.html.j2").render(values),
        text=env.get_template("report.txt.j2").render(values),
        images={chart.id: chart.png for chart in view.charts},
    )


def render_report(ctx: ReportContext) -> RenderedReport:
    """Build the view of a context and render it as mail (a shortcut for tests and tools)."""
    return render_mail(build_view(ctx))
