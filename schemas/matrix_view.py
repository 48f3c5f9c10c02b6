"""The report view's key project x principle matrix: cells, rows, and how well each principle is
realised (re-exported by `schemas.view`)."""

from __future__ import annotations

from dataclasses import dataclass

from schemas.results import Change, Status


@dataclass(frozen=True)
class MatrixCell:
    """One key project x principle cell: assessment ("none": not assessed), change, colour."""

    assessment: str
    change: Change
    colour: Status | None  # None: not assessed (no colour)


@dataclass(frozen=True)
class MatrixRow:
    project: str
    cells: tuple[MatrixCell, ...]


@dataclass(frozen=True)
class PrincipleCount:
    """In how many key projects a principle is realised, partly, not realised."""

    number: int
    name: str
    realised: int
    partly: int
    not_realised: int

    @property
    def assessed(self) -> int:
        """In how many key projects the principle has an assessment (realised or not)."""
        return self.realised + self.partly + self.not_realised


@dataclass(frozen=True)
class Realisation:
    projects: int
    rows: tuple[PrincipleCount, ...]

    @property
    def assessed(self) -> bool:
        """Whether the half-year has any assessment at all: with none, zeros would read as
        "realised nowhere" when nothing is known."""
        return any(r.assessed for r in self.rows)


@dataclass(frozen=True)
class Matrix:
    """The key project x principle matrix: every key project (the PDF shows all of them, the
    mail the first `shown`)."""

    period: str  # the half-year's dates
    numbers: tuple[str, ...]  # the principles' numbers, "1".."9"
    rows: tuple[MatrixRow, ...]
    total: int  # key projects in all (= len(rows): the PDF shows every one)
    realisation: Realisation
    left_out: tuple[str, ...] = ()
    shown: int = 30  # rows the mail shows (a phone reader cannot use more)


@dataclass(frozen=True)
class PrincipleName:
    number: int
    name: str
