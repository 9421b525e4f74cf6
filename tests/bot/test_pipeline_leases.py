"""The pipeline's feed leases follow the work: renewed while a slow fetch runs, handed back
when the poll is cancelled or the database fails it, so no feed waits a lease for nothing.

Real pipeline, fetcher and SQLite store against a feed server on 127.0.0.1; the database
outage is a store whose writes fail as an unreachable database's do."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

import feeds
import storage
from bot.models import utcnow
from bot.pipeline import Pipeline
from bot.rules import extract, gazetteer
from tests.fakes.feed_server import FakeFeedServer, rss

ITEM = {"title": "Paddock notebook", "guid": "n-1", "link": "https://news.example/n-1",
        "pubDate": "Sun, 05 Oct 2025 12:00:00 +0000", "description": "<p>Tyres.</p>"}


@pytest.fixture
async def server() -> AsyncIterator[FakeFeedServer]:
    async with FakeFeedServer() as fake:
        fake.set_feed("/news.xml", rss([ITEM]))
        yield fake


@pytest.fixture
async def fetcher() -> AsyncIterator[feeds.HttpFeedFetcher]:
    async with feeds.HttpFeedFetcher(feeds.FetchSettings(allow_private=True,
                                                         timeout_seconds=10)) as opened:
        yield opened


def pipeline(store: Any, fetcher: feeds.HttpFeedFetcher, *, lease: int = 1,
             worker: str = "w1") -> Pipeline:
    return Pipeline(store, fetcher, extractor=extract, gazetteer=gazetteer(), worker_id=worker,
                    lease_seconds=lease, is_transient=storage.is_transient)


async def lease_of(store: storage.SqlStore, feed_id: int) -> tuple[str | None, Any]:
    from sqlalchemy import select

    from storage.tables import FeedRow

    table = FeedRow.__table__
    async with store.engine.connect() as connection:
        row = (await connection.execute(select(table.c.lease_owner, table.c.lease_until)
                                        .where(table.c.id == feed_id))).one()
    return row.lease_owner, row.lease_until


async def test_a_slow_poll_keeps_its_lease_and_releases_it_at_the_end(store, server, fetcher):
    feed = await store.add_feed(server.url("/news.xml"))
    server.slow("/news.xml", 2.5)  # more than twice the one-second lease
    poll = asyncio.create_task(pipeline(store, fetcher).poll_due())
    await asyncio.sleep(1.8)
    # Without renewal the lease would have run out 0.8 s ago and another worker poll it.
    assert await store.claim_due_feeds(utcnow(), limit=5, worker="w2", lease_seconds=1) == []
    [report] = await poll
    assert report.error is None
    assert await lease_of(store, feed.id) == (None, None)


async def test_a_cancelled_poll_hands_its_feed_back(store, server, fetcher):
    feed = await store.add_feed(server.url("/news.xml"))
    server.slow("/news.xml", 5)
    poll = asyncio.create_task(pipeline(store, fetcher, lease=60).poll_due())
    await asyncio.sleep(0.5)
    assert (await lease_of(store, feed.id))[0] == "w1"
    poll.cancel()
    with pytest.raises(asyncio.CancelledError):
        await poll
    # Due again at once, for any worker: not in a minute, when the lease would end.
    [again] = await store.claim_due_feeds(utcnow(), limit=5, worker="w2", lease_seconds=60)
    assert again.id == feed.id


class DatabaseAway:
    """The store while the database refuses connections: writes fail as they do then."""

    def __init__(self, inner: storage.SqlStore, *failing: str) -> None:
        self._inner = inner
        self.failing = set(failing)

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._inner, name)
        if name not in self.failing:
            return attribute

        async def refused(*_args: Any, **_kwargs: Any) -> Any:
            raise storage.TransientStorageError(
                "database unavailable or busy (ConnectionRefusedError)")
        return refused


async def test_a_poll_the_database_failed_is_handed_back_once_it_returns(store, server,
                                                                         fetcher):
    feed = await store.add_feed(server.url("/news.xml"))
    away = DatabaseAway(store, "ingest_polls", "release_feeds")
    worker = pipeline(away, fetcher, lease=600)
    [report] = await worker.poll_due()
    assert report.error is not None and report.error.startswith("database unavailable")
    assert isinstance(worker.database_error, storage.TransientStorageError)
    # The hand-back failed too (the database was away): the feed is still leased...
    assert (await lease_of(store, feed.id))[0] == "w1"

    away.failing.clear()  # ...until the database is back: the next cycle polls it again.
    [report] = await worker.poll_due()
    assert report.feed_id == feed.id and report.error is None and report.new_articles == 1
    assert worker.database_error is None
    assert await lease_of(store, feed.id) == (None, None)
