"""News that uses the words of a move without reporting one, each in words of its own: driver
changes inside a race, debuts told with their result, talks not yet begun, and the drivers
named at a car's launch."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.models import Article, Status
from bot.rules import extract

DATE = datetime(2024, 5, 20, tzinfo=UTC)


def confirmed(title: str, summary: str, series: str | None = None) -> set[tuple[str, str, str]]:
    found = extract(Article(entry_id="w", title=title, summary=summary, series=series,
                            published=DATE)).moves
    return {(m.driver, m.kind.value, m.team) for m in found if m.status is Status.CONFIRMED}


@pytest.mark.parametrize("sentence", [
    "Earl Bamber handed the No. 02 Cadillac to Alex Lynn at the last round of stops and "
    "Lynn took over the lead when the Porsche pitted.",
    "Will Stevens switched to intermediate tyres a lap early, and Callum Ilott took over the "
    "No. 12 Jota Porsche for the closing stint.",
])
def test_a_driver_change_inside_a_race_is_no_move(sentence: str) -> None:
    assert confirmed("Rain shuffles the order at Spa", sentence, "WEC") == set()


def test_a_driver_change_word_does_not_hide_a_signing_in_another_sentence() -> None:
    found = confirmed("Jota adds Callum Ilott",
                      "Hertz Team Jota has signed Callum Ilott for the full season. He did a "
                      "double stint in the car at the prologue.", "WEC")
    assert ("Callum Ilott", "join", "Jota") in {(d, k, t.replace("Hertz Team ", ""))
                                                for d, k, t in found}


@pytest.mark.parametrize(("title", "sentence"), [
    ("Kawasaki rookie shines on Yamaha debut",
     "Garrett Gerloff, making his debut for the Yamaha satellite squad, finished fifth in the "
     "opening race."),
    ("Bulega wins on Ducati debut",
     "Nicolo Bulega won the first race of the weekend at Phillip Island."),
])
def test_a_debut_told_with_its_result_is_a_race_report(title: str, sentence: str) -> None:
    assert confirmed(title, sentence, "WorldSBK") == set()


def test_a_car_number_before_a_result_is_no_tally() -> None:
    # "97 race wins" counts a career; "the No. 47, finished" only names the car that raced
    assert confirmed("Blaney wins at Talladega",
                     "Ryan Blaney won at Talladega. Ricky Stenhouse Jr., driving JTG "
                     "Daugherty Racing's No. 47, finished ninth.", "NASCAR Cup") == set()


def test_a_debut_to_come_is_still_a_move() -> None:
    found = confirmed("Gerloff to make Yamaha debut at Assen",
                      "Garrett Gerloff will make his debut for Yamaha at Assen next month.",
                      "WorldSBK")
    assert {(d, k) for d, k, _ in found} == {("Garrett Gerloff", "join")}


def test_talks_that_have_not_begun_are_no_stay() -> None:
    assert confirmed("Logano still weighing his options, says Penske",
                     "Roger Penske said Joey Logano is happy at the team but that no talks "
                     "about an extension have started yet.", "NASCAR Cup") == set()


def test_the_drivers_named_at_a_livery_launch_race_the_cars_they_do_not_join() -> None:
    assert confirmed("Andretti shows its new colours",
                     "Andretti Formula E revealed its livery in Los Angeles on Friday. Jake "
                     "Dennis and Norman Nato will race the cars in the opening round in Sao "
                     "Paulo, the team said.",
                     "Formula E") == set()


def test_a_return_after_an_injury_is_a_comeback_to_the_drivers_own_seat() -> None:
    assert confirmed("Waters back in the Tickford Mustang after Perth crash",
                     "Cam Waters returns to his Tickford Racing Mustang at Townsville after "
                     "missing the last round with a wrist injury.", "Supercars") == set()


def test_a_return_after_a_year_that_went_wrong_is_still_a_move() -> None:
    found = confirmed("Waters returns to Tickford",
                      "Cam Waters returns to Tickford Racing after a crash-filled year with "
                      "Erebus, and after missing out on a seat at Triple Eight.", "Supercars")
    assert {(d, k) for d, k, _ in found} == {("Cam Waters", "join")}


def test_a_crew_told_in_the_pluperfect_is_who_drove_the_car_before() -> None:
    assert confirmed("Lamborghini pulls out of IMSA's top class",
                     "Lamborghini will withdraw its SC63 from IMSA after the finale, the "
                     "manufacturer said. Drivers Romain Grosjean and Andrea Caldarelli had "
                     "raced the No. 63 since January.", "IMSA") == set()


def test_a_headlines_second_verb_after_a_comma_has_the_first_verbs_subject() -> None:
    found = confirmed("Oliveira loses Aprilia seat to Fernandez, heads to Pramac", "", "MotoGP")
    assert {(d, k) for d, k, _ in found if "Pramac" in _} == {("Miguel Oliveira", "join")}


def test_a_team_headlines_second_verb_is_the_teams() -> None:
    found = confirmed("Action Express teams up with Cadillac, keeps Derani", "", "IMSA")
    assert {(d, k) for d, k, _ in found} == {("Pipo Derani", "extend")}
    assert all("Action Express" in team for _, _, team in found)


def test_a_staff_title_before_a_new_clause_is_not_the_next_names() -> None:
    found = confirmed("Penske shuffles crew chiefs as Cindric stays",
                      "Austin Cindric will stay with Team Penske next season, the team "
                      "confirmed.", "NASCAR Cup")
    assert {(d, k) for d, k, _ in found} == {("Austin Cindric", "extend")}


def test_a_name_opening_with_team_that_no_list_knows_is_a_team() -> None:
    found = confirmed("Gerloff stays put",
                      "Garrett Gerloff will remain with Team Orelac Verdnatura in 2025, the "
                      "Kawasaki satellite squad announced.", "WorldSBK")
    assert found == {("Garrett Gerloff", "extend", "Team Orelac Verdnatura")}


def test_being_left_in_a_state_is_not_leaving_a_team() -> None:
    assert confirmed("Rossi denied at the Brickyard",
                     "Alexander Rossi led until the final restart and was left frustrated in "
                     "his Arrow McLaren after fading to fourth.", "IndyCar") == set()


def test_a_move_dated_years_after_in_the_past_is_history() -> None:
    assert confirmed("Vettel reflects on his switch",
                     "Six years after he left Red Bull to join Ferrari, Sebastian Vettel says "
                     "the move taught him patience.", "F1") == set()


def test_a_headlines_to_before_a_verb_and_a_possessive_team_is_no_move() -> None:
    assert confirmed("Leclerc holds off Piastri to end McLaren's winning streak", "",
                     "F1") == set()
    found = confirmed("Magnussen to tackle Le Mans with Cadillac", "", "WEC")
    assert {(d, k) for d, k, _ in found} == {("Kevin Magnussen", "join")}


def test_a_move_told_in_the_past_after_the_news_with_last_year_is_background() -> None:
    found = confirmed("Gasly open to talks as Alpine weighs options",
                      "Pierre Gasly says he is ready to discuss a new contract with Alpine. "
                      "Team boss Oliver Oakes said there was no rush. Gasly joined the Enstone "
                      "squad from AlphaTauri at the start of last year.", "F1")
    assert found == set()


@pytest.mark.parametrize(("title", "sentence"), [
    ("Doohan to make practice debut with Alpine at Monza",
     "Jack Doohan will drive one of the Alpine cars in first practice at Monza."),
    ("Williams runs reserve at winter test",
     "Williams will run reserve driver Franco Colapinto at this week's pre-season test in "
     "Bahrain after Logan Sargeant fell ill."),
])
def test_a_practice_or_test_outing_is_no_seat(title: str, sentence: str) -> None:
    assert confirmed(title, sentence, "F1") == set()


def test_a_team_giving_up_on_placing_a_driver_is_no_move() -> None:
    assert confirmed("Red Bull drops Palou plan",
                     "Red Bull has given up on placing Alex Palou at Toro Rosso for next year "
                     "after talks stalled.", "F1") == set()


def test_the_drivers_a_newcomer_is_joining_are_not_a_crew_announced() -> None:
    found = confirmed("Rossi heads to McLaren",
                      "Alexander Rossi has signed to join Arrow McLaren from 2023. The 2016 "
                      "Indianapolis 500 winner will drive the No. 7 Chevrolet, joining Pato "
                      "O'Ward and Felix Rosenqvist.", "IndyCar")
    assert {d for d, _, _ in found} == {"Alexander Rossi"}


def test_a_team_whose_junior_the_signing_is_is_not_the_articles_team() -> None:
    found = confirmed("Campos signs Red Bull junior Lindblad",
                      "Campos Racing has signed Arvid Lindblad for next season. The Red Bull "
                      "junior will partner Josep Maria Marti, who stays with the Spanish team "
                      "for another year.", "F2")
    assert {(d, t) for d, _, t in found} == {("Arvid Lindblad", "Campos Racing"),
                                              ("Josep Maria Marti", "Campos Racing")}


def test_succeeding_someone_in_a_post_taken_over_is_no_seat() -> None:
    found = confirmed("Van Gisbergen to step back and run the team",
                      "Shane van Gisbergen will retire from full-time driving at the end of "
                      "the season and take over as team principal of Triple Eight in 2025, "
                      "succeeding Jamie Whincup.", "Supercars")
    assert {k for _, k, _ in found} == {"retire"}


def test_joining_others_as_a_winner_is_a_result() -> None:
    assert confirmed("Porsche wins at Sebring",
                     "Nick Tandy, in his first race with the team, joined Felipe Nasr and "
                     "Dane Cameron as a winner after the Cadillac hit trouble.",
                     "IMSA") == set()


def test_a_team_after_a_verb_in_a_when_he_clause_is_that_clauses() -> None:
    found = confirmed("Gerloff ends Yamaha era with shock Kawasaki move",
                      "Garrett Gerloff will leave GRT Yamaha at the end of the season and join "
                      "Kawasaki Racing Team from 2025. The American takes the bike that Alex "
                      "Lowes will vacate when he moves to BMW, and will partner Axel Bassani.",
                      "WorldSBK")
    assert {(d, t) for d, _, t in found} == {("Garrett Gerloff", "Kawasaki Racing Team WorldSBK"),
                                              ("Alex Lowes", "BMW")}


def test_ending_a_full_time_career_is_a_retirement() -> None:
    found = confirmed("Bell lands in Gibbs' No. 20 as Harvick steps away",
                      "Christopher Bell will drive for Joe Gibbs Racing, taking over from "
                      "Kevin Harvick, who is ending his full-time Cup career this season.",
                      "NASCAR Cup")
    assert ("Kevin Harvick", "retire") in {(d, k) for d, k, _ in found}


def test_a_month_named_may_is_no_hedge() -> None:
    found = confirmed("Vandoorne stays", "Stoffel Vandoorne will stay with DS Penske, the "
                      "team announced in May.", "Formula E")
    assert {(d, k) for d, k, _ in found} == {("Stoffel Vandoorne", "extend")}


def test_a_move_told_by_whose_and_its_noun_is_the_possessors() -> None:
    found = confirmed("Buemi to join Envision",
                      "Sebastien Buemi will race for Envision Racing next season, taking the "
                      "seat of Nick Cassidy, whose departure Envision confirmed last week. He "
                      "joins Robin Frijns, whose promotion from the team's reserve role was "
                      "announced in May.", "Formula E")
    kinds = {(d, k) for d, k, _ in found}
    assert ("Nick Cassidy", "leave") in kinds
    assert ("Robin Frijns", "promote") in kinds


def test_he_opening_a_clause_of_time_after_a_persons_own_verb_is_that_person() -> None:
    found = confirmed("Di Giannantonio lands VR46 ride",
                      "Ducati has placed Fabio Di Giannantonio at VR46 for next season, giving "
                      "him the bike that Marco Bezzecchi will leave behind when he moves to "
                      "Aprilia Racing.", "MotoGP")
    assert ("Marco Bezzecchi", "join", "Aprilia Racing") in found


def test_a_career_ended_last_month_told_after_the_news_is_background() -> None:
    found = confirmed("Lorenzo commits to a GT season",
                      "Jorge Lorenzo will race a Porsche for Team Lazarus in 2026. Lorenzo "
                      "ended his MotoGP career at Valencia last month.", "GT World Challenge")
    assert "retire" not in {k for _, k, _ in found}


def test_a_new_boss_inheriting_a_driver_pairing_moves_no_driver() -> None:
    assert confirmed("Mercedes names new boss",
                     "The Austrian will inherit a driver pairing of George Russell and Andrea "
                     "Kimi Antonelli.", "F1") == set()


def test_a_seat_lost_before_the_news_is_background() -> None:
    found = confirmed("Gasly back with Alpine",
                      "Pierre Gasly spent this year as AlphaTauri's driver after losing his "
                      "race seat to Alex Albon at Red Bull.", "F1")
    assert ("Alex Albon", "join") not in {(d, k) for d, k, _ in found}


def test_kept_as_part_of_a_family_is_no_seat() -> None:
    assert confirmed("Shwartzman stays in red",
                     "Ferrari will keep Robert Shwartzman as part of its family next year.",
                     "F1") == set()


def test_neither_of_whom_retained_is_an_exit() -> None:
    found = confirmed("Hyundai rebuilds",
                      "Hyundai signs two new drivers. They replace Dani Sordo and Craig Breen, "
                      "neither of whom has been retained.", "WRC")
    assert {(d, k) for d, k, _ in found if d in ("Dani Sordo", "Craig Breen")} == {
        ("Dani Sordo", "leave"), ("Craig Breen", "leave")}


def test_again_in_a_comeback_told_by_the_headline_is_a_return_not_a_stay() -> None:
    found = confirmed("Grosjean returns to Haas after Magnussen injury",
                      "Romain Grosjean will race for Haas again this season, the team said.",
                      "F1")
    assert {(d, k) for d, k, _ in found} == {("Romain Grosjean", "join")}


def test_his_team_mate_named_after_opens_a_sentence_about_the_team_mate() -> None:
    found = confirmed("Yamaha completes line-up",
                      "Fabio Quartararo will stay at Yamaha next year. His former Petronas "
                      "team-mate Franco Morbidelli has been picked up by Pramac and will ride "
                      "for the Ducati satellite squad.", "MotoGP")
    assert ("Fabio Quartararo", "join") not in {(d, k) for d, k, _ in found}
    assert "Franco Morbidelli" in {d for d, _, _ in found}


def test_a_participle_after_a_comma_breaks_a_list_of_names() -> None:
    found = confirmed("LCR signs Zarco",
                      "Johann Zarco will ride for LCR Honda alongside Takaaki Nakagami, "
                      "replacing Alex Rins, who moves to Yamaha.", "MotoGP")
    assert ("Takaaki Nakagami", "join") not in {(d, k) for d, k, _ in found}


def test_a_teams_current_drivers_are_a_line_up_not_news() -> None:
    assert confirmed("Spire buys Live Fast's charter",
                     "Spire Motorsports has bought Live Fast Motorsports' Cup operation. Live "
                     "Fast's current drivers, BJ McLeod in the No. 78 and Josh Williams in the "
                     "No. 77, were told on Monday.", "NASCAR Cup") == set()


def test_the_team_mate_named_alongside_a_signing_is_no_signing() -> None:
    found = confirmed("Haas confirms Bearman alongside Ocon", "", "F1")
    assert {d for d, _, _ in found} == {"Oliver Bearman"}


def test_the_crews_named_at_a_cars_unveiling_are_its_line_up() -> None:
    assert confirmed("Lamborghini unveils its SC63",
                     "Lamborghini Iron Lynx unveiled its SC63 Hypercar in Sant'Agata. Andrea "
                     "Caldarelli, Matteo Cairoli and Romain Grosjean will share the No. 63.",
                     "WEC") == set()


def test_a_single_season_with_a_team_is_where_a_returning_driver_comes_from() -> None:
    found = extract(Article(entry_id="w", title="Neuville returns to Hyundai",
                            summary="Hyundai has confirmed that Thierry Neuville will rejoin the "
                                    "team, returning after a single season with M-Sport Ford.",
                            series="WRC", published=DATE)).moves
    assert {(m.team, m.from_team) for m in found} == {("Hyundai Motorsport",
                                                       "M-Sport Ford World Rally Team")}


def test_a_circuit_no_list_knows_is_no_team() -> None:
    found = confirmed("Ilott stands in again",
                      "Callum Ilott will drive the car again at Thermal Motorsports Park this "
                      "weekend for Arrow McLaren.", "IndyCar")
    assert all("Park" not in team for _, _, team in found)


def test_an_agent_placing_a_driver_with_a_team_of_its_own() -> None:
    found = confirmed("KTM promotes Celestino Vietti to MotoGP with GASGAS Tech3", "", "MotoGP")
    assert {(d, t) for d, _, t in found} == {("Celestino Vietti", "Tech3")}


def test_taking_over_the_lead_is_a_race_position() -> None:
    assert confirmed("Cadillac wins Sebring",
                     "Cadillac won the 12 Hours of Sebring, with Sebastien Bourdais taking over "
                     "the lead in the final hour.", "IMSA") == set()


def test_again_for_an_injured_driver_is_a_stand_in_not_a_stay() -> None:
    found = confirmed("Hendrick taps Allgaier again, this time for injured Elliott",
                      "Justin Allgaier will drive the No. 9 at Dover this weekend as Chase "
                      "Elliott recovers from a broken leg.", "NASCAR Cup")
    assert "extend" not in {k for _, k, _ in found}


def test_a_move_told_in_the_past_with_an_earlier_year_after_the_news_is_background() -> None:
    found = confirmed("Ocon: 'I learned from being benched'",
                      "Esteban Ocon says the year without a race seat made him stronger. He "
                      "spoke ahead of the Dutch Grand Prix. He joined Alpine in 2023 and partners "
                      "Pierre Gasly this season.", "F1")
    assert found == set()


def test_a_retrospective_headline_dates_every_past_move_in_it() -> None:
    assert confirmed("Twenty years on: Button's first win",
                     "Jenson Button won in Hungary for Honda. Button returned to McLaren "
                     "later and never raced for Honda again.", "F1") == set()


def test_a_teams_second_verb_after_and_has_the_teams_subject() -> None:
    found = confirmed("New owners for the Pramac bikes",
                      "Yamaha has taken over the Pramac operation and will field Miguel "
                      "Oliveira and Jack Miller next year.", "MotoGP")
    assert {t for _, _, t in found} <= {"Monster Energy Yamaha MotoGP", "Yamaha",
                                         "Prima Pramac Racing", "Pramac Racing"}
    assert {t for _, _, t in found} and not any("Pramac" in t for _, _, t in found)


def test_a_teams_second_verb_after_a_long_first_clause_has_the_teams_subject() -> None:
    found = confirmed("Graff moves up a class",
                      "Graff Racing will enter the LMP2 category of the Asian Le Mans Series for "
                      "the first time this winter, and has hired Eduardo Barrichello for its "
                      "Oreca.", "Asian Le Mans Series")
    assert {(d, k) for d, k, _ in found} == {("Eduardo Barrichello", "join")}
    assert all("Graff" in t for _, _, t in found)


def test_names_passed_over_on_the_way_to_the_team_count_as_one_word_each() -> None:
    found = confirmed("Rookie lands Xfinity seat",
                      "William Sawalich will contest the entire 2025 NASCAR Xfinity Series "
                      "schedule in the No. 18 Toyota GR Supra for Joe Gibbs Racing.",
                      "NASCAR Xfinity")
    assert ("William Sawalich", "join", "Joe Gibbs Racing") in found


def test_the_series_a_champion_won_is_no_driver() -> None:
    found = confirmed("Brazilian star joins Coyne",
                      "Felipe Fraga, three-time champion of Brazil's Turismo Nacional, will "
                      "race for Dale Coyne Racing next year.", "IndyCar")
    assert {d for d, _, _ in found} == {"Felipe Fraga"}


def test_years_ago_before_the_verb_dates_it_whatever_its_tense() -> None:
    assert confirmed("Lorenzo anniversary",
                     "Ten years ago this week Jorge Lorenzo won the 2008 Portuguese Grand Prix "
                     "at Estoril on his debut for Yamaha.", "MotoGP") == set()


def test_a_move_led_to_by_an_ing_verb_talked_of_is_no_move() -> None:
    assert confirmed("Vettel: 'No regrets'",
                     "Sebastian Vettel says he has no regrets about walking away from Red Bull "
                     "at the end of 2014 to join Ferrari.", "F1") == set()


def test_a_verb_in_a_who_clause_is_about_the_person_before_it() -> None:
    found = confirmed("Mir joins LCR, takes Zarco's seat",
                      "Joan Mir will ride for LCR Honda next year. He takes the seat of Johann "
                      "Zarco, who is heading to Pramac Racing to partner Jorge Martin.",
                      "MotoGP")
    assert ("Joan Mir", "join", "Pramac Racing") not in found
    assert ("Johann Zarco", "join") in {(d, k) for d, k, _ in found}


def test_a_year_naming_a_title_held_is_not_the_season() -> None:
    # (Read as the season, 2013 made the exit old history, and it was dropped.)
    found = confirmed("Bourdais returns in Coyne No. 18 as team parts with Harvey",
                      "Dale Coyne Racing has parted ways with Jack Harvey and will put 2013 "
                      "champion Sebastien Bourdais in the No. 18 Honda for the remainder of the "
                      "season, starting at Road America.", "IndyCar")
    assert {(d, k) for d, k, _ in found} == {("Jack Harvey", "leave"),
                                              ("Sebastien Bourdais", "join")}


def test_names_after_with_are_the_subject_of_the_ing_verb_after_them() -> None:
    found = confirmed("Porsche keeps its crews",
                      "Kevin Estre, Andre Lotterer and Laurens Vanthoor continue in the No. 6, "
                      "with Matt Campbell, Michael Christensen and Frederic Makowiecki again "
                      "sharing the No. 5.", "WEC")
    assert {d for d, _, _ in found} >= {"Matt Campbell", "Michael Christensen",
                                         "Frederic Makowiecki"}


def test_a_hedge_after_an_aside_is_not_the_asides() -> None:
    found = confirmed("Ducati picks its line-up",
                      "Jack Miller, whose departure from the factory team Ducati confirmed, is "
                      "expected to move to KTM.", "MotoGP")
    assert ("Jack Miller", "leave") in {(d, k) for d, k, _ in found}


def test_who_is_off_to_a_team_is_a_move_and_another_move_collapsing_calls_off_none() -> None:
    found = confirmed("Ricciardo lands McLaren drive",
                      "Daniel Ricciardo fills the vacancy left by Carlos Sainz, who is off to "
                      "Ferrari, after McLaren's move for another driver collapsed.", "F1")
    assert ("Carlos Sainz", "join", "Ferrari") in found


def test_a_verb_in_an_aside_after_neither_is_the_named_drivers_own() -> None:
    found = confirmed("Haas completes line-up",
                      "Neither Romain Grosjean, who joins Dale Coyne Racing, nor Kevin "
                      "Magnussen will be with the team next year.", "F1")
    assert ("Romain Grosjean", "join", "Dale Coyne Racing") in found


def test_a_deal_yet_to_be_offered_is_no_stay() -> None:
    assert confirmed("Gresini weighs options",
                     "Gresini's Fabio Di Giannantonio, who has yet to be offered a new deal, "
                     "could be the casualty.", "MotoGP") == set()


def test_driving_a_car_one_last_time_is_a_farewell_not_a_seat() -> None:
    found = confirmed("Busch to retire after 2025",
                      "Kyle Busch will retire from Cup racing at the end of the 2025 season. The "
                      "two-time champion will drive the No. 8 for Richard Childress Racing one "
                      "last time.", "NASCAR Cup")
    assert {k for _, k, _ in found} == {"retire"}


def test_being_left_searching_for_a_ride_is_no_exit() -> None:
    assert confirmed("Custer's future",
                     "Cole Custer was left searching for a ride after Stewart-Haas Racing said "
                     "it would close.", "NASCAR Cup") == set()


def test_a_headlines_for_after_the_object_of_a_verb_is_the_subjects() -> None:
    found = confirmed("Lowndes joins Feeney for Triple Eight enduro campaign", "", "Supercars")
    assert {d for d, _, _ in found} == {"Craig Lowndes"}


def test_a_deal_signed_earlier_in_the_year_told_after_the_news_is_background() -> None:
    found = extract(Article(
        entry_id="w", title="Piastri: 'I want to win here'",
        summary="Oscar Piastri says his future is with McLaren and he wants a title with the "
                "team. The Australian signed a contract extension in February 2024 that runs "
                "to 2026.", series="F1", published=datetime(2024, 8, 1, tzinfo=UTC))).moves
    assert [m for m in found if m.status is Status.CONFIRMED] == []


def test_winning_the_final_race_for_a_team_is_no_exit() -> None:
    assert confirmed("Rowland crowned in London",
                     "Oliver Rowland won the title. Jake Dennis won the final race for "
                     "Andretti.", "Formula E") == set()


def test_the_entrant_named_after_a_cars_make_is_the_team() -> None:
    found = confirmed("Bowman's new home",
                      "Alex Bowman will drive the No. 48 Chevrolet for Legacy Motor Club from "
                      "2026.", "NASCAR Cup")
    assert found == {("Alex Bowman", "join", "Legacy Motor Club")}


def test_a_class_that_launches_is_no_car_unveiled() -> None:
    found = confirmed("Cadillac sets its GTP crews",
                      "Cadillac Racing will field Earl Bamber and Alex Lynn in the No. 02 when "
                      "the GTP class launches at Daytona. Sebastien Bourdais and Renger van der "
                      "Zande will share the No. 01.", "IMSA")
    assert {d for d, _, _ in found} >= {"Sebastien Bourdais", "Renger van der Zande"}


def test_drivers_said_to_continue_this_season_mid_season_keep_the_seats_they_have() -> None:
    found = extract(Article(
        entry_id="w", title="Haas sold to new owners",
        summary="Haas has been bought by an investment firm, ending Gene Haas's ownership. "
                "Deputy team principal Laura Mueller said the team's future was now secure and "
                "that Esteban Ocon and Oliver Bearman would continue to race for it this season.",
        series="F1", published=datetime(2025, 6, 10, tzinfo=UTC))).moves
    assert [m for m in found if m.status is Status.CONFIRMED] == []


def test_a_crew_winning_the_teams_last_race_with_a_make_moves_nobody() -> None:
    assert confirmed("Acura bows out with a win",
                     "Meyer Shank Racing's No. 60 Acura of Tom Blomqvist and Colin Braun won "
                     "the Petit Le Mans, the team's final race with Acura.", "IMSA") == set()


def test_a_crew_clinching_a_title_is_a_race_report() -> None:
    assert confirmed("United seals the crown",
                     "Oliver Jarvis and Tom Blomqvist clinched the Asian Le Mans title for "
                     "United Autosports, winning at Abu Dhabi in the No. 23 Oreca.",
                     "Asian Le Mans") == set()


def test_a_teams_regular_drivers_sharing_with_a_guest_are_no_news() -> None:
    found = confirmed("Button to race the Rolex 24 with Wayne Taylor",
                      "Jenson Button will race in the Rolex 24 for Wayne Taylor Racing, sharing "
                      "the car with the team's regular drivers Ricky Taylor and Filipe "
                      "Albuquerque.", "IMSA")
    assert {d for d, _, _ in found} == {"Jenson Button"}


def test_moving_clear_of_a_rival_in_the_standings_is_no_transfer() -> None:
    assert confirmed("Bulega closes in",
                     "The Aruba.it Racing rider moved clear of reigning champion Toprak "
                     "Razgatlioglu in the standings after the summer break.",
                     "WorldSBK") == set()


def test_a_crew_that_stays_as_it_was_is_kept() -> None:
    found = confirmed("Porsche sets its crews",
                      "Porsche Penske Motorsport's #6 crew of Kevin Estre, Andre Lotterer and "
                      "Laurens Vanthoor stays as it was after winning the title.", "WEC")
    assert {k for _, k, _ in found} <= {"extend"}


def test_a_cars_model_letters_are_no_name() -> None:
    assert confirmed("Toyota unveils GR Supra GT-R500 for Super GT",
                     "Toyota unveiled its new car at the Tokyo Auto Salon.",
                     "Super GT") == set()


def test_first_names_coordinated_before_a_full_name_share_its_surname() -> None:
    found = confirmed("Marquez brothers to share Gresini garage",
                      "Gresini Racing will field brothers Alex and Marc Marquez next season.",
                      "MotoGP")
    assert {d for d, _, _ in found} >= {"Álex Márquez", "Marc Marquez"}


def test_a_driver_who_is_joined_in_the_car_by_others_is_not_the_mover() -> None:
    found = confirmed("Proton's ELMS entry",
                      "Actor Michael Fassbender is joined in Proton's No. 93 Porsche by "
                      "Richard Lietz and Estonian Martin Rump.", "ELMS")
    assert "Michael Fassbender" not in {d for d, _, _ in found}
    assert not any(d.startswith("Actor") for d, _, _ in found)


def test_a_move_named_as_his_move_before_which_something_happened() -> None:
    found = confirmed("Ericsson moves to Andretti",
                      "Marcus Ericsson will drive the No. 28 for Andretti Global. He inherits "
                      "the car that Romain Grosjean drove this year before his move to Juncos "
                      "Hollinger Racing.", "IndyCar")
    assert ("Romain Grosjean", "join", "Juncos Hollinger Racing") in found


def test_drivers_named_for_a_teams_new_car_are_its_line_up() -> None:
    assert confirmed("Haas unveils new title partner",
                     "Esteban Ocon and Oliver Bearman will race the team's 2026 car.",
                     "F1") == set()


def test_taking_over_the_teams_car_for_the_rest_of_the_season_is_still_a_move() -> None:
    found = confirmed("Alpine drops Doohan, Colapinto takes over",
                      "Alpine has dropped Jack Doohan, and Franco Colapinto will race the team's "
                      "car for the rest of the season.", "F1")
    assert ("Franco Colapinto", "join") in {(d, k) for d, k, _ in found} or \
        ("Franco Colapinto", "replace") in {(d, k) for d, k, _ in found}


def test_now_lining_up_beside_a_rival_is_the_grid() -> None:
    assert confirmed("Hamilton penalised",
                     "Valtteri Bottas now lines up alongside Max Verstappen, with Sergio Perez "
                     "third.", "F1") == set()


def test_a_crew_list_runs_on_past_a_cars_make_and_model() -> None:
    found = confirmed("BMW sets its GTP crews",
                      "BMW M Team RLL will field Connor De Phillippi and Nick Yelloly in the "
                      "No. 25 BMW M Hybrid V8 and Philipp Eng and Augusto Farfus in the No. 24 "
                      "next season.", "IMSA")
    assert {d for d, _, _ in found} == {"Connor De Phillippi", "Nick Yelloly", "Philipp Eng",
                                         "Augusto Farfus"}


def test_a_gapped_clause_may_name_a_whole_crew() -> None:
    found = confirmed("Ferrari names its Hypercar crews",
                      "Antonio Fuoco, Miguel Molina and Nicklas Nielsen will share the No. 50, "
                      "with Alessandro Pier Guidi, James Calado and Antonio Giovinazzi in the "
                      "No. 51.", "WEC")
    assert {(d, c) for d, _, _, c in {(m.driver, m.kind.value, m.team, m.car) for m in extract(
        Article(entry_id="w", title="Ferrari names its Hypercar crews",
                summary="Antonio Fuoco, Miguel Molina and Nicklas Nielsen will share the No. 50, "
                        "with Alessandro Pier Guidi, James Calado and Antonio Giovinazzi in the "
                        "No. 51.", series="WEC", published=DATE)).moves}} >= {
        ("Alessandro Pier Guidi", "51"), ("James Calado", "51"), ("Antonio Giovinazzi", "51")}
    assert len(found) == 6


@pytest.mark.parametrize("aside", ["who stays for a second year", "who keeps his place",
                                   "who has already re-signed with the squad"])
def test_a_team_mate_who_stays_told_in_a_relative_clause_is_kept(aside: str) -> None:
    found = confirmed("Erebus signs Le Brocq",
                      f"Erebus Motorsport has signed Jack Le Brocq for next season. He will "
                      f"partner Brodie Kostecki, {aside}.", "Supercars")
    assert ("Brodie Kostecki", "extend") in {(d, k) for d, k, _ in found}


def test_returning_drivers_who_make_up_a_crew_are_its_line_up() -> None:
    found = confirmed("Peugeot confirms its crews",
                      "Returning drivers Loic Duval, Gustavo Menezes and Nico Muller make up the "
                      "#94 crew. Mikkel Jensen joins Paul di Resta in the #93.", "WEC")
    assert not {"Loic Duval", "Gustavo Menezes", "Nico Muller"} & {d for d, _, _ in found}


def test_stepping_away_from_a_seat_is_an_exit_even_beside_a_new_staff_role() -> None:
    found = confirmed("Sato to step away from full-time IndyCar seat, joins ownership group at "
                      "Rahal Letterman Lanigan Racing", "", "IndyCar")
    assert ("Takuma Sato", "leave") in {(d, k) for d, k, _ in found}


def test_ruled_out_with_an_injury_is_no_denial_and_a_habit_is_no_season() -> None:
    found = confirmed("Pirro steps in for injured Bagnaia at Ducati Lenovo",
                      "Ducati test rider Michele Pirro will replace Francesco Bagnaia in the "
                      "Ducati Lenovo Team at the Catalan Grand Prix, after the Italian was ruled "
                      "out with a fractured right hand sustained in his crash with Marc Marquez "
                      "at Jerez. Pirro has stood in for Bagnaia many times since 2020.",
                      "MotoGP")
    assert ("Michele Pirro", "replace") in {(d, k) for d, k, _ in found}


def test_a_move_days_before_the_news_is_news_but_weeks_before_is_background() -> None:
    found = confirmed("Bearman returns to Haas",
                      "Oliver Bearman will race for Haas, the team announcing it days after it "
                      "terminated Kevin Magnussen's contract.", "F1")
    assert ("Kevin Magnussen", "leave") in {(d, k) for d, k, _ in found}
    found = confirmed("Schumacher joins Mercedes as reserve",
                      "Mick Schumacher will be Mercedes' reserve driver, weeks after Haas chose "
                      "Nico Hulkenberg to replace him.", "F1")
    assert "Nico Hulkenberg" not in {d for d, _, _ in found}


def test_no_reason_to_leave_is_no_exit() -> None:
    assert confirmed("Norris dismisses Red Bull talk",
                     "Lando Norris says he is happy at McLaren and has no reason to leave, "
                     "despite Red Bull boss Christian Horner saying he would like to sign him.",
                     "F1") == set()


def test_a_front_runner_in_a_series_is_no_hedge() -> None:
    found = confirmed("Brown confirmed as Tander's successor at Triple Eight",
                      "The Super2 front-runner steps up to replace veteran Garth Tander, who "
                      "will stop racing full-time at the end of this season.", "Supercars")
    assert ("Garth Tander", "retire") in {(d, k) for d, k, _ in found}


def test_dropping_down_to_drive_a_car_says_where() -> None:
    found = confirmed("Custer heads back to Xfinity",
                      "Cole Custer will drop down to drive Haas Factory Team's No. 00 Ford in the "
                      "Xfinity Series next year.", "NASCAR Cup")
    assert {(d, k) for d, k, _ in found} == {("Cole Custer", "join")}


@pytest.mark.parametrize("aside", ["who claimed the title last year", "a title candidate",
                                   "part of the team's plans"])
def test_words_that_only_look_like_hedges_do_not_hedge(aside: str) -> None:
    found = confirmed("Hauger joins MP", f"Dennis Hauger, {aside}, joins MP Motorsport for next "
                      "season.", "F2")
    assert ("Dennis Hauger", "join") in {(d, k) for d, k, _ in found}


def test_the_crew_named_at_a_launch_stays_in_the_line_up() -> None:
    extraction = extract(Article(
        entry_id="w", title="Lamborghini unveils its SC63",
        summary="Lamborghini Iron Lynx unveiled its SC63 Hypercar in Sant'Agata. Andrea "
                "Caldarelli, Matteo Cairoli and Romain Grosjean will share the No. 63.",
        series="WEC", published=DATE))
    assert [m for m in extraction.moves if m.status is Status.CONFIRMED] == []
    assert {"Andrea Caldarelli", "Matteo Cairoli", "Romain Grosjean"} <= {
        entry.driver for entry in extraction.lineup}


def test_signing_new_contracts_is_a_stay_and_a_team_mates_new_deal_is_his_own() -> None:
    found = confirmed("Leclerc and Sainz commit to Ferrari",
                      "Charles Leclerc and Carlos Sainz have both signed new contracts with "
                      "Ferrari that keep the pair together until the end of 2024.", "F1")
    assert {(d, k) for d, k, _ in found} == {("Charles Leclerc", "extend"),
                                              ("Carlos Sainz", "extend")}
    found = confirmed("Hamilton to Ferrari",
                      "Ferrari said Lewis Hamilton would partner Charles Leclerc, who signed a "
                      "new deal last week.", "F1")
    assert ("Lewis Hamilton", "join") in {(d, k) for d, k, _ in found}


def test_a_penalty_and_a_promotion_to_a_maiden_podium_are_a_race() -> None:
    assert confirmed("Norris promoted to maiden podium after Perez penalty",
                     "Lando Norris was promoted to third after Sergio Perez was handed a "
                     "five-second time penalty, giving the McLaren driver his first podium.",
                     "F1") == set()


def test_sharing_a_car_to_a_win_is_a_race_report() -> None:
    assert confirmed("Bourdais wins the Rolex 24",
                     "Sebastien Bourdais added the Rolex 24 to his Sebring win, sharing the No. "
                     "5 Cadillac with Joao Barbosa and Filipe Albuquerque as rain ended the race "
                     "early.", "IMSA") == set()


def test_a_driver_released_overnight_from_hospital_has_not_left_his_team() -> None:
    assert confirmed("Herta in hospital after crash",
                     "Colton Herta was taken to hospital after a heavy crash at Detroit but was "
                     "released overnight, Andretti Global said.", "IndyCar") == set()


def test_joining_a_simulator_programme_is_no_seat() -> None:
    assert confirmed("Dennis joins Andretti's simulator programme",
                     "Jake Dennis will take part in an esports event for the team.",
                     "Formula E") == set()


def test_the_drivers_after_joined_in_the_car_by_are_the_movers() -> None:
    found = confirmed("Lowndes to co-drive with Feeney at Bathurst",
                      "Craig Lowndes will partner Broc Feeney in Triple Eight's No. 88 at "
                      "Bathurst, the team has confirmed. Will Brown will be joined in the No. 87 "
                      "by Scott Pye.", "Supercars")
    assert ("Scott Pye", "join") in {(d, k) for d, k, _ in found}
    assert "Will Brown" not in {d for d, _, _ in found}


def test_the_crews_of_other_entries_a_new_car_races_alongside_are_no_news() -> None:
    found = confirmed("Hanson joins AF Corse's third Ferrari",
                      "The No. 83 will race alongside the factory Ferrari entries of Antonio "
                      "Fuoco, Miguel Molina and Nicklas Nielsen, and James Calado and Antonio "
                      "Giovinazzi.", "WEC")
    assert not {"Antonio Fuoco", "Miguel Molina", "James Calado"} & {d for d, _, _ in found}


def test_wanting_to_return_is_a_wish_not_a_move() -> None:
    found = confirmed("Ricciardo eyes a return",
                      "Daniel Ricciardo, who is testing for the team next week, has made no "
                      "secret of wanting to return to McLaren.", "F1")
    assert found == set()


def test_taking_a_title_fight_to_the_final_race_for_a_team_is_no_exit() -> None:
    assert confirmed("Sutton edges Hill to the crown",
                     "Ash Sutton is champion again. Jake Hill took the fight to the final race "
                     "for Laser Tools Racing but came up short.", "BTCC") == set()


def test_a_company_named_in_capitals_is_nobody() -> None:
    found = confirmed("Ingram commits to Excelr8 for another year",
                      "Tom Ingram will stay with Excelr8 Motorsport in 2025. Bristol Street "
                      "Motors continues as the team's title partner.", "BTCC")
    assert {d for d, _, _ in found} == {"Tom Ingram"}


def test_joining_a_club_of_record_holders_is_no_move() -> None:
    found = confirmed("Newgarden joins three-time club with Penske win",
                      "Josef Newgarden won again for Team Penske on Sunday.", "IndyCar")
    assert found == set()


def test_a_race_won_in_an_earlier_clause_does_not_veto_a_move_after_and() -> None:
    found = confirmed("Bamber joins Ganassi's IMSA squad",
                      "Earl Bamber will partner Alex Lynn at Chip Ganassi Racing. Lynn moves "
                      "across from Wayne Taylor Racing, with whom he won at Sebring, and Scott "
                      "McLaughlin will join the pair for the endurance rounds.", "IMSA")
    assert ("Scott McLaughlin", "join") in {(d, k) for d, k, _ in found}


def test_a_first_test_handed_to_a_driver_is_an_outing_not_a_seat() -> None:
    assert confirmed("Pourchaire handed first F1 test by Sauber",
                     "Theo Pourchaire will drive a Formula 1 car for the first time when Sauber "
                     "gives him a test at Barcelona next month.", "F1") == set()
    found = confirmed("Sauber signs Pourchaire",
                      "Sauber has signed Theo Pourchaire as its reserve driver for 2024. He "
                      "will also get a test at Barcelona.", "F1")
    assert ("Theo Pourchaire", "join") in {(d, k) for d, k, _ in found}


def test_a_person_whose_relative_clause_names_a_staff_post_is_no_driver() -> None:
    assert confirmed("Penske reshuffles its pit boxes",
                     "Team Penske has moved Jonathan Hassler to Joey Logano's No. 22. Brian "
                     "Wilson, who has been Austin Cindric's crew chief, moves across to take "
                     "over the No. 12.", "NASCAR Cup") == set()


def test_going_back_to_back_is_two_wins_not_a_return() -> None:
    assert confirmed("Palou goes back-to-back at Ganassi",
                     "Alex Palou won the Indianapolis 500 again on Sunday.", "IndyCar") == set()


def test_leaving_a_series_to_race_elsewhere_leaves_the_team_raced_for_there() -> None:
    found = confirmed("Da Costa joins Jaguar",
                      "Antonio Felix da Costa will partner Mitch Evans at Jaguar TCS Racing, "
                      "replacing Nick Cassidy, who is leaving Formula E to concentrate on "
                      "Toyota's Hypercar programme.", "Formula E")
    assert ("Nick Cassidy", "leave", "Jaguar TCS Racing") in found


def test_joining_record_holders_as_the_only_ones_is_no_move() -> None:
    assert confirmed("Turkington seals a fourth title",
                     "Colin Turkington is champion again with Team BMW. He joins Andy Rouse and "
                     "Ash Sutton as the only drivers to have won four titles.", "BTCC") == set()


def test_a_crew_named_by_its_noun_that_won_a_race_is_who_raced_not_a_seat() -> None:
    assert not confirmed("Rowe wins at the Nurburgring",
                         "The Rowe Racing trio of Augusto Farfus, Nick Yelloly and Jesse Krohn "
                         "won the Nurburgring 24 Hours on Sunday.", "GTWC")


def test_a_win_after_which_a_crew_stays_together_is_its_history() -> None:
    found = confirmed("Ferrari keeps its winners",
                      "Ferrari's No. 51 crew of Alessandro Pier Guidi, James Calado and "
                      "Antonio Giovinazzi stays as it was after winning at Le Mans.", "WEC")
    assert {(d, k) for d, k, _ in found} == {("Alessandro Pier Guidi", "extend"),
                                            ("James Calado", "extend"),
                                            ("Antonio Giovinazzi", "extend")}


def test_an_outing_told_after_the_move_as_what_came_before_does_not_hide_the_move() -> None:
    found = confirmed("Reserve news",
                      "Ayumu Iwasa has joined Racing Bulls as its reserve driver, a day after "
                      "driving first practice for Red Bull at the Japanese Grand Prix.", "F1")
    assert ("Ayumu Iwasa", "join", "Racing Bulls") in found


def test_an_outing_in_the_moves_own_clause_is_still_an_outing() -> None:
    assert not confirmed("Iwasa in practice",
                         "Ayumu Iwasa will drive for Racing Bulls in first practice at the "
                         "Japanese Grand Prix.", "F1")


@pytest.mark.parametrize("sentence", [
    "Oscar Piastri came from the back after a gearbox change to finish fourth, promoted after "
    "George Russell was given a five-second penalty.",
    "Fernando Alonso was later handed a ten-second penalty for a collision, which promoted "
    "Williams' Alex Albon - who had started from the back - to ninth.",
])
def test_a_penalty_that_reorders_a_race_promotes_nobody_to_a_seat(sentence: str) -> None:
    assert not confirmed("Verstappen leads Red Bull one-two at Suzuka", sentence, "F1")


def test_retaining_a_title_is_no_retention_of_a_seat() -> None:
    found = extract(Article(
        entry_id="c", series="BTCC", published=datetime(2024, 10, 13, tzinfo=UTC),
        title="Sutton seals another crown",
        summary="Ash Sutton retained his British Touring Car Championship title at Brands Hatch "
                "on Sunday, the Laser Tools Racing driver coming through a three-way fight.")).moves
    assert not found


@pytest.mark.parametrize("summary", [
    "Scott Dixon joins A.J. Foyt, Al Unser and Rick Mears as the only four-time winners.",
    "Ash Sutton joins Andy Rouse as a four-time champion.",
])
def test_joining_a_record_s_company_is_no_move(summary: str) -> None:
    found = extract(Article(entry_id="c", published=datetime(2024, 10, 13, tzinfo=UTC),
                            title="A record day", summary=summary)).moves
    assert not found


def test_results_won_with_a_driver_make_no_move_of_his() -> None:
    found = extract(Article(
        entry_id="c", series="NASCAR Cup", published=datetime(2024, 10, 13, tzinfo=UTC),
        title="Stevens moves upstairs at Gibbs",
        summary="Adam Stevens will step off the pit box to become Joe Gibbs Racing's director of "
                "competition, ending a crew-chief career that brought two Cup titles with Kyle "
                "Busch.")).moves
    assert "Kyle Busch" not in {m.driver for m in found}


@pytest.mark.parametrize("sentence", [
    "Lando Norris moved to McLaren's preferred strategy and took the lead.",
    "Chase Elliott left Hendrick Motorsports' hauler after the drivers' meeting.",
])
def test_a_teams_thing_after_a_move_verb_is_no_move_to_the_team(sentence: str) -> None:
    found = extract(Article(entry_id="t", title="Race day", summary=sentence,
                            published=DATE)).moves
    assert not found


def test_a_past_that_did_not_happen_is_no_move() -> None:
    found = extract(Article(entry_id="t", title="What might have been",
                            summary="Nico Hulkenberg would have joined Renault a year earlier "
                                    "had Force India released him.", published=DATE))
    assert not [m for m in found.moves if m.status is Status.CONFIRMED]



@pytest.mark.parametrize("sentence", [
    "Manthey EMA, second last year, is unchanged: Kevin Estre, Laurens Vanthoor and Ayhancan "
    "Güven in the No. 911 Porsche.",
    "Manthey EMA, which won the race a year ago, is back with the same crew, Kevin Estre, "
    "Laurens Vanthoor and Ayhancan Güven in the No. 911 Porsche.",
    "Manthey EMA, third last season, stays unchanged with Kevin Estre, Laurens Vanthoor and "
    "Ayhancan Güven in the No. 911 Porsche.",
])
def test_a_result_dated_before_the_news_describes_the_team_announcing_its_crew(
        sentence: str) -> None:
    found = confirmed("Nürburgring entry is out", sentence, "Nürburgring 24h")
    assert {d for d, k, _ in found if k == "extend"} == {
        "Kevin Estre", "Laurens Vanthoor", "Ayhancan Güven"}


def test_a_result_of_the_current_season_beside_a_crew_is_still_a_race() -> None:
    assert confirmed("Manthey on top",
                     "Manthey EMA, second in 2024, is unchanged: Kevin Estre, Laurens Vanthoor "
                     "and Ayhancan Güven in the No. 911 Porsche.", "Nürburgring 24h") == set()


@pytest.mark.parametrize(("summary", "joined"), [
    # a verb announces the crews after its colon, across the semicolon between them
    ("Proton has named its crews: Gianmaria Bruni and Harry Tincknell in the No. 99; Neel Jani "
     "and Julien Andlauer in the No. 93.",
     {"Gianmaria Bruni", "Harry Tincknell", "Neel Jani", "Julien Andlauer"}),
    # no verb: the field around the news
    ("Proton's crews: Gianmaria Bruni and Harry Tincknell in the No. 99; Neel Jani and Julien "
     "Andlauer in the No. 93.", set()),
])
def test_crews_listed_after_an_announcing_colon_are_news(summary: str, joined: set[str]) -> None:
    found = confirmed("Proton sets its line-up", summary, "WEC")
    assert {d for d, k, _ in found if k == "join"} == joined


@pytest.mark.parametrize("summary", [
    # a race arrived at, and the team named later in the clause is the one he raced for
    "Tom Ingram arrived at the finale leading the standings for Excelr8 but retired early.",
    # "the X driver" is a person: a race result left him needing points, not a team left
    "Theo Pourchaire is the Formula 2 champion after Frederik Vesti stalled on the grid for "
    "the feature race, leaving the ART Grand Prix driver needing only a few points.",
])
def test_a_race_arrived_at_or_a_driver_left_needing_points_is_no_move(summary: str) -> None:
    assert not extract(Article(entry_id="r", title="Title decided", summary=summary,
                               published=DATE)).moves


def test_a_gap_back_in_a_car_is_a_result_not_a_stay() -> None:
    assert confirmed("Frost wins at the Speedway", "Hunter McElrea finished 1.5 seconds back in "
                     "Andretti Autosport's No. 27.", "Indy NXT") == set()
    # (a stay in a car told without a race is still a stay)
    assert ("Colton Herta", "extend") in {(d, k) for d, k, _ in confirmed(
        "Herta stays put", "Colton Herta stays in Andretti Global's No. 26 for 2025.", "IndyCar")}


def test_a_seat_kept_for_a_test_is_an_outing_not_a_stay() -> None:
    assert confirmed("Hitech quickest in Jerez", "Alex Dunne stayed with Hitech for the test, "
                     "while Rodin gave its car to a rookie.", "F2") == set()


def test_securing_a_runner_up_spot_is_a_result_not_a_seat() -> None:
    assert confirmed("Dunne secures runner-up spot as Stenshorne sweeps Monza",
                     "Alex Dunne finished second twice for Hitech.", "F2") == set()
    # (a seat secured is still a seat)
    assert ("Alex Dunne", "join") in {(d, k) for d, k, _ in confirmed(
        "Dunne secures Hitech seat", "The Irishman will race for the team next year.", "F2")}
