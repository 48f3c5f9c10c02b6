"""GX Data Docs that open offline: no CDN scripts, styles or images; the last N nights kept.

GX's own index page fills its tables with the scripts that are stripped here, so it is blank
offline: `finish_data_docs` replaces it with a static page linking every kept validation page,
and removes the validation pages of older nights (a folder per suite and run).

Each page is also made readable (`readable_html`): the Font Awesome status icons (whose font
is not there offline) become words, the overview says which severity failed (GX counts a
failed warning as a failure: "Status: Failed, 84 %" while nothing blocks), the dataset is
named, columns carry the register's own headers, and GX's newsletter footer goes.
"""

from __future__ import annotations

import html as _html
import re
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schemas.catalogue import translate

_RUN = re.compile(
    r"^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})"
)  # GX run folder: 20261127T103750…

_REMOTE = r"""["'](?:https?:)?//[^"']*["']"""
_REMOTE_ASSETS = (  # (pattern, replacement)
    (re.compile(rf"<script\b[^>]*\bsrc\s*=\s*{_REMOTE}[^>]*>\s*</script>", re.I), ""),
    (re.compile(rf"<link\b[^>]*\bhref\s*=\s*{_REMOTE}[^>]*>", re.I), ""),
    (re.compile(rf"<img\b[^>]*\bsrc\s*=\s*{_REMOTE}[^>]*>", re.I), ""),
    (re.compile(r"@import\s+url\([^)]*\)\s*;?", re.I), ""),
    (re.compile(r"""url\(\s*["']?(?:https?:)?//[^)]*\)""", re.I), "none"),
)
_OFFLINE_STYLE = """<style>/* d9: offline replacement for the CDN stylesheets */
body{font-family:system-ui,sans-serif;margin:1rem;color:#222}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ccc;padding:.2rem .4rem}
.text-danger{color:#b00}.text-success{color:#070}.text-warning{color:#8a5a00}.collapse:not(.show){display:none}
</style>"""


def offline_html(html: str) -> str:
    """Drop script, stylesheet and image tags that load from the network; inline a small style."""
    for pattern, replacement in _REMOTE_ASSETS:
        html = pattern.sub(replacement, html)
    if "</head>" in html and "d9: offline" not in html:
        html = html.replace("</head>", f"{_OFFLINE_STYLE}</head>", 1)
    return html


@dataclass(frozen=True)
class DocsTerms:
    """The reader's terms for the pages: language, and per suite its columns' own headers."""

    language: str = "en"
    headers: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # suite -> column


@dataclass(frozen=True)
class Failed:
    """How many checks of a suite failed, by severity."""

    blocking: int = 0
    warning: int = 0


def safe_name(view: str) -> str:
    """A suite's name as it may appear in a file name (no `:` on Windows or SMB shares)."""
    return re.sub(r"[^\w.-]", "-", view)


_ICONS = (
    (re.compile(r"<i\b[^>]*\bfa-check[^>]*>\s*</i>"), "passed", "text-success"),
    (re.compile(r"<i\b[^>]*\bfa-times[^>]*>\s*</i>"), "failed", "text-danger"),
)
_ANY_ICON = re.compile(r"<i\b[^>]*\bfa[rsb]?\s+fa-[^>]*>\s*</i>")
_NEWSLETTER = re.compile(r"<footer>.*?</footer>", re.S)
_STATUS = re.compile(r'(<span class="h6" >Status:</span>)\s*<span[^>]*>[^<]*</span>\s*\w+')
_ASSET = re.compile(r"Data asset: None")


def _t(language: str, key: str, **values: int) -> str:
    return translate(language, f"data_docs.page.{key}", None, **values)


def _status_text(failed: Failed, language: str) -> str:
    if failed.blocking:
        return _t(language, "status_blocking", blocking=failed.blocking, warning=failed.warning)
    if failed.warning:
        return _t(language, "status_warning", warning=failed.warning)
    return _t(language, "status_passed")


