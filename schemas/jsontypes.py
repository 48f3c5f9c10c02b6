"""The shape of JSON as the `to_json()` methods give it (what `json.dumps` writes)."""

from __future__ import annotations

JsonValue = str | int | float | bool | None | list["JsonValue"] | dict[str, "JsonValue"]
Json = dict[str, JsonValue]  # one JSON object
