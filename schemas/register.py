"""The engagement register's contract (sheet `Toimeksiannot`), declared once.

Header aliases cover the Finnish headers the team uses, their Swedish and English
equivalents and the older wordings seen in the sheets. Matching ignores case and spacing.
"""

from __future__ import annotations

from schemas.contract import Column, Condition, Dataset, Kind, Need
from schemas.reference import branch_aliases, branches, vocabulary


def choice_column(name: str, header_fi: str, field: str, **kwargs: object) -> Column:
    values, aliases, _ = vocabulary(field)
    kind = kwargs.pop("kind", Kind.CHOICE)
    return Column(name, header_fi, kind, choices=values, value_aliases=aliases, **kwargs)  # type: ignore[arg-type]


# The service concepts quick-engagement feedback is collected for.
QUICK_CONCEPTS = ("Herätys", "Kokeilu")

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
        choice_column(
            "service_concept",
            "Palvelukonsepti",
            "service_concept",
            need=Need.REQUIRED,
            aliases=("Konsepti", "Tjänstekoncept", "Service concept", "Concept"),
        ),
        choice_column(
            "influence_level",
            "Vaikuttamisen taso",
            "influence_level",
            aliases=("Påverkansnivå", "Influence level", "Level of influence"),
        ),
        choice_column(
            "project_stage",
            "Hankkeen vaihe",
            "project_stage",
            aliases=("Projektets skede", "Project stage", "Project phase"),
        ),
        choice_column(
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
        choice_column(
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
        choice_column(
            "support_areas",
            "Tuen muoto",
            "support_areas",
            kind=Kind.LIST,
            aliases=("Tukimuoto", "Stödform", "Form of support", "Support areas"),
        ),
        choice_column(
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
            "regulatory_found_on",
            "Sääntelyeste havaittu",
            Kind.DATE,
            aliases=(
                "Sääntelyesteen havaintopäivä",
                "Regleringshinder upptäckt",
                "Regleringshindret upptäckt",
                "Regulatory obstacle found",
                "Obstacle found on",
            ),
        ),
        Column(
            "regulatory_passed_on",
            "Välitetty",
            aliases=(
                "Sääntelyeste välitetty",
                "Vidarebefordrat",
                "Förmedlat",
                "Passed on",
                "Forwarded to",
            ),
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

# The columns that name an engagement row wherever rows are shown (a figure's rows, the site).
ENGAGEMENT_COLUMNS = (
    "engagement_id",
    "title",
    "customer",
    "branch",
    "service_concept",
    "status",
    "start_date",
    "end_date",
)
