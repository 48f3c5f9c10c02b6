"""One Prefect test harness (a real local API on a temporary database) and an SMTP server.

The harness starts only for tests marked `integration`: the plain unit tests of the flows'
glue (outcomes, artifacts, forms) run without it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from prefect.testing.utilities import prefect_test_harness

from tests.support.smtp import SmtpServer, running_smtp_server


@pytest.fixture(scope="session")
def _harness() -> Iterator[None]:
    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(autouse=True)
def prefect_api(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("integration"):
        request.getfixturevalue("_harness")


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with running_smtp_server("none") as server:
        yield server
