"""Similar engagements: takes the engagement register (a validated frame) and an engagement id or
a free description, gives `SimilarResult` (schemas.similar): the most similar others, best first.

`rank` compares engagements on title, customer, life path, ecosystem, method, support areas and
change in operations with character n-gram TF-IDF (scikit-learn, `analyzer="char_wb"`) and cosine
similarity, which matches Finnish inflected forms ("ajanvaraus" / "ajanvarauksen") that whole-word
matching misses; nothing is downloaded. `seen` remembers the engagement ids of the previous night,
so the nightly summary can name the new ones.
"""

from __future__ import annotations

from tasks.similar.rank import similar_past, similar_to_id, similar_to_text
from tasks.similar.seen import new_engagement_ids, remember_engagement_ids

__all__ = [
    "new_engagement_ids",
    "remember_engagement_ids",
    "similar_past",
    "similar_to_id",
    "similar_to_text",
]
