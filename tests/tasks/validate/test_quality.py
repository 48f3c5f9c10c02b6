"""Contract of `tasks.validate.quality` and `stored`: findings grouped per owner (with a
fallback), an order-independent digest, the night's findings kept in the state store telling
whether anything changed since the last run, and the `d9 check` text grouped by sheet.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from schemas.findings import Finding, Severity
from tasks.statedb import sqlite_store
from tasks.validate import previous_findings, remember_findings
from tasks.validate.quality import (
    blocking_summary,
    changed_owners,
    findings_by_owner,
    findings_digest,
    format_finding,
    format_findings_text,
)

NIGHT = datetime(2018, 7, 2, 1, 0, tzinfo=UTC)

STATUS = Finding(
    "engagements",
    "seuranta.xlsx",
    "Toimeksiannot",
    12,
    "Tila",
    "valmiina",
    "allowed_values",
    Severity.BLOCKING,
    "arvo ei ole sallittu",
    "D9-012",
    "anna.aalto@example.org",
)
LIFE_PATH = Finding(
    "engagements",
    "seuranta.xlsx",
    "Toimeksiannot",
    7,
    "Elämänpolku",
    "",
    "expected",
    Severity.WARNING,
    "suositeltava tieto puuttuu",
    "D9-007",
    "bertta.berg@example.org",
)
RATING = Finding(
    "feedback",
    "seuranta.xlsx",
    "Palaute",
    3,
    "Lisäarvo",
    "6",
    "range",
    Severity.BLOCKING,
    "arvo sallitun välin ulkopuolella",
    "D9-001",
    "",
)


def test_findings_by_owner_uses_the_fallback_for_rows_without_owner() -> None:
    groups = findings_by_owner([STATUS, RATING, LIFE_PATH], "tiimi@example.org")
    assert groups == {
        "anna.aalto@example.org": [STATUS],
        "tiimi@example.org": [RATING],
        "bertta.berg@example.org": [LIFE_PATH],
    }


def test_digest_is_stable_and_order_independent() -> None:
    digest = findings_digest([STATUS, LIFE_PATH, RATING])
    assert digest == findings_digest([RATING, STATUS, LIFE_PATH])
    assert len(digest) == 64 and digest != findings_digest([STATUS, LIFE_PATH])
    assert findings_digest([STATUS, LIFE_PATH, replace(RATING, value="7")]) != digest


def test_the_nights_findings_are_kept_as_json_with_their_digest(tmp_path: Path) -> None:
    store = sqlite_store(tmp_path / "state")
    assert remember_findings(store, [STATUS, RATING], NIGHT)  # nothing kept before: changed
    assert store.path is not None
    with sqlite3.connect(store.path) as conn:
        digest, text = conn.execute("SELECT digest, findings FROM findings_run").fetchone()
    conn.close()
    assert json.loads(text)[0] == {
        "dataset": "engagements",
        "source": "seuranta.xlsx",
        "sheet": "Toimeksiannot",
        "row": 12,
        "column": "Tila",
        "value": "valmiina",
        "rule": "allowed_values",
        "severity": "blocking",
        "message": "arvo ei ole sallittu",
        "engagement_id": "D9-012",
        "owner": "anna.aalto@example.org",
    }
    assert digest == findings_digest([RATING, STATUS])
    assert [p.name for p in store.folder.iterdir()] == ["state.sqlite"]


def test_remembering_tells_whether_the_findings_changed_since_last(tmp_path: Path) -> None:
    store = sqlite_store(tmp_path)
    assert previous_findings(store) == ()
    assert remember_findings(store, [STATUS, RATING], NIGHT)
    assert not remember_findings(store, [RATING, STATUS], NIGHT)  # same, in another order
    assert remember_findings(store, [STATUS], NIGHT)
    assert remember_findings(store, [], NIGHT)
    assert previous_findings(store) == ()


def test_findings_of_an_earlier_versions_file_are_carried_over(tmp_path: Path) -> None:
    payload = {"digest": findings_digest([STATUS]), "findings": [{**vars(STATUS)}]}
    (tmp_path / "findings.json").write_text(json.dumps(payload), encoding="utf-8")
    store = sqlite_store(tmp_path)
    assert previous_findings(store) == (STATUS,)
    assert not remember_findings(store, [STATUS], NIGHT)  # not news: nobody is nudged again
    assert (tmp_path / "findings.json.imported").exists()


def test_format_findings_text_groups_by_sheet_in_row_order() -> None:
    text = format_findings_text([STATUS, RATING, LIFE_PATH])
    assert text.splitlines() == [
        "seuranta.xlsx, sheet 'Palaute' — 1 blocking, 0 warnings",
        "  sheet 'Palaute' — row 3, column 'Lisäarvo' [D9-001]: "
        "arvo sallitun välin ulkopuolella: '6' (blocking)",
        "seuranta.xlsx, sheet 'Toimeksiannot' — 1 blocking, 1 warning",
        "  sheet 'Toimeksiannot' — row 7, column 'Elämänpolku' [D9-007, bertta.berg@example.org]: "
        "suositeltava tieto puuttuu (warning)",
        "  sheet 'Toimeksiannot' — row 12, column 'Tila' [D9-012, anna.aalto@example.org]: "
        "arvo ei ole sallittu: 'valmiina' (blocking)",
    ]


def test_a_sheet_wide_finding_names_no_row() -> None:
    """A missing column is about the whole sheet: never "row 0" (no such spreadsheet row)."""
    missing = replace(LIFE_PATH, row=0, engagement_id="", owner="", column="Välitetty")
    assert format_finding(missing).startswith("sheet 'Toimeksiannot' — whole sheet, column")


def test_format_findings_text_without_findings() -> None:
    assert format_findings_text([]) == "No data-quality findings."


@pytest.mark.parametrize(("limit", "tail"), [(3, ""), (1, " (and 1 more)")])
def test_blocking_summary_names_the_first_locations(limit: int, tail: str) -> None:
    summary = blocking_summary([RATING, STATUS], limit=limit)
    # a value not allowed in the register before a rating out of range in the feedback sheet
    first = "seuranta.xlsx, sheet 'Toimeksiannot', row 12, column 'Tila': arvo ei ole sallittu"
    assert summary.startswith(f"2 blocking data-quality findings: {first}")
    assert summary.endswith(tail or "arvo sallitun välin ulkopuolella")


def test_blocking_summary_leads_with_the_cause_not_its_consequences() -> None:
    def reference(row: int) -> Finding:
        return replace(RATING, row=row, column="Tunnus", rule="reference", message="viittaus")

    duplicate = replace(STATUS, row=40, column="Tunnus", rule="unique", message="tunnus toistuu")
    summary = blocking_summary([reference(2), reference(3), reference(4), duplicate])
    assert summary == (
        "4 blocking data-quality findings: seuranta.xlsx, sheet 'Toimeksiannot', row 40, "
        "column 'Tunnus': tunnus toistuu; seuranta.xlsx, sheet 'Palaute', row 2, column "
        "'Tunnus': viittaus; seuranta.xlsx, sheet 'Palaute', row 3, column 'Tunnus': viittaus"
        " (and 1 more)"
    )


def test_only_owners_whose_own_findings_changed_count_as_changed(tmp_path: Path) -> None:
    lead = "lead@example.org"
    assert changed_owners([STATUS, LIFE_PATH], (), lead) == (
        "anna.aalto@example.org",
        "bertta.berg@example.org",
    )  # nothing stored yet: everyone with findings
    remember_findings(sqlite_store(tmp_path), [STATUS, LIFE_PATH], NIGHT)
    before = previous_findings(sqlite_store(tmp_path))
    assert sorted(before) == sorted([STATUS, LIFE_PATH])
    assert changed_owners([LIFE_PATH, STATUS], before, lead) == ()
    # Bertta fixed hers, an owner-less rating appeared (the lead's): Anna is untouched.
    assert changed_owners([STATUS, RATING], before, lead) == (lead,)
    edited = replace(STATUS, value="valmis")
    assert changed_owners([edited, LIFE_PATH], before, lead) == ("anna.aalto@example.org",)
