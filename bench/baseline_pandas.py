"""The indicators as a team would script them without d9: pandas + openpyxl, one sheet at a time.

This is the benchmark's point of comparison, deliberately ordinary: `pd.read_excel(...,
engine="openpyxl")` per sheet, the header row found by scanning for a Finnish header, cells
cleaned with row-wise `apply`, the principles matrix walked with `iterrows`. It uses nothing
from d9 except the branch list in `data/reference/branches.csv` (a team keeps such a list).
It reads only the sheets the indicators need (the principles matrix of the as-of half-year).

`tests/bench/test_baseline.py` checks that it gives the same values as `compute_indicators`
on a generated workbook, so the timing comparison is between two correct programs.

Usage: python -m bench.baseline_pandas WORKBOOK [--as-of YYYY-MM-DD]
"""

from __future__ import annotations

import argparse
import json
import math
from collections.abc import Sequence
from datetime import date, datetime
from importlib.resources import files
from pathlib import Path
from typing import Any

import pandas as pd

BRANCHES_CSV = files("data") / "reference" / "branches.csv"  # the package's reference data
PROGRAMME_START = date(2016, 9, 8)
SURVEY_METRICS = ("Kokonaistyytyväisyys", "Asiantuntemus", "Yhteistyön sujuvuus", "Hyödyllisyys")
GREEN, YELLOW = 4.0, 3.5
ASSESSED = ("toteutuu", "osittain", "ei toteudu")
HEADER_SCAN_ROWS = 30


def clean_text(value: Any) -> str | None:
    """Return the cell as stripped text, or None for a blank cell."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip()
    return text or None


def to_date(value: Any) -> date | None:
    """Read a spreadsheet date, an ISO text date or a Finnish d.m.yyyy date."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = clean_text(value)
    if text is None:
        return None
    for fmt in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text.split(" ")[0], fmt).date()
        except ValueError:
            continue
    return None


def to_number(value: Any) -> float | None:
    """Read a number cell or a text number with a decimal comma."""
    if isinstance(value, int | float) and not (isinstance(value, float) and math.isnan(value)):
        return float(value)
    text = clean_text(value)
    if text is None:
        return None
    try:
        return float(text.replace(",", ".").replace(" ", ""))
    except ValueError:
        return None


def lower(value: Any) -> str | None:
    text = clean_text(value)
    return " ".join(text.split()).casefold() if text else None


def branch_lookup() -> dict[str, str]:
    """Every spelling of a branch (code, fi/sv/en name, old names), lower case -> code."""
    with BRANCHES_CSV.open("rb") as handle:
        table = pd.read_csv(handle, dtype=str).fillna("")
    out: dict[str, str] = {}
    for _, row in table.iterrows():
        names = [row["code"], row["name_fi"], row["name_sv"], row["name_en"]]
        names += [n for n in row["other_names"].split("|") if n]
        for name in names:
            out[" ".join(name.split()).casefold()] = row["code"]
    return out


def read_sheet(path: Path, sheet: str, marker: str) -> pd.DataFrame:
    """Read a sheet with openpyxl; the header is the first row with a cell equal to `marker`."""
    raw = pd.read_excel(path, sheet_name=sheet, header=None, engine="openpyxl")
    for i in range(min(HEADER_SCAN_ROWS, len(raw))):
        cells = [clean_text(c) for c in raw.iloc[i].tolist()]
        if marker in cells:
            body = raw.iloc[i + 1 :].copy()
            body.columns = [c or f"col{j}" for j, c in enumerate(cells)]
            return body.dropna(how="all").reset_index(drop=True)
    raise ValueError(f"{path}: sheet {sheet!r} has no header row with {marker!r}")


def period_of(as_of: date) -> str:
    return f"{as_of.year}H{1 if as_of.month <= 6 else 2}"


def read_engagements(path: Path) -> pd.DataFrame:
    df = read_sheet(path, "Toimeksiannot", "Tunnus")
    branches = branch_lookup()
    df["id"] = df["Tunnus"].apply(clean_text)
    df["branch"] = df["Hallinnonala"].apply(lambda v: branches.get(lower(v) or ""))
    df["status"] = df["Tila"].apply(lower)
    df["concept"] = df["Palvelukonsepti"].apply(lower)
    df["start"] = df["Alkupäivä"].apply(to_date)
    df["end"] = df["Päättymispäivä"].apply(to_date)
    return df


def completed(df: pd.DataFrame, as_of: date, start: date) -> pd.DataFrame:
    done = df["end"].apply(lambda d: d is not None and start <= d <= as_of)
    return df[(df["status"] == "toteutettu") & done]


