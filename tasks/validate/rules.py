"""Derive the data-quality rules of each dataset from its contract (pure; no Great Expectations).

`rules_for(dataset)` reads the `Column` declarations (need/when/choices/unique/min/max/kind);
the only rules written here by hand are the two the contract cannot express per column: end
date not before start date, and a feedback row's engagement being registered (blocking) and a
quick engagement (a warning: feedback on a Yhteistyö is kept, left out of the quick measure).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from schemas.contract import EMAIL_PATTERN, Column, Condition, Dataset, Kind, Need
from schemas.datasets import QUICK_CONCEPTS
from schemas.findings import Severity

POS = "_pos"  # a record's position in its loaded frame (kept through explode)
ITEMS = ":items"  # suffix of the view holding a LIST column exploded to one item per row
REGISTERED = "_registered"  # feedback view: the engagement is in the register (null: no id)
CONCEPT = "_concept"  # feedback view: the referenced engagement's service concept
OWNER = "_owner"  # feedback view: the referenced engagement's owner


@dataclass(frozen=True)
class Rule:
    """One expectation over one view of a dataset, and how its failures are reported."""

    view: str  # "engagements", or "engagements:items" for exploded LIST columns
    check: str  # not_null | in_set | unique | between | regex | after
    column: str  # canonical column GX checks
    rule: str  # stable rule id of the finding
    severity: Severity
    params: tuple[Any, ...] = ()  # allowed values / (min, max) / (pattern,) / (other column,)
    when: Condition | None = None
    reported: str = ""  # canonical column named in the finding ("" = `column`)
    message: str = ""  # message key ("" = `rule`)

    @property
    def report_column(self) -> str:
        return self.reported or self.column

    @property
    def dataset(self) -> str:
        return self.view.removesuffix(ITEMS)


@dataclass(frozen=True)
class Failure:
    """One record breaking a rule, as both executors report it: where it sits in the view's
    base frame (`_pos`) and, for a view of list items, the offending item itself."""

    rule: Rule
    pos: int
    item: tuple[object, ...] = ()  # (the failing item,) of an exploded list column, else ()

    @classmethod
    def of(cls, rule: Rule, entry: Mapping[str, object]) -> Failure:
        """Read an entry of GX's `unexpected_index_list` (or the Polars executor's record)."""
        listed = rule.view.endswith(ITEMS) and rule.column in entry
        return cls(rule, int(str(entry[POS])), (entry[rule.column],) if listed else ())


def rules_for(dataset: Dataset) -> tuple[Rule, ...]:
    """Every rule the contract of `dataset` declares, in column order, then the cross rules."""
    per_column = (rule for col in dataset.columns for rule in _column_rules(dataset.name, col))
    return (*per_column, *_cross_rules(dataset))


def _column_rules(view: str, col: Column) -> Iterator[Rule]:
    """The rules one column declares: need, allowed values, e-mail form, uniqueness, range."""
    blocking = Severity.BLOCKING
    if col.need is not Need.OPTIONAL:
        required = col.need is Need.REQUIRED
        rule, severity = ("required", blocking) if required else ("expected", Severity.WARNING)
        yield Rule(view, "not_null", col.name, rule, severity, when=col.when)
    if col.kind in (Kind.CHOICE, Kind.LIST):
        items = view + ITEMS if col.kind is Kind.LIST else view
        yield Rule(items, "in_set", col.name, "allowed_values", blocking, col.choices)
    if col.kind is Kind.EMAIL:  # owners only route nudges: a bad one is a warning
        yield Rule(view, "regex", col.name, "email", Severity.WARNING, (EMAIL_PATTERN,))
    if col.unique:
        yield Rule(view, "unique", col.name, "unique", blocking)
    if col.min_value is not None or col.max_value is not None:
        yield Rule(view, "between", col.name, "range", blocking, (col.min_value, col.max_value))


def _cross_rules(dataset: Dataset) -> tuple[Rule, ...]:
    if dataset.name == "engagements":
        return (
            Rule(
                "engagements", "after", "end_date", "date_order", Severity.BLOCKING, ("start_date",)
            ),
        )
    if dataset.name == "feedback":
        return (
            Rule(
                "feedback",
                "in_set",
                REGISTERED,
                "reference",
                Severity.BLOCKING,
                (True,),
                reported="engagement_id",
            ),
            # The plan lets a Yhteistyö include Herätys and Kokeilu work: feedback on one is
            # kept and warned about; the quick measure leaves it out (issue 20).
            Rule(
                "feedback",
                "in_set",
                CONCEPT,
                "reference",
                Severity.WARNING,
                QUICK_CONCEPTS,
                reported="engagement_id",
                message="reference_concept",
            ),
        )
    return ()
