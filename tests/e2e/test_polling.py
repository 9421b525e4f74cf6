"""Polling that keeps up: no cap of feeds per cycle, slots refilled as feeds finish so a
slow site holds one slot and never the batch, and a per-host limit. Real pipeline, real
fetcher, SQLite, fake sites on 127.0.0.1 (and on "localhost", a second host name)."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta
from pathlib import Path

import pytest
from aiohttp import web

import feeds
from bot.models import utcnow
from bot.pipeline import Pipeline
from bot.rules import extract, gazetteer
from tests.fakes.db import open_test_store
from tests.fakes.feed_server import FakeFeedServer, rss


class CountingFeedServer(FakeFeedServer):
    """Also records the most requests it was answering at once."""

    def __init__(self) -> None:
        super().__init__()
        self.in_flight = 0
        self.most_in_flight = 0

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            return await super()._handle(request)
        finally:
            self.in_flight -= 1


@pytest.fixture
async def store(tmp_path: Path):
    opened = await open_test_store(tmp_path / "poll.db")
    yield opened
    await opened.close()


@pytest.fixture
async def fetcher():
    async with feeds.HttpFeedFetcher(feeds.FetchSettings(allow_private=True,
                                                         timeout_seconds=10.0)) as f:
        yield f


def pipeline(store, fetcher, **kwargs) -> Pipeline:
    return Pipeline(store, fetcher, extractor=extract, gazetteer=gazetteer(),
                    worker_id="poller", **kwargs)


def item(n: int) -> dict[str, str]:
    return {"title": f"Paddock notes {n}", "guid": f"n{n}"}


async def test_one_cycle_polls_every_due_feed_once_without_a_cap(store, fetcher):
    async with CountingFeedServer() as server:
        for n in range(150):
            server.set_feed(f"/f{n}.xml", rss([item(n)]))
            await store.add_feed(server.url(f"/f{n}.xml"))
        # A day ahead: every feed is due again the moment it is polled; none is polled twice.
        reports = await pipeline(store, fetcher, concurrency=8, per_host=4).poll_due(
            now=utcnow() + timedelta(days=1))
        assert len(reports) == 150 and not [r for r in reports if r.error]
        assert all(len(server.requests_for(f"/f{n}.xml")) == 1 for n in range(150))
        assert server.most_in_flight <= 4
        assert (await store.count_due_feeds(utcnow())) == 0


async def test_a_slow_site_holds_its_slots_and_never_the_batch(store, fetcher):
    async with CountingFeedServer() as slow_site, FakeFeedServer() as healthy_site:
        for n in range(4):
            slow_site.set_feed(f"/slow{n}.xml", rss([item(n)]))
            slow_site.slow(f"/slow{n}.xml", 1.5)
            # "localhost": another host name for the same 127.0.0.1, so another host.
            await store.add_feed(slow_site.url(f"/slow{n}.xml").replace("127.0.0.1",
                                                                         "localhost"))
        healthy = [f"/ok{n}.xml" for n in range(40)]
        for path in healthy:
            healthy_site.set_feed(path, rss([item(1)]))
            await store.add_feed(healthy_site.url(path))

        started = time.monotonic()
        cycle = asyncio.create_task(
            pipeline(store, fetcher, concurrency=4, per_host=2).poll_due(
                now=utcnow() + timedelta(seconds=1)))
        while not all(healthy_site.requests_for(p) for p in healthy):
            await asyncio.sleep(0.02)
            assert time.monotonic() - started < 10, "healthy feeds are waiting"
        healthy_done = time.monotonic() - started
        assert not cycle.done()  # the slow site is still answering
        reports = await cycle
        elapsed = time.monotonic() - started
    assert len(reports) == 44 and not [r.error for r in reports if r.error]
    # Two at a time for the slow host: two rounds of 1.5 s at the least.
    assert slow_site.most_in_flight == 2
    assert elapsed >= 3.0
    assert healthy_done < 1.5, f"healthy feeds were first polled {healthy_done:.2f}s in"
