"""Derive the data-quality rules of each dataset from its contract, and turn them into GX suites.

`rules_for(dataset)` reads the `Column` declarations (need/when/choices/unique/min/max/kind);
the only rules written here by hand are the two the contract cannot express per column: end
date not before start date, and a feedback row's engagement being a registered quick engagement.
`great_expectations` is imported only inside `expectation()` and `suite()`, which run validation.
`build_data_docs()` writes GX Data Docs that open offline (no CDN scripts, styles or images).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from schemas.contract import Condition, Dataset, Kind, Need
from schemas.findings import Severity
from schemas.tables import ROW, Inputs, LoadedTable

if TYPE_CHECKING:
    import great_expectations as gx

POS = "_pos"  # a record's position in its loaded frame (kept through explode)
ITEMS = ":items"  # suffix of the view holding a LIST column exploded to one item per row
REGISTERED = "_registered"  # feedback view: the engagement is in the register (null: no id)
CONCEPT = "_concept"  # feedback view: the referenced engagement's service concept
OWNER = "_owner"  # feedback view: the referenced engagement's owner
QUICK_CONCEPTS = ("Herätys", "Kokeilu")  # the concepts quick feedback is collected for
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


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


def rules_for(dataset: Dataset) -> tuple[Rule, ...]:
    """Every rule the contract of `dataset` declares, in column order, then the cross rules."""
    rules: list[Rule] = []
    for col in dataset.columns:
        view = dataset.name
        if col.need is not Need.OPTIONAL:
            blocking = col.need is Need.REQUIRED
            rules.append(
                Rule(
                    view,
                    "not_null",
                    col.name,
                    "required" if blocking else "expected",
                    Severity.BLOCKING if blocking else Severity.WARNING,
                    when=col.when,
                )
            )
        if col.kind is Kind.CHOICE:
            rules.append(
                Rule(view, "in_set", col.name, "allowed_values", Severity.BLOCKING, col.choices)
            )
        if col.kind is Kind.LIST:
            rules.append(
                Rule(
                    view + ITEMS,
                    "in_set",
                    col.name,
                    "allowed_values",
                    Severity.BLOCKING,
                    col.choices,
                )
            )
        if col.kind is Kind.EMAIL:  # owners only route nudges: a bad one is a warning
            rules.append(Rule(view, "regex", col.name, "email", Severity.WARNING, (EMAIL_PATTERN,)))
        if col.unique:
            rules.append(Rule(view, "unique", col.name, "unique", Severity.BLOCKING))
        if col.min_value is not None or col.max_value is not None:
            rules.append(
                Rule(
                    view,
                    "between",
                    col.name,
                    "range",
                    Severity.BLOCKING,
                    (col.min_value, col.max_value),
                )
            )
    return (*rules, *_cross_rules(dataset))


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
            Rule(
                "feedback",
                "in_set",
                CONCEPT,
                "reference",
                Severity.BLOCKING,
                QUICK_CONCEPTS,
                reported="engagement_id",
                message="reference_concept",
            ),
        )
    return ()


def base_frame(table: LoadedTable, inputs: Inputs) -> pl.DataFrame:
    """The frame a dataset's rules read: the loaded one, plus the references for feedback."""
    return _with_references(table, inputs.engagements) if table is inputs.feedback else table.frame


def views(inputs: Inputs) -> dict[str, pl.DataFrame]:
    """The frames GX validates, by view name: `_pos`, `_row` and the columns the rules read.

    `_pos` is the record's index in `base_frame()`, which maps a failure back to its sheet,
    row, cell, engagement and owner.
    """
    out: dict[str, pl.DataFrame] = {}
    for table in inputs.tables():
        rules = rules_for(table.dataset)
        frame = base_frame(table, inputs).with_row_index(POS)
        frame = frame.with_columns(pl.col(POS).cast(pl.Int64))
        keys = [POS, ROW]
        for view in dict.fromkeys(r.view for r in rules):
            needed = _needed(rules, view)
            selected = frame.select(*keys, *needed)
            if view.endswith(ITEMS):
                selected = selected.explode(needed).drop_nulls(needed)
            out[view] = selected
    return out


def _needed(rules: tuple[Rule, ...], view: str) -> list[str]:
    names: dict[str, None] = {}
    for r in rules:
        if r.view == view:
            names.update(dict.fromkeys([r.column, r.report_column]))
            if r.when:
                names[r.when.column] = None
            if r.check == "after":
                names[r.params[0]] = None
    return list(names)


