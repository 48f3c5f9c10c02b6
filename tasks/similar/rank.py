"""Rank the engagements of the register by similarity to one of them or to a description.

Character n-grams inside word boundaries (`char_wb`, 3 to 5 characters) with TF-IDF:
an inflected Finnish word shares most of its n-grams with its base form, so "ajanvarauksen"
finds "ajanvaraus" and "terveyskeskuksiin" finds "terveyskeskusten". The vectoriser is fitted on
the register itself, so words every engagement uses weigh little. scikit-learn is imported
here only, when a ranking is asked for (it takes about a second to import).

Measured on the evaluation set (`python -m bench.similar`, precision@3 over 36 pair queries and
10 descriptions, title x3): whole words 0.14 / 0.20; `char` 3-5 0.94 / 1.0; `char_wb` 2-4, 3-5
and 3-6 0.94 / 1.0 with sublinear TF; `char_wb` 3-5 with raw TF (kept: the title's weight then
counts fully) 1.0 / 1.0.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from schemas.errors import ConfigError
from schemas.similar import SimilarEngagement, SimilarQuery, SimilarResult
from schemas.tables import Record
from tasks.similar.text import document

NGRAMS = (3, 5)
_SHOWN = ("engagement_id", "title", "customer", "branch", "status", "owner")


def scores(documents: Sequence[str], query: str, ngrams: tuple[int, int] = NGRAMS) -> list[float]:
    """Cosine similarity of the query to each document, under TF-IDF fitted on the documents."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    if not any(documents) or not query:
        return [0.0] * len(documents)
    vectoriser = TfidfVectorizer(analyzer="char_wb", ngram_range=ngrams)
    matrix = vectoriser.fit_transform(documents)
    # Rows are L2-normalised, so the dot product is the cosine.
    return [float(x) for x in (matrix @ vectoriser.transform([query]).T).toarray().ravel()]


def _match(record: Record, score: float) -> SimilarEngagement:
    shown = {k: "" if record.get(k) is None else str(record[k]) for k in _SHOWN}
    return SimilarEngagement(**shown, score=round(score, 6))


def _ranked(
    records: list[Record], query: str, exclude: str | None, top: int
) -> tuple[SimilarEngagement, ...]:
    found = scores([document(r) for r in records], query)
    pairs = [
        (s, r)
        for s, r in zip(found, records, strict=True)
        if r["engagement_id"] != exclude and s > 0
    ]
    pairs.sort(key=lambda p: (-p[0], str(p[1]["engagement_id"])))
    return tuple(_match(r, s) for s, r in pairs[:top])


def _records(engagements: pl.DataFrame) -> list[Record]:
    return engagements.filter(pl.col("engagement_id").is_not_null()).to_dicts()


def similar_to_id(engagements: pl.DataFrame, engagement_id: str, top: int = 5) -> SimilarResult:
    """The `top` engagements most similar to one of the register (itself left out), best first."""
    records = _records(engagements)
    wanted = engagement_id.strip().casefold()
    record = next((r for r in records if str(r["engagement_id"]).casefold() == wanted), None)
    if record is None:
        raise ConfigError(f"no engagement with id {engagement_id!r} in the register")
    query = SimilarQuery(document(record), record["engagement_id"], record.get("title"))
    return SimilarResult(query, _ranked(records, query.text, record["engagement_id"], top))


def similar_to_text(engagements: pl.DataFrame, text: str, top: int = 5) -> SimilarResult:
    """The `top` engagements most similar to a free description, best first."""
    if not text.strip():
        raise ConfigError("--text is empty: describe the engagement to compare")
    query = SimilarQuery(text.strip())
    return SimilarResult(
        query, _ranked(_records(engagements), document({"title": text}), None, top)
    )


def similar_past(
    engagements: pl.DataFrame, new_ids: Sequence[str], top: int = 3
) -> tuple[SimilarResult, ...]:
    """For each new engagement, the `top` most similar engagements that are not new themselves."""
    others = pl.col("engagement_id").is_in(list(new_ids))
    return tuple(
        similar_to_id(engagements.filter(~others | (pl.col("engagement_id") == new)), new, top)
        for new in new_ids
    )
