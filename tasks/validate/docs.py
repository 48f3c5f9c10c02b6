"""GX Data Docs that open offline: no CDN scripts, styles or images; the last N nights kept.

GX's own index page fills its tables with the scripts that are stripped here, so it is blank
offline: `finish_data_docs` replaces it with a static page linking every kept validation page,
and removes the validation pages of older nights (a folder per suite and run).
"""

from __future__ import annotations

import html as _html
import re
import shutil
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
.text-danger{color:#b00}.text-success{color:#070}.collapse:not(.show){display:none}
</style>"""


def offline_html(html: str) -> str:
    """Drop script, stylesheet and image tags that load from the network; inline a small style."""
    for pattern, replacement in _REMOTE_ASSETS:
        html = pattern.sub(replacement, html)
    if "</head>" in html and "d9: offline" not in html:
        html = html.replace("</head>", f"{_OFFLINE_STYLE}</head>", 1)
    return html


def build_data_docs(context: Any, directory: Path) -> None:
    """Build GX Data Docs of this run into `directory`, then make every page work offline."""
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
    for page in directory.rglob("*.html"):
        page.write_text(offline_html(page.read_text(encoding="utf-8")), encoding="utf-8")


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
