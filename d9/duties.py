"""The team's own duties from the action plan, as `d9` sub-commands: `d9 similar`, `d9 export`.

Both read the register the same way the other commands do (`tasks.load`); `d9 similar` needs no
validation (it only compares texts), `d9 export` validates once and stops on blocking findings
(`flows.jobs.export`), and reads what each half-year's report sent from the state store.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from schemas.errors import ConfigError
from schemas.settings import Settings

if TYPE_CHECKING:
    from schemas.similar import SimilarResult

_COLUMNS = ("score", "engagement_id", "title", "customer", "branch", "status", "owner")


def similar(
    settings: Settings, *, engagement_id: str | None, text: str | None, top: int, fmt: str
) -> int:
    """Print the engagements most similar to one of the register or to a description."""
    from tasks.load import load_register
    from tasks.similar import similar_to_id, similar_to_text

    table = load_register(settings)
    try:
        if engagement_id is not None:
            result = similar_to_id(table.frame, engagement_id, top)
        else:
            result = similar_to_text(table.frame, text or "", top)
    except ConfigError as exc:  # name the register the id was looked up in
        raise ConfigError(exc.message, file=table.source, sheet=table.sheet) from None
    if fmt == "json":
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        print(format_similar(result))
    return 0


def format_similar(result: SimilarResult) -> str:
    """A plain table: the query, then one line per similar engagement, best first."""
    query = result.query
    asked = (
        f"{query.engagement_id} {query.title or ''}".strip() if query.engagement_id else query.text
    )
    rows = [
        (f"{s.score:.3f}", s.engagement_id, s.title, s.customer, s.branch, s.status, s.owner)
        for s in result.similar
    ]
    lines = [f"Most similar to: {asked}"]
    if not rows:  # nothing in common with any engagement: an answer, not an error
        return "\n".join([*lines, "no similar engagements"])
    widths = [max(len(c), *(len(r[i]) for r in rows)) for i, c in enumerate(_COLUMNS)]
    widths[2] = min(widths[2], 60)
    for row in [_COLUMNS, *rows]:
        cells = [_cut(c, w) for c, w in zip(row, widths, strict=True)]
        lines.append("  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip())
    return "\n".join(lines)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def export(settings: Settings, out: Path) -> int:
    """Write the evaluator's material for every half-year ended into `out`; print what it wrote."""
    from d9.commands import run_for
    from flows import jobs
    from tasks.export import export_periods, write_export
    from tasks.statedb import open_store

    run, programme = run_for(settings), settings.programme
    periods = export_periods(programme.start, programme.deadline, run.today)
    if not periods:
        raise ConfigError(
            f"no half-year of the programme has ended yet (it starts {programme.start})"
        )
    written = write_export(out, jobs.export(run, open_store(settings), periods), run.now)
    print(f"export of {periods[0]}–{periods[-1]} ({len(periods)} half-years) written to {out}:")
    print("\n".join(f"  {p.name}" for p in written))
    return 0
