"""Pure helpers of the data-quality check: group findings by owner, fingerprint them, say whose
findings changed, and print them for `d9 check` (storing them is `stored`'s)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from schemas.findings import Finding, Severity, cause_first


def findings_by_owner(findings: Iterable[Finding], fallback: str) -> dict[str, list[Finding]]:
    """Group findings by owner email; findings without an owner go to `fallback`."""
    out: dict[str, list[Finding]] = {}
    for f in findings:
        out.setdefault(f.owner or fallback, []).append(f)
    return out


def findings_digest(findings: Iterable[Finding]) -> str:
    """A stable SHA-256 of the findings, independent of their order."""
    lines = sorted(json.dumps(vars(f), ensure_ascii=False, sort_keys=True) for f in findings)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def owner_digests(findings: Iterable[Finding], fallback: str) -> dict[str, str]:
    """A digest of each owner's own findings (those without an owner count as `fallback`'s)."""
    return {o: findings_digest(items) for o, items in findings_by_owner(findings, fallback).items()}


def changed_owners(
    findings: Iterable[Finding], before: Iterable[Finding], fallback: str
) -> tuple[str, ...]:
    """Owners with findings now whose own findings differ from `before` (sorted)."""
    earlier = owner_digests(before, fallback)
    now = owner_digests(findings, fallback)
    return tuple(sorted(o for o, digest in now.items() if earlier.get(o) != digest))


def format_finding(f: Finding) -> str:
    """One line: "sheet 'S' — row 12, column 'Tila' [D9-012, owner]: <message>: 'x' (blocking)"."""
    value = f": '{f.value}'" if f.value else ""
    who = ", ".join(x for x in (f.engagement_id, f.owner) if x)
    sheet = f"sheet '{f.sheet}' — " if f.sheet else ""  # a csv file has no sheets
    row = f"row {f.row}, " if f.row else "whole sheet, "  # row 0: a missing column, say
    where = f"{sheet}{row}column '{f.column}'" + (f" [{who}]" if who else "")
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
    warnings = len(items) - blocking
    return f"{blocking} blocking, {warnings} warning{'' if warnings == 1 else 's'}"


def blocking_summary(blocking: Iterable[Finding], limit: int = 3) -> str:
    """One line for ValidationFailed: how many blocking findings, the causes first."""
    items = sorted(blocking, key=cause_first)
    shown = "; ".join(f"{f.location}: {f.message}" for f in items[:limit])
    more = f" (and {len(items) - limit} more)" if len(items) > limit else ""
    return f"{len(items)} blocking data-quality findings: {shown}{more}"
