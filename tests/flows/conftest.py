"""One Prefect test harness (a real local API on a temporary database) and an SMTP server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from prefect.testing.utilities import prefect_test_harness

from tests.support.smtp import SmtpServer, running_smtp_server


@pytest.fixture(scope="session", autouse=True)
def prefect_api() -> Iterator[None]:
    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with running_smtp_server("none") as server:
        yield server
