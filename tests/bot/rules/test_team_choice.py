"""Which team a move goes to when the clause names more than one: a maker and the team that
races its cars, a team and the drivers it is tied to. Each construction in words of its own."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.models import Article, Status
from bot.rules import default_engine, extract

DATE = datetime(2024, 10, 2, tzinfo=UTC)


def confirmed(title: str, summary: str, series: str | None = None) -> set[tuple[str, str, str]]:
    found = extract(Article(entry_id="t", title=title, summary=summary, series=series,
                            published=DATE)).moves
    return {(m.driver, m.kind.value, m.team or "") for m in found
            if m.status is Status.CONFIRMED}


@pytest.mark.parametrize(("sentence", "series", "team"), [
    ("Enea Bastianini moves on to KTM's stable with Tech3 for next season.", "MotoGP", "Tech3"),
    ("Mitsunori Takaboshi goes back to Nissan's family with Kondo Racing in 2025.", "Super GT",
     "Kondo Racing"),
])
def test_a_makers_stable_goes_to_the_team_named_after_it(sentence: str, series: str,
                                                         team: str) -> None:
    found = confirmed("Line-ups take shape", sentence, series)
    assert {t for _, kind, t in found if kind == "join"} == {team}


@pytest.mark.parametrize("sentence", [
    "Liam Lawson was dropped back to Racing Bulls after two rounds.",
    "Jack Miller, dropped back to Pramac for 2025, said he was fine.",
])
def test_a_driver_dropped_back_to_a_team_joins_it(sentence: str) -> None:
    found = confirmed("Drivers swap seats", sentence)
    assert {kind for _, kind, team in found if team.startswith(("Racing Bulls", "Pramac"))} == \
        {"join"}


@pytest.mark.parametrize(("title", "sentence", "series", "team"), [
    ("Fujii joins D'station for the new season",
     "Tomonobu Fujii will race for D'station in Super GT this year.", "Super GT",
     "D'station Racing"),
    ("Cetilar keeps faith with Italians", "Antonio Fuoco will drive for Cetilar next year.",
     "WEC", "Cetilar Racing"),
])
def test_a_team_written_without_its_generic_last_word_is_still_the_team(
        title: str, sentence: str, series: str, team: str) -> None:
    assert {t for _, kind, t in confirmed(title, sentence, series) if kind == "join"} == {team}


def test_the_family_team_is_the_team_of_the_article_not_the_one_left() -> None:
    found = confirmed("WTR brings Ricky Taylor home",
                      "Ricky Taylor is going back to the family team after a decade with Team "
                      "Penske.", "IMSA")
    assert {(d, t) for d, kind, t in found if kind == "join"} == {("Ricky Taylor", "WTR")}


@pytest.mark.parametrize("sentence", [
    "Jordan Taylor will rejoin his father's team after his Corvette Racing years, Wayne Taylor "
    "Racing said.",
    "Jordan Taylor returns to his father's team after his Penske days, Wayne Taylor Racing said.",
])
def test_a_team_naming_a_time_of_ones_past_is_not_the_destination(sentence: str) -> None:
    found = confirmed("Taylor goes home", sentence, "IMSA")
    assert {t for _, kind, t in found if kind == "join"} == {"Wayne Taylor Racing"}


def test_short_team_names_leave_out_words_that_name_something_else() -> None:
    engine = default_engine()
    shorts = engine.gazetteer.short_team_names(engine.not_names)
    assert "d station" in shorts
    # "Heart of Racing Team" is not "Heart of"; "Riley Motorsports" not every Riley;
    # "American Racing" not every American.
    assert not {"heart of", "riley", "american"} & set(shorts)


def test_the_team_a_driver_leaves_is_not_the_article_s_team_however_often_named() -> None:
    found = confirmed("Aitken heads home to a new squad",
                      "Jack Aitken will leave Action Express Racing to join Wayne Taylor Racing "
                      "in 2025. Aitken spent three seasons with Action Express. Ricky Taylor "
                      "and Filipe Albuquerque remain in the sister No. 10.", "IMSA")
    assert {t for d, kind, t in found if kind == "extend"} == {"Wayne Taylor Racing"}


def test_staying_in_a_makers_camp_is_no_stay_with_a_team() -> None:
    found = confirmed("Front Row lands Briscoe",
                      "Chase Briscoe will drive for Front Row Motorsports next year, staying in "
                      "the Ford camp after Stewart-Haas Racing closes its doors.", "NASCAR Cup")
    assert {(kind, t) for _, kind, t in found} == {("join", "Front Row Motorsports")}


def test_a_teams_base_that_is_also_a_circuit_is_the_circuit() -> None:
    found = confirmed("Drugovich keeps his MP seat",
                      "Felipe Drugovich will stay with MP Motorsport for the rest of the season "
                      "and will race at Silverstone this weekend.", "F2")
    assert {t for _, _, t in found} == {"MP Motorsport"}
    engine = default_engine()
    assert engine.gazetteer.team_candidates("Woking")  # a base that is no circuit still names


def test_a_team_written_as_a_drivers_title_is_not_the_team_he_stays_with() -> None:
    found = confirmed("ART completes its F3 line-up",
                      "ART Grand Prix has finalised its line-up. Alpine academy driver Nikola "
                      "Tsolov stays on for a second season.", "F3")
    assert {t for d, kind, t in found if d == "Nikola Tsolov"} == {"ART Grand Prix"}


@pytest.mark.parametrize(("sentence", "moves"), [
    ("Nyck de Vries will contest the full WEC season alongside his role as Mahindra's Formula E "
     "driver.", set()),
    ("Daniel Suarez will stay with Ganassi's Cup equipment when Trackhouse Racing takes it over.",
     set()),
    ("Helio Castroneves will stay with Meyer Shank Racing in a new role once he retires.", set()),
])
def test_a_team_tied_to_another_role_or_thing_is_not_the_move_s(
        sentence: str, moves: set[tuple[str, str]]) -> None:
    found = confirmed("Driver news", sentence)
    assert {(kind, t) for _, kind, t in found if kind in ("join", "extend")} == moves


def test_a_team_in_a_clause_after_as_is_not_the_team_of_the_verb_before() -> None:
    found = confirmed("Evans swaps Jaguar for Porsche",
                      "Mitch Evans will drive for Porsche next season. Evans stays with a "
                      "familiar team culture, as Andretti is a customer of the German "
                      "manufacturer.", "Formula E")
    assert ("extend", "Andretti") not in {(kind, t[:8]) for _, kind, t in found}


def test_a_team_named_after_a_spell_behind_the_driver_is_where_he_comes_from() -> None:
    found = confirmed("Rowbottom joins Team Dynamics",
                      "Team Dynamics will expand its line-up, with Dan Rowbottom joining the "
                      "Worcestershire team after two seasons racing Cupras for his family's "
                      "Power Maxed Racing outfit.", "BTCC")
    assert {t for _, kind, t in found if kind == "join"} == {"Team Dynamics"}


@pytest.mark.parametrize("spell", ["racing for", "competing for", "riding for"])
def test_a_team_after_a_gerund_of_racing_is_a_spell_behind_the_driver(spell: str) -> None:
    found = confirmed("Nissan brings back Buemi",
                      f"Sebastien Buemi returns to Formula E after {spell} Envision Racing, and "
                      "will drive for Nissan from the next round.", "Formula E")
    assert "Envision Racing" not in {t for _, kind, t in found if kind == "join"}


def test_a_step_up_to_a_series_names_no_team_of_its_own() -> None:
    found = confirmed("Aldeguer clinches the Moto2 title",
                      "Fermin Aldeguer became Moto2 champion at Motegi for Boscoscuro. Aldeguer, "
                      "who steps up to MotoGP next season, dedicated the title to the team.",
                      "Moto2")
    assert found == set()
    named = confirmed("Maloney moves up",
                      "Zane Maloney will graduate to Formula 2 next year with Carlin.", "F2")
    assert {t for _, _, t in named} == {"Carlin"}


def test_a_makes_car_run_by_a_team_goes_to_the_team() -> None:
    found = confirmed("Vesti lands a DTM drive",
                      "Frederik Vesti will race in the DTM this year in a Ferrari 296 run by "
                      "customer team Hitech.", "DTM")
    assert {t for _, _, t in found} == {"Hitech"}


def test_the_factory_team_in_a_story_about_a_satellite_team_is_the_makers_own() -> None:
    found = confirmed("Tech3 signs Vinales",
                      "KTM has placed Maverick Vinales at the GasGas Factory Racing Tech3 team "
                      "for 2025. Brad Binder and Pedro Acosta stay at the factory team.", "MotoGP")
    assert {t for d, kind, t in found if kind == "extend"} == {"Red Bull KTM Factory Racing"}
    own = confirmed("Ducati keeps Bagnaia",
                    "Francesco Bagnaia will ride for the Ducati Lenovo Team in 2025, staying at "
                    "the factory team for a sixth season.", "MotoGP")
    assert {t for _, _, t in own} == {"Ducati Lenovo Team"}


def test_a_team_titling_the_partner_is_not_the_movers_team() -> None:
    found = confirmed("Prema fast-tracks Antonelli",
                      "Andrea Kimi Antonelli will race in Formula 2 next year, partnering "
                      "Ferrari junior Oliver Bearman.", "F2")
    assert "Ferrari" not in {t for _, _, t in found}


@pytest.mark.parametrize(("sentence", "series", "driver", "team"), [
    ("Van Amersfoort has signed Alpine academy driver Nikola Tsolov for next season.", "F3",
     "Nikola Tsolov", "Van Amersfoort Racing"),
    ("Trident will run McLaren protégé Ugo Ugochukwu in Formula 3 next year.", "F3",
     "Ugo Ugochukwu", "Trident"),
])
def test_a_team_titling_the_signed_driver_is_no_object_of_the_signing(
        sentence: str, series: str, driver: str, team: str) -> None:
    found = confirmed("Junior ladder", sentence, series)
    assert {(d, t) for d, kind, t in found if kind == "join"} == {(driver, team)}


def test_returning_to_another_series_is_no_return_to_the_headlines_team() -> None:
    found = confirmed("Jensen gets Peugeot WEC call as Magnussen returns to F1",
                      "Peugeot has promoted reserve driver Mikkel Jensen into its race line-up.",
                      "WEC")
    assert "Kevin Magnussen" not in {d for d, _, _ in found}


def test_a_retirement_is_from_the_team_the_driver_is_with_now() -> None:
    found = confirmed("Crutchlow calls time on his career",
                      "Cal Crutchlow will retire from MotoGP at the end of the season. The "
                      "34-year-old, in his first season with LCR Honda after years in the "
                      "factory team, said he had hoped to continue. His Crutchlow Racing squad "
                      "will step up to Moto2 next year.", "MotoGP")
    assert {(kind, t) for _, kind, t in found} == {("retire", "LCR Honda")}


def test_the_team_owned_by_a_make_is_the_team_named_before_not_the_owner() -> None:
    found = confirmed("Tsunoda replaces Lawson at Racing Bulls",
                      "Yuki Tsunoda will race for Racing Bulls until the end of the season, with "
                      "Isack Hadjar dropped by the Red Bull-owned team after Monza.", "F1")
    assert ("Isack Hadjar", "leave", "Racing Bulls") in found


def test_a_title_whose_only_team_is_where_drivers_came_from_leaves_the_body_to_say() -> None:
    found = confirmed("Ex-Porsche pair named among new crews",
                      "Iron Lynx has confirmed its drivers for the WEC season. Franck Perera "
                      "and Andrea Caldarelli stay on in the squad's second car.", "WEC")
    assert {(d, k, t) for d, k, t in found} == {("Franck Perera", "extend", "Iron Lynx"),
                                                ("Andrea Caldarelli", "extend", "Iron Lynx")}


def test_an_aside_of_how_drivers_were_left_without_a_seat_names_no_team_of_theirs() -> None:
    found = confirmed("Proton crews",
                      "Proton Competition confirmed its crews on Tuesday. Kevin Estre and "
                      "Laurens Vanthoor, left without a seat by Porsche's withdrawal, join the "
                      "German team's No. 99 car.", "WEC")
    assert {(d, k, t) for d, k, t in found} == {("Kevin Estre", "join", "Proton Competition"),
                                                ("Laurens Vanthoor", "join", "Proton Competition")}


def test_the_partner_in_an_aside_that_runs_the_team_is_not_another_team_joined() -> None:
    found = confirmed("Vanwall names its crew",
                      "Floyd Vanwall Racing, run in partnership with ByKolles, will field Tom "
                      "Dillmann and Esteban Guerrieri next season.", "WEC")
    assert {t for _, _, t in found} == {"Floyd Vanwall Racing Team"}


def test_the_team_of_the_role_taken_later_in_the_clause_is_the_moves() -> None:
    found = confirmed("Nemechek steps up",
                      "John Hunter Nemechek will make the jump to the Cup Series next year as "
                      "the full-time driver of Legacy Motor Club's No. 42 Toyota.", "NASCAR Cup")
    assert found == {("John Hunter Nemechek", "join", "Legacy Motor Club")}


def test_a_sponsor_of_another_series_is_no_team_the_driver_came_from() -> None:
    found = extract(Article(
        entry_id="s", title="Preece gets his chance", series="NASCAR Cup", published=DATE,
        summary="Ryan Preece will race in the Cup Series next year as the full-time driver of "
                "Stewart-Haas Racing's No. 41. The 27-year-old from Ohio, a Whelen Modified "
                "Tour champion who won a Truck race at Bristol this season, takes over the "
                "car.")).moves
    assert [m.from_team for m in found] == [None]


def test_a_partner_that_runs_the_car_named_at_the_end_of_the_sentence_is_no_team() -> None:
    found = confirmed("Coyne keeps Rasmussen",
                      "Christian Rasmussen will stay with Dale Coyne Racing and switch to the "
                      "No. 18 Honda, run in partnership with Rick Ware Racing.", "IndyCar")
    assert {t for _, _, t in found} == {"Dale Coyne Racing"}


def test_a_stay_with_a_step_up_to_another_series_is_an_arrival_in_the_new_programme() -> None:
    found = confirmed("Rueda moves up with Ajo",
                      "Jose Antonio Rueda will stay with Red Bull KTM Ajo next year but move up "
                      "to Moto2.", "Moto3")
    assert {(d, k) for d, k, _ in found} in ({("Jose Antonio Rueda", "join")},
                                             {("Jose Antonio Rueda", "promote")})


def test_a_team_no_list_knows_written_around_a_makers_name_is_that_team() -> None:
    found = confirmed("Ray's new home",
                      "Bradley Ray will ride for the Yamaha Motoxracing WorldSBK Team next "
                      "season.", "WorldSBK")
    assert found == {("Bradley Ray", "join", "Yamaha Motoxracing WorldSBK Team")}


def test_a_team_the_gazetteer_knows_in_full_keeps_its_own_name() -> None:
    assert confirmed("Verstappen news", "Max Verstappen will stay at Red Bull Racing.",
                     "F1") == {("Max Verstappen", "extend", "Red Bull Racing")}


def test_a_sponsor_next_to_a_maker_names_the_team_that_has_both() -> None:
    found = extract(Article(
        entry_id="c", series="MotoGP", published=datetime(2019, 7, 1, tzinfo=UTC),
        title="Satellite squad completes its line-up",
        summary="The Petronas Yamaha squad has signed Franco Morbidelli for next season.")).moves
    assert [(m.driver, m.team) for m in found] == [("Franco Morbidelli", "Petronas Yamaha SRT")]


def test_a_headlines_second_clause_does_not_give_the_story_its_team() -> None:
    # The team of the story is what a move with its team unsaid ("He takes over from ...")
    # falls back on: the headline's main clause has it, not its "as ..." clause.
    engine = default_engine()
    doc = engine._read(Article(
        entry_id="t", series="IndyCar", published=DATE,
        title="Ericsson lands Andretti's No. 28 as Grosjean heads to Juncos Hollinger Racing",
        summary="He takes over from Romain Grosjean."))
    focus = engine._focus_team(doc)
    assert focus is not None and focus.value == "Andretti"


def test_a_make_after_a_car_number_gives_way_to_the_entrant_named_after_it() -> None:
    found = confirmed("Bell news", "Christopher Bell will be behind the wheel of the No. 20 "
                      "Toyota for Joe Gibbs Racing.", "NASCAR")
    assert found == {("Christopher Bell", "join", "Joe Gibbs Racing")}


def test_a_seat_described_at_length_is_at_the_team_named_after_it() -> None:
    found = confirmed("Academy graduate placed", "Red Bull has promoted Isack Hadjar to a "
                      "full-time race seat at Racing Bulls for 2025.", "F1")
    assert {t for d, _, t in found if d == "Isack Hadjar"} == {"Racing Bulls"}


def test_an_organisations_name_in_a_lower_class_story_is_its_team_in_that_class() -> None:
    # "VR46" runs a team in MotoGP, Moto2 and Moto3: a Moto2 story's VR46 is its Moto2 team
    found = confirmed("Lenti to move up with VR46",
                      "Fabio Lenti will step up to Moto2 next year with VR46.", "Moto2")
    assert {team for _, kind, team in found if kind in ("join", "promote")} == \
        {"Sky Racing Team VR46"}


@pytest.mark.parametrize(("summary", "series", "team"), [
    # a team's home, in a story that names the team as it was then
    ("Toro Rosso has confirmed Pierre Gasly for next season. The Faenza squad has also kept "
     "Daniil Kvyat.", "F1", "Toro Rosso"),
    # a short name, beside the name of the era that shares its word
    ("Andretti Autosport is set for a new season. Andretti has re-signed Colton Herta.",
     "IndyCar", "Andretti Autosport"),
])
def test_a_team_goes_by_the_name_of_the_era_the_article_writes(summary: str, series: str,
                                                              team: str) -> None:
    found = extract(Article(entry_id="t", title="Line-up news", summary=summary, series=series,
                            published=datetime(2019, 9, 20, tzinfo=UTC))).moves
    assert {m.team for m in found} == {team}


def test_a_former_name_written_as_history_is_not_the_teams_name_now() -> None:
    found = extract(Article(
        entry_id="t", title="Mercedes signs Vandoorne",
        summary="Mercedes has signed Stoffel Vandoorne for its first Formula E season. The team "
                "took over the entry HWA Racelab ran last season.", series="Formula E",
        published=datetime(2019, 9, 20, tzinfo=UTC))).moves
    assert "HWA Racelab" not in {m.team for m in found}


def test_a_teams_home_is_told_under_the_teams_own_name() -> None:
    found = extract(Article(entry_id="t", title="Seat news",
                            summary="Isack Hadjar has signed to drive for the Faenza squad next "
                                    "season.", series="F1",
                            published=datetime(2024, 12, 20, tzinfo=UTC))).moves
    assert {m.team for m in found} == {"Racing Bulls"}


def test_another_series_teams_home_is_no_team_here() -> None:
    # (Grove is Williams' home in F1; in Supercars, a team's own name)
    found = extract(Article(entry_id="t", title="Seat news",
                            summary="Richie Stanaway has signed to drive for Grove next season.",
                            series="Supercars",
                            published=datetime(2024, 12, 20, tzinfo=UTC))).moves
    assert "Williams" not in {m.team for m in found}


@pytest.mark.parametrize(("summary", "team"), [
    ("Kimi Antonelli will join the Silver Arrows next season.", "Mercedes"),
    ("Oliver Bearman will race for the Prancing Horse next season.", "Ferrari"),
])
def test_a_teams_nickname_is_told_under_the_teams_own_name(summary: str, team: str) -> None:
    found = extract(Article(entry_id="t", title="Seat news", summary=summary, series="F1",
                            published=datetime(2024, 12, 20, tzinfo=UTC))).moves
    assert {m.team for m in found} == {team}
