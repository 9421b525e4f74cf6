"""PITBOARD_FEEDS at start: a bad entry (or a host that does not resolve) is logged and
skipped; the good entries beside it are added and polled from the local feed server."""

from __future__ import annotations

import io
import logging
from datetime import timedelta
from pathlib import Path

import pytest

import feeds
from bot.app import PitboardApp
from bot.config import Settings
from bot.models import utcnow
from tests.fakes.feed_server import FakeFeedServer, rss

ITEM = {"title": "Paddock notes", "guid": "notes-1", "description": "<p>Weather.</p>"}


async def start(tmp_path: Path, entries: list[str], *, allow_private: bool) -> PitboardApp:
    settings = Settings(_env_file=None, database_url=f"sqlite+aiosqlite:///{tmp_path}/c.db",
                        pitboard_allow_private_feeds=allow_private,
                        pitboard_feeds=",".join(entries))
    return await PitboardApp.create(
        settings, console_out=io.StringIO(),
        fetch_settings=feeds.FetchSettings(allow_private=allow_private, timeout_seconds=2.0))


async def test_a_bad_entry_is_skipped_and_the_good_ones_are_polled(
        tmp_path: Path, feed_server: FakeFeedServer, caplog: pytest.LogCaptureFixture) -> None:
    feed_server.set_feed("/good.xml", rss([ITEM]))
    good = feed_server.url("/good.xml")
    caplog.set_level(logging.WARNING)
    app = await start(tmp_path, [" ftp://wrong/feed", good, "not a url at all"],
                      allow_private=True)
    try:
        assert [feed.url for feed in await app.store.list_feeds(None)] == [good]
        [report] = await app.pipeline.poll_due(now=utcnow() + timedelta(days=1))
    finally:
        await app.close()
    assert report.error is None and report.new_articles == 1
    assert len(feed_server.requests_for("/good.xml")) == 1
    skipped = [r.getMessage() for r in caplog.records if "PITBOARD_FEEDS" in r.getMessage()]
    assert len(skipped) == 2
    assert any("ftp://wrong/feed" in line for line in skipped)
    assert any("not a url at all" in line for line in skipped)


async def test_a_host_that_does_not_resolve_at_start_is_skipped(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    # .invalid never resolves (RFC 2606): the start-up check meets a DNS failure offline too.
    caplog.set_level(logging.WARNING)
    app = await start(tmp_path, ["https://feeds.example.invalid/news.xml"],
                      allow_private=False)
    try:
        assert await app.store.list_feeds(None) == []
    finally:
        await app.close()
    assert any("PITBOARD_FEEDS: skipping https://feeds.example.invalid/news.xml" in
               r.getMessage() and "could not resolve" in r.getMessage()
               for r in caplog.records)
