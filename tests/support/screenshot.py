"""Write the example report with its images to a folder and screenshot it with headless Chromium.

Not part of the test suite: run by hand to look at the email as a reader would, e.g.
`.venv/bin/python -m tests.support.screenshot /tmp/d9-shots` (needs the `chromium` package).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from schemas.report import ReportContext
from tasks.report.html import render_report
from tests.support.indicators import (
    GENERATED_AT,
    example_findings,
    example_indicators,
    example_trends,
)

WIDTHS = {"desktop": 800, "phone": 390}


def write_report(folder: Path, language: str) -> Path:
    """Render the example report into `folder`, images as files; return the HTML path."""
    report = render_report(
        ReportContext(
            example_indicators(), GENERATED_AT, example_trends(), example_findings(), language
        )
    )
    html = report.html
    for cid, png in report.images.items():
        (folder / f"{cid}.png").write_bytes(png)
        html = html.replace(f"cid:{cid}", f"{cid}.png")
    path = folder / f"report_{language}.html"
    path.write_text(html, encoding="utf-8")
    return path


def screenshot(page: Path, out: Path, width: int, height: int = 3600) -> None:
    """Screenshot `page` at `width` px with headless Chromium (no network, throwaway profile)."""
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--hide-scrollbars",
                f"--user-data-dir={profile}",
                f"--window-size={width},{height}",
                f"--screenshot={out}",
                page.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )


def main(folder: str) -> None:
    """Render both languages and screenshot each at desktop and phone width."""
    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    for language in ("fi", "en"):
        page = write_report(root, language)
        for name, width in WIDTHS.items():
            screenshot(page, root / f"{language}_{name}.png", width)
            print(root / f"{language}_{name}.png")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp(prefix="d9-shots-"))
