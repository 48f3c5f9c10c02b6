"""Similar engagements: what `tasks.similar` gives the command line, the flows and the summary."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from schemas.jsontypes import Json


@dataclass(frozen=True)
class SimilarEngagement:
    """One engagement of the register and how similar it is to the query (cosine, 0..1)."""

    engagement_id: str
    title: str
    customer: str
    branch: str
    status: str
    owner: str
    score: float

    def to_json(self) -> Json:
        return asdict(self)


@dataclass(frozen=True)
class SimilarQuery:
    """What was asked: an engagement of the register (its id and title) or a free description."""

    text: str
    engagement_id: str | None = None
    title: str | None = None

    def to_json(self) -> Json:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass(frozen=True)
class SimilarResult:
    """The most similar other engagements, best first."""

    query: SimilarQuery
    similar: tuple[SimilarEngagement, ...]

    def to_json(self) -> Json:
        """The DESIGN.md shape: {"query": {...}, "similar": [{...}, ...]}."""
        return {"query": self.query.to_json(), "similar": [s.to_json() for s in self.similar]}
