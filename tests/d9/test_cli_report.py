"""`d9 report` end to end as a subprocess: the real command (no Prefect API configured, so the
pipeline runs with plain steps; test_cli_prefect.py covers a configured server), the outbox.

Contract: bad input is one line and exit 3; the team lead still gets the failure notice.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.project import sample_project

pytestmark = [pytest.mark.slow, pytest.mark.integration]
D9 = str(Path(sys.executable).parent / "d9")


def _d9(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([D9, *args], capture_output=True, text=True, timeout=240, cwd=cwd)


def test_report_with_a_missing_workbook_is_one_line_and_exit_3(tmp_path: Path) -> None:
    config = sample_project(tmp_path)
    (tmp_path / "seuranta.xlsx").unlink()
    done = _d9("report", "--config", str(config), "--period", "2018H1", cwd=tmp_path)
    assert done.returncode == 3
    assert "Traceback" not in done.stderr + done.stdout
    assert f"d9: error: {tmp_path / 'seuranta.xlsx'}: file not found\n" in done.stderr
    assert list((tmp_path / "state" / "outbox").glob("*failure_d9-report.eml"))


def test_report_then_again_sends_nothing(tmp_path: Path) -> None:
    config = sample_project(tmp_path)
    first = _d9("report", "--config", str(config), "--period", "2018H1", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "report 2018H1 sent to sg1@example.org, sg2@example.org" in first.stdout
    second = _d9("report", "--config", str(config), "--period", "2018H1", cwd=tmp_path)
    assert second.returncode == 0
    assert "already sent" in second.stdout
    assert len(list((tmp_path / "state" / "outbox").glob("*.eml"))) == 1
