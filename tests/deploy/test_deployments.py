"""prefect.yaml on a real Prefect server: deploy, start a worker, run a deployment from the API.

Contract: `prefect deploy --all` accepts prefect.yaml; the three deployments exist with their
schedules in Europe/Helsinki; a process worker picks up a manual report run with dry-run
parameters triggered through the API, and the run completes with a preview in the state folder.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from schemas.settings import ROOT
from tests.support.prefect_server import BIN, prefect_server
from tests.support.project import sample_project

pytestmark = [pytest.mark.slow, pytest.mark.integration]


def _prefect(env: dict[str, str], *args: str, timeout: int = 180) -> str:
    done = subprocess.run(
        [str(BIN / "prefect"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, f"prefect {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def test_manual_report_deployment_runs_on_a_worker(tmp_path: Path) -> None:
    config = sample_project(tmp_path / "project")
    with prefect_server(tmp_path / "prefect-home") as env:
        env = {**env, "PWD": str(ROOT)}
        _prefect(env, "work-pool", "create", "d9-pool", "--type", "process")
        _prefect(env, "--no-prompt", "deploy", "--all")
        listing = _prefect(env, "deployment", "ls")
        for name in ("half-yearly-report", "nightly-check", "manual-report", "similar-engagements"):
            assert name in listing
        schedule = _prefect(env, "deployment", "inspect", "d9-report/half-yearly-report")
        assert "Europe/Helsinki" in schedule and "0 8 2 1,7 *" in schedule

        worker_log = (tmp_path / "worker.log").open("wb")
        worker = subprocess.Popen(
            [str(BIN / "prefect"), "worker", "start", "--pool", "d9-pool"],
            env=env,
            cwd=ROOT,
            stdout=worker_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            params = json.dumps({"period": "2018H1", "dry_run": True, "config": str(config)})
            out = _prefect(
                env,
                "deployment",
                "run",
                "d9-report/manual-report",
                "--params",
                params,
                "--watch",
                "--watch-timeout",
                "240",
                timeout=300,
            )
        finally:
            worker.terminate()
            worker.wait(timeout=30)
            worker_log.close()
        assert "Completed" in out, out + (tmp_path / "worker.log").read_text(errors="replace")
    previews = list((tmp_path / "project" / "state" / "preview").glob("*.html"))
    assert len(previews) == 1
    assert "D9-tilannekuva 1.1.–30.6.2018" in previews[0].read_text(encoding="utf-8")
