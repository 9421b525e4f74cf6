"""Lineup knowledge from moves through the store: the rules are bot/seats.py's (tabled without a
database in tests/bot/test_seats.py); these pin down that storage reads and writes them."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.models import Extraction, LineupEntry, MoveKind, Seat, Status
from storage import SqlStore
from tests.storage.helpers import article, blomqvist_extraction, move

THIS_YEAR = datetime.now(UTC).year


async def _record(store: SqlStore, entry_id: str, extraction: Extraction, **fields: object
                  ) -> None:
    feed = await store.add_feed("https://news.example/rss")
    new = await store.add_articles(feed.id, [article(entry_id, **fields)])  # type: ignore[arg-type]
    await store.record_extraction(new[0], extraction)


def _drivers(seats: list[Seat]) -> list[tuple[str, str]]:
    return [(s.driver, s.status.value) for s in seats]


async def test_lineup_31_after_the_blomqvist_article(store: SqlStore) -> None:
    await _record(store, "blomqvist", blomqvist_extraction(), title="Blomqvist to Cadillac")
    for spelling in ("31", "#31", "No. 31"):
        seats = await store.lineup(spelling)
        assert sorted(s.driver for s in seats) == ["Jack Aitken", "Pipo Derani",
                                                   "Tom Blomqvist"]
    seats = await store.lineup("31", series="imsa", season=2024)
    assert {(s.series, s.season, s.car, s.team) for s in seats} == {
        ("IMSA", 2024, "31", "Action Express Racing")}
    blomqvist = next(s for s in seats if s.driver == "Tom Blomqvist")
    assert blomqvist.role == "endurance"
    assert blomqvist.source is not None and blomqvist.source.title == "Blomqvist to Cadillac"
    assert await store.lineup("31", series="WEC") == []
    assert await store.lineup("31", season=2023) == []
    assert await store.lineup("") == []


async def test_team_lineup_and_driver_seats(store: SqlStore) -> None:
    await _record(store, "blomqvist", blomqvist_extraction())
    team = await store.team_lineup("action express racing")
    assert sorted(s.driver for s in team) == ["Jack Aitken", "Pipo Derani", "Tom Blomqvist"]
    msr = await store.team_lineup("Meyer Shank Racing", series="IndyCar", season=2024)
    assert [(s.driver, s.car, s.role) for s in msr] == [("Tom Blomqvist", None, "full-time")]
    seats = await store.driver_seats("Tom Blomqvist")
    assert [(s.series, s.team) for s in seats] == [("IMSA", "Action Express Racing"),
                                                    ("IndyCar", "Meyer Shank Racing")]


async def test_driver_profile_is_driver_seats_and_driver_stories_in_one(store: SqlStore
                                                                       ) -> None:
    assert await store.driver_profile("Tom Blomqvist") == ([], [])
    await _record(store, "blomqvist", blomqvist_extraction())  # IMSA 2024 and IndyCar 2024
    for season in (2022, 2023, 2025):  # an older and a newer IMSA season, more stories
        await _record(store, f"s{season}", move("Tom Blomqvist", team=f"Team {season}",
                                                car="8", series="IMSA", season=season))
    await _record(store, "nasr", move("Felipe Nasr", team="Penske", car="7", series="IMSA",
                                      season=2025))
    for limit in (2, 5, 10):
        seats, stories = await store.driver_profile("tom blomqvist", stories=limit)
        assert seats == await store.driver_seats("Tom Blomqvist")
        assert stories == await store.driver_stories("Tom Blomqvist", limit=limit)
    assert [(s.series, s.season, s.team) for s in seats] == [
        ("IMSA", 2025, "Team 2025"), ("IndyCar", 2024, "Meyer Shank Racing")]
    assert all(s.story_ids for s in seats)
    assert len(stories) == 5 and {s.move.driver for s in stories} == {"Tom Blomqvist"}


async def test_season_defaults_to_the_latest_per_series_up_to_next_year(store: SqlStore) -> None:
    await _record(store, "old", move("Old Driver", team="Red", car="7", series="IMSA",
                                     season=THIS_YEAR - 1))
    await _record(store, "new", move("New Driver", team="Red", car="7", series="IMSA",
                                     season=THIS_YEAR + 1))
    await _record(store, "far", move("Far Driver", team="Red", car="7", series="IMSA",
                                     season=THIS_YEAR + 2))
    await _record(store, "wec", move("Wec Driver", team="Blue", car="7", series="WEC",
                                     season=THIS_YEAR - 3))
    seats = await store.lineup("7")
    assert [(s.series, s.season, s.driver) for s in seats] == [
        ("IMSA", THIS_YEAR + 1, "New Driver"), ("WEC", THIS_YEAR - 3, "Wec Driver")]
    assert [s.driver for s in await store.lineup("7", series="IMSA", season=THIS_YEAR - 1)
            ] == ["Old Driver"]


async def test_a_car_fills_the_drivers_team_seat(store: SqlStore) -> None:
    await _record(store, "a", move("Sebastien Bourdais", team="Cadillac Racing",
                                   series="IMSA", season=2024))
    assert [s.car for s in await store.team_lineup("Cadillac Racing")] == [None]
    await _record(store, "b", Extraction(lineup=(LineupEntry(
        driver="Sébastien Bourdais", team="Cadillac Racing", car="01", series="IMSA",
        season=2024),)))
    seats = await store.team_lineup("Cadillac Racing")
    assert [(s.driver, s.car) for s in seats] == [("Sebastien Bourdais", "01")]


async def test_a_rumour_never_overwrites_a_confirmed_seat(store: SqlStore) -> None:
    await _record(store, "c", move("Pipo Derani", team="Action Express Racing", car="31",
                                   series="IMSA", season=2024, role="full-time"))
    await _record(store, "r1", move("Pipo Derani", team="Action Express Racing", car="31",
                                    series="IMSA", season=2024, role="endurance",
                                    status=Status.RUMOUR))
    await _record(store, "r2", move("Louis Deletraz", team="Action Express Racing", car="31",
                                    series="IMSA", season=2024, status=Status.RUMOUR))
    seats = await store.lineup("31", season=2024)
    assert _drivers(seats) == [("Pipo Derani", "confirmed"), ("Louis Deletraz", "rumour")]
    assert seats[0].role == "full-time"
    # and the rumour's confirmation turns it into a confirmed seat
    await _record(store, "c2", move("Louis Deletraz", team="Action Express Racing", car="31",
                                    series="IMSA", season=2024))
    assert _drivers(await store.lineup("31", season=2024)) == [
        ("Louis Deletraz", "confirmed"), ("Pipo Derani", "confirmed")]


async def test_leave_and_retire_end_seats_but_keep_history(store: SqlStore) -> None:
    for season in (2023, 2024, 2025):
        await _record(store, f"j{season}", move("Renger van der Zande", team="Ganassi",
                                                car="01", series="IMSA", season=season))
    await _record(store, "leave", move("Renger van der Zande", MoveKind.LEAVE, team="Ganassi",
                                       season=2024))
    assert await store.lineup("01", season=2024) == []
    assert await store.lineup("01", season=2025) == []
    assert [s.driver for s in await store.lineup("01", season=2023)] == ["Renger van der Zande"]
    assert [s.season for s in await store.lineup("01")] == [2023]  # the last open season

    await _record(store, "j2", move("Scott Dixon", team="Ganassi", car="9", series="IndyCar",
                                    season=2024))
    await _record(store, "rumoured", move("Scott Dixon", MoveKind.RETIRE, season=2024,
                                          status=Status.RUMOUR))
    assert [s.driver for s in await store.lineup("9")] == ["Scott Dixon"]
    await _record(store, "retire", move("Scott Dixon", MoveKind.RETIRE, season=2024))
    assert await store.lineup("9") == []
    assert await store.driver_seats("Scott Dixon") == []


async def test_from_team_ends_the_old_seat_in_the_same_series_only(store: SqlStore) -> None:
    await _record(store, "old", move("Tom Blomqvist", team="Meyer Shank Racing", car="60",
                                     series="IMSA", season=2024))
    await _record(store, "indy", move("Tom Blomqvist", team="Meyer Shank Racing",
                                      series="IndyCar", season=2024))
    await _record(store, "new", blomqvist_extraction())
    assert await store.lineup("60", season=2024) == []
    assert [s.team for s in await store.driver_seats("tom blomqvist")] == [
        "Action Express Racing", "Meyer Shank Racing"]


async def test_same_car_number_in_two_series(store: SqlStore) -> None:
    await _record(store, "imsa", blomqvist_extraction())
    await _record(store, "wec", move("Robert Kubica", team="AF Corse", car="#31",
                                     series="WEC", season=2024))
    seats = await store.lineup("31")
    assert sorted({s.series for s in seats}) == ["IMSA", "WEC"]
    assert [s.driver for s in await store.lineup("31", series="WEC")] == ["Robert Kubica"]


async def test_a_move_without_a_season_counts_for_the_articles_year(store: SqlStore) -> None:
    await _record(store, "noseason", move("Kamui Kobayashi", team="Toyota", car="7",
                                          series="WEC"),
                  published=datetime(2025, 2, 1, tzinfo=UTC))
    [seat] = await store.lineup("7", series="WEC")
    assert seat.season == 2025
