"""Table-driven: how racing news is written, beyond the plain "X joins Y". Every headline and
paragraph here was written for these tests; each row checks ALL the moves the engine reads,
so a distractor that slips through fails its row."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.models import Article, Move
from bot.rules import extract

DATE = datetime(2024, 9, 20, tzinfo=UTC)


def moves_of(title: str, summary: str = "", series: str | None = None,
             published: datetime | None = DATE) -> tuple[Move, ...]:
    return extract(Article(entry_id="t", title=title, summary=summary, series=series,
                           published=published)).moves


# (title, summary, series, every (driver, kind, team) expected; team None = not checked)
STYLES = [
    pytest.param(
        "Hitech confirms Luke Browning for 2025",
        "Hitech has signed Luke Browning for next season. Browning, 22, won races in Formula 3. "
        "He will partner Isack Hadjar. The Briton steps up to the top series a year later than "
        "planned.", "F2",
        {("Luke Browning", "join", "Hitech")}, id="he-and-the-briton-are-the-driver-named-first"),
    pytest.param(
        "Red Bull loses its sporting director",
        "Aston Martin has appointed Red Bull sporting director Jonathan Wheatley as team "
        "principal. He will leave Red Bull at the end of the year.", "F1",
        set(), id="he-is-the-staff-member-just-named"),
    pytest.param(
        "Fernando Alonso leaves Alpine for Aston Martin",
        "Fernando Alonso will leave Alpine at the end of the season and join Aston Martin on a "
        "multi-year deal.", "F1",
        {("Fernando Alonso", "join", "Aston Martin")}, id="and-join-takes-the-clause-subject"),
    pytest.param(
        "Sauber confirms Valtteri Bottas and Zhou Guanyu exits", "", "F1",
        {("Valtteri Bottas", "leave", "Sauber"), ("Zhou Guanyu", "leave", "Sauber")},
        id="plural-exits"),
    pytest.param(
        "Pietro Fittipaldi to end his IndyCar career with Foyt",
        "", "IndyCar", {("Pietro Fittipaldi", "retire", None)}, id="end-his-career"),
    pytest.param(
        "Kevin Harvick looks ahead",
        "Kevin Harvick said that 2023 would be his final season as a driver.", "NASCAR Cup",
        {("Kevin Harvick", "retire", None)}, id="final-season-as-a-driver"),
    pytest.param(
        "Lewis Hamilton's last year at Mercedes",
        "Lewis Hamilton confirmed that 2024 will be his final season with Mercedes.", "F1",
        {("Lewis Hamilton", "leave", "Mercedes")}, id="final-season-with-a-team"),
    pytest.param(
        "Prema keeps Oliver Bearman",
        "Andrea Kimi Antonelli will race for Prema next season alongside Oliver Bearman, who has "
        "been retained for a second campaign.", "F2",
        {("Andrea Kimi Antonelli", "join", "Prema Racing"),
         ("Oliver Bearman", "extend", "Prema Racing")},
        id="has-been-retained"),
    pytest.param(
        "Lando Norris extends McLaren deal to the end of 2027", "", "F1",
        {("Lando Norris", "extend", "McLaren")}, id="extends-team-deal"),
    pytest.param(
        "Max Verstappen extends championship lead at Red Bull's home race", "", "F1",
        set(), id="extends-a-lead-is-no-deal"),
    pytest.param(
        "Christian Rasmussen to make IndyCar debut with Ed Carpenter Racing", "", "IndyCar",
        {("Christian Rasmussen", "join", "Ed Carpenter Racing")}, id="debut-with-series-word"),
    pytest.param(
        "Alpine benches Jack Doohan",
        "Alpine will run Franco Colapinto in place of Jack Doohan for the next three races.",
        "F1", {("Franco Colapinto", "replace", "Alpine")}, id="stand-in-for-a-number-of-races"),
    pytest.param(
        "Oliver Bearman called up by Ferrari",
        "Oliver Bearman will replace Carlos Sainz at Ferrari this weekend after Sainz was "
        "diagnosed with appendicitis.", "F1",
        {("Oliver Bearman", "replace", "Ferrari")}, id="stand-in-for-illness"),
    pytest.param(
        "Robert Kubica steps up to Hypercar with AF Corse", "", "WEC",
        {("Robert Kubica", "join", "AF Corse")}, id="step-up-to-a-new-class-is-a-join"),
    pytest.param(
        "Alex Palou wins at Laguna Seca as Colton Herta retires", "", "IndyCar",
        set(), id="retirement-beside-a-win-is-a-dnf"),
    pytest.param(
        "Valentino Rossi stays with Team WRT",
        "Valentino Rossi will remain with Team WRT next year. Rossi began racing cars after "
        "retiring from MotoGP at the end of 2021.", "GT World Challenge Europe",
        {("Valentino Rossi", "extend", "Team WRT")}, id="after-retiring-is-background"),
    pytest.param(
        "Red Bull swaps its drivers",
        "Liam Lawson moves up to Red Bull Racing, while Yuki Tsunoda returns to Racing Bulls.",
        "F1",
        {("Liam Lawson", "join", "Red Bull Racing"), ("Yuki Tsunoda", "join", "Racing Bulls")},
        id="moves-up-to-and-returns-to-a-team-named-racing"),
    pytest.param(
        "Sergio Perez drops down to Racing Bulls", "", "F1",
        {("Sergio Perez", "join", "Racing Bulls")}, id="drops-down-to"),
    pytest.param(
        "Adrian Newey joins Aston Martin",
        "Adrian Newey will join Aston Martin in March as managing technical partner. Fernando "
        "Alonso, who has raced for the team since 2023, welcomed the news.", "F1",
        set(), id="designer-joining-as-staff"),
    pytest.param(
        "Stewart-Haas names Kevin Harvick's successor",
        "Stewart-Haas Racing has named Josh Berry as Kevin Harvick's successor in the No. 4 "
        "Ford for 2024.", "NASCAR Cup", {("Josh Berry", "join", "Stewart-Haas Racing")},
        id="the-possessive-names-whose-seat-not-who-moves"),
    pytest.param(
        "Red Bull swaps its drivers after two races",
        "Yuki Tsunoda steps up to Red Bull Racing, with Liam Lawson returning to Racing Bulls.",
        "F1", {("Yuki Tsunoda", "promote", "Red Bull Racing"),
               ("Liam Lawson", "join", "Racing Bulls")}, id="returning-to"),
    pytest.param(
        "Dane Cameron loses Porsche Penske Motorsport seat", "", "IMSA",
        {("Dane Cameron", "leave", "Porsche Penske Motorsport")}, id="loses-team-seat"),
    pytest.param(
        "Lando Norris loses the lead to Max Verstappen at the Red Bull Ring", "", "F1", set(),
        id="loses-the-lead-is-no-exit"),
    pytest.param(
        "Haas confirms Kevin Magnussen will not return in 2025", "", "F1",
        {("Kevin Magnussen", "leave", "Haas")}, id="will-not-return-without-to"),
    pytest.param(
        "Oliver Bearman earns Haas seat for 2025", "", "F1",
        {("Oliver Bearman", "join", "Haas")}, id="earns-team-seat"),
    pytest.param(
        "Lando Norris wins Dutch GP for McLaren", "", "F1", set(), id="wins-a-race-is-no-seat"),
    pytest.param(
        "Louis Foster signs for 2025",
        "Louis Foster will be behind the wheel of the No. 45 for Rahal Letterman Lanigan Racing "
        "in 2025.", "IndyCar", {("Louis Foster", "join", "Rahal Letterman Lanigan Racing")},
        id="no-trigger-inside-a-team-name"),
    pytest.param(
        "Alex Palou stays put",
        "Alex Palou will remain with Chip Ganassi Racing in 2024, reversing his plan to move to "
        "Arrow McLaren next season.", "IndyCar",
        {("Alex Palou", "extend", "Chip Ganassi Racing")}, id="a-reversed-plan-is-no-move"),
    pytest.param(
        "Oliver Bearman tests for Haas at Imola", "", "F1", set(),
        id="headline-for-after-another-verb"),
    pytest.param(
        "Gabriel Bortoleto signs junior deal",
        "Gabriel Bortoleto has joined the McLaren driver development programme.", "F2", set(),
        id="a-driver-programme-is-no-seat"),
    pytest.param(
        "Will Brown wins Bathurst for Triple Eight",
        "Will Brown won the Bathurst 1000. Shane van Gisbergen, who left the team last year, "
        "watched from the pit wall.", "Supercars", set(), id="who-left-is-background"),
    pytest.param(
        "Mercedes confirms George Russell for 2026",
        "Mercedes has confirmed that George Russell will drive for the team again in 2026.",
        "F1", {("George Russell", "extend", "Mercedes")}, id="again-keeps-a-seat"),
    pytest.param(
        "Alpine names Jack Doohan for 2025",
        "Jack Doohan will race for Alpine in 2025, replacing Esteban Ocon, who departs for Haas.",
        "F1", {("Jack Doohan", "join", "Alpine"), ("Esteban Ocon", "join", "Haas")},
        id="departs-for-is-an-arrival"),
    pytest.param(
        "Shane van Gisbergen heads to NASCAR",
        "Shane van Gisbergen will leave Triple Eight Race Engineering at the end of the season "
        "to race in NASCAR with Trackhouse Racing.", "NASCAR Cup",
        {("Shane van Gisbergen", "join", "Trackhouse Racing")},
        id="to-race-in-a-series-with-a-team"),
    pytest.param(
        "RB drops Daniel Ricciardo",
        "RB has dropped Daniel Ricciardo with immediate effect. Liam Lawson will take his seat "
        "from the next round.", "F1",
        {("Daniel Ricciardo", "leave", "RB"), ("Liam Lawson", "join", "RB")},
        id="take-his-seat"),
    pytest.param(
        "Arrow McLaren releases David Malukas, Theo Pourchaire takes over No. 6",
        "Arrow McLaren has parted ways with David Malukas. Malukas moved to Arrow McLaren from "
        "Dale Coyne Racing over the winter.", "IndyCar",
        {("David Malukas", "leave", "Arrow McLaren"), ("Theo Pourchaire", "join", None)},
        id="comma-is-not-a-list-and-past-arrival-is-background"),
]


@pytest.mark.parametrize(("title", "summary", "series", "expected"), STYLES)
def test_writing_styles(title: str, summary: str, series: str,
                        expected: set[tuple[str, str, str | None]]) -> None:
    teams = {e[0]: e[2] for e in expected}
    got = {(m.driver, m.kind.value, m.team if teams.get(m.driver) else None)
           for m in moves_of(title, summary, series)}
    assert got == expected


def test_the_season_of_formula_e_written_in_words() -> None:
    moves = moves_of("Stoffel Vandoorne joins DS Penske for season nine", "", "Formula E",
                     published=datetime(2022, 10, 6, tzinfo=UTC))
    assert [(m.driver, m.season) for m in moves] == [("Stoffel Vandoorne", 2023)]


def test_the_brackley_team_is_the_team_the_sentence_names() -> None:
    moves = moves_of(
        "Lewis Hamilton to join Ferrari in 2025",
        "Lewis Hamilton will race for Ferrari from 2025. Earlier, Mercedes confirmed that "
        "Hamilton would leave the Brackley team at the end of the 2024 season.", "F1")
    assert [(m.driver, m.kind.value, m.team, m.from_team) for m in moves] == [
        ("Lewis Hamilton", "join", "Ferrari", "Mercedes")]


@pytest.mark.parametrize(("summary", "from_team"), [
    ("Carlos Sainz will race for Williams from 2025. The Spaniard, who is in his fourth "
     "season at Ferrari, chose the project led by team principal James Vowles.", "Ferrari"),
    ("Carlos Sainz will race for Williams from 2025. He knows the paddock well from two years "
     "as McLaren's race driver.", "McLaren"),
    ("Carlos Sainz will race for Williams from 2025. Sainz spent the last four seasons at "
     "Ferrari.", "Ferrari"),
    ("Williams has signed Carlos Sainz, who drives for Ferrari, for 2025.", "Ferrari"),
], ids=["his-fourth-season-at", "as-team-s-driver", "spent-seasons-at", "who-drives-for"])
def test_former_team_from_the_driver_s_background(summary: str, from_team: str) -> None:
    moves = moves_of("Carlos Sainz signs for Williams", summary, "F1")
    assert [(m.team, m.from_team) for m in moves] == [("Williams", from_team)]


def test_a_role_stated_further_off_belongs_to_the_only_driver_named() -> None:
    moves = moves_of(
        "Christian Rasmussen signs with Ed Carpenter Racing",
        "Christian Rasmussen will make his IndyCar debut with Ed Carpenter Racing in 2024, "
        "driving the No. 20 Chevrolet on road and street courses.", "IndyCar",
        published=datetime(2023, 10, 17, tzinfo=UTC))
    assert [(m.car, m.season, m.role) for m in moves] == [("20", 2024, "part-time")]


def test_the_car_of_a_sentence_about_the_driver_shared_with_others() -> None:
    moves = moves_of(
        "Robert Kubica joins AF Corse",
        "Robert Kubica will race for AF Corse in 2024. The Pole will share the No. 83 Ferrari "
        "with Robert Shwartzman and Yifei Ye.", "WEC")
    assert [(m.driver, m.car) for m in moves] == [("Robert Kubica", "83")]


@pytest.mark.parametrize(("summary", "status"), [
    ("Esteban Ocon will race for Haas next year, ending speculation that he might stay at "
     "Alpine.", "confirmed"),
    ("Lewis Hamilton will join Ferrari in 2025, where he could win a record eighth title.",
     "confirmed"),
    ("Gabriel Bortoleto could join Sauber for 2025.", "rumour"),
], ids=["ending-speculation", "where-he-could", "could-join"])
def test_a_hedge_in_a_later_clause_does_not_make_a_rumour(summary: str, status: str) -> None:
    moves = moves_of("Driver market news", summary, "F1")
    assert [m.status.value for m in moves] == [status]


def test_lineup_places_the_mover_and_teammates_not_the_seats_being_left() -> None:
    """As the labelled corpus does: the lineup is where people will be, so a former team or
    the seat a newcomer takes is not placed again (the leave or replace move says that)."""
    result = extract(Article(
        entry_id="t", title="Jonathan Rea joins Pata Yamaha",
        summary="Jonathan Rea will leave Kawasaki at the end of the season and join Pata Yamaha "
                "from 2024. At Yamaha he replaces Toprak Razgatlioglu. He will partner Andrea "
                "Locatelli.", series="WorldSBK", published=datetime(2023, 8, 31, tzinfo=UTC)))
    placed = {(e.driver, e.team, e.season) for e in result.lineup}
    assert {("Jonathan Rea", "Pata Yamaha Prometeon WorldSBK", 2024),
            ("Andrea Locatelli", "Pata Yamaha Prometeon WorldSBK", 2024)} <= placed
    assert not {d for d, team, _ in placed if team == "Kawasaki Racing Team WorldSBK"}
    assert "Toprak Razgatlioglu" not in {d for d, _, _ in placed}


def test_the_successor_replaces_the_driver_named_with_a_possessive() -> None:
    moves = moves_of("Stewart-Haas names its 2024 driver",
                     "Stewart-Haas Racing has named Josh Berry as Kevin Harvick's successor in "
                     "the No. 4 Ford for 2024.", "NASCAR Cup")
    assert [(m.driver, m.car, m.replaces) for m in moves] == [
        ("Josh Berry", "4", "Kevin Harvick")]
