"""What a move says beside its driver and team, read from the rest of the article: where the
driver comes from (from_team), whether a move at a race venue is for that race (role), and
which namesake a bare surname means when no series is given. Words of their own (none from
the corpus)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.models import Article, Move
from bot.rules import extract

DATE = datetime(2025, 10, 4, tzinfo=UTC)


def moves(title: str, summary: str = "", series: str | None = None) -> tuple[Move, ...]:
    return extract(Article(entry_id="o", title=title, summary=summary, series=series,
                           published=DATE)).moves


@pytest.mark.parametrize("history", [
    "The 19-year-old spent this season in Formula 3 with Trident.",
    "Kowalczyk currently races for Trident in Formula 3.",
    "The Pole was dropped by Trident in the summer.",
    "The 19-year-old won at Monza this year as a Trident driver.",
    "The Pole lost his race seat at Trident in the summer.",
    "The Pole returns to a full-time seat after a part-time role at Trident.",
    "The Pole moves on after single season at Trident.",
    "The Pole needed a new seat after Trident's withdrawal from the series.",
    # a school the sentence names is no person it is about
    "The 19-year-old Warsaw University of Technology student spent this season with Trident.",
])
def test_where_a_sentence_about_the_driver_says_they_raced_is_where_they_come_from(
        history: str) -> None:
    found = moves("Prema adds Kowalczyk", "Prema Racing has signed Tymon Kowalczyk for next "
                  f"season's Formula 2 campaign. {history}", "F2")
    assert [(m.driver, m.team, m.from_team) for m in found] == [
        ("Tymon Kowalczyk", "Prema Racing", "Trident")]


def test_where_a_list_of_drivers_comes_from_is_where_each_comes_from() -> None:
    found = moves("Jota sets its crews", "Hertz Team Jota will field Alex Lynn, Will Stevens "
                  "and Norman Nato next season. Lynn, Stevens and Nato all arrive from Chip "
                  "Ganassi Racing.", "WEC")
    assert {(m.driver, m.from_team) for m in found} == {
        ("Alex Lynn", "Chip Ganassi Racing"), ("Will Stevens", "Chip Ganassi Racing"),
        ("Norman Nato", "Chip Ganassi Racing")}


def test_the_bike_taken_over_was_the_replaced_riders() -> None:
    found = moves("Zarco to LCR", "Johann Zarco will ride for LCR Honda next season. He takes "
                  "over the bike of Tomas Vale, who moves to the factory Yamaha team.", "MotoGP")
    assert {(m.driver, m.from_team, m.replaces) for m in found} == {
        ("Johann Zarco", None, "Tomas Vale"), ("Tomas Vale", "LCR Honda", None)}


def test_a_team_another_person_raced_for_is_not_the_drivers_origin() -> None:
    found = moves("Prema adds Kowalczyk", "Prema Racing has signed Tymon Kowalczyk for next "
                  "season's Formula 2 campaign. His mentor Robert Kubica spent years with "
                  "Trident.", "F2")
    assert [(m.driver, m.from_team) for m in found] == [("Tymon Kowalczyk", None)]


def test_a_move_at_a_race_venue_is_for_that_race() -> None:
    found = moves("Bourdais gets a Cup ride",
                  "Sébastien Bourdais will drive for Kaulig Racing at Watkins Glen.",
                  "NASCAR Cup")
    assert [(m.driver, m.kind.value, m.role) for m in found] == [
        ("Sébastien Bourdais", "join", "part-time")]


@pytest.mark.parametrize(("title", "summary", "series", "driver"), [
    ("Kobayashi calls time", "Kamui Kobayashi will retire after the final race at Bahrain.",
     "WEC", "Kamui Kobayashi"),
    ("Truex calls time", "Martin Truex Jr. will retire from full-time racing at Phoenix.",
     "NASCAR Cup", "Martin Truex Jr."),
])
def test_a_retirement_at_a_venue_ends_a_season_long_seat(
        title: str, summary: str, series: str, driver: str) -> None:
    found = moves(title, summary, series)
    assert [(m.driver, m.kind.value, m.role) for m in found] == [
        (driver, "retire", "full-time")]


@pytest.mark.parametrize(("headline", "expected"), [
    ("Hamilton to join Ferrari in 2025", ("Lewis Hamilton", "join", "Ferrari")),
    ("Sainz signs for Williams", ("Carlos Sainz", "join", "Williams")),
    ("Lawson replaces Perez at Red Bull", ("Liam Lawson", "join", "Red Bull Racing")),
])
def test_a_bare_surname_with_no_series_given_is_read_in_the_series_of_its_teams(
        headline: str, expected: tuple[str, str, str]) -> None:
    found = moves(headline)
    assert expected in {(m.driver, m.kind.value, m.team) for m in found}


def test_any_sentence_naming_the_driver_may_say_where_he_comes_from() -> None:
    found = moves("ART completes its F3 line-up",
                  "ART Grand Prix will field Gabriele Mini, Christian Mansell and Nikola Tsolov "
                  "in Formula 3 next year. Mini stays on as the team's leader, while Tsolov "
                  "switches from Campos.", "F3")
    assert {m.driver: m.from_team for m in found}.get("Nikola Tsolov") == "Campos Racing"


def test_drivers_leaving_teams_respectively_are_paired_in_order() -> None:
    found = moves("New pairing for Maserati",
                  "Maserati MSG will field Jake Hughes and Stoffel Vandoorne next season. The "
                  "two are leaving McLaren and DS Penske respectively.", "Formula E")
    origins = {m.driver: m.from_team for m in found}
    assert origins.get("Jake Hughes") != "DS Penske"


def test_the_articles_only_car_is_the_car_of_its_only_teams_moves() -> None:
    found = moves("Iron Lynx pair confirmed", "Iron Lynx will field Matteo Cressoni and "
                  "Claudio Schiavoni next season. Their car will carry No. 60.", "WEC")
    assert {m.driver: m.car for m in found} == {"Matteo Cressoni": "60",
                                                 "Claudio Schiavoni": "60"}


def test_a_seat_in_a_race_of_its_own_is_part_time() -> None:
    found = moves("Rowe names its crew", "Rowe Racing has signed Augusto Farfus for the "
                  "race.", "Nürburgring 24h")
    assert [(m.driver, m.role) for m in found] == [("Augusto Farfus", "part-time")]


@pytest.mark.parametrize("summary", [
    "Rowe Racing has signed Augusto Farfus for 2025.",
    "Rowe Racing keeps Augusto Farfus in its No. 98 for 2025.",
])
def test_a_seat_in_a_race_of_its_own_is_part_time_whether_new_or_kept(summary: str) -> None:
    found = moves("Rowe names its crew", summary, "Nürburgring 24h")
    assert {(m.driver, m.role) for m in found} == {("Augusto Farfus", "part-time")}


@pytest.mark.parametrize("summary", [
    "Jenson Button will drive a Team Kunimitsu Honda in both races.",
    "Team Kunimitsu has invited Jenson Button to join regulars Naoki Yamamoto and Tadasuke "
    "Makino.",
])
def test_a_seat_for_both_races_or_beside_the_regulars_is_part_time(summary: str) -> None:
    found = moves("Button's Japanese outing", summary, "Super GT")
    assert ("Jenson Button", "part-time") in {(m.driver, m.role) for m in found}


@pytest.mark.parametrize("absence", ["hurt his shoulder in a cycling accident",
                                     "broke his collarbone in training"])
def test_a_driver_called_in_for_an_injured_one_is_a_stand_in(absence: str) -> None:
    found = moves("Hawksworth called up",
                  f"Akkodis ASP has called on Jack Hawksworth after Esteban Masson {absence}.",
                  "WEC")
    assert {(m.driver, m.kind.value, m.role) for m in found} == {
        ("Jack Hawksworth", "replace", "part-time")}


def test_a_role_promoted_from_is_the_one_left() -> None:
    found = moves("Haas news", "Haas has promoted Oliver Bearman from reserve to race driver "
                  "for next season.", "F1")
    assert {(m.driver, m.kind.value, m.role) for m in found} == {
        ("Oliver Bearman", "promote", "full-time")}


def test_a_stand_in_told_of_the_mover_in_an_aside_is_his_past() -> None:
    found = moves("Haas news", "Oliver Bearman, the Ferrari junior who impressed in Jeddah as a "
                  "stand-in, has been confirmed at Haas for next season.", "F1")
    assert {(m.driver, m.kind.value, m.role) for m in found} == {
        ("Oliver Bearman", "join", "full-time")}
