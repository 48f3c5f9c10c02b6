"""Counted texts take the form of their count from the catalogue, never pasted numbers
(issue 20), and the two catalogues hold the same keys."""

from __future__ import annotations

import pytest

from schemas.catalogue import messages, number_word, plural


@pytest.mark.parametrize(
    ("language", "count", "expected"),
    [
        (
            "fi",
            1,
            "Tiedoissa on yksi avoin huomautus; se on hyvä korjata ennen seuraavaa raporttia.",
        ),
        (
            "fi",
            5,
            "Tiedoissa on 5 avointa huomautusta; ne on hyvä korjata ennen seuraavaa raporttia.",
        ),
        ("en", 1, "One open finding, best fixed before the next report."),
        ("en", 2, "2 open findings, best fixed before the next report."),
    ],
)
def test_the_count_picks_the_form(language: str, count: int, expected: str) -> None:
    assert plural(language, "quality.remaining", count) == expected


def test_zero_has_its_own_form_where_the_catalogue_gives_one() -> None:
    assert plural("fi", "deregulation.waiting", 0) == "Kaikki on välitetty eteenpäin."
    assert plural("fi", "deregulation.waiting", 1) == "Yksi on vielä välittämättä."
    assert plural("en", "deregulation.new", 0) == "None of them was found in this half-year."
    # without a zero form, 0 takes the plural one
    assert plural("en", "quality.blocking", 0) == "0 blocking errors."


def test_a_formatted_count_fills_the_text() -> None:
    assert plural("fi", "quality.remaining", 1234, n="1\u00a0234").startswith(
        "Tiedoissa on 1\u00a0234"
    )


def test_small_numbers_as_words() -> None:
    assert (number_word("fi", 4, "elative"), number_word("fi", 1)) == ("neljästä", "yksi")
    assert number_word("fi", 42) == "42"  # larger ones stay digits


def test_both_catalogues_hold_the_same_keys() -> None:
    def keys(language: str) -> set[str]:
        # number words and the register's own headers are per language by nature
        return {k for k in messages(language) if not k.startswith(("number.", "header."))}

    assert keys("fi") == keys("en")
