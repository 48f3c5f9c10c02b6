"""Checks on configuration values that need more than a type: addresses, the database URL.

Run when the configuration is read (`schemas.settings`), so a bad value stops every command
with one line and exit 2 before any work — never at the end of a report run.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import parse_qsl, urlsplit

from pydantic import AfterValidator

from schemas.contract import EMAIL_ADDRESS


def _address(address: str) -> str:
    if not EMAIL_ADDRESS.fullmatch(address):  # "lead@x.org\nBcc: …" is not one address
        raise ValueError("not an email address")
    return address


Address = Annotated[str, AfterValidator(_address)]  # one plain email address


# libpq's connection keys that carry a secret (a query parameter may set any connection key)
_SECRET_KEYS = {"password", "passfile", "sslpassword"}


def database_url_problem(url: str) -> str:
    """Why `url` cannot name the state database ("" when it can): PostgreSQL, no password."""
    if not url:
        return ""
    if not url.startswith(("postgresql://", "postgresql+psycopg://")):
        return "database_url must start with postgresql:// (or be empty for SQLite)"
    parts = urlsplit(url)
    userinfo = parts.netloc.rpartition("@")[0] if "@" in parts.netloc else ""
    keys = {k.lower() for k, _ in parse_qsl(parts.query, keep_blank_values=True)}
    if ":" in userinfo or keys & _SECRET_KEYS:
        return "database_url must not hold a password (set D9_DATABASE_PASSWORD instead)"
    return ""
