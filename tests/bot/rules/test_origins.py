"""Where a driver comes from (a move's from_team): told by a sentence about the driver, in
words of its own (none from the corpus)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.models import Article
from bot.rules import extract

DATE = datetime(2025, 10, 4, tzinfo=UTC)


@pytest.mark.parametrize("history", [
    "The 19-year-old spent this season in Formula 3 with Trident.",
    "Kowalczyk currently races for Trident in Formula 3.",
    "The Pole was dropped by Trident in the summer.",
])
def test_where_a_sentence_about_the_driver_says_they_raced_is_where_they_come_from(
        history: str) -> None:
    found = extract(Article(
        entry_id="o", title="Prema adds Kowalczyk", series="F2", published=DATE,
        summary=f"Prema Racing has signed Tymon Kowalczyk for next season's Formula 2 campaign. "
                f"{history}")).moves
    assert [(m.driver, m.team, m.from_team) for m in found] == [
        ("Tymon Kowalczyk", "Prema Racing", "Trident")]


def test_a_team_another_person_raced_for_is_not_the_drivers_origin() -> None:
    found = extract(Article(
        entry_id="o", title="Prema adds Kowalczyk", series="F2", published=DATE,
        summary="Prema Racing has signed Tymon Kowalczyk for next season's Formula 2 campaign. "
                "His mentor Robert Kubica spent years with Trident.")).moves
    assert [(m.driver, m.from_team) for m in found] == [("Tymon Kowalczyk", None)]


def test_a_move_at_a_race_venue_is_for_that_race() -> None:
    found = extract(Article(
        entry_id="v", title="Bourdais gets a Cup ride", series="NASCAR Cup", published=DATE,
        summary="Sébastien Bourdais will drive for Kaulig Racing at Watkins Glen.")).moves
    assert [(m.driver, m.kind.value, m.role) for m in found] == [
        ("Sébastien Bourdais", "join", "part-time")]


def test_a_retirement_after_a_race_at_a_venue_is_full_time() -> None:
    found = extract(Article(
        entry_id="v", title="Kobayashi calls time", series="WEC", published=DATE,
        summary="Kamui Kobayashi will retire after the final race at Bahrain.")).moves
    assert [(m.driver, m.kind.value, m.role) for m in found] == [
        ("Kamui Kobayashi", "retire", "full-time")]


def test_a_retirement_at_a_venue_ends_a_season_long_seat() -> None:
    found = extract(Article(
        entry_id="v", title="Truex calls time", series="NASCAR Cup", published=DATE,
        summary="Martin Truex Jr. will retire from full-time racing at Phoenix.")).moves
    assert [(m.driver, m.kind.value, m.role) for m in found] == [
        ("Martin Truex Jr.", "retire", "full-time")]


@pytest.mark.parametrize(("headline", "expected"), [
    ("Hamilton to join Ferrari in 2025", ("Lewis Hamilton", "join", "Ferrari")),
    ("Sainz signs for Williams", ("Carlos Sainz", "join", "Williams")),
    ("Lawson replaces Perez at Red Bull", ("Liam Lawson", "join", "Red Bull Racing")),
])
def test_a_bare_surname_with_no_series_given_is_read_in_the_series_of_its_teams(
        headline: str, expected: tuple[str, str, str]) -> None:
    found = extract(Article(entry_id="s", title=headline, published=DATE)).moves
    assert expected in {(m.driver, m.kind.value, m.team) for m in found}
