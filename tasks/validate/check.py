"""Run every dataset's rules and collect the findings, sorted.

Two executors run the same `Rule`s: Great Expectations (`gx`, the validator of record, with
Data Docs) and plain Polars (`polars_rules`, for the command line: no seconds of GX import).
They give identical findings.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from schemas.findings import Finding, ValidationReport
from schemas.request import Validator
from schemas.settings import Settings
from schemas.tables import Inputs
from tasks.validate.docs import finish_data_docs
from tasks.validate.docs_terms import describer, docs_terms
from tasks.validate.figures import figure_findings
from tasks.validate.findings import Context, rule_finding, type_finding
from tasks.validate.gx import run_suites
from tasks.validate.polars_rules import run_rules
from tasks.validate.rules import Rule, rules_for
from tasks.validate.sheets import sheet_findings, without_consequences
from tasks.validate.views import base_frame, views


def validate(
    inputs: Inputs,
    settings: Settings,
    *,
    today: date,
    validator: Validator = Validator.GX,
    data_docs_dir: Path | None = None,
) -> ValidationReport:
    """Run every dataset's rules and the figure checks; return the findings (+ Data Docs).

    `today` is what "a date in the future" is measured against. The Polars `validator` runs
    the rules without Great Expectations; Data Docs need Great Expectations.
    """
    if validator is Validator.POLARS and data_docs_dir is not None:
        raise ValueError("Data Docs are written by Great Expectations: use Validator.GX")
    frames = views(inputs)
    rules = {view: [r for r in _all_rules(inputs) if r.view == view] for view in frames}
    if validator is Validator.POLARS:
        failures = run_rules(frames, rules)
    else:
        language = settings.report.language
        terms, describe = docs_terms(inputs, rules, language), describer(inputs, language)
        failures = run_suites(frames, rules, data_docs_dir, terms, describe)
    if data_docs_dir is not None:
        finish_data_docs(data_docs_dir, settings.data_docs.keep_nights, settings.report.language)
    bases = {t.dataset.name: base_frame(t, inputs) for t in inputs.tables()}
    ctx = Context(settings, bases)
    findings = [type_finding(p, t, ctx) for t in inputs.tables() for p in t.problems]
    unreadable = {(f.dataset, f.sheet, f.row, f.column) for f in findings}
    for failure in failures:
        found = rule_finding(failure, getattr(inputs, failure.rule.dataset), ctx)
        if (found.dataset, found.sheet, found.row, found.column) not in unreadable:
            findings.append(found)
    findings += figure_findings(inputs, ctx, today)
    findings = without_consequences([*findings, *sheet_findings(inputs, ctx)], inputs)
    return ValidationReport(tuple(sorted(findings, key=_order)))


def _order(f: Finding) -> tuple[Any, ...]:
    return (f.source, f.sheet, f.row, f.column, f.rule, f.value)


def _all_rules(inputs: Inputs) -> list[Rule]:
    return [r for t in inputs.tables() for r in rules_for(t.dataset)]
