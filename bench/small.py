"""The team's real scale: a workbook of ~80 engagements, fresh state, paired with the baseline.

Each round runs the pandas + openpyxl script, then each `d9` command, one after the other in
fresh processes, with the command's state folder emptied first (nothing cached). A command's
ratio is its wall time over the baseline's wall time *in the same round*, so the load of a
shared machine weighs on both sides of a ratio alike; the table shows medians over the rounds.
`d9 demo` is what `make demo` runs after set-up: the bundled sample into its own state folder.
"""

from __future__ import annotations

import statistics
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import measure
from bench.workbooks import ROOT, Workload, prepare

ENGAGEMENTS = 80
AS_OF = "2018-06-30"
GOALS = {"d9 indicators": 2.0, "d9 check": 2.0, "d9 report --dry-run": 8.0}  # × the baseline


def _commands(w: Workload, d9: list[str]) -> dict[str, tuple[list[str], Callable[[], None]]]:
    config = ["--config", str(w.config)]
    return {
        "d9 indicators": ([*d9, "indicators", *config, "--as-of", AS_OF], w.clear_state),
        "d9 check": ([*d9, "check", *config], w.clear_state),
        "d9 report --dry-run": (
            [*d9, "report", *config, "--as-of", AS_OF, "--dry-run"],
            w.clear_state,
        ),
        "d9 demo": ([*d9, "demo"], lambda: None),
    }


def run(
    out: Path, d9: list[str], rounds: int, env: dict[str, str], timeout: float
) -> dict[str, Any]:
    """Run the paired rounds; return medians of wall times and of per-round ratios."""
    w = prepare(out, ENGAGEMENTS)
    baseline = [sys.executable, "-m", "bench.baseline_pandas", str(w.workbook), "--as-of", AS_OF]
    commands = _commands(w, d9)
    walls: dict[str, list[float]] = {"baseline": [], **{name: [] for name in commands}}
    ratios: dict[str, list[float]] = {name: [] for name in commands}
    errors: dict[str, str] = {}
    options: dict[str, Any] = {"env": env, "cwd": ROOT, "timeout": timeout}
    for _ in range(rounds):
        base = measure.run(baseline, **options)
        if base.error:
            return {"error": f"baseline: {base.error}"}
        walls["baseline"].append(base.wall)
        for name, (argv, before) in commands.items():
            before()
            sample = measure.run(argv, **options)
            if sample.error:
                errors[name] = sample.error
                continue
            walls[name].append(sample.wall)
            ratios[name].append(sample.wall / base.wall)
    return {
        "engagements": ENGAGEMENTS,
        "rounds": rounds,
        "wall_median": {k: statistics.median(v) for k, v in walls.items() if v},
        "ratio_median": {k: statistics.median(v) for k, v in ratios.items() if v},
        "errors": errors,
    }


def markdown(small: dict[str, Any]) -> str:
    """The small-workbook table: median wall time and median paired ratio per command."""
    if "error" in small:
        return f"Small workbook: n/a ({small['error']})"
    walls, ratios = small["wall_median"], small["ratio_median"]
    lines = [
        f"Small workbook ({small['engagements']} engagements), fresh state, "
        f"{small['rounds']} paired rounds (medians):",
        "",
        "| command | wall | × the pandas script (paired) | goal |",
        "|---|---|---|---|",
        f"| pandas + openpyxl script | {walls['baseline']:.2f} s | 1.0× | |",
    ]
    for name in ratios:
        goal = f"≤ {GOALS[name]:g}×" if name in GOALS else "< 10 s"
        lines.append(f"| `{name}` | {walls[name]:.2f} s | {ratios[name]:.1f}× | {goal} |")
    lines += [f"| `{name}` | n/a ({error}) | | |" for name, error in small["errors"].items()]
    return "\n".join(lines)
