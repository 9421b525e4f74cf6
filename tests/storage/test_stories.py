"""Story merging through the store: bot/stories.py states the rules, tests/bot/test_stories.py
tables them without a database; these pin down that storage writes what they decide."""

from __future__ import annotations

from bot.models import Extraction, MoveKind, Status
from storage import SqlStore
from tests.storage.helpers import article, blomqvist_extraction, move


async def _article(store: SqlStore, entry_id: str, **fields: object):
    feed = await store.add_feed("https://news.example/rss")
    [new] = await store.add_articles(feed.id, [article(entry_id, **fields)])  # type: ignore[arg-type]
    return new


async def test_new_moves_make_new_stories_with_their_source(store: SqlStore) -> None:
    source = await _article(store, "blomqvist", title="Tom Blomqvist will join Cadillac",
                            source="Sportscar365")
    stories = await store.record_extraction(source, blomqvist_extraction())
    assert [(s.move.team, s.revision) for s in stories] == [
        ("Action Express Racing", 1), ("Meyer Shank Racing", 1)]
    first = stories[0]
    assert first.summary.startswith("Tom Blomqvist joins Action Express Racing")
    assert first.move.car == "31" and first.move.role == "endurance"
    assert first.move.teammates == ("Pipo Derani", "Jack Aitken")
    assert first.source is not None
    assert (first.source.title, first.source.name, first.source.url) == (
        "Tom Blomqvist will join Cadillac", "Sportscar365", "https://news.example/blomqvist")
    assert first.first_seen is not None and first.first_seen.tzinfo is not None
    # recording the same article again announces nothing
    assert await store.record_extraction(source, blomqvist_extraction()) == []
    assert [s.id for s in await store.recent_stories(5)] == [s.id for s in stories][::-1]


async def test_the_same_move_from_another_source_is_not_news(store: SqlStore) -> None:
    one = await _article(store, "one")
    two = await _article(store, "two")
    [story] = await store.record_extraction(one, move("Pipo Derani", MoveKind.EXTEND,
                                                      team="Action Express Racing",
                                                      season=2025))
    assert await store.record_extraction(two, move("pipo derani", MoveKind.EXTEND,
                                                   team="Action Express Racing",
                                                   season=2025)) == []
    [latest] = await store.recent_stories(5)
    assert latest.id == story.id and latest.revision == 1


async def test_rumour_then_confirmation_bumps_the_revision(store: SqlStore) -> None:
    rumour_article = await _article(store, "rumour", title="Aitken linked with Whelen seat")
    confirmation = await _article(store, "confirmed", title="Aitken confirmed at Whelen")
    late_rumour = await _article(store, "late", title="Aitken to Whelen, says paddock")
    [rumour] = await store.record_extraction(rumour_article, move(
        "Jack Aitken", team="Action Express Racing", season=2024, car="31",
        status=Status.RUMOUR))
    assert rumour.revision == 1 and rumour.move.status is Status.RUMOUR
    [confirmed] = await store.record_extraction(confirmation, move(
        "Jack Aitken", team="Action Express Racing", season=2024, role="full-time"))
    assert confirmed.id == rumour.id
    assert confirmed.revision == 2
    assert confirmed.move.status is Status.CONFIRMED
    assert confirmed.move.car == "31"  # kept from the rumour
    assert confirmed.move.role == "full-time"
    assert confirmed.source is not None and confirmed.source.title == "Aitken confirmed at Whelen"
    # a rumour after the confirmation changes nothing
    assert await store.record_extraction(late_rumour, move(
        "Jack Aitken", team="Action Express Racing", season=2024, status=Status.RUMOUR)) == []
    [story] = await store.driver_stories("jack aitken")
    assert story.revision == 2 and story.move.status is Status.CONFIRMED


async def test_missing_details_fill_in_quietly(store: SqlStore) -> None:
    first = await _article(store, "first")
    second = await _article(store, "second")
    [story] = await store.record_extraction(first, move(
        "Filipe Albuquerque", team="Wayne Taylor Racing", season=2024))
    assert story.move.car is None
    # the car number arrives later: stored, not announced again
    assert await store.record_extraction(second, move(
        "Filipe Albuquerque", team="Wayne Taylor Racing", season=2024, car="10",
        role="full-time")) == []
    [stored] = await store.driver_stories("Filipe Albuquerque")
    assert stored.revision == 1
    assert (stored.move.car, stored.move.role) == ("10", "full-time")


async def test_driver_stories_newest_first_and_known_names(store: SqlStore) -> None:
    for index, team in enumerate(("Team A", "Team B", "Team C")):
        source = await _article(store, f"s{index}")
        await store.record_extraction(source, move("Nick Tandy", team=team, season=2020 + index,
                                                   series="WEC", car=f"{index + 1}"))
    stories = await store.driver_stories("NICK TANDY", limit=2)
    assert [s.move.team for s in stories] == ["Team C", "Team B"]
    from bot.models import TargetKind

    assert await store.known_names(TargetKind.DRIVER) == ["Nick Tandy"]
    assert await store.known_names(TargetKind.TEAM) == ["Team A", "Team B", "Team C"]
    assert await store.known_names(TargetKind.SERIES) == ["WEC"]


async def test_an_empty_extraction_records_nothing(store: SqlStore) -> None:
    source = await _article(store, "nothing")
    assert await store.record_extraction(source, Extraction()) == []
    assert await store.recent_stories() == []


async def test_runaway_text_from_a_feed_is_stored_clipped(store: SqlStore) -> None:
    """PostgreSQL enforces column widths; an absurd name must not lose the article."""
    feed = await store.add_feed("https://news.example/rss")
    long_id = "https://news.example/" + "x" * 3000
    [new] = await store.add_articles(feed.id, [article(long_id)])
    assert new.entry_id == long_id
    assert await store.add_articles(feed.id, [article(long_id)]) == []
    huge = "Jean-Éric " + "Vergne" * 200
    [story] = await store.record_extraction(new, Extraction(moves=(move(
        huge, team="Team " + "T" * 500, car="No. 25" + "5" * 50, series="S" * 400,
        season=2025, role="r" * 300).moves[0],), summaries=("long",)))
    assert story.move.driver.startswith("Jean-Éric Vergne") and len(story.move.driver) <= 150
    assert len(await store.lineup(story.move.car or "")) == 1
    assert [s.driver for s in await store.driver_seats(huge)] == [story.move.driver]
    assert MoveKind.JOIN is story.move.kind
