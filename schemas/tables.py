"""What loading hands to the later stages."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import polars as pl

from schemas.contract import Dataset, Kind, Need

ROW = "_row"  # the spreadsheet's own 1-based row number of each record (as Excel shows it)
SHEET = "_sheet"  # the sheet each record came from (the principles matrix spans several)
CELL = "_cell"  # A1 address of the source cell, for rows read from the principles matrix

Record = dict[str, Any]  # one row of a frame, as Polars gives it (`iter_rows(named=True)`)

# The frame dtype of each column kind: the loader casts to these, every stage reads them.
DTYPES: dict[Kind, pl.DataType] = {
    Kind.TEXT: pl.String(),
    Kind.CHOICE: pl.String(),
    Kind.EMAIL: pl.String(),
    Kind.INT: pl.Int64(),
    Kind.FLOAT: pl.Float64(),
    Kind.DATE: pl.Date(),
    Kind.BOOL: pl.Boolean(),
    Kind.LIST: pl.List(pl.String()),
}


@dataclass(frozen=True)
class CellProblem:
    """A cell whose text could not be read as its column's type (kept as null in the frame)."""

    row: int
    column: str  # canonical column name
    header: str  # the header as written in the sheet
    value: str
    expected: str  # e.g. "date", "integer"
    sheet: str = ""
    cell: str = ""  # A1-style address, e.g. "D7"


@dataclass(frozen=True)
class LoadedTable:
    """One dataset read from one source: typed canonical columns plus ROW and SHEET.

    Column dtypes: TEXT/CHOICE/EMAIL -> Utf8 (CHOICE normalised to its canonical value when
    recognised, otherwise the original text, stripped); INT -> Int64; FLOAT -> Float64;
    DATE -> Date; BOOL -> Boolean; LIST -> List(Utf8). Blank cells are null. Optional
    columns absent from the sheet are present and all null. The principles frame also has
    CELL (null for long-form rows).
    """

    dataset: Dataset
    frame: pl.DataFrame
    source: str  # the file name or URL as the user knows it (never with credentials)
    sheet: str
    headers: dict[str, str]  # canonical column -> header text as found in the sheet
    letters: dict[str, str]  # canonical column -> spreadsheet column letter, e.g. "C"
    problems: tuple[CellProblem, ...] = ()
    found_headers: tuple[str, ...] = ()  # every header of the header row, as written
    # headers naming a column already found: (as written, letter used, letter ignored)
    twins: tuple[tuple[str, str, str], ...] = ()
    unsaved: tuple[str, ...] = ()  # cells holding a formula without a saved value (xlsx)

    def missing(self, names: tuple[str, ...]) -> tuple[str, ...]:
        """The canonical columns among `names` that no header of the sheet named."""
        return tuple(n for n in names if n not in self.headers)

    def fingerprint(self) -> str:
        """Return the SHA-256 of this table's rows as loaded (stable within a Polars version)."""
        digest = hashlib.sha256(repr(sorted(self.frame.schema.items())).encode())
        if self.frame.width and self.frame.height:
            ordered = self.frame.select(sorted(self.frame.columns))
            digest.update(ordered.hash_rows(seed=0).to_numpy().tobytes())
        return digest.hexdigest()


@dataclass(frozen=True)
class Frames:
    """The four datasets' frames (canonical columns + ROW, SHEET), as the indicators read them."""

    engagements: pl.DataFrame
    feedback: pl.DataFrame
    agency_survey: pl.DataFrame
    principles: pl.DataFrame
    survey_metrics: tuple[str, ...] = ()
    # Optional register columns the sheet has no header for: their figures are "not recorded".
    unrecorded: tuple[str, ...] = ()

    def fingerprint(self) -> str:
        """Return a hash of the data: same frames, same text (stable within a Polars version)."""
        digest = hashlib.sha256(repr(self.survey_metrics).encode())
        if self.unrecorded:  # the same cells without a header are other data
            digest.update(repr(self.unrecorded).encode())
        for frame in (self.engagements, self.feedback, self.agency_survey, self.principles):
            digest.update(repr(sorted(frame.schema.items())).encode())
            if frame.width and frame.height:
                ordered = frame.select(sorted(frame.columns))
                digest.update(ordered.hash_rows(seed=0).to_numpy().tobytes())
        return digest.hexdigest()[:32]


@dataclass(frozen=True)
class Inputs:
    """The four datasets as loaded, with where each came from."""

    engagements: LoadedTable
    feedback: LoadedTable
    agency_survey: LoadedTable
    principles: LoadedTable

    def tables(self) -> tuple[LoadedTable, ...]:
        return (self.engagements, self.feedback, self.agency_survey, self.principles)

    def frames(self) -> Frames:
        metrics = tuple(
            c.name
            for c in self.agency_survey.dataset.columns
            if c.name not in ("response_id", "round", "answered_on")
        )
        return Frames(
            self.engagements.frame,
            self.feedback.frame,
            self.agency_survey.frame,
            self.principles.frame,
            metrics,
            self.engagements.missing(
                tuple(c.name for c in self.engagements.dataset.columns if c.need is Need.OPTIONAL)
            ),
        )


def column_letter(index: int) -> str:
    """Return the spreadsheet letter of a 0-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
