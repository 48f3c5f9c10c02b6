"""Half-year periods: `2018H1` ends 2018-06-30, `2018H2` ends 2018-12-31; bad text is a ConfigError.

The elapsed share of the programme is (as_of - start) / (deadline - start), clipped to [0, 1].
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from schemas.errors import ConfigError
from schemas.periods import (
    default_period,
    default_period_notice,
    elapsed_share,
    last_completed_period,
    months_between,
    parse_period,
    period_containing,
    period_key,
    period_of,
    period_start,
    previous_period,
    resolve_as_of,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2018H1", date(2018, 6, 30)),
        ("2018H2", date(2018, 12, 31)),
        (" 2017h2 ", date(2017, 12, 31)),
    ],
    ids=["first-half", "second-half", "lower-case-and-spaces"],
)
def test_parse_period_gives_the_last_day(text: str, expected: date) -> None:
    assert parse_period(text) == expected


@pytest.mark.parametrize("text", ["2018H3", "2018", "H1", "18H1", "2018-H1", "", "2018H1x"])
def test_bad_period_text_is_one_line_config_error(text: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_period(text)
    message = str(caught.value)
    assert "\n" not in message
    assert "2018H1" in message and repr(text) in message
    assert caught.value.exit_code == 2


def test_normalise_and_start() -> None:
    assert period_of(parse_period(" 2018h2")) == "2018H2"  # read in any case and spacing
    assert period_start("2018H1") == date(2018, 1, 1)
    assert period_start("2018H2") == date(2018, 7, 1)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2018, 6, 30), "2018H1"),
        (date(2018, 12, 31), "2018H2"),
        (date(2018, 6, 29), None),
        (date(2018, 7, 1), None),
        (date(2018, 1, 1), None),
    ],
)
def test_period_of_only_for_half_year_ends(day: date, expected: str | None) -> None:
    assert period_of(day) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2018, 1, 1), "2018H1"),
        (date(2018, 6, 30), "2018H1"),
        (date(2018, 7, 1), "2018H2"),
        (date(2018, 12, 31), "2018H2"),
    ],
)
def test_period_containing(day: date, expected: str) -> None:
    assert period_containing(day) == expected


def test_previous_period_crosses_the_year() -> None:
    assert previous_period("2018H1") == "2017H2"
    assert previous_period("2018H2") == "2018H1"


def test_elapsed_share_is_clipped() -> None:
    start, deadline = date(2017, 1, 1), date(2017, 1, 11)  # 10 days
    assert elapsed_share(date(2017, 1, 6), start, deadline) == 0.5  # 5 / 10
    assert elapsed_share(date(2017, 1, 4), start, deadline) == Fraction(3, 10)  # 3 / 10
    assert elapsed_share(date(2016, 12, 1), start, deadline) == 0.0
    assert elapsed_share(date(2017, 1, 1), start, deadline) == 0.0
    assert elapsed_share(date(2017, 1, 11), start, deadline) == 1.0
    assert elapsed_share(date(2019, 1, 1), start, deadline) == 1.0


def test_programme_defaults_elapsed_share() -> None:
    # 2016-09-08 -> 2017-06-30 is 295 days (22 + 31 + 30 + 31 + 31 + 28 + 31 + 30 + 31 + 30);
    # 2016-09-08 -> 2018-12-31 is 844 days (295 + 184 to 2017-12-31 + 365).
    assert elapsed_share(date(2017, 6, 30), date(2016, 9, 8), date(2018, 12, 31)) == Fraction(
        295, 844
    )


def test_months_between_uses_mean_months() -> None:
    # 2017 has 365 days: 365 / (365.25 / 12) months
    assert months_between(date(2017, 1, 1), date(2018, 1, 1)) == pytest.approx(365 * 12 / 365.25)


def test_default_as_of_is_the_end_of_the_last_half_year_ended() -> None:
    assert last_completed_period(date(2018, 7, 2)) == "2018H1"
    assert last_completed_period(date(2018, 1, 15)) == "2017H2"
    assert resolve_as_of(None, None, date(2018, 7, 2)) == date(2018, 6, 30)
    assert resolve_as_of("2017H2", None, date(2018, 7, 2)) == date(2017, 12, 31)
    with pytest.raises(ConfigError, match="not both"):  # neither silently wins
        resolve_as_of("2017H2", date(2018, 3, 1), date(2018, 7, 2))


DEADLINE = date(2018, 12, 31)


def test_default_period_is_clamped_to_the_deadline_half_year() -> None:
    assert default_period(date(2026, 11, 27), DEADLINE) == ("2018H2", True)
    assert default_period(date(2019, 1, 2), DEADLINE) == ("2018H2", False)  # H2 just ended
    assert default_period(date(2018, 7, 2), DEADLINE) == ("2018H1", False)
    assert resolve_as_of(None, None, date(2026, 11, 27), DEADLINE) == date(2018, 12, 31)
    # an explicit later period or date stays allowed
    assert resolve_as_of("2019H1", None, date(2026, 11, 27), DEADLINE) == date(2019, 6, 30)
    assert resolve_as_of(None, date(2020, 1, 1), date(2026, 11, 27), DEADLINE) == date(2020, 1, 1)


def test_clamped_default_is_said_in_one_line() -> None:
    line = default_period_notice(None, None, date(2026, 11, 27), DEADLINE, "en")
    assert line is not None and "\n" not in line
    assert "2026H1" in line and "2018H2" in line
    assert default_period_notice("2026H1", None, date(2026, 11, 27), DEADLINE, "en") is None
    assert default_period_notice(None, None, date(2018, 7, 2), DEADLINE, "fi") is None


def test_period_key_is_the_half_year_or_the_date() -> None:
    assert period_key(date(2018, 6, 30)) == "2018H1"
    assert period_key(date(2018, 3, 1)) == "2018-03-01"
