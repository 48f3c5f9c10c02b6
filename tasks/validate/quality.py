"""Pure helpers of the nightly data-quality check: group, fingerprint, store and print findings.

The nightly flow mails each owner their own findings, but only when the findings changed
since the last run: `changed_since_last()` compares an order-independent digest with the
one stored by `write_findings()` in the state folder (`remember_findings()` also keeps them in
the state database when there is one).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path

from sqlalchemy import Engine

from schemas.errors import StateError
from schemas.findings import Finding, Severity
from tasks._db import Target
from tasks._files import write_atomic
from tasks.validate import shared

FINDINGS_FILE = "findings.json"


def findings_by_owner(findings: Iterable[Finding], fallback: str) -> dict[str, list[Finding]]:
    """Group findings by owner email; findings without an owner go to `fallback`."""
    out: dict[str, list[Finding]] = {}
    for f in findings:
        out.setdefault(f.owner or fallback, []).append(f)
    return out


def _as_json(f: Finding) -> dict[str, object]:
    return {**asdict(f), "severity": str(f.severity)}


def findings_digest(findings: Iterable[Finding]) -> str:
    """A stable SHA-256 of the findings, independent of their order."""
    lines = sorted(json.dumps(_as_json(f), ensure_ascii=False, sort_keys=True) for f in findings)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def write_findings(findings: Iterable[Finding], path: Path) -> Path:
    """Write findings and their digest as JSON, atomically (temp file in place, then rename)."""
    items = list(findings)
    payload = {"digest": findings_digest(items), "findings": [_as_json(f) for f in items]}
    text = json.dumps(payload, ensure_ascii=False, indent=1)
    return write_atomic(path, text.encode("utf-8"))


def read_last_digest(state_dir: Path) -> str | None:
    """The digest the last `write_findings()` stored in `state_dir`; None if none or unreadable."""
    try:
        data = json.loads((state_dir / FINDINGS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    digest = data.get("digest") if isinstance(data, dict) else None
    return digest if isinstance(digest, str) else None


def changed_since_last(findings: Iterable[Finding], state_dir: Path) -> bool:
    """Tell whether the findings differ from those stored in `state_dir` (True if none stored)."""
    return findings_digest(findings) != read_last_digest(state_dir)


def remember_findings(findings: Iterable[Finding], state: Target) -> bool:
    """Store tonight's findings (state folder or database); return whether they changed."""
    items = list(findings)
    digest = findings_digest(items)
    if isinstance(state, Engine):
        changed = digest != shared.last_digest(state)
        shared.store_findings(state, digest, items)
        return changed
    changed = digest != read_last_digest(state)
    try:
        write_findings(items, state / FINDINGS_FILE)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise StateError(f"state cannot be written ({reason})", file=str(state)) from None
    return changed


def format_finding(f: Finding) -> str:
    """One line: "sheet 'S' — row 12, column 'Tila' [D9-012, owner]: <message>: 'x' (blocking)"."""
    value = f": '{f.value}'" if f.value else ""
    who = ", ".join(x for x in (f.engagement_id, f.owner) if x)
    sheet = f"sheet '{f.sheet}' — " if f.sheet else ""  # a csv file has no sheets
    where = f"{sheet}row {f.row}, column '{f.column}'" + (f" [{who}]" if who else "")
    return f"{where}: {f.message}{value} ({f.severity})"


def format_findings_text(findings: Iterable[Finding]) -> str:
    """Findings grouped by source and sheet, for `d9 check`; a single line when there are none."""
    groups: dict[tuple[str, str], list[Finding]] = {}
    for f in sorted(findings, key=lambda f: (f.source, f.sheet, f.row, f.column)):
        groups.setdefault((f.source, f.sheet), []).append(f)
    if not groups:
        return "No data-quality findings."
    lines: list[str] = []
    for (source, sheet), items in groups.items():
        named = f"{source}, sheet '{sheet}'" if sheet else source
        lines.append(f"{named} — {_counts(items)}")
        lines.extend(f"  {format_finding(f)}" for f in items)
    return "\n".join(lines)


def _counts(items: list[Finding]) -> str:
    blocking = sum(f.severity is Severity.BLOCKING for f in items)
    return f"{blocking} blocking, {len(items) - blocking} warnings"


def blocking_summary(blocking: Iterable[Finding], limit: int = 3) -> str:
    """One line for ValidationFailed: how many blocking findings, and where the first ones are."""
    items = sorted(blocking, key=lambda f: (f.source, f.sheet, f.row, f.column))
    shown = "; ".join(f"{f.location}: {f.message}" for f in items[:limit])
    more = f" (and {len(items) - limit} more)" if len(items) > limit else ""
    return f"{len(items)} blocking data-quality findings: {shown}{more}"
