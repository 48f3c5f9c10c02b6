"""The headless-Chromium helpers measure what page tests rely on: overflow, axe, requests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.browser import (
    axe_violations,
    browser,
    horizontal_overflow,
    open_page,
    requests_leaving,
)

__all__ = ["browser"]

pytestmark = pytest.mark.slow

PAGE = """<!DOCTYPE html><html lang="fi"><head><meta charset="utf-8"><title>Koe</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>Koe</h1><div style="width:{width}px">leveä</div>{extra}</main></body></html>"""


def _page(folder: Path, width: int, extra: str = "") -> Path:
    path = folder / "index.html"
    path.write_text(PAGE.format(width=width, extra=extra), encoding="utf-8")
    return path


def test_a_block_wider_than_a_phone_scrolls_sideways_by_its_excess(browser, tmp_path):
    open_page(browser, _page(tmp_path, 478), width=390)
    assert horizontal_overflow(browser) == 8 + 478 - 390  # body's 8 px left margin, then the block
    open_page(browser, _page(tmp_path, 300), width=390)
    assert horizontal_overflow(browser) == 0


def test_axe_reports_an_image_without_alt_text_and_nothing_on_a_clean_page(browser, tmp_path):
    (tmp_path / "kuva.png").write_bytes(b"")
    open_page(browser, _page(tmp_path, 100, '<img src="kuva.png">'))
    assert [v["id"] for v in axe_violations(browser)] == ["image-alt"]
    open_page(browser, _page(tmp_path, 100))
    assert axe_violations(browser) == []


def test_requests_outside_the_folder_are_listed(browser, tmp_path):
    (tmp_path / "site").mkdir()
    page = _page(
        tmp_path / "site",
        100,
        '<img alt="" src="../muu.png"><img alt="" src="http://127.0.0.1:9/x.png">',
    )
    requests_leaving(browser, tmp_path)  # empty the log of earlier pages
    open_page(browser, page)
    leaving = requests_leaving(browser, tmp_path / "site")
    assert sorted(leaving) == sorted([(tmp_path / "muu.png").as_uri(), "http://127.0.0.1:9/x.png"])
