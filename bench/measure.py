"""Run a command in a fresh process and measure it: wall time, peak RSS, its own reported time.

Peak RSS comes from `os.wait4` on that very child (its `ru_maxrss`, the resident set of the
child process itself, in kB on Linux), so one run's memory is not mixed with another's.
A command that fails or times out gives a `Sample` with `error` set to its last stderr line.
"""

from __future__ import annotations

import json
import os
import signal
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Sample:
    """One run of one command."""

    wall: float  # seconds, process start to exit
    rss_mb: float  # peak resident set of the child process
    inner: float | None = None  # seconds the stage itself reported (None for whole commands)
    detail: dict[str, Any] = field(default_factory=dict)
    error: str = ""


@dataclass(frozen=True)
class Summary:
    """Median, min and max over the runs of one measurement (the inner time when there is one)."""

    median: float | None
    min: float | None
    max: float | None
    wall_median: float | None
    rss_mb: float | None  # the largest peak over the runs
    runs: int
    error: str = ""
    detail: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1][:300] if lines else "no output"


def run(
    command: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 900,
    parse_json: bool = False,
) -> Sample:
    """Run `command`, wait for it with wait4, and return its Sample."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(command, stdout=out, stderr=err, env=env, cwd=cwd)
        timer = threading.Timer(timeout, lambda: os.kill(proc.pid, signal.SIGKILL))
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    rss_mb = usage.ru_maxrss / 1024
    if proc.returncode != 0:
        reason = "timed out" if proc.returncode == -signal.SIGKILL else _last_line(stderr + stdout)
        return Sample(wall, rss_mb, error=f"exit {proc.returncode}: {reason}")
    if not parse_json:
        return Sample(wall, rss_mb)
    try:
        reported = json.loads(stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return Sample(wall, rss_mb, error=f"no JSON result: {_last_line(stdout + stderr)}")
    return Sample(wall, rss_mb, float(reported["seconds"]), dict(reported.get("detail", {})))


def repeat(
    command: Sequence[str],
    repeats: int,
    *,
    budget: float,
    before: Any = None,
    **options: Any,
) -> tuple[Summary, list[Sample]]:
    """Run a command up to `repeats` times (fewer once `budget` seconds are spent); summarise.

    `before`, if given, is called before every run (e.g. to clear a cache for a cold start).
    The first failure stops the repeats: a broken command fails the same way every time.
    """
    samples: list[Sample] = []
    spent = 0.0
    for _ in range(repeats):
        if before is not None:
            before()
        sample = run(command, **options)
        samples.append(sample)
        spent += sample.wall
        if sample.error or spent >= budget:
            break
    return summarise(samples), samples


def summarise(samples: Sequence[Sample]) -> Summary:
    """Medians of the successful runs; the error of the first failure if none succeeded."""
    good = [s for s in samples if not s.error]
    if not good:
        error = samples[0].error if samples else "not run"
        return Summary(None, None, None, None, None, len(samples), error)
    times = [s.inner if s.inner is not None else s.wall for s in good]
    return Summary(
        median=statistics.median(times),
        min=min(times),
        max=max(times),
        wall_median=statistics.median(s.wall for s in good),
        rss_mb=max(s.rss_mb for s in good),
        runs=len(good),
        detail=good[-1].detail,
    )
