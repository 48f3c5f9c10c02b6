"""`d9 report` and Prefect, as a subprocess of the installed command.

Contract: without PREFECT_API_URL the command starts no temporary Prefect API (a tiny startup
timeout changes nothing, and a killed run leaves no process behind); with PREFECT_API_URL the
run is recorded on that server; a configured server that is not there is one line and exit 2.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.support.net import free_port
from tests.support.prefect_server import prefect_server
from tests.support.project import sample_project

D9 = str(Path(sys.executable).parent / "d9")
REPORT = ["report", "--period", "2018H1", "--dry-run"]


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    return env | {"DO_NOT_TRACK": "1", **extra}


def _sessions() -> dict[int, int]:
    """Every live process id and its session id, from /proc."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        found[int(stat.parent.name)] = int(fields[3])
    return found


@pytest.mark.slow
def test_no_temporary_server_even_when_it_could_not_start(tmp_path: Path) -> None:
    config = sample_project(tmp_path)
    env = _env(PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="1", PREFECT_HOME=str(tmp_path))
    done = subprocess.run(
        [D9, *REPORT, "--config", str(config)], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(
        "dry run: report 2018H1 for sg1@example.org, sg2@example.org rendered, nothing sent; "
        "preview: "
    )
    assert done.stderr == ""
    assert not (tmp_path / "prefect.db").exists()  # no Prefect database was created either


def _start_report(folder: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [D9, "report", "--period", "2018H1", "--config", str(sample_project(folder))],
        env=_env(PREFECT_HOME=str(folder)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own session: anything it starts shares the session id
    )


def _others(proc: subprocess.Popen[bytes]) -> list[int]:
    return [pid for pid, session in _sessions().items() if session == proc.pid != pid]


def _command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ")
    except OSError:
        return ""  # gone meanwhile


@pytest.mark.slow
def test_a_report_starts_no_server_and_leaves_nothing(tmp_path: Path) -> None:
    # Short-lived helpers may run (WeasyPrint's library lookup calls gcc/ld); a server may not.
    proc, seen = _start_report(tmp_path), set()
    while proc.poll() is None:  # the old temporary API server showed up here after ~10-20 s
        seen.update(_command_line(pid) for pid in _others(proc))
        time.sleep(0.1)
    assert proc.returncode == 0
    assert [c for c in seen if "uvicorn" in c or "prefect" in c] == []
    assert [pid for pid, session in _sessions().items() if session == proc.pid] == []


@pytest.mark.slow
def test_a_killed_report_leaves_no_process_behind(tmp_path: Path) -> None:
    proc = _start_report(tmp_path)
    time.sleep(1.5)  # mid-run: past the imports, loading or rendering
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    # A short-lived helper caught mid-run (WeasyPrint's library lookup runs gcc/ld) ends on its
    # own within a second or two; a server (the old temporary Prefect API) never does.
    deadline, left = time.monotonic() + 15, [0]
    while left and time.monotonic() < deadline:
        left = [pid for pid, session in _sessions().items() if session == proc.pid]
        time.sleep(0.2)
    assert [_command_line(pid) for pid in left] == []


def test_an_unreachable_prefect_api_is_one_line_and_exit_6(tmp_path: Path) -> None:
    config = sample_project(tmp_path)
    api = f"http://127.0.0.1:{free_port()}/api"
    env = _env(PREFECT_API_URL=api, PREFECT_HOME=str(tmp_path), PREFECT_CLIENT_MAX_RETRIES="0")
    done = subprocess.run(
        [D9, *REPORT, "--config", str(config)], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 6
    assert done.stderr == (
        f"d9: error: the Prefect API at {api} cannot be reached (ConnectError); start it "
        "(prefect server start) or unset PREFECT_API_URL to run without Prefect\n"
    )


@pytest.mark.slow
@pytest.mark.integration
def test_with_a_server_configured_the_run_is_recorded_there(tmp_path: Path) -> None:
    config = sample_project(tmp_path)
    with prefect_server(tmp_path / "prefect-home") as env:
        done = subprocess.run(
            [D9, *REPORT, "--config", str(config)],
            capture_output=True,
            text=True,
            env=env,
            timeout=240,
        )
        assert done.returncode == 0, done.stderr
        request = urllib.request.Request(
            env["PREFECT_API_URL"] + "/flow_runs/filter",
            data=b"{}",
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            runs = json.load(response)
    assert [(r["state_type"], r["parameters"]["dry_run"]) for r in runs] == [("COMPLETED", True)]
    assert "dry run: report 2018H1 for sg1@example.org, sg2@example.org rendered" in done.stdout
