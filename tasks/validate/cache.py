"""Reuse a validation result when neither the data, the rules nor the settings changed.

The nightly check validates every night and stores its findings in the state store, keyed by a
digest of everything validation depends on: the loaded frames and unreadable cells, where they
came from, the settings validation reads, the day (dates in the future), and the source of the
validation code and contracts. Any change in those gives another key, so a stale result is
never served. Both validators give identical findings, so a result stored by Great Expectations
serves the command line's Polars executor and the other way round.
"""

from __future__ import annotations

import hashlib
from datetime import date
from functools import cache
from pathlib import Path

from schemas.errors import StateError
from schemas.findings import Finding, ValidationReport
from schemas.request import Run
from schemas.resources import shipped_files
from schemas.settings import Settings
from schemas.tables import Inputs
from tasks.statedb import Store
from tasks.validate.check import validate
from tasks.validate.stored import read_result, write_result

# Files whose content defines the rules and the findings' wording.
_RULE_SOURCES = (
    "tasks/validate/*.py",
    "schemas/contract.py",
    "schemas/datasets.py",
    "data/reference/*.csv",
    "templates/messages/*.toml",
)


@cache
def _rules_digest() -> str:
    digest = hashlib.sha256()
    for pattern in _RULE_SOURCES:
        for resource in shipped_files(pattern):
            digest.update(resource.read_bytes())
    return digest.hexdigest()


class ResultNotStored(StateError):
    """Validation ran, but its result could not be stored: the report travels with the error,
    and so does the state's own error (`cause`) for callers that do not print findings."""

    def __init__(self, report: ValidationReport, cause: StateError) -> None:
        super().__init__(f"{cause.message}; findings not stored", file=cause.file)
        self.report, self.cause = report, cause


def validation_key(inputs: Inputs, settings: Settings, today: date) -> str:
    """The digest of everything a validation result depends on (the day too: future dates)."""
    where = [
        (t.source, t.sheet, sorted(t.headers.items()), repr(t.problems), t.found_headers)
        + (t.twins, t.unsaved)
        for t in inputs.tables()
    ]
    config = settings.model_dump_json(include={"owners", "report", "sources"})
    parts = (inputs.frames().fingerprint(), repr(where), config, _rules_digest(), today.isoformat())
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def validate_cached(
    inputs: Inputs, run: Run, store: Store, data_docs_dir: Path | None = None
) -> ValidationReport:
    """Validate, or reuse the stored result for exactly these inputs; store the new result.

    Writing Data Docs always runs the suites (the docs are their by-product). A result that
    cannot be stored raises `ResultNotStored`, which carries the report.
    """
    key = validation_key(inputs, run.settings, run.today)
    if data_docs_dir is None and (found := _stored(store, key)) is not None:
        return ValidationReport(found)
    report = validate(
        inputs, run.settings, today=run.today, validator=run.validator, data_docs_dir=data_docs_dir
    )
    try:
        write_result(store, key, report.findings, run.now)
    except StateError as exc:
        raise ResultNotStored(report, exc) from None
    return report


def _stored(store: Store, key: str) -> tuple[Finding, ...] | None:
    """The stored result, or None; unreadable state validates anew (storing then says why)."""
    try:
        return read_result(store, key)
    except StateError:
        return None
