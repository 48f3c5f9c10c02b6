"""The Data Docs pages read offline and in the register's own terms.

Contract: each check's status is a word, not a Font Awesome icon (whose font is not there
offline); each check says its severity and the sheet's own header ("Estävä – Tunnus: tunnus
toistuu"); a page's overview says which severity failed (GX itself calls a failed warning a
failure); the dataset is named (no "Data asset: None"); row and position columns are named in
Finnish; file names hold no `:` (Windows, SMB shares); GX's newsletter footer is gone.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from schemas.settings import Owners, Settings
from tasks.validate import validate
from tasks.validate.docs import DocsTerms, Failed, readable_html
from tests.support import tables as t

SETTINGS = Settings(owners=Owners(engagements="tiimi@example.org"))
TODAY = date(2018, 7, 2)


def _page(root: Path, suite: str) -> str:
    [page] = (root / "validations" / suite).rglob("*.html")
    return page.read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_failed_checks_and_their_severity_show_offline(tmp_path: Path) -> None:
    base = t.valid_inputs()
    register = t.set_cell(base.engagements, 4, "engagement_id", "D9-001")  # row 3's id again
    register = t.set_cell(register, 5, "life_path", None)  # a warning beside it
    validate(replace(base, engagements=register), SETTINGS, data_docs_dir=tmp_path, today=TODAY)

    assert not [p for p in tmp_path.rglob("*") if ":" in p.name]
    page = _page(tmp_path, "engagements")
    assert "fa-" not in page and "Subscribe" not in page and "Data asset: None" not in page
    assert "Aineisto: engagements" in page
    assert "✗ estäviä virheitä: 1 tarkistusta" in page
    duplicate = page.index("Estävä – Tunnus: tunnus toistuu")
    failed = page.rindex("✗ ei läpäissyt", 0, duplicate)
    assert page.rfind("✓ läpäisi", 0, duplicate) < failed  # its own row's status
    assert re.search(r">\s*Rivi\s*<", page) and not re.search(r">\s*_row\s*<", page)
    assert "Varoitus – Elämänpolku: suositeltava tieto puuttuu" in page


def test_a_page_with_failed_warnings_only_says_nothing_blocks() -> None:
    html = (
        '<span class="h6" >Status:</span> <i class="fas fa-times text-danger" aria-hidden="true">'
        '</i> Failed<td><i class="fas fa-times text-danger" ></i></td><th>life_path</th>'
        '<footer><p>Stay current <a href="https://greatexpectations.io/">Subscribe</a></p></footer>'
    )
    terms = DocsTerms("fi", {"engagements": {"life_path": "Elämänpolku"}})
    out = readable_html(html, "engagements", terms, Failed(0, 2))
    assert out == (
        '<span class="h6" >Status:</span> <span class="text-warning">⚠ vain varoituksia: 2 '
        "tarkistusta (ei estäviä virheitä) – raportti voidaan lähettää</span>"
        '<td><span class="text-danger">✗ ei läpäissyt</span></td><th>Elämänpolku</th>'
    )
