"""A real PostgreSQL for the state tests, from the Debian `postgresql` package's binaries.

`running_postgres()` initialises a cluster in a temporary folder (owned by, and run as, the
`postgres` user when the tests run as root: initdb refuses root), starts it on a free port of
127.0.0.1 with password authentication for the `d9` role, and stops and removes it afterwards.
Tests skip with `MISSING` as the reason only where the binaries do not exist.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from tests.support.net import free_port


def _newest_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    return found[-1].parent if found else Path("/usr/lib/postgresql/15/bin")


POSTGRES_BIN = Path(os.environ.get("D9_TEST_POSTGRES_BIN") or _newest_bin())
PASSWORD = "pg-test-secret-4711"
MISSING = f"PostgreSQL server binaries not found in {POSTGRES_BIN} (apt-get install postgresql)"


def available() -> bool:
    """Tell whether initdb and pg_ctl are installed."""
    return (POSTGRES_BIN / "initdb").is_file() and (POSTGRES_BIN / "pg_ctl").is_file()


@dataclass(frozen=True)
class Postgres:
    """A running cluster on 127.0.0.1."""

    port: int

    def url(self, database: str) -> str:
        """The URL d9 is configured with: no password in it."""
        return f"postgresql://d9@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """Create an empty database; return its d9 URL."""
        with psycopg.connect(
            host="127.0.0.1",
            port=self.port,
            user="d9",
            password=PASSWORD,
            dbname="postgres",
            autocommit=True,
        ) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def _run(argv: list[str]) -> None:
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    subprocess.run([*prefix, *argv], check=True, capture_output=True, timeout=120)


@contextmanager
def running_postgres() -> Iterator[Postgres]:
    """Run a throw-away cluster whose superuser is `d9` with the password PASSWORD."""
    folder = Path(tempfile.mkdtemp(prefix="d9-postgres-"))
    data, pwfile = folder / "data", folder / "password"
    pwfile.write_text(PASSWORD, encoding="utf-8")
    if os.geteuid() == 0:
        for path in (folder, pwfile):
            shutil.chown(path, "postgres", "postgres")
    pg = str(POSTGRES_BIN)
    try:
        _run([f"{pg}/initdb", "-D", str(data), "-U", "d9", "-A", "scram-sha-256",
              f"--pwfile={pwfile}", "--no-sync"])  # fmt: skip
        port = free_port()
        options = f"-p {port} -k {folder} -h 127.0.0.1 -F"
        _run([f"{pg}/pg_ctl", "-D", str(data), "-o", options, "-l", f"{folder}/log", "-w",
              "start"])  # fmt: skip
        try:
            yield Postgres(port)
        finally:
            _run([f"{pg}/pg_ctl", "-D", str(data), "-m", "fast", "-w", "stop"])
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    """One PostgreSQL for the session (each test creates its own database)."""
    if not available():
        pytest.skip(MISSING)
    with running_postgres() as server:
        yield server
