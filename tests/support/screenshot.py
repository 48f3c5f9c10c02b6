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
from tasks.report.mail import render_report
from tests.support.indicators import (
    GENERATED_AT,
    example_findings,
    example_indicators,
    example_trends,
)

WIDTHS = {"desktop": 1000, "phone": 390}


def write_report(folder: Path, language: str) -> Path:
    """Render the example report into `folder`, images as files; return the HTML path."""
    report = render_report(
        ReportContext(
            example_indicators(),
            GENERATED_AT,
            example_trends(),
            example_findings(),
            language,
            contact="tiimivetaja@example.org",
        )
    )
    html = report.html
    for cid, png in report.images.items():
        (folder / f"{cid}.png").write_bytes(png)
        html = html.replace(f"cid:{cid}", f"{cid}.png")
    path = folder / f"report_{language}.html"
    path.write_text(html, encoding="utf-8")
    return path


MIN_WINDOW = 500  # headless Chromium lays out no narrower than this, whatever --window-size says


def screenshot(page: Path, out: Path, width: int, height: int = 6400) -> None:
    """Screenshot `page` at `width` px with headless Chromium (no network, throwaway profile).

    Below Chromium's minimum window width the page is shown in an iframe of exactly `width`
    px (a true phone-width viewport) and the shot is cropped to it.
    """
    if width < MIN_WINDOW:
        frame = page.with_name(f"{page.stem}.{width}px.html")
        frame.write_text(
            f'<!DOCTYPE html><html><body style="margin:0"><iframe src="{page.name}" '
            f'style="border:0;width:{width}px;height:{height}px"></iframe></body></html>',
            encoding="utf-8",
        )
        _chromium(frame, out, MIN_WINDOW, height)
        from PIL import Image  # matplotlib's dependency

        with Image.open(out) as shot:
            shot.crop((0, 0, width, height)).save(out)
        return
    _chromium(page, out, width, height)


def _chromium(page: Path, out: Path, width: int, height: int) -> None:
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
