"""Contract: the command line pays only for what a command uses (import cost, measured with
`python -X importtime` in `make bench`). `d9 --help` and usage errors load no data library;
`d9 check` and `d9 indicators` load neither Great Expectations, Prefect, matplotlib, pandas,
httpx nor yagmail; `d9 report` without a Prefect API loads no Prefect and no Great Expectations.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.project import sample_project

HEAVY = ("great_expectations", "prefect", "matplotlib", "pandas", "httpx", "yagmail", "sklearn")
WATCHED = {*HEAVY, "polars", "pydantic"}


def _imported_by(argv: list[str]) -> set[str]:
    """The packages of WATCHED that running `d9 ARGV` imported."""
    code = (
        "import sys, os\n"
        "os.environ.pop('PREFECT_API_URL', None)\n"
        "from d9.cli import main\n"
        f"code = main({argv!r})\n"
        f"names = {{m.split('.')[0] for m in sys.modules}} & {WATCHED!r}\n"
        "print(code, ' '.join(sorted(names)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    code_text, _, names = done.stdout.strip().splitlines()[-1].partition(" ")
    assert code_text in ("0", "2"), done.stderr
    return set(names.split())


def test_help_and_usage_errors_load_no_data_library() -> None:
    assert _imported_by(["--help"]) == set()
    assert _imported_by(["report", "--as-of", "yesterday"]) == set()


@pytest.mark.slow
@pytest.mark.parametrize("command", [["check"], ["indicators", "--period", "2018H1"]])
def test_check_and_indicators_load_no_heavy_library(tmp_path: Path, command: list[str]) -> None:
    config = sample_project(tmp_path)
    assert _imported_by([*command, "--config", str(config)]) & set(HEAVY) == set()


@pytest.mark.slow
def test_a_report_without_prefect_api_loads_neither_prefect_nor_gx(tmp_path: Path) -> None:
    config = sample_project(tmp_path)
    found = _imported_by(["report", "--period", "2018H1", "--dry-run", "--config", str(config)])
    assert found & {"prefect", "great_expectations", "pandas", "httpx", "yagmail"} == set()
    assert "matplotlib" in found  # the charts are drawn: the check above saw a real report
