"""Write the bundled sample workbook `data/seuranta.xlsx`: seeded, realistic, messy but valid.

The workbook looks the way the D9 team keeps it: title rows above the header, dates both as
spreadsheet dates and as `d.m.yyyy` text, branches written in many ways, `x`/blank and
`kyllä`/`ei` booleans, blank rows, stray spaces and an extra notes column. It holds
warning-level gaps (missing effects, life paths) but nothing that blocks the report.

Everything is derived from a `random.Random(seed)` and fixed dates, so the same arguments give
the same bytes. `generate(path, engagements=100_000)` scales every sheet for benchmarks.

Usage: python data/generate_sample.py [--engagements N] [--seed S] [--out PATH]
"""

from __future__ import annotations

import argparse
import math
import random
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from schemas.contract import Column, Kind
from schemas.datasets import (
    DEFAULT_SURVEY_METRICS,
    ENGAGEMENTS,
    FEEDBACK,
    PRINCIPLES,
    agency_survey,
)
from schemas.reference import Branch, branches, principles

DEFAULT_OUT = Path(__file__).resolve().parent / "seuranta.xlsx"
DEFAULT_ENGAGEMENTS = 80
# The sample's register predates the deregulation log's optional columns (Sääntelyeste havaittu,
# Välitetty), as the team's older sheets do: the report then uses start dates and says so.
REGISTER_COLUMNS = tuple(
    c for c in ENGAGEMENTS.columns if c.name not in ("regulatory_found_on", "regulatory_passed_on")
)
DEFAULT_SEED = 2016
PROGRAMME_START = date(2016, 9, 8)
LAST_START = date(2018, 12, 31)
SNAPSHOT = date(2018, 10, 31)  # "Päivitetty": statuses and answers are as the team saw them then
CREATED = datetime(2018, 10, 31, 16, 0)  # workbook property; fixed so the bytes are reproducible
FIRST_WEEKS = 13  # days from the programme start to the first engagement at the latest
PACE = (
    (PROGRAMME_START, 6),
    (date(2017, 1, 1), 12),
    (date(2017, 7, 1), 13),
    (date(2018, 1, 1), 18),
    (date(2018, 7, 1), 31),
)  # half-year: relative number of starts
CONSTANT_MEMORY_FROM = 5_000  # engagements; above this rows are streamed to disk
PERIODS = ("2017H1", "2017H2", "2018H1")
SURVEY_ROUNDS = (("2016", date(2016, 11, 14)), ("2017", date(2017, 11, 13)))

Cell = str | int | float | date | None
Row = Sequence[Cell]


@dataclass(frozen=True)
class KeyProject:
    """A government key project (kärkihanke) the team supports."""

    name: str
    branch: str
    customer: str
    topics: tuple[str, ...]
    since: date  # first engagement and first principles assessment not before this


@dataclass(frozen=True)
class Engagement:
    """One register row in canonical form (messiness is added when it is written)."""

    engagement_id: str
    title: str
    customer: str
    branch: str
    cross_administrative: bool
    service_concept: str
    influence_level: str | None
    project_stage: str | None
    priority: str | None
    key_project: str | None
    status: str
    start_date: date
    end_date: date | None
    life_path: str | None
    ecosystem: str | None
    change_in_operations: str | None
    benefits: str | None
    method: str | None
    strategic_choices: bool | None
    support_areas: tuple[str, ...]
    investment_advice: str | None
    regulatory_obstacles: str | None
    owner: str
    notes: str | None


# --- Vocabulary of the sample (Finnish, realistic, no real personal data) -----------------------
# The texts live in sample_texts.toml; the weights that shape the numbers stay here.

TEXTS_FILE = Path(__file__).resolve().parent / "sample_texts.toml"
_TEXTS: dict[str, Any] = tomllib.loads(TEXTS_FILE.read_text(encoding="utf-8"))

