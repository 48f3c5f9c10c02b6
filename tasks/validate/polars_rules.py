"""The same rules as `gx`, run in plain Polars: the command line's fast executor.

Great Expectations stays the validator of record (the flows run it and publish Data Docs), but
importing it alone takes seconds, longer than a person waits for `d9 check`. This module gives
the very failures `gx.run_suites` gives, read the way Great Expectations reads them:

- a rule with a condition (`when`) looks only at the rows whose condition column holds one of
  the values; a blank condition cell does not match;
- every check but `not_null` skips blank values (null, and NaN, which pandas also calls blank);
- `unique` fails every copy of a repeated value, the first one too;
- `after` skips rows where either date is blank and fails when the first is before the second;
- `regex` fails the values the pattern does not find (a search, as pandas' `str.contains`).

`tests/tasks/test_validate_executors.py` runs both executors on workbooks holding every kind of
defect and requires identical findings.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from schemas.tables import ROW
from tasks.validate.rules import POS, Failure, Rule


def run_rules(frames: dict[str, pl.DataFrame], rules: dict[str, list[Rule]]) -> list[Failure]:
    """Check each view against its rules; return a failure per failing record, in order.

    A failing record holds `_pos`, `_row` and the checked column's value, like an entry of
    Great Expectations' `unexpected_index_list`.
    """
    failures: list[Failure] = []
    for view, frame in frames.items():
        for rule in rules[view]:
            failing = failing_rows(frame, rule)
            failures.extend(Failure.of(rule, entry) for entry in failing.iter_rows(named=True))
    return failures


def failing_rows(frame: pl.DataFrame, rule: Rule) -> pl.DataFrame:
    """The records of `frame` that break `rule`: `_pos`, `_row` and the rule's column."""
    if rule.when is not None:
        frame = frame.filter(pl.col(rule.when.column).is_in(list(rule.when.values)))
    return frame.filter(_fails(frame, rule)).select(POS, ROW, rule.column)


def _fails(frame: pl.DataFrame, rule: Rule) -> pl.Expr:
    column = pl.col(rule.column)
    present = ~_blank(frame, rule.column)
    if rule.check == "not_null":
        return ~present
    if rule.check == "in_set":
        return present & ~column.is_in(list(rule.params))
    if rule.check == "unique":
        return present & (pl.len().over(column) > 1)
    if rule.check == "between":
        return present & _outside(column, *rule.params)
    if rule.check == "regex":
        return present & ~column.cast(pl.String).str.contains(rule.params[0])
    if rule.check == "after":
        other = rule.params[0]
        return present & ~_blank(frame, other) & (column < pl.col(other))
    raise ValueError(f"unknown check {rule.check!r} in rule {rule.rule!r}")


def _blank(frame: pl.DataFrame, name: str) -> pl.Expr:
    """Null, or NaN in a float column (pandas reads both as missing)."""
    if frame.schema[name].is_float():
        return pl.col(name).is_null() | pl.col(name).is_nan()
    return pl.col(name).is_null()


def _outside(column: pl.Expr, low: Any, high: Any) -> pl.Expr:
    below = column < low if low is not None else pl.lit(False)
    above = column > high if high is not None else pl.lit(False)
    return below | above
