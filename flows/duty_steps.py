"""Prefect tasks of the team's own duties (similar engagements): two or three lines each, typed."""

from __future__ import annotations

from prefect import task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE

from schemas.settings import Settings
from schemas.similar import SimilarResult
from schemas.tables import Inputs, LoadedTable
from tasks import load, similar


@task(name="load the register", cache_policy=NO_CACHE, persist_result=False)
def load_register(settings: Settings) -> LoadedTable:
    return load.load_register(settings)


@task(name="find similar engagements", cache_policy=NO_CACHE, persist_result=False)
def similar_to_text(register: LoadedTable, text: str, top: int) -> SimilarResult:
    return similar.similar_to_text(register.frame, text, top)


@task(name="new engagements and their likes", cache_policy=NO_CACHE, persist_result=False)
def newcomers(inputs: Inputs, settings: Settings) -> tuple[SimilarResult, ...]:
    """The engagements new since the previous night, each with its three most similar past ones."""
    frame = inputs.engagements.frame
    new = similar.new_engagement_ids(frame["engagement_id"].drop_nulls(), settings.state_dir)
    return similar.similar_past(frame, new, 3)


@task(name="remember engagement ids", cache_policy=NO_CACHE, persist_result=False)
def remember_engagements(inputs: Inputs, settings: Settings) -> None:
    ids = inputs.engagements.frame["engagement_id"].drop_nulls()
    similar.remember_engagement_ids(ids, settings.state_dir)


@task(name="publish similar engagements", cache_policy=NO_CACHE, persist_result=False)
def publish_similar(result: SimilarResult) -> None:
    rows = [s.to_json() for s in result.similar] or [{"engagement_id": "-", "score": 0.0}]
    description = f"Engagements most similar to: {result.query.text[:200]}"
    create_table_artifact(key="d9-similar", table=rows, description=description)
