"""The `similar-engagements` flow under Prefect: a description in, the most similar engagements
of the register out, best first, as the run's result and as a table artifact."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from prefect.client.orchestration import get_client

from flows.similar import similar_flow
from tests.support.project import edited_sheet, sample_project

pytestmark = [pytest.mark.slow, pytest.mark.integration]


async def _artifact_table() -> str:
    async with get_client() as client:
        artifact = await client.read_latest_artifacts()
    [latest] = [a for a in artifact if a.key == "d9-similar"]
    return str(latest.data)


def test_a_description_finds_its_engagement_and_leaves_a_table(tmp_path: Path) -> None:
    config = sample_project(tmp_path)
    with edited_sheet(tmp_path / "seuranta.xlsx", "Toimeksiannot") as sheet:
        sheet.set(12, "Toimeksianto", "Ajanvarauksen uudistaminen terveyskeskuksiin")
        wanted = sheet.get(12, "Tunnus")

    result = similar_flow(
        text="sähköinen ajanvaraus terveyskeskusten vastaanotoille", top=3, config=str(config)
    )
    assert [s.engagement_id for s in result.similar][0] == wanted
    assert len(result.similar) == 3
    table = asyncio.run(_artifact_table())
    assert wanted in table and "Ajanvarauksen uudistaminen terveyskeskuksiin" in table
