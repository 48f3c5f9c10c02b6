"""The report as a PDF for the meeting papers: WeasyPrint from the same HTML as the email.

A4, the period and the as-of date in the footer at the left, "page n / N" at the right. The
email's images are given to WeasyPrint from memory by their `cid:`; nothing else is fetched
(no network, no files). WeasyPrint needs the pango and cairo system libraries (README).
"""

from __future__ import annotations

import re
from typing import Any

from schemas.catalogue import translate
from schemas.report import RenderedReport, ReportContext
from tasks.report.i18n import format_date
from tasks.report.view import period_label

_PLACEHOLDER = re.compile(r"(\{page\}|\{pages\})")
_PAGE_CSS = """
@page {{
  size: A4;
  margin: 16mm 14mm 20mm 14mm;
  @bottom-left {{ content: {footer}; {font} }}
  @bottom-right {{ content: {page}; {font} }}
}}
html, body {{ background: #ffffff !important; }}
table[bgcolor="#f2f2f2"] {{ background: #ffffff !important; }}
td[bgcolor="#f2f2f2"] {{ padding: 0 !important; }}
table[bgcolor="#ffffff"] {{ max-width: none !important; }}
h1, h2, h3 {{ break-after: avoid; }}
tr tr tr, img, li {{ break-inside: avoid; }}  /* rows of cards and data tables */
"""
_FONT = "font-family: Arial, Helvetica, sans-serif; font-size: 9pt; color: #616161;"


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


def page_css(ctx: ReportContext) -> str:
    """The print rules: A4, margins, footer with period, as-of date and page numbers."""
    lang = ctx.language
    footer = translate(
        lang,
        "pdf.footer",
        period=period_label(ctx.indicators, lang),
        date=format_date(ctx.indicators.as_of, lang),
    )
    page = css_content(translate(lang, "pdf.page"))
    return _PAGE_CSS.format(footer=_css_string(footer), page=page, font=_FONT)


def _fetcher(images: dict[str, bytes]) -> Any:
    """A WeasyPrint URL fetcher that answers `cid:` URLs from memory and refuses the rest."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class Images(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            cid = url.removeprefix("cid:")
            if not url.startswith("cid:") or cid not in images:
                raise ValueError(f"the report PDF fetches only its own images, not {url!r}")
            return URLFetcherResponse(url, images[cid], {"Content-Type": "image/png"})

    # A refused URL is left out with a warning (WeasyPrint's fatal error is a BaseException).
    return Images(allowed_protocols=("cid",))


def report_pdf(rendered: RenderedReport, ctx: ReportContext) -> bytes:
    """Render the report's HTML, with its chart images, to an A4 PDF."""
    import weasyprint  # a second to import: only when a PDF is made

    fetcher = _fetcher(dict(rendered.images))
    document = weasyprint.HTML(string=rendered.html, url_fetcher=fetcher)
    pdf = document.write_pdf(stylesheets=[weasyprint.CSS(string=page_css(ctx))])
    assert pdf is not None  # write_pdf without a target returns the bytes
    return pdf