CUSTOMERS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    branch: tuple((org["name"], tuple(org["topics"])) for org in orgs)
    for branch, orgs in _TEXTS["customers"].items()
}
KEY_PROJECTS = tuple(
    KeyProject(k["name"], k["branch"], k["customer"], tuple(k["topics"]), k["since"])
    for k in _TEXTS["key_projects"]
)
ACTIONS: dict[str, tuple[str, ...]] = {c: tuple(a) for c, a in _TEXTS["actions"].items()}
THEMES: dict[str, str] = dict(_TEXTS["themes"])
LIFE_PATHS: dict[str, tuple[str, ...]] = {b: tuple(p) for b, p in _TEXTS["life_paths"].items()}
ECOSYSTEMS: dict[str, str] = dict(_TEXTS["ecosystems"])
CHANGES: tuple[str, ...] = tuple(_TEXTS["effects"]["changes"])
BENEFITS: tuple[str, ...] = tuple(_TEXTS["effects"]["benefits"])
METHODS: tuple[str, ...] = tuple(_TEXTS["effects"]["methods"])
OBSTACLES: tuple[str, ...] = tuple(_TEXTS["effects"]["obstacles"])
NOTES: tuple[str, ...] = tuple(_TEXTS["remarks"]["notes"])
GOOD_COMMENTS: tuple[str, ...] = tuple(_TEXTS["remarks"]["good_comments"])
CRITICAL_COMMENTS: tuple[str, ...] = tuple(_TEXTS["remarks"]["critical_comments"])

BRANCH_WEIGHTS = {
    "VNK": 4,
    "UM": 4,
    "OM": 4,
    "SM": 9,
    "PLM": 2,
    "VM": 14,
    "OKM": 8,
    "MMM": 7,
    "LVM": 8,
    "TEM": 10,
    "STM": 10,
    "YM": 6,
}
BRANCH_SINCE = {"OM": date(2018, 8, 1), "PLM": date(2018, 11, 15)}  # late-comers: not by 2018H1
CONCEPTS = {"Herätys": 50, "Kokeilu": 33, "Yhteistyö": 17}  # shares, dealt out exactly
DURATION_DAYS = {"Herätys": (0, 14), "Kokeilu": (21, 100), "Yhteistyö": (120, 420)}
SUPPORT_WEIGHTS = {
    "palvelumuotoilu": 30,
    "projektinhallinta": 15,
    "muutosjohtaminen": 12,
    "prosessien uudistaminen": 14,
    "vastaavien hankkeiden löytäminen": 10,
    "viestintä": 9,
    "hankinnat": 6,
}
ADVICE = {"": 70, "toteuta": 12, "muuta": 10, "älä toteuta": 8}  # Kokeilu/Yhteistyö, once done
INFLUENCE = {"strateginen": 25, "operatiivinen": 45, "molemmat": 20, "": 10}
OWNERS = {
    "anna.virtanen@example.fi": 30,
    "mikko.korhonen@example.fi": 25,
    "laura.nieminen@example.fi": 20,
    "juha.makinen@example.fi": 15,
    "sari.heikkinen@example.fi": 10,
}
NOTES_HEADER = "Muistiinpanot"  # a column of the team's own, not in the contract
RATING_WEIGHTS = (2, 5, 13, 40, 40)  # shares of 1..5 among answered feedback; mean 4.11
SURVEY_WEIGHTS = {  # per round, per metric: shares of 1..5; 2017 "Yhteistyön sujuvuus" is yellow
    "2016": ((0, 0, 15, 50, 35), (0, 0, 5, 40, 55), (0, 0, 15, 50, 35), (0, 0, 15, 45, 40)),
    "2017": ((0, 0, 15, 45, 40), (0, 0, 10, 40, 50), (0, 10, 25, 45, 20), (0, 5, 10, 40, 45)),
}
SPACED = {"title", "customer", "life_path", "ecosystem"}  # free text that gets stray spaces
ASSESSMENTS = (None, "ei arvioitavissa", "ei toteudu", "osittain", "toteutuu")  # worst to best


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(tuple(weights), tuple(weights.values()))[0]


