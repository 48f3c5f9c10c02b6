"""Data contracts: one declaration per dataset, from which loading and validation are derived."""

from schemas.contract import Column, Dataset, Kind
from schemas.datasets import AGENCY_SURVEY_FIXED, ENGAGEMENTS, FEEDBACK, PRINCIPLES, agency_survey

__all__ = [
    "AGENCY_SURVEY_FIXED",
    "ENGAGEMENTS",
    "FEEDBACK",
    "PRINCIPLES",
    "Column",
    "Dataset",
    "Kind",
    "agency_survey",
]
