"""The run forms of every deployment, as Prefect draws them from the parameter schema: flat
(no null type switches, no nested objects), no internals on the scheduled deployments (no
configuration path, no `from_history`), every field titled and described in Finnish, dates as
ISO text with an example, defaults shown."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from prefect.utilities.callables import parameter_schema

from flows.approval_cancelled import approval_cancelled_flow, run_id_of
from flows.approval_deadline import approval_deadline_flow
from flows.form import chosen
from flows.manual import manual_report_flow
from flows.nightly_check import scheduled_nightly_check_flow
from flows.report import half_yearly_report_flow
from flows.similar import similar_flow
from schemas.errors import ConfigError


def _props(fn: Callable[..., Any]) -> dict[str, dict[str, Any]]:
    return dict(parameter_schema(fn).model_dump()["properties"])


FORMS = [
    half_yearly_report_flow,
    manual_report_flow,
    scheduled_nightly_check_flow,
    similar_flow,
    approval_deadline_flow,
    approval_cancelled_flow,
]


@pytest.mark.parametrize("fn", FORMS, ids=lambda f: f.name + "/" + f.fn.__name__)
def test_every_field_is_flat_and_titled_in_finnish(fn: Callable[..., Any]) -> None:
    for name, prop in _props(fn).items():
        assert "anyOf" not in prop and prop["type"] in {"string", "boolean", "array", "integer"}
        assert prop["title"] != name and prop["title"][0].isupper(), (name, prop)
        assert prop["description"] and prop["description"][0].isupper(), (name, prop)
        assert "format" not in prop  # no date picker with the US order


def test_the_half_yearly_form_has_no_internals_and_shows_its_defaults() -> None:
    props = _props(half_yearly_report_flow)
    assert list(props) == [
        "period", "as_of", "language", "to", "dry_run", "force", "require_approval"
    ]  # fmt: skip
    assert [props[k]["title"] for k in props] == [
        "Puolivuosi", "Tilannepäivä", "Kieli", "Vastaanottajat", "Vain esikatselu",
        "Lähetä uudelleen", "Hyväksyntä ennen lähetystä",
    ]  # fmt: skip
    defaults = {k: p["default"] for k, p in props.items()}
    assert defaults == {
        "period": "", "as_of": "", "language": "", "to": [], "dry_run": False,
        "force": False, "require_approval": True,
    }  # fmt: skip
    assert props["language"]["enum"] == ["", "fi", "en"]
    assert props["as_of"]["examples"] == ["2018-03-31"] and props["period"]["examples"] == [
        "2018H1"
    ]
    assert "VVVV-KK-PP" in props["as_of"]["description"]


def test_the_nightly_form_has_only_the_nudge_switch() -> None:
    props = _props(scheduled_nightly_check_flow)
    assert list(props) == ["notify"] and props["notify"]["default"] is True
    assert props["notify"]["title"] == "Lähetä muistutukset"


@pytest.mark.parametrize(
    ("period", "as_of", "expected"),
    [("2018 h1", "", ("2018h1", None)), (" ", " 2018-03-31 ", (None, "2018-03-31"))],
)
def test_the_form_texts_become_a_period_or_a_date(
    period: str, as_of: str, expected: tuple[str | None, str | None]
) -> None:
    got_period, got_date = chosen(period, as_of)
    assert (got_period, got_date and got_date.isoformat()) == expected


def test_a_date_that_is_not_a_date_is_one_line() -> None:
    with pytest.raises(
        ConfigError, match=r"as-of must be a date like 2018-06-30 \(got '2018-02-30'\)"
    ):
        chosen("", "2018-02-30")


def test_the_cancel_event_names_the_run_by_its_resource_id() -> None:
    run = "0b6f3c56-6a0e-4d5a-9a8e-111111111111"
    assert run_id_of(f"prefect.flow-run.{run}") == run == run_id_of(run)
