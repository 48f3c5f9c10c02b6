"""The errors a user can meet, each turned by the CLI into one line and an exit code.

D9Error
├── ConfigError        exit 2  bad or missing configuration, bad command-line usage
├── InputError         exit 3  unreadable source: no such file or sheet, not a spreadsheet, bad URL
│   └── SourceUnavailable       not reachable this time (timeout, network): loading is retried
├── ValidationFailed   exit 1  blocking data-quality failures (incl. a missing required column)
├── DeliveryError      exit 4  the report could not be delivered
├── StateError         exit 5  the state (history, ledger, findings) cannot be read or written
└── PrefectUnavailable exit 6  the Prefect API of PREFECT_API_URL did not answer
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # `d9 --help` loads no pydantic
    from pydantic import ValidationError


class D9Error(Exception):
    """Base of every error d9 reports to a user as one line."""

    exit_code = 1

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.sheet = sheet
        self.row = row
        self.column = column

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.sheet:
            where.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class ConfigError(D9Error):
    """The configuration file or the command line is wrong."""

    exit_code = 2


class InputError(D9Error):
    """A source cannot be read at all."""

    exit_code = 3


class SourceUnavailable(InputError):
    """A source could not be reached this time (a timeout, a network share or web server that
    did not answer): worth trying again in a moment, unlike a missing file or sheet."""


class ValidationFailed(D9Error):
    """Data-quality failures block the run."""

    exit_code = 1


class DeliveryError(D9Error):
    """The message could not be delivered."""

    exit_code = 4


class StateError(D9Error):
    """The state folder or database cannot be read or written (not a data problem)."""

    exit_code = 5


class PrefectUnavailable(D9Error):
    """The Prefect API named by PREFECT_API_URL is not available (without it, d9 runs plainly)."""

    exit_code = 6


def first_problem(exc: ValidationError) -> str:
    """One line for the first problem pydantic found in a configuration."""
    err = exc.errors()[0]
    loc = [str(p) for p in err["loc"]]
    where = f"[{'.'.join(loc[:-1])}] {loc[-1]}" if len(loc) > 1 else loc[0] if loc else "?"
    if err["type"] == "extra_forbidden":
        return f"unknown key {where}"
    given = err.get("input")
    shown = "" if isinstance(given, dict) else f" (got {given!r})"
    return f"{where}: {err['msg'].removeprefix('Value error, ')}{shown}"
