"""Many tasks writing at once: one asyncio process shares the store between the poller,
the delivery worker and commands, and SQLite must neither lose work nor fail."""

from __future__ import annotations

import asyncio
from pathlib import Path

from storage import SqlStore
from tests.fakes.db import open_test_store
from tests.storage.helpers import article, move


async def _write_story(store: SqlStore, feed_id: int, number: int) -> int:
    [new] = await store.add_articles(feed_id, [article(f"c{number}")])
    stories = await store.record_extraction(new, move(
        f"Driver {number}", team=f"Team {number % 3}", car=str(number), series="IMSA",
        season=2025))
    return len(stories)


async def test_concurrent_writers_all_land(store: SqlStore) -> None:
    feed = await store.add_feed("https://news.example/rss")
    made = await asyncio.gather(*(_write_story(store, feed.id, n) for n in range(40)))
    assert sum(made) == 40
    assert len(await store.recent_stories(100)) == 40
    assert len(await store.team_lineup("Team 1")) == 13


async def test_two_stores_on_one_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    one = await open_test_store(path)
    two = await open_test_store(path)
    try:
        feed = await one.add_feed("https://news.example/rss")
        made = await asyncio.gather(*(_write_story(one if n % 2 else two, feed.id, n)
                                      for n in range(20)))
        assert sum(made) == 20
        assert len(await two.recent_stories(100)) == 20
    finally:
        await one.close()
        await two.close()
