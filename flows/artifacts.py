"""What a run leaves in the Prefect UI: table and markdown artifacts."""

from __future__ import annotations

from pathlib import Path

from prefect.artifacts import create_markdown_artifact, create_table_artifact

from schemas.findings import ValidationReport
from schemas.results import Indicators


def indicator_rows(result: Indicators) -> list[dict[str, object]]:
    """One flat row per indicator."""
    return [
        {"indicator": key, "value": r.value, "target": r.target, "status": str(r.status)}
        for key, r in result.results.items()
    ]


def publish_indicators(result: Indicators) -> None:
    """The indicators as a table artifact."""
    create_table_artifact(
        key="d9-indicators",
        table=indicator_rows(result),
        description=f"D9 indicators as of {result.as_of.isoformat()}",
    )


def publish_findings(validation: ValidationReport, data_docs: Path) -> None:
    """Findings per dataset and severity as a table, and a link to the Data Docs."""
    rows = [{"dataset": d, **c} for d, c in validation.counts.items()] or [
        {"dataset": "-", "blocking": 0, "warning": 0}
    ]
    create_table_artifact(
        key="d9-data-quality", table=rows, description="Open data-quality findings"
    )
    link("d9-data-docs", str(data_docs / "index.html"), "Data Docs")


def link(key: str, path: str, description: str) -> None:
    """A markdown artifact linking a file the run wrote (nothing when there is no file)."""
    if path:
        create_markdown_artifact(
            key=key,
            markdown=f"[{Path(path).name}]({Path(path).as_uri()})\n\n`{path}`",
            description=description,
        )
