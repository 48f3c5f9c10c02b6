"""Great Expectations, the validator of record: rules -> suites -> failing rows (and Data Docs).

The only module that imports `great_expectations`, inside its functions: the import costs
seconds, so it happens only when validation really runs.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from schemas.findings import Severity
from schemas.tables import ROW
from tasks.validate.docs import build_data_docs
from tasks.validate.rules import POS, Failure, Rule

if TYPE_CHECKING:
    import great_expectations as gx


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


def run_suites(
    frames: dict[str, pl.DataFrame], rules: dict[str, list[Rule]], docs: Path | None
) -> list[Failure]:
    """Validate each view with its suite; return a failure per unexpected index entry."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    _quiet("great_expectations")
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    source = context.data_sources.add_pandas("d9")
    result_format = {"result_format": "COMPLETE", "unexpected_index_column_names": [ROW, POS]}
    failures: list[Failure] = []
    for view, frame in frames.items():
        batch = source.add_dataframe_asset(view).add_batch_definition_whole_dataframe("all")
        checks = context.suites.add(suite(view, rules[view]))
        definition = context.validation_definitions.add(
            gx.ValidationDefinition(name=view, data=batch, suite=checks)
        )
        result = definition.run(
            batch_parameters={"dataframe": frame.to_pandas()}, result_format=result_format
        )
        failures.extend(_failures(result, rules[view]))
    if docs is not None:
        build_data_docs(context, docs)
    return failures


def _quiet(package: str) -> None:
    """Raise every logger of `package` to ERROR (GX sets INFO on some of its own loggers)."""
    for name in [package, *logging.root.manager.loggerDict]:
        if name == package or name.startswith(package + "."):
            logging.getLogger(name).setLevel(logging.ERROR)


def _failures(result: Any, rules: list[Rule]) -> list[Failure]:
    out: list[Failure] = []
    for item in result.results:
        rule = rules[item.expectation_config.meta["index"]]
        if item.exception_info and item.exception_info.get("raised_exception"):
            raise RuntimeError(
                f"expectation on {rule.view}.{rule.column} failed to run: "
                f"{item.exception_info.get('exception_message')}"
            )
        entries = item.result.get("unexpected_index_list") or []
        out.extend(Failure.of(rule, entry) for entry in entries)
    return out
