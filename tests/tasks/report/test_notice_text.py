"""The plain-text part of the notices: each sheet's heading on a line of its own, the first
finding on the next; in a blocked notice the sheet holding the cause (a duplicated id) first."""

from __future__ import annotations

from schemas.findings import Finding, Severity
from tasks.report.notices import blocked_notice, nudge_notice

DUPLICATE = Finding(
    "engagements", "seuranta.xlsx", "Toimeksiannot", 9, "Tunnus", "D9-2016-003", "unique",
    Severity.BLOCKING, "tunnus toistuu", "D9-2016-003", "anna@example.org",
)  # fmt: skip
REFERENCE = Finding(
    "feedback", "seuranta.xlsx", "Palaute", 4, "Tunnus", "D9-2016-003", "reference",
    Severity.BLOCKING, "viittaus puuttuu rekisteristä",
)  # fmt: skip


def test_nudge_text_puts_the_first_finding_under_its_heading() -> None:
    text = nudge_notice([DUPLICATE], "fi", "lead@example.org").text
    assert (
        "\n\nseuranta.xlsx – Toimeksiannot\n"
        '- rivi 9, sarake ”Tunnus” (D9-2016-003): tunnus toistuu – "D9-2016-003" [estävä]\n'
    ) in text


def test_blocked_text_leads_with_the_sheet_of_the_cause() -> None:
    text = blocked_notice([REFERENCE, DUPLICATE], "2018H1", "fi").text
    register, feedback = text.index("– Toimeksiannot\n- rivi 9"), text.index("– Palaute\n- rivi 4")
    assert register < feedback
