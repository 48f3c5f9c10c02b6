"""A real Prefect server on 127.0.0.1 for integration tests, with its own PREFECT_HOME.

Started with `prefect server start` in the foreground of a child process (STACK_NOTES: the
`--background` variant was seen to die), awaited with `prefect server status --wait`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.support.net import free_port

BIN = Path(sys.executable).parent


def server_env(home: Path, port: int) -> dict[str, str]:
    """The environment that points Prefect clients and the server at a private home and port."""
    env = dict(os.environ)
    env.update(
        PREFECT_HOME=str(home),
        PREFECT_API_URL=f"http://127.0.0.1:{port}/api",
        PREFECT_SERVER_API_HOST="127.0.0.1",
        PREFECT_SERVER_API_PORT=str(port),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_UI_ENABLED="false",
        DO_NOT_TRACK="1",
        PREFECT_LOGGING_LEVEL="WARNING",
    )
    return env


@contextmanager
def prefect_server(home: Path) -> Iterator[dict[str, str]]:
    """Run a Prefect server until the block exits; yield the environment to reach it."""
    home.mkdir(parents=True, exist_ok=True)
    env = server_env(home, free_port())
    log = (home / "server.log").open("wb")
    proc = subprocess.Popen(
        [str(BIN / "prefect"), "server", "start"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        subprocess.run(
            [str(BIN / "prefect"), "server", "status", "--wait", "--timeout", "120"],
            env=env,
            check=True,
            capture_output=True,
            timeout=150,
        )
        yield env
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def prefect_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A real Prefect server for a module's `d9` processes, as in production (no temporary
    server per run); yields their environment."""
    with prefect_server(tmp_path_factory.mktemp("prefect")) as env:
        yield env
