"""Write the export's files into a folder: each atomically, so a reader never sees half a file."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from schemas.catalogue import translate
from schemas.errors import ConfigError, StateError
from schemas.export import HalfYear
from tasks._files import write_atomic
from tasks.export.long_form import (
    CONTEXT_HEADER,
    INDICATOR_HEADER,
    context_rows,
    indicator_rows,
    to_csv,
)
from tasks.export.workbook import build_workbook

FILES = ("indicators.csv", "context.csv", "evaluation.xlsx", "README.txt")


def readme(half_years: Sequence[HalfYear], generated_at: datetime) -> bytes:
    """README.txt in Finnish: what each file holds, the half-years, the columns."""
    periods = ", ".join(h.period for h in half_years) or "–"
    text = translate(
        "fi", "export.readme", periods=periods, generated=generated_at.strftime("%-d.%-m.%Y %H.%M")
    )
    return text.encode("utf-8")


def write_export(out: Path, half_years: Sequence[HalfYear], generated_at: datetime) -> list[Path]:
    """Write indicators.csv, context.csv, evaluation.xlsx and README.txt into `out`."""
    if out.exists() and not out.is_dir():
        raise ConfigError(f"--out {out}: exists and is not a folder")
    contents = (
        to_csv(INDICATOR_HEADER, indicator_rows(half_years)),
        to_csv(CONTEXT_HEADER, context_rows(half_years)),
        build_workbook(half_years),
        readme(half_years, generated_at),
    )
    try:
        return [write_atomic(out / name, data) for name, data in zip(FILES, contents, strict=True)]
    except OSError as exc:  # read-only, full disk, no permission: one line, exit 5
        reason = exc.strerror or type(exc).__name__
        raise StateError(f"the export cannot be written ({reason})", file=str(out)) from None