def _weekday(day: date) -> date:
    """Move a weekend day to the following Monday."""
    return day + timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)


def _allot(n: int, weights: Sequence[int]) -> list[int]:
    """Split n into counts proportional to weights (largest remainder), so small n stay true."""
    total = sum(weights)
    exact = [n * w / total for w in weights]
    counts = [math.floor(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: exact[i] - counts[i], reverse=True)
    for i in by_remainder[: n - sum(counts)]:
        counts[i] += 1
    return counts


def _quota(rng: random.Random, n: int, weights: Sequence[int]) -> list[int]:
    """Return n ratings 1..len(weights) in the weights' proportions, shuffled."""
    values = [v + 1 for v, c in enumerate(_allot(n, weights)) for _ in range(c)]
    rng.shuffle(values)
    return values


# --- Content --------------------------------------------------------------------------------------


def _key_projects(engagements: int) -> tuple[KeyProject, ...]:
    """The five key projects, plus numbered sub-projects when scaled past the default size."""
    extra = max(0, round(len(KEY_PROJECTS) * engagements / DEFAULT_ENGAGEMENTS) - len(KEY_PROJECTS))
    bases = (KEY_PROJECTS[i % len(KEY_PROJECTS)] for i in range(extra))
    subs = tuple(
        replace(base, name=f"{base.name}, osahanke {i // len(KEY_PROJECTS) + 1}")
        for i, base in enumerate(bases)
    )
    return KEY_PROJECTS + subs


def _start_dates(rng: random.Random, n: int) -> list[date]:
    """Draw n sorted weekday start dates, half-year by half-year as the team's pace grew."""
    bounds = [since for since, _ in PACE] + [LAST_START + timedelta(days=1)]
    counts = _allot(n, [w for _, w in PACE])
    days = sorted(
        bounds[h] + timedelta(days=int(rng.random() * (bounds[h + 1] - bounds[h]).days))
        for h, count in enumerate(counts)
        for _ in range(count)
    )
    days[0] = min(days[0], PROGRAMME_START + timedelta(days=FIRST_WEEKS))  # launched with one
    return [min(LAST_START, _weekday(d)) for d in days]


def _branch(rng: random.Random, start: date) -> str:
    open_ = {
        b: w for b, w in BRANCH_WEIGHTS.items() if BRANCH_SINCE.get(b, PROGRAMME_START) <= start
    }
    return _pick(rng, open_)


def _status(rng: random.Random, start: date, end: date) -> tuple[str, date | None]:
    """Return the status and end date the register shows on SNAPSHOT."""
    if start > SNAPSHOT:
        return "suunnitteilla", None
    if rng.random() < 0.05:
        return "peruttu", None
    if end <= SNAPSHOT:
        return "toteutettu", end
    return "käynnissä", end if rng.random() < 0.5 else None


_Candidates = tuple[tuple[KeyProject, ...], tuple[int, ...]]  # key projects, cumulative weights


class _KeyPicker:
    """Choose the key project of a kärkihanke engagement by branch and start date.

    Each of the five named key projects gets its first engagement as soon as one is open to it;
    after that the choice is weighted. Scaled runs have thousands of key projects, so the
    candidates are indexed once by branch and start threshold.
    """

    def __init__(self, key_projects: Sequence[KeyProject]) -> None:
        self._sinces = tuple(sorted({k.since for k in key_projects}))
        self._open: dict[tuple[str, date], _Candidates] = {}
        for branch, since in ((b, s) for b in CUSTOMERS for s in self._sinces):
            own = tuple(k for k in key_projects if k.branch == branch and k.since <= since)
            # A key project that started later needs the most help while it is starting.
            weights = accumulate(3 if k.since > PROGRAMME_START else 1 for k in own)
            self._open[branch, since] = own, tuple(weights)
        self._unseen = [k for k in KEY_PROJECTS if k in key_projects]

    def open_count(self, branch: str, start: date) -> int:
        """Count the key projects of `branch` open on `start`."""
        return len(self._candidates(branch, start)[0])

    def pick(self, rng: random.Random, branch: str, start: date) -> KeyProject:
        """Return a key project of `branch` open on `start` (see `open_count`)."""
        for k in self._unseen:
            if k.branch == branch and k.since <= start:
                self._unseen.remove(k)
                return k
        own, cum_weights = self._candidates(branch, start)
        return rng.choices(own, cum_weights=cum_weights)[0]

    def _candidates(self, branch: str, start: date) -> _Candidates:
        since = max((s for s in self._sinces if s <= start), default=None)
        return self._open[branch, since] if since else ((), ())


def _priority(
    rng: random.Random, branch: str, start: date, keys: _KeyPicker
) -> tuple[str | None, KeyProject | None]:
    # The more key projects a branch runs, the more of its engagements serve one of them.
    if rng.random() < min(0.7, 0.35 * keys.open_count(branch, start)):
        return "kärkihanke", keys.pick(rng, branch, start)
    roll = rng.random()
    if roll < 0.5 and branch in THEMES:
        return THEMES[branch], None
    return ("muu" if roll < 0.85 else None), None


def _effects(rng: random.Random, status: str) -> tuple[str | None, str | None, str | None]:
    """Effect texts of a completed engagement; about one in eight misses one or more."""
    if status != "toteutettu":
        return None, None, None
    texts = [rng.choice(CHANGES), rng.choice(BENEFITS), rng.choice(METHODS)]
    if rng.random() < 0.12:
        for i in rng.sample(range(3), rng.randint(1, 3)):
            texts[i] = None
    return texts[0], texts[1], texts[2]


def _maybe(rng: random.Random, p: float, options: Sequence[str]) -> str | None:
    return rng.choice(options) if rng.random() < p else None


def _engagement(
    rng: random.Random, eid: str, start: date, concept: str, keys: _KeyPicker
) -> Engagement:
    branch = _branch(rng, start)
    low, high = DURATION_DAYS[concept]
    status, end = _status(rng, start, _weekday(start + timedelta(days=rng.randint(low, high))))
    priority, key = _priority(rng, branch, start, keys)
    customer, topics = rng.choice(CUSTOMERS[branch])
    if key is not None:
        customer, topics = key.customer, key.topics
    cross = rng.random() < 0.12
    if cross:
        other = rng.choice([b for b in CUSTOMERS if b != branch])
        customer = f"{customer}, {rng.choice(CUSTOMERS[other])[0]}"
    done = status == "toteutettu"
    change, benefits, method = _effects(rng, status)
    gap = rng.random()
    return Engagement(
        engagement_id=eid,
        title=f"{rng.choice(topics)} – {rng.choice(ACTIONS[concept])}",
        customer=customer,
        branch=branch,
        cross_administrative=cross,
        service_concept=concept,
        influence_level=_pick(rng, INFLUENCE) or None,
        project_stage=_pick(rng, {"alkava": 70, "käynnissä": 22, "": 8}) or None,
        priority=priority,
        key_project=key.name if key else None,
        status=status,
        start_date=start,
        end_date=end,
        life_path=None if gap < 0.06 else rng.choice(LIFE_PATHS[branch]),
        ecosystem=None if 0.04 < gap < 0.09 else ECOSYSTEMS[branch],
        change_in_operations=change,
        benefits=benefits,
        method=method,
        strategic_choices=(rng.random() < 0.45) if done and rng.random() < 0.85 else None,
        support_areas=()
        if status == "suunnitteilla" or rng.random() < 0.1
        else tuple(dict.fromkeys(_pick(rng, SUPPORT_WEIGHTS) for _ in range(rng.randint(1, 3)))),
        investment_advice=_pick(rng, ADVICE) or None if done and concept != "Herätys" else None,
        regulatory_obstacles=_maybe(rng, 0.1, OBSTACLES) if done else None,
        owner=_pick(rng, OWNERS),
        notes=_maybe(rng, 0.1, NOTES),
    )


def _engagements(
    rng: random.Random, n: int, key_projects: Sequence[KeyProject]
) -> list[Engagement]:
    """Return n engagements in start order, numbered per start year (D9-2016-001)."""
    per_year: dict[int, int] = {}
    keys = _KeyPicker(key_projects)
    concepts = [
        c
        for c, k in zip(CONCEPTS, _allot(n, list(CONCEPTS.values())), strict=True)
        for _ in range(k)
    ]
    rng.shuffle(concepts)
    rows: list[Engagement] = []
    for start, concept in zip(_start_dates(rng, n), concepts, strict=True):
        per_year[start.year] = per_year.get(start.year, 0) + 1
        eid = f"D9-{start.year}-{per_year[start.year]:03d}"
        rows.append(_engagement(rng, eid, start, concept, keys))
    return rows


def _feedback(rng: random.Random, engagements: Sequence[Engagement]) -> list[Row]:
    """Answer the feedback question 0-3 times per completed Herätys/Kokeilu, after its end."""
    answers: list[tuple[date, str]] = []
    for e in engagements:
        if e.service_concept == "Yhteistyö" or e.status != "toteutettu" or e.end_date is None:
            continue
        for _ in range(rng.choices((0, 1, 2, 3), (15, 40, 30, 15))[0]):
            answered = _weekday(e.end_date + timedelta(days=rng.randint(0, 21)))
            if answered <= SNAPSHOT:
                answers.append((answered, e.engagement_id))
    answers.sort()
    unanswered = set(rng.sample(range(len(answers)), round(0.07 * len(answers))))
    answered_idx = [i for i in range(len(answers)) if i not in unanswered]
    ratings: list[int | None] = [None] * len(answers)
    for i, r in zip(answered_idx, _quota(rng, len(answered_idx), RATING_WEIGHTS), strict=True):
        ratings[i] = r
    rows: list[Row] = []
    for i, ((answered, eid), rating) in enumerate(zip(answers, ratings, strict=True)):
        pool = GOOD_COMMENTS if rating is None or rating >= 4 else CRITICAL_COMMENTS
        comment = _maybe(rng, 0.4 if rating is None or rating >= 4 else 0.8, pool)
        rows.append((f"P-{i + 1:04d}", eid, answered, rating, comment))
    return rows


def _survey(rng: random.Random, collaborations: int) -> list[Row]:
    """The agency survey rows: two rounds, one row per respondent, four 1-5 metrics."""
    rows: list[Row] = []
    for (round_, first_day), floor in zip(SURVEY_ROUNDS, (10, 14), strict=True):
        n = max(floor, round(0.1 * collaborations))
        days = sorted(_weekday(first_day + timedelta(days=rng.randint(0, 31))) for _ in range(n))
        metrics: list[list[int | None]] = []
        for weights in SURVEY_WEIGHTS[round_]:
            blanks = set(rng.sample(range(n), max(1, n // 12))) if rng.random() < 0.7 else set()
            values = iter(_quota(rng, n - len(blanks), weights))
            metrics.append([None if i in blanks else next(values) for i in range(n)])
        for i, day in enumerate(days):
            rows.append((f"AT-{round_}-{i + 1:03d}", round_, day, *(m[i] for m in metrics)))
    return rows


def _period_end(period: str) -> date:
    year, half = int(period[:4]), period[-1]
    return date(year, 6, 30) if half == "1" else date(year, 12, 31)


def _principles(rng: random.Random, key_projects: Sequence[KeyProject]) -> dict[str, list[Row]]:
    """Half-yearly principle matrices; each cell tends to improve from one half-year to the next."""
    levels = {
        k.name: [rng.choices(range(5), (15, 15, 20, 30, 20))[0] for _ in principles()]
        for k in key_projects
    }
    out: dict[str, list[Row]] = {}
    for period in PERIODS:
        rows: list[Row] = []
        for k in key_projects:
            if k.since > _period_end(period) - timedelta(days=90):
                continue  # not assessed before its first full quarter
            rows.append((k.name, *(ASSESSMENTS[v] for v in levels[k.name])))
            levels[k.name] = [_improve(rng, v) for v in levels[k.name]]
        out[period] = rows
    return out


def _improve(rng: random.Random, level: int) -> int:
    if level < 2:
        return rng.choice((2, 3, 4)) if rng.random() < 0.6 else level
    roll = rng.random()
    return min(4, level + 1) if roll < 0.4 else max(2, level - 1) if roll > 0.95 else level


# --- Presentation: how people actually type it -------------------------------------------------


def _spaced(rng: random.Random, text: str) -> str:
    """Add a stray leading or trailing space now and then."""
    roll = rng.random()
    return f" {text}" if roll < 0.02 else f"{text}  " if roll < 0.05 else text


def _date_cell(rng: random.Random, day: date) -> Cell:
    roll = rng.random()
    if roll < 0.25:
        return f"{day.day}.{day.month}.{day.year}"
    return day.isoformat() if roll < 0.28 else day


def _branch_cell(rng: random.Random, branch: Branch) -> str:
    written = rng.choices(
        (
            branch.code,
            branch.name_fi,
            branch.code.lower(),
            branch.name_sv,
            branch.name_en,
            (branch.other_names or (branch.name_fi,))[0],
        ),
        (65, 12, 6, 4, 4, 9 if branch.other_names else 0),
    )[0]
    return _spaced(rng, written)


def _choice_cell(rng: random.Random, value: str) -> str:
    if rng.random() < 0.06:
        return value.capitalize() if value.islower() else value.lower()
    return value


def _bool_cell(rng: random.Random, column: str, value: bool | None) -> str | None:
    if column == "cross_administrative":  # ticked with an x, otherwise left blank
        return ("X" if rng.random() < 0.1 else "x") if value else None
    return None if value is None else "kyllä" if value else "ei"


def _cell(
    rng: random.Random, column: Column, value: object, branch_by_code: dict[str, Branch]
) -> Cell:
    """Render one canonical value the way a team member would have typed it."""
    if value is None or value == ():
        return None
    if column.name == "branch":
        return _branch_cell(rng, branch_by_code[str(value)])
    if column.kind is Kind.DATE:
        return _date_cell(rng, value)  # type: ignore[arg-type]
    if column.kind is Kind.BOOL:
        return _bool_cell(rng, column.name, value)  # type: ignore[arg-type]
    if column.kind is Kind.LIST:
        return rng.choice(("; ", ", ", ";")).join(value)  # type: ignore[arg-type]
    if column.kind is Kind.CHOICE:
        return _choice_cell(rng, str(value))
    return _spaced(rng, str(value)) if column.name in SPACED else str(value)


def _register_rows(rng: random.Random, engagements: Sequence[Engagement]) -> list[Row | None]:
    """Turn engagements into sheet rows (None = a fully blank row), messiness included."""
    branch_by_code = {b.code: b for b in branches()}
    blanks = set(range(len(engagements) // 3, len(engagements) - 1, max(len(engagements) // 3, 40)))
    rows: list[Row | None] = []
    for i, e in enumerate(engagements):
        if i in blanks:
            rows.append(None)
        cells = [_cell(rng, c, getattr(e, c.name), branch_by_code) for c in REGISTER_COLUMNS]
        rows.append((*cells, e.notes))
    return rows


# --- Writing -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Formats:
    """The workbook's few cell formats."""

    title: Format
    header: Format
    date: Format


def _write_row(sheet: Worksheet, row: int, cells: Row, fmt: _Formats) -> None:
    for col, value in enumerate(cells):
        if value is None or value == "":
            continue
        if isinstance(value, str):
            sheet.write_string(row, col, value)
        elif isinstance(value, date):
            sheet.write_datetime(row, col, value, fmt.date)  # type: ignore[arg-type]
        else:
            sheet.write_number(row, col, value)


def _write_sheet(
    book: Workbook,
    name: str,
    titles: Sequence[str],
    header: Sequence[str],
    rows: Sequence[Row | None],
    fmt: _Formats,
    width: int = 18,
) -> None:
    """Write title rows, a header row and data rows (None = blank row) to a new sheet."""
    sheet = book.add_worksheet(name)
    sheet.set_column(0, len(header) - 1, width)
    for r, title in enumerate(titles):
        sheet.write_string(r, 0, title, fmt.title if r == 0 else None)
    top = len(titles)
    sheet.set_row(top, 30)
    for c, text in enumerate(header):
        sheet.write_string(top, c, text, fmt.header)
    sheet.freeze_panes(top + 1, 1)
    for r, cells in enumerate(rows, start=top + 1):
        if cells is not None:
            _write_row(sheet, r, cells, fmt)


def _headers(columns: Sequence[Column]) -> list[str]:
    # Real sheets are not tidy: one header carries a stray trailing space.
    return [f"{c.header_fi} " if c.name == "start_date" else c.header_fi for c in columns]


def generate(
    path: Path, *, engagements: int = DEFAULT_ENGAGEMENTS, seed: int = DEFAULT_SEED
) -> None:
    """Write the sample workbook to `path`: the same arguments always give the same bytes."""
    rng = random.Random(seed)
    mess = random.Random(f"{seed}-messiness")  # presentation noise must not shift the content
    keys = _key_projects(engagements)
    register = _engagements(rng, engagements, keys)
    feedback = _feedback(rng, register)
    survey = _survey(rng, sum(e.service_concept == "Yhteistyö" for e in register))
    matrices = _principles(rng, keys)
    options = {"constant_memory": engagements > CONSTANT_MEMORY_FROM}
    book = xlsxwriter.Workbook(str(path), options)
    book.set_properties(
        {"title": "D9-seuranta (esimerkkiaineisto)", "author": "D9-tiimi", "created": CREATED}
    )
    fmt = _Formats(
        book.add_format({"bold": True, "font_size": 14}),
        book.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DDEBF7"}),
        book.add_format({"num_format": "d.m.yyyy"}),
    )
    updated = f"Päivitetty {SNAPSHOT.day}.{SNAPSHOT.month}.{SNAPSHOT.year}"
    _write_sheet(
        book,
        ENGAGEMENTS.sheet,
        ("D9-toimeksiantorekisteri", updated),
        [*_headers(REGISTER_COLUMNS), NOTES_HEADER],
        _register_rows(mess, register),
        fmt,
    )
    _write_sheet(book, FEEDBACK.sheet, (), _headers(FEEDBACK.columns), feedback, fmt)
    survey_set = agency_survey(DEFAULT_SURVEY_METRICS)
    _write_sheet(
        book,
        survey_set.sheet,
        ("Asiakastyytyväisyyskysely, Yhteistyö-asiakkaat",),
        _headers(survey_set.columns),
        survey,
        fmt,
    )
    principle_header = [
        PRINCIPLES.column("key_project").header_fi,
        *(f"{p.number} {p.name_fi}" for p in principles()),
    ]
    for period, rows in matrices.items():
        _write_sheet(
            book,
            f"Digiperiaatteet {period}",
            (f"Digiperiaatteiden toteutuminen kärkihankkeissa {period}",),
            principle_header,
            rows,
            fmt,
            width=22,
        )
    book.close()


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and write the workbook."""
    parser = argparse.ArgumentParser(description="Write the D9 sample workbook.")
    parser.add_argument("--engagements", type=int, default=DEFAULT_ENGAGEMENTS)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    if args.engagements < 1:
        parser.error("--engagements must be at least 1")
    generate(args.out, engagements=args.engagements, seed=args.seed)
    print(f"Wrote {args.out} ({args.engagements} engagements, seed {args.seed})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
