"""Validate: takes `Inputs` (schemas.tables), gives a `ValidationReport` of row-level `Finding`s.

`rules` derives the rules from the contracts in `schemas/`, `views` prepares the frames they
read, `gx` runs them with Great Expectations (and writes Data Docs through `docs`), `findings`
words each failure in the user's terms, `cache` reuses a result for unchanged data, and
`quality` groups, stores and prints findings for the nightly check and `d9 check`.
"""

from tasks.validate.cache import validate_cached
from tasks.validate.check import validate

__all__ = ["validate", "validate_cached"]
