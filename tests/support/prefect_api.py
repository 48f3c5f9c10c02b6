"""A few calls of a real Prefect server's REST API, and a process worker, for deployment tests."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from tests.support import CHECKOUT
from tests.support.prefect_server import BIN

BUSY = (429, 502, 503)  # the server's database busy under load: Prefect's own client retries these


class _Retrying(httpx.HTTPTransport):
    """Retry a request the server answered "busy", with backoff, as Prefect's client does."""

    def __init__(self, attempts: int = 6, backoff: float = 0.5) -> None:
        super().__init__()
        self.attempts, self.backoff = attempts, backoff

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        for attempt in range(self.attempts):
            response = super().handle_request(request)
            if response.status_code not in BUSY or attempt == self.attempts - 1:
                return response
            response.close()
            time.sleep(self.backoff * 2**attempt)
        raise AssertionError("unreachable")


class PrefectApi:
    """The REST API at `PREFECT_API_URL` of `env`."""

    def __init__(self, env: dict[str, str]) -> None:
        self.client = httpx.Client(
            base_url=env["PREFECT_API_URL"], timeout=30, transport=_Retrying()
        )

    def deployment(self, name: str) -> dict[str, Any]:
        response = self.client.get(f"/deployments/name/{name}")
        response.raise_for_status()
        return dict(response.json())

    def run(self, deployment: str, parameters: dict[str, Any]) -> str:
        """Create a flow run of `deployment`; return its id."""
        dep = self.deployment(deployment)
        body = {"parameters": parameters}
        response = self.client.post(f"/deployments/{dep['id']}/create_flow_run", json=body)
        response.raise_for_status()
        return str(response.json()["id"])

    def flow_run(self, run_id: str) -> dict[str, Any]:
        response = self.client.get(f"/flow_runs/{run_id}")
        response.raise_for_status()
        return dict(response.json())

    def state(self, run_id: str) -> dict[str, Any]:
        return dict(self.flow_run(run_id)["state"] or {})

    def wait(
        self, run_id: str, done: Callable[[dict[str, Any]], bool], timeout: float = 240
    ) -> dict[str, Any]:
        """Poll the run's state until `done(state)`; return the state."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            state = self.state(run_id)
            if state and done(state):
                return state
            time.sleep(1)
        raise AssertionError(f"run {run_id} still {self.state(run_id)} after {timeout} s")

    def wait_until(self, found: Callable[[], list[Any]], timeout: float = 240) -> list[Any]:
        """Poll `found()` until it gives a non-empty list (e.g. a run an automation started)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if items := found():
                return items
            time.sleep(1)
        raise AssertionError(f"nothing found after {timeout} s")

    def wait_final(self, run_id: str, timeout: float = 240) -> dict[str, Any]:
        final = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}
        return self.wait(run_id, lambda s: s["type"] in final, timeout)

    def resume(self, run_id: str, run_input: dict[str, Any]) -> None:
        response = self.client.post(f"/flow_runs/{run_id}/resume", json={"run_input": run_input})
        response.raise_for_status()
        assert response.json()["status"] == "ACCEPT", response.json()

    def close(self) -> None:
        self.client.close()

    def logs(self, run_id: str) -> list[tuple[str, str]]:
        """(logger name, message) of the run's last 200 log lines."""
        body = {
            "logs": {"flow_run_id": {"any_": [run_id]}},
            "limit": 200,
            "sort": "TIMESTAMP_DESC",
        }
        response = self.client.post("/logs/filter", json=body)
        response.raise_for_status()
        return [(entry["name"], entry["message"]) for entry in response.json()]

    def wait_log(self, run_id: str, found: Callable[[str, str], bool], timeout: float = 30) -> None:
        """Wait for a line of the run's log with `found(logger, message)` (logs come in batches)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if any(found(name, line) for name, line in self.logs(run_id)):
                return
            time.sleep(1)
        raise AssertionError(f"no such line in the log of run {run_id}: {self.logs(run_id)}")

    def runs_of(self, deployment: str) -> list[dict[str, Any]]:
        dep = self.deployment(deployment)
        body = {"deployments": {"id": {"any_": [dep["id"]]}}}
        response = self.client.post("/flow_runs/filter", json=body)
        response.raise_for_status()
        return list(response.json())

    def input(self, run_id: str, key: str) -> Any:
        response = self.client.get(f"/flow_runs/{run_id}/input/{key}")
        response.raise_for_status()
        return response.json()


def prefect(env: dict[str, str], *args: str, timeout: int = 180) -> str:
    """Run the `prefect` command from the repository root; fail with its output."""
    done = subprocess.run(
        [str(BIN / "prefect"), *args],
        env=env,
        cwd=CHECKOUT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, f"prefect {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@contextmanager
def worker(env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A process worker of pool d9-pool; killed (SIGKILL to its process group) on exit."""
    with log.open("ab") as out:
        proc = subprocess.Popen(
            [str(BIN / "prefect"), "worker", "start", "--pool", "d9-pool"],
            env=env,
            cwd=CHECKOUT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield proc
        finally:
            kill(proc)


def kill(proc: subprocess.Popen[bytes]) -> None:
    """Kill a worker and the flow processes it started, as a crash or reboot would."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
