"""What the live situation picture (`d9 site`) is made of, and the owner anchors it shares with
the nudge mails.

`SiteContext` is everything one site shows: the report view of its as-of date (the same figures
as `d9 indicators` and the report), the indicators with the rows behind each figure, the
half-years as reported (from history), the register as loaded and the open findings.
`owner_anchor` names each data owner's block (`index.html#owner-<slug>`), so a nudge mail links
straight to it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:  # the settings import this module: keep it light (no Polars)
    import polars as pl

    from schemas.findings import Finding
    from schemas.results import Indicators
    from schemas.view import ReportView

PAGE = "index.html"
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


class SiteSettings(BaseModel):
    """`[site]`: the live situation picture the nightly check rewrites; no dir: none."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    dir: str = ""  # relative to the config file; a folder readers open, replaced whole each night
    base_url: str = ""  # where readers open that folder (https://… or file://…), for mail links
    language: Literal["fi", "en", ""] = ""  # "" = the report's language


@dataclass(frozen=True)
class SiteContext:
    """Everything one site shows, for one as-of date and language (the view's)."""

    view: ReportView
    indicators: Indicators  # with the rows behind each figure
    reported: tuple[Indicators, ...]  # each half-year as its report recorded it, oldest first
    register: pl.DataFrame = field(repr=False)  # the engagement register as loaded
    findings: tuple[Finding, ...] = ()  # every open finding of the same inputs
    fallback_owner: str = ""  # who keeps rows without an owner (the team lead), as in the nudges
    findings_language: str = "fi"  # the language the findings' sentences were written in


def owner_slug(owner: str) -> str:
    """A data owner's anchor text: 'Maija.Meikäläinen@vk.fi' -> 'maija-meikalainen-vk-fi'."""
    plain = unicodedata.normalize("NFKD", owner).encode("ascii", "ignore").decode("ascii")
    return _NOT_SLUG.sub("-", plain.lower()).strip("-") or "unknown"


def owner_anchor(owner: str) -> str:
    """The id of a data owner's block on the page: 'owner-<slug>'."""
    return f"owner-{owner_slug(owner)}"


def owner_link(base_url: str, owner: str) -> str:
    """The address of a data owner's block on the published site; "" when it is not known."""
    if not base_url.strip():
        return ""
    return f"{base_url.strip().rstrip('/')}/{PAGE}#{owner_anchor(owner)}"
