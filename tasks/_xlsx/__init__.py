"""The one XLSX writer, for the appendix and the evaluator's export.

`write_xlsx(sheets, language)` writes `Sheet`s: an optional title row, a header row, then a
Polars frame (written column by column: fast at 100k rows) or rows of `Cell`s (small sheets,
several blocks). Text is always text (a cell "=SUM(A1)" or "+358…" stays a string), numbers are
numbers, dates are dates shown d.m.yyyy (fi) or yyyy-mm-dd (en), booleans are booleans. By
default a sheet has a frozen header, widths fitted to its text and an autofilter; the same
sheets give the same bytes. Every sheet prints landscape, one page wide, its title and header
rows repeated on each page; a sheet may link cells to other sheets (the first sheet's index).
Roles: `styles` (style ids and the styles part), `sheet` (a worksheet's XML), `package` (the
zip and its fixed parts).
"""

from tasks._xlsx.package import write_xlsx
from tasks._xlsx.sheet import Cell, Sheet, Value
from tasks._xlsx.styles import (
    DATE,
    DATETIME,
    DECIMAL,
    HEADER,
    HEADER_WRAP,
    INTEGER,
    LINK,
    PERCENT,
    TEXT,
    TITLE,
    WRAP,
)

__all__ = [
    "DATE",
    "DATETIME",
    "DECIMAL",
    "HEADER",
    "HEADER_WRAP",
    "INTEGER",
    "LINK",
    "PERCENT",
    "TEXT",
    "TITLE",
    "WRAP",
    "Cell",
    "Sheet",
    "Value",
    "write_xlsx",
]
