"""One pipeline stage, timed on its own inside a fresh process: `python -m bench.stages STAGE ...`.

Each stage first does the work it depends on (untimed) and imports what it needs (untimed: the
import costs are measured separately), then times only its own call and prints one JSON line
`{"seconds": ..., "detail": {...}}`. The parent (`bench.measure`) adds wall time and peak RSS.
Pipeline modules are imported inside the functions, so this module imports even when one of
them is missing.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

Timed = tuple[float, dict[str, Any]]


def _clock(call: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = call()
    return time.perf_counter() - started, value


def fastexcel_floor(workbook: Path, config: Path, as_of: date) -> Timed:
    """Read every sheet with fastexcel as text, as the loader does, and do nothing else."""
    import fastexcel
    import polars  # noqa: F401 - fastexcel imports it on first use; keep that off the clock

    def read() -> int:
        reader = fastexcel.read_excel(workbook.read_bytes())
        cells = 0
        for name in reader.sheet_names:
            frame = reader.load_sheet(name, header_row=None, skip_rows=0, dtypes="string")
            rows, cols = frame.to_polars().shape
            cells += rows * cols
        return cells

    seconds, cells = _clock(read)
    return seconds, {"cells": cells}


def _settings(config: Path) -> Any:
    from schemas.settings import load_settings

    return load_settings(config)


def _inputs(config: Path) -> tuple[Any, Any]:
    from tasks.load import load_inputs

    settings = _settings(config)
    return settings, load_inputs(settings)


def _run(settings: Any) -> Any:
    """A run of the stages today, as the command line's would be (its validation key)."""
    from datetime import datetime

    from schemas.periods import HELSINKI
    from schemas.request import Run, Validator

    return Run(settings, datetime.now(HELSINKI), Validator.GX)


def load(workbook: Path, config: Path, as_of: date) -> Timed:
    """Time `load_inputs`: read the bytes, find headers, coerce types, unpivot the matrices."""
    from tasks.load import load_inputs

    settings = _settings(config)
    seconds, inputs = _clock(lambda: load_inputs(settings))
    return seconds, {"rows": {t.dataset.name: t.frame.height for t in inputs.tables()}}


def validate(workbook: Path, config: Path, as_of: date) -> Timed:
    """Time `validate` (Great Expectations already imported); store the result in the cache."""
    import great_expectations  # noqa: F401 - imported before the clock starts

    from tasks.statedb import sqlite_store
    from tasks.validate import validate as run
    from tasks.validate.cache import validation_key
    from tasks.validate.stored import write_result

    settings, inputs = _inputs(config)
    today = _run(settings).today
    seconds, report = _clock(lambda: run(inputs, settings, today=today))
    key = validation_key(inputs, settings, today)
    write_result(sqlite_store(settings.state_dir), key, report.findings, _run(settings).now)
    return seconds, {"findings": len(report.findings), "blocking": len(report.blocking)}


def validate_polars(workbook: Path, config: Path, as_of: date) -> Timed:
    """Time `validate` with the Polars executor of the same rules (the command line's)."""
    from schemas.request import Validator
    from tasks.validate import validate as run

    settings, inputs = _inputs(config)
    today = _run(settings).today
    seconds, report = _clock(lambda: run(inputs, settings, today=today, validator=Validator.POLARS))
    return seconds, {"findings": len(report.findings), "blocking": len(report.blocking)}


def indicators(workbook: Path, config: Path, as_of: date) -> Timed:
    """Time `compute_indicators` (the seven indicators and the context figures)."""
    from tasks.indicators import compute_indicators

    settings, inputs = _inputs(config)
    frames = inputs.frames()
    seconds, result = _clock(lambda: compute_indicators(frames, as_of, settings))
    return seconds, {"values": {k: r.value for k, r in result.results.items()}}


def _computed(config: Path, as_of: date) -> tuple[Any, Any, Any]:
    from tasks.indicators import compute_indicators
    from tasks.statedb import sqlite_store
    from tasks.validate.cache import validate_cached

    settings, inputs = _inputs(config)
    report = validate_cached(inputs, _run(settings), sqlite_store(settings.state_dir))  # warm
    return settings, compute_indicators(inputs.frames(), as_of, settings), report


def _context(config: Path, as_of: date) -> Any:
    from datetime import datetime

    from schemas.report import ReportContext

    settings, result, report = _computed(config, as_of)
    return ReportContext(
        indicators=result,
        generated_at=datetime(2018, 7, 2, 9, 0),
        warnings=report.warnings,
        language="fi",
        programme_start=settings.programme.start,
        programme_deadline=settings.programme.deadline,
    )


def render(workbook: Path, config: Path, as_of: date) -> Timed:
    """Time `build_view` + `render_mail`: the view with its charts, HTML and text bodies
    (matplotlib imported)."""
    import matplotlib.backends.backend_agg  # noqa: F401 - imported before the clock starts
    import matplotlib.figure  # noqa: F401

    from tasks.report.mail import render_mail
    from tasks.report.view import build_view

    ctx = _context(config, as_of)
    seconds, rendered = _clock(lambda: render_mail(build_view(ctx)))
    return seconds, {"html_bytes": len(rendered.html), "images": len(rendered.images)}


