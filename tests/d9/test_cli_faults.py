"""Usage errors, state faults and --debug, through the real `d9` command.

Contract: a bad --period or --to is exit 2 before anything is read or any flow starts (the
workbook is not even there, Prefect not reachable), and mails nobody; a dry run never mails,
not even a failure notice; --debug only adds the traceback (the exit code stays 4 for a failed
delivery); a state that cannot be written is one line and exit 5 — and `d9 check` still prints
its findings first; a corrupt history is exit 5.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from d9.cli import main
from tests.support.project import sample_project
from tests.support.smtp import running_smtp_server

D9 = str(Path(sys.executable).parent / "d9")


def _d9(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([D9, *args], capture_output=True, text=True, timeout=300, env=env)


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--to", "not-an-address"), "d9: error: --to: not an email address: 'not-an-address'\n"),
        (
            ("--period", "2018H3"),
            "d9: error: period must look like 2018H1 or 2018H2 (got '2018H3')\n",
        ),
    ],
    ids=["bad-to", "bad-period"],
)
def test_a_bad_argument_of_a_dry_run_is_exit_2_at_once_and_mails_nobody(
    tmp_path: Path, args: tuple[str, ...], said: str
) -> None:
    """Stopped before anything is read: with the workbook missing and Prefect unreachable, a
    later stop would be exit 3 (file not found) or 6 (no Prefect) instead."""
    unreachable = {**os.environ, "PREFECT_API_URL": "http://127.0.0.1:9/api"}
    with running_smtp_server("none") as smtp:
        config = sample_project(tmp_path, smtp_port=smtp.port, copy_workbook=False)
        done = _d9("report", "--config", str(config), "--dry-run", *args, env=unreachable)
    assert (done.returncode, done.stderr, done.stdout) == (2, said, "")
    assert smtp.transactions == 0
    assert not (tmp_path / "state").exists()


@pytest.mark.slow
@pytest.mark.integration
def test_a_failing_dry_run_sends_no_failure_notice(
    tmp_path: Path,
    prefect_env: dict[str, str],
) -> None:
    with running_smtp_server("none") as smtp:
        config = sample_project(tmp_path, smtp_port=smtp.port)
        (tmp_path / "seuranta.xlsx").unlink()
        args = ("report", "--config", str(config), "--period", "2018H1", "--dry-run")
        done = _d9(*args, env=prefect_env)
    assert done.returncode == 3
    assert done.stderr.endswith(f"d9: error: {tmp_path / 'seuranta.xlsx'}: file not found\n")
    assert smtp.transactions == 0


@pytest.mark.slow
@pytest.mark.integration
def test_debug_adds_the_traceback_and_keeps_exit_4(
    tmp_path: Path,
    prefect_env: dict[str, str],
) -> None:
    with running_smtp_server("none") as smtp:
        config = sample_project(tmp_path, smtp_port=smtp.port)
        smtp.reject("sg1@example.org")
        smtp.reject("sg2@example.org")
        args = ("report", "--config", str(config), "--period", "2018H1", "--debug")
        done = _d9(*args, env=prefect_env)
    assert done.returncode == 4, done.stderr
    assert "Traceback (most recent call last)" in done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("d9: error: ") and "sg1@example.org" in last


@pytest.mark.slow
def test_check_prints_its_findings_when_the_state_folder_is_a_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = sample_project(tmp_path)
    (tmp_path / "state").write_text("a file where the state folder should be", encoding="utf-8")

    code = main(["check", "--config", str(config)])

    out, err = capsys.readouterr()
    assert code == 5
    assert "Toimeksiannot" in out and "(warning)" in out
    assert err == (
        f"d9: error: {tmp_path / 'state'}: state cannot be written (the state folder is a file); "
        "findings not stored\n"
    )


@pytest.mark.slow
def test_indicators_with_a_corrupt_history_is_exit_5_naming_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = sample_project(tmp_path)
    (tmp_path / "state").mkdir()
    for name in ("state.sqlite", "history.sqlite"):  # today's store, an earlier version's file
        corrupt = tmp_path / "state" / name
        corrupt.write_bytes(b"not SQLite at all " * 300)

        code = main(["indicators", "--config", str(config), "--period", "2018H1"])

        _, err = capsys.readouterr()
        assert code == 5
        assert err == f"d9: error: {corrupt}: state cannot be read (file is not a database)\n"
        corrupt.unlink()


@pytest.mark.slow
def test_an_outbox_report_on_a_broken_state_is_exit_5_with_its_own_error(tmp_path: Path) -> None:
    # No SMTP host: the outbox is in the state folder. The defect said exit 4 and quoted the
    # failure notice's own error instead of the run's.
    config = sample_project(tmp_path)
    (tmp_path / "state").write_text("a file where the state folder should be", encoding="utf-8")

    done = _d9("report", "--config", str(config), "--period", "2018H1", env=_plain())

    assert done.returncode == 5, done.stderr
    lines = done.stderr.splitlines()
    assert lines[-1].startswith(f"d9: error: {tmp_path / 'state'}: state cannot be written")
    assert lines[0].startswith("could not send the failure notice: ")
    assert "nothing was delivered" in lines[0] and "Traceback" not in done.stderr


@pytest.mark.slow
def test_check_prints_its_findings_when_postgres_does_not_answer(tmp_path: Path) -> None:
    from tests.support.net import free_port

    url = f"postgresql://d9@127.0.0.1:{free_port()}/d9"  # nothing listens there
    config = sample_project(tmp_path, extra=f'database_url = "{url}"\n')

    done = _d9("check", "--config", str(config), env=_plain())

    assert done.returncode == 5
    assert "Toimeksiannot" in done.stdout and "(warning)" in done.stdout
    assert done.stderr.startswith(
        f"d9: error: {url}: state cannot be"
    ) and "findings not stored" in (done.stderr)


@pytest.mark.slow
def test_similar_with_no_match_says_so_and_exits_0(tmp_path: Path) -> None:
    config = sample_project(tmp_path)
    done = _d9("similar", "--text", "qqxz vvkk", "--config", str(config), env=_plain())
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.splitlines()[-1] == "no similar engagements"


@pytest.mark.slow
def test_an_export_that_cannot_be_written_is_one_line_exit_5(tmp_path: Path) -> None:
    config = sample_project(tmp_path)
    (tmp_path / "taken").write_text("a file", encoding="utf-8")
    out = tmp_path / "taken" / "export"  # its parent is a file: the folder cannot be made

    done = _d9("export", "--out", str(out), "--config", str(config), env=_plain())

    assert done.returncode == 5, done.stderr
    assert done.stderr == f"d9: error: {out}: the export cannot be written (Not a directory)\n"


def _plain() -> dict[str, str]:
    import os

    return {**os.environ, "PREFECT_API_URL": ""}


@pytest.mark.slow
def test_a_full_disk_while_writing_the_outbox_leaves_no_claim_and_says_nothing_went_out(
    tmp_path: Path,
) -> None:
    # The defect: a half-written outbox, the claim left "sending", and the rerun said "it may
    # have been delivered" although nothing was. The outbox is on a small disk of its own here,
    # filled up; the ledger beside it still works.
    from schemas.mail import MailKey
    from tasks.deliver.ledger import claims
    from tasks.statedb import sqlite_store
    from tests.support.disk import fill, small_disk

    config = sample_project(tmp_path)  # no SMTP host: the outbox is the delivery
    (tmp_path / "state").mkdir()
    with small_disk(1) as disk:
        (tmp_path / "state" / "outbox").symlink_to(disk)
        filler = fill(disk)
        report = ("report", "--config", str(config), "--period", "2018H1", "--to", "a@example.org")
        done = _d9(*report, env=_plain())

        assert done.returncode == 5, done.stderr
        last = done.stderr.splitlines()[-1]
        assert last.startswith(f"d9: error: {tmp_path / 'state' / 'outbox'}: cannot write the")
        assert last.endswith("(No space left on device); nothing was delivered")
        assert (
            claims(sqlite_store(tmp_path / "state"), MailKey("report", "2018H1"), ["a@example.org"])
            == []
        )
        assert [p.name for p in disk.iterdir()] == ["filler.bin"]  # nothing half-written

        filler.unlink()
        done = _d9(*report, env=_plain())
        assert done.returncode == 0 and "report 2018H1 sent to a@example.org" in done.stdout
