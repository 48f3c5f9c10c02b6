"""A hand-built `Indicators` for render, chart and appendix tests (no loading, no computing).

The numbers are chosen so the expected texts can be written by hand in the tests:
as of 30.6.2018 (period 2018H1), 38 of 50 engagements completed, quick feedback mean 3.96
from 25 answers, branches PLM and YM still missing, 22 of 27 principle cells assessed.
In 2018H1: 10 engagements completed (D9-029..D9-038), 13 started (those ten, each started
the month it ended, and D9-043..D9-045); OKM and SM reached for the first time.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import polars as pl

from schemas.findings import Finding, Severity
from schemas.results import (
    ContextFigure,
    Coverage,
    IndicatorResult,
    Indicators,
    PrinciplesMatrix,
    Sample,
    Status,
    SurveyColours,
    Trajectory,
)

AS_OF = date(2018, 6, 30)
GENERATED_AT = datetime(2018, 7, 2, 8, 15)
PROGRAMME_START = date(2016, 9, 8)
PROGRAMME_DEADLINE = date(2018, 12, 31)
KEY_PROJECTS = ("Asiakaskeskeinen palvelu", "Tulorekisteri", "AuroraAI-esiselvitys")


def _completed_rows() -> pl.DataFrame:
    """38 completed engagements, two a month from 2016-11 on (end dates spread over time)."""
    months = [10 + i // 2 for i in range(38)]  # months since January 2016
    ends = [date(2016 + m // 12, m % 12 + 1, 10 + 10 * (i % 2)) for i, m in enumerate(months)]
    return pl.DataFrame(
        {
            "engagement_id": [f"D9-{i + 1:03d}" for i in range(38)],
            "title": [f"Toimeksianto {i + 1}" for i in range(38)],
            "branch": ["VM", "STM", "TEM", "OM"] * 9 + ["VM", "SM"],
            "status": ["toteutettu"] * 38,
            "start_date": [d.replace(day=1) for d in ends],  # started the month it ended
            "end_date": ends,
            "_row": list(range(2, 40)),
            "_sheet": ["Toimeksiannot"] * 38,
        }
    )


CHANGES = (
    "Lomakkeet yhdistettiin yhdeksi sähköiseksi palveluksi",
    "Hankinta jaettiin vaiheisiin ja ensimmäinen vaihe kilpailutettiin",
    "Asiakkaat otettiin mukaan palvelun suunnitteluun",
)


def _effects_rows() -> pl.DataFrame:
    """The completed engagements with their change in operations: all but D9-037 described."""
    done = _completed_rows()
    change = [None if i == 36 else CHANGES[i % 3] for i in range(done.height)]
    return done.with_columns(pl.Series("change_in_operations", change, pl.String))


def _reached_rows() -> pl.DataFrame:
    """The completed engagements and seven ongoing ones (three started in 2018H1): 10 branches."""
    ongoing = [
        ("VNK", date(2017, 5, 1)),
        ("UM", date(2017, 9, 1)),
        ("MMM", date(2017, 10, 1)),
        ("LVM", date(2017, 11, 15)),
        ("OKM", date(2018, 3, 1)),
        ("VM", date(2018, 4, 15)),
        ("STM", date(2018, 5, 2)),
    ]
    extra = pl.DataFrame(
        {
            "engagement_id": [f"D9-{i:03d}" for i in range(39, 46)],
            "title": [f"Toimeksianto {i}" for i in range(39, 46)],
            "branch": [b for b, _ in ongoing],
            "status": ["käynnissä"] * 7,
            "start_date": [d for _, d in ongoing],
            "end_date": pl.Series([None] * 7, dtype=pl.Date),
            "_row": list(range(40, 47)),
            "_sheet": ["Toimeksiannot"] * 7,
        }
    )
    return pl.concat([_completed_rows(), extra])


def principle_matrix() -> dict[str, dict[str, str | None]]:
    """Three key projects x principles 1-9: 22 of 27 cells assessed."""
    a, b, c = KEY_PROJECTS
    return {
        a: {
            "1": "toteutuu",
            "2": "toteutuu",
            "3": "osittain",
            "4": "toteutuu",
            "5": "ei toteudu",
            "6": "osittain",
            "7": "toteutuu",
            "8": "osittain",
            "9": "toteutuu",
        },
        b: {
            "1": "toteutuu",
            "2": "osittain",
            "3": "toteutuu",
            "4": "ei toteudu",
            "5": "osittain",
            "6": "toteutuu",
            "7": "toteutuu",
            "8": None,
            "9": "ei arvioitavissa",
        },
        c: {
            "1": "osittain",
            "2": None,
            "3": "ei toteudu",
            "4": "osittain",
            "5": None,
            "6": "toteutuu",
            "7": "osittain",
            "8": "ei arvioitavissa",
            "9": "toteutuu",
        },
    }


def principle_change() -> dict[str, dict[str, str | None]]:
    """Change of each cell since 2017H2 (None where there is nothing to compare)."""
    a, b, c = KEY_PROJECTS
    same = dict.fromkeys("123456789", "same")
    return {
        a: {**same, "3": "better", "5": "worse"},
        b: {**same, "2": "better", "8": None, "9": None},
        c: {**dict.fromkeys("123456789", "new"), "2": None, "5": None, "8": None},
    }


def _results() -> dict[str, IndicatorResult]:
    completed = _completed_rows()
    return {
        "engagements_completed": IndicatorResult(
            "engagements_completed",
            38,
            Status.YELLOW,
            target=50,
            detail=Trajectory(
                elapsed_share=0.8,
                current_per_month=1.76,
                required_per_month=2.0,
                projected_date=date(2019, 5, 31),
            ),
            rows=completed,
        ),
        "effects_described_share": IndicatorResult(
            "effects_described_share",
            37 / 38,
            Status.YELLOW,
            target=1.0,
            numerator=37,
            denominator=38,
            rows=_effects_rows(),
        ),
        "branches_covered": IndicatorResult(
            "branches_covered",
            10,
            Status.YELLOW,
            target=12,
            detail=Coverage(("PLM", "YM")),
            rows=_reached_rows(),
        ),
        "life_path_ecosystem_share": IndicatorResult(
            "life_path_ecosystem_share", 0.8, Status.RED, target=1.0, numerator=40, denominator=50
        ),
        "quick_satisfaction_mean": IndicatorResult(
            "quick_satisfaction_mean", 3.96, Status.YELLOW, target=4.0, detail=Sample(25)
        ),
        "agency_survey_green_share": IndicatorResult(
            "agency_survey_green_share",
            0.5,
            Status.YELLOW,
            target=1.0,
            detail=SurveyColours(
                round="2017",
                colours={
                    "Kokonaistyytyväisyys": Status.GREEN,
                    "Asiantuntemus": Status.GREEN,
                    "Yhteistyön sujuvuus": Status.YELLOW,
                    "Hyödyllisyys": Status.YELLOW,
                },
                means={
                    "Kokonaistyytyväisyys": 4.2,
                    "Asiantuntemus": 4.5,
                    "Yhteistyön sujuvuus": 3.8,
                    "Hyödyllisyys": 3.6,
                },
            ),
        ),
        "principles_assessed_share": IndicatorResult(
            "principles_assessed_share",
            22 / 27,
            Status.YELLOW,
            target=1.0,
            numerator=22,
            denominator=27,
            detail=PrinciplesMatrix("2018H1", principle_matrix(), principle_change()),
        ),
    }


def _context() -> dict[str, ContextFigure]:
    obstacles = pl.DataFrame(
        {
            "engagement_id": ["D9-007", "D9-031"],
            "title": ["Toimeksianto 7", "Toimeksianto 31"],
            "regulatory_obstacles": [
                "Henkilötietojen luovutus vaatii erillisen lain",
                "Paperinen allekirjoitus vaaditaan asetuksessa",
            ],
            "found_on": [date(2017, 3, 1), date(2018, 4, 3)],
            "found_on_assumed": [True, False],  # D9-007: its start date
            "new": [False, True],
            "regulatory_passed_on": ["VM 5/2017", None],
            "passed_on": [True, False],
            "_row": [8, 32],
            "_sheet": ["Toimeksiannot", "Toimeksiannot"],
        }
    )
    return {
        "by_service_concept": ContextFigure(
            "by_service_concept", counts={"Herätys": 20, "Kokeilu": 14, "Yhteistyö": 6}
        ),
        "by_priority": ContextFigure(
            "by_priority", counts={"kärkihanke": 9, "terveys": 7, "muu": 24}
        ),
        "strategic_influence_share": ContextFigure(
            "strategic_influence_share",
            value=0.45,
            numerator=18,
            denominator=40,
            previous=ContextFigure(
                "strategic_influence_share", value=0.4, numerator=12, denominator=30
            ),
            previous_period="2017H2",
        ),
        "repeat_customers": ContextFigure(
            "repeat_customers",
            counts={"Kela": 3, "Verohallinto": 2},
            numerator=2,
            denominator=25,
            previous=ContextFigure(
                "repeat_customers", counts={"Kela": 2}, numerator=1, denominator=19
            ),
            previous_period="2017H2",
        ),
        "deregulation_opportunities": ContextFigure(
            "deregulation_opportunities", counts={"VM": 1, "STM": 1}, rows=obstacles
        ),
    }


def example_indicators() -> Indicators:
    """Return the hand-built indicators of 30.6.2018 (period 2018H1)."""
    return Indicators(AS_OF, "2018H1", _results(), _context(), fingerprint="example")


def example_previous() -> Indicators:
    """Return the last report before it (31.12.2017), as stored: 29 completed, OKM and SM not
    reached yet, the principles goal behind (red), the life-path goal close (yellow)."""
    now = example_indicators()
    r = now.results
    results = {
        **r,
        "engagements_completed": replace(r["engagements_completed"], value=29),
        "branches_covered": replace(
            r["branches_covered"], value=8, detail=Coverage(("OKM", "SM", "PLM", "YM"))
        ),
        "life_path_ecosystem_share": replace(
            r["life_path_ecosystem_share"], value=0.9, status=Status.YELLOW
        ),
        "principles_assessed_share": replace(
            r["principles_assessed_share"], value=0.7, status=Status.RED
        ),
    }
    return replace(now, as_of=date(2017, 12, 31), period="2017H2", results=results)


# The team lead's review as written in Markdown (the lead's words: not translated).
EXAMPLE_REVIEW = """Tavoitteet etenevät, mutta **hallinnonalojen kattavuus** on jäljessä.