def reached(df: pd.DataFrame, as_of: date, start: date) -> pd.DataFrame:
    started = df["start"].apply(lambda d: d is not None and d <= as_of)
    not_before = df["end"].apply(lambda d: d is None or d >= start)
    return df[df["status"].isin(["käynnissä", "toteutettu"]) & started & not_before]


def share_filled(df: pd.DataFrame, columns: Sequence[str]) -> float | None:
    if len(df) == 0:
        return None
    ok = 0
    for _, row in df.iterrows():
        if all(clean_text(row[c]) is not None for c in columns):
            ok += 1
    return ok / len(df)


def quick_satisfaction(path: Path, register: pd.DataFrame, as_of: date) -> float | None:
    quick = set(register.loc[register["concept"].isin(["herätys", "kokeilu"]), "id"].dropna())
    fb = read_sheet(path, "Palaute", "Vastaus")
    fb["answered"] = fb["Vastauspäivä"].apply(to_date)
    fb["rating"] = fb["Koetko D9-yhteistyön tuovan lisäarvoa ja hyötyä hankkeellesi?"].apply(
        to_number
    )
    fb["eid"] = fb["Tunnus"].apply(clean_text)
    use = fb[
        fb["answered"].apply(lambda d: d is not None and d <= as_of)
        & fb["rating"].notna()
        & fb["eid"].isin(quick)
    ]
    return float(use["rating"].mean()) if len(use) else None


def survey_green_share(path: Path, as_of: date) -> float | None:
    sv = read_sheet(path, "Asiakastyytyväisyys", "Vastaus")
    sv["answered"] = sv["Vastauspäivä"].apply(to_date)
    sv["round"] = sv["Kierros"].apply(
        lambda v: clean_text(v if not isinstance(v, float) else int(v))
    )
    sv = sv[sv["answered"].apply(lambda d: d is not None and d <= as_of) & sv["round"].notna()]
    if len(sv) == 0:
        return None
    last = sv.groupby("round")["answered"].max().reset_index()
    last = last.sort_values(["answered", "round"], ascending=False)
    answers = sv[sv["round"] == last.iloc[0]["round"]]
    colours = []
    for metric in SURVEY_METRICS:
        if metric not in answers.columns:
            continue
        mean = answers[metric].apply(to_number).mean()
        if pd.isna(mean):
            continue
        colours.append("green" if mean >= GREEN else "yellow" if mean >= YELLOW else "red")
    return colours.count("green") / len(colours) if colours else None


def principles_share(path: Path, as_of: date) -> float | None:
    matrix = read_sheet(path, f"Digiperiaatteet {period_of(as_of)}", "Kärkihanke")
    principle_cols = [c for c in matrix.columns if str(c)[:1] in "123456789"]
    cells: dict[str, dict[str, str | None]] = {}
    for _, row in matrix.iterrows():
        project = clean_text(row["Kärkihanke"])
        if project is None:
            continue
        seen = cells.setdefault(project, dict.fromkeys(principle_cols))
        for col in principle_cols:
            if lower(row[col]) is not None:
                seen[col] = lower(row[col])  # a later filled cell wins
    if not cells:
        return None
    assessed = sum(v in ASSESSED for row in cells.values() for v in row.values())
    return assessed / (len(cells) * 9)


def compute(path: Path, as_of: date, start: date = PROGRAMME_START) -> dict[str, float | None]:
    """Compute the seven indicator values of DESIGN.md from the workbook at `path`."""
    register = read_engagements(path)
    done = completed(register, as_of, start)
    base = reached(register, as_of, start)
    return {
        "engagements_completed": len(done),
        "effects_described_share": share_filled(
            done, ["Muutos toimintaan", "Avun hyödyt", "Käytetty menetelmä"]
        ),
        "branches_covered": int(base["branch"].dropna().nunique()),
        "life_path_ecosystem_share": share_filled(base, ["Elämänpolku", "Ekosysteemi"]),
        "quick_satisfaction_mean": quick_satisfaction(path, register, as_of),
        "agency_survey_green_share": survey_green_share(path, as_of),
        "principles_assessed_share": principles_share(path, as_of),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Print the indicator values of a workbook as JSON."""
    parser = argparse.ArgumentParser(description="pandas + openpyxl baseline of the indicators")
    parser.add_argument("workbook", type=Path)
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2018, 6, 30))
    args = parser.parse_args(argv)
    print(json.dumps(compute(args.workbook, args.as_of), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
