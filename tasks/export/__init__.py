"""The evaluator's export: takes each half-year's `HalfYear` (schemas.export: the indicators
computed now and what its report sent), gives the files of `d9 export --out DIR`.

`periods` picks the half-years (programme's first to the last one ended, at most the
deadline's); `long_form` writes `indicators.csv` and `context.csv`; `workbook` writes
`evaluation.xlsx` (per half-year: figures, definitions and targets in force, the rows behind
them; and the deregulation log for the finance ministry); `readme` writes `README.txt` in Finnish.
"""

from __future__ import annotations

from tasks.export.files import write_export
from tasks.export.periods import export_periods

__all__ = ["export_periods", "write_export"]