def readable_html(html: str, suite: str, terms: DocsTerms, failed: Failed | None) -> str:
    """A validation or suite page in the reader's terms (see the module's docstring)."""
    lang, esc = terms.language, _html.escape
    for pattern, key, css in _ICONS:
        html = pattern.sub(f'<span class="{css}">{esc(_t(lang, key))}</span>', html)
    html = _ANY_ICON.sub("", _NEWSLETTER.sub("", html))
    if failed is not None:
        css = (
            "text-danger"
            if failed.blocking
            else "text-warning"
            if failed.warning
            else "text-success"
        )
        status = f'\\1 <span class="{css}">{esc(_status_text(failed, lang))}</span>'
        html = _STATUS.sub(status, html)
    html = _ASSET.sub(f"{esc(_t(lang, 'dataset'))}: {esc(suite)}", html)
    names = {"_row": _t(lang, "row"), "_pos": _t(lang, "position"), **terms.headers.get(suite, {})}
    for column, header in names.items():
        html = re.sub(rf">(\s*){re.escape(column)}(\s*)<", rf">\g<1>{esc(header)}\g<2><", html)
    return html


def build_data_docs(
    context: Any,
    directory: Path,
    terms: DocsTerms | None = None,
    failed: Mapping[str, Failed] | None = None,
) -> None:
    """Build GX Data Docs of this run into `directory`, then make every page work offline and
    read in the reader's terms (`failed`: per suite, for its validation page's status)."""
    directory.mkdir(parents=True, exist_ok=True)
    context.add_data_docs_site(
        "d9",
        {
            "class_name": "SiteBuilder",
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(directory),
            },
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        },
    )
    context.build_data_docs(site_names=["d9"])
    terms, failed = terms or DocsTerms(), failed or {}
    for page in directory.rglob("*.html"):
        html = offline_html(page.read_text(encoding="utf-8"))
        suite = _suite_of(page, directory)
        if suite:
            html = readable_html(html, suite, terms, failed.get(suite) if _is_run(page) else None)
        page.write_text(html, encoding="utf-8")


def _suite_of(page: Path, directory: Path) -> str:
    """The suite a page belongs to: validations/<suite>/… or expectations/<suite>.html."""
    parts = page.relative_to(directory).parts
    if parts[0] == "validations" and len(parts) > 2:
        return parts[1]
    return page.stem if parts[0] == "expectations" else ""


def _is_run(page: Path) -> bool:
    return any(_RUN.match(part) for part in page.parts)


def _runs(directory: Path) -> dict[str, list[Path]]:
    """Validation run folders per suite, newest first: validations/<suite>/<run name>/<time>/."""
    out: dict[str, list[Path]] = {}
    for suite in sorted(p for p in (directory / "validations").glob("*") if p.is_dir()):
        runs = [t for t in suite.glob("*/*") if t.is_dir() and _RUN.match(t.name)]
        out[suite.name] = sorted(runs, key=lambda t: t.name, reverse=True)
    return out


def prune_runs(directory: Path, keep: int) -> list[Path]:
    """Remove each suite's validation pages older than its `keep` newest runs; return them."""
    removed = [old for runs in _runs(directory).values() for old in runs[keep:]]
    for folder in removed:
        shutil.rmtree(folder)
    return removed


def _when(folder: Path) -> str:
    y, mo, d, h, mi, s = _RUN.match(folder.name).groups()  # type: ignore[union-attr]
    return f"{y}-{mo}-{d} {h}:{mi}:{s} UTC"


def index_html(directory: Path, language: str) -> str:
    """A static index of the kept validation pages (newest first) and the suites."""
    esc = _html.escape
    title = translate(language, "data_docs.title")
    parts = [f"<h1>{esc(title)}</h1>", f"<h2>{esc(translate(language, 'data_docs.runs'))}</h2>"]
    for suite, runs in _runs(directory).items():
        pages = [(run, page) for run in runs for page in sorted(run.glob("*.html"))[:1]]
        links = "".join(
            f'<li><a href="{esc(page.relative_to(directory).as_posix())}">{esc(_when(run))}</a>'
            for run, page in pages
        )
        parts.append(f"<h3>{esc(suite)}</h3><ul>{links}</ul>")
    suites = "".join(
        f'<li><a href="expectations/{esc(p.name)}">{esc(p.stem)}</a></li>'
        for p in sorted((directory / "expectations").glob("*.html"))
    )
    parts.append(f"<h2>{esc(translate(language, 'data_docs.suites'))}</h2><ul>{suites}</ul>")
    head = f'<meta charset="utf-8"><title>{esc(title)}</title>'
    body = "".join(parts)
    return offline_html(
        f'<!DOCTYPE html><html lang="{language}"><head>{head}</head><body>{body}</body></html>'
    )


def finish_data_docs(directory: Path, keep: int, language: str) -> None:
    """Keep the last `keep` runs of each suite and write the static, offline index page."""
    prune_runs(directory, keep)
    (directory / "index.html").write_text(index_html(directory, language), encoding="utf-8")
