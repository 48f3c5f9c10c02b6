"""Rules the action plan does not state: each a setting (`[assumptions]` and the keys listed in
`ASSUMPTION_KEYS`), listed with its value under "Oletukset / Assumptions" on the appendix's first
sheet and in README (DESIGN.md "Assumptions are labelled")."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Assumptions(BaseModel):
    """Rules the action plan does not state: each listed as an assumption in the appendix."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # A count's yellow: "linear" = at least target x elapsed share of programme time; "none" =
    # no yellow, red until the target is reached.
    trajectory: Literal["linear", "none"] = "linear"
    # Strategic influence: engagements where any of these columns says so (blank = no).
    strategic_influence_from: tuple[Literal["strategic_choices", "influence_level"], ...] = Field(
        ("strategic_choices", "influence_level"), min_length=1
    )
    principles_target: float = Field(1.0, gt=0, le=1)  # share of cells to assess (green)
    deregulation_receiver: str = "VM"  # branch code of who receives the deregulation list
    kokeilu_max_days: int = Field(7, ge=1)  # a longer Kokeilu is a warning (plan: about 1-5 days)


# The settings that are assumptions, not the plan's own rules (DESIGN.md "Assumptions are
# labelled"): listed with their values on the appendix's first sheet and in README.
ASSUMPTION_KEYS = (
    "targets.share_yellow",
    "targets.principles_yellow",
    "targets.quick_satisfaction.yellow",
    "agency_survey.default.green",
    "agency_survey.default.yellow",
    "sources.agency_survey.metrics",
    "assumptions.trajectory",
    "assumptions.strategic_influence_from",
    "assumptions.principles_target",
    "assumptions.deregulation_receiver",
    "assumptions.kokeilu_max_days",
)


def dotted(settings: object, key: str) -> object:
    """The value in force of a dotted settings key, e.g. "targets.share_yellow"."""
    value = settings
    for part in key.split("."):
        value = getattr(value, part)
    return value
