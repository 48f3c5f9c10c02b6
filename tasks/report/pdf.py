"""The PDF channel: the report view as an A4 PDF for the meeting papers (WeasyPrint).

Its own print template and CSS (`templates/print/`): semantic HTML, full-width tables with
numbers right-aligned and their header rows repeated on each page, the charts embedded from the
view as data: URIs. Every page's footer has the period and the as-of date at the left and
"page n / N" at the right. Nothing is fetched (no network, no files). The PDF is tagged
(PDF/UA-1, the report's language on `<html>`) for screen readers. WeasyPrint needs the pango
and cairo system libraries (README).
"""

from __future__ import annotations

import re

from schemas.catalogue import translate
from schemas.view import ReportView
from tasks.report.i18n import format_date
from tasks.report.templating import environment, variables

_PLACEHOLDER = re.compile(r"(\{page\}|\{pages\})")
_PAGE_CSS = """
@page {{
  size: A4;
  margin: 16mm 14mm 20mm 14mm;
  @bottom-left {{ content: {footer}; {font} }}
  @bottom-right {{ content: {page}; {font} }}
}}
"""
_FONT = "font-family: Arial, Helvetica, sans-serif; font-size: 8pt; color: #616161;"


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def css_content(template: str) -> str:
    """Turn a catalogue text with {page} and {pages} into a CSS `content` value with counters."""
    parts = []
    for piece in _PLACEHOLDER.split(template):
        if piece in ("{page}", "{pages}"):
            parts.append(f"counter({piece.strip('{}')})")
        elif piece:
            parts.append(_css_string(piece))
    return " ".join(parts)


def page_css(view: ReportView) -> str:
    """The page rules: A4, margins, footer with period, as-of date and page numbers."""
    lang = view.language
    footer = translate(
        lang, "pdf.footer", period=view.period_label, date=format_date(view.as_of, lang)
    )
    page = css_content(translate(lang, "pdf.page"))
    return _PAGE_CSS.format(footer=_css_string(footer), page=page, font=_FONT)


def print_html(view: ReportView) -> str:
    """Render the view with the print template (images inside it as data: URIs)."""
    return environment().get_template("print/report.html.j2").render(variables(view))


def html_to_pdf(html: str, css: str) -> bytes:
    """Lay out print HTML on A4 pages with the page rules `css`, fetching nothing."""
    import weasyprint  # a second to import: only when a PDF is made
    from weasyprint.urls import URLFetcher

    # Only data: URIs (the view's own charts); a file or web address is left out, with a warning.
    fetcher = URLFetcher(allowed_protocols=("data",))
    document = weasyprint.HTML(string=html, url_fetcher=fetcher)
    pdf = document.write_pdf(stylesheets=[weasyprint.CSS(string=css)], pdf_variant="pdf/ua-1")
    assert pdf is not None  # write_pdf without a target returns the bytes
    return pdf


def render_pdf(view: ReportView) -> bytes:
    """Render the report view as an A4 PDF."""
    return html_to_pdf(print_html(view), page_css(view))
