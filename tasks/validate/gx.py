"""Great Expectations, the validator of record: rules -> suites -> failing rows (and Data Docs).

The only module that imports `great_expectations`, inside its functions: the import costs
seconds, so it happens only when validation really runs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from schemas.findings import Severity
from schemas.tables import ROW
from tasks.validate.docs import DocsTerms, Failed, build_data_docs, safe_name
from tasks.validate.rules import POS, Failure, Rule

Describe = Callable[[Rule], str]  # what the Data Docs say of a rule
if TYPE_CHECKING:
    import great_expectations as gx


def expectation(rule: Rule, index: int, description: str = "") -> gx.expectations.Expectation:
    """Build the GX expectation of `rule`, tagged with `index` (severity critical if blocking);
    `description`, when given, is what the Data Docs say of it instead of GX's own wording."""
    import great_expectations as gx
    from great_expectations.expectations.row_conditions import Column as Col

    severity = "critical" if rule.severity is Severity.BLOCKING else "warning"
    common: dict[str, Any] = {"severity": severity, "meta": {"rule": rule.rule, "index": index}}
    if description:
        common["description"] = description
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


def suite(view: str, rules: list[Rule], describe: Describe | None = None) -> gx.ExpectationSuite:
    """An expectation suite named after `view` (safe as a file name), one expectation per rule,
    in rule order, each described by `describe` when given."""
    import great_expectations as gx

    said = describe or (lambda _rule: "")
    expectations = [expectation(r, i, said(r)) for i, r in enumerate(rules)]
    return gx.ExpectationSuite(name=safe_name(view), expectations=expectations)


def run_suites(
    frames: dict[str, pl.DataFrame],
    rules: dict[str, list[Rule]],
    docs: Path | None,
    terms: DocsTerms | None = None,
    describe: Describe | None = None,
) -> list[Failure]:
    """Validate each view with its suite; return a failure per unexpected index entry.

    With `docs`, Data Docs are built there, in `terms` (headers keyed by the view's safe name),
    each check worded by `describe`."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    _quiet("great_expectations")
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    source = context.data_sources.add_pandas("d9")
    result_format = {"result_format": "COMPLETE", "unexpected_index_column_names": [ROW, POS]}
    failures: list[Failure] = []
    failed: dict[str, Failed] = {}
    for view, frame in frames.items():
        name = safe_name(view)
        batch = source.add_dataframe_asset(name).add_batch_definition_whole_dataframe("all")
        checks = context.suites.add(suite(view, rules[view], describe))
        definition = context.validation_definitions.add(
            gx.ValidationDefinition(name=name, data=batch, suite=checks)
        )
        result = definition.run(
            batch_parameters={"dataframe": frame.to_pandas()}, result_format=result_format
        )
        failures.extend(_failures(result, rules[view]))
        failed[name] = _failed(result)
    if docs is not None:
        build_data_docs(context, docs, terms, failed)
    return failures


def _failed(result: Any) -> Failed:
    """How many checks failed, by severity (GX itself counts a failed warning as a failure)."""
    severities = [_severity(r.expectation_config) for r in result.results if not r.success]
    blocking = sum(1 for s in severities if s.endswith("critical"))
    return Failed(blocking, len(severities) - blocking)


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


def _severity(config: Any) -> str:
    severity = getattr(config, "severity", "critical")
    return str(getattr(severity, "value", severity))
