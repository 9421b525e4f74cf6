"""Drivers no name list knows, read from how the sentence names them: about one driver in
eight in real news is in no list. Every name here is made up."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.models import Article
from bot.rules import extract

DATE = datetime(2025, 10, 2, tzinfo=UTC)


def moves(title: str, summary: str, series: str | None = None) -> set[tuple[object, ...]]:
    found = extract(Article(entry_id="u", title=title, summary=summary, series=series,
                            published=DATE)).moves
    return {(m.driver, m.kind.value, m.team) for m in found}


def test_a_name_signed_to_race_is_a_driver_not_a_race() -> None:
    # "... Wielgus to race": after "to", "race" is the verb, not a competition named
    found = moves("Aston Martin completes its line-up",
                  "Aston Martin has signed Tomasz Wielgus to race for the team next season.",
                  "F1")
    assert ("Tomasz Wielgus", "join", "Aston Martin") in found


def test_a_headline_ending_in_a_number_does_not_count_the_bodys_first_name() -> None:
    # Not "2 Tomasz Wielgus" (two of something): the headline ends where the body begins.
    found = moves("Rookie gets RCR's No. 2",
                  "Tomasz Wielgus will race Richard Childress Racing's No. 2 Chevrolet "
                  "full-time next season.", "NASCAR Xfinity")
    assert ("Tomasz Wielgus", "join", "Richard Childress Racing") in found


def test_a_first_name_before_a_one_word_team_name_is_a_person_of_that_name() -> None:
    found = moves("Nakajima Racing keeps its pair",
                  "Nakajima Racing will keep Daiki Oyamada for a third season, while rookie "
                  "Naoki Nakajima moves up from Super Formula Lights to join him.",
                  "Super Formula")
    assert ("Naoki Nakajima", "join", "Nakajima Racing") in found


def test_a_first_and_middle_name_before_a_one_word_team_name_are_a_persons_name() -> None:
    found = moves("Nakajima Racing promotes its junior",
                  "Nakajima Racing will promote Naoki Ren Nakajima from its junior team next "
                  "season.", "Super Formula")
    assert ("Naoki Ren Nakajima", "promote", "Nakajima Racing") in found


def test_a_first_name_that_is_also_a_town_opens_a_persons_name() -> None:
    found = moves("Hattori names its 2026 driver",
                  "Hattori Racing Enterprises has named Austin Pellegrino as the full-time "
                  "driver of its No. 16 Toyota for next season.", "NASCAR Truck")
    assert ("Austin Pellegrino", "join", "Hattori Racing Enterprises") in found


def test_a_crew_role_written_before_a_name_is_no_part_of_it() -> None:
    found = moves("Tanak back at M-Sport",
                  "Ott Tänak will drive for M-Sport Ford in next year's World Rally "
                  "Championship. Co-driver Kaarel Jõesaar moves with him.", "WRC")
    assert "Kaarel Jõesaar" in {driver for driver, _, _ in found}


def test_a_first_name_that_is_also_a_demonym_opens_a_name_of_two_words() -> None:
    found = moves("Holm heads to Meyer Shank",
                  "Dane Holm will race Meyer Shank Racing's Acura full-time next season.",
                  "IMSA")
    assert ("Dane Holm", "join", "Meyer Shank Racing") in found


def test_kin_written_before_a_name_is_no_part_of_it() -> None:
    found = moves("Wayne Taylor Racing keeps its No. 10 crew",
                  "Wayne Taylor Racing confirmed its plans for next season on Monday. Brother "
                  "Tomas Vidal stays in the No. 10 alongside Filipe Albuquerque.", "IMSA")
    assert "Tomas Vidal" in {driver for driver, _, _ in found}
    assert not any(driver.startswith("Brother") for driver, _, _ in found)


def test_a_surname_with_particles_opening_a_sentence_is_the_driver_named_before() -> None:
    found = moves("Rowe Racing adds two for the DTM",
                  "Marco Wittmann will race for Walkenhorst with Sheldon van der Berg. Van der "
                  "Berg and Timo Glock have signed with Rowe Racing for the DTM.", "DTM")
    assert ("Sheldon van der Berg", "join", "Rowe Racing") in found


def test_the_corpus_can_be_read_with_its_labelled_drivers_unknown() -> None:
    from bot.rules import extract_item
    from tests.corpus.score import engine_without_their_drivers

    item = {"id": "u1", "title": "Sauber keeps its pair", "series": "F1", "date": "2025-09-01",
            "summary": "Valtteri Bottas will partner Zhou Guanyu at Sauber next year.",
            "moves": [{"driver": "Valtteri Bottas", "kind": "join", "team": "Sauber"}]}
    engine = engine_without_their_drivers([item])
    assert "Valtteri Bottas" not in engine.gazetteer.drivers
    assert "Zhou Guanyu" in engine.gazetteer.drivers  # only the labelled drivers go
    read = extract_item(item, engine=engine)
    assert ("Valtteri Bottas", "join", "Sauber") in {
        (m["driver"], m["kind"], m["team"]) for m in read["moves"]}


def test_initials_open_a_name() -> None:
    found = moves("Ware signs Yeller",
                  "Rick Ware Racing has signed J.J. Yeller to drive the No. 51 next season.",
                  "NASCAR Cup")
    assert ("J.J. Yeller", "join", "Rick Ware Racing") in found


def test_a_number_before_a_colon_does_not_count_the_name_after_it() -> None:
    found = moves("DS Penske lands two champions",
                  "DS Penske will field two champions in season nine: Jean-Luc Verdier and "
                  "reigning title holder Stoffel Vandoorne.", "Formula E")
    assert ("Jean-Luc Verdier", "join", "DS Penske") in found
