"""Facts stated by DESIGN.md, written out by hand once for the tests that check them."""

# The indicator ids of DESIGN.md "Indicators", in its order (the JSON keys other tools read).
INDICATOR_IDS = [
    "engagements_completed",
    "effects_described_share",
    "branches_covered",
    "life_path_ecosystem_share",
    "quick_satisfaction_mean",
    "agency_survey_green_share",
    "principles_assessed_share",
]

# The Finnish headers of the engagement register's required columns (DESIGN.md data contract 1).
REQUIRED_REGISTER_HEADERS = [
    "Tunnus",
    "Toimeksianto",
    "Asiakasorganisaatio",
    "Hallinnonala",
    "Palvelukonsepti",
    "Kärkihanke",
    "Tila",
    "Alkupäivä",
    "Päättymispäivä",
]
