"""The team lead's review ("Tiimin vetäjän katsaus"): Markdown from a file or the approval note.

A tilannekuva usually opens with the lead's own words: the commentary, the risks, the decisions
asked of the group. The lead writes them in a Markdown file named by `[report] commentary`
(relative to the configuration file) or in the approval form's note. The text is the lead's,
not the program's, so it is rendered safely: raw HTML is shown as text, images are not loaded
(a mail must fetch nothing), links keep only safe schemes (markdown-it's own check), and its
headings sit under the report's own (h3 and below). Empty text means no block.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from markdown_it import MarkdownIt
from markupsafe import Markup

from schemas.errors import InputError

MAX_BYTES = 64_000  # a review is a page at most; a larger file is surely the wrong file


@cache
def _parser() -> MarkdownIt:
    # CommonMark with raw HTML off; images off: a report fetches nothing from anywhere.
    return MarkdownIt("commonmark", {"html": False}).disable("image")


def markdown_html(text: str) -> Markup:
    """Render the lead's Markdown as safe HTML, headings moved under the report's h2."""
    parser = _parser()
    tokens = parser.parse(text)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(max(int(token.tag[1]) + 2, 3), 6)}"
    return Markup(parser.renderer.render(tokens, parser.options, {}))  # noqa: S704 - escaped by markdown-it


def read_commentary(path: str) -> str:
    """Read the review file (UTF-8); "" when no file is configured. One-line error otherwise."""
    if not path:
        return ""
    file = Path(path)
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise InputError(f"the commentary file cannot be read: {exc.strerror}", file=path) from exc
    if len(data) > MAX_BYTES:
        raise InputError(f"the commentary file is over {MAX_BYTES} bytes", file=path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError("the commentary file is not UTF-8 text", file=path) from exc
    return text.strip()
