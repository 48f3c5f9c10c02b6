"""Reuse a validation result when neither the data, the rules nor the settings changed.

Great Expectations costs seconds to import; the indicators and the report must answer fast.
The nightly check validates every night and stores its findings here, keyed by a digest of
everything validation depends on: the loaded frames and unreadable cells, where they came from,
the settings validation reads, and the source of the validation code and contracts. Any change
in those gives another key, so a stale result is never served.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from functools import cache
from pathlib import Path

from sqlalchemy import Engine

from schemas.errors import StateError
from schemas.findings import Finding, Severity, ValidationReport
from schemas.resources import shipped_files
from schemas.settings import Settings
from schemas.tables import Inputs
from tasks import _db
from tasks._files import write_atomic
from tasks.validate import shared
from tasks.validate.check import Engine as RuleEngine
from tasks.validate.check import validate

CACHE_FILE = "validation-cache.json"
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
    """Validation ran, but its result could not be stored: the report travels with the error."""

    def __init__(self, report: ValidationReport, path: Path, reason: str) -> None:
        super().__init__(f"state cannot be written ({reason}); findings not stored", file=str(path))
        self.report = report


def validation_key(inputs: Inputs, settings: Settings, today: date | None = None) -> str:
    """The digest of everything a validation result depends on (the day too: future dates)."""
    where = [
        (t.source, t.sheet, sorted(t.headers.items()), repr(t.problems), t.found_headers)
        for t in inputs.tables()
    ]
    config = settings.model_dump_json(include={"owners", "report", "sources"})
    day = (today or date.today()).isoformat()
    parts = (inputs.frames().fingerprint(), repr(where), config, _rules_digest(), day)
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def read_cached(state_dir: Path, key: str) -> tuple[Finding, ...] | None:
    """The findings stored under `key`, or None when there are none (or the file is unreadable)."""
    try:
        data = json.loads((state_dir / CACHE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("key") != key:
        return None
    try:
        return tuple(
            Finding(**{**f, "severity": Severity(f["severity"])}) for f in data["findings"]
        )
    except (KeyError, TypeError, ValueError):
        return None


def write_cached(state_dir: Path, key: str, findings: tuple[Finding, ...]) -> None:
    """Store the findings under `key`, atomically (temp file, then rename)."""
    payload = {
        "key": key,
        "findings": [{**f.__dict__, "severity": str(f.severity)} for f in findings],
    }
    write_atomic(state_dir / CACHE_FILE, json.dumps(payload, ensure_ascii=False).encode("utf-8"))


def validate_cached(
    inputs: Inputs,
    settings: Settings,
    *,
    data_docs_dir: Path | None = None,
    today: date | None = None,
    state: _db.Target | None = None,
    engine: RuleEngine = "gx",
) -> ValidationReport:
    """Validate, or reuse the stored result for exactly these inputs; store the new result.

    Writing Data Docs always runs the suites (the docs are their by-product). Results live in
    the state folder, or in the state database when `state` is its engine. A result that
    cannot be stored raises `ResultNotStored`, which carries the report. Both rule engines
    (`engine`: Great Expectations or Polars) give identical findings, so a result stored by one
    serves the other.
    """
    today = today or date.today()
    key = validation_key(inputs, settings, today)
    if isinstance(state, Engine):
        return _validate_shared(inputs, settings, key, data_docs_dir, state, today, engine)
    if data_docs_dir is None and (found := read_cached(settings.state_dir, key)) is not None:
        return ValidationReport(found)
    report = validate(inputs, settings, data_docs_dir=data_docs_dir, today=today, engine=engine)
    try:
        write_cached(settings.state_dir, key, report.findings)
    except OSError as exc:
        folder = settings.state_dir
        if folder.exists() and not folder.is_dir():
            raise ResultNotStored(report, folder, "the state folder is a file") from None
        reason = exc.strerror or type(exc).__name__
        raise ResultNotStored(report, folder / CACHE_FILE, reason) from None
    return report


def _validate_shared(
    inputs: Inputs,
    settings: Settings,
    key: str,
    data_docs_dir: Path | None,
    engine: Engine,
    today: date,
    rules: RuleEngine,
) -> ValidationReport:
    if data_docs_dir is None and (found := shared.read_result(engine, key)) is not None:
        return ValidationReport(found)
    report = validate(inputs, settings, data_docs_dir=data_docs_dir, today=today, engine=rules)
    try:
        shared.write_result(engine, key, report.findings)
    except StateError as exc:
        raise ResultNotStored(report, Path(exc.file or ""), exc.message) from None
    return report