Seurantaryhmältä pyydetään:
- yhteyshenkilöt puuttuville hallinnonaloille
- päätös syksyn kyselykierroksesta
"""


def example_trends() -> dict[str, list[tuple[date, float | int | None, Status]]]:
    """Return the values of the two earlier reports (30.6.2017, 31.12.2017)."""
    h1, h2 = date(2017, 6, 30), date(2017, 12, 31)
    return {
        "engagements_completed": [(h1, 21, Status.YELLOW), (h2, 29, Status.YELLOW)],
        "branches_covered": [(h1, 9, Status.YELLOW), (h2, 10, Status.YELLOW)],
        "quick_satisfaction_mean": [(h1, 4.1875, Status.GREEN), (h2, 4.05, Status.GREEN)],
        "principles_assessed_share": [(h2, 0.7, Status.RED)],
    }


def _finding(dataset: str, row: int, column: str, rule: str, owner: str) -> Finding:
    return Finding(
        dataset,
        "seuranta.xlsx",
        "Toimeksiannot",
        row,
        column,
        "",
        rule,
        Severity.WARNING,
        "Tieto puuttuu.",
        engagement_id=f"D9-{row:03d}",
        owner=owner,
    )


def example_findings() -> list[Finding]:
    """Return five warnings: three for anna@, two without an owner."""
    return [
        _finding("engagements", 5, "Elämänpolku", "expected", "anna@example.org"),
        _finding("engagements", 9, "Elämänpolku", "expected", "anna@example.org"),
        _finding("engagements", 12, "Avun hyödyt", "expected", "anna@example.org"),
        _finding("feedback", 3, "Tunnus", "reference", ""),
        _finding("feedback", 7, "Tunnus", "reference", ""),
    ]
