"""Table-driven: headlines and paragraphs written for these tests, one construct or distractor
per row, read by the engine built from the packaged rules and gazetteer."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.models import Article, MoveKind, Status
from bot.rules import extract, extract_item, summarize

DATE = datetime(2024, 9, 20, tzinfo=UTC)


def article(title: str, summary: str = "", *, series: str | None = None,
            published: datetime | None = DATE) -> Article:
    return Article(entry_id="t", title=title, summary=summary, series=series,
                   published=published)


BLOMQVIST = article(
    "Tom Blomqvist will join Cadillac as endurance driver for No. 31 Whelen Action Express",
    "Next season Tom Blomqvist joins Cadillac Racing as an endurance driver, teamed with Pipo "
    "Derani and Jack Aitken in the No. 31 Whelen Action Express Racing Cadillac V-Series.R from "
    "the Rolex 24 at Daytona. Meyer Shank Racing, his sports car team, has put that program on "
    "hiatus. Blomqvist moves to a full-time Dallara-Honda ride in the NTT IndyCar Series in 2024 "
    "with Meyer Shank Racing.",
    series="IMSA", published=datetime(2023, 10, 19, tzinfo=UTC),
)


def test_blomqvist_example_gives_the_two_moves_and_the_car_31_lineup() -> None:
    result = extract(BLOMQVIST)
    moves = {(m.team, m.kind, m.car, m.series, m.season, m.role) for m in result.moves}
    assert moves == {
        ("Action Express Racing", MoveKind.JOIN, "31", "IMSA", 2024, "endurance"),
        ("Meyer Shank Racing", MoveKind.JOIN, None, "IndyCar", 2024, "full-time"),
    }
    assert all(m.driver == "Tom Blomqvist" for m in result.moves)
    assert [m.from_team for m in result.moves] == ["Meyer Shank Racing", None]
    car_31 = {(e.driver, e.car, e.season) for e in result.lineup if e.car == "31"}
    assert car_31 == {("Tom Blomqvist", "31", 2024), ("Pipo Derani", "31", 2024),
                      ("Jack Aitken", "31", 2024)}
    assert len(result.summaries) == 2
    assert result.summaries[0].startswith("Tom Blomqvist → Action Express Racing #31 (IMSA 2024")
    assert result.summaries[0] == (
        "Tom Blomqvist → Action Express Racing #31 (IMSA 2024, endurance) · from Meyer Shank "
        "Racing · with Pipo Derani, Jack Aitken")


# (title, summary, series, expected (driver, kind, team) set)
MOVES = [
    pytest.param("Sauber signs Gabriel Bortoleto for 2025", "", "F1",
                 {("Gabriel Bortoleto", "join", "Sauber")}, id="team-signs-driver"),
    pytest.param("Ferrari signs Charles Leclerc to a new deal", "", "F1",
                 {("Charles Leclerc", "extend", "Ferrari")}, id="signs-to-new-deal-is-extend"),
    pytest.param("Lewis Hamilton will join Ferrari for 2025",
                 "The seven-time champion leaves Mercedes after twelve seasons.", "F1",
                 {("Lewis Hamilton", "join", "Ferrari")}, id="driver-will-join-team"),
    pytest.param("Arrow McLaren has signed Quentin Marchetti",
                 "Quentin Marchetti, 21, moves up from Indy NXT and will drive the No. 6 from "
                 "next season.", "IndyCar",
                 {("Quentin Marchetti", "join", "Arrow McLaren")},
                 id="unknown-driver-from-context"),
    pytest.param("Williams parts ways with Logan Sargeant", "", "F1",
                 {("Logan Sargeant", "leave", "Williams")}, id="leave-parts-ways"),
    pytest.param("Team Penske has released Scott McLaughlin", "", "IndyCar",
                 {("Scott McLaughlin", "leave", "Team Penske")}, id="leave-released"),
    pytest.param("Alex Palou re-signs with Chip Ganassi Racing through 2027", "", "IndyCar",
                 {("Alex Palou", "extend", "Chip Ganassi Racing")}, id="extend-re-signs"),
    pytest.param("Fernando Alonso will retire at the end of the season", "", "F1",
                 {("Fernando Alonso", "retire", None)}, id="retire"),
    pytest.param("Haas promotes reserve Oliver Bearman to a race seat", "", "F1",
                 {("Oliver Bearman", "promote", "Haas")}, id="promote"),
    pytest.param("Alpine names Jack Doohan for 2025",
                 "Alpine has confirmed that reserve driver Jack Doohan will race for the team "
                 "in 2025.", "F1",
                 {("Jack Doohan", "promote", "Alpine")}, id="reserve-now-racing-is-promote"),
    pytest.param("Red Bull confirms Liam Lawson will partner Max Verstappen in 2025",
                 "Liam Lawson will race alongside Max Verstappen next season, replacing Sergio "
                 "Perez.", "F1",
                 {("Liam Lawson", "join", "Red Bull Racing")},
                 id="participle-belongs-to-the-subject"),
    pytest.param("McLaren confirms the departure of Jake Hughes", "", "Formula E",
                 {("Jake Hughes", "leave", "McLaren Formula E Team")},
                 id="confirms-the-departure-of"),
    pytest.param("Triple Eight confirms Shane van Gisbergen exit", "", "Supercars",
                 {("Shane van Gisbergen", "leave", "Triple Eight Race Engineering")},
                 id="noun-after-name"),
    pytest.param("Porsche makes changes for 2025",
                 "Andre Lotterer and Frederic Makowiecki are out, and Julien Andlauer is in.",
                 "WEC", {("Andre Lotterer", "leave", None), ("Frederic Makowiecki", "leave", None),
                         ("Julien Andlauer", "join", None)}, id="out-and-in"),
    pytest.param("Alpine news", "Alpine has tied Pierre Gasly to the team until 2028.", "F1",
                 {("Pierre Gasly", "extend", "Alpine")}, id="team-ties-driver-to-it"),
    pytest.param("Hyundai news", "Ott Tanak will remain behind the wheel of Hyundai "
                 "Motorsport's third car next year.", "WRC",
                 {("Ott Tanak", "extend", "Hyundai Motorsport")}, id="remain-behind-the-wheel"),
    pytest.param("Thierry Neuville, Hyundai extend partnership", "", "WRC",
                 {("Thierry Neuville", "extend", "Hyundai Motorsport")},
                 id="driver-and-team-extend-partnership"),
    pytest.param("Toyota news", "Sami Pajari will spearhead Toyota Gazoo Racing's second-team "
                 "campaign next year.", "WRC", {("Sami Pajari", "join", None)},
                 id="spearhead-a-teams-campaign"),
    pytest.param("Proton news", "Proton Competition keeps its regular pairing of Giorgio Roda "
                 "and Gianmaria Bruni for next season.", "WEC",
                 {("Giorgio Roda", "extend", "Proton Competition"),
                  ("Gianmaria Bruni", "extend", "Proton Competition")},
                 id="keeps-its-regular-pairing-of"),
    pytest.param("Haas news", "Haas has signed Esteban Ocon. His arrival means Kevin Magnussen "
                 "loses his seat after seven seasons with the team.", "F1",
                 {("Kevin Magnussen", "leave", "Haas")}, id="loses-his-seat-after"),
    pytest.param("Legacy news", "Legacy Motor Club said in August that Erik Jones would not "
                 "be back after four years.", "NASCAR Cup", {("Erik Jones", "leave", None)},
                 id="would-not-be-back"),
    pytest.param("Mahindra news", "Nyck de Vries will not be part of Mahindra's line-up next "
                 "season.", "Formula E", {("Nyck de Vries", "leave", "Mahindra Racing")},
                 id="will-not-be-part-of"),
    pytest.param("Juncos Hollinger and Romain Grosjean split at once, Agustin Canapino steps in",
                 "", "IndyCar", {("Agustin Canapino", "join", "Juncos Hollinger Racing")},
                 id="steps-in-ending-its-clause"),
    pytest.param("Mercedes seeks a successor to Ferrari-bound Lewis Hamilton", "", "F1",
                 {("Lewis Hamilton", "join", "Ferrari")}, id="team-bound"),
    pytest.param("Fernando Alonso announces he will leave Alpine at the end of the season", "",
                 "F1", {("Fernando Alonso", "leave", "Alpine")}, id="announces-he-will-leave"),
    pytest.param("Nissan has retained Oliver Rowland and signed Norman Nato", "", "Formula E",
                 {("Oliver Rowland", "extend", "Nissan Formula E Team"),
                  ("Norman Nato", "join", "Nissan Formula E Team")}, id="coordinated-verbs"),
    pytest.param("Jenson Button joins Wayne Taylor Racing for the Rolex 24",
                 "Button will contest the Rolex 24 At Daytona in a one-off outing.", "IMSA",
                 {("Jenson Button", "join", "Wayne Taylor Racing")}, id="one-off-ride"),
]


@pytest.mark.parametrize(("title", "summary", "series", "expected"), MOVES)
def test_move_constructs(title: str, summary: str, series: str,
                         expected: set[tuple[str, str, str | None]]) -> None:
    result = extract(article(title, summary, series=series))
    got = {(m.driver, m.kind.value, m.team if e[2] else None)
           for m in result.moves for e in expected if e[0] == m.driver}
    assert got == expected


NO_MOVES = [
    pytest.param("Lewis Hamilton will not join Red Bull, says his manager", "", "F1",
                 id="negation"),
    pytest.param("Haas parts with team principal Guenther Steiner", "", "F1",
                 id="team-principal"),
    pytest.param("Spire Motorsports signs crew chief Rodney Childers for 2025", "",
                 "NASCAR Cup", id="crew-chief"),
    pytest.param("Max Verstappen wins as Lando Norris is promoted to second", "", "F1",
                 id="promoted-to-second"),
    pytest.param("Charles Leclerc retired from the race with a gearbox failure", "", "F1",
                 id="retirement-is-a-dnf"),
    pytest.param("Josef Newgarden was joined by Will Power on the front row", "", "IndyCar",
                 id="joined-by-teammate"),
    pytest.param("Practice crash rules out Romain Grosjean",
                 "Grosjean will not race this weekend after a heavy crash.", "IndyCar",
                 id="injury-withdrawal"),
    pytest.param("Chaz Mostert shuts down rumours he will leave Walkinshaw Andretti United",
                 "Mostert insists he is staying put for 2025.", "Supercars", id="denial"),
    pytest.param("Oscar Piastri, who joined McLaren in 2023, finished fourth",
                 "Piastri previously raced for Prema in Formula 2.", "F1", id="career-background"),
    pytest.param("Ferrari extends contract of team principal Fred Vasseur", "", "F1",
                 id="team-principal-extension"),
    pytest.param("Stake extends its title sponsorship of Sauber", "", "F1", id="sponsor"),
    pytest.param("Max Verstappen said he will be driving for Red Bull next year", "", "F1",
                 id="whose-he-is-unclear"),
    pytest.param("Engineer Enrico Cardile has left Ferrari to join Aston Martin", "", "F1",
                 id="engineer"),
]


@pytest.mark.parametrize(("title", "summary", "series"), NO_MOVES)
def test_distractors_give_no_move(title: str, summary: str, series: str) -> None:
    assert extract(article(title, summary, series=series)).moves == ()


def test_rumour_is_marked_and_left_out_of_extract_output() -> None:
    text = "Carlos Sainz is expected to join Williams for 2025, sources say"
    moves = extract(article(text, series="F1")).moves
    assert [(m.driver, m.status) for m in moves] == [("Carlos Sainz", Status.RUMOUR)]
    assert moves[0].confidence < 0.6
    item = {"id": "r", "title": text, "summary": "", "date": "2024-06-01", "series": "F1"}
    assert extract_item(item)["moves"] == []
    assert extract_item(item, include_rumours=True)["moves"][0]["status"] == "rumour"


def test_a_teams_first_choice_is_a_wish_not_a_decision() -> None:
    moves = extract(article("Shank weighs its options", "Meyer Shank Racing's first choice is to "
                            "keep Felix Rosenqvist, and sponsors are being sought.",
                            series="IndyCar")).moves
    assert Status.CONFIRMED not in {m.status for m in moves}


def test_a_headline_question_is_only_a_rumour() -> None:
    moves = extract(article("Dale Coyne Racing parts ways with Jacob Abel?",
                            series="IndyCar")).moves
    assert [(m.driver, m.status) for m in moves] == [("Jacob Abel", Status.RUMOUR)]


def test_next_season_resolves_from_the_date() -> None:
    moves = extract(article("Williams signs Carlos Sainz", "Sainz joins Williams next season.",
                            series="F1", published=datetime(2024, 7, 29, tzinfo=UTC))).moves
    assert [(m.driver, m.season) for m in moves] == [("Carlos Sainz", 2025)]


def test_surname_back_reference_and_car_number() -> None:
    moves = extract(article(
        "Ed Carpenter Racing confirms Alexander Rossi",
        "Ed Carpenter Racing has signed Alexander Rossi for 2025. Rossi will drive the No. 20.",
        series="IndyCar")).moves
    assert [(m.driver, m.team, m.car, m.season) for m in moves] == [
        ("Alexander Rossi", "Ed Carpenter Racing", "20", 2025)]


def test_a_replaces_b_is_a_join_with_replaces() -> None:
    moves = extract(article("Chase Briscoe will replace Martin Truex Jr. at Joe Gibbs Racing",
                            series="NASCAR Cup")).moves
    assert [(m.driver, m.kind, m.team, m.replaces) for m in moves] == [
        ("Chase Briscoe", MoveKind.JOIN, "Joe Gibbs Racing", "Martin Truex Jr.")]


def test_role_endurance_and_part_time() -> None:
    moves = extract(article("Cadillac adds Tom Blomqvist for the endurance rounds",
                            "Tom Blomqvist joins Action Express Racing for the Endurance Cup "
                            "rounds in 2024.", series="IMSA")).moves
    assert [(m.team, m.role) for m in moves] == [("Action Express Racing", "endurance")]
    moves = extract(article("Kyle Larson to run the Indy 500 with Arrow McLaren",
                            series="IndyCar")).moves
    assert [(m.team, m.role) for m in moves] == [("Arrow McLaren", "part-time")]


def test_formula_e_season_ends_in_its_second_year() -> None:
    moves = extract(article("Jaguar retains Mitch Evans for 2023-24", series="Formula E",
                            published=datetime(2023, 6, 1, tzinfo=UTC))).moves
    assert [(m.driver, m.kind, m.season) for m in moves] == [
        ("Mitch Evans", MoveKind.EXTEND, 2024)]


def test_manufacturer_decided_by_car_number_or_kept_with_lower_confidence() -> None:
    by_car = extract(article("Cadillac signs Pipo Derani for the No. 31 in 2025",
                             series="IMSA")).moves
    assert [(m.team, m.car) for m in by_car] == [("Action Express Racing", "31")]
    stated = extract(article("Cadillac signs Pipo Derani for 2025", series="IMSA")).moves
    assert [m.team for m in stated] == ["Cadillac"]
    assert stated[0].confidence < by_car[0].confidence


def test_crew_announced_is_a_seat_for_each_driver() -> None:
    # The corpus convention: a crew named for a season is a move for every driver in it.
    result = extract(article("Porsche Penske confirms IMSA crews",
                             "Felipe Nasr, Nick Tandy and Matt Campbell will share the No. 7 "
                             "Porsche 963 in 2025.", series="IMSA"))
    assert {(m.driver, m.kind, m.car, m.season) for m in result.moves} == {
        (name, MoveKind.JOIN, "7", 2025) for name in ("Felipe Nasr", "Nick Tandy", "Matt Campbell")}
    assert {(e.driver, e.car, e.season) for e in result.lineup} == {
        ("Felipe Nasr", "7", 2025), ("Nick Tandy", "7", 2025), ("Matt Campbell", "7", 2025)}


def test_interim_stand_in_is_a_replace() -> None:
    moves = extract(article(
        "Helio Castroneves will stand in for Tom Blomqvist at Meyer Shank Racing this weekend",
        series="IndyCar")).moves
    assert [(m.driver, m.kind, m.replaces, m.role) for m in moves] == [
        ("Helio Castroneves", MoveKind.REPLACE, "Tom Blomqvist", "part-time")]


@pytest.mark.parametrize(("written", "driver"), [
    ("Toprak Razgatlıoğlu", "Toprak Razgatlıoğlu"),  # dotless ı is not the gazetteer's i
    ("Toprak Razgatlioglu", "Toprak Razgatlioglu"),
    ("Marc Marquez", "Marc Marquez"),
    ("Marc Márquez", "Marc Márquez"),
])
def test_drivers_come_out_as_the_article_spells_them(written: str, driver: str) -> None:
    surname = written.split()[-1]
    moves = extract(article(f"{surname} signs for a new team",
                            f"{written} has signed with BMW for next season. {surname} said he "
                            "was delighted.", series="WorldSBK")).moves
    assert [m.driver for m in moves] == [driver]


def test_a_team_keeps_its_gazetteer_name_where_the_article_uses_a_part_of_it() -> None:
    moves = extract(article("Red Bull confirms Liam Lawson for 2025", series="F1")).moves
    assert [m.team for m in moves] == ["Red Bull Racing"]


def test_extract_item_shape() -> None:
    line = extract_item({"id": "x", "title": BLOMQVIST.title, "summary": BLOMQVIST.summary,
                         "date": "2023-10-19", "series": "IMSA", "ignored": "not read"})
    assert set(line) == {"id", "moves", "lineup", "summary"}
    move = line["moves"][0]
    assert set(move) >= {"driver", "kind", "team", "car", "season", "role", "from_team",
                         "replaces", "status", "confidence", "evidence", "series"}
    assert isinstance(move["season"], int)
    assert line["summary"].count(" | ") == len(line["moves"]) - 1


def test_summary_of_a_leave() -> None:
    moves = extract(article("Williams parts ways with Logan Sargeant", series="F1",
                            published=datetime(2024, 8, 27, tzinfo=UTC))).moves
    assert summarize(moves[0]).startswith("Logan Sargeant leaves Williams (F1")


SEASONS = [
    pytest.param("Dane Cameron will not race for Porsche Penske Motorsport in 2025", "leave",
                 2024, id="not-racing-in-2025-ends-in-2024"),
    pytest.param("Tim Slade will leave Blanchard Racing Team when the season ends", "leave", 2024,
                 id="leave-at-season-end"),
    pytest.param("Will Brown joins Triple Eight Race Engineering when the season ends", "join",
                 2025, id="join-after-season-end"),
    pytest.param("Michael van der Mark moved to BMW in 2022", "join", 2022,
                 id="old-year-next-to-the-trigger"),
    # No season written: the season the news is for (September: this one), never 2016.
    pytest.param("Alexander Rossi, the 2016 Indianapolis 500 winner, joins Ed Carpenter Racing",
                 "join", 2024, id="old-year-elsewhere-is-background"),
    pytest.param("Arrow McLaren has released David Malukas", "leave", 2024,
                 id="release-without-season-is-this-one"),
]


@pytest.mark.parametrize(("title", "kind", "season"), SEASONS)
def test_seasons(title: str, kind: str, season: int | None) -> None:
    moves = extract(article(title, published=datetime(2024, 9, 20, tzinfo=UTC))).moves
    assert [(m.kind.value, m.season) for m in moves] == [(kind, season)]


@pytest.mark.parametrize("summary", [
    "Andretti Global has signed Kyle Kirkwood for the remaining races.",
    "Kyle Kirkwood will drive for Andretti Global for the last four races.",
])
def test_the_races_left_are_this_seasons(summary: str) -> None:
    # (in October a seat with no season written would be next year's)
    moves = extract(article("Seat news", summary, series="IndyCar",
                            published=datetime(2024, 10, 9, tzinfo=UTC))).moves
    assert [(m.driver, m.season) for m in moves] == [("Kyle Kirkwood", 2024)]


def test_next_season_without_a_date_is_the_latest_season_named() -> None:
    moves = extract(article("Kaulig Racing reveals its 2025 plans",
                            "Next season Daniel Dye will carry on with the team full-time.",
                            series="NASCAR Xfinity", published=None)).moves
    assert [(m.driver, m.kind, m.season) for m in moves] == [
        ("Daniel Dye", MoveKind.EXTEND, 2025)]


def test_epithet_subject_is_the_driver_just_named() -> None:
    moves = extract(article("HRC confirms Aleix Espargaro as Honda test rider for 2025",
                            "Aleix Espargaro will be Honda's MotoGP test rider in 2025. The "
                            "Spaniard chose to step away from full-time racing earlier this "
                            "year.", series="MotoGP")).moves
    assert {m.kind for m in moves if m.driver.startswith("Aleix")} == {
        MoveKind.JOIN, MoveKind.RETIRE}


def test_a_team_renamed_since_keeps_the_name_the_article_uses() -> None:
    moves = extract(article("Andretti Autosport signs Kyle Kirkwood for 2022", series="IndyCar",
                            published=datetime(2021, 9, 1, tzinfo=UTC))).moves
    assert [(m.driver, m.team) for m in moves] == [("Kyle Kirkwood", "Andretti Autosport")]
