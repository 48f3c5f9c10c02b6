"""The four datasets of DESIGN.md, declared once (the register in `schemas.register`).

Header aliases cover the Finnish headers the team uses, their Swedish and English
equivalents and the older wordings seen in the sheets. Matching ignores case and spacing.
"""

from __future__ import annotations

from schemas.contract import Column, Dataset, Kind, Need
from schemas.reference import principle_aliases, vocabulary
from schemas.register import ENGAGEMENTS, QUICK_CONCEPTS

__all__ = [
    "AGENCY_SURVEY_FIXED",
    "ENGAGEMENTS",
    "FEEDBACK",
    "PRINCIPLES",
    "QUICK_CONCEPTS",
    "agency_survey",
]


FEEDBACK = Dataset(
    name="feedback",
    sheet="Palaute",
    id_column="response_id",
    columns=(
        Column(
            "response_id",
            "Vastaus",
            need=Need.REQUIRED,
            unique=True,
            aliases=("Vastauksen tunnus", "Svar", "Response", "Response ID", "Respondent ID"),
        ),
        Column(
            "engagement_id",
            "Tunnus",
            need=Need.REQUIRED,
            aliases=("Toimeksianto", "Beteckning", "Engagement ID", "Engagement"),
        ),
        Column(
            "answered_on",
            "Vastauspäivä",
            Kind.DATE,
            Need.REQUIRED,
            aliases=("Päivämäärä", "Svarsdatum", "Answered on", "Date", "Submitted"),
        ),
        Column(
            "value_rating",
            "Koetko D9-yhteistyön tuovan lisäarvoa ja hyötyä hankkeellesi?",
            Kind.INT,
            min_value=1,
            max_value=5,
            aliases=(
                "Lisäarvo",
                "Arvosana",
                "Upplever du att D9-samarbetet ger mervärde och nytta för ditt projekt?",
                "Mervärde",
                "Do you feel the D9 collaboration brings added value and benefit to your project?",
                "Value rating",
                "Rating",
            ),
        ),
        Column(
            "comment",
            "Avoin palaute",
            aliases=("Kommentti", "Öppen respons", "Öppen feedback", "Open feedback", "Comment"),
        ),
    ),
)

AGENCY_SURVEY_FIXED = (
    Column(
        "response_id",
        "Vastaus",
        need=Need.REQUIRED,
        unique=True,
        aliases=("Svar", "Response", "Response ID", "Respondent"),
    ),
    Column("round", "Kierros", need=Need.REQUIRED, aliases=("Omgång", "Round", "Survey round")),
    Column(
        "answered_on",
        "Vastauspäivä",
        Kind.DATE,
        Need.REQUIRED,
        aliases=("Svarsdatum", "Answered on", "Date"),
    ),
)

DEFAULT_SURVEY_METRICS = (
    "Kokonaistyytyväisyys",
    "Asiantuntemus",
    "Yhteistyön sujuvuus",
    "Hyödyllisyys",
)


def agency_survey(metrics: tuple[str, ...] = DEFAULT_SURVEY_METRICS) -> Dataset:
    """The agency survey's contract: fixed columns plus one 1-5 column per configured metric.

    A metric's canonical column name is the metric's own header text, as configured.
    """
    metric_columns = tuple(Column(m, m, Kind.FLOAT, min_value=1, max_value=5) for m in metrics)
    return Dataset(
        "agency_survey",
        "Asiakastyytyväisyys",
        AGENCY_SURVEY_FIXED + metric_columns,
        id_column="response_id",
    )


_ASSESSMENT = vocabulary("assessment")

PRINCIPLES = Dataset(
    name="principles",
    sheet="Digiperiaatteet",
    columns=(
        Column(
            "period",
            "Kausi",
            need=Need.REQUIRED,
            aliases=("Puolivuotiskausi", "Period", "Halvår", "Half-year"),
        ),
        Column(
            "key_project",
            "Kärkihanke",
            need=Need.REQUIRED,
            aliases=("Hanke", "Spetsprojekt", "Key project", "Project"),
        ),
        Column(
            "principle",
            "Periaate",
            Kind.CHOICE,
            Need.REQUIRED,
            aliases=("Princip", "Principle"),
            choices=tuple(str(n) for n in range(1, 10)),
            value_aliases=principle_aliases(),
        ),
        Column(
            "assessment",
            "Arvio",
            Kind.CHOICE,
            aliases=("Bedömning", "Assessment"),
            choices=_ASSESSMENT[0],
            value_aliases=_ASSESSMENT[1],
        ),
        Column("notes", "Huomiot", aliases=("Anmärkningar", "Notes", "Comments")),
    ),
)
