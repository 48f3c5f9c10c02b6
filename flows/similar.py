"""Similar engagements on demand, as a Prefect flow (deployment `similar-engagements`).

read settings → load the register → rank it against the description → a table artifact.
"""

from __future__ import annotations

from prefect import flow

from flows import artifacts, jobs
from flows.form import ConfigPath, Text, Top
from flows.run import step
from schemas.settings import load_settings
from schemas.similar import SimilarResult


@flow(name="d9-similar-engagements", log_prints=True, persist_result=False)
def similar_flow(text: Text, top: Top = 5, config: ConfigPath = "") -> SimilarResult:
    """Find the engagements of the register most like a description ("finding similar projects").

    Args:
        text: what the new engagement is about, e.g. "ajanvarauksen uudistaminen terveyskeskuksiin".
        top: how many similar engagements to list.
        config: path of the TOML configuration (blank: $D9_CONFIG or the bundled file).
    """
    result = jobs.similar_to_text(load_settings(config or None), text, top)
    step("publish similar engagements", artifacts.publish_similar, result)
    for s in result.similar:
        print(f"{s.score:.3f}  {s.engagement_id}  {s.title}  ({s.owner})")
    return result