def _with_references(feedback: LoadedTable, engagements: LoadedTable) -> pl.DataFrame:
    """Feedback rows with the referenced engagement's id, concept and owner (null if unknown)."""
    register = (
        engagements.frame.drop_nulls("engagement_id")
        .unique("engagement_id", keep="first", maintain_order=True)
        .select(
            "engagement_id",
            pl.lit(True).alias(REGISTERED),
            pl.col("service_concept").alias(CONCEPT),
            pl.col("owner").alias(OWNER),
        )
    )
    joined = feedback.frame.join(register, on="engagement_id", how="left", maintain_order="left")
    known = pl.when(pl.col("engagement_id").is_not_null()).then(pl.col(REGISTERED).fill_null(False))
    return joined.with_columns(known.alias(REGISTERED))


def expectation(rule: Rule, index: int) -> gx.expectations.Expectation:
    """Build the GX expectation of `rule`, tagged with `index` (severity critical if blocking)."""
    import great_expectations as gx
    from great_expectations.expectations.row_conditions import Column as Col

    severity = "critical" if rule.severity is Severity.BLOCKING else "warning"
    common: dict[str, Any] = {"severity": severity, "meta": {"rule": rule.rule, "index": index}}
    if rule.when is not None:
        common["row_condition"] = Col(rule.when.column).is_in(rule.when.values)
    e = gx.expectations
    if rule.check == "after":
        return e.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A=rule.column,
            column_B=rule.params[0],
            or_equal=True,
            ignore_row_if="either_value_is_missing",
            **common,
        )
    builders = {
        "not_null": lambda: e.ExpectColumnValuesToNotBeNull(column=rule.column, **common),
        "in_set": lambda: e.ExpectColumnValuesToBeInSet(
            column=rule.column, value_set=list(rule.params), **common
        ),
        "unique": lambda: e.ExpectColumnValuesToBeUnique(column=rule.column, **common),
        "between": lambda: e.ExpectColumnValuesToBeBetween(
            column=rule.column, min_value=rule.params[0], max_value=rule.params[1], **common
        ),
        "regex": lambda: e.ExpectColumnValuesToMatchRegex(
            column=rule.column, regex=rule.params[0], **common
        ),
    }
    return builders[rule.check]()


def suite(view: str, rules: list[Rule]) -> gx.ExpectationSuite:
    """An expectation suite named after `view`, one expectation per rule, in rule order."""
    import great_expectations as gx

    expectations = [expectation(r, i) for i, r in enumerate(rules)]
    return gx.ExpectationSuite(name=view, expectations=expectations)


_REMOTE = r"""["'](?:https?:)?//[^"']*["']"""
_REMOTE_ASSETS = (  # (pattern, replacement)
    (re.compile(rf"<script\b[^>]*\bsrc\s*=\s*{_REMOTE}[^>]*>\s*</script>", re.I), ""),
    (re.compile(rf"<link\b[^>]*\bhref\s*=\s*{_REMOTE}[^>]*>", re.I), ""),
    (re.compile(rf"<img\b[^>]*\bsrc\s*=\s*{_REMOTE}[^>]*>", re.I), ""),
    (re.compile(r"@import\s+url\([^)]*\)\s*;?", re.I), ""),
    (re.compile(r"""url\(\s*["']?(?:https?:)?//[^)]*\)""", re.I), "none"),
)
_OFFLINE_STYLE = """<style>/* d9: offline replacement for the CDN stylesheets */
body{font-family:system-ui,sans-serif;margin:1rem;color:#222}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ccc;padding:.2rem .4rem}
.text-danger{color:#b00}.text-success{color:#070}.collapse:not(.show){display:none}
</style>"""


def offline_html(html: str) -> str:
    """Drop script, stylesheet and image tags that load from the network; inline a small style."""
    for pattern, replacement in _REMOTE_ASSETS:
        html = pattern.sub(replacement, html)
    if "</head>" in html and "d9: offline" not in html:
        html = html.replace("</head>", f"{_OFFLINE_STYLE}</head>", 1)
    return html


def build_data_docs(context: Any, directory: Path) -> None:
    """Build GX Data Docs of this run into `directory`, then make every page work offline."""
    directory.mkdir(parents=True, exist_ok=True)
    context.add_data_docs_site(
        "d9",
        {
            "class_name": "SiteBuilder",
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(directory),
            },
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        },
    )
    context.build_data_docs(site_names=["d9"])
    for page in directory.rglob("*.html"):
        page.write_text(offline_html(page.read_text(encoding="utf-8")), encoding="utf-8")
