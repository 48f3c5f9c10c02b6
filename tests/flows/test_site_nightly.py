"""The nightly check rewrites the situation picture when `[site] dir` is set, under Prefect with
a real SMTP server on 127.0.0.1.

Contract: the site is written as of today within the programme (the sample's programme has
ended: its deadline), whole (an earlier site's files do not survive), the run's artifact links
to it at `[site] base_url`, and each nudged owner's mail links to their own block on it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

from flows.nightly_check import nightly_check_flow
from tests.support.project import edited_sheet, sample_project
from tests.support.smtp import SmtpServer

pytestmark = [pytest.mark.slow, pytest.mark.integration]

BASE = "https://intra.example.org/d9"


def test_the_nightly_check_rewrites_the_site_and_nudges_link_to_each_owners_block(
    tmp_path: Path, smtp: SmtpServer
) -> None:
    extra = f'[site]\ndir = "sivu"\nbase_url = "{BASE}/"\n'
    config = sample_project(tmp_path, smtp_port=smtp.port, extra=extra)
    with edited_sheet(tmp_path / "seuranta.xlsx", "Toimeksiannot") as sheet:
        owner = sheet.get(10, "Vastuuhenkilö")
        sheet.set(10, "Elämänpolku", None)
    site = tmp_path / "sivu"
    site.mkdir()
    (site / ".d9-site").write_text("an earlier site", encoding="utf-8")
    (site / "old.js").write_text("stale", encoding="utf-8")

    nightly_check_flow(config=str(config))

    page = (site / "index.html").read_text(encoding="utf-8")
    assert not (site / "old.js").exists()  # replaced whole, not written over
    assert "Tilanne 31.12.2018" in page  # today, clamped to the programme's deadline
    [leftover] = [p for p in tmp_path.iterdir() if p.name.startswith(".sivu")] or [None]
    assert leftover is None  # no half-written folder left beside it
    anchor = re.search(rf'data-owner="{re.escape(owner)}" id="(owner-[a-z0-9-]+)"', page)
    assert anchor is not None
    nudge = next(m.parsed() for m in smtp.messages if m.rcpt_tos == (owner,))
    text = nudge.get_body(("plain",)).get_content()
    assert f"{BASE}/index.html#{anchor.group(1)}" in text
    html = nudge.get_body(("html",)).get_content()
    assert f'href="{BASE}/index.html#{anchor.group(1)}"' in html
    assert f"({BASE}/index.html)" in _artifact("d9-site")


def _artifact(key: str) -> str:
    """The latest artifact of a key, as the UI shows it (one client, closed after use)."""
    with get_client(sync_client=True) as client:
        found = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[key])), limit=1
        )
    return str(found[0].data) if found else ""
