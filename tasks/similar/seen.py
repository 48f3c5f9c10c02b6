"""The engagement ids the nightly check saw last time, kept in the state store.

The first night (nothing kept yet) every engagement is already known: nothing is "new", so the
lead is not sent the whole register as news.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select

from tasks.statedb import Store, guarded
from tasks.statedb.tables import SEEN, upsert

STORE = "nightly"
_ROW = "register"


def new_engagement_ids(store: Store, ids: Iterable[str]) -> tuple[str, ...]:
    """The ids the previous night did not see, in register order (none on the first night)."""
    engine = store.database(STORE, create=False)
    if engine is None:
        return ()
    with guarded(engine, "read"), engine.connect() as conn:
        text = conn.execute(select(SEEN.c.ids).where(SEEN.c.name == _ROW)).scalar()
    if text is None:
        return ()
    seen = set(json.loads(text))
    return tuple(dict.fromkeys(i for i in ids if i not in seen))


def remember_engagement_ids(store: Store, ids: Iterable[str], now: datetime) -> None:
    """Keep tonight's engagement ids for the next night's comparison."""
    row = {
        "name": _ROW,
        "recorded_at": now.isoformat(),
        "ids": json.dumps(sorted(set(ids)), ensure_ascii=False),
    }
    engine = store.database(STORE)
    with guarded(engine, "written"), engine.begin() as conn:  # type: ignore[union-attr]
        upsert(conn, SEEN, row)
