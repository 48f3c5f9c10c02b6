"""The team lead's nightly summary lists new engagements with their most similar past ones;
with unchanged findings (`owners=False`) the owners are not nudged again."""

from __future__ import annotations

from flows.messages import nudge_messages
from schemas.findings import Finding, Severity
from schemas.similar import SimilarEngagement, SimilarQuery, SimilarResult
from tests.support import frames as F

SETTINGS = F.settings()
NEW = SimilarResult(
    SimilarQuery("ajanvaraus", "D9-2018-900", "Ajanvaraus terveyskeskuksiin"),
    (
        SimilarEngagement(
            "D9-2017-001",
            "Ajanvarauksen uudistus",
            "Kela",
            "STM",
            "toteutettu",
            "anna@example.fi",
            0.71,
        ),
        SimilarEngagement(
            "D9-2017-002", "Terveyskeskusten ajanvaraus", "THL", "STM", "käynnissä", "", 0.5
        ),
    ),
)


def _finding(owner: str) -> Finding:
    return Finding(
        dataset="engagements",
        source="s.xlsx",
        sheet="Toimeksiannot",
        row=5,
        column="Elämänpolku",
        value="",
        rule="expected",
        message="puuttuu",
        severity=Severity.WARNING,
        owner=owner,
        engagement_id="D9-1",
    )


def test_only_newcomers_go_to_the_lead_alone() -> None:
    [message] = nudge_messages((), SETTINGS, (NEW,))
    assert message.to == (SETTINGS.report.team_lead,)
    assert message.subject == "D9: uusia toimeksiantoja (1) ja niitä muistuttavat aiemmat"
    text = message.text
    assert "* D9-2018-900 Ajanvaraus terveyskeskuksiin" in text
    assert "  - D9-2017-001 Ajanvarauksen uudistus – Kela; vastuuhenkilö: anna@example.fi" in text
    assert "  - D9-2017-002 Terveyskeskusten ajanvaraus – THL; vastuuhenkilö: ei merkitty" in text
    assert "D9-2018-900" in message.html and "anna@example.fi" in message.html


def test_unchanged_findings_do_not_nudge_owners_again() -> None:
    findings = (_finding("owner@example.fi"),)
    assert len(nudge_messages(findings, SETTINGS, (NEW,))) == 2
    [summary] = nudge_messages(findings, SETTINGS, (NEW,), owners=False)
    assert summary.to == (SETTINGS.report.team_lead,)
    assert "D9-2018-900" in summary.text and "rivi 5" in summary.text


def test_no_findings_and_no_newcomers_send_nothing() -> None:
    assert nudge_messages((), SETTINGS, ()) == []
