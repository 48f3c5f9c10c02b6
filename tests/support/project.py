"""A throw-away project folder: the bundled sample workbook, a config pointing at it, and a way
to edit its cells as a user would (row number and header)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import openpyxl

from schemas.resources import sample_workbook

SAMPLE = sample_workbook()
_SHEETS = [
    ("engagements", "Toimeksiannot"),
    ("feedback", "Palaute"),
    ("agency_survey", "Asiakastyytyväisyys"),
    ("principles", "Digiperiaatteet"),
]


def sample_project(
    folder: Path,
    *,
    smtp_port: int | None = None,
    extra: str = "",
    report: str = "",
    copy_workbook: bool = True,
) -> Path:
    """Copy the sample workbook into `folder`, write `d9.toml` beside it; return the config path.

    With `copy_workbook=False` the config points at a `seuranta.xlsx` that is not there.
    """
    folder.mkdir(parents=True, exist_ok=True)
    if copy_workbook:
        shutil.copy(SAMPLE, folder / "seuranta.xlsx")
    sources = "\n".join(f'[sources.{n}]\npath = "seuranta.xlsx"\nsheet = "{s}"' for n, s in _SHEETS)
    smtp = (
        f'[smtp]\nhost = "127.0.0.1"\nport = {smtp_port}\nsecurity = "none"\n' if smtp_port else ""
    )
    config = folder / "d9.toml"
    config.write_text(
        f'{sources}\n[report]\nto = ["sg1@example.org", "sg2@example.org"]\n'
        f'team_lead = "lead@example.org"\nsender = "d9@example.org"\n{report}'
        f'[state]\ndir = "state"\n{smtp}{extra}',
        encoding="utf-8",
    )
    return config


class SheetEditor:
    """Cells of one sheet addressed as a user would: Excel row number and header text."""

    def __init__(self, sheet: Any) -> None:
        self.sheet = sheet
        self.header_row = next(
            r for r in range(1, 31) if sum(c.value is not None for c in sheet[r]) >= 3
        )

    def column(self, header: str) -> int:
        """The column whose header is `header` (exactly, else the one it starts)."""
        cells = [c for c in self.sheet[self.header_row] if c.value is not None]
        exact = [c for c in cells if str(c.value).strip() == header]
        return (exact or [c for c in cells if str(c.value).startswith(header)])[0].column

    def get(self, row: int, header: str) -> Any:
        return self.sheet.cell(row=row, column=self.column(header)).value

    def set(self, row: int, header: str, value: Any) -> None:
        self.sheet.cell(row=row, column=self.column(header)).value = value


@contextmanager
def edited_sheet(workbook: Path, sheet: str) -> Iterator[SheetEditor]:
    """Open a workbook with openpyxl, hand out one sheet for editing, save it afterwards."""
    book = openpyxl.load_workbook(workbook)
    yield SheetEditor(book[sheet])
    book.save(workbook)
