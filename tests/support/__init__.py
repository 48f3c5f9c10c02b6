"""Helpers shared by the tests: real servers, workbook builders, fixtures."""

from pathlib import Path

# The repository's root (prefect.yaml, the source tree); files the code reads come from
# schemas.resources instead, as in an installed package.
CHECKOUT = Path(__file__).resolve().parents[2]
