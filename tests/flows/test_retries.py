"""Loading is tried again when a source did not answer (`SourceUnavailable`), with the waits of
`LOAD_RETRY_SECONDS`, and said in the log; a missing file or any other error is not retried.
As a Prefect task with retries inside a flow run, a loop on the command line."""

from __future__ import annotations

import logging
from collections.abc import Callable

import httpx
import pytest
from prefect import flow

from flows import run
from schemas.errors import InputError, SourceUnavailable
from tasks.load.sources import read_source


def _flaky(failures: list[Exception]) -> tuple[Callable[[], str], list[int]]:
    calls: list[int] = []

    def load() -> str:
        calls.append(1)
        if len(calls) <= len(failures):
            raise failures[len(calls) - 1]
        return "loaded"

    return load, calls


@pytest.fixture(autouse=True)
def short_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(run, "LOAD_RETRY_SECONDS", (0.01, 0.02, 0.03))


def test_a_share_that_did_not_answer_is_tried_again(caplog: pytest.LogCaptureFixture) -> None:
    load, calls = _flaky(
        [SourceUnavailable("file is not readable (Host is down)", file="s.xlsx")] * 2
    )
    with caplog.at_level(logging.WARNING, logger="flows.run"):
        assert run.step_retried("load spreadsheets", load) == "loaded"
    assert len(calls) == 3
    assert caplog.messages == [
        "load spreadsheets: s.xlsx: file is not readable (Host is down); try 2 of 4 in 0.01 s",
        "load spreadsheets: s.xlsx: file is not readable (Host is down); try 3 of 4 in 0.02 s",
    ]


def test_it_gives_up_after_the_last_wait() -> None:
    load, calls = _flaky([SourceUnavailable("timed out after 30 s", file="https://x/s.xlsx")] * 9)
    with pytest.raises(SourceUnavailable, match="timed out"):
        run.step_retried("load spreadsheets", load)
    assert len(calls) == 4


def test_a_missing_file_is_not_retried() -> None:
    load, calls = _flaky([InputError("file not found", file="s.xlsx")])
    with pytest.raises(InputError, match="file not found"):
        run.step_retried("load spreadsheets", load)
    assert len(calls) == 1


@pytest.mark.parametrize(
    ("status", "kind"), [(503, SourceUnavailable), (429, SourceUnavailable), (404, InputError)]
)
def test_a_busy_web_server_is_unavailable_a_missing_page_is_not(status: int, kind: type) -> None:
    client = httpx.Client(transport=httpx.MockTransport(lambda _r: httpx.Response(status)))
    with pytest.raises(InputError) as caught:
        read_source("https://example.org/seuranta.xlsx", client=client)
    assert type(caught.value) is kind


@pytest.mark.integration
def test_in_a_flow_run_the_load_is_a_task_with_retries() -> None:
    load, calls = _flaky([SourceUnavailable("timed out after 30 s", file="s.xlsx")] * 2)
    missing, once = _flaky([InputError("file not found", file="s.xlsx")])

    @flow(persist_result=False)
    def loading() -> tuple[str, str]:
        first = run.step_retried("load spreadsheets", load)
        try:
            run.step_retried("load the register", missing)
        except InputError as exc:
            return first, str(exc)
        return first, ""

    assert loading() == ("loaded", "s.xlsx: file not found")
    assert (len(calls), len(once)) == (3, 1)
