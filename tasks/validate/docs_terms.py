"""The Data Docs in the reader's terms: each view's columns under the sheet's own headers, and
each check worded from the findings' catalogue with its severity ("Estävä – Tunnus: tunnus
toistuu"), so the page says what d9 says."""

from __future__ import annotations

from collections.abc import Callable

from schemas.catalogue import translate
from schemas.findings import Severity
from schemas.tables import Inputs, LoadedTable
from tasks.validate.docs import DocsTerms, safe_name
from tasks.validate.rules import Rule


def header(table: LoadedTable, column: str) -> str:
    """The column's header as found in the sheet, else the contract's Finnish one, else its id."""
    if table.headers.get(column):
        return table.headers[column]
    try:
        return table.dataset.column(column).header_fi
    except KeyError:
        return column


def docs_terms(inputs: Inputs, rules: dict[str, list[Rule]], language: str) -> DocsTerms:
    """Per view (by its safe name), every checked column's header as the reader knows it."""
    headers: dict[str, dict[str, str]] = {}
    for view, view_rules in rules.items():
        if not view_rules:
            continue
        table: LoadedTable = getattr(inputs, view_rules[0].dataset)
        named = {c: header(table, c) for c in table.headers}
        named |= {r.column: header(table, r.report_column) for r in view_rules}
        headers[safe_name(view)] = named
    return DocsTerms(language, headers)


def describer(inputs: Inputs, language: str) -> Callable[[Rule], str]:
    """How a check reads on its Data Docs page: severity, header, the rule as findings say it."""

    def describe(rule: Rule) -> str:
        table: LoadedTable = getattr(inputs, rule.dataset)
        severity = "critical" if rule.severity is Severity.BLOCKING else "warning"
        said = translate(language, f"data_docs.page.severity_{severity}")
        what = translate(language, f"rule.{rule.message or rule.rule}", rule.rule)
        when = ""
        if rule.when is not None:
            values = ", ".join(str(v) for v in rule.when.values)
            when = f" ({header(table, rule.when.column)}: {values})"
        return f"{said} – {header(table, rule.report_column)}: {what}{when}"

    return describe
