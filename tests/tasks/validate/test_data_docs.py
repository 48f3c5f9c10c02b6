"""Data Docs kept for the last N nights, with an index page that is readable offline.

Contract: each suite keeps its `keep` newest validation runs (GX writes one folder per suite and
run); the index is static HTML (no scripts) linking every kept page, newest first, and the suites.
"""

from __future__ import annotations

from pathlib import Path

from tasks.validate.docs import finish_data_docs

NIGHTS = ["20261125T000102.1Z", "20261126T000103.2Z", "20261127T000104.3Z"]


def _gx_tree(root: Path) -> None:
    for suite in ("engagements", "feedback"):
        for night in NIGHTS:
            page = root / "validations" / suite / "__none__" / night / f"d9-{suite}.html"
            page.parent.mkdir(parents=True)
            page.write_text("<html><body>ok</body></html>", encoding="utf-8")
        (root / "expectations").mkdir(exist_ok=True)
        (root / "expectations" / f"{suite}.html").write_text("<html></html>", encoding="utf-8")
    (root / "index.html").write_text(
        '<html><head><script src="https://cdn.example/x.js"></script></head><body></body></html>',
        encoding="utf-8",
    )


def test_only_the_last_nights_are_kept(tmp_path: Path) -> None:
    _gx_tree(tmp_path)
    finish_data_docs(tmp_path, 2, "fi")
    for suite in ("engagements", "feedback"):
        kept = sorted(p.name for p in (tmp_path / "validations" / suite / "__none__").iterdir())
        assert kept == NIGHTS[1:]


def test_the_index_links_every_kept_page_newest_first_without_scripts(tmp_path: Path) -> None:
    _gx_tree(tmp_path)
    finish_data_docs(tmp_path, 30, "en")
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "<script" not in index and "cdn.example" not in index
    assert "<h1>Great Expectations checks (Data Docs)</h1>" in index
    links = [
        f'<a href="validations/engagements/__none__/{night}/d9-engagements.html">'
        for night in NIGHTS
    ]
    positions = [index.index(link) for link in links]
    assert positions == sorted(positions, reverse=True)  # newest first
    assert ">2026-11-27 00:01:04 UTC</a>" in index
    assert '<a href="expectations/feedback.html">feedback</a>' in index
