"""Contract of `tasks.quality`: findings grouped per owner (with a fallback), an order-independent
digest, an atomic JSON findings file whose digest tells whether anything changed since the
last run, and the `d9 check` text grouped by sheet.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from schemas.findings import Finding, Severity
from tasks.validate.quality import (
    blocking_summary,
    changed_owners,
    changed_since_last,
    findings_by_owner,
    findings_digest,
    format_findings_text,
    previous_findings,
    read_last_digest,
    write_findings,
)

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
    "suositeltu tieto puuttuu",
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


def test_write_findings_is_json_and_leaves_no_temp_file(tmp_path: Path) -> None:
    path = write_findings([STATUS, RATING], tmp_path / "state" / "findings.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["findings"][0] == {
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
    assert data["digest"] == findings_digest([RATING, STATUS])
    assert [p.name for p in path.parent.iterdir()] == ["findings.json"]


def test_changed_since_last_compares_with_the_stored_findings(tmp_path: Path) -> None:
    assert read_last_digest(tmp_path) is None
    assert changed_since_last([STATUS], tmp_path)  # nothing stored yet
    write_findings([STATUS, RATING], tmp_path / "findings.json")
    assert not changed_since_last([RATING, STATUS], tmp_path)
    assert changed_since_last([STATUS], tmp_path)
    assert changed_since_last([], tmp_path)


def test_unreadable_state_counts_as_changed(tmp_path: Path) -> None:
    (tmp_path / "findings.json").write_text("{not json", encoding="utf-8")
    assert read_last_digest(tmp_path) is None
    assert changed_since_last([], tmp_path)


def test_format_findings_text_groups_by_sheet_in_row_order() -> None:
    text = format_findings_text([STATUS, RATING, LIFE_PATH])
    assert text.splitlines() == [
        "seuranta.xlsx, sheet 'Palaute' — 1 blocking, 0 warnings",
        "  sheet 'Palaute' — row 3, column 'Lisäarvo' [D9-001]: "
        "arvo sallitun välin ulkopuolella: '6' (blocking)",
        "seuranta.xlsx, sheet 'Toimeksiannot' — 1 blocking, 1 warnings",
        "  sheet 'Toimeksiannot' — row 7, column 'Elämänpolku' [D9-007, bertta.berg@example.org]: "
        "suositeltu tieto puuttuu (warning)",
        "  sheet 'Toimeksiannot' — row 12, column 'Tila' [D9-012, anna.aalto@example.org]: "
        "arvo ei ole sallittu: 'valmiina' (blocking)",
    ]


def test_format_findings_text_without_findings() -> None:
    assert format_findings_text([]) == "No data-quality findings."


@pytest.mark.parametrize(("limit", "tail"), [(3, ""), (1, " (and 1 more)")])
def test_blocking_summary_names_the_first_locations(limit: int, tail: str) -> None:
    summary = blocking_summary([STATUS, RATING], limit=limit)
    first = "seuranta.xlsx, sheet 'Palaute', row 3, column 'Lisäarvo': arvo sallitun"
    assert summary.startswith(f"2 blocking data-quality findings: {first}")
    assert summary.endswith(tail or "arvo ei ole sallittu")


def test_only_owners_whose_own_findings_changed_count_as_changed(tmp_path: Path) -> None:
    lead = "lead@example.org"
    assert changed_owners([STATUS, LIFE_PATH], (), lead) == (
        "anna.aalto@example.org",
        "bertta.berg@example.org",
    )  # nothing stored yet: everyone with findings
    write_findings([STATUS, LIFE_PATH], tmp_path / "findings.json")
    before = previous_findings(tmp_path)
    assert sorted(before) == sorted([STATUS, LIFE_PATH])
    assert changed_owners([LIFE_PATH, STATUS], before, lead) == ()
    # Bertta fixed hers, an owner-less rating appeared (the lead's): Anna is untouched.
    assert changed_owners([STATUS, RATING], before, lead) == (lead,)
    edited = replace(STATUS, value="valmis")
    assert changed_owners([edited, LIFE_PATH], before, lead) == ("anna.aalto@example.org",)
