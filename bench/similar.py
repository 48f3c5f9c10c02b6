"""Measure ways of comparing engagements on the evaluation set: `python -m bench.similar`.

Prints precision@3 (the share of queries whose partner is among the three most similar) for
whole-word TF-IDF, character n-grams with and without word boundaries, several n-gram ranges,
and title weights, over the pairs (both ways) and the free-text queries of
tests/support/similar_eval.py. The product uses the variant chosen here (tasks/similar).
"""

from __future__ import annotations

from collections.abc import Callable

from sklearn.feature_extraction.text import TfidfVectorizer

from tasks.similar.text import FIELDS, document
from tests.support.similar_eval import PAIRS, TEXT_QUERIES, register

Vectoriser = Callable[[], TfidfVectorizer]

VARIANTS: dict[str, Vectoriser] = {
    "word": lambda: TfidfVectorizer(analyzer="word", sublinear_tf=True),
    "char 3-5": lambda: TfidfVectorizer(analyzer="char", ngram_range=(3, 5), sublinear_tf=True),
    "char_wb 2-4": lambda: TfidfVectorizer(
        analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True
    ),
    "char_wb 3-5": lambda: TfidfVectorizer(
        analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True
    ),
    "char_wb 3-5 raw tf (chosen)": lambda: TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5)),
    "char_wb 3-6": lambda: TfidfVectorizer(
        analyzer="char_wb", ngram_range=(3, 6), sublinear_tf=True
    ),
    "char_wb 4-6": lambda: TfidfVectorizer(
        analyzer="char_wb", ngram_range=(4, 6), sublinear_tf=True
    ),
}


def _weights(title: int) -> tuple[tuple[str, int], ...]:
    return tuple((name, title if name == "title" else w) for name, w in FIELDS)


def precision_at_3(make: Vectoriser, fields: tuple[tuple[str, int], ...]) -> tuple[float, float]:
    """(pairs both ways, free-text queries): share whose expected engagement is in the top 3."""
    records = register()
    ids = [r["engagement_id"] for r in records]
    vectoriser = make()
    matrix = vectoriser.fit_transform([document(r, fields) for r in records])
    sims = (matrix @ matrix.T).toarray()

    def top3(row: list[float], exclude: str | None) -> list[str]:
        order = sorted(range(len(ids)), key=lambda j: -row[j])
        return [ids[j] for j in order if ids[j] != exclude][:3]

    pair_hits = [
        b in top3(list(sims[ids.index(a)]), a) for x, y in PAIRS for a, b in ((x, y), (y, x))
    ]
    text = vectoriser.transform([document({"title": q}, fields) for q, _ in TEXT_QUERIES])
    text_sims = (text @ matrix.T).toarray()
    text_hits = [e in top3(list(text_sims[i]), None) for i, (_, e) in enumerate(TEXT_QUERIES)]
    return sum(pair_hits) / len(pair_hits), sum(text_hits) / len(text_hits)


def main() -> None:
    print(f"{'variant':<28} {'title x':>7} {'pairs':>6} {'texts':>6}")
    for name, make in VARIANTS.items():
        for title in (1, 2, 3):
            pairs, texts = precision_at_3(make, _weights(title))
            print(f"{name:<28} {title:>7} {pairs:>6.3f} {texts:>6.3f}")
    title_only = (("title", 1),)
    pairs, texts = precision_at_3(VARIANTS["char_wb 3-5"], title_only)
    print(f"{'char_wb 3-5 title only':<28} {'-':>7} {pairs:>6.3f} {texts:>6.3f}")


if __name__ == "__main__":
    main()