def pdf(workbook: Path, config: Path, as_of: date) -> Timed:
    """Time `render_pdf`: WeasyPrint lays the report view out on A4 pages (imported first)."""
    import weasyprint  # noqa: F401 - imported before the clock starts

    from tasks.report.pdf import render_pdf
    from tasks.report.view import build_view

    view = build_view(_context(config, as_of))
    seconds, data = _clock(lambda: render_pdf(view))
    return seconds, {"pdf_bytes": len(data)}


def appendix(workbook: Path, config: Path, as_of: date) -> Timed:
    """Time `build_appendix`: the XLSX of the rows behind every figure."""
    from datetime import datetime

    from schemas.report import ReportContext
    from tasks.report.appendix import build_appendix

    _, result, _ = _computed(config, as_of)
    ctx = ReportContext(result, datetime(2018, 7, 2, 9, 0), language="fi")
    seconds, data = _clock(lambda: build_appendix(ctx))
    return seconds, {"xlsx_bytes": len(data)}


def _site_files(config: Path, as_of: date) -> tuple[Any, Any]:
    """The site's input (untimed): the figures, their view, the register and the findings."""
    from schemas.site import SiteContext
    from tasks.report.view import build_view

    settings, inputs = _inputs(config)
    ctx = _context(config, as_of)
    register = inputs.engagements.frame
    lead = settings.report.team_lead
    return SiteContext(build_view(ctx), ctx.indicators, (), register, (), lead), settings


def site(workbook: Path, config: Path, as_of: date) -> Timed:
    """Time `render_site` + `publish`: the page, its data files, swapped into a folder."""
    import tempfile

    from tasks.report.site import publish, render_site

    page, _ = _site_files(config, as_of)
    with tempfile.TemporaryDirectory() as tmp:
        seconds, folder = _clock(lambda: publish(Path(tmp) / "site", render_site(page)))
        files = [p for p in folder.rglob("*") if p.is_file()]
        size = {p.name: p.stat().st_size for p in files if p.stat().st_size > 100_000}
        total = sum(p.stat().st_size for p in files)
    return seconds, {"bytes": total, "large_files": size}


_READY = "var m = performance.getEntriesByName('d9-ready')[0]; return m ? m.startTime : null;"
_FILTER = (
    "var t = performance.now(), s = document.getElementById('branch'); s.value = 'VM';"
    "s.dispatchEvent(new Event('change')); return performance.now() - t;"
)
_DRILL = (
    "var done = arguments[0], t = performance.now();"
    "document.querySelector('[data-indicator=\"branches_covered\"]').click();"
    "(function poll() { if (!document.getElementById('drill-branches_covered').hidden)"
    " { done(performance.now() - t); } else { setTimeout(poll, 5); } })();"
)


def site_page(workbook: Path, config: Path, as_of: date) -> Timed:
    """Time the page in headless Chromium: from navigation to interactive (tables drawn, the
    first page of 25 rows), opened first in a fresh browser; then warm, the branch filter and
    opening the rows behind the branch figure (Debian chromium and chromedriver, selenium)."""
    import tempfile

    from tasks.report.site import publish, render_site
    from tests.support.browser import open_page, start_browser

    page, _ = _site_files(config, as_of)
    with tempfile.TemporaryDirectory() as tmp:
        folder = publish(Path(tmp) / "site", render_site(page))
        driver = start_browser()
        try:
            open_page(driver, folder / "index.html")
            cold = driver.execute_script(_READY)
            open_page(driver, folder / "index.html")
            warm = driver.execute_script(_READY)
            shown = driver.execute_script(
                "return document.querySelectorAll('#engagements tbody tr[data-id]').length"
            )
            detail = {
                "warm_ms": warm,
                "rows_shown": shown,
                "filter_ms": driver.execute_script(_FILTER),
                "drill_ms": driver.execute_async_script(_DRILL),
            }
        finally:
            driver.quit()
    return cold / 1000, detail


def baseline(workbook: Path, config: Path, as_of: date) -> Timed:
    """Time the pandas + openpyxl baseline's `compute` (pandas imported)."""
    from bench.baseline_pandas import compute

    seconds, values = _clock(lambda: compute(workbook, as_of))
    return seconds, {"values": values}


STAGES: dict[str, Callable[[Path, Path, date], Timed]] = {
    "fastexcel": fastexcel_floor,
    "load": load,
    "validate": validate,
    "validate_polars": validate_polars,
    "indicators": indicators,
    "render": render,
    "pdf": pdf,
    "appendix": appendix,
    "site": site,
    "site_page": site_page,
    "baseline": baseline,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run one stage and print its timing as one JSON line."""
    parser = argparse.ArgumentParser(description="Time one d9 pipeline stage.")
    parser.add_argument("stage", choices=sorted(STAGES))
    parser.add_argument("--workbook", type=Path, required=True)
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2018, 6, 30))
    args = parser.parse_args(argv)
    seconds, detail = STAGES[args.stage](args.workbook, args.config, args.as_of)
    print(json.dumps({"seconds": seconds, "detail": detail}, ensure_ascii=False, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
