"""Validate: takes `Inputs` (schemas.tables), gives a `ValidationReport` of row-level `Finding`s.

`rules` derives the rules from the contracts in `schemas/`, `views` prepares the frames they
read, `gx` runs them with Great Expectations (and writes Data Docs through `docs`),
`polars_rules` runs the same rules in plain Polars, `findings` words each failure in the user's
terms, `cache` reuses a result for unchanged data, `stored` keeps findings and results in the
state store, and `quality` groups and prints findings for the nightly check and `d9 check`.
"""

from tasks.validate.cache import ResultNotStored, validate_cached
from tasks.validate.check import validate
from tasks.validate.stored import previous_findings, remember_findings

__all__ = [
    "ResultNotStored",
    "previous_findings",
    "remember_findings",
    "validate",
    "validate_cached",
]
