"""Jinja2 templates of the report and notices (`partials/` shared fragments) and the message
catalogues `messages/<language>.toml`, read with `importlib.resources` (see `schemas.resources`)."""
