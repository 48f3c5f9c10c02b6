"""A throw-away project folder: the bundled sample workbook and a config pointing at it."""

from __future__ import annotations

import shutil
from pathlib import Path

from d9.settings import ROOT

SAMPLE = ROOT / "data" / "seuranta.xlsx"
_SHEETS = [
    ("engagements", "Toimeksiannot"),
    ("feedback", "Palaute"),
    ("agency_survey", "Asiakastyytyväisyys"),
    ("principles", "Digiperiaatteet"),
]


def sample_project(
    folder: Path, *, smtp_port: int | None = None, extra: str = "", report: str = ""
) -> Path:
    """Copy the sample workbook into `folder`, write `d9.toml` beside it; return the config path."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(SAMPLE, folder / "seuranta.xlsx")
    sources = "\n".join(f'[sources.{n}]\npath = "seuranta.xlsx"\nsheet = "{s}"' for n, s in _SHEETS)
    smtp = (
        f'[smtp]\nhost = "127.0.0.1"\nport = {smtp_port}\nsecurity = "none"\n' if smtp_port else ""
    )
    config = folder / "d9.toml"
    config.write_text(
        f'{sources}\n[report]\nto = ["sg1@example.org", "sg2@example.org"]\n'
        f'team_lead = "lead@example.org"\nsender = "d9@example.org"\n{report}'
        f'[state]\ndir = "state"\n{smtp}{extra}',
        encoding="utf-8",
    )
    return config
