"""GX Data Docs that open offline: no CDN scripts, styles or images."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

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
