"""A failing feed through the real pipeline and fetcher against the local feed server: it
backs off (each wait about twice the last), is disabled at the limit, its moderators are
told once, and it is not polled again."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import feeds
from bot.pipeline import Pipeline
from bot.rules import extract
from tests.fakes.db import open_test_store
from tests.fakes.feed_server import FakeFeedServer

INTERVAL = 600
LIMIT = 4


async def test_failures_back_off_then_disable_and_the_moderators_are_told_once(
        tmp_path: Path, feed_server: FakeFeedServer) -> None:
    feed_server.fail("/down.xml", 503)
    told: list[tuple[str | None, str]] = []

    async def notify(workspace: str | None, text: str) -> None:
        told.append((workspace, text))

    store = await open_test_store(tmp_path / "backoff.db")
    try:
        async with feeds.HttpFeedFetcher(feeds.FetchSettings(allow_private=True,
                                                             timeout_seconds=5.0)) as fetcher:
            pipeline = Pipeline(store, fetcher, extractor=extract, gazetteer=None,
                                worker_id="w", max_failures=LIMIT, notify=notify)
            feed = await store.add_feed(feed_server.url("/down.xml"),
                                        interval_seconds=INTERVAL, workspace="discord:42")
            assert feed.next_poll_at is not None
            due: datetime = feed.next_poll_at
            waits = []
            for failures in range(1, LIMIT + 1):
                # Not a moment before it is due: no request reaches the site.
                assert await pipeline.poll_due(now=due - timedelta(seconds=1)) == []
                assert len(feed_server.requests_for("/down.xml")) == failures - 1
                [report] = await pipeline.poll_due(now=due)
                assert report.error is not None and "HTTP 503" in report.error
                assert len(feed_server.requests_for("/down.xml")) == failures
                stored = await store.get_feed(feed.id)
                assert stored is not None and stored.error_count == failures
                assert stored.next_poll_at is not None and stored.last_polled_at is not None
                waits.append((stored.next_poll_at - stored.last_polled_at).total_seconds())
                due = stored.next_poll_at
                assert stored.paused == (failures == LIMIT)
            far = due + timedelta(days=30)
            assert await pipeline.poll_due(now=far) == []  # disabled: never polled again
            assert await pipeline.poll_due(now=far + timedelta(days=30)) == []
    finally:
        await store.close()
    # Doubling from one interval, each spread ±20% (the last one is the disable's).
    for wait, expected in zip(waits[:-1], [INTERVAL, 2 * INTERVAL, 4 * INTERVAL], strict=True):
        assert expected * 0.8 <= wait <= expected * 1.2
    assert len(feed_server.requests_for("/down.xml")) == LIMIT
    assert len(told) == 1
    [(workspace, text)] = told
    assert workspace == "discord:42"
    assert f"feed {feed.id}" in text and "HTTP 503" in text and "/feed resume" in text
