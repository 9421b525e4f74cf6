"""Constructions of the language, each in words of its own (none is a corpus sentence): how
several drivers share one statement, verbs in any tense, crews told by their car, stays without
"extends", exits, and the senses of the same verbs that are not moves."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.models import Article, Status
from bot.rules import default_engine, extract
from bot.rules.patterns import expand

DATE = datetime(2024, 9, 12, tzinfo=UTC)


def moves(title: str, summary: str = "", series: str | None = None) -> set[tuple[object, ...]]:
    found = extract(Article(entry_id="c", title=title, summary=summary, series=series,
                            published=DATE)).moves
    return {(m.driver, m.kind.value, m.team, m.car) for m in found}


def test_a_verb_written_once_is_read_in_every_tense() -> None:
    forms = set(expand("{driver} <partner> {team}"))
    assert {"{driver} will partner {team}", "{driver} partners {team}",
            "{driver} is partnering {team}", "{driver} has partnered {team}",
            "{driver} to partner {team}"} <= forms
    # A team's verb has no bare form: "a place" and "the signing" are nouns.
    assert not {"{team} place {driver}", "{team} signing {driver}"} & set(
        expand("{team} <sign:agent> {driver}"))


@pytest.mark.parametrize("sentence", [
    "Valtteri Bottas is partnering Zhou Guanyu at Sauber next year.",
    "Valtteri Bottas has partnered Zhou Guanyu at Sauber since the spring.",
    "Valtteri Bottas will partner Zhou Guanyu at Sauber next year.",
])
def test_placement_verb_in_any_tense_places_the_driver(sentence: str) -> None:
    found = moves("Sauber line-up settled", sentence, "F1")
    assert ("Valtteri Bottas", "join", "Sauber", None) in found


def test_a_crew_list_gives_each_driver_the_car_named_after_them() -> None:
    found = moves(
        "Porsche Penske sets its 2025 crews",
        "Porsche Penske Motorsport will field Felipe Nasr and Nick Tandy in the No. 7 963 and "
        "Matt Campbell with Mathieu Jaminet in the No. 6 next season.", "IMSA")
    assert {(d, car) for d, kind, team, car in found if kind == "join"} == {
        ("Felipe Nasr", "7"), ("Nick Tandy", "7"), ("Matt Campbell", "6"),
        ("Mathieu Jaminet", "6")}


def test_a_car_driven_by_a_crew_in_the_passive() -> None:
    found = moves("Toyota names its Le Mans crews",
                  "Toyota Gazoo Racing confirmed its plans on Tuesday. The sister No. 8 will be "
                  "driven by Sébastien Buemi, Brendon Hartley and Ryo Hirakawa.", "WEC")
    assert {(d, car) for d, _, _, car in found} == {
        ("Sébastien Buemi", "8"), ("Brendon Hartley", "8"), ("Ryo Hirakawa", "8")}


def test_a_listed_name_keeps_its_description_out_of_the_name() -> None:
    found = moves("United completes its crew",
                  "United Autosports will run Briton Phil Hanson, Dutchman Job van Uitert and "
                  "veteran Paul di Resta in the No. 22 next season.", "WEC")
    assert {d for d, *_ in found} == {"Phil Hanson", "Job van Uitert", "Paul di Resta"}


def test_neither_nor_kept_is_an_exit_for_both() -> None:
    found = moves("Williams starts afresh",
                  "Williams confirmed that neither Alex Albon nor Logan Sargeant will be "
                  "retained after this season.", "F1")
    assert {(d, k) for d, k, *_ in found} == {("Alex Albon", "leave"), ("Logan Sargeant", "leave")}


def test_one_driver_in_the_present_tense_is_where_he_races_not_news() -> None:
    assert moves("Blaney fastest in Phoenix practice",
                 "Ryan Blaney drives the No. 12 Ford for Team Penske and topped both sessions.",
                 "NASCAR Cup") == set()


def test_an_absolute_clause_with_an_epithet_reads_the_epithet() -> None:
    found = moves("Aston Martin completes 2025 line-up",
                  "Aston Martin has signed Fernando Alonso to partner Lance Stroll, with the "
                  "Spaniard taking over from Sebastian Vettel.", "F1")
    assert ("Fernando Alonso", "join", "Aston Martin", None) in found
    assert not any(d == "Lance Stroll" for d, *_ in found)


@pytest.mark.parametrize(("title", "summary"), [
    ("Ericsson released from hospital after Iowa crash",
     "Marcus Ericsson has been released from hospital and Chip Ganassi Racing expects him to "
     "race next weekend."),
    ("Kanaan thinking about retiring",
     "Tony Kanaan said he has changed his mind about retiring from IndyCar at the end of the "
     "year."),
    ("Kirkwood promoted to third after penalty",
     "Kyle Kirkwood was promoted to third when the stewards penalised Scott Dixon."),
])
def test_senses_of_move_verbs_that_are_not_moves(title: str, summary: str) -> None:
    assert moves(title, summary, "IndyCar") == set()


def test_joined_by_adds_a_teammate_as_a_join() -> None:
    found = moves("Action Express confirms its crew",
                  "Pipo Derani stays in the No. 31 and is joined by Jack Aitken for the whole "
                  "season.", "IMSA")
    assert ("Pipo Derani", "extend") in {(d, k) for d, k, *_ in found}
    assert ("Jack Aitken", "join") in {(d, k) for d, k, *_ in found}


def test_a_team_returns_with_its_drivers() -> None:
    found = moves("Honda returns with Lecuona and Vierge", "", "WorldSBK")
    assert {d for d, k, *_ in found if k == "join"} == {"Iker Lecuona", "Xavi Vierge"}


@pytest.mark.parametrize(("title", "expected"), [
    ("Hamilton to join Ferrari in 2025", ("Lewis Hamilton", "join", "Ferrari")),
    ("Sainz signs for Williams", ("Carlos Sainz", "join", "Williams")),
    ("Antonelli replaces Hamilton at Mercedes", ("Andrea Kimi Antonelli", "join", "Mercedes")),
])
def test_a_headline_names_drivers_by_surname_alone(title: str, expected: tuple[str, ...]) -> None:
    assert expected in {(d, k, t) for d, k, t, _ in moves(title, "", "F1")}


def test_the_word_after_the_team_names_what_was_signed() -> None:
    assert {(d, k) for d, k, *_ in moves("Oscar Piastri signs McLaren extension to 2026")} == {
        ("Oscar Piastri", "extend")}


def test_a_surname_that_is_also_a_word_opens_a_sentence_as_a_word() -> None:
    # "Power" is Will Power's surname and an English word: at a sentence's start it is a word.
    assert moves("Power unit rules settled",
                 "Power will be split evenly between the engine and the battery from 2026.",
                 "F1") == set()


def test_initials_do_not_end_a_sentence() -> None:
    found = moves("Foyt signs Ferrucci",
                  "Santino Ferrucci will drive A.J. Foyt Enterprises' No. 14 Chevrolet in 2023.",
                  "IndyCar")
    assert ("Santino Ferrucci", "join") in {(d, k) for d, k, *_ in found}


def test_a_team_brings_a_car_for_its_crew() -> None:
    found = moves("Heart of Racing expands",
                  "The Heart of Racing brings a second Aston Martin Vantage GT3 for Ross Gunn "
                  "and Alex Riberas next season.", "IMSA")
    assert {d for d, k, *_ in found if k == "join"} == {"Ross Gunn", "Alex Riberas"}


@pytest.mark.parametrize("summary", [
    "Racing Spirit of Leman has completed its WEC entry with Derek Olsen, Clement Mateu and "
    "Valentin Hasse-Clot.",
    "Racing Spirit of Leman's only Aston Martin is entrusted to Derek Olsen, Clement Mateu and "
    "Valentin Hasse-Clot next season.",
])
def test_an_entry_completed_with_or_entrusted_to_its_crew(summary: str) -> None:
    found = moves("Leman sets its crew", summary, "WEC")
    assert {(d, k) for d, k, *_ in found} == {
        ("Derek Olsen", "join"), ("Clement Mateu", "join"), ("Valentin Hasse-Clot", "join")}


def test_sharing_the_car_with_places_the_partner_in_the_line_up() -> None:
    extraction = extract(Article(
        entry_id="s", title="Castroneves back for the Rolex 24",
        summary="Helio Castroneves will race Meyer Shank Racing's No. 60 Acura at Daytona, "
                "sharing the car with Tom Blomqvist.", series="IMSA", published=DATE))
    assert {m.driver for m in extraction.moves if m.kind.value == "join"} == {"Helio Castroneves"}
    assert ("Tom Blomqvist", "60") in {(seat.driver, seat.car) for seat in extraction.lineup}


def test_a_name_in_another_clause_is_not_the_verb_s_object() -> None:
    assert moves("Suzuki confirms MotoGP exit",
                 "Suzuki has confirmed, two years after Joan Mir won the title, that it will "
                 "withdraw from MotoGP.", "MotoGP") == set()


def test_career_background_long_ago_is_no_news() -> None:
    assert moves("Pedrosa to test for KTM",
                 "Dani Pedrosa retired from racing at the end of 2018 and now develops the "
                 "bike.", "MotoGP") == set()


def test_leaving_one_team_for_another_is_one_transfer() -> None:
    found = extract(Article(entry_id="c", title="Kyle Busch leaves Gibbs for Richard Childress "
                            "Racing", summary="", series="NASCAR Cup", published=DATE)).moves
    assert [(m.driver, m.kind.value, m.team, m.from_team) for m in found] == [
        ("Kyle Busch", "join", "Richard Childress Racing", "Joe Gibbs Racing")]


def test_joining_someone_in_the_top_five_is_a_race_place() -> None:
    assert moves("Larson dominates at Bristol",
                 "Kyle Larson led 400 laps for Hendrick Motorsports, and Chase Elliott joined "
                 "Larson in the top five.", "NASCAR Cup") == set()


@pytest.mark.parametrize("sentence", [
    "Kamui Kobayashi and Nyck de Vries continue together for a third season in Toyota's No. 7.",
    "Kamui Kobayashi and Nyck de Vries stay on in the No. 7 for another year with Toyota.",
])
def test_staying_together_or_on_is_a_stay(sentence: str) -> None:
    found = moves("Toyota keeps its crews", sentence, "WEC")
    assert {(d, k) for d, k, *_ in found} == {("Kamui Kobayashi", "extend"),
                                              ("Nyck de Vries", "extend")}


def test_taking_a_named_driver_s_place_replaces_him() -> None:
    found = extract(Article(entry_id="c", title="Vanthoor in for the Norisring",
                            summary="Dries Vanthoor will take René Rast's place at Schubert "
                            "Motorsport for the round.", series="DTM", published=DATE)).moves
    assert [(m.driver, m.replaces) for m in found] == [("Dries Vanthoor", "René Rast")]


def test_a_make_someone_owns_is_their_car_and_the_owner_the_team() -> None:
    found = moves("Bathurst 12 Hour entry",
                  "Triple Eight Race Engineering's Mercedes-AMG will be driven by Jamie Whincup, "
                  "Craig Lowndes and Shane van Gisbergen.", "Supercars")
    assert {t for _, _, t, _ in found} == {"Triple Eight Race Engineering"}


def test_a_crew_joined_by_a_newcomer_without_an_auxiliary() -> None:
    found = moves("Scherer names its N24 crew",
                  "Scherer Sport's No. 5 Audi has 24-hour specialists Frank Stippler and "
                  "Christopher Haase joined by Vincent Kolb.", "Nürburgring 24h")
    assert ("Vincent Kolb", "join") in {(d, k) for d, k, *_ in found}


def test_a_headline_in_for_names_whom_the_driver_replaces() -> None:
    found = extract(Article(entry_id="c", title="Corey Lewis in for Neil Verhagen at Paul "
                            "Miller Racing", summary="", series="IMSA", published=DATE)).moves
    assert [(m.driver, m.replaces) for m in found] == [("Corey Lewis", "Neil Verhagen")]


def test_a_crew_named_with_its_car_and_no_verb_is_a_line_up_unless_the_headline_names_it(
        ) -> None:
    summary = ("Toyota Gazoo Racing has settled its plans. Kamui Kobayashi, Nyck de Vries and "
               "Mike Conway in the No. 7, Sébastien Buemi, Brendon Hartley and Ryo Hirakawa in "
               "the No. 8.")
    # Real news tells a signing with a verb: a verbless crew list is the field as it stands.
    listed = extract(Article(entry_id="c", title="Toyota names its 2025 crews", summary=summary,
                             series="WEC", published=DATE))
    assert not listed.moves
    assert {(seat.driver, seat.car) for seat in listed.lineup} == {
        ("Kamui Kobayashi", "7"), ("Nyck de Vries", "7"), ("Mike Conway", "7"),
        ("Sébastien Buemi", "8"), ("Brendon Hartley", "8"), ("Ryo Hirakawa", "8")}
    found = moves("Kobayashi, de Vries and Conway share Toyota's No. 7", summary, "WEC")
    assert {(d, car) for d, k, _, car in found if k == "join"} >= {
        ("Kamui Kobayashi", "7"), ("Nyck de Vries", "7"), ("Mike Conway", "7")}


def test_co_drivers_named_for_a_mover_are_his_line_up_not_moves() -> None:
    found = moves("Cadillac adds Blomqvist",
                  "Tom Blomqvist joins Action Express Racing for the endurance rounds. His "
                  "co-drivers in the No. 31 will be Pipo Derani and Jack Aitken.", "IMSA")
    assert {d for d, *_ in found} == {"Tom Blomqvist"}


def test_a_race_result_crew_is_no_announcement() -> None:
    assert moves("Toyota wins at Fuji",
                 "Kamui Kobayashi, Nyck de Vries and Mike Conway won in the No. 7 after 235 "
                 "laps.", "WEC") == set()


def test_the_reading_is_the_same_whatever_the_hash_seed() -> None:
    import os
    import subprocess
    import sys

    code = ("import json; from bot.models import Article; from bot.rules import extract; "
            "a = Article(entry_id='s', title='Solberg joins Hyundai', summary='Oliver Solberg "
            "will drive for Hyundai Motorsport, the team his father Petter Solberg once "
            "raced against. Solberg said he was ready.', series='WRC'); "
            "print(json.dumps([m.driver for m in extract(a).moves]))")
    outputs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}, check=True).stdout
               for seed in ("1", "2", "3")}
    assert len(outputs) == 1


@pytest.mark.parametrize(("title", "expected"), [
    ("Jordan Taylor lands Corvette Racing seat; Jan Magnussen out", ("Jan Magnussen", "leave")),
    ("De Vries dropped as AlphaTauri turns to Ricciardo", ("Nyck de Vries", "leave")),
    ("Jakobsen steps up at Peugeot as Nico Müller heads for the exit", ("Nico Müller", "leave")),
])
def test_headline_exits_without_auxiliaries(title: str, expected: tuple[str, str]) -> None:
    found = extract(Article(entry_id="c", title=title, summary="", published=DATE)).moves
    assert expected in {(m.driver, m.kind.value) for m in found}


def test_out_of_a_race_is_no_exit() -> None:
    found = extract(Article(entry_id="c", title="Practice crash rules Stefan Wilson out of the "
                            "Indianapolis 500", summary="", series="IndyCar",
                            published=DATE)).moves
    assert found == ()


def test_a_known_driver_retiring_to_run_the_team_is_still_retiring() -> None:
    found = extract(Article(entry_id="c", title="Whincup to step back",
                            summary="Jamie Whincup will stop racing full-time at the end of the "
                            "season to become the team's boss at Triple Eight Race Engineering.",
                            series="Supercars", published=DATE)).moves
    assert ("Jamie Whincup", "retire") in {(m.driver, m.kind.value) for m in found}


def test_a_demonym_epithet_is_the_driver_of_that_nationality() -> None:
    found = moves("Zhou gets Alfa Romeo seat",
                  "Alfa Romeo has named Zhou Guanyu to partner Valtteri Bottas next year. Zhou "
                  "takes over the car of Antonio Giovinazzi. The Italian will not continue with "
                  "the team.", "F1")
    assert ("Antonio Giovinazzi", "leave") in {(d, k) for d, k, *_ in found}


def test_a_team_ending_a_driver_s_contract_is_an_exit() -> None:
    found = moves("Haas parts with Mazepin",
                  "Haas F1 Team has terminated Nikita Mazepin's contract with immediate effect.",
                  "F1")
    assert {(d, k) for d, k, *_ in found} == {("Nikita Mazepin", "leave")}


def test_a_list_runs_across_a_description_with_a_series_in_it() -> None:
    found = moves("Ferrari names its Le Mans crews",
                  "Alessandro Pier Guidi, James Calado and former Formula 1 driver Antonio "
                  "Giovinazzi form one crew for Ferrari AF Corse next year.", "WEC")
    assert {d for d, *_ in found} == {"Alessandro Pier Guidi", "James Calado",
                                      "Antonio Giovinazzi"}


@pytest.mark.parametrize("name", ["Marco Sørensen", "Toprak Razgatlıoğlu"])
def test_names_with_letters_unicode_does_not_decompose_are_read(name: str) -> None:
    found = extract(Article(entry_id="c", title=f"{name} joins Team WRT", summary="",
                            series="WEC", published=DATE)).moves
    assert [m.driver for m in found] == [name]


def test_leading_a_team_s_line_up_is_a_seat_in_it() -> None:
    found = moves("Winward's Gold Cup crew", "Lucas Auer will lead Winward Racing's line-up in "
                  "the Gold Cup next season.", "GTWC")
    assert {(d, k, t) for d, k, t, _ in found} == {("Lucas Auer", "join", "Winward Racing")}


@pytest.mark.parametrize(("month", "season"), [(3, 2024), (11, 2025)])
def test_no_season_written_is_the_season_the_news_is_for(month: int, season: int) -> None:
    found = extract(Article(entry_id="c", title="Kirkwood joins Andretti Global", summary="",
                            series="IndyCar", published=datetime(2024, month, 5, tzinfo=UTC)))
    assert [m.season for m in found.moves] == [season]


@pytest.mark.parametrize(("sentence", "team"), [
    ("Kelvin van der Linde is now with Bergmann's Porsche for the 24-hour race.", "Bergmann"),
    ("Kelvin van der Linde will drive Tempesta Racing's No. 93 for the 24-hour race.",
     "Tempesta Racing"),
])
def test_whoever_owns_the_car_is_the_team(sentence: str, team: str) -> None:
    # A make or a car owned by a name makes the name a team, even one no list knows.
    found = moves("Late entry changes", sentence, "Nürburgring 24h")
    assert [t for d, _, t, _ in found if d == "Kelvin van der Linde"] == [team]


def test_a_team_written_as_a_title_before_names_is_not_the_move() -> None:
    found = moves("Spa entry revealed",
                  "BMW works drivers Augusto Farfus, Sheldon van der Linde and Dan Harper share "
                  "Paul Hoyer Racing's No. 31 at Spa.", "GT World Challenge Europe")
    assert {(d, t) for d, _, t, _ in found} == {
        ("Augusto Farfus", "Paul Hoyer Racing"), ("Sheldon van der Linde", "Paul Hoyer Racing"),
        ("Dan Harper", "Paul Hoyer Racing")}


@pytest.mark.parametrize("championship", ["Super Touring", "Euro Truck"])
def test_capitals_before_a_title_word_name_a_championship_not_a_driver(
        championship: str) -> None:
    found = moves("Lancaster moves up",
                  f"Teodor Lancaster has signed for Trident. The three-time {championship} "
                  "champion left Carlin at the end of last year.", "F3")
    assert championship not in {d for d, *_ in found}
    assert ("Teodor Lancaster", "join", "Trident", None) in found


def test_a_two_word_demonym_is_not_part_of_the_name() -> None:
    found = moves("Entry confirmed",
                  "Apex Motorsport brings a car for South African Kelvin Marais and Rowan "
                  "Hartley in the No. 17.", "ELMS")
    assert {d for d, *_ in found} == {"Kelvin Marais", "Rowan Hartley"}


def test_the_line_up_as_it_is_now_is_not_a_signing() -> None:
    assert not moves("Ganassi looks ahead",
                     "The team currently fields Marcus Ericsson, Kyffin Simpson and Marcus "
                     "Armstrong.", "IndyCar")


@pytest.mark.parametrize("title", ["Miller crashes out", "Miller spun out",
                                   "Miller knocked out"])
def test_out_of_a_race_is_not_out_of_a_seat(title: str) -> None:
    assert not moves(title, "Jack Miller fell at turn six on the fourth lap of the race, "
                            "ending a difficult weekend for Pramac.", "MotoGP")


@pytest.mark.parametrize("aside", [
    "who lost his Alpine seat to Jack Doohan",
    "who made his debut with Alpine in 2021",
    "who spent two seasons at Williams",
])
def test_a_relative_clause_in_the_past_is_history(aside: str) -> None:
    found = moves("Ocon settles in",
                  f"Esteban Ocon, {aside}, scored points in Bahrain for Haas.", "F1")
    assert not found


def test_a_past_verb_reporting_what_is_to_come_is_still_news() -> None:
    found = moves("Sargeant thrilled",
                  "Logan Sargeant, who confirmed on Monday that he will join Williams, scored "
                  "his first points in Austin.", "F1")
    assert ("Logan Sargeant", "join", "Williams", None) in found


@pytest.mark.parametrize(("aside", "expected"), [
    ("who has already agreed to join Trackhouse Racing in 2026", {"Trackhouse Racing"}),
    ("who has already signed to race for Trackhouse Racing from 2026", {"Trackhouse Racing"}),
    # A plan overtaken by events ("had signed to ...") stays history.
    ("who had already signed to race for Trackhouse Racing in 2025", set()),
])
def test_a_move_agreed_before_the_news_and_still_to_come_is_news(
        aside: str, expected: set[str]) -> None:
    found = moves("Kaulig keeps Hocevar",
                  f"Kaulig Racing has kept Carson Hocevar for 2026. Its other driver, Sam Mayer, "
                  f"{aside}, finished fifth at Kansas.", "NASCAR Cup")
    assert {t for d, _, t, _ in found if d == "Sam Mayer"} == expected


def test_a_driver_named_to_a_post_is_staff() -> None:
    assert not moves("Wurz takes charge",
                     "Alexander Wurz will become team principal of Williams next season, "
                     "succeeding Jost Capito.", "F1")


def test_a_team_a_maker_owns_is_the_entry() -> None:
    found = moves("Fernandez moves", "Augusto Fernandez has signed for Yamaha's Pramac team "
                  "for next season.", "MotoGP")
    assert [t for d, _, t, _ in found] == ["Pramac Racing"]


def test_a_team_after_an_origin_word_is_where_the_driver_comes_from() -> None:
    found = moves("Ilott back", "Callum Ilott returns to IndyCar after a season away following "
                  "two seasons with Juncos Hollinger Racing.", "IndyCar")
    assert all(t != "Juncos Hollinger Racing" for _, _, t, _ in found)


def test_an_event_is_nobody() -> None:
    found = moves("Cadillac shows its car", "Cadillac unveiled its new prototype at Goodwood "
                  "Speed Week, to be run by Jota.", "WEC")
    assert not found


@pytest.mark.parametrize("aside", ["who partners Jake Dennis at Andretti",
                                   "who races for Andretti alongside Jake Dennis"])
def test_a_relative_clause_in_the_present_says_where_a_driver_is(aside: str) -> None:
    assert not moves("Vergne content", f"Jean-Eric Vergne, {aside}, said he was enjoying the "
                     "new car after testing in Valencia.", "Formula E")


def test_a_relative_clause_with_next_season_is_still_a_move() -> None:
    found = moves("Vergne happy", "Jean-Eric Vergne, who partners Jake Dennis at Andretti next "
                  "season, won in Valencia.", "Formula E")
    assert {(d, k) for d, k, _, _ in found} == {("Jean-Eric Vergne", "join")}


def test_what_a_driver_swaps_is_left_behind() -> None:
    found = moves("Gasly to swap AlphaTauri for Alpine",
                  "Pierre Gasly will drive for Alpine next year. He will partner Esteban Ocon, "
                  "taking the seat of Fernando Alonso.", "F1")
    assert {t for _, k, t, _ in found if k == "join"} == {"Alpine"}


def test_a_second_verb_shares_the_first_verbs_team() -> None:
    found = moves("Trident settles its line-up",
                  "Trident has kept Gabriele Mini for another Formula 3 season and signed "
                  "Leonardo Fornaroli from Carlin.", "F3")
    assert ("Leonardo Fornaroli", "join", "Trident", None) in found
    assert ("Gabriele Mini", "extend", "Trident", None) in found


def test_a_sentence_after_a_name_suffix_keeps_its_own_reading() -> None:
    found = moves("Allmendinger confirmed",
                  "AJ Allmendinger will drive the No. 16 for Kaulig Racing, taking over from "
                  "Dale Earnhardt Jr. The team denied rumours it would shut down in the autumn.",
                  "NASCAR Cup")
    assert ("AJ Allmendinger", "join", "Kaulig Racing", "16") in found


def test_a_career_tally_is_not_a_race() -> None:
    found = moves("Tander calls it a day",
                  "Garth Tander has retired from Supercars after 20 seasons and 56 race wins.",
                  "Supercars")
    assert {(d, k) for d, k, _, _ in found} == {("Garth Tander", "retire")}


def test_the_object_of_the_first_verb_is_not_the_subject_of_the_second() -> None:
    found = moves("Haas reshuffles",
                  "Haas has released Nikita Mazepin with immediate effect and promoted "
                  "reserve driver Pietro Fittipaldi into his seat.", "F1")
    assert ("Pietro Fittipaldi", "promote", "Haas", None) in found
    assert ("Nikita Mazepin", "leave", "Haas", None) in found


def test_both_staying_on_is_a_stay() -> None:
    found = moves("Jaguar unchanged", "Jaguar TCS Racing will field an unchanged line-up next "
                  "season, with Mitch Evans and Nick Cassidy both staying on.", "Formula E")
    assert {(d, k) for d, k, _, _ in found} == {("Mitch Evans", "extend"),
                                                 ("Nick Cassidy", "extend")}


def test_a_crew_named_in_a_race_report_is_no_seat() -> None:
    assert not moves("Porsche wins at Spa",
                     "The No. 6 Porsche of Kevin Estre and Laurens Vanthoor won at Spa, holding "
                     "off Cadillac's No. 2 shared by Earl Bamber and Alex Lynn.", "WEC")


def test_a_race_won_in_a_relative_clause_does_not_veto_the_crew() -> None:
    found = moves("Lynn recalled", "Earl Bamber, who won Le Mans in 2017, will share Chip "
                  "Ganassi Racing's No. 2 with Alex Lynn next season.", "WEC")
    assert ("Earl Bamber", "join") in {(d, k) for d, k, _, _ in found}


def test_a_possessive_title_in_apposition_is_an_aside() -> None:
    found = moves("Bergmeister steps away", "Jörg Bergmeister, Porsche's longest-serving works "
                  "driver, has retired from professional racing.", "IMSA")
    assert {(d, k) for d, k, _, _ in found} == {("Jörg Bergmeister", "retire")}


def test_a_crew_drives_the_car_its_entrant_names() -> None:
    found = moves("Proton sets its crews", "Proton Competition will run two cars. Gianmaria "
                  "Bruni, Neel Jani and Harry Tincknell drive the Proton Competition No. 99.",
                  "WEC")
    assert {(d, car) for d, _, _, car in found} == {
        ("Gianmaria Bruni", "99"), ("Neel Jani", "99"), ("Harry Tincknell", "99")}


def test_drivers_who_complete_the_crew_take_its_seats() -> None:
    found = moves("Lamborghini names its Daytona crew",
                  "Mirko Bortolotti will drive Lamborghini Iron Lynx's No. 63 at Daytona. "
                  "Andrea Caldarelli and Romain Grosjean complete the crew.", "IMSA")
    assert {d for d, *_ in found} == {"Mirko Bortolotti", "Andrea Caldarelli", "Romain Grosjean"}


def test_a_teams_past_choice_in_a_relative_clause_is_history() -> None:
    found = moves("Ocon picks Haas", "Esteban Ocon has signed with Haas for 2025 and will leave "
                  "Alpine, which chose Jack Doohan to replace him, after the finale.", "F1")
    assert {d for d, *_ in found} == {"Esteban Ocon"}


def test_the_same_trio_returning_is_a_stay() -> None:
    found = moves("GT3 entries", "AF Corse returns with the same trio of Alessio Rovera, "
                  "Francois Heriau and Simon Mann in the No. 54 Ferrari.", "WEC")
    assert {k for _, k, _, _ in found} == {"extend"}


@pytest.mark.parametrize(("headline", "series", "move"), [
    # "for" opens "for a third season" here, not a clause of its own
    ("Kirkwood to race for Andretti for a third season", "IndyCar", ("Kyle Kirkwood", "extend")),
    # a driver's choice of a team, named right after the verb
    ("Vinales opts for Tech3 after three seasons at Aprilia", "MotoGP",
     ("Maverick Viñales", "join")),
    # a last race ahead
    ("Lorenzo to bow out at Valencia", "MotoGP", ("Jorge Lorenzo", "retire")),
    # a car stepped out of
    ("Hunter-Reay steps out of Ed Carpenter Racing's No. 20", "IndyCar",
     ("Ryan Hunter-Reay", "leave")),
    # a hyphened surname alone names its driver
    ("Hunter-Reay lands Ed Carpenter Racing seat", "IndyCar", ("Ryan Hunter-Reay", "join")),
    ("Herrin locked in with Warhorse HSBK Ducati for 2025", "MotoAmerica",
     ("Josh Herrin", "extend")),
])
def test_a_headline_construction_reads_as_its_move(headline: str, series: str,
                                                   move: tuple[str, str]) -> None:
    assert {(d, k) for d, k, _, _ in moves(headline, "", series)} == {move}


def test_a_gapped_crew_after_the_first_crews_season_is_read() -> None:
    found = moves("Alpine names its 2025 crews", "Alpine will run Paul-Loup Chatin and Ferdinand "
                  "Habsburg in the No. 35 in 2025, with Mick Schumacher and Jules Gounon in the "
                  "No. 36.", "WEC")
    assert {(d, c) for d, _, _, c in found} == {
        ("Paul-Loup Chatin", "35"), ("Ferdinand Habsburg", "35"),
        ("Mick Schumacher", "36"), ("Jules Gounon", "36")}


def test_choosing_to_do_something_chooses_no_team() -> None:
    assert moves("Binder skips test", "Brad Binder has chosen to miss the Red Bull KTM "
                 "Factory Racing test at Jerez.", "MotoGP") == set()


@pytest.mark.parametrize("sentence", [
    "Matt Neal has called time on his BTCC career after 25 seasons.",
    "Matt Neal has ended his professional racing career after 25 seasons.",
    # the post taken up after it is where he goes next, not what this move is about
    "Matt Neal has ended his full-time driving career to become team principal of Team "
    "Dynamics.",
])
def test_a_career_ended_in_any_tense_is_a_retirement(sentence: str) -> None:
    found = moves("Neal steps back", sentence, "BTCC")
    assert {(d, k) for d, k, _, _ in found} == {("Matt Neal", "retire")}


def test_the_same_drivers_counted_are_a_stay() -> None:
    found = moves("Porsche keeps its crews", "Porsche Penske Motorsport will run the same four "
                  "drivers next year: Felipe Nasr and Nick Tandy in the No. 7, Dane Cameron and "
                  "Mathieu Jaminet in the No. 6.", "IMSA")
    assert {k for _, k, _, _ in found} == {"extend"} and len(found) == 4


@pytest.mark.parametrize("origin", ["Sargeant switches from Carlin.",
                                    "Sargeant spent his rookie season with Carlin.",
                                    "Sargeant has raced for Carlin since 2023."])
def test_where_a_driver_comes_from_is_read_in_any_tense(origin: str) -> None:
    found = extract(Article(entry_id="c", title="Prema completes its line-up",
                            summary=f"Prema will field Logan Sargeant in Formula 3 in 2025. "
                                    f"{origin}", series="F3", published=DATE)).moves
    assert [(m.driver, m.from_team) for m in found] == [("Logan Sargeant", "Carlin")]


def test_a_companion_who_moves_with_the_driver_moves_too() -> None:
    found = moves("Evans switches to Hyundai",
                  "Elfyn Evans will drive for Hyundai Motorsport next year. His long-time "
                  "co-driver Scott Martin moves with him to the Korean squad.", "WRC")
    assert {(d, k, t) for d, k, t, _ in found} == {
        ("Elfyn Evans", "join", "Hyundai Motorsport"),
        ("Scott Martin", "join", "Hyundai Motorsport")}


def test_one_move_told_twice_names_the_team_as_the_article_writes_it() -> None:
    found = moves("McLaren releases Hinchcliffe",
                  "Arrow McLaren SP has released James Hinchcliffe despite his contract for "
                  "next season.", "IndyCar")
    assert {(d, k, t) for d, k, t, _ in found} == {
        ("James Hinchcliffe", "leave", "Arrow McLaren SP")}


def test_a_relative_named_in_apposition_is_an_aside() -> None:
    found = moves("Espargaro to Tech3",
                  "Tech3 has signed Pol Espargaro for next year. The 33-year-old, younger "
                  "brother of Aprilia's Aleix Espargaro, currently rides for Repsol Honda and "
                  "will partner Enea Bastianini next year.", "MotoGP")
    assert "Aleix Espargaro" not in {d for d, *_ in found}


def test_a_stay_said_of_others_before_the_subject_is_theirs() -> None:
    found = moves("Ferrari unchanged, Fuoco joins AF Corse", "", "WEC")
    assert ("Antonio Fuoco", "join", "AF Corse", None) in found


def test_the_make_after_an_owned_car_names_the_car() -> None:
    found = moves("GT3 entries",
                  "Manthey's No. 92 Porsche 911 will be driven by Klaus Bachler and Joel Sturm.",
                  "WEC")
    assert found and all("Manthey" in t for _, _, t, _ in found)


def test_a_deal_signed_is_with_the_team_of_the_story() -> None:
    found = moves("Kostecki to leave Erebus",
                  "Brodie Kostecki will leave Erebus Motorsport at the end of the season, with "
                  "Jack Le Brocq signing a two-year contract to replace him.",
                  "Supercars")
    assert ("Jack Le Brocq", "join", "Erebus Motorsport", None) in found


def test_a_team_that_fields_a_crew_now_states_a_line_up_not_a_move() -> None:
    article = Article(entry_id="c", title="Sprint Cup grid takes shape", series="GTWC",
                      summary="Rutronik Racing fields Dennis Marschall with Alessio Rovera in "
                              "its Porsche, while Emil Frey Racing runs Giacomo Altoè.",
                      published=DATE)
    reading = extract(article)
    assert not reading.moves
    assert {seat.driver for seat in reading.lineup} >= {"Dennis Marschall", "Alessio Rovera"}


def test_a_team_that_will_field_or_again_fields_a_driver_reports_a_move() -> None:
    ahead = moves("Rutronik plans", "Rutronik Racing will field Dennis Marschall next season.",
                  "GTWC")
    assert ("Dennis Marschall", "join", "Rutronik Racing", None) in ahead
    again = moves("Rutronik plans", "Rutronik Racing again fields Dennis Marschall next season.",
                  "GTWC")
    assert ("Dennis Marschall", "extend", "Rutronik Racing", None) in again


def test_a_car_that_has_a_crew_now_is_a_line_up_and_one_the_headline_gives_a_crew_is_news(
        ) -> None:
    now = extract(Article(entry_id="c", title="Team Parker Racing confirms Bathurst crew",
                          series="IGTC",
                          summary="Team Parker Racing's No. 22 Porsche has Ben Tuck, Ryan "
                                  "Ratcliffe and Kiern Jewiss.", published=DATE))
    assert not now.moves
    assert {seat.driver for seat in now.lineup} == {"Ben Tuck", "Ryan Ratcliffe", "Kiern Jewiss"}
    ahead = moves("Tuck, Ratcliffe and Jewiss get Team Parker's Bathurst Porsche",
                  "Team Parker Racing's No. 22 Porsche will have Ben Tuck, Ryan Ratcliffe and "
                  "Kiern Jewiss.", "IGTC")
    assert {d for d, kind, _, _ in ahead if kind == "join"} == {
        "Ben Tuck", "Ryan Ratcliffe", "Kiern Jewiss"}


def test_the_make_after_a_car_number_is_the_car_when_the_entrant_is_named() -> None:
    found = moves("Sprint Cup line-ups",
                  "Rutronik Racing's title winners Dennis Marschall and Alessio Rovera will "
                  "again drive the No. 96 Porsche next season.", "GTWC")
    assert {(d, kind, team) for d, kind, team, _ in found} == {
        ("Dennis Marschall", "extend", "Rutronik Racing"),
        ("Alessio Rovera", "extend", "Rutronik Racing")}


def test_a_past_aside_closed_by_a_comma_is_not_the_moves_background() -> None:
    found = moves("Rokit Venturi reshuffle",
                  "Lucas Auer, who tested for Venturi Racing before, will take over the No. 48 "
                  "for the last four rounds.", "Formula E")
    assert ("Lucas Auer", "join", "Venturi Racing") in {(d, k, t) for d, k, t, _ in found}


def test_a_participle_after_the_object_belongs_to_the_epithet_subject() -> None:
    found = moves("Hyundai promotes its reserve",
                  "Hyundai has promoted reserve driver Nicky Catsburg to a race seat. The "
                  "Dutchman joins Gabriele Tarquini and Norbert Michelisz in the sister car, "
                  "taking over from Augusto Farfus.", "WTCR")
    drivers = {d for d, _, _, _ in found}
    assert "Nicky Catsburg" in drivers
    assert not {"Gabriele Tarquini", "Norbert Michelisz"} & drivers


def test_any_demonym_opening_a_sentence_is_the_driver_named_before() -> None:
    found = moves("Zengő Motorsport line-up",
                  "Zengő Motorsport has signed Norbert Michelisz for next season. The Hungarian "
                  "joins Gabriele Tarquini and Nicky Catsburg in the team, taking over from "
                  "Augusto Farfus.", "WTCR")
    assert {d for d, _, _, _ in found} == {"Norbert Michelisz"}


def test_a_team_that_is_the_subject_of_a_later_verb_belongs_to_that_clause() -> None:
    found = moves("Porsche names its Daytona crews",
                  "Kévin Estre partners Laurens Vanthoor in the No. 6, and Proton Competition "
                  "enters a third car for Neel Jani.", "IMSA")
    assert ("Kévin Estre", "Proton Competition") not in {(d, t) for d, _, t, _ in found}


def test_a_second_verb_after_the_objects_relative_aside_is_the_subjects() -> None:
    found = moves("Bearman to replace Magnussen at Haas",
                  "Oliver Bearman will drive for Haas next season. The Briton replaces Kevin "
                  "Magnussen, who agreed with Haas to leave at the end of the year, and will "
                  "line up alongside Esteban Ocon.", "F1")
    assert "Kevin Magnussen" not in {d for d, kind, _, _ in found if kind == "join"}
    assert ("Oliver Bearman", "join", "Haas") in {(d, k, t) for d, k, t, _ in found}


def test_a_stay_in_the_sister_car_beside_another_stay_is_a_stay_too() -> None:
    found = moves("Penske keeps its crews",
                  "Josef Newgarden stays put in Penske's No. 2, and Scott McLaughlin is back in "
                  "the sister car.", "IndyCar")
    assert {(d, k) for d, k, _, _ in found} == {("Josef Newgarden", "extend"),
                                                 ("Scott McLaughlin", "extend")}
    # (the sister car is not the number named for the other stay)
    assert {(d, car) for d, _, _, car in found} == {("Josef Newgarden", "2"),
                                                    ("Scott McLaughlin", None)}


def test_a_debut_in_a_teams_car_is_a_seat_even_with_her_before_it() -> None:
    found = moves("Legge at Sebring",
                  "IndyCar veteran Simona de Silvestro makes her Sebring debut in Heart of "
                  "Racing's No. 27 Aston Martin.", "IMSA")
    assert ("Simona de Silvestro", "join", "Heart of Racing Team", "27") in found


def test_a_seat_at_a_team_that_goes_to_a_driver_is_a_join() -> None:
    found = moves("Sauber fills its seat",
                  "Zhou Guanyu's seat at Sauber will go to Gabriel Bortoleto next season.", "F1")
    assert ("Gabriel Bortoleto", "join", "Sauber") in {(d, k, t) for d, k, t, _ in found}


@pytest.mark.parametrize("sentence", [
    "Trident has confirmed Tymon Kowalczyk will race for the team in 2025.",
    "Tymon Kowalczyk will race for Trident in 2025.",
])
def test_a_name_no_list_knows_before_will_race_is_a_driver(sentence: str) -> None:
    found = moves("Trident completes its line-up", sentence, "F3")
    assert ("Tymon Kowalczyk", "join", "Trident") in {(d, k, t) for d, k, t, _ in found}


def test_an_aside_about_the_first_driver_does_not_break_the_crew_after_it() -> None:
    found = moves("Kessel fills its GT3 seats",
                  "Kessel Racing will run a Ferrari 296 GT3 for Daniel Serra, who won his class "
                  "at Le Mans in 2021, alongside David Fumanelli and Takeshi Kimura.", "WEC")
    assert {(d, k) for d, k, _, _ in found} == {
        ("Daniel Serra", "join"), ("David Fumanelli", "join"), ("Takeshi Kimura", "join")}


def test_who_a_driver_joins_is_the_coordinated_names_not_every_name_after() -> None:
    found = extract(Article(
        entry_id="c", title="Lindh joins the new Carrow squad", published=DATE, series="NASCAR Cup",
        summary="Owen Lindh will drive the No. 8 Chevrolet for Carrow Motorsports next year. He "
                "joins Mia Torres, who stays in the No. 9, in the new team founded by Harold "
                "Benning and Dean Whitby."))
    placed = {entry.driver for entry in found.lineup}
    assert {"Owen Lindh", "Mia Torres"} <= placed
    assert not {"Harold Benning", "Dean Whitby"} & placed


@pytest.mark.parametrize("sentence", [
    "Canadian Roberto Lacorte makes his LMP2 debut this season with Cetilar Racing.",
    "Roberto Lacorte will make his GT3 debut with Cetilar Racing at the opening round.",
])
def test_a_debut_in_a_class_is_a_seat(sentence: str) -> None:
    found = moves("Cetilar announces its crew", sentence, "ELMS")
    assert {(d, k, t) for d, k, t, _ in found} == {("Roberto Lacorte", "join", "Cetilar Racing")}


def test_an_owner_who_races_is_a_driver_and_one_who_speaks_is_not() -> None:
    racing = moves("Brenner Motorsport completes its crews",
                   "Team owner Karl Brenner will race the second car in the Silver Cup "
                   "alongside Lukas Weber.", "GTWC")
    assert ("Karl Brenner", "join", "Brenner Motorsport", None) in racing
    speaking = moves("Brenner Motorsport completes its crews",
                     "Team owner Karl Brenner said Lukas Weber will race the second Porsche.",
                     "GTWC")
    assert {d for d, _, _, _ in speaking} == {"Lukas Weber"}


def test_a_team_named_as_an_engine_or_backer_is_not_the_destination() -> None:
    found = moves("Kiro Race Co signs Tanaka",
                  "Kiro Race Co has signed Hiro Tanaka for next season. The Japanese driver will "
                  "partner Lena Vogt at the Jaguar-powered team.", "Formula E")
    assert {(d, k, t) for d, k, t, _ in found} == {("Hiro Tanaka", "join", "Kiro Race Co")}


def test_a_clause_that_drops_its_verb_shares_the_verb_before_it() -> None:
    found = moves("Walkenhorst names its Bathurst drivers",
                  "Jordan Pepper is named in the No. 34 Walkenhorst Motorsport BMW, and Niklas "
                  "Krütten in its No. 35; their co-drivers follow later.", "Bathurst 12 Hour")
    assert {(d, k, c) for d, k, _, c in found} == {
        ("Jordan Pepper", "join", "34"), ("Niklas Krütten", "join", "35")}


def test_that_car_is_the_car_named_before_with_its_team() -> None:
    found = moves("Honda trims its GT500 line-up",
                  "Honda will run four cars next year, and the No. 100 RAYBRIG entry is the "
                  "one that stays unchanged. That car keeps Naoki Yamamoto and Tadasuke Makino.",
                  "Super GT")
    assert {(d, k, c) for d, k, _, c in found} == {
        ("Naoki Yamamoto", "extend", "100"), ("Tadasuke Makino", "extend", "100")}
    assert {t for _, _, t, _ in found} == {"RAYBRIG"}  # the entry as the article names it


def test_a_title_won_in_a_makes_series_is_the_drivers_not_the_destination() -> None:
    found = moves("Kessel Racing completes its No. 74 crew",
                  "Daniel Serra, confirmed last month for the No. 74, is joined by GT Open "
                  "runner-up Lucas Marin and Swiss Ferrari Challenge champion Marco Pulvirenti.",
                  "WEC")
    assert {(d, k, t) for d, k, t, _ in found} == {
        ("Lucas Marin", "join", "Kessel Racing"), ("Marco Pulvirenti", "join", "Kessel Racing")}


def test_an_epithet_subject_of_a_later_clause_is_the_sentences_first_person() -> None:
    found = moves("Ilott keeps his IndyCar seat",
                  "Callum Ilott will stay with Juncos Hollinger Racing next year, and the Briton "
                  "has signed for Hertz Team Jota for the endurance races.", None)
    assert ("Callum Ilott", "join", "Hertz Team Jota", None) in found


def test_the_owner_of_a_decision_is_who_acts() -> None:
    found = moves("Valdez steps up at Gresini",
                  "Enea Bastianini had agreed to stay with Gresini Racing before Andrea "
                  "Dovizioso's sudden decision to call time on his career.", "MotoGP")
    assert {d for d, k, _, _ in found if k == "retire"} == {"Andrea Dovizioso"}


def test_a_riders_team_written_as_his_title_is_the_team_he_leaves() -> None:
    found = moves("Crutchlow to call time",
                  "LCR Honda rider Cal Crutchlow will retire at the end of the season.", "MotoGP")
    assert {(d, k) for d, k, _, _ in found} == {("Cal Crutchlow", "retire")}
    assert all(t and "LCR" in t for _, _, t, _ in found)


def test_a_rider_who_will_ride_a_bike_for_a_team_joins_it() -> None:
    found = moves("Vierge lands a WorldSBK ride",
                  "Xavi Vierge will ride a Honda CBR1000RR-R for Petronas MIE Racing in 2024.",
                  "WorldSBK")
    assert {(d, k) for d, k, _, _ in found} == {("Xavi Vierge", "join")}
    assert all(t and "MIE" in t for _, _, t, _ in found)


def test_leaving_a_championship_is_leaving_the_team_raced_for_there() -> None:
    found = moves("Tänak to quit rallying for circuit racing",
                  "Ott Tänak will leave the World Rally Championship at the end of the season "
                  "to race touring cars. Hyundai Motorsport will name his successor in "
                  "November.", "WRC")
    assert {(d, k, t) for d, k, t, _ in found} == {("Ott Tänak", "leave", "Hyundai Motorsport")}


def test_respectively_pairs_each_driver_with_his_own_team() -> None:
    found = moves("Grid settles for 2025",
                  "Scott Dixon and Alex Palou will stay with Chip Ganassi Racing and Team "
                  "Penske respectively next season.", "IndyCar")
    assert {(d, t) for d, _, t, _ in found} == {
        ("Scott Dixon", "Chip Ganassi Racing"), ("Alex Palou", "Team Penske")}


def test_a_headline_team_back_with_its_drivers_keeps_them_and_its_short_name_is_known() -> None:
    found = moves("Lazarus back with Kimura and Neri for the Sprint Cup",
                  "Silver Cup runners-up Lazarus Corse return to the GT World Challenge Europe "
                  "with Takeshi Kimura and Fabrizio Neri.", "GTWC")
    assert {(d, k, t) for d, k, t, _ in found} == {
        ("Takeshi Kimura", "extend", "Lazarus Corse"), ("Fabrizio Neri", "extend", "Lazarus Corse")}


def test_the_drivers_of_a_car_shown_at_its_launch_are_not_news() -> None:
    assert not moves("Sauber shows its colours",
                     "Sauber has revealed the livery of its new C45, which Nico Hülkenberg and "
                     "Gabriel Bortoleto will race this season.", "F1")
    # The same verb, with no car being shown, places them.
    assert {d for d, _, _, _ in moves(
        "Sauber settles its line-up",
        "Nico Hülkenberg and Gabriel Bortoleto will race for Sauber next season.", "F1")} == {
        "Nico Hülkenberg", "Gabriel Bortoleto"}


@pytest.mark.parametrize(("title", "sentence"), [
    ("Marquez injury update", "Marc Márquez will miss the next round after breaking his left "
                              "hand in a crash in practice."),
    ("Penske's pairing", "The team currently fields Scott McLaughlin and Will Power in its No. 3 "
                         "and No. 12 cars."),
])
def test_a_side_or_the_way_things_are_now_is_no_move(title: str, sentence: str) -> None:
    assert not moves(title, sentence, "IndyCar")


def test_a_relative_clause_ending_the_sentence_is_an_aside() -> None:
    found = moves("Andretti signs Ericsson",
                  "Andretti Global has retained Kyle Kirkwood and signed Marcus Ericsson from "
                  "Ganassi to replace Romain Grosjean, who is concentrating on his Lamborghini "
                  "hypercar programme.", "IndyCar")
    assert not {t for _, _, t, _ in found if t and "Lamborghini" in t}


def test_what_had_been_signed_before_the_story_is_history() -> None:
    found = moves("Bottas returns to Mercedes as reserve",
                  "Valtteri Bottas will be Mercedes' reserve driver in 2025. The Finn raced for "
                  "Sauber from 2022 to 2024 and had signed to drive a Cadillac in IMSA this year.",
                  "F1")
    assert not {t for _, _, t, _ in found if t and "Cadillac" in t}


def test_a_participle_after_the_comma_has_the_clauses_subject() -> None:
    found = moves("Rasmussen joins Ed Carpenter Racing",
                  "Christian Rasmussen will join Ed Carpenter Racing next season. The Dane will "
                  "drive the No. 20 Chevrolet that Alexander Rossi currently races, completing a "
                  "line-up with Santino Ferrucci.", "IndyCar")
    assert {d for d, _, _, _ in found} == {"Christian Rasmussen"}


def test_an_earlier_arrival_told_later_in_the_past_is_where_he_comes_from() -> None:
    found = moves("Mir lands at LCR",
                  "Joan Mir will ride for LCR Honda next season. The Spaniard joined Gresini "
                  "Racing this year after Suzuki's withdrawal and has scored two podiums.",
                  "MotoGP")
    assert {(d, k, t) for d, k, t, _ in found} == {("Joan Mir", "join", "LCR Honda")}


def test_a_driver_driving_a_teams_car_and_one_not_returning() -> None:
    found = moves("Kenseth to open the season with Legacy",
                  "Matt Kenseth will start his season in the Daytona 500, driving Legacy Motor "
                  "Club's No. 42 Toyota, with Noah Gragson not returning to the team after this "
                  "season.", "NASCAR Cup")
    assert {(d, k, c) for d, k, _, c in found} >= {("Matt Kenseth", "join", "42")}
    assert ("Noah Gragson", "leave") in {(d, k) for d, k, _, _ in found}


def test_returning_to_a_championship_is_returning_to_the_team_raced_for_there() -> None:
    found = moves("Lorenzo to make Barcelona wildcard start for Yamaha",
                  "Jorge Lorenzo will return to MotoGP as a wildcard at the Catalan Grand Prix, "
                  "riding a fourth factory M1.", "MotoGP")
    assert {(d, k) for d, k, _, _ in found} == {("Jorge Lorenzo", "join")}
    assert all(t and "Yamaha" in t for _, _, t, _ in found)


def test_not_returning_to_the_car_named_before_is_leaving_its_team() -> None:
    found = moves("Bell takes over the No. 20",
                  "Christopher Bell will drive Joe Gibbs Racing's No. 20 Toyota next season. "
                  "Erik Jones will not return to the car next year.", "NASCAR Cup")
    assert ("Erik Jones", "leave", "Joe Gibbs Racing", "20") in found


def test_a_later_mention_with_only_the_articles_team_joins_the_named_move() -> None:
    found = moves("Red Bull swaps Hadjar and Tsunoda",
                  "Red Bull Racing has promoted Isack Hadjar to its senior team, with Yuki "
                  "Tsunoda sent back to Racing Bulls. Tsunoda lines up alongside Arvid Lindblad.",
                  "F1")
    assert {(d, t) for d, k, t, _ in found if d == "Yuki Tsunoda"} == {
        ("Yuki Tsunoda", "Racing Bulls")}


def test_the_object_pronoun_of_a_teams_verb_is_the_person_named_before() -> None:
    found = moves("Hyundai reshuffles",
                  "Ott Tänak will not contest next season's championship. Hyundai Motorsport has "
                  "released him from the final year of his contract.", "WRC")
    assert ("Ott Tänak", "leave", "Hyundai Motorsport") in {(d, k, t) for d, k, t, _ in found}


def test_a_stay_told_as_a_noun_is_a_spell_not_a_retention() -> None:
    found = moves("Brown to leave Erebus",
                  "Will Brown will leave Erebus Motorsport at the end of the season. His exit "
                  "ends a two-season stay with Erebus Motorsport, the team having signed him for "
                  "2022.", "Supercars")
    assert not {(d, k) for d, k, _, _ in found if k == "extend"}


def test_a_retention_before_a_colon_is_not_the_newcomers() -> None:
    found = moves("Inception returns",
                  "Inception Racing returns with two of its drivers unchanged: Brendan Iribe and "
                  "Ollie Millroy are joined by newcomer Frederik Schandorff.", "ELMS")
    assert ("Frederik Schandorff", "join") in {(d, k) for d, k, _, _ in found}


def test_a_step_into_a_new_championship_with_the_same_team_is_a_join() -> None:
    found = moves("Acosta steps up with Tech3",
                  "Pedro Acosta will step up to MotoGP next year with Tech3, staying with Tech3 "
                  "after two seasons in its Moto2 team.", "MotoGP")
    assert {d for d, _, _, _ in found} == {"Pedro Acosta"}
    assert {k for _, k, _, _ in found} <= {"join", "promote"}  # an arrival, not a stay


def test_a_bike_ridden_for_a_team_is_not_the_team() -> None:
    found = moves("Rabat finds a home",
                  "Tito Rabat will ride a Kawasaki for Puccetti Racing next season.", "WorldSBK")
    assert {(d, k) for d, k, _, _ in found} == {("Tito Rabat", "join")}
    assert all("Puccetti" in (t or "") for _, _, t, _ in found)


def test_a_car_driven_by_someone_is_whose_car_it_has_been() -> None:
    found = moves("Feeney steps up at Triple Eight",
                  "Broc Feeney will join the main game in 2022, taking over the Red Bull Ampol "
                  "Commodore driven by seven-time champion Jamie Whincup.", "Supercars")
    assert "Jamie Whincup" not in {d for d, k, _, _ in found if k == "join"}


@pytest.mark.parametrize(("title", "sentence"), [
    ("Ferrari's new junior",
     "Ferrari has signed 16-year-old Tuukka Taponen to its driver academy."),
    ("Sargeant out in Q1",
     "Logan Sargeant crashed out of qualifying, leaving Williams with a heavy repair job."),
])
def test_an_academy_place_or_a_crash_that_leaves_a_team_short_is_no_move(
        title: str, sentence: str) -> None:
    assert not moves(title, sentence, "F1")


@pytest.mark.parametrize(("title", "sentence"), [
    ("Wolff on Antonelli",
     "Toto Wolff said Kimi Antonelli is ready to join Mercedes whenever the team needs him."),
    ("RB media day", "Yuki Tsunoda joined Daniel Ricciardo at the RB media day in Milan."),
    ("Livery vote",
     "Williams fans will choose the livery Alex Albon and Logan Sargeant race in Austin."),
])
def test_readiness_an_event_or_a_teams_fans_choosing_is_no_move(title: str, sentence: str) -> None:
    found = extract(Article(entry_id="c", title=title, summary=sentence, series="F1",
                            published=DATE)).moves
    assert not [m for m in found if m.status is Status.CONFIRMED]


@pytest.mark.parametrize(("title", "sentence"), [
    ("Bearman's test day", "Oliver Bearman will drive for Haas in the post-season rookie test in "
                           "Abu Dhabi."),
    ("Perez talks", "Red Bull Racing is in discussions with Sergio Perez over a new contract."),
    ("Antonelli close", "Kimi Antonelli is close to being confirmed at Mercedes for 2025."),
])
def test_an_outing_or_talks_are_no_move(title: str, sentence: str) -> None:
    found = extract(Article(entry_id="c", title=title, summary=sentence, series="F1",
                            published=DATE)).moves
    assert not [m for m in found if m.status is Status.CONFIRMED]


@pytest.mark.parametrize(("title", "sentence"), [
    ("Hendrick's new spotter",
     "Hendrick Motorsports has hired former driver Brett Griffin as Chase Elliott's spotter."),
    ("Hakkinen back in the MP4/13",
     "Two-time champion Mika Hakkinen will drive a demo lap at Goodwood in a McLaren MP4/13."),
    ("A guest at Red Bull",
     "NFL star Travis Kelce joined the Red Bull team for the weekend as a guest."),
])
def test_a_spotter_a_demo_lap_or_a_guest_is_no_move(title: str, sentence: str) -> None:
    assert not moves(title, sentence)


def test_the_team_of_the_seat_named_after_the_driver_is_the_destination() -> None:
    found = moves("Bearman gets his chance",
                  "Ferrari has promoted reserve driver Oliver Bearman to a race seat with Haas.",
                  "F1")
    assert {(d, t) for d, _, t, _ in found} == {("Oliver Bearman", "Haas")}


@pytest.mark.parametrize(("title", "sentence"), [
    ("Bearman's first race",
     "Oliver Bearman made his debut with Ferrari in Jeddah and finished seventh."),
    ("Bagnaia at the ranch",
     "Pecco Bagnaia joined the VR46 academy riders at the ranch for a training session."),
])
def test_a_debut_race_reported_or_a_training_session_is_no_move(title: str, sentence: str) -> None:
    assert not moves(title, sentence)


def test_a_debut_to_come_is_a_seat_whatever_the_sentence_tells_of_a_crash() -> None:
    found = moves("Lawson called up",
                  "Liam Lawson will make his Formula 1 debut for AlphaTauri in Zandvoort after "
                  "Daniel Ricciardo broke his hand in a crash.", "F1")
    assert ("Liam Lawson", "AlphaTauri") in {(d, t) for d, _, t, _ in found}


def test_a_name_after_a_comma_and_that_has_its_own_verb_leaves_the_list() -> None:
    found = moves("Bathurst entry",
                  "Brad Jones Racing's Am-class Audi lists Brad Jones alongside Jordan Boys and "
                  "Tim Slade, and 2011 winner Craig Lowndes drives for Triple Eight Race "
                  "Engineering.", "Bathurst 12 Hour")
    assert "Craig Lowndes" not in {d for d, _, _, _ in found}


@pytest.mark.parametrize("verb", ["steps in", "took the seat", "moves up"])
def test_a_name_after_comma_and_with_any_finite_verb_of_its_own_leaves_the_list(
        verb: str) -> None:
    found = moves("Haas releases Magnussen",
                  f"Haas has released Kevin Magnussen, and Oliver Bearman {verb} for the final "
                  "three rounds.", "F1")
    assert ("Kevin Magnussen", "leave", "Haas") in {(d, k, t) for d, k, t, _ in found}
    assert ("Oliver Bearman", "leave") not in {(d, k) for d, k, _, _ in found}


def test_who_retires_from_the_seat_a_newcomer_takes_leaves_that_seats_team() -> None:
    found = moves("Albon leaves Red Bull for a Williams seat",
                  "Alex Albon leaves Red Bull and will drive for Williams next season. Albon "
                  "takes the place of Robert Kubica, who retires at the end of this year.", "F1")
    assert ("Robert Kubica", "retire", "Williams") in {(d, k, t) for d, k, t, _ in found}


@pytest.mark.parametrize(("title", "sentence"), [
    ("Piastri looks back",
     "Oscar Piastri said joining McLaren was the best decision of his career."),
    ("Meet the new signing",
     "Fans queued for hours to meet new signing Carlos Sainz at the Williams fan zone."),
    ("Martin's title party",
     "Jorge Martin joined the Pramac team for a title celebration in Madrid."),
])
def test_a_move_talked_of_as_a_thing_or_met_at_a_fan_zone_is_no_move(
        title: str, sentence: str) -> None:
    assert not moves(title, sentence, "F1")


def test_a_move_told_as_years_ago_is_history_but_one_to_come_is_news() -> None:
    assert not moves("Alonso's Renault anniversary",
                     "Twenty years ago this week, Fernando Alonso signed for Renault.", "F1")
    found = moves("Hulkenberg's next step",
                  "Nico Hulkenberg, who left Renault three years ago, will join Sauber next "
                  "season.", "F1")
    assert ("Nico Hulkenberg", "join", "Sauber") in {(d, k, t) for d, k, t, _ in found}


def test_the_entrant_of_a_car_named_by_its_make_is_the_team() -> None:
    found = moves("Heart of Racing sets its WEC crew",
                  "Heart of Racing's No. 27 Aston Martin will be driven by Daniel Mancinelli and "
                  "Alex Riberas in 2024.", "WEC")
    assert {(d, c) for d, _, _, c in found} == {("Daniel Mancinelli", "27"), ("Alex Riberas", "27")}
    assert all(t and t.startswith("Heart of Racing") for _, _, t, _ in found)


def test_a_move_told_in_the_past_in_a_long_ago_year_is_history() -> None:
    assert not moves("Hamilton and Alonso, 2007",
                     "In 2007 Lewis Hamilton joined McLaren alongside Fernando Alonso, and the "
                     "pair fell out within months.", "F1")


def test_continuing_to_race_for_a_team_is_a_stay() -> None:
    found = moves("Alpine keeps its pair",
                  "Alpine said Pierre Gasly and Esteban Ocon will continue to race for the team "
                  "next season.", "F1")
    assert {(d, k) for d, k, _, _ in found} == {
        ("Pierre Gasly", "extend"), ("Esteban Ocon", "extend")}


def test_an_aside_about_the_first_driver_does_not_break_a_crew_list() -> None:
    found = moves("Paul Miller Racing sets its GTD Pro line-up",
                  "Bryan Sellers, in his first full season in the class, and Madison Snow will "
                  "share the No. 1 BMW.", "IMSA")
    assert {"Bryan Sellers", "Madison Snow"} <= {driver for driver, *_ in found}


def test_a_crew_listed_under_a_headline_about_other_drivers_is_the_field_not_news() -> None:
    found = moves("Le Mans entry: Button and Vergne lead a record Hypercar field",
                  "Jenson Button joins Hertz Team Jota for the race. Cool Racing: Malthe "
                  "Jakobsen, Reshad de Gerus and Ritomo Miyata in the No. 37 Oreca.", "WEC")
    assert not {"Malthe Jakobsen", "Reshad de Gerus", "Ritomo Miyata"} & {
        driver for driver, *_ in found}


def test_a_crew_listed_under_a_headline_naming_it_is_news() -> None:
    found = moves("Jakobsen, de Gerus and Miyata form Cool Racing's Le Mans crew",
                  "Cool Racing: Malthe Jakobsen, Reshad de Gerus and Ritomo Miyata in the "
                  "No. 37 Oreca.", "WEC")
    assert {"Malthe Jakobsen", "Reshad de Gerus", "Ritomo Miyata"} <= {
        driver for driver, *_ in found}


def test_the_drivers_after_joined_in_a_car_named_with_its_make_are_the_movers() -> None:
    # (A headline about other drivers: the verb, not a crew list, must name them.)
    found = moves("Le Mans entry: Button and Vergne lead a record Hypercar field",
                  "Nicolas Lapierre is joined in Cool Racing's No. 37 Porsche by Malthe "
                  "Jakobsen and Ritomo Miyata.", "WEC")
    assert {"Malthe Jakobsen", "Ritomo Miyata"} <= {driver for driver, *_ in found}


def test_co_drivers_after_share_the_car_with_are_a_line_up_unless_the_headline_names_them() -> None:
    summary = ("Earl Bamber will race the No. 2 Cadillac at Le Mans, sharing the car with Alex "
               "Lynn and Richard Westbrook.")
    article = Article(entry_id="m", title="Bamber gets Le Mans call", summary=summary,
                      series="WEC", published=DATE)
    extraction = extract(article)
    assert {m.driver for m in extraction.moves} == {"Earl Bamber"}
    assert {"Alex Lynn", "Richard Westbrook"} <= {seat.driver for seat in extraction.lineup}
    named = moves("Bamber and Lynn get Le Mans call", summary, "WEC")
    assert {"Earl Bamber", "Alex Lynn"} <= {driver for driver, *_ in named}


def test_joining_the_trio_named_before_is_a_seat_in_their_car() -> None:
    found = moves("Cadillac completes its Daytona crew",
                  "Sebastien Bourdais, Renger van der Zande and Scott Dixon are retained, and "
                  "Alex Palou joins the trio.", "IMSA")
    assert ("Alex Palou", "join") in {(driver, kind) for driver, kind, *_ in found}


def test_an_epithet_that_parts_ways_after_a_seat_is_taken_is_the_driver_replaced() -> None:
    found = moves("Nato takes Vergne's seat for the finale",
                  "DS Penske has named Norman Nato for the last two races, replacing "
                  "Jean-Eric Vergne. The former champion and the team parted ways after the "
                  "previous round.", "Formula E")
    assert ("Jean-Eric Vergne", "leave") in {(driver, kind) for driver, kind, *_ in found}
    assert ("Norman Nato", "leave") not in {(driver, kind) for driver, kind, *_ in found}


def test_an_unchanged_crew_is_a_stay_even_under_a_headline_about_another_driver() -> None:
    found = moves("Lynn replaces Bamber in Cadillac's No. 2",
                  "Alex Lynn will race the No. 2 for Cadillac next year. The No. 3 crew of "
                  "Sebastien Bourdais, Renger van der Zande and Scott Dixon is unchanged.", "WEC")
    assert {("Sebastien Bourdais", "extend"), ("Scott Dixon", "extend")} <= {
        (driver, kind) for driver, kind, *_ in found}


def test_a_teams_own_crew_in_its_one_off_entry_are_movers() -> None:
    # A one-off entry is a seat for each of its drivers, even when they race for the team
    # elsewhere ("driven by its IMSA crew of A, B and C" at Le Mans).
    found = moves("Penske brings a third car to Le Mans",
                  "Porsche Penske Motorsport will enter a third 963 at Le Mans, the No. 4, "
                  "driven by its IMSA crew of Mathieu Jaminet, Nick Tandy and Dane Cameron.",
                  "WEC")
    assert {"Mathieu Jaminet", "Nick Tandy", "Dane Cameron"} <= {driver for driver, *_ in found}


def test_a_counted_model_is_no_driver() -> None:
    found = moves("Toyota sets its GT500 line-up",
                  "Toyota will field six GR Supras in 2025, and Ritomo Miyata joins TOM'S.",
                  "Super GT")
    assert "GR Supras" not in {driver for driver, *_ in found}


def test_a_surname_after_two_given_names_refers_back_to_the_full_name() -> None:
    found = moves("Andretti confirms da Costa and Montoya",
                  "Andretti Global has signed António Félix da Costa and Juan Pablo Montoya "
                  "for the Indianapolis 500. Montoya last raced there in 2022, and da Costa "
                  "makes his oval debut.", "IndyCar")
    assert {driver for driver, *_ in found} == {"António Félix da Costa", "Juan Pablo Montoya"}


@pytest.mark.parametrize(("sentence", "stays"), [
    ("Will Stevens and Norman Nato, who stay with the team after their Spa win, will be joined "
     "in the No. 12 by Alex Lynn.", {"Will Stevens", "Norman Nato"}),
    ("Will Stevens and Norman Nato, who stays with the team after his Spa win, will be joined "
     "in the No. 12 by Alex Lynn.", {"Norman Nato"}),
])
def test_a_relative_clause_in_the_singular_is_about_the_last_name_of_a_list(
        sentence: str, stays: set[str]) -> None:
    found = moves("Jota sets its line-up", f"Hertz Team Jota has named its drivers. {sentence}",
                  "WEC")
    assert {driver for driver, kind, *_ in found if kind == "extend"} == stays


def test_a_signing_restated_in_a_whose_clause_is_the_move() -> None:
    found = moves("Coyne completes its line-up with Rasmussen",
                  "Christian Rasmussen will drive Dale Coyne Racing's No. 18 next year, joining "
                  "rookie Jacob Abel, whose signing for the No. 51 was announced in October.",
                  "IndyCar")
    assert ("Jacob Abel", "join", "51") in {(d, k, car) for d, k, _, car in found}


def test_after_a_car_and_alone_opens_a_gapped_clause() -> None:
    found = moves("Cadillac keeps its crews",
                  "Action Express Racing keeps an unchanged line-up. Pipo Derani and Jack "
                  "Aitken stay in the No. 31 and Tom Blomqvist and Jordan Taylor in the No. 311.",
                  "IMSA")
    assert {("Tom Blomqvist", "311"), ("Jordan Taylor", "311")} <= {
        (d, car) for d, k, _, car in found if k == "extend"}


def test_an_aside_new_to_the_brand_does_not_break_a_list() -> None:
    found = moves("Porsche completes its crews",
                  "Porsche Penske Motorsport has named its crews. Kevin Estre, new to the "
                  "programme from the GT ranks, and Laurens Vanthoor join the already-confirmed "
                  "Andre Lotterer in the No. 6.", "WEC")
    assert {"Kevin Estre", "Laurens Vanthoor"} <= {driver for driver, *_ in found}


def test_new_recruits_in_a_line_up_are_movers() -> None:
    found = moves("Peugeot names its Hypercar roster",
                  "Peugeot has named its drivers. Paul di Resta joins existing drivers Jean-Eric "
                  "Vergne and Mikkel Jensen, plus new recruits Loic Duval and Nico Mueller.", "WEC")
    assert {"Loic Duval", "Nico Mueller"} <= {driver for driver, *_ in found}
    assert "Mikkel Jensen" not in {driver for driver, *_ in found}


def test_a_crew_taking_a_car_is_a_crew_announced() -> None:
    found = moves("Ferrari names its 499P drivers",
                  "Antonio Fuoco, Miguel Molina and Nicklas Nielsen share the No. 50, while "
                  "Alessandro Pier Guidi, James Calado and Antonio Giovinazzi take the No. 51.",
                  "WEC")
    assert {("James Calado", "51"), ("Antonio Giovinazzi", "51")} <= {
        (driver, car) for driver, _, _, car in found}


def test_a_descriptive_participle_before_a_name_keeps_a_list_whole() -> None:
    found = moves("Two new faces for United",
                  "Ben Hanley, who raced in IndyCar until last year, and reigning Le Mans Cup "
                  "champion Nico Pino will join Paul di Resta in United Autosports' Oreca.",
                  "ELMS")
    assert {"Ben Hanley", "Nico Pino"} <= {driver for driver, *_ in found}


def test_stepping_back_from_full_time_racing_is_a_retirement() -> None:
    found = moves("Kaulig gives Allmendinger the No. 16 again",
                  "AJ Allmendinger will drive Kaulig Racing's No. 16 next season, taking over "
                  "from Justin Haley, who is stepping back from full-time racing at the end of "
                  "the year.", "NASCAR Cup")
    assert ("Justin Haley", "retire") in {(driver, kind) for driver, kind, *_ in found}


@pytest.mark.parametrize(("summary", "movers"), [
    ("Haas has chosen experience for next season, signing Esteban Ocon and Oliver Bearman.",
     {"Esteban Ocon", "Oliver Bearman"}),
    ("Within a year Mercedes had bought the team, bringing in Michael Schumacher.", set()),
])
def test_a_teams_participle_after_a_comma_has_the_tense_of_its_clause(
        summary: str, movers: set[str]) -> None:
    found = moves("A look at the grid", summary, "F1")
    assert {driver for driver, *_ in found} == movers


def test_a_driving_phrase_after_the_clause_names_its_team() -> None:
    found = moves("Vesti heads to the DTM",
                  "Frederik Vesti will race in the DTM this year, driving a Ferrari 296 GT3 for "
                  "Emil Frey Racing.", "DTM")
    assert {(driver, team) for driver, _, team, _ in found} == {
        ("Frederik Vesti", "Emil Frey Racing")}


def test_whom_a_team_principal_speaks_of_is_still_a_driver() -> None:
    found = moves("Mahindra brings Buemi back",
                  "Sebastien Buemi is returning to Formula E with Mahindra Racing for the new "
                  "season. The team principal said Buemi brought calm.", "Formula E")
    assert ("Sebastien Buemi", "join") in {(driver, kind) for driver, kind, *_ in found}


def test_a_driver_replaced_by_another_in_the_passive_is_the_others_arrival() -> None:
    found = moves("RNF news",
                  "WithU Yamaha RNF confirmed that Darryn Binder will be replaced by Cal "
                  "Crutchlow next season.", "MotoGP")
    assert {(driver, kind) for driver, kind, *_ in found} == {("Cal Crutchlow", "join")}


def test_becoming_a_teams_reserve_driver_is_a_seat_with_that_role() -> None:
    found = extract(Article(entry_id="b", title="Toyota names its reserve",
                            summary="Super Formula champion Sho Tsuboi becomes Toyota's test "
                                    "and reserve driver for next season.", series="WEC",
                            published=DATE)).moves
    assert [(m.driver, m.kind.value, m.role) for m in found] == [("Sho Tsuboi", "join", "reserve")]
    assert moves("Toyota reshuffles", "Kamui Kobayashi becomes Toyota's team principal.",
                 "WEC") == set()


@pytest.mark.parametrize("sentence", [
    "Trackhouse regulars Ross Chastain and Daniel Suarez drive the team's No. 1 and No. 99 "
    "this season.",
    "He will line up alongside the team's full-time drivers Pato O'Ward, Christian Lundgaard and "
    "Nolan Siegel, the last of whom joined from Andretti over the winter.",
])
def test_drivers_a_team_already_has_are_no_movers(sentence: str) -> None:
    found = moves("A one-off for the 500", f"Jimmie Johnson will race a third car. {sentence}",
                  "NASCAR Cup")
    assert not {"Ross Chastain", "Daniel Suarez", "Pato O'Ward", "Christian Lundgaard"} & {
        driver for driver, *_ in found}


def test_a_team_verb_whose_object_is_it_names_no_driver_after() -> None:
    found = moves("Cadillac shows its hypercar",
                  "The car has covered test miles in the hands of drivers from Chip Ganassi "
                  "Racing and Action Express Racing, the two teams that will run it, among them "
                  "Sebastien Bourdais and Pipo Derani.", "IMSA")
    assert found == set()


def test_a_co_driver_moving_with_the_driver_moves_too() -> None:
    found = moves("Solberg joins Toyota",
                  "Oliver Solberg will drive for Toyota Gazoo Racing in 2026. His co-driver "
                  "Elliott Edmondson moves with him.", "WRC")
    assert ("Elliott Edmondson", "join") in {(driver, kind) for driver, kind, *_ in found}


@pytest.mark.parametrize("sentence", [
    "She will carry the No. 44 and join RLL's full-time trio of Graham Rahal, Christian "
    "Lundgaard and Jack Harvey for the month.",
    "She will line up alongside the team's full-time drivers Graham Rahal, Christian Lundgaard "
    "and Jack Harvey.",
])
def test_a_teams_full_time_crew_is_the_crew_it_has(sentence: str) -> None:
    found = moves("Legge back at the Brickyard with Rahal Letterman Lanigan",
                  f"Katherine Legge will race a fourth RLL car at the Indianapolis 500. {sentence}",
                  "IndyCar")
    assert not {"Graham Rahal", "Christian Lundgaard", "Jack Harvey"} & {
        driver for driver, *_ in found}


def test_the_car_in_the_moves_own_sentence_outranks_a_car_driven_before() -> None:
    found = moves("Trackhouse moves Zilisch up to Cup",
                  "Trackhouse Racing will promote Connor Zilisch to the Cup Series next year, "
                  "where he will drive the No. 88 Chevrolet. He has spent this season in the "
                  "No. 1 Xfinity car.", "NASCAR Cup")
    assert {(d, car) for d, _, _, car in found} == {("Connor Zilisch", "88")}


@pytest.mark.parametrize("rest", ["with immediate effect", "with a race to go",
                                  "with regret on both sides"])
def test_a_driver_and_team_parting_keep_their_exit_when_no_name_follows_with(rest: str) -> None:
    found = moves("Aston Martin news",
                  f"Lance Stroll and Aston Martin have parted company {rest}.", "F1")
    assert ("Lance Stroll", "leave", "Aston Martin") in {(d, k, t) for d, k, t, _ in found}


@pytest.mark.parametrize("verb", ["stepping away from", "stepping aside from"])
def test_stepping_away_from_a_teams_car_is_leaving_the_team_not_racing(verb: str) -> None:
    found = moves("Rahal news",
                  f"Graham Rahal will not race full-time next year, {verb} the Rahal Letterman "
                  "Lanigan Racing No. 15 after a long spell.", "IndyCar")
    assert {(d, k, t, c) for d, k, t, c in found} == {
        ("Graham Rahal", "leave", "Rahal Letterman Lanigan Racing", "15")}


def test_again_in_a_clause_of_its_own_after_the_move_keeps_it_an_arrival() -> None:
    found = moves("Ingram switches to Excelr8",
                  "Tom Ingram will drive for Excelr8 Motorsport next year, with the team hoping "
                  "he can make it a title contender again.", "BTCC")
    assert ("Tom Ingram", "join", "Excelr8 Motorsport") in {(d, k, t) for d, k, t, _ in found}


def test_a_known_driver_whose_relative_clause_names_another_role_still_drives() -> None:
    found = moves("Johnson to attempt the Daytona 500",
                  "Jimmie Johnson will drive the No. 84 Toyota for Legacy Motor Club in the "
                  "Daytona 500. Johnson, who remains a co-owner of the team, last raced there "
                  "in 2023.", "NASCAR Cup")
    assert ("Jimmie Johnson", "join", "Legacy Motor Club") in {
        (d, k, t) for d, k, t, _ in found}



@pytest.mark.parametrize("epithet", ["the Northern Irishman", "the 28-year-old", "the Dane"])
def test_an_epithet_as_the_object_of_a_teams_verb_is_the_driver_named_before(
        epithet: str) -> None:
    found = moves("Breen back in the WRC",
                  "Craig Breen has been without a drive since the summer. Hyundai Motorsport "
                  f"has signed {epithet} to drive its third car next season.", "WRC")
    assert ("Craig Breen", "join", "Hyundai Motorsport") in {(d, k, t) for d, k, t, _ in found}


def test_a_nationality_word_before_a_noun_is_an_adjective_not_the_object() -> None:
    assert not moves("Williams livery launch",
                     "Williams showed its FW47 with Alex Albon and Carlos Sainz, and the car "
                     "keeps the British racing blue of last year.", "F1")


def test_taking_over_the_car_from_a_driver_replaces_him_for_good() -> None:
    found = extract(Article(
        entry_id="c", series="NASCAR Xfinity", published=DATE, title="Kaulig adds Love",
        summary="Kaulig Racing has signed Jesse Love to drive its No. 16 full-time next season. "
                "The teenager, who won at Talladega this spring, takes over the car from AJ "
                "Allmendinger.")).moves
    assert [(m.driver, m.kind.value, m.replaces) for m in found] == [
        ("Jesse Love", "join", "AJ Allmendinger")]


def test_after_and_the_second_verb_shares_the_subject_when_the_name_before_is_an_object() -> None:
    found = moves("Jaguar picks Cassidy to replace Bird alongside Evans",
                  "Jaguar has promoted one of its own to fill the vacancy in its Formula E "
                  "line-up, naming Nick Cassidy as Mitch Evans's team-mate for season 12. He "
                  "takes over the seat left by Sam Bird and will race alongside 2022-23 "
                  "runner-up Evans in the Jaguar TCS Racing team.", "Formula E")
    assert {d for d, k, _, _ in found if k == "join"} == {"Nick Cassidy"}


def test_a_who_clause_after_an_aside_is_about_the_person_closing_the_aside() -> None:
    found = moves("Lowes moves across to the satellite Kawasaki squad",
                  "Alex Lowes will switch to the Puccetti Racing squad next year, where he "
                  "will team up with Tito Rabat, who stays on for a third season.", "WorldSBK")
    assert ("Tito Rabat", "extend") in {(d, k) for d, k, _, _ in found}


def test_a_team_name_may_open_with_a_digit_led_word() -> None:
    found = moves("Veteran finds a Nordschleife ride",
                  "Kenneth Heyer joins 4T Motorsport for the Nürburgring 24 Hours in May.",
                  "Nürburgring 24h")
    assert ("Kenneth Heyer", "join", "4T Motorsport") in {(d, k, t) for d, k, t, _ in found}


def test_arriving_from_a_team_is_a_join_of_the_team_the_text_is_about() -> None:
    found = moves("Dale Coyne completes its line-up",
                  "Dale Coyne Racing has signed Rinus VeeKay for next season. He will race "
                  "alongside Jacob Abel, who arrives from Abel Motorsports in Indy NXT.", "IndyCar")
    assert ("Jacob Abel", "join", "Dale Coyne Racing") in {(d, k, t) for d, k, t, _ in found}


@pytest.mark.parametrize("whence", [
    "Andretti Global", "Akkodis ASP, where he drove a Lexus last year",
    "Ten Kate Racing – Yamaha after two seasons"])
def test_no_team_after_arrives_from_is_where_the_driver_goes(whence: str) -> None:
    found = moves("Coyne completes its line-up",
                  "Dale Coyne Racing has signed Rinus VeeKay for next season. He will race "
                  f"alongside Jacob Abel, who arrives from {whence}.")
    assert {t for d, _, t, _ in found if d == "Jacob Abel"} == {"Dale Coyne Racing"}


@pytest.mark.parametrize("summary", [
    "Romain Dumas will drive the No. 24 at Le Mans, joining the already confirmed Nick Tandy "
    "and Frederic Makowiecki.",
    "Nick Tandy, already signed until 2026, said he was confident in the car's progress.",
])
def test_already_before_a_participle_describes_a_driver_and_moves_nobody(summary: str) -> None:
    assert not {d for d, _, _, _ in moves("Le Mans entry news", summary, "WEC")} & {
        "Nick Tandy", "Frederic Makowiecki"}


def test_a_team_bound_driver_after_from_is_headed_to_that_team() -> None:
    found = moves("Ganassi fills the No. 10",
                  "Chip Ganassi Racing has promoted Kyffin Simpson, who takes over the No. 10 "
                  "next season from the McLaren-bound Alex Palou.", "IndyCar")
    assert ("Alex Palou", "join", "McLaren") in {(d, k, t) for d, k, t, _ in found}


def test_a_capitalised_run_after_a_determiner_is_no_driver() -> None:
    found = moves("Ford confirms new Supercars challenger",
                  "Ford will enter the Supercars Championship next season with the XR Falcon, "
                  "becoming the second manufacturer on the grid alongside Chevrolet.", "Supercars")
    assert not found


def test_a_hedge_of_the_clause_does_not_reach_a_team_bound_adjective() -> None:
    found = extract(Article(
        entry_id="c", series="MotoGP", published=DATE, title="Marquez stays at Ducati",
        summary="Marc Marquez will ride for Ducati next year, a blow to Honda, which had hoped "
                "to lure him back as the replacement for the Aprilia-bound Jorge Martin.")).moves
    assert ("Jorge Martin", "Aprilia Racing", Status.CONFIRMED) in {
        (m.driver, m.team, m.status) for m in found}


def test_bound_for_a_series_names_no_team() -> None:
    found = moves("Brown heads to Triple Eight",
                  "Will Brown will race for Triple Eight Race Engineering next year, taking the "
                  "seat of the IndyCar-bound Scott McLaughlin.", "Supercars")
    assert "Scott McLaughlin" not in {d for d, k, _, _ in found if k == "join"}


def test_leaving_one_team_to_join_another_is_one_transfer() -> None:
    found = extract(Article(
        entry_id="c", series="WorldSBK", published=DATE, title="Rabat swaps Kawasaki for BMW",
        summary="Tito Rabat will leave Kawasaki Puccetti Racing at the end of this season after "
                "two years with the Italian team and join Bonovo Action BMW for 2025.")).moves
    assert [(m.driver, m.kind.value) for m in found] == [("Tito Rabat", "join")]


@pytest.mark.parametrize("exit_sentence", [
    "Michele Pirro, a Ducati test rider since 2013, will leave at the end of the season.",
    "Michele Pirro leaves after a single season.",
    "Michele Pirro will leave when the season ends.",
])
def test_an_exit_with_the_team_unsaid_is_from_the_team_of_the_text(exit_sentence: str) -> None:
    found = moves("Barni picks Petrucci",
                  f"Barni Racing has signed Danilo Petrucci for 2025. {exit_sentence}", "WorldSBK")
    assert ("Michele Pirro", "leave", "Barni Racing") in {(d, k, t) for d, k, t, _ in found}


def test_a_decision_reported_in_the_past_with_would_is_news() -> None:
    found = moves("Haley joins Spire",
                  "Justin Haley will drive the No. 7 for Spire Motorsports next season. He "
                  "replaces Corey LaJoie, who was told last month that he would not be retained.",
                  "NASCAR")
    assert ("Corey LaJoie", "leave", "Spire Motorsports") in {(d, k, t) for d, k, t, _ in found}


@pytest.mark.parametrize("clause", [
    "who signed a new deal last week",
    "who agreed a two-year extension on Tuesday",
    "who renewed with the team earlier this season",
])
def test_a_stay_told_now_in_a_who_clause_is_the_partner_s_extension(clause: str) -> None:
    found = moves("Williams confirms Sainz",
                  "Williams has signed Carlos Sainz for 2025. He will partner Alex Albon, "
                  f"{clause}.", "F1")
    assert ("Alex Albon", "extend", "Williams") in {(d, k, t) for d, k, t, _ in found}


def test_a_stay_told_in_a_who_clause_years_ago_is_history() -> None:
    found = moves("Williams confirms Sainz",
                  "Williams has signed Carlos Sainz for 2025. He will partner Alex Albon, who "
                  "signed a new deal with the team back in 2019.", "F1")
    assert "Alex Albon" not in {d for d, _, _, _ in found}


def test_a_hedge_in_a_clause_closed_by_a_colon_does_not_reach_the_next() -> None:
    found = extract(Article(
        entry_id="c", series="MotoGP", published=DATE, title="Espargaro races on",
        summary="Aleix Espargaro is not ready to stop yet: the veteran will continue with "
                "Aprilia Racing for one more season.")).moves
    assert ("Aleix Espargaro", Status.CONFIRMED) in {(m.driver, m.status) for m in found}


def test_a_headline_report_colon_still_hedges() -> None:
    found = extract(Article(
        entry_id="c", series="F1", published=DATE, title="Rumour: Sainz to Williams",
        summary="")).moves
    assert all(m.status is not Status.CONFIRMED for m in found)


def test_in_place_of_gives_the_clause_subject_the_seat_not_the_nearest_name() -> None:
    found = extract(Article(
        entry_id="c", series="MotoGP", published=DATE, title="Ducati news",
        summary="Ducati Lenovo Team test rider Michele Pirro will race the spare bike at this "
                "weekend's Styrian Grand Prix in place of Francesco Bagnaia, who is recovering "
                "from a broken wrist suffered in a crash at the Misano test on Monday.")).moves
    assert [(m.driver, m.kind.value, m.team, m.replaces) for m in found] == [
        ("Michele Pirro", "replace", "Ducati Lenovo Team", "Francesco Bagnaia")]


@pytest.mark.parametrize(("summary", "subject"), [
    ("Audi Sport has called up Mattia Drudi for the Spa 24 Hours after Ricardo Feller was "
     "drafted into the factory line-up in place of the injured Kelvin van der Linde.",
     "Ricardo Feller"),
    ("Stroll takes the seat of Esteban Ocon, confirmed a day earlier at Alpine as Pierre Gasly's "
     "team-mate in place of Fernando Alonso.", "Esteban Ocon"),
])
def test_in_place_of_inside_a_clause_of_its_own_has_that_clause_s_subject(
        summary: str, subject: str) -> None:
    found = extract(Article(entry_id="c", published=DATE, title="Seat news",
                            summary=summary)).moves
    replaced = {"Ricardo Feller": "Kelvin van der Linde", "Esteban Ocon": "Fernando Alonso"}
    assert [m.driver for m in found if m.replaces == replaced[subject]][-1:] == [subject]


def test_after_all_is_no_background_word() -> None:
    found = moves("Hunter-Reay gets a late Indy 500 call",
                  "Ryan Hunter-Reay will start the Indianapolis 500 after all, replacing the "
                  "injured Santino Ferrucci in Juncos Hollinger Racing's No. 78 Chevrolet.",
                  "IndyCar")
    assert ("Ryan Hunter-Reay", "replace") in {(d, k) for d, k, _, _ in found}


def test_drafted_into_a_car_is_a_seat_in_it() -> None:
    found = moves("Porsche calls on Jaminet",
                  "Porsche Penske Motorsport will be without Kevin Estre at Fuji, so Mathieu "
                  "Jaminet has been drafted into the No. 6.", "WEC")
    assert ("Mathieu Jaminet", "6") in {(d, car) for d, _, _, car in found}


def test_a_team_opting_to_run_a_driver_signs_him() -> None:
    found = moves("Suninen out at M-Sport",
                  "M-Sport Ford has instead opted to run Adrien Fourmaux alongside Gus Greensmith "
                  "in its second car next year.", "WRC")
    assert ("Adrien Fourmaux", "join") in {(d, k) for d, k, _, _ in found}


def test_serving_as_reserve_driver_is_a_reserve_seat_in_the_team_of_the_text() -> None:
    found = extract(Article(
        entry_id="c", series="F1", published=DATE, title="Williams settles its 2025 roster",
        summary="Williams confirmed its driver roster for next season on Friday. Luke Browning, "
                "who tested for the team in Abu Dhabi, will serve as reserve driver.")).moves
    assert ("Luke Browning", "Williams", "reserve") in {(m.driver, m.team, m.role) for m in found}


@pytest.mark.parametrize("clause", [
    "who has since agreed a two-year deal with Kawasaki Racing Team",
    "whose move to Kawasaki Racing Team was confirmed last week",
])
def test_a_deal_told_in_a_relative_clause_is_the_named_driver_s_move(clause: str) -> None:
    found = moves("BMW picks Toprak",
                  "BMW has signed Toprak Razgatlioglu, ending weeks of debate over whether it "
                  f"would choose him or Alex Lowes, {clause}.", "WorldSBK")
    assert ("Alex Lowes", "join", "Kawasaki Racing Team WorldSBK") in {
        (d, k, t) for d, k, t, _ in found}


@pytest.mark.parametrize(("sentence", "series", "driver", "team"), [
    ("Pierre Gasly has secured a seat with Alpine for the next two seasons.", "F1",
     "Pierre Gasly", "Alpine"),
    ("Kyle Kirkwood earned a full-time drive at Andretti Autosport last week.", "IndyCar",
     "Kyle Kirkwood", "Andretti Autosport"),
])
def test_securing_or_earning_a_seat_with_a_team_is_a_seat_there(
        sentence: str, series: str, driver: str, team: str) -> None:
    found = moves("Seat confirmed", sentence, series)
    assert {(d, t) for d, kind, t, _ in found if kind == "join"} == {(driver, team)}


def test_calling_time_on_a_career_named_by_its_series_is_a_retirement() -> None:
    found = moves("Veteran bows out", "Denny Hamlin has called time on his NASCAR career.",
                  "NASCAR")
    assert {(d, kind) for d, kind, _, _ in found} == {("Denny Hamlin", "retire")}


@pytest.mark.parametrize("sentence", [
    "Stoffel Vandoorne's contract with DS Penske will not be renewed.",
    "Stoffel Vandoorne's deal with DS Penske won't be extended beyond this season.",
])
def test_a_drivers_own_contract_not_renewed_is_his_exit(sentence: str) -> None:
    found = moves("Formula E market", sentence, "Formula E")
    assert {(d, kind) for d, kind, _, _ in found} == {("Stoffel Vandoorne", "leave")}


def test_a_move_told_as_the_drivers_possession_is_his_move() -> None:
    found = moves("Market latest", "Oliver Bearman's move to Haas was announced on Sunday.",
                  "F1")
    assert {(d, kind, t) for d, kind, t, _ in found} == {("Oliver Bearman", "join", "Haas")}


@pytest.mark.parametrize("sentence", [
    "Questions linger over Logan Sargeant's future at Williams.",
    "Vowles discussed Sargeant's future at Williams after the race.",
])
def test_a_drivers_future_at_a_team_is_no_stay(sentence: str) -> None:
    assert not moves("Paddock talk", sentence, "F1")


def test_a_background_word_in_the_sentence_before_does_not_reach_the_next_one() -> None:
    found = moves("Pramac update",
                  "Jorge Martin will leave Pramac after Valencia. He will be replaced by Franco "
                  "Morbidelli for the final rounds.", "MotoGP")
    assert "Franco Morbidelli" in {d for d, _, _, _ in found}


@pytest.mark.parametrize("sentence", [
    "Alex Marquez has extended his stay at Gresini until the end of 2026.",
    "Alex Marquez has signed on for another two years at Gresini.",
])
def test_a_stay_told_by_its_length_is_a_retention(sentence: str) -> None:
    found = moves("Gresini news", sentence, "MotoGP")
    assert {(d, kind) for d, kind, _, _ in found} == {("Alex Marquez", "extend")}


@pytest.mark.parametrize("sentence", [
    "Isack Hadjar is Racing Bulls' first signing for next season.",
    "Isack Hadjar will be a Racing Bulls driver next season.",
    "Isack Hadjar gets the nod at Racing Bulls.",
])
def test_a_driver_named_as_a_teams_signing_or_driver_joins_it(sentence: str) -> None:
    found = moves("Racing Bulls news", sentence, "F1")
    assert {(d, kind) for d, kind, _, _ in found} == {("Isack Hadjar", "join")}


def test_a_good_driver_of_a_team_in_reported_speech_is_no_signing() -> None:
    assert not moves("Paddock talk", "Marko said Hadjar would be a good Racing Bulls driver.",
                     "F1")


@pytest.mark.parametrize("sentence", [
    "Nyck de Vries and Mahindra have agreed to go their separate ways.",
    "Mahindra and Nyck de Vries will go their separate ways at the end of the season.",
])
def test_driver_and_team_going_their_separate_ways_is_an_exit(sentence: str) -> None:
    found = moves("Formula E market", sentence, "Formula E")
    assert {(d, kind) for d, kind, _, _ in found} == {("Nyck de Vries", "leave")}


@pytest.mark.parametrize("sentence", [
    "Peugeot has kept its trio of Paul di Resta, Mikkel Jensen and Jean-Eric Vergne.",
    "Peugeot retains its experienced line-up of Paul di Resta, Mikkel Jensen and Jean-Eric "
    "Vergne for next season.",
])
def test_a_crew_kept_as_the_object_of_a_retaining_verb_stays(sentence: str) -> None:
    found = moves("Peugeot settles its crews", sentence, "WEC")
    assert {(d, kind) for d, kind, _, _ in found} == {
        ("Paul di Resta", "extend"), ("Mikkel Jensen", "extend"), ("Jean-Eric Vergne", "extend")}


def test_a_newcomer_joined_to_drivers_who_stay_still_joins() -> None:
    found = moves("Peugeot settles its crews",
                  "Paul di Resta and Mikkel Jensen stay in the No. 94 and are joined by Loic "
                  "Duval.", "WEC")
    assert ("Loic Duval", "join") in {(d, kind) for d, kind, _, _ in found}


def test_an_adverb_phrase_between_auxiliary_and_verb_keeps_the_verb() -> None:
    found = moves("Same pair again", "Pierre Gasly and Jack Doohan will once again drive for "
                  "Alpine next season.", "F1")
    assert {(d, kind) for d, kind, _, _ in found} == {("Pierre Gasly", "extend"),
                                                      ("Jack Doohan", "extend")}


@pytest.mark.parametrize("sentence", [
    "Yuki Tsunoda has been handed a new two-year contract by RB.",
    "Yuki Tsunoda is to remain an RB driver next season.",
    "Yuki Tsunoda's RB contract has been extended until the end of 2025.",
])
def test_a_stay_told_by_the_contract_or_the_seat_kept(sentence: str) -> None:
    found = moves("Tsunoda stays", sentence, "F1")
    assert {(d, kind) for d, kind, _, _ in found} == {("Yuki Tsunoda", "extend")}


def test_remaining_a_makers_driver_elsewhere_is_where_he_is_not_news() -> None:
    found = moves("Calado's new seat",
                  "Jaguar has signed James Calado for Formula E. The Briton remains a Ferrari "
                  "factory driver.", "Formula E")
    assert ("James Calado", "extend") not in {(d, kind) for d, kind, _, _ in found}


@pytest.mark.parametrize(("title", "summary", "series", "expected"), [
    # a three-letter surname
    ("Mir to leave Honda at season's end", "The 2020 champion will race elsewhere next year.",
     "MotoGP", ("Joan Mir", "leave")),
    # a surname that is also an English word, opening the headline with a move verb
    ("Power signs new Penske deal", "The Australian has extended his contract.", "IndyCar",
     ("Will Power", "extend")),
])
def test_a_headline_names_its_driver_by_a_short_or_english_surname(
        title: str, summary: str, series: str, expected: tuple[str, str]) -> None:
    assert expected in {(d, kind) for d, kind, _, _ in moves(title, summary, series)}


def test_an_english_word_opening_a_headline_without_a_move_verb_is_no_driver() -> None:
    found = moves("Power unit rules to change", "Team Penske will run Josef Newgarden next "
                  "year.", "IndyCar")
    assert "Will Power" not in {d for d, _, _, _ in found}


def test_a_participle_phrase_between_subject_and_verb_is_an_aside() -> None:
    found = moves("Ganassi update", "Kyffin Simpson, stepping in for Marcus Armstrong, will race "
                  "for Chip Ganassi Racing at Toronto.", "IndyCar")
    assert "Marcus Armstrong" not in {d for d, _, _, _ in found}
    assert "Kyffin Simpson" in {d for d, _, _, _ in found}


def test_taking_a_seat_at_a_team_is_a_seat_there() -> None:
    found = moves("Third driver named", "Nicklas Nielsen takes the third seat in Ferrari's "
                  "No. 50.", "WEC")
    assert {(d, kind) for d, kind, _, _ in found} == {("Nicklas Nielsen", "join")}


def test_continuing_as_a_teams_driver_is_a_stay() -> None:
    found = moves("Meyer Shank keeps its driver", "Tom Blomqvist will continue as a full-time "
                  "driver for Meyer Shank Racing.", "IMSA")
    assert {(d, kind) for d, kind, _, _ in found} == {("Tom Blomqvist", "extend")}


@pytest.mark.parametrize("sentence", [
    "Andretti and Colton Herta have mutually agreed to end their partnership after 2025.",
    "Colton Herta's time at Andretti will come to an end after this season.",
])
def test_an_end_to_a_drivers_partnership_or_time_with_a_team_is_his_exit(sentence: str) -> None:
    found = moves("Herta news", sentence, "IndyCar")
    assert {(d, kind) for d, kind, _, _ in found} == {("Colton Herta", "leave")}


def test_attempting_a_race_with_a_team_is_a_seat_there() -> None:
    found = moves("Indy 500 entry", "Jimmie Johnson will attempt the Indianapolis 500 with "
                  "Chip Ganassi Racing next year.", "IndyCar")
    assert {(d, kind) for d, kind, _, _ in found} == {("Jimmie Johnson", "join")}


def test_a_car_driven_by_a_crew_in_the_present_is_a_line_up_not_news() -> None:
    found = extract(Article(entry_id="c", title="Entry list", series="WEC", published=DATE,
                            summary="Cetilar's No. 47 is shared by Antonio Fuoco and Roberto "
                                    "Lacorte this season."))
    assert not found.moves
    assert {entry.driver for entry in found.lineup} == {"Antonio Fuoco", "Roberto Lacorte"}


def test_a_team_mate_starting_his_nth_season_is_where_he_is_not_news() -> None:
    found = extract(Article(entry_id="c", title="Haas signs Ocon", series="F1", published=DATE,
                            summary="Esteban Ocon joins Haas, where he partners Oliver Bearman, "
                                    "who starts his second season with the team."))
    assert {(m.driver, m.kind.value) for m in found.moves} == {("Esteban Ocon", "join")}
    assert "Oliver Bearman" in {entry.driver for entry in found.lineup}


def test_a_pairing_starting_its_nth_year_together_stays() -> None:
    found = moves("Porsche unchanged", "Kevin Estre and Laurens Vanthoor start their third year "
                  "together in Porsche Penske Motorsport's No. 6.", "WEC")
    assert {(d, kind) for d, kind, _, _ in found} == {("Kevin Estre", "extend"),
                                                      ("Laurens Vanthoor", "extend")}


def test_a_verb_keeps_its_object_described_by_a_move_word() -> None:
    found = moves("Harvick successor named", "Chase Briscoe succeeds the retiring Kevin Harvick "
                  "in the No. 4 at Stewart-Haas Racing.", "NASCAR")
    assert ("Chase Briscoe", "join") in {(d, kind) for d, kind, _, _ in found}


def test_drivers_alongside_a_signing_in_a_named_car_are_his_team_mates() -> None:
    found = moves("Third driver named", "Ferrari has added Robert Shwartzman alongside Antonio "
                  "Fuoco and Miguel Molina in the No. 50.", "WEC")
    assert {(d, kind) for d, kind, _, _ in found} == {("Robert Shwartzman", "join")}


def test_a_team_completing_its_line_up_by_adding_a_driver_signs_him() -> None:
    found = moves("Line-up complete", "Peugeot has completed its line-up by adding Loic Duval "
                  "for next season.", "WEC")
    assert {(d, kind) for d, kind, _, _ in found} == {("Loic Duval", "join")}


@pytest.mark.parametrize("sentence", [
    "Fernando Alonso confirmed his retirement from Formula 1.",
    "Fernando Alonso has brought the curtain down on his F1 career.",
    "Fernando Alonso said next year will be his final season as a full-time driver.",
])
def test_a_retirement_in_other_words(sentence: str) -> None:
    assert {(d, kind) for d, kind, _, _ in moves("Veteran to stop", sentence, "F1")} == {
        ("Fernando Alonso", "retire")}


@pytest.mark.parametrize("sentence", [
    "Jack Doohan will replace Pierre Gasly at Alpine for the Japanese Grand Prix.",
    "Jack Doohan will drive for Alpine in Suzuka in place of Pierre Gasly.",
])
def test_a_seat_taken_for_a_named_race_is_a_stand_in(sentence: str) -> None:
    found = extract(Article(entry_id="c", title="Alpine change", summary=sentence,
                            series="F1", published=DATE)).moves
    assert [(m.driver, m.kind.value, m.role) for m in found] == [
        ("Jack Doohan", "replace", "part-time")]


def test_racing_until_the_injured_driver_is_fit_again_is_no_stay() -> None:
    found = moves("Lawson called up", "Liam Lawson will race for RB until Daniel Ricciardo is "
                  "fit again.", "F1")
    assert {(d, kind) for d, kind, _, _ in found} == {("Liam Lawson", "join")}


def test_a_reserve_post_to_come_is_a_seat_and_one_held_is_not_news() -> None:
    assert {(d, kind) for d, kind, _, _ in moves(
        "Reserve named", "Frederik Vesti will be Mercedes' reserve driver next year.", "F1")} == {
        ("Frederik Vesti", "join")}
    assert not moves("Reserve speaks", "Frederik Vesti is Mercedes' reserve driver and tested "
                     "at Silverstone.", "F1")


@pytest.mark.parametrize("sentence", [
    "Nico Hulkenberg swaps Haas for Sauber next season.",
    "Nico Hulkenberg will switch from Haas to Sauber next season.",
    "Nico Hulkenberg makes the switch from Haas to Sauber next season.",
    "Sauber has lured Nico Hulkenberg from Haas.",
])
def test_a_switch_from_one_team_to_another_is_a_transfer(sentence: str) -> None:
    found = extract(Article(entry_id="c", title="Market", summary=sentence, series="F1",
                            published=DATE)).moves
    assert [(m.driver, m.kind.value, m.team, m.from_team) for m in found] == [
        ("Nico Hulkenberg", "join", "Sauber", "Haas")]


def test_a_switch_told_without_its_destination_team_is_no_exit() -> None:
    assert not moves("Class change", "Matt Campbell moves from IMSA to the WEC next season.",
                     "WEC")


@pytest.mark.parametrize(("title", "expected"), [
    ("Leclerc, Hamilton to stay at Ferrari", {("Charles Leclerc", "extend"),
                                            ("Lewis Hamilton", "extend")}),
    ("Ferrari confirms Leclerc, Hamilton for 2026", {("Charles Leclerc", "join"),
                                                   ("Lewis Hamilton", "join")}),
    ("Ferrari drops Leclerc, Hamilton in from Austin", {("Charles Leclerc", "leave")}),
])
def test_a_headlines_comma_list_of_surnames(title: str, expected: set[tuple[str, str]]) -> None:
    found = {(d, kind) for d, kind, _, _ in moves(title, "", "F1")}
    assert expected <= found
    if len(expected) == 1:
        assert ("Lewis Hamilton", "leave") not in found


@pytest.mark.parametrize(("title", "expected"), [
    ("Bottas, Sauber agree multi-year deal", ("Valtteri Bottas", "join")),
    ("Stroll retained by Aston Martin", ("Lance Stroll", "extend")),
])
def test_headline_shapes_of_a_signing(title: str, expected: tuple[str, str]) -> None:
    assert expected in {(d, kind) for d, kind, _, _ in moves(title, "", "F1")}


def test_an_arrival_while_another_driver_recovers_is_a_stand_in() -> None:
    found = extract(Article(entry_id="c", title="Stand-in named", series="NASCAR",
                            published=DATE, summary="John Hunter Nemechek will drive Legacy "
                            "Motor Club's No. 43 this weekend while Erik Jones recovers.")).moves
    assert [(m.driver, m.kind.value) for m in found] == [("John Hunter Nemechek", "replace")]


@pytest.mark.parametrize("title", [
    "Gasly tied down by Alpine until 2026",
    "Gasly locked in at Alpine",
    "Gasly's Alpine future secured",
])
def test_a_stay_told_as_a_driver_tied_down_or_secured(title: str) -> None:
    assert {(d, kind) for d, kind, _, _ in moves(title, "", "F1")} == {("Pierre Gasly", "extend")}


def test_a_new_agreement_with_the_team_is_a_stay() -> None:
    found = moves("Bagnaia stays", "Francesco Bagnaia has signed a new two-year agreement with "
                  "the Ducati Lenovo Team.", "MotoGP")
    assert {(d, kind) for d, kind, _, _ in found} == {("Francesco Bagnaia", "extend")}


def test_a_driver_running_part_of_a_schedule_for_a_team_joins_it_part_time() -> None:
    found = extract(Article(
        entry_id="c", title="Road-course ace adds Xfinity outings",
        summary="Connor Zilisch will run a partial 2025 Xfinity schedule for JR Motorsports.",
        series="NASCAR Xfinity", published=DATE)).moves
    assert [(m.driver, m.kind.value, m.team, m.role) for m in found] == [
        ("Connor Zilisch", "join", "JR Motorsports", "part-time")]


def test_a_long_description_with_a_relative_clause_is_an_aside_about_the_subject() -> None:
    found = moves("Endurance veteran changes camps",
                  "Harry Tincknell, the Englishman who won his class at Le Mans in 2014 and "
                  "raced for Proton in 2024, joins Ford Multimatic for 2025.", "WEC")
    assert {(d, k) for d, k, _, _ in found} == {("Harry Tincknell", "join")}


def test_a_role_told_in_an_aside_between_the_name_and_the_verb_is_the_one_he_had() -> None:
    found = extract(Article(
        entry_id="c", title="Haas gives its reserve a race seat",
        summary="Ryo Hirakawa, who has been the team's reserve driver, will race for Haas "
                "next season.", series="F1", published=DATE)).moves
    assert [(m.driver, m.role) for m in found] == [("Ryo Hirakawa", "full-time")]


def test_a_maker_moving_its_driver_to_a_customer_team_places_him_there() -> None:
    found = moves("Toyota reshuffles its GT500 crews",
                  "Toyota Gazoo Racing has moved Sena Sakaguchi to Team Cerumo for 2025.",
                  "Super GT")
    assert {(d, k) for d, k, _, _ in found} == {("Sena Sakaguchi", "join")}
    assert all("Cerumo" in t for _, _, t, _ in found)


def test_a_role_after_from_his_is_the_one_he_leaves() -> None:
    found = extract(Article(
        entry_id="c", title="Haas hands Hirakawa a race seat",
        summary="Haas has given Ryo Hirakawa a race seat for next season, promoting the "
                "Japanese driver from his reserve role.", series="F1", published=DATE)).moves
    assert [(m.driver, m.kind.value, m.role) for m in found] == [
        ("Ryo Hirakawa", "promote", "full-time")]


@pytest.mark.parametrize(("title", "sentence", "series"), [
    ("Rahal's new Indy Lights graduate", "Louis Foster will spend the 2025 IndyCar season "
     "with Rahal Letterman Lanigan Racing.", "IndyCar"),
    # a year, not a determiner, after the verb
    ("Red Bull junior heads to Japan", "Ayumu Iwasa will spend 2023 racing in Super Formula "
     "with Team Mugen.", "Super Formula"),
    ("Second Puma settled", "M-Sport Ford has entrusted its second Puma Rally1 to Grégoire "
     "Munster for 2025.", "WRC"),
])
def test_a_season_spent_with_a_team_or_a_car_entrusted_to_a_driver_places_him(
        title: str, sentence: str, series: str) -> None:
    assert [k for _, k, _, _ in moves(title, sentence, series)] == ["join"]


def test_a_possessive_in_the_headline_owns_nothing_in_the_next_sentence() -> None:
    found = moves("Hyundai's new recruit",
                  "Hyundai Shell Mobis WRT has signed Adrien Fourmaux for the 2025 season.",
                  "WRC")
    assert [(d, k) for d, k, _, _ in found] == [("Adrien Fourmaux", "join")]


def test_a_team_unveiling_a_car_that_its_drivers_will_race_signs_nobody() -> None:
    assert moves("Williams shows its FW47",
                 "Williams unveiled the new livery of the FW47 that Carlos Sainz and Alex "
                 "Albon will race this year.", "F1") == set()


def test_an_option_taken_up_is_a_contract_not_a_maybe() -> None:
    found = extract(Article(
        entry_id="c", title="Penske keeps Power",
        summary="Will Power stays with Team Penske for 2025 after the team exercised its "
                "option on him.", series="IndyCar",
        published=DATE)).moves
    assert [(m.driver, m.status) for m in found] == [("Will Power", Status.CONFIRMED)]


def test_a_team_mate_continuing_alongside_stays_too() -> None:
    found = moves("Envision keeps its pair",
                  "Sebastien Buemi is staying at Envision Racing for next season, with Robin "
                  "Frijns continuing alongside him.", "Formula E")
    assert {(d, k) for d, k, _, _ in found} == {("Sebastien Buemi", "extend"),
                                                ("Robin Frijns", "extend")}


def test_a_further_season_with_a_team_is_a_stay() -> None:
    assert {k for _, k, _, _ in moves(
        "Rast carries on", "René Rast will contest a further season of the DTM with Schubert "
        "Motorsport.", "DTM")} == {"extend"}


def test_ending_his_stay_at_a_team_says_where_he_comes_from() -> None:
    found = extract(Article(
        entry_id="c", title="Morbidelli signs for Pramac",
        summary="Franco Morbidelli has signed a one-year contract with Pramac Racing, ending his "
                "time with Yamaha.", series="MotoGP", published=DATE)).moves
    assert [(m.driver, m.from_team) for m in found] == [
        ("Franco Morbidelli", "Monster Energy Yamaha MotoGP")]


def test_a_drivers_time_at_a_team_being_over_is_an_exit() -> None:
    assert {(d, k) for d, k, _, _ in moves(
        "Sauber era ends", "Zhou Guanyu's time at Sauber is over, the team said on Thursday.",
        "F1")} == {("Zhou Guanyu", "leave")}


@pytest.mark.parametrize(("summary", "series", "published", "expected"), [
    # the year a contract runs to is not the first season of the stay
    ("Jorge Martin has signed a new deal with Pramac that runs until the end of 2026.",
     "MotoGP", DATE, ("Jorge Martin", "extend", 2025)),
    # a stay told in the summer is for the next season
    ("Cameron Waters has re-signed with Tickford Racing.", "Supercars",
     datetime(2024, 7, 2, tzinfo=UTC), ("Cameron Waters", "extend", 2025)),
    # dropped for the rest of the season: he leaves in this one
    ("Dale Coyne Racing has dropped Nolan Siegel for the rest of the season.", "IndyCar",
     datetime(2024, 6, 20, tzinfo=UTC), ("Nolan Siegel", "leave", 2024)),
    # a time told in an aside is the aside's
    ("Carson Kvapil, who ran a handful of races for the team this year, will drive the No. 84 "
     "for Legacy Motor Club full-time.", "NASCAR Cup", datetime(2024, 11, 5, tzinfo=UTC),
     ("Carson Kvapil", "join", 2025)),
    # of two seasons named together the first is the first in the seat
    ("Fermin Aldeguer will ride for Gresini Racing in 2025 and 2026.", "MotoGP",
     datetime(2024, 6, 5, tzinfo=UTC), ("Fermin Aldeguer", "join", 2025)),
    # a month already gone this year is next year's
    ("Action Express Racing has added Will Stevens for the Rolex 24 in January.", "IMSA",
     datetime(2024, 9, 20, tzinfo=UTC), ("Will Stevens", "join", 2025)),
    # a stay told late in a year, with the year it is told in: the drivers of this season stay
    # for the next ...
    ("Audi Sport has retained all ten of its 2019 GT drivers, among them Rahel Frey.",
     "GT World Challenge Europe", datetime(2019, 12, 9, tzinfo=UTC),
     ("Rahel Frey", "extend", 2020)),
    # ... but told early in the year, the year is the season
    ("Audi Sport has retained Rahel Frey for 2019.", "GT World Challenge Europe",
     datetime(2019, 2, 9, tzinfo=UTC), ("Rahel Frey", "extend", 2019)),
    # a season gone by, named in another sentence, is no arrival's
    ("NISMO has confirmed its GT500 crews, with two changes from 2019. Katsumasa Chiyo "
     "replaces Frederic Makowiecki at NDDP Racing.", "Super GT",
     datetime(2020, 1, 10, tzinfo=UTC), ("Katsumasa Chiyo", "join", 2020)),
    # Formula E counts its seasons: the eighth is 2021-22, so 2022 (but "his eighth season" is
    # the driver's own count)
    ("Norman Nato will drive for Venturi in Formula E's eighth season.", "Formula E",
     datetime(2021, 8, 2, tzinfo=UTC), ("Norman Nato", "join", 2022)),
    ("Venturi has signed Norman Nato for the eighth Formula E season.", "Formula E",
     datetime(2021, 8, 2, tzinfo=UTC), ("Norman Nato", "join", 2022)),
])
def test_the_season_a_move_is_for(summary: str, series: str, published: datetime,
                                  expected: tuple[str, str, int]) -> None:
    found = extract(Article(entry_id="c", title="Driver news", summary=summary, series=series,
                            published=published)).moves
    assert [(m.driver, m.kind.value, m.season) for m in found] == [expected]


@pytest.mark.parametrize(("summary", "kind"), [
    # the team's own reserve now races for it: a promotion
    ("Williams reserve Tomas Vale will race for Williams full-time next season.", "promote"),
    # another team's tester lands a seat: a join
    ("Haas tester Tomas Vale will race for Williams full-time next season.", "join"),
])
def test_a_reserve_is_promoted_only_by_his_own_team(summary: str, kind: str) -> None:
    assert moves("Vale gets a seat", summary, "F1") == {("Tomas Vale", kind, "Williams", None)}


def test_a_move_told_twice_under_two_names_of_the_team_keeps_what_each_telling_knew() -> None:
    found = moves("Vale quits Ganassi for Andretti's No. 28",
                  "Tomas Vale will drive for Andretti Autosport from next season after deciding "
                  "not to stay at Chip Ganassi Racing.\n\nThe Pole takes over the No. 28 Honda "
                  "from Romain Grosjean.", "IndyCar")
    assert found == {("Tomas Vale", "join", "Andretti Autosport", "28")}


def test_a_leaving_driver_gives_up_the_car_his_successor_takes() -> None:
    found = extract(Article(
        entry_id="c", title="Dale Coyne Racing picks Vale",
        summary="Dale Coyne Racing has signed Tomas Vale to drive its No. 18 Honda full-time in "
                "2022.\n\nThe 20-year-old Pole finished third in Indy NXT this year with HMD "
                "Motorsports.\n\nHe replaces Marek Dolan, who will not return to the team.",
        series="IndyCar", published=datetime(2021, 10, 1, tzinfo=UTC))).moves
    assert {(m.driver, m.kind.value, m.car) for m in found} == {
        ("Tomas Vale", "join", "18"), ("Marek Dolan", "leave", "18")}


def test_a_handful_of_rounds_is_part_time_and_rounds_raced_before_are_not() -> None:
    def roles(summary: str) -> list[str | None]:
        return [m.role for m in extract(Article(
            entry_id="c", title="Rally seat", summary=summary, series="WRC",
            published=DATE)).moves]
    assert roles("Hyundai Motorsport will run Dani Sordo in four rallies next season.") == [
        "part-time"]
    assert roles("Dani Sordo will drive for Hyundai Motorsport next season after contesting "
                 "four rallies for the team this year.") == ["full-time"]
    assert roles("Dani Sordo will drive for M-Sport full-time next year after two part-time "
                 "seasons with Hyundai Motorsport.") == ["full-time"]


def test_the_role_a_retiring_driver_takes_up_next_is_not_the_one_he_leaves() -> None:
    found = extract(Article(
        entry_id="c", title="Vale steps away", series="MotoGP", published=DATE,
        summary="Tomas Vale will retire from full-time racing at the end of the season and "
                "become a test rider for Aprilia Racing.")).moves
    assert [(m.driver, m.kind.value, m.role) for m in found if m.kind.value == "retire"] == [
        ("Tomas Vale", "retire", "full-time")]


def test_where_a_signing_is_announced_is_no_race_it_is_for() -> None:
    def roles(summary: str) -> list[str | None]:
        return [m.role for m in extract(Article(
            entry_id="c", title="Alpine news", summary=summary, series="F1",
            published=DATE)).moves]
    assert roles("Pierre Gasly will drive for Alpine from 2025, the team confirmed at Suzuka "
                 "on Saturday.") == ["full-time"]
    assert roles("Pierre Gasly will drive for Alpine at Suzuka on Sunday.") == ["part-time"]


def test_a_move_to_a_team_left_unnamed_is_no_move_to_the_story_team() -> None:
    found = moves("Inter Europol rebuilds",
                  "Inter Europol Competition has lost both its drivers, Jakub Smiechowski and "
                  "Albert Costa, who have moved to different teams.", "WEC")
    assert not any(k == "join" and "Inter Europol" in t for _, k, t, _ in found)


def test_a_crew_named_by_its_noun_with_no_verb_taking_it_is_the_crew_as_it_stands() -> None:
    found = extract(Article(
        entry_id="c", title="Estre moves to Porsche's No. 5",
        summary="Kevin Estre joins the No. 5 for next season. The sister No. 6 crew of Laurens "
                "Vanthoor, Matt Campbell and Mathieu Jaminet completes the programme.",
        series="WEC", published=DATE))
    assert not {"Laurens Vanthoor", "Matt Campbell", "Mathieu Jaminet"} & {
        m.driver for m in found.moves}
    assert {"Laurens Vanthoor", "Matt Campbell", "Mathieu Jaminet"} <= {
        seat.driver for seat in found.lineup}



@pytest.mark.parametrize("sentence", [
    "The sister No. 23 will be driven by its ELMS crew of Oliver Jarvis, Ben Hanley and Filipe "
    "Albuquerque.",
    "They share the car with the regular pairing of Oliver Jarvis and Ben Hanley.",
])
def test_a_crew_noun_with_no_team_of_its_own_is_the_crew_the_team_has(sentence: str) -> None:
    # A verb takes the crew, but its team is only the one the story is about: the crew that
    # team already has. A new crew comes with its team ("JOTA's new trio of").
    found = extract(Article(
        entry_id="c", title="Herta adds Le Mans outing with United Autosports",
        summary="Colton Herta will race for United Autosports at the Le Mans 24 Hours in June, "
                f"in the No. 22 Oreca. {sentence}", series="WEC", published=DATE))
    assert {m.driver for m in found.moves} == {"Colton Herta"}
    assert {"Oliver Jarvis", "Ben Hanley"} <= {seat.driver for seat in found.lineup}

def test_returning_for_another_year_and_extending_ones_own_contract_are_stays() -> None:
    assert {(d, k) for d, k, _, _ in moves(
        "Penske settles 2025", "Josef Newgarden returns for a seventh season at Team Penske.",
        "IndyCar")} == {("Josef Newgarden", "extend")}
    assert ("Cameron Waters", "extend") in {(d, k) for d, k, _, _ in moves(
        "Tickford adds a rookie", "Kai Allen will partner Cameron Waters, who has extended "
        "his own contract with Tickford Racing.", "Supercars")}


@pytest.mark.parametrize(("title", "summary", "series", "expected"), [
    ("Martin seals factory Aprilia move", "The champion will ride alongside Bezzecchi from "
     "2025.", "MotoGP", ("Jorge Martín", "join")),
    ("Pedrosa gets Jerez wildcard", "Dani Pedrosa will make a wildcard appearance for KTM at "
     "Jerez.", "MotoGP", ("Dani Pedrosa", "join")),
    ("Antonelli fast-tracked into F2 by Prema", "The Mercedes junior skips F3 entirely.", "F2",
     ("Andrea Kimi Antonelli", "join")),
    ("Ricciardo replaced by Lawson at RB", "Lawson takes over from the United States Grand "
     "Prix.", "F1", ("Liam Lawson", "join")),
])
def test_headline_shorthand_for_a_done_deal(title: str, summary: str, series: str,
                                             expected: tuple[str, str]) -> None:
    assert expected in {(d, k) for d, k, _, _ in moves(title, summary, series)}


def test_as_opening_a_clause_with_its_own_subject_closes_the_clause_before() -> None:
    found = moves("Hypercar line-ups", "Ferrari keeps its trio in the No. 51, as Nicklas "
                  "Nielsen joins AF Corse's privateer No. 83 with Yifei Ye.", "WEC")
    assert {(d, k, car) for d, k, _, car in found} == {("Nicklas Nielsen", "join", "83")}


def test_a_driver_named_as_someones_replacement_is_the_one_signed() -> None:
    found = moves("Sauber fills its seat", "Sauber has signed Valtteri Bottas's replacement "
                  "Gabriel Bortoleto for next season.", "F1")
    assert {(d, k) for d, k, _, _ in found} == {("Gabriel Bortoleto", "join")}


def test_a_companion_joining_him_after_the_move_joins_the_same_team() -> None:
    found = moves("F2 grid fills", "Richard Verschoor moves to Trident, with Arvid Lindblad "
                  "joining him, as Prema signs Sebastian Montoya.", "F2")
    assert ("Arvid Lindblad", "join") in {(d, k) for d, k, _, _ in found}
    assert all("Trident" in t for d, _, t, _ in found if d == "Arvid Lindblad")


def test_a_driver_whose_seat_is_taken_comes_from_that_team() -> None:
    found = extract(Article(
        entry_id="c", title="Coyne signs Rasmussen",
        summary="Christian Rasmussen takes the seat of Jack Harvey at Dale Coyne Racing. Harvey "
                "is heading to Juncos Hollinger Racing.", series="IndyCar",
        published=DATE)).moves
    assert ("Jack Harvey", "Dale Coyne Racing") in {
        (m.driver, m.from_team) for m in found if m.kind.direction == "arrive"}


def test_the_team_a_driver_won_his_title_with_is_where_he_comes_from() -> None:
    found = extract(Article(
        entry_id="c", title="Meyer Shank signs the Indy NXT champion",
        summary="Louis Foster, who clinched the Indy NXT title with Andretti Global this year, "
                "will race for Rahal Letterman Lanigan Racing in 2025.", series="IndyCar",
        published=DATE)).moves
    assert [(m.driver, m.from_team) for m in found] == [("Louis Foster", "Andretti Global")]


def test_a_team_named_before_an_exit_noun_is_where_he_comes_from() -> None:
    found = extract(Article(
        entry_id="c", title="Rins lands LCR ride after Suzuki exit",
        summary="Alex Rins will ride for LCR Honda in 2023.", series="MotoGP",
        published=DATE)).moves
    assert [(m.driver, m.from_team) for m in found] == [("Alex Rins", "Team Suzuki Ecstar")]


def test_the_role_the_moves_own_sentence_gives_wins_over_a_past_one_told_later() -> None:
    found = extract(Article(
        entry_id="c", title="Rasmussen gets a full season",
        summary="Christian Rasmussen will race full-time for Ed Carpenter Racing next season. "
                "The 23-year-old made his debut with the team this year, a part-time programme "
                "of road and street courses.", series="IndyCar", published=DATE)).moves
    assert [(m.driver, m.role) for m in found] == [("Christian Rasmussen", "full-time")]


@pytest.mark.parametrize(("summary", "series", "expected"), [
    ("Campos has put pen to paper with Tomas Lindqvist for next season.", "F2",
     ("Tomas Lindqvist", "join", "Campos Racing")),
    ("Mathieu Jaminet has re-upped with Porsche Penske Motorsport for another season.", "IMSA",
     ("Mathieu Jaminet", "extend", "Porsche Penske Motorsport")),
    ("Fermin Aldeguer has earned a promotion to MotoGP with Gresini Racing for next season.",
     "Moto2", ("Fermin Aldeguer", "join", "Gresini Racing")),
    ("Jean-Eric Vergne has bid farewell to DS Penske after six seasons with the team.",
     "Formula E", ("Jean-Eric Vergne", "leave", "DS Penske")),
    ("Stefan Bradl will make a wildcard appearance at the Sachsenring in June, Honda has "
     "confirmed.", "MotoGP", ("Stefan Bradl", "join", "Honda")),
    # "after three seasons" says how long, not when: the move is news, not background
    ("Marcus Armstrong leaves Chip Ganassi Racing after three seasons to drive for Meyer Shank "
     "Racing.", "IndyCar", ("Marcus Armstrong", "join", "Meyer Shank Racing")),
    ("Chip Ganassi Racing has signed Kyffin Simpson for the No. 11, replacing Marcus Armstrong, "
     "who is moving on after three seasons to drive for Meyer Shank Racing.", "IndyCar",
     ("Marcus Armstrong", "join", "Meyer Shank Racing")),
    # the exit a move follows is news with it
    ("Marcus Armstrong will race for Meyer Shank Racing for the rest of the season after the team "
     "released Felix Rosenqvist.", "IndyCar", ("Felix Rosenqvist", "leave", "Meyer Shank Racing")),
    ("Marcus Armstrong will race for Meyer Shank Racing for the rest of the season after Felix "
     "Rosenqvist was dropped by the team.", "IndyCar",
     ("Felix Rosenqvist", "leave", "Meyer Shank Racing")),
    # retention by a joint deal or a team's option; an exit by a choice not to keep
    ("Felix Rosenqvist and Meyer Shank Racing have agreed a new deal for 2025.", "IndyCar",
     ("Felix Rosenqvist", "extend", "Meyer Shank Racing")),
    ("Meyer Shank Racing has taken up its option on Felix Rosenqvist for 2025.", "IndyCar",
     ("Felix Rosenqvist", "extend", "Meyer Shank Racing")),
    ("Meyer Shank Racing has opted not to renew Felix Rosenqvist's contract.", "IndyCar",
     ("Felix Rosenqvist", "leave", "Meyer Shank Racing")),
    ("Meyer Shank Racing has decided not to retain Felix Rosenqvist for next season.", "IndyCar",
     ("Felix Rosenqvist", "leave", "Meyer Shank Racing")),
    # exits by idiom
    ("Falcon Motorsport has decided against renewing Kim Larsen's contract.", "F2",
     ("Kim Larsen", "leave", "Falcon Motorsport")),
    ("Kim Larsen has been shown the door by Falcon Motorsport.", "F2",
     ("Kim Larsen", "leave", "Falcon Motorsport")),
    ("Falcon Motorsport confirmed its line-up for next season as Kim Larsen is shown the door.",
     "F2", ("Kim Larsen", "leave", "Falcon Motorsport")),
    # machines, grids and programmes
    ("Kim Larsen will swap his Honda for a Yamaha next season.", "WorldSBK",
     ("Kim Larsen", "join", "Pata Yamaha Prometeon WorldSBK")),
    ("Kim Larsen will line up on the grid with Falcon Motorsport next season.", "MotoGP",
     ("Kim Larsen", "join", "Falcon Motorsport")),
    ("Kim Larsen will ride a Kalex for Falcon Motorsport next season.", "Moto2",
     ("Kim Larsen", "join", "Falcon Motorsport")),
    ("Kim Larsen will contest selected rounds for Falcon Motorsport next season.", "WRC",
     ("Kim Larsen", "join", "Falcon Motorsport")),
])
def test_idioms_of_signing_staying_leaving_and_stepping_up(summary: str, series: str,
                                                   expected: tuple[str, str, str]) -> None:
    assert expected in {(d, kind, team) for d, kind, team, _ in moves("Line-up news", summary,
                                                                       series)}


def test_a_new_entrys_crew_in_the_present_is_news_and_an_existing_entrys_is_not() -> None:
    new = moves("Entry list out",
                "Newcomer Falcon Racing fields a Ferrari 296 GT3 for Tomas Keller alongside "
                "Luca Bertoni and Marco Venti.", "Asian Le Mans Series")
    assert {(d, kind) for d, kind, _, _ in new} == {
        ("Tomas Keller", "join"), ("Luca Bertoni", "join"), ("Marco Venti", "join")}
    assert not moves("Entry list out",
                     "Falcon Racing fields a Ferrari 296 GT3 for Tomas Keller alongside Luca "
                     "Bertoni and Marco Venti.", "Asian Le Mans Series")


def test_an_owner_named_first_in_a_list_of_drivers_races_himself() -> None:
    found = moves("Entry list out",
                  "New team Kessler Racing brings an Aston Martin Vantage GT3 for team owner "
                  "Hiro Tanabe, Kenji Oda and Ross Gunn.", "Asian Le Mans Series")
    assert {d for d, kind, _, _ in found if kind == "join"} == {
        "Hiro Tanabe", "Kenji Oda", "Ross Gunn"}
    # (an owner who only speaks is no driver)
    assert {d for d, _, _, _ in moves(
        "Haas keeps Bearman", "Team owner Gene Haas said Oliver Bearman will race for Haas "
        "next season.", "F1")} == {"Oliver Bearman"}


@pytest.mark.parametrize("summary", [
    "Valtteri Bottas leaves at the end of the season for Cadillac.",
    "Sauber has signed Gabriel Bortoleto to replace Valtteri Bottas, who leaves when his "
    "contract expires for Cadillac.",
    # what he takes there, or the move that takes him there
    "Valtteri Bottas departs Sauber for a race seat at Cadillac next year.",
    "Valtteri Bottas will leave Sauber in December ahead of a move to Cadillac.",
])
def test_for_after_a_leave_verb_names_where_the_driver_goes(summary: str) -> None:
    found = {(d, k, t) for d, k, t, _ in moves("Bottas on the move", summary, "F1")
             if d == "Valtteri Bottas"}
    assert found == {("Valtteri Bottas", "join", "Cadillac")}


@pytest.mark.parametrize(("summary", "kind"), [
    # another driver's absence told first: the stand-in stays on
    ("Jorge Martin remains sidelined with a broken wrist, so Lorenzo Savadori stays with "
     "Aprilia Racing for Jerez.", "replace"),
    # the driver's own absence: a stay
    ("Despite his injury, Lorenzo Savadori stays with Aprilia Racing for next season.",
     "extend"),
])
def test_a_stay_after_another_drivers_absence_is_a_stand_in(summary: str, kind: str) -> None:
    assert ("Lorenzo Savadori", kind) in {(d, k) for d, k, _, _ in moves(
        "Aprilia news", summary, "MotoGP")}


@pytest.mark.parametrize("summary", [
    "Oliver Bearman takes on the reserve role at Haas for next season.",
    "Haas has confirmed Esteban Ocon for next season, with Oliver Bearman taking the reserve "
    "role.",
])
def test_taking_up_a_post_at_a_team_is_a_seat_there(summary: str) -> None:
    found = extract(Article(entry_id="c", title="Haas news", summary=summary, series="F1",
                            published=DATE)).moves
    assert ("Oliver Bearman", "join", "Haas", "reserve") in {
        (m.driver, m.kind.value, m.team, m.role) for m in found}


@pytest.mark.parametrize("verb", ["takes", "gets", "inherits", "is handed"])
def test_taking_the_seat_another_vacated_is_the_takers_arrival(verb: str) -> None:
    found = extract(Article(entry_id="c", title="Trident fills its seat",
                            summary=f"Sami Meguetounif {verb} the seat vacated by Roman Stanek "
                                    "at Trident for next season.", series="F2",
                            published=DATE)).moves
    assert {(m.driver, m.kind.value, m.team, m.replaces) for m in found} == {
        ("Sami Meguetounif", "join", "Trident", "Roman Stanek")}


def test_the_car_a_passive_crew_verb_is_said_of_is_that_crews_car() -> None:
    found = moves("Algarve Pro sets its crews",
                  "Algarve Pro Racing enters two cars next season. The No. 25 will be driven "
                  "by Kriton Lendoudis and Alex Quinn, with Matthias Kaiser and Olli Caldwell "
                  "in the No. 20.", "ELMS")
    assert {(d, car) for d, _, _, car in found} == {
        ("Kriton Lendoudis", "25"), ("Alex Quinn", "25"), ("Matthias Kaiser", "20"),
        ("Olli Caldwell", "20")}

def test_a_make_after_an_indefinite_article_is_a_car_not_a_team() -> None:
    found = moves("New GT3 entry", "New team Tresor Attempto brings an Audi for Alex Aka, "
                  "Leonardo Moller Madsen and Rocco Mazzola.", "GT World Challenge Europe")
    assert {(d, t) for d, k, t, _ in found if k == "join"} == {
        (driver, "Tresor Attempto Racing")
        for driver in ("Alex Aka", "Leonardo Moller Madsen", "Rocco Mazzola")}


@pytest.mark.parametrize("summary", [
    "Vector Sport has named its crews: Ryan Cullen and Stefan Richelmi share the No. 10, while "
    "Pietro Fittipaldi and Charlie Eastwood are in the No. 11.",
    "Pietro Fittipaldi and Charlie Eastwood will pair up at Vector Sport in the No. 11.",
    "Vector Sport's No. 11 gets Pietro Fittipaldi and Charlie Eastwood.",
    "At Vector Sport, Pietro Fittipaldi and Charlie Eastwood will split the No. 11.",
    "Vector Sport will field a second Oreca this year, with Pietro Fittipaldi and Charlie "
    "Eastwood sharing the car.",
])
def test_a_crew_placed_in_its_car_or_paired_at_a_team_is_announced(summary: str) -> None:
    found = moves("Vector Sport crews", summary, "ELMS")
    assert {("Pietro Fittipaldi", "join"), ("Charlie Eastwood", "join")} <= {
        (d, k) for d, k, _, _ in found}

@pytest.mark.parametrize("sentence", [
    "Esteban Ocon and Oliver Bearman will drive for the team next season.",
    "Esteban Ocon and Oliver Bearman will race for the squad in 2025.",
])
def test_a_seat_verb_with_only_the_storys_team_is_the_line_up(sentence: str) -> None:
    # Staff news that says who drives: the drivers the team has. A signing names the team.
    found = extract(Article(
        entry_id="c", title="Haas hires a new technical director",
        summary=f"Haas has appointed Andrea de Zordo as technical director. {sentence}",
        series="F1", published=DATE))
    assert not found.moves
    assert {"Esteban Ocon", "Oliver Bearman"} <= {seat.driver for seat in found.lineup}
    assert ("Oliver Bearman", "join", "Haas") in {(m.driver, m.kind.value, m.team) for m in extract(
        Article(entry_id="c", title="Haas news", summary="Oliver Bearman will race for Haas "
                "next season.", series="F1", published=DATE)).moves}

def test_a_car_in_an_aside_right_before_the_verb_is_the_subjects_car() -> None:
    found = moves("Proton sets its crews", "Proton Competition has finalised its line-ups. The "
                  "single IMSA entry, the red No. 88, goes to Giorgio Roda and Dennis Olsen.",
                  "IMSA")
    assert {(d, k, t, car) for d, k, t, car in found} == {
        ("Giorgio Roda", "join", "Proton Competition", "88"),
        ("Dennis Olsen", "join", "Proton Competition", "88")}

@pytest.mark.parametrize(("title", "movers"), [
    # the headline names the mover: the other car's crew is the line-up beside the news
    ("Vandoorne joins Peugeot's Hypercar squad", {"Stoffel Vandoorne"}),
    # a headline about the crews names nobody: each crew is announced
    ("Peugeot completes its Hypercar crews", {"Stoffel Vandoorne", "Paul di Resta",
                                              "Mikkel Jensen", "Jean-Eric Vergne"}),
])
def test_a_crew_told_of_its_car_beside_a_headline_about_another(title: str,
                                                                 movers: set[str]) -> None:
    found = extract(Article(
        entry_id="c", title=title, series="WEC", published=DATE,
        summary="Stoffel Vandoorne will race Peugeot's No. 94 next season. The No. 93 will be "
                "driven by Paul di Resta, Mikkel Jensen and Jean-Eric Vergne."))
    assert {m.driver for m in found.moves} == movers
    assert {"Paul di Resta", "Mikkel Jensen"} <= {seat.driver for seat in found.lineup}

@pytest.mark.parametrize("summary", [
    "After his debut with Prodrive Racing Australia eleven years ago, Tickford Racing driver "
    "Cameron Waters will retire at the end of the season.",
    "Former Dick Johnson Racing driver Cameron Waters will retire at the end of the season. He "
    "left Dick Johnson Racing in 2016 before his move to Tickford Racing in 2017.",
    "Cameron Waters will retire at the end of the season. Waters, who began with Dick Johnson "
    "Racing, has driven for Tickford Racing since 2016.",
])
def test_a_retirement_leaves_the_team_the_driver_is_with_now(summary: str) -> None:
    found = moves("Waters to call it a day", summary, "Supercars")
    assert ("Cameron Waters", "retire", "Tickford Racing") in {(d, k, t) for d, k, t, _ in found}

def test_a_phrasal_verb_written_as_one_noun_lines_nobody_up() -> None:
    found = moves("Bearman in for Baku", "Haas has taken Kevin Magnussen out of its race "
                  "line-up with immediate effect, and Oliver Bearman races the No. 20 at Baku.",
                  "F1")
    assert ("Kevin Magnussen", "join") not in {(d, k) for d, k, _, _ in found}

def test_the_exit_that_made_room_for_a_move_is_news_with_it() -> None:
    found = moves("VeeKay lands Coyne seat", "Rinus VeeKay joins Dale Coyne Racing, taking the "
                  "seat of Jack Harvey, who was released by the team last week.", "IndyCar")
    assert ("Jack Harvey", "leave", "Dale Coyne Racing") in {(d, k, t) for d, k, t, _ in found}
    # (a past told of someone else in the sentence is still his history)
    assert ("Jack Harvey", "leave") not in {(d, k) for d, k, _, _ in moves(
        "VeeKay lands Coyne seat", "Rinus VeeKay joins Dale Coyne Racing alongside Jack Harvey, "
        "who left Rahal Letterman Lanigan Racing in 2023.", "IndyCar")}

def test_the_replaced_drivers_own_move_in_his_relative_clause_is_news_too() -> None:
    found = moves("Armstrong lands Shank seat", "Marcus Armstrong will drive Meyer Shank "
                  "Racing's No. 66 Honda next season, replacing David Malukas, who left for A.J. "
                  "Foyt Enterprises.", "IndyCar")
    # (the car before the relative clause is the newcomer's, not the one he moves to)
    assert ("David Malukas", "join", "A.J. Foyt Enterprises", None) in found
    assert ("Marcus Armstrong", "join", "Meyer Shank Racing", "66") in found
    # (a past told of a team-mate, not of the one replaced, is still his history)
    assert ("Felix Rosenqvist", "join") not in {(d, k) for d, k, _, _ in moves(
        "Armstrong lands Shank seat", "Marcus Armstrong joins Meyer Shank Racing alongside "
        "Felix Rosenqvist, who moved to the team in 2024.", "IndyCar")}

def test_the_replaced_driver_leaving_for_no_named_team_leaves_the_seat_taken() -> None:
    found = moves("Shank picks Armstrong", "Marcus Armstrong will race the No. 60 Honda for Meyer "
                  "Shank Racing next year, taking over from Felix Rosenqvist, who is leaving to "
                  "start a family business.", "IndyCar")
    assert ("Felix Rosenqvist", "leave", "Meyer Shank Racing") in {
        (d, k, t) for d, k, t, _ in found}


def test_a_team_reporting_inside_a_relative_clause_is_not_its_subject() -> None:
    # "who Shank has confirmed will not be retained": the team says it, the driver leaves
    found = moves("Shank picks Armstrong", "Marcus Armstrong takes over Meyer Shank Racing's "
                  "No. 60 from Felix Rosenqvist, who Meyer Shank has confirmed will not be "
                  "retained.", "IndyCar")
    assert ("Felix Rosenqvist", "leave") in {(d, k) for d, k, _, _ in found}

@pytest.mark.parametrize("summary", [
    "Marcus Armstrong will partner Felix Rosenqvist, who signed for Meyer Shank Racing last week.",
    "Marcus Armstrong will drive for Meyer Shank Racing alongside Felix Rosenqvist, who joined the "
    "team earlier this month.",
])
def test_a_team_mates_move_told_with_a_recent_time_in_his_relative_clause_is_news(
        summary: str) -> None:
    found = moves("Shank picks Armstrong", summary, "IndyCar")
    assert ("Felix Rosenqvist", "join", "Meyer Shank Racing") in {
        (d, k, t) for d, k, t, _ in found}
    # (told with a time long gone, it stays his history)
    assert ("Felix Rosenqvist", "join") not in {(d, k) for d, k, _, _ in moves(
        "Shank picks Armstrong", summary.replace("last week", "in 2021").replace(
            "earlier this month", "in 2021"), "IndyCar")}

def test_a_move_weeks_before_the_news_is_the_story_before_it() -> None:
    found = moves("Armstrong in at Shank", "Marcus Armstrong joins Meyer Shank Racing as its "
                  "reserve, weeks after Andretti Global signed Felix Rosenqvist.", "IndyCar")
    assert "Felix Rosenqvist" not in {d for d, _, _, _ in found}

def test_a_driver_merely_replaced_has_no_leave_but_a_recent_vacancy_is_one() -> None:
    # (the labels' convention: "fills the seat vacated by X" names whom the newcomer replaces)
    found = moves("Armstrong gets Shank seat", "Marcus Armstrong will drive for Meyer Shank "
                  "Racing next year, filling the seat vacated by Felix Rosenqvist.", "IndyCar")
    assert ("Marcus Armstrong", "join") in {(d, k) for d, k, _, _ in found}
    assert ("Felix Rosenqvist", "leave") not in {(d, k) for d, k, _, _ in found}
    found = moves("Armstrong gets Shank seat", "Marcus Armstrong takes the No. 60 at Meyer Shank "
                  "Racing, the seat recently vacated by Felix Rosenqvist.", "IndyCar")
    assert ("Felix Rosenqvist", "leave") in {(d, k) for d, k, _, _ in found}

@pytest.mark.parametrize("summary", [
    "Kyle Kirkwood keeps Andretti Global's No. 27 Honda for the full season. Marcus Armstrong "
    "will join the No. 27 crew for the Indianapolis 500.",
    "Kyle Kirkwood keeps the team's No. 27 Honda for the full season at Andretti Global. Marcus "
    "Armstrong will join the No. 27 for the Indianapolis 500.",
])
def test_a_car_joined_carries_the_team_written_beside_it_before(summary: str) -> None:
    found = moves("Andretti sets Indy 500 entries", summary, "IndyCar")
    assert ("Marcus Armstrong", "join", "Andretti Global", "27") in found

def test_a_second_move_that_drops_its_verb_after_and_says_the_same_of_its_driver() -> None:
    found = moves("Seats swapped", "Marcus Armstrong will move to Meyer Shank Racing and Felix "
                  "Rosenqvist to Chip Ganassi Racing next year.", "IndyCar")
    assert {("Marcus Armstrong", "join", "Meyer Shank Racing"),
            ("Felix Rosenqvist", "join", "Chip Ganassi Racing")} <= {
        (d, k, t) for d, k, t, _ in found}
    # (without a team of its own, the name after "and" is no second move)
    assert ("Felix Rosenqvist", "join") not in {(d, k) for d, k, _, _ in moves(
        "Seats swapped", "Marcus Armstrong joins Meyer Shank Racing and Felix Rosenqvist at the "
        "Indianapolis 500.", "IndyCar")}

def test_a_role_in_a_clause_about_someone_else_is_not_the_drivers() -> None:
    found = extract(Article(
        entry_id="c", title="Ganassi sets its line-up", series="IndyCar", published=DATE,
        summary="Chip Ganassi Racing will run Marcus Armstrong, Scott Dixon and Alex Palou next "
                "season, with Kyffin Simpson added for the ovals.")).moves
    roles = {m.driver: m.role for m in found}
    assert roles["Alex Palou"] == "full-time"
    assert roles["Kyffin Simpson"] == "part-time"

@pytest.mark.parametrize("summary", [
    "Felix Rosenqvist has signed a contract extension with Meyer Shank Racing to 2027.",
    "Felix Rosenqvist has signed a new deal with Meyer Shank Racing that runs to the end of 2027.",
])
def test_the_year_a_deal_runs_to_is_its_end_not_its_first_season(summary: str) -> None:
    found = extract(Article(entry_id="c", title="Rosenqvist stays", summary=summary,
                            series="IndyCar", published=DATE)).moves
    assert [(m.driver, m.kind.value, m.season) for m in found] == [
        ("Felix Rosenqvist", "extend", 2025)]

def test_a_comeback_told_as_a_noun_is_a_join_and_a_past_one_is_history() -> None:
    found = moves("Legge back at Indy", "Katherine Legge makes her Indianapolis 500 return with "
                  "Dale Coyne Racing.", "IndyCar")
    assert ("Katherine Legge", "join", "Dale Coyne Racing") in {(d, k, t) for d, k, t, _ in found}
    assert not moves("Legge looks back", "Katherine Legge made her IndyCar return with Dale "
                     "Coyne Racing in 2012.", "IndyCar")

def test_a_swaps_second_half_going_the_other_way_is_a_join() -> None:
    found = moves("Seats swapped", "Marcus Armstrong heads to Meyer Shank Racing, with Felix "
                  "Rosenqvist going the other way to Chip Ganassi Racing.", "IndyCar")
    assert {("Marcus Armstrong", "join", "Meyer Shank Racing"),
            ("Felix Rosenqvist", "join", "Chip Ganassi Racing")} <= {
        (d, k, t) for d, k, t, _ in found}

@pytest.mark.parametrize(("summary", "driver", "role"), [
    # the words for a role, and whose role it is
    ("Wayne Taylor Racing will run Filipe Albuquerque and Ricky Taylor next season, with Brendon "
     "Hartley added for the long races.", "Brendon Hartley", "endurance"),
    ("Stock-car regular Katherine Legge makes her Daytona debut in Wayne Taylor Racing's No. 10.",
     "Katherine Legge", "part-time"),
    ("Wayne Taylor Racing will run Filipe Albuquerque and Ricky Taylor in the No. 10, backed up "
     "in the long races by Brendon Hartley.", "Ricky Taylor", "full-time"),
    ("Marcus Armstrong, who will race full-time for Chip Ganassi Racing next year, makes a one-off "
     "outing at Road America.", "Marcus Armstrong", "full-time"),
])
def test_a_role_belongs_to_the_driver_its_own_clause_is_about(
        summary: str, driver: str, role: str) -> None:
    found = extract(Article(entry_id="c", title="Line-up news", summary=summary,
                            series="IMSA", published=DATE)).moves
    assert (driver, role) in {(m.driver, m.role) for m in found}

@pytest.mark.parametrize(("title", "summary"), [
    ("Meyer Shank Racing and Rosenqvist go separate ways", "The team thanked him for three "
     "seasons."),
    ("Rosenqvist out at Shank", "Meyer Shank Racing said on Monday that Felix Rosenqvist would "
     "not race for the team next year."),
])
def test_exit_idioms_in_the_conditional_and_without_their(title: str, summary: str) -> None:
    found = moves(title, summary, "IndyCar")
    assert ("Felix Rosenqvist", "leave") in {(d, k) for d, k, _, _ in found}

@pytest.mark.parametrize(("title", "summary", "expected"), [
    ("Rosenqvist defends with Shank", "Felix Rosenqvist will defend his title with Meyer Shank "
     "Racing next season.", {"Felix Rosenqvist"}),
    ("Rosenqvist tied to Meyer Shank Racing", "Felix Rosenqvist has signed on for two more "
     "seasons.", {"Felix Rosenqvist"}),
    ("Meyer Shank Racing keeps its pairing", "Felix Rosenqvist and Marcus Armstrong will pair up "
     "again next season.", {"Felix Rosenqvist", "Marcus Armstrong"}),
])
def test_stays_told_by_a_title_defence_more_seasons_or_a_pairing_again(
        title: str, summary: str, expected: set[str]) -> None:
    found = moves(title, summary, "IndyCar")
    assert {(d, "extend", "Meyer Shank Racing") for d in expected} <= {
        (d, k, t) for d, k, t, _ in found}

def test_an_aside_after_the_first_crew_does_not_hide_the_gapped_second() -> None:
    found = moves("Kondo unchanged", "Kondo Racing keeps the same drivers as last year: Tsugio "
                  "Matsuda and Teppei Natori in the #24, which now carries ENEOS and IMPUL "
                  "branding, and Atsushi Miyake and Kazuki Hiramine in the #3.", "Super GT")
    assert {(d, car) for d, kind, _, car in found if kind == "extend"} >= {
        ("Atsushi Miyake", "3"), ("Kazuki Hiramine", "3")}

def test_a_teams_participle_after_a_comma_names_its_entries() -> None:
    found = moves("Hitech settles its line-up", "Hitech has finalised its line-up for next season, "
                  "entering Norwegian Martinius Stenshorne and Irish rookie Alex Dunne.", "F2")
    assert {("Martinius Stenshorne", "join", "Hitech"), ("Alex Dunne", "join", "Hitech")} <= {
        (d, k, t) for d, k, t, _ in found}

def test_a_second_verb_after_and_keeps_its_own_kind() -> None:
    found = moves("Hitech keeps one, adds one", "Hitech will again run Martinius Stenshorne next "
                  "season and has added Irish rookie Alex Dunne.", "F2")
    assert {("Martinius Stenshorne", "extend"), ("Alex Dunne", "join")} <= {
        (d, k) for d, k, _, _ in found}

def test_leaving_a_teams_car_for_another_team_is_a_transfer() -> None:
    found = moves("Armstrong crosses to Shank", "Marcus Armstrong leaves Chip Ganassi Racing's "
                  "No. 11 for Meyer Shank Racing.", "IndyCar")
    assert ("Marcus Armstrong", "join", "Meyer Shank Racing") in {(d, k, t) for d, k, t, _ in found}

def test_a_return_in_a_new_role_that_is_a_staff_post_is_no_drive() -> None:
    assert not moves("Castroneves returns", "Helio Castroneves returns to Meyer Shank Racing "
                     "next season in a completely different role: team principal.", "IndyCar")

def test_a_participle_right_after_an_aside_is_of_the_asides_last_name() -> None:
    found = moves("Hitech adds Dunne", "Hitech has signed Alex Dunne for next season. 'It is a "
                  "great chance,' said Dunne, whose team-mate will be Martinius Stenshorne, "
                  "retained for a second season.", "F2")
    kinds = {(d, k) for d, k, _, _ in found}
    assert ("Martinius Stenshorne", "extend") in kinds
    assert ("Alex Dunne", "extend") not in kinds

def test_a_cars_crew_with_its_races_between_verb_and_crew() -> None:
    found = moves("Comtoyou runs two Astons", "Comtoyou Racing will run two Aston Martins this "
                  "year. The #7 will be shared in the Endurance Cup by Nicki Thiim, Mattia Drudi "
                  "and Marco Sorensen.", "GT World Challenge Europe")
    assert {(d, car) for d, k, _, car in found if k == "join"} >= {
        ("Nicki Thiim", "7"), ("Mattia Drudi", "7"), ("Marco Sorensen", "7")}

def test_a_crew_that_gets_a_car_takes_its_seats_and_a_race_does_not() -> None:
    found = moves("Comtoyou runs two Astons", "Comtoyou Racing will run two Aston Martins this "
                  "year. Kobe Pauwels and Matisse Lismont get the sister #21 for all races.",
                  "GT World Challenge Europe")
    assert {(d, car) for d, k, _, car in found if k == "join"} >= {
        ("Kobe Pauwels", "21"), ("Matisse Lismont", "21")}
    assert not moves("Comtoyou on the podium", "Kobe Pauwels gets the #21 home in third at Monza.",
                     "GT World Challenge Europe")

def test_crews_listed_after_a_colon_that_keeps_them_stay_each_with_its_team() -> None:
    found = moves("Honda settles its GT500 crews", "Honda keeps two crews unchanged: Tomoki "
                  "Nojiri and Nirei Fukuzumi at Team Kunimitsu, and Toshiki Oyu and Tadasuke "
                  "Makino at Nakajima Racing.", "Super GT")
    assert {(d, k, t) for d, k, t, _ in found} == {
        ("Tomoki Nojiri", "extend", "Team Kunimitsu"),
        ("Nirei Fukuzumi", "extend", "Team Kunimitsu"),
        ("Toshiki Oyu", "extend", "Nakajima Racing"),
        ("Tadasuke Makino", "extend", "Nakajima Racing")}

def test_a_seat_kept_after_signing_an_extension_is_a_stay() -> None:
    found = moves("Rosenqvist commits to Meyer Shank", "Felix Rosenqvist will drive for Meyer "
                  "Shank Racing through 2026 after signing a contract extension on Friday.",
                  "IndyCar")
    assert {(d, k, t) for d, k, t, _ in found} == {
        ("Felix Rosenqvist", "extend", "Meyer Shank Racing")}

def test_a_team_in_another_drivers_relative_clause_is_not_the_moves() -> None:
    found = moves("Peugeot settles its crews", "Peugeot has confirmed its crews. Paul di Resta "
                  "and Mikkel Jensen remain in the No. 93 alongside Nico Muller, who, like "
                  "Vergne, raced Abt Sportsline's car in Formula E this year.", "WEC")
    assert {(d, t) for d, k, t, _ in found if k == "extend"} == {
        ("Paul di Resta", "Peugeot TotalEnergies"), ("Mikkel Jensen", "Peugeot TotalEnergies")}

def test_the_words_after_a_crew_are_read_in_its_own_sentence() -> None:
    # ("Will" opening the next sentence is a name, not the crew's auxiliary)
    found = moves("United sets its crews", "Phil Hanson stays in United Autosports' No. 22, "
                  "where he is joined by Filipe Albuquerque and Ben Hanley.\n\nWill Owen and "
                  "Paul di Resta remain in the No. 23.", "ELMS")
    assert {("Filipe Albuquerque", "join"), ("Ben Hanley", "join")} <= {
        (d, k) for d, k, _, _ in found}

def test_a_post_that_titles_the_driver_after_the_verb_is_no_post_taken() -> None:
    found = moves("Rinaldi unchanged", "In Pro-Am, Rinaldi Racing keeps team owner Pierre "
                  "Ehret and Fabian Schiller together in its No. 33 Ferrari.",
                  "GT World Challenge Europe")
    assert {(d, k) for d, k, _, _ in found} == {("Pierre Ehret", "extend"),
                                                ("Fabian Schiller", "extend")}

def test_a_crew_joined_for_one_race_by_a_driver_is_his_seat() -> None:
    found = moves("Proton adds Le Mans driver", "Proton Competition's full-season No. 99 crew of "
                  "Neel Jani and Julien Andlauer will be joined for Le Mans by Harry Tincknell.",
                  "WEC")
    assert ("Harry Tincknell", "join", "Proton Competition") in {
        (d, k, t) for d, k, t, _ in found}

def test_drivers_listed_after_a_colon_that_names_them_are_signed() -> None:
    found = moves("Lamborghini picks its Hypercar drivers", "Lamborghini Iron Lynx has named "
                  "the drivers for its SC63 in next year's WEC: Mirko Bortolotti, Daniil Kvyat "
                  "and Edoardo Mortara.", "WEC")
    assert {(d, k) for d, k, _, _ in found} == {
        ("Mirko Bortolotti", "join"), ("Daniil Kvyat", "join"), ("Edoardo Mortara", "join")}

@pytest.mark.parametrize("phrase", ["for Rowe Racing", "entered by Rowe Racing",
                                    "run by Rowe Racing"])
def test_the_team_of_a_driving_phrase_after_the_clause_is_the_seats(phrase: str) -> None:
    found = moves("Kubica heads to the DTM", "Robert Kubica will race in the DTM this year, "
                  f"driving a BMW M4 GT3 {phrase}.", "DTM")
    assert ("Robert Kubica", "join", "Rowe Racing") in {(d, k, t) for d, k, t, _ in found}

def test_a_cues_words_inside_a_name_are_the_names() -> None:
    # "Intact GP" keeps nothing intact: the retention cue is part of the team's name
    assert ("Darryn Binder", "join") in {(d, k) for d, k, _, _ in moves(
        "Binder's new Moto2 home", "Darryn Binder will join Intact GP next season.", "Moto2")}
    # nor is the "British" of a championship's name anybody's epithet
    doc = default_engine()._read(Article(
        entry_id="c", title="Excelr8 signs Cook", series="BTCC", published=DATE,
        summary="Josh Cook will race for Excelr8 in the British Touring Car Championship."))
    start = doc.text.index("British")
    assert not any(a <= start < b for a, b in doc.cues.get("epithet", ()))

@pytest.mark.parametrize(("summary", "kind"), [
    # a post told in another sentence does not stop one who races from being a driver
    ("Car Collection co-owner Peter Schmidt will again race the team's Audi in the Bronze Cup "
     "next season. Schmidt, a co-founder of a software company, funds the programme.", "extend"),
    # an owner who steps in for a driver takes his seat
    ("Herberth Motorsport co-owner Alfred Renauer steps in for Ralf Bohn in the Bronze Cup car "
     "at Spa.", "replace"),
])
def test_an_owner_who_races_is_a_driver(summary: str, kind: str) -> None:
    found = moves("Gentleman drivers set", summary, "GT World Challenge Europe")
    assert kind in {k for d, k, _, _ in found if d in ("Peter Schmidt", "Alfred Renauer")}

def test_a_list_inside_a_where_clause_keeps_its_first_name() -> None:
    found = moves("No changes at Toyota", "There are no changes at Toyota Gazoo Racing, where "
                  "Sebastien Buemi, Brendon Hartley and Ryo Hirakawa stay in the No. 8.", "WEC")
    # (the names as the article writes them)
    assert {d for d, k, _, _ in found if k == "extend"} == {
        "Sebastien Buemi", "Brendon Hartley", "Ryo Hirakawa"}


@pytest.mark.parametrize(("summary", "kind"), [
    ("With Kyle Busch suspended, Austin Hill gets the call from Richard Childress Racing at "
     "Kansas.", "replace"),
    ("Austin Hill gets the nod from Richard Childress Racing for next season.", "join"),
])
def test_getting_the_call_from_a_team_is_a_seat_there(summary: str, kind: str) -> None:
    assert ("Austin Hill", kind, "Richard Childress Racing") in {
        (d, k, t) for d, k, t, _ in moves("RCR news", summary, "NASCAR Cup")}


@pytest.mark.parametrize("summary", [
    "After 20 seasons, Andre Lotterer is calling it a day.",
    "Andre Lotterer will hang up his gloves after the Bahrain finale.",
])
def test_retirement_idioms_are_retirements(summary: str) -> None:
    assert ("Andre Lotterer", "retire") in {(d, k) for d, k, _, _ in moves(
        "Lotterer news", summary, "WEC")}


def test_calling_it_a_day_in_a_session_is_no_retirement() -> None:
    assert moves("Practice news", "Lewis Hamilton called it a day early in second practice "
                 "after a spin.", "F1") == set()


@pytest.mark.parametrize("title", [
    "Martin lands factory Aprilia ride", "Martin earns works Aprilia seat",
    "Martin seals factory Aprilia move",
])
def test_a_headline_seat_with_its_kind_before_the_team_is_a_seat(title: str) -> None:
    assert ("Jorge Martin", "join") in {(d, k) for d, k, _, _ in moves(
        title, "Jorge Martin will race in MotoGP next season.", "MotoGP")}


@pytest.mark.parametrize("crew", [
    # a relative aside on the first name, its closing comma the list's own
    "Kim Larsen, who last raced here in 2019, Paolo Ferri and Sam Okafor",
    # a list member introduced by the series he comes from
    "Kim Larsen, British F4 graduate Paolo Ferri and Sam Okafor",
    "Kim Larsen, who steps up from LMP3, Italian GT champion Paolo Ferri and Sam Okafor",
    # the last name's own races set off after "and"
    "Kim Larsen, Paolo Ferri and, for the Endurance Cup rounds, Sam Okafor",
])
def test_a_crew_list_runs_on_past_an_aside_and_a_members_title(crew: str) -> None:
    found = moves("Line-ups settled", f"Falcon Motorsport's No. 19 will be driven by {crew}.",
                  "GT World Challenge Europe")
    assert {(d, kind, car) for d, kind, _, car in found} == {
        ("Kim Larsen", "join", "19"), ("Paolo Ferri", "join", "19"), ("Sam Okafor", "join", "19")}


def test_races_set_off_after_a_lists_and_are_the_last_names_alone() -> None:
    found = extract(Article(
        entry_id="c", title="Line-ups settled", series="GT World Challenge Europe",
        published=DATE, summary="Falcon Motorsport has signed Kim Larsen, Paolo Ferri and, for "
        "the long races, the seasoned Sam Okafor.")).moves
    assert {(m.driver, m.role) for m in found} == {
        ("Kim Larsen", "full-time"), ("Paolo Ferri", "full-time"), ("Sam Okafor", "endurance")}


@pytest.mark.parametrize("summary", [
    "Ana Ribeiro returns for a second season with Falcon Motorsport, joined by Kim Larsen.",
    "Ana Ribeiro returns for a second season with Falcon Motorsport, joined for the full "
    "campaign by Kim Larsen.",
    "Ana Ribeiro stays on at Falcon Motorsport and is joined for the season by Kim Larsen.",
])
def test_the_driver_joined_by_a_stayer_arrives_while_the_stayer_stays(summary: str) -> None:
    found = moves("Line-ups settled", summary, "GT World Challenge Europe")
    assert {(d, kind, team) for d, kind, team, _ in found} == {
        ("Ana Ribeiro", "extend", "Falcon Motorsport"), ("Kim Larsen", "join", "Falcon Motorsport")}


@pytest.mark.parametrize("crews", [
    "one for Kim Larsen and Paolo Ferri and the other for Sam Okafor and Ana Ribeiro",
    "one for Kim Larsen and Paolo Ferri, another for Sam Okafor and Ana Ribeiro",
    "one for Kim Larsen and Paolo Ferri and the sister car for Sam Okafor and Ana Ribeiro",
])
def test_the_second_crew_of_a_verb_said_once_reads_as_the_first(crews: str) -> None:
    news = extract(Article(entry_id="c", title="Line-ups settled", series="European Le Mans Series",
                           published=DATE,
                           summary=f"Falcon Motorsport will enter two Oreca 07s, {crews}.")).moves
    assert {(m.driver, m.kind.value) for m in news} == {
        ("Kim Larsen", "join"), ("Paolo Ferri", "join"), ("Sam Okafor", "join"),
        ("Ana Ribeiro", "join")}
    # (an existing entry's crews as they stand: both are its line-up, neither is news)
    standing = extract(Article(entry_id="c", title="Entry list out", published=DATE,
                               series="European Le Mans Series",
                               summary=f"Falcon Motorsport runs two Oreca 07s, {crews}."))
    assert not standing.moves
    assert {e.driver for e in standing.lineup} == {
        "Kim Larsen", "Paolo Ferri", "Sam Okafor", "Ana Ribeiro"}


def test_a_makers_title_on_a_companion_is_not_the_team_the_crew_is_placed_in() -> None:
    found = moves("Line-ups settled", "Falcon Motorsport hands the No. 62 to Kim Larsen and "
                  "Paolo Ferri, with Porsche factory driver Sam Okafor.", "Asian Le Mans Series")
    assert {(d, team) for d, _, team, _ in found} == {
        ("Kim Larsen", "Falcon Motorsport"), ("Paolo Ferri", "Falcon Motorsport")}


@pytest.mark.parametrize("summary", [
    "Kim Larsen partners former Porsche junior Paolo Ferri at Falcon Motorsport next season.",
    "Kim Larsen will partner Lamborghini Super Trofeo champion Paolo Ferri at Falcon Motorsport.",
])
def test_a_partner_titled_by_a_maker_leaves_the_team_to_the_clause(summary: str) -> None:
    assert moves("Line-ups settled", summary, "Asian Le Mans Series") == {
        ("Kim Larsen", "join", "Falcon Motorsport", None)}


def test_a_one_make_series_written_before_a_name_is_no_person_and_no_team() -> None:
    found = moves("Line-ups settled", "Kim Larsen partners former Lamborghini Super Trofeo "
                  "Asia racer Paolo Ferri at Falcon Motorsport next season.",
                  "Asian Le Mans Series")
    assert ("Kim Larsen", "join", "Falcon Motorsport", None) in found
    assert not {team for _, _, team, _ in found} - {"Falcon Motorsport"}
    assert "Trofeo Asia" not in {d for d, _, _, _ in found}


@pytest.mark.parametrize("summary", [
    "Falcon Motorsport has unveiled a brand-new line-up for next season, with Kim Larsen, "
    "Paolo Ferri and Sam Okafor.",
    "Falcon Motorsport announces an all-new trio of Kim Larsen, Paolo Ferri and Sam Okafor.",
])
def test_a_new_line_up_revealed_brings_every_name_in(summary: str) -> None:
    assert {(d, kind) for d, kind, _, _ in moves("Line-ups settled", summary, "F3")} == {
        ("Kim Larsen", "join"), ("Paolo Ferri", "join"), ("Sam Okafor", "join")}


@pytest.mark.parametrize("companions", [
    "together with Porsche factory duo Sam Okafor and Ana Ribeiro",
    "along with Sam Okafor and Ana Ribeiro",
])
def test_more_subjects_added_after_the_verb_share_the_move(companions: str) -> None:
    found = moves("Line-ups settled", "Kim Larsen and Paolo Ferri will drive for Falcon "
                  f"Motorsport next season, {companions}.", "WEC")
    assert {(d, kind, team) for d, kind, team, _ in found} == {
        (d, "join", "Falcon Motorsport")
        for d in ("Kim Larsen", "Paolo Ferri", "Sam Okafor", "Ana Ribeiro")}



def test_the_car_moved_from_is_not_the_car_moved_to() -> None:
    found = moves("Crew changes", "Falcon Motorsport has moved Kim Larsen from the No. 93 to the "
                  "No. 94 for next season.", "WEC")
    assert found == {("Kim Larsen", "join", "Falcon Motorsport", "94")}


@pytest.mark.parametrize(("summary", "expected"), [
    ("Kim Larsen leaves Falcon Motorsport, and Paolo Ferri takes his place in the No. 16.",
     {("Kim Larsen", "leave", "Falcon Motorsport"), ("Paolo Ferri", "join", "Falcon Motorsport")}),
    ("Kim Larsen will co-drive with Paolo Ferri at Falcon Motorsport in the Bathurst 1000.",
     {("Kim Larsen", "join", "Falcon Motorsport")}),
    ("Kim Larsen is out of Falcon Motorsport's line-up for next season.",
     {("Kim Larsen", "leave", "Falcon Motorsport")}),
    # (out of contract is no team left)
    ("Falcon Motorsport's pairing, Kim Larsen and Paolo Ferri, are out of contract at the end of "
     "the year.", set()),
])
def test_a_seat_taken_shared_or_lost_in_a_phrase(summary: str,
                                                  expected: set[tuple[str, str, str]]) -> None:
    found = moves("Seat news", summary, "Supercars")
    assert {(d, kind, team) for d, kind, team, _ in found} == expected


@pytest.mark.parametrize(("summary", "expected"), [
    ("Kim Larsen steps up from Formula 3 to Formula 2 with Falcon Motorsport next season.",
     ("Kim Larsen", "join", "Falcon Motorsport", None)),
    ("Kim Larsen moves up from Moto3 to Moto2 with Falcon Motorsport next season.",
     ("Kim Larsen", "join", "Falcon Motorsport", None)),
    ("Kim Larsen will graduate from Formula 3 to Formula 2 with Falcon Motorsport.",
     ("Kim Larsen", "join", "Falcon Motorsport", None)),
])
def test_a_step_up_from_one_series_to_another_names_the_team_after_both(
        summary: str, expected: tuple[str, str, str, None]) -> None:
    assert moves("Ladder news", summary, "F2") == {expected}


def test_the_team_a_step_up_is_from_is_where_the_driver_comes_from() -> None:
    found = extract(Article(entry_id="c", title="Ladder news", series="F2", published=DATE,
                            summary="Kim Larsen moves up from Hitech to ART Grand Prix next "
                            "season.")).moves
    assert [(m.driver, m.team, m.from_team) for m in found] == [
        ("Kim Larsen", "ART Grand Prix", "Hitech")]
    # (the clause after the origin's comma is another: "is under contract to" is no seat)
    assert not moves("Ladder news", "Larsen, who moves up from Hitech's Formula 3 team, is "
                     "under contract to Red Bull.", "F2")


def test_the_name_right_before_a_teams_verb_is_its_subject_not_a_shared_one() -> None:
    # ("Hyundai has confirmed A will contest ... alongside B": A contests, B is a team-mate)
    found = moves("Rally news", "Falcon Motorsport has confirmed Kim Larsen will contest a full "
                  "season next year alongside Paolo Ferri.", "WRC")
    assert {(d, kind) for d, kind, _, _ in found} == {("Kim Larsen", "join")}
    # (but "T, A part ways": a subject coordinated with the team)
    assert moves("Dale Coyne Racing, Kyle Kirkwood part ways", "", "IndyCar") == {
        ("Kyle Kirkwood", "leave", "Dale Coyne Racing", None)}


@pytest.mark.parametrize(("summary", "expected"), [
    ("Kim Larsen is the new driver of Falcon Motorsport's No. 8 Chevrolet.",
     ("Kim Larsen", "join", "Falcon Motorsport", "8")),
    ("Falcon Motorsport has brought in Kim Larsen to replace Paolo Ferri in the No. 38 for the "
     "final two rounds.", ("Kim Larsen", "replace", "Falcon Motorsport", "38")),
])
def test_a_new_driver_of_a_car_and_a_seat_for_the_last_rounds(
        summary: str, expected: tuple[str, str, str, str]) -> None:
    assert moves("Seat news", summary, "NASCAR") == {expected}


def test_a_driver_making_way_hands_his_seat_to_the_one_named_after() -> None:
    assert moves("Crew news", "Falcon Motorsport has settled its line-up: Sam Okafor makes way "
                 "for Kim Larsen in the No. 36.", "WEC") == {
        ("Kim Larsen", "join", "Falcon Motorsport", "36")}


def test_a_car_named_before_an_after_clause_is_not_the_car_of_its_subject() -> None:
    found = moves("Crew news", "Kim Larsen will race Falcon Motorsport's No. 40 full-time next "
                  "season after Paolo Ferri moved to Wayne Taylor Racing.", "IMSA")
    assert {(d, car) for d, _, _, car in found} == {("Kim Larsen", "40"), ("Paolo Ferri", None)}


def test_a_team_fielding_a_driver_alongside_another_names_a_team_mate() -> None:
    found = moves("Line-up news", "The team will field Kim Larsen alongside Paolo Ferri next "
                  "season, Falcon Motorsport said.", "F2")
    assert {d for d, _, _, _ in found} == {"Kim Larsen"}


@pytest.mark.parametrize(("title", "series", "expected"), [
    ("Kirkwood keeps Andretti seat for 2025", "IndyCar",
     ("Kyle Kirkwood", "extend", "Andretti Global")),
    ("Kirkwood, Andretti extend through 2027", "IndyCar",
     ("Kyle Kirkwood", "extend", "Andretti Global")),
    ("Bezzecchi completes factory Aprilia move", "MotoGP",
     ("Marco Bezzecchi", "join", "Aprilia Racing")),
])
def test_headlines_of_a_seat_kept_a_stay_agreed_or_a_move_sealed(
        title: str, series: str, expected: tuple[str, str, str]) -> None:
    assert {(d, kind, team) for d, kind, team, _ in moves(title, "", series)} == {expected}


def test_keeping_a_seat_warm_is_a_stand_in_not_a_stay() -> None:
    assert not {kind for _, kind, _, _ in moves("Kirkwood keeps Andretti seat warm at Laguna",
                                                "", "IndyCar")} & {"extend"}


def test_each_clause_of_a_seat_swap_keeps_its_own_car_and_team() -> None:
    found = moves("Seat swap", "Falcon Motorsport has signed Kim Larsen to replace Paolo Ferri "
                  "in the No. 47, and Ferri moves to Blauwe Racing's No. 42.", "NASCAR")
    assert {(d, team, car) for d, _, team, car in found} == {
        ("Kim Larsen", "Falcon Motorsport", "47"), ("Paolo Ferri", "Blauwe Racing", "42")}


@pytest.mark.parametrize(("summary", "role"), [
    ("Kim Larsen is the fourth driver for Falcon Motorsport at the Rolex 24.", "part-time"),
    ("Kim Larsen will be the third driver for Falcon Motorsport next season.", "third driver"),
])
def test_a_third_or_fourth_driver_for_a_team_has_a_seat(summary: str, role: str) -> None:
    found = extract(Article(entry_id="c", title="Crew news", summary=summary, series="IMSA",
                            published=DATE)).moves
    assert [(m.driver, m.kind.value, m.team, m.role) for m in found] == [
        ("Kim Larsen", "join", "Falcon Motorsport", role)]


@pytest.mark.parametrize("summary", [
    "Kim Larsen is Falcon Motorsport's first signing for next season.",
    "Kim Larsen has put pen to paper on a deal with Falcon Motorsport for next season.",
    "Falcon Motorsport will be represented by Kim Larsen next season.",
    "The Falcon Motorsport line-up for next season will consist of Kim Larsen alone.",
])
def test_signings_told_as_a_state_of_the_team(summary: str) -> None:
    assert moves("Signing news", summary, "F2") == {
        ("Kim Larsen", "join", "Falcon Motorsport", None)}
    # (but a driver described as the team's, not signed: no move)
    assert not moves("Form guide", "Kim Larsen is Falcon Motorsport's fastest driver this year.",
                     "F2")
