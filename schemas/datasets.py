"""The four datasets of DESIGN.md, declared once.

Header aliases cover the Finnish headers the team uses, their Swedish and English
equivalents and the older wordings seen in the sheets. Matching ignores case and spacing.
"""

from __future__ import annotations

from schemas.contract import Column, Condition, Dataset, Kind, Need
from schemas.reference import branch_aliases, branches, principle_aliases, vocabulary


def _choice(name: str, header_fi: str, field: str, **kwargs: object) -> Column:
    values, aliases, _ = vocabulary(field)
    kind = kwargs.pop("kind", Kind.CHOICE)
    return Column(name, header_fi, kind, choices=values, value_aliases=aliases, **kwargs)  # type: ignore[arg-type]


_COMPLETED = Condition("status", ("toteutettu",))

ENGAGEMENTS = Dataset(
    name="engagements",
    sheet="Toimeksiannot",
    id_column="engagement_id",
    columns=(
        Column(
            "engagement_id",
            "Tunnus",
            need=Need.REQUIRED,
            unique=True,
            aliases=("ID", "Id-tunnus", "Beteckning", "Kod", "Engagement ID", "Code"),
        ),
        Column(
            "title",
            "Toimeksianto",
            need=Need.REQUIRED,
            aliases=("Nimi", "Uppdrag", "Engagement", "Title", "Name"),
        ),
        Column(
            "customer",
            "Asiakasorganisaatio",
            need=Need.REQUIRED,
            aliases=(
                "Asiakas",
                "Kundorganisation",
                "Kund",
                "Customer organisation",
                "Customer organization",
                "Customer",
            ),
        ),
        Column(
            "branch",
            "Hallinnonala",
            Kind.CHOICE,
            Need.REQUIRED,
            aliases=("Förvaltningsområde", "Administrative branch", "Branch"),
            choices=tuple(b.code for b in branches()),
            value_aliases=branch_aliases(),
        ),
        Column(
            "cross_administrative",
            "Poikkihallinnollinen",
            Kind.BOOL,
            default=False,
            aliases=("Förvaltningsövergripande", "Cross-administrative", "Cross administrative"),
        ),
        _choice(
            "service_concept",
            "Palvelukonsepti",
            "service_concept",
            need=Need.REQUIRED,
            aliases=("Konsepti", "Tjänstekoncept", "Service concept", "Concept"),
        ),
        _choice(
            "influence_level",
            "Vaikuttamisen taso",
            "influence_level",
            aliases=("Påverkansnivå", "Influence level", "Level of influence"),
        ),
        _choice(
            "project_stage",
            "Hankkeen vaihe",
            "project_stage",
            aliases=("Projektets skede", "Project stage", "Project phase"),
        ),
        _choice(
            "priority",
            "Painopiste",
            "priority",
            aliases=("Tyngdpunkt", "Priority", "Priority theme"),
        ),
        Column(
            "key_project",
            "Kärkihanke",
            need=Need.REQUIRED,
            when=Condition("priority", ("kärkihanke",)),
            aliases=("Spetsprojekt", "Key project"),
        ),
        _choice(
            "status",
            "Tila",
            "status",
            need=Need.REQUIRED,
            aliases=("Status", "Tilanne", "Läge", "State"),
        ),
        Column(
            "start_date",
            "Alkupäivä",
            Kind.DATE,
            Need.REQUIRED,
            aliases=("Aloituspäivä", "Alkoi", "Startdatum", "Start date", "Started"),
        ),
        Column(
            "end_date",
            "Päättymispäivä",
            Kind.DATE,
            Need.REQUIRED,
            when=_COMPLETED,
            aliases=("Loppupäivä", "Päättyi", "Slutdatum", "End date", "Ended"),
        ),
        Column(
            "life_path",
            "Elämänpolku",
            need=Need.EXPECTED,
            aliases=("Livsstig", "Life path", "Life event"),
        ),
        Column("ecosystem", "Ekosysteemi", need=Need.EXPECTED, aliases=("Ekosystem", "Ecosystem")),
        Column(
            "change_in_operations",
            "Muutos toimintaan",
            need=Need.EXPECTED,
            when=_COMPLETED,
            aliases=("Förändring i verksamheten", "Change in operations"),
        ),
        Column(
            "benefits",
            "Avun hyödyt",
            need=Need.EXPECTED,
            when=_COMPLETED,
            aliases=("Hyödyt", "Nytta av hjälpen", "Benefits", "Benefits of the help"),
        ),
        Column(
            "method",
            "Käytetty menetelmä",
            need=Need.EXPECTED,
            when=_COMPLETED,
            aliases=("Menetelmä", "Använd metod", "Method", "Method used"),
        ),
        Column(
            "strategic_choices",
            "Vaikutti strategisiin valintoihin",
            Kind.BOOL,
            aliases=("Påverkade strategiska val", "Influenced strategic choices"),
        ),
        _choice(
            "support_areas",
            "Tuen muoto",
            "support_areas",
            kind=Kind.LIST,
            aliases=("Tukimuoto", "Stödform", "Form of support", "Support areas"),
        ),
        _choice(
            "investment_advice",
            "Investointisuositus",
            "investment_advice",
            aliases=(
                "Investeringsrekommendation",
                "Investment advice",
                "Investment recommendation",
            ),
        ),
        Column(
            "regulatory_obstacles",
            "Sääntelyesteet",
            aliases=("Regleringshinder", "Regulatory obstacles", "Deregulation opportunities"),
        ),
        Column(
            "owner",
            "Vastuuhenkilö",
            Kind.EMAIL,
            Need.EXPECTED,
            aliases=("Vastuuhenkilön sähköposti", "Ansvarsperson", "Owner", "Responsible person"),
        ),
    ),
)

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
