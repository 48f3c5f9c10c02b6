"""Benchmark inputs: a generated workbook per size (cached on disk) and a config pointing at it.

The workbook comes from `data/generate_sample.py` (seeded, so every machine benchmarks the same
bytes); it is generated once into `<out>/data/engagements-<n>.xlsx` and reused afterwards, as
long as the generator's source is unchanged (its digest is kept in a `.digest` file beside it).
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import sqlite3
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = ROOT / "data" / "generate_sample.py"
SEED = 2016
_MODULE = "d9_generate_sample"
_SHEET_NAMES = {
    "engagements": "Toimeksiannot",
    "feedback": "Palaute",
    "agency_survey": "Asiakastyytyväisyys",
    "principles": "Digiperiaatteet",
}


@dataclass(frozen=True)
class Workload:
    """One benchmark size: its workbook, its config and its state folder."""

    engagements: int
    workbook: Path
    config: Path
    state: Path
    generate_seconds: float | None  # None when the cached workbook was reused

    def clear_validation_cache(self) -> None:
        """Forget the stored validation results, so the next run validates from scratch."""
        database = self.state / "state.sqlite"
        if database.exists():
            with sqlite3.connect(database) as conn:
                conn.execute("DELETE FROM validation_result")
            conn.close()

    def clear_state(self) -> None:
        """Empty the state folder (cache, history, previews): the next run starts fresh."""
        shutil.rmtree(self.state, ignore_errors=True)

    def clear_preview(self) -> None:
        """Remove earlier dry-run previews (at 100k engagements one run writes ~120 MB)."""
        shutil.rmtree(self.state / "preview", ignore_errors=True)


def _generator() -> ModuleType:
    """Import `data/generate_sample.py` (a script, not a package module) by its path."""
    if _MODULE in sys.modules:
        return sys.modules[_MODULE]
    spec = importlib.util.spec_from_file_location(_MODULE, GENERATOR)
    if spec is None or spec.loader is None:
        raise FileNotFoundError(f"cannot import the generator {GENERATOR}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[_MODULE] = module  # dataclasses look their module up while it executes
    spec.loader.exec_module(module)
    return module


def generate(path: Path, engagements: int, seed: int = SEED) -> float:
    """Write the generated workbook to `path` (atomically); return the seconds it took."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    started = time.perf_counter()
    _generator().generate(partial, engagements=engagements, seed=seed)
    os.replace(partial, path)
    return time.perf_counter() - started


def config_text(workbook_name: str, state: str) -> str:
    """A d9 config reading all four datasets from one workbook, with its own state folder."""
    parts = [
        f'[sources.{name}]\npath = "{workbook_name}"\nsheet = "{sheet}"\n'
        for name, sheet in _SHEET_NAMES.items()
    ]
    return "\n".join([*parts, f'[state]\ndir = "{state}"\n'])


def _digest() -> str:
    return hashlib.sha256(GENERATOR.read_bytes()).hexdigest() + f"-seed-{SEED}"


def prepare(out: Path, engagements: int) -> Workload:
    """Generate (or reuse) the workbook of one size and write its config next to it."""
    data = out / "data"
    workbook = data / f"engagements-{engagements}.xlsx"
    stamp = data / f".engagements-{engagements}.digest"
    fresh = workbook.exists() and stamp.exists() and stamp.read_text() == _digest()
    seconds = None if fresh else generate(workbook, engagements)
    stamp.write_text(_digest())
    state = out / "state" / f"engagements-{engagements}"
    config = data / f"engagements-{engagements}.toml"
    config.write_text(
        config_text(workbook.name, f"../state/engagements-{engagements}"), encoding="utf-8"
    )
    return Workload(engagements, workbook.resolve(), config.resolve(), state.resolve(), seconds)
