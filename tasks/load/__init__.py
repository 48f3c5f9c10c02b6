"""Load: takes the configured sources, gives `Inputs` (schemas.tables): typed frames per dataset.

`sources` fetches bytes (path, https URL, stream), `workbook` opens them as sheets of text,
`headers` finds the header row and maps labels to the contract, `coerce` types the columns,
`principles_matrix` reads the half-yearly assessment matrices. Derived from `schemas.datasets`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import IO

from schemas.contract import Dataset
from schemas.datasets import ENGAGEMENTS, FEEDBACK, PRINCIPLES, agency_survey
from schemas.settings import Settings
from schemas.tables import Inputs, LoadedTable
from tasks.load.coerce import load_long
from tasks.load.headers import missing_sheet
from tasks.load.principles_matrix import load_principles
from tasks.load.sources import display_name, read_source
from tasks.load.workbook import Book, SourceKind


def load_table(
    dataset: Dataset,
    data: bytes | IO[bytes],
    *,
    source_name: str,
    sheet: str = "",
    kind: SourceKind | None = None,
) -> LoadedTable:
    """Read one dataset from a workbook or csv file given as bytes or a binary file object."""
    raw = data if isinstance(data, bytes) else read_source(data)
    return load_from_book(dataset, Book(raw, source_name, kind), sheet or dataset.sheet)


def load_inputs(settings: Settings, *, read: Callable[[str], bytes] | None = None) -> Inputs:
    """Read the four configured datasets, opening each distinct source only once."""
    src = settings.sources
    plan = {
        "engagements": (ENGAGEMENTS, src.engagements),
        "feedback": (FEEDBACK, src.feedback),
        "agency_survey": (agency_survey(src.agency_survey.metrics), src.agency_survey),
        "principles": (PRINCIPLES, src.principles),
    }
    books: dict[str, Book] = {}
    tables: dict[str, LoadedTable] = {}
    for name, (dataset, source) in plan.items():
        location = settings.resolve(source.path)
        if location not in books:
            data = read(location) if read else _fetch(location, settings)
            books[location] = Book(data, display_name(location), limits=settings.limits)
        tables[name] = load_from_book(dataset, books[location], source.sheet or dataset.sheet)
    return Inputs(**tables)


def load_register(settings: Settings) -> LoadedTable:
    """Read the engagement register alone, for what needs nothing else (`d9 similar`)."""
    source = settings.sources.engagements
    location = settings.resolve(source.path)
    book = Book(_fetch(location, settings), display_name(location))
    return load_from_book(ENGAGEMENTS, book, source.sheet or ENGAGEMENTS.sheet)


def _fetch(location: str, settings: Settings) -> bytes:
    return read_source(location, settings.http, settings.http_token())


def load_from_book(dataset: Dataset, book: Book, sheet: str) -> LoadedTable:
    """Read one dataset from an opened source's sheet (principles: long form or matrices)."""
    found = book.find_sheet(sheet)
    if dataset.name == PRINCIPLES.name:
        return load_principles(dataset, book, sheet, found)
    if found is None:
        raise missing_sheet(book, sheet)
    return load_long(dataset, book.sheet(found), book.name)


__all__ = ["load_from_book", "load_inputs", "load_register", "load_table"]
