"""The fields of the run forms in the Prefect UI: flat, typed, titled and described in Finnish.

Prefect draws a deployment's "Custom run" form from its flow's parameter schema. Every field
here is a plain input with a default (no "str | None" type switches: empty text means "not
given"); dates are ISO text with an example (a date field gets the UI's mm/dd/yyyy picker);
titles and descriptions come from the Finnish catalogue (`form.*`), read once when the flows
are defined.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import Field, JsonValue

from schemas.catalogue import translate
from schemas.errors import ConfigError

PERIOD_PATTERN = r"^\s*(\d{4}\s*[Hh][12])?\s*$"
DATE_PATTERN = r"^\s*(\d{4}-\d{2}-\d{2})?\s*$"


def _field(key: str, **constraints: Any) -> Any:
    """A form field titled and described from the catalogue.

    In `json_schema_extra`: Prefect titles each parameter with its name and describes it from
    the docstring, and only the extra keys are applied after those.
    """
    texts: dict[str, JsonValue] = {
        "title": translate("fi", f"form.{key}_title"),
        "description": translate("fi", f"form.{key}_description"),
    }
    return Field(json_schema_extra=texts, **constraints)


Period = Annotated[str, _field("period", pattern=PERIOD_PATTERN, examples=["2018H1"])]
AsOf = Annotated[str, _field("as_of", pattern=DATE_PATTERN, examples=["2018-03-31"])]
Language = Annotated[Literal["", "fi", "en"], _field("language")]
ManualLanguage = Annotated[Literal["fi", "en"], _field("language_manual")]
Recipients = Annotated[list[str], _field("to", examples=[["seurantaryhma@example.org"]])]
DryRun = Annotated[bool, _field("dry_run")]
Force = Annotated[bool, _field("force")]
RequireApproval = Annotated[bool, _field("approval")]
Notify = Annotated[bool, _field("notify")]
Text = Annotated[str, _field("text")]
Top = Annotated[int, _field("top", ge=1, le=50)]
ConfigPath = Annotated[str, _field("config")]
FlowRunRef = Annotated[str, _field("flow_run")]
DefaultSend = Annotated[bool, _field("send")]


def chosen(period: str, as_of: str) -> tuple[str | None, date | None]:
    """The form's texts as the report's period and as-of date (empty = not given)."""
    period, as_of = "".join(period.split()), as_of.strip()
    try:
        return (period or None), (date.fromisoformat(as_of) if as_of else None)
    except ValueError:
        raise ConfigError(f"as-of must be a date like 2018-06-30 (got {as_of!r})") from None
