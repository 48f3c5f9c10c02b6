"""The performance benchmark: `python -m bench [--sizes 1000,10000] [--repeats 3] [--out DIR]`.

For each size it generates a workbook once (cached under `<out>/data/`), times every pipeline
stage on its own in fresh processes (`bench.stages`), then the whole `d9` commands and the
pandas + openpyxl baseline, and the import cost of the heavy libraries. It writes
`<out>/results.json` and prints a Markdown table (the README's performance section).
A stage or command that fails is reported as "n/a" with its one-line error; the run goes on.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from bench import imports, measure, small
from bench.report import markdown, size_label
from bench.workbooks import ROOT, Workload, prepare

DEFAULT_SIZES = (1_000, 10_000, 100_000)
DEFAULT_OUT = ROOT / "bench" / "out"
PERIOD, AS_OF = "2018H1", "2018-06-30"
STAGES = (
    "fastexcel",
    "load",
    "validate",
    "validate_polars",
    "indicators",
    "render",
    "pdf",
    "appendix",
    "site",
    "site_page",
    "baseline",
)


def _env(out: Path) -> dict[str, str]:
    """The environment of every child: a private Prefect home, no telemetry, no outside API."""
    # PYTHONDONTWRITEBYTECODE off: Python caches compiled modules as on any user's machine
    # (without that cache every process compiles every module again: seconds per command).
    dropped = ("PREFECT_API_URL", "D9_CONFIG", "PYTHONDONTWRITEBYTECODE")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env |= {
        "PREFECT_HOME": str(out / "prefect-home"),
        "DO_NOT_TRACK": "1",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    }
    return env


def _d9() -> list[str]:
    script = Path(sys.executable).parent / "d9"
    return [str(script)] if script.exists() else [sys.executable, "-m", "d9.cli"]


def _commands(w: Workload) -> dict[str, tuple[list[str], Callable[[], None] | None]]:
    """Whole commands: name -> (argv, what to do before each run)."""
    config = ["--config", str(w.config), "--period", PERIOD]
    indicators = [*_d9(), "indicators", *config, "--format", "json"]
    report = [*_d9(), "report", *config, "--dry-run"]
    return {
        "d9_indicators_cold": (indicators, w.clear_state),
        "d9_indicators_warm": (indicators, None),
        "d9_check_cold": ([*_d9(), "check", "--config", str(w.config)], w.clear_state),
        "d9_report_dry_run_cold": (report, w.clear_state),
        "d9_report_dry_run": (report, w.clear_preview),
    }


def _log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def bench_size(w: Workload, args: argparse.Namespace, env: dict[str, str]) -> dict[str, Any]:
    """Measure every stage and command on one workload."""
    found: dict[str, Any] = {}
    options = {"env": env, "cwd": ROOT, "timeout": args.timeout}
    for stage in STAGES:
        argv = [sys.executable, "-m", "bench.stages", stage, "--workbook", str(w.workbook)]
        argv += ["--config", str(w.config), "--as-of", AS_OF]
        summary, _ = measure.repeat(
            argv, args.repeats, budget=args.budget, parse_json=True, **options
        )
        found[stage] = summary.to_json()
        _log(f"  {stage:<20} {_brief(summary)}")
    for name, (argv, before) in _commands(w).items():
        summary, _ = measure.repeat(
            argv, args.repeats, budget=args.budget, before=before, **options
        )
        found[name] = summary.to_json()
        _log(f"  {name:<20} {_brief(summary)}")
    return found


def _brief(s: measure.Summary) -> str:
    if s.median is None:
        return f"n/a: {s.error}"
    return f"{s.median:.2f} s (wall {s.wall_median:.2f} s, {s.rss_mb:.0f} MB, {s.runs} runs)"


def _machine() -> dict[str, Any]:
    return {
        "nproc": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
        "machine": platform.machine(),
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Run the whole benchmark; return the results (also written to results.json)."""
    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    env = _env(out)
    started = time.perf_counter()
    results: dict[str, Any] = {
        "started": datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": _machine(),
        "repeats": args.repeats,
        "budget_seconds": args.budget,
        "period": PERIOD,
        "sizes": {},
    }
    for n in args.sizes:
        _log(f"{size_label(n)} engagements: preparing the workbook")
        w = prepare(out, n)
        w.clear_validation_cache()
        measurements = bench_size(w, args, env)
        results["sizes"][str(n)] = {
            "workbook": str(w.workbook),
            "workbook_bytes": w.workbook.stat().st_size,
            "generate_seconds": w.generate_seconds,
            "rows": measurements["load"].get("detail", {}).get("rows", {}),
            "measurements": measurements,
        }
    if args.small_rounds:
        _log(f"{small.ENGAGEMENTS} engagements: {args.small_rounds} paired rounds")
        results["small"] = small.run(out, _d9(), args.small_rounds, env, args.timeout)
    _log("import costs")
    results["imports"] = [c.to_json() for c in imports.measure_all(repeats=args.repeats)]
    results["total_seconds"] = time.perf_counter() - started
    (out / "results.json").write_text(
        json.dumps(results, ensure_ascii=False, indent=2, default=str), encoding="utf-8"
    )
    return results


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"sizes must be integers: {text!r}") from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("sizes must be positive")
    return sizes


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line, run the benchmark and print the Markdown table."""
    parser = argparse.ArgumentParser(
        prog="python -m bench", description=(__doc__ or "").splitlines()[0]
    )
    parser.add_argument(
        "--sizes", type=_sizes, default=list(DEFAULT_SIZES), help="engagements per workbook"
    )
    parser.add_argument("--repeats", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="results folder")
    parser.add_argument(
        "--budget",
        type=float,
        default=100,
        help="stop repeating a measurement once its runs took this many seconds",
    )
    parser.add_argument(
        "--small-rounds",
        type=int,
        default=5,
        help="paired rounds at the team's real scale (~80 engagements; 0 skips them)",
    )
    parser.add_argument("--timeout", type=float, default=900, help="seconds before a run is killed")
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    results = run(args)
    print(markdown(results))
    if "small" in results:
        print("\n" + small.markdown(results["small"]))
    _log(f"\nresults: {args.out / 'results.json'} ({results['total_seconds']:.0f} s in all)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
