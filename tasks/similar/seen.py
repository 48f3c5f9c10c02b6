"""The engagement ids the nightly check saw last time, kept in the state folder.

The first night (no file yet) every engagement is already known: nothing is "new", so the lead
is not sent the whole register as news.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from tasks._files import write_atomic

SEEN_FILE = "engagement-ids.json"


def new_engagement_ids(ids: Iterable[str], state_dir: Path) -> tuple[str, ...]:
    """The ids the previous night did not see, in register order (none on the first night)."""
    path = Path(state_dir) / SEEN_FILE
    try:
        seen = set(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return ()
    return tuple(dict.fromkeys(i for i in ids if i not in seen))


def remember_engagement_ids(ids: Iterable[str], state_dir: Path) -> Path:
    """Store tonight's engagement ids for the next night's comparison (atomically)."""
    text = json.dumps(sorted(set(ids)), ensure_ascii=False, indent=0)
    return write_atomic(Path(state_dir) / SEEN_FILE, text.encode("utf-8"))
