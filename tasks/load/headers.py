"""Match the labels written in a sheet to a contract's canonical names.

Team members name things their own way: the header row sits below title rows and says
'Alkupäivä ' or 'Start date', choice cells say 'Kokeilu' or 'kokeilu'. This module finds the
header row by matching cells against a contract's header aliases, maps written choice values
to their canonical ones, and words the errors for a missing sheet or required column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import polars as pl

from schemas.contract import Column, Dataset, Need, normalise_label
from schemas.errors import InputError, ValidationFailed
from schemas.tables import ROW
from tasks.load.workbook import Book, RawSheet

HEADER_SCAN_ROWS = 30
# A note in brackets after a header's name: 'Kokonaistyytyväisyys (1–5)', 'Asiantuntemus [ka]'.
_NOTE = re.compile(r"\s*(\([^()]*\)|\[[^\[\]]*\])\s*$")


def header_lookup(dataset: Dataset) -> dict[str, str]:
    """Map normalised header texts to canonical names; a Finnish header beats another's alias."""
    out = {normalise_label(c.header_fi): c.name for c in dataset.columns}
    for col in dataset.columns:
        for alias in col.aliases:
            out.setdefault(normalise_label(alias), col.name)
    return out


@dataclass(frozen=True)
class Header:
    """The header row found: its index in the sheet frame (-1: none) and what it names."""

    at: int = -1
    letters: dict[str, str] = field(default_factory=dict)  # canonical -> column letter
    texts: dict[str, str] = field(default_factory=dict)  # canonical -> header as written
    # a second header naming a column already found: (as written, letter used, letter ignored)
    twins: list[tuple[str, str, str]] = field(default_factory=list)


def find_header(raw: RawSheet, lookup: dict[str, str]) -> Header:
    """Pick the row, among the first ones, whose cells name the most canonical columns."""
    letters = [c for c in raw.frame.columns if c != ROW]
    best = Header()
    for i, cells in enumerate(raw.frame.head(HEADER_SCAN_ROWS).select(letters).iter_rows()):
        row = Header(i)
        for match in (_exact, _without_note):  # a header as written beats one with a note
            for letter, cell in zip(letters, cells, strict=True):
                name = match(lookup, cell)
                taken = letter in row.letters.values()
                if name and name not in row.letters and not taken:
                    row.letters[name], row.texts[name] = letter, cell
                elif name and not taken and (cell, row.letters[name], letter) not in row.twins:
                    row.twins.append((str(cell), row.letters[name], letter))
        first_text = best.at < 0 and any(c is not None for c in cells)
        if len(row.letters) > len(best.letters) or first_text:
            best = row
    return best


def _exact(lookup: dict[str, str], cell: str | None) -> str | None:
    return lookup.get(normalise_label(cell)) if cell is not None else None


def _without_note(lookup: dict[str, str], cell: str | None) -> str | None:
    """The column a header names once a bracketed note after it is dropped."""
    if cell is None or not _NOTE.search(cell):
        return None
    return lookup.get(normalise_label(_NOTE.sub("", cell)))


def require_columns(dataset: Dataset, raw: RawSheet, header: Header, source: str) -> None:
    """Raise ValidationFailed naming the required columns the header row lacks.

    A column required only when another holds some value ("Kärkihanke" when "Painopiste" is
    kärkihanke) is not required of a sheet without that other column: nothing can ask for it.
    """
    missing = [
        c.header_fi
        for c in dataset.columns
        if c.need is Need.REQUIRED
        and c.name not in header.letters
        and (c.when is None or c.when.column in header.letters)
    ]
    if not missing:
        return
    seen = ", ".join(f"'{c}'" for c in header_cells(raw, header))
    raise ValidationFailed(
        f"required column {', '.join(repr(m) for m in missing)} not found "
        f"(headers found: {seen or 'none'})",
        file=source,
        sheet=raw.name or None,
        column=missing[0],
    )


def header_cells(raw: RawSheet, header: Header) -> tuple[str, ...]:
    """Every non-blank cell of the header row, as written."""
    cells = raw.frame.drop(ROW).row(header.at) if header.at >= 0 else ()
    return tuple(str(c) for c in cells if c is not None)


def missing_sheet(book: Book, sheet: str) -> InputError:
    """Return the error for a sheet the workbook lacks, listing the sheets it has."""
    names = ", ".join(f"'{s}'" for s in book.sheet_names) or "none"
    return InputError(f"sheet not found; the workbook has: {names}", file=book.name, sheet=sheet)


def choice_map(col: Column, values: pl.Series) -> dict[str, str]:
    """Map each distinct text of `values` that names a known choice to its canonical value."""
    known = {normalise_label(c): c for c in col.choices} | col.value_aliases
    pairs = ((v, known.get(normalise_label(v))) for v in values.drop_nulls().unique().to_list())
    return {v: k for v, k in pairs if k is not None and k != v}
