"""Bundled data, read with `importlib.resources` (see `schemas.resources`): the reference tables
`reference/*.csv`, the configuration `d9.toml` and its example, the sample workbook
`seuranta.xlsx` and the texts of its generator (`generate_sample.py`, a script)."""
