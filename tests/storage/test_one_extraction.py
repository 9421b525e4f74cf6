"""What the moves of one article do to each other, recorded in one transaction: later moves
and lineup lines see what earlier ones wrote, and the look-ups are not made per move."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, func, select

from bot.models import ChangeAction, Extraction, LineupEntry, Move, MoveKind
from storage import SqlStore
from storage.tables import MoveRow, SeatStoryRow, StorySourceRow
from tests.storage.helpers import article, blomqvist_extraction
from tests.storage.test_lineup_story import AXR, show


async def _article(store: SqlStore, entry_id: str):  # type: ignore[no-untyped-def]
    feed = await store.add_feed("https://news.example/rss")
    [new] = await store.add_articles(feed.id, [article(entry_id)])
    return new


async def _count(store: SqlStore, table: Any) -> int:
    async with store.engine.connect() as connection:
        return int((await connection.execute(
            select(func.count()).select_from(table))).scalar_one())


@contextmanager
def statements(store: SqlStore) -> Iterator[list[str]]:
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(" ".join(statement.split()))

    event.listen(store.engine.sync_engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(store.engine.sync_engine, "before_cursor_execute", note)


async def test_a_move_told_twice_in_one_article_is_one_story_with_one_source(
        store: SqlStore) -> None:
    told = Move(driver="Pipo Derani", kind=MoveKind.EXTEND, team=AXR, season=2025)
    retold = Move(driver="pipo derani", kind=MoveKind.EXTEND, team=AXR, season=2025,
                  car="31")
    source = await _article(store, "twice")
    [story] = await store.record_extraction(source, Extraction(moves=(told, retold)))
    # the second telling is the same article again: it adds nothing, not even the car
    assert (story.revision, story.move.car) == (1, None)
    assert [s.id for s in await store.article_stories(source.id)] == [story.id]
    assert await _count(store, StorySourceRow.__table__) == 1
    assert await _count(store, MoveRow.__table__) == 2
    assert await store.record_extraction(source, Extraction(moves=(told, retold))) == []
    assert await _count(store, MoveRow.__table__) == 2


async def test_a_stand_in_named_earlier_in_the_article_steps_down_later_in_it(
        store: SqlStore) -> None:
    source = await _article(store, "back")
    await store.record_extraction(source, Extraction(moves=(
        Move(driver="Louis Deletraz", kind=MoveKind.REPLACE, team=AXR, car="31",
             series="IMSA", season=2024, replaces="Pipo Derani"),
        Move(driver="Pipo Derani", kind=MoveKind.JOIN, team=AXR, car="31", series="IMSA",
             season=2024),
    )))
    assert show(await store.lineup("31")) == [f"IMSA 2024 #31 {AXR}: Pipo Derani"]
    assert [(c.action, c.driver) for c in await store.changes(limit=5)] == [
        (ChangeAction.END, "Louis Deletraz"), (ChangeAction.FILL, "Pipo Derani"),
        (ChangeAction.FILL, "Louis Deletraz")]


async def test_a_lineup_line_gives_the_car_to_the_seat_a_move_just_made(
        store: SqlStore) -> None:
    source = await _article(store, "car")
    await store.record_extraction(source, Extraction(
        moves=(Move(driver="Jack Aitken", kind=MoveKind.JOIN, team=AXR, series="IMSA",
                    season=2024),),
        lineup=(LineupEntry(driver="Jack Aitken", team=AXR, car="31", series="IMSA",
                            season=2024),)))
    assert show(await store.team_lineup(AXR)) == [f"IMSA 2024 #31 {AXR}: Jack Aitken"]
    [seat] = await store.driver_seats("Jack Aitken")
    assert len(seat.story_ids) == 1
    assert await _count(store, SeatStoryRow.__table__) == 1


async def test_an_extraction_is_one_transaction_with_its_look_ups_done_once(
        store: SqlStore) -> None:
    source = await _article(store, "blomqvist")
    with statements(store) as seen:
        await store.record_extraction(source, blomqvist_extraction())
    # two moves and three lineup lines: one look-up of stories, one of seats
    assert [s for s in seen if s.startswith("SELECT")] == [
        s for s in seen if s.startswith("SELECT") and ("story_key IN" in s
                                                        or "seats.season IN" in s)]
    assert len([s for s in seen if s.startswith("SELECT")]) == 2
    assert len([s for s in seen if s.startswith("BEGIN")]) <= 1
    assert len([s for s in seen if "INTO seat_events" in s]) == 1
