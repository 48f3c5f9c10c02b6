"""The mail channel: the report view as an email's subject, HTML body and text alternative.

The HTML (`templates/report.html.j2`, table layout for mail clients, a phone's 320 px without
sideways scrolling) shows the charts as `cid:` images; `RenderedReport.images` carries their
PNGs by content id, which the delivery stage attaches inline. The text body
(`templates/report.txt.j2`) says the same in plain text for clients that show no HTML.

Gmail clips an HTML part past about 102 KB as transmitted (quoted-printable), hiding the end of
the report and its contact line. The HTML part is kept within `HTML_BUDGET` bytes as sent: a
report that would exceed it (many key projects, long obstacle texts) is rendered compact, the
matrix and the obstacle list left to the attached PDF and appendix with a sentence saying so.
"""

from __future__ import annotations

from email.message import EmailMessage

from schemas.catalogue import translate
from schemas.report import RenderedReport, ReportContext
from schemas.view import ReportView
from tasks.report.templating import environment, variables
from tasks.report.view import build_view

HTML_BUDGET = 100_000  # bytes of the HTML part as sent; Gmail clips at about 102 KB


def encoded_size(html: str) -> int:
    """The bytes of an HTML body as a MIME part encodes it (the stdlib's choice of encoding)."""
    part = EmailMessage()
    part.set_content(html, subtype="html")
    return len(str(part.get_payload()).encode("ascii"))


def render_html(view: ReportView, compact: bool = False) -> str:
    """The report's HTML body; `compact` leaves the matrix and obstacle list to the attachments."""
    values = variables(view) | {"compact": compact}
    return environment().get_template("report.html.j2").render(values)


def render_mail(view: ReportView) -> RenderedReport:
    """Render the report's subject, HTML and text bodies and its inline chart images."""
    env, values = environment(), variables(view)
    subject = translate(
        view.language, "subject", period=view.period_label, summary=view.headline.summary
    )
    html = render_html(view)
    if encoded_size(html) > HTML_BUDGET:
        html = render_html(view, compact=True)
    return RenderedReport(
        subject=subject,
        html=html,
        text=env.get_template("report.txt.j2").render(values),
        images={chart.id: chart.png for chart in view.charts},
    )


def render_report(ctx: ReportContext) -> RenderedReport:
    """Build the view of a context and render it as mail (a shortcut for tests and tools)."""
    return render_mail(build_view(ctx))
