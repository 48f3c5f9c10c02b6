"""Every stage of the benchmark runs and measures what its row in the README says it measures.

Contract under test: `bench.stages.STAGES` (the rows of `make bench`) each run on a generated
80-engagement workbook and report a positive time with a detail that shows the work was done:
both validation executors find the same findings, the PDF and the XLSX are real files, the
indicators are the seven of DESIGN.md. A stage that rots (a renamed function, a changed
signature) fails here rather than as "n/a" in a benchmark run nobody reads.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bench import stages
from bench.workbooks import config_text, generate
from tasks.indicators import INDICATORS

pytestmark = pytest.mark.slow
AS_OF = date(2018, 6, 30)


@pytest.fixture(scope="module")
def workload(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("bench-stages")
    workbook = folder / "engagements-80.xlsx"
    generate(workbook, 80)
    config = folder / "d9.toml"
    config.write_text(config_text(workbook.name, "state"), encoding="utf-8")
    return workbook, config


def _run(name: str, workload: tuple[Path, Path]) -> dict[str, Any]:
    seconds, detail = stages.STAGES[name](*workload, AS_OF)
    assert seconds > 0, name
    return detail


def test_the_benchmark_runs_every_stage_including_the_pdf() -> None:
    from bench.__main__ import STAGES as RUN

    assert set(RUN) == set(stages.STAGES)
    assert {"validate", "validate_polars", "render", "pdf", "appendix"} <= set(RUN)


def test_both_validation_executors_find_the_same(workload: tuple[Path, Path]) -> None:
    gx, polars = _run("validate", workload), _run("validate_polars", workload)
    assert gx == polars
    assert gx["findings"] > 0  # the generator leaves gaps on purpose


def test_load_and_indicators_do_the_work(workload: tuple[Path, Path]) -> None:
    assert _run("load", workload)["rows"]["engagements"] == 80
    assert _run("fastexcel", workload)["cells"] > 80
    assert set(_run("indicators", workload)["values"]) == set(INDICATORS)


def test_render_pdf_and_appendix_make_real_files(workload: tuple[Path, Path]) -> None:
    assert _run("render", workload)["html_bytes"] > 10_000
    assert _run("pdf", workload)["pdf_bytes"] > 10_000
    assert _run("appendix", workload)["xlsx_bytes"] > 1_000


def test_the_site_stages_write_the_folder_and_time_the_page(workload: tuple[Path, Path]) -> None:
    assert _run("site", workload)["bytes"] > 10_000
    page = _run("site_page", workload)
    assert page["rows_shown"] == 25  # the register's first page (80 engagements, 25 a page)
    assert page["warm_ms"] > 0 and page["filter_ms"] >= 0 and page["drill_ms"] >= 0
