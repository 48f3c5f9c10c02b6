"""`indicators.csv` and `context.csv`: one row per figure (and category) per half-year.

Values keep full precision (`repr` of a float, as `d9 indicators --format json` prints it);
a missing value is an empty cell. The first six columns of `indicators.csv` are the fixed
`period,as_of,indicator,value,target,status`; `source` says whether the value is the one the
half-year's report sent (`reported`) or computed now without a matching report (`recomputed`),
`reported_value` is what the report sent (empty when no report was sent). Context figures give
one row per category (`value` = count) and one summary row (empty category: the share,
numerator and denominator).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence

from schemas.export import HalfYear

INDICATOR_HEADER = (
    "period",
    "as_of",
    "indicator",
    "value",
    "target",
    "status",
    "source",
    "reported_value",
)
CONTEXT_HEADER = ("period", "as_of", "figure", "category", "value", "numerator", "denominator")


def cell(value: object) -> str:
    """A value as text: '' for None, full precision for floats, 'true'/'false' for booleans."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def indicator_rows(half_years: Sequence[HalfYear]) -> Iterator[tuple[object, ...]]:
    for h in half_years:
        for iid, r in h.indicators.results.items():
            yield (
                h.period,
                h.indicators.as_of.isoformat(),
                iid,
                r.value,
                r.target,
                str(r.status),
                h.source(iid),
                h.reported.get(iid),
            )


def context_rows(half_years: Sequence[HalfYear]) -> Iterator[tuple[object, ...]]:
    for h in half_years:
        as_of = h.indicators.as_of.isoformat()
        for fid, f in h.indicators.context.items():
            for category, n in f.counts.items():
                yield (h.period, as_of, fid, category, n, None, None)
            if f.value is not None or f.numerator is not None:
                yield (h.period, as_of, fid, "", f.value, f.numerator, f.denominator)


def to_csv(header: Sequence[str], rows: Iterator[tuple[object, ...]]) -> bytes:
    """CSV in UTF-8 (no BOM, so the header is exactly the documented one), \\n lines."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([cell(v) for v in row] for row in rows)
    return out.getvalue().encode("utf-8")
