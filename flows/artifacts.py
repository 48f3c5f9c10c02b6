"""What a run leaves in the Prefect UI: the indicator summary, the findings, the outcome.

Indicator names, formatted values and status words come from the report's catalogue and
formats. Findings show where to fix what (sheet, row, column, rule, owner), never the cell
values or comments (feedback comments may hold personal data). Links appear only where they
open from the UI; a file on the worker is named as text. Prefect is imported only when an
artifact is published (inside a flow run), so the pipelines import this module for free.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from flows.check_outcome import CheckOutcome
from flows.outcome import ReportOutcome
from schemas.catalogue import translate
from schemas.findings import Finding
from schemas.results import Indicators
from schemas.similar import SimilarResult
from schemas.site import PAGE
from tasks.report.i18n import format_date, format_value, status_key

MAX_FINDINGS = 500  # rows in the findings table; the Data Docs and findings.json keep all


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def summary_markdown(result: Indicators, language: str, final: bool = False) -> str:
    """The indicators as a markdown table: name, value, target, status word (met or missed
    when `final`: at or after the programme's deadline)."""

    def t(key: str) -> str:
        return translate(language, key)

    head = [t("column.goal"), t("column.value"), t("column.target"), t("column.status")]
    lines = [
        f"### {format_date(result.as_of, language)}",
        "",
        "| " + " | ".join(head) + " |",
        "|---|---:|---:|---|",
    ]
    for key, r in result.results.items():
        cells = (
            t(f"indicator.{key}.name"),
            format_value(key, r.value, language),
            format_value(key, r.target, language),
            t(status_key(str(r.status), key, final)),
        )
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines)


def publish_summary(result: Indicators, language: str, final: bool = False) -> None:
    """The indicator summary as a markdown artifact."""
    from prefect.artifacts import create_markdown_artifact

    create_markdown_artifact(
        key="d9-indicators",
        markdown=summary_markdown(result, language, final),
        description=f"D9 indicators as of {result.as_of.isoformat()}",
    )


def finding_rows(findings: Sequence[Finding]) -> list[dict[str, object]]:
    """One row per finding: where (sheet, row, column), which rule, how bad, who fixes it."""
    return [
        {
            "sheet": f.sheet,
            "row": f.row or "whole sheet",
            "column": f.column,
            "rule": f.rule,
            "severity": str(f.severity),
            "owner": f.owner or "-",
        }
        for f in findings[:MAX_FINDINGS]
    ]


# One key per flow, so each artifact's history in the UI is one kind of run.
REPORT_FINDINGS = "d9-report-findings"
NIGHTLY_FINDINGS = "d9-nightly-findings"


def publish_findings(findings: Sequence[Finding], key: str, data_docs: str = "") -> None:
    """The open findings as a table artifact (the Data Docs' place on the worker as text)."""
    from prefect.artifacts import create_table_artifact

    more = f"; first {MAX_FINDINGS} of {len(findings)}" if len(findings) > MAX_FINDINGS else ""
    where = f"; Data Docs on the worker: {data_docs}" if data_docs else ""
    create_table_artifact(
        key=key,
        table=finding_rows(findings) or [{"sheet": "-", "row": "-", "column": "-", "rule": "-"}],
        description=f"Open data-quality findings: {len(findings)}{more}{where}",
    )


def site_markdown(written: Path | None, folder: Path, base_url: str, language: str) -> str:
    """Where tonight's situation picture is: a link where readers open it, else its folder."""
    if written is None:
        return translate(language, "site.artifact_kept", folder=f"`{folder}`")
    if base_url.strip():
        url = f"{base_url.strip().rstrip('/')}/{PAGE}"
        return translate(language, "site.artifact", where=f"[{url}]({url})")
    return translate(language, "site.artifact", where=f"`{written / PAGE}`")


def publish_site(written: Path | None, folder: Path, base_url: str, language: str) -> None:
    """A link to the site the nightly check rewrote (its folder as text without an address)."""
    from prefect.artifacts import create_markdown_artifact

    create_markdown_artifact(
        key="d9-site",
        markdown=site_markdown(written, folder, base_url, language),
        description="D9 situation picture",
    )


def outcome_markdown(outcome: ReportOutcome) -> str:
    """What the run did, in one line, with the files it left on the worker named as text."""
    lines = [f"**{outcome.state_name}**: {outcome.summary}"]
    lines += [f"- `{path}`" for path in outcome.paths]
    return "\n\n".join(lines[:1]) + ("\n\n" + "\n".join(lines[1:]) if lines[1:] else "")


def publish_outcome(outcome: ReportOutcome, flow_run_id: str = "") -> None:
    """The delivery outcome as a markdown artifact: of the current run, or of `flow_run_id`
    (a run cleaned up after its end, e.g. cancelled while it waited for approval)."""
    markdown, about = outcome_markdown(outcome), f"Report {outcome.period}: {outcome.state_name}"
    if not flow_run_id:
        from prefect.artifacts import create_markdown_artifact

        create_markdown_artifact(key="d9-report-outcome", markdown=markdown, description=about)
        return
    from uuid import UUID

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import ArtifactCreate

    artifact = ArtifactCreate(
        key="d9-report-outcome",
        type="markdown",
        data=markdown,
        description=about,
        flow_run_id=UUID(flow_run_id),
    )
    with get_client(sync_client=True) as client:
        client.create_artifact(artifact)


def data_docs_link(index: Path, url: str) -> str:
    """Where a reader opens the Data Docs: under the published `url`, else the worker's file."""
    return f"{url.rstrip('/')}/index.html" if url.strip() else index.resolve().as_uri()


def publish_data_docs_link(index: Path, url: str, key: str) -> None:
    """A link artifact to the Data Docs (the checks that failed, row by row)."""
    from prefect.artifacts import create_link_artifact

    create_link_artifact(
        key=key,
        link=data_docs_link(index, url),
        link_text="Data Docs",
        description="Great Expectations Data Docs: which checks failed, by dataset and column",
    )


def publish_similar(result: SimilarResult) -> None:
    """The engagements most similar to a description as a table artifact."""
    from prefect.artifacts import create_table_artifact

    rows = [s.to_json() for s in result.similar] or [{"engagement_id": "-", "score": 0.0}]
    description = f"Engagements most similar to: {result.query.text[:200]}"
    create_table_artifact(key="d9-similar", table=rows, description=description)


def nudge_rows(outcome: CheckOutcome) -> list[dict[str, object]]:
    """One row per mail of a nightly check: to whom and why (no finding's content)."""
    return [{"to": n.to, "why": n.why} for n in outcome.nudges] or [
        {"to": "-", "why": outcome.summary}
    ]


def publish_nudges(outcome: CheckOutcome) -> None:
    """Who the nightly check mailed and why, as a table artifact."""
    from prefect.artifacts import create_table_artifact

    create_table_artifact(
        key="d9-nightly-nudges",
        table=nudge_rows(outcome),
        description=f"{outcome.state_name}: {outcome.summary}",
    )
