"""Import costs of the heavy libraries, each in a fresh interpreter (a known start-up suspect).

Two views per module: the wall clock of `python -c "import M"` minus that of `python -c pass`
(median over the repeats), and the cumulative time `python -X importtime` attributes to M.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

MODULES = (
    "polars",
    "fastexcel",
    "pandas",
    "openpyxl",
    "great_expectations",
    "prefect",
    "matplotlib.pyplot",
    "httpx",
    "d9.cli",
    "d9.commands",
    "tasks.load",
    "tasks.indicators",
    "tasks.validate",
    "flows.pipeline",
    "flows.report",
)


@dataclass(frozen=True)
class ImportCost:
    """What importing one module costs in a fresh interpreter."""

    module: str
    wall: float | None  # seconds over a bare interpreter start
    importtime: float | None  # seconds, cumulative, as -X importtime reports it
    modules: int | None  # modules it imports beyond those of a bare interpreter start
    error: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _wall(code: str) -> tuple[float, subprocess.CompletedProcess[str]]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True
    )
    return time.perf_counter() - started, done


def parse_importtime(stderr: str, module: str) -> tuple[float | None, int]:
    """Return (cumulative seconds of `module`, number of modules) from -X importtime output."""
    cumulative: float | None = None
    count = 0
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cum, name = (part.strip() for part in line[len("import time:") :].split("|"))
        if not cum.isdigit():
            continue  # the column titles
        count += 1
        if name == module:
            cumulative = int(cum) / 1e6
    return cumulative, count


def measure(module: str, repeats: int) -> ImportCost:
    """Import `module` `repeats` times in fresh interpreters; return the median costs."""
    bare_runs = [_wall("pass") for _ in range(repeats)]
    bare = statistics.median(seconds for seconds, _ in bare_runs)
    _, bare_count = parse_importtime(bare_runs[0][1].stderr, "")
    walls: list[float] = []
    cumulative: list[float] = []
    count = 0
    for _ in range(repeats):
        seconds, done = _wall(f"import {module}")
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["failed"])[-1][:200]
            return ImportCost(module, None, None, None, last)
        walls.append(seconds - bare)
        found, count = parse_importtime(done.stderr, module)
        if found is not None:
            cumulative.append(found)
    cum = statistics.median(cumulative) if cumulative else None
    return ImportCost(module, statistics.median(walls), cum, count - bare_count)


def measure_all(modules: Sequence[str] = MODULES, repeats: int = 3) -> list[ImportCost]:
    """Measure every module of `modules`."""
    return [measure(m, repeats) for m in modules]
