"""A new user's install: `uv pip install .` (not editable) into a fresh virtualenv, then `d9 demo`.

Contract: the wheel holds every subpackage and every file of the shipped packages (templates,
message catalogues, reference CSVs, the bundled configuration and sample workbook), and nothing
else (no tests, no bench). Installed that way, `d9 demo` run in an empty folder exits 0 with its
outbox under that folder and writes nothing into the installed package; `d9 demo --config F`
writes under F's state folder and reads F's sources and recipients.

The pinned requirements.txt goes in first, from uv's cache, so the versions are the suite's own.
The project is built from a copy of the checkout without its virtualenv, state or build
leftovers, as from a fresh clone. Measured on 2 cores: 49 s idle (setup 13 s, two demos of
17 s), 114 s while other test suites ran on the machine.
"""

from __future__ import annotations

import email
import os
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support import CHECKOUT
from tests.support.project import sample_project

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]

UV = Path(sys.executable).parent / "uv"
PACKAGES = ("d9", "flows", "tasks", "schemas", "templates", "data")
# What a checkout holds that a fresh clone does not.
LEFTOVERS = (".venv", ".git", "build", "dist", "*.egg-info", "__pycache__", "*.pyc", ".*_cache")
LEFTOVERS_TOO = (".hypothesis", ".prefect", "state", "outbox", "out")
RESOURCES = (
    "templates/report.html.j2",
    "templates/partials/macros.html.j2",
    "templates/messages/fi.toml",
    "templates/messages/en.toml",
    "data/reference/branches.csv",
    "data/reference/principles.csv",
    "data/reference/vocabulary.csv",
    "data/d9.toml",
    "data/seuranta.xlsx",
)


@dataclass(frozen=True)
class Installed:
    """The fresh virtualenv's `bin` folder and the environment to run its commands in."""

    bin: Path
    env: dict[str, str]

    def run(self, *argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        command = [str(self.bin / argv[0]), *argv[1:]]
        return subprocess.run(
            command, cwd=cwd, env=self.env, capture_output=True, text=True, timeout=300
        )


def _clean_env(home: Path) -> dict[str, str]:
    """The test's environment without what would reach back into the checkout or real config."""
    dropped = {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PREFECT_API_URL"}
    env = {k: v for k, v in os.environ.items() if k not in dropped and not k.startswith("D9_")}
    return {**env, "PREFECT_HOME": str(home), "DO_NOT_TRACK": "1"}


def _uv(*args: str | Path, env: dict[str, str], cwd: Path | None = None) -> None:
    argv = [str(UV), *map(str, args)]
    done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"uv {' '.join(map(str, args))}:\n{done.stderr}"


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The checkout's files as a fresh clone has them."""
    copy = tmp_path_factory.mktemp("clone") / "d9-report"
    ignore = shutil.ignore_patterns(*LEFTOVERS, *LEFTOVERS_TOO)
    shutil.copytree(CHECKOUT, copy, ignore=ignore)
    return copy


@pytest.fixture(scope="module")
def wheel(clone: Path, tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """The file names in the wheel built from the clone."""
    out = tmp_path_factory.mktemp("wheel")
    _uv("build", "--quiet", "--wheel", "--out-dir", out, clone, env=_clean_env(out))
    (built,) = out.glob("*.whl")
    with zipfile.ZipFile(built) as archive:
        return set(archive.namelist())


@pytest.fixture(scope="module")
def installed(clone: Path, tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """A fresh virtualenv with the pinned requirements, then `uv pip install .` of the clone."""
    root = tmp_path_factory.mktemp("user")
    env = _clean_env(root / "prefect-home")
    venv = root / "venv"
    _uv("venv", "--quiet", "--python", sys.executable, venv, env=env)
    python = venv / "bin" / "python"
    _uv(
        "pip",
        "install",
        "--quiet",
        "--python",
        python,
        "-r",
        CHECKOUT / "requirements.txt",
        env=env,
    )
    _uv("pip", "install", "--quiet", "--python", python, ".", env=env, cwd=clone)  # not -e
    return Installed(venv / "bin", env)


def test_the_wheel_holds_every_subpackage_and_file_of_the_packages(
    clone: Path, wheel: set[str]
) -> None:
    shipped = {
        str(path.relative_to(clone))
        for package in PACKAGES
        for path in (clone / package).rglob("*")
        if path.is_file()
    }
    assert {f"{p}/__init__.py" for p in ("tasks/validate", "tasks/report", "data")} <= shipped
    assert set(RESOURCES) <= shipped
    assert shipped - wheel == set()
    tops = {name.split("/")[0] for name in wheel if not name.startswith("d9_report-")}
    assert tops == set(PACKAGES)


def test_demo_in_an_empty_folder_writes_its_outbox_there(
    installed: Installed, tmp_path: Path
) -> None:
    tmp_path = tmp_path.resolve()  # as the demo's working directory names it
    where = installed.run("python", "-c", "import d9, data; print(data.__file__)", cwd=tmp_path)
    package = Path(where.stdout.strip()).parent
    assert package.is_relative_to(installed.bin.parent), where.stdout + where.stderr

    done = installed.run("d9", "demo", cwd=tmp_path)

    assert done.returncode == 0, done.stderr
    outbox = tmp_path / "state" / "outbox"
    (report,) = outbox.glob("*report_2018H1.eml")
    assert "seurantaryhma@example.org" in email.message_from_bytes(report.read_bytes())["To"]
    assert f"{outbox}\n" in done.stdout
    assert {p.name for p in tmp_path.iterdir()} == {"state"}
    site = package.parent
    assert not (site / "state").exists() and not (site.parent / "state").exists()


def test_demo_with_a_config_writes_under_its_state_folder(
    installed: Installed, tmp_path: Path
) -> None:
    config = sample_project(tmp_path / "team")  # the sample workbook, [state] dir = "state"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    done = installed.run("d9", "demo", "--config", str(config), cwd=elsewhere)

    assert done.returncode == 0, done.stderr
    (report,) = (tmp_path / "team" / "state" / "outbox").glob("*report_2018H1.eml")
    assert "sg1@example.org" in email.message_from_bytes(report.read_bytes())["To"]
    assert list(elsewhere.iterdir()) == []
