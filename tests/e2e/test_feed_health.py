"""Feeds heal themselves through the whole app: the fake site -> real fetcher -> pipeline ->
SQLite, and the console adapter as the moderators' channel."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest

import feeds
from bot.app import PitboardApp
from bot.config import Settings
from bot.models import utcnow
from tests.fakes.feed_server import rss

ITEMS = [{"title": f"Paddock notes, part {n}", "guid": f"notes-{n}",
          "description": "<p>Nothing about seats.</p>"} for n in range(3)]


def later(days: float = 1):
    return utcnow() + timedelta(days=days)


@pytest.fixture
def console_out() -> io.StringIO:
    return io.StringIO()


@pytest.fixture
async def app(tmp_path: Path, console_out: io.StringIO):
    settings = Settings(_env_file=None, database_url=f"sqlite+aiosqlite:///{tmp_path}/h.db",
                        pitboard_allow_private_feeds=True, pitboard_console=True,
                        pitboard_feed_max_failures=3)
    application = await PitboardApp.create(
        settings, console_out=console_out,
        fetch_settings=feeds.FetchSettings(allow_private=True, timeout_seconds=2.0))
    yield application
    await application.close()


def notices(console_out: io.StringIO) -> list[str]:
    return [line for line in console_out.getvalue().splitlines()
            if line.startswith("[moderators of local]")]


async def resume(app: PitboardApp, feed_id: int) -> str:
    reply = await app.commands.run_text(f"/feed resume {feed_id}", platform="console",
                                        workspace="local", user="mod",
                                        is_moderator=True)
    assert not reply.error, reply.text
    return reply.plain()


async def test_410_disables_at_once_tells_moderators_once_and_resume_restarts(
        app, server, console_out):
    server.set_feed("/imsa.xml", rss(ITEMS[:1]))
    feed = await app.store.add_feed(server.url("/imsa.xml"), workspace="console:local")
    await app.pipeline.poll_due(now=later())
    server.fail("/imsa.xml", 410)
    [report] = await app.pipeline.poll_due(now=later(2))
    assert report.error and "HTTP 410" in report.error
    stored = await app.store.get_feed(feed.id)
    assert stored is not None and stored.paused and stored.disabled_reason
    [notice] = notices(console_out)
    assert f"stopped polling feed {feed.id}" in notice and "HTTP 410" in notice
    assert f"/feed resume {feed.id}" in notice
    # Disabled: never polled again, and nobody is told twice.
    requests = len(server.requests_for("/imsa.xml"))
    assert await app.pipeline.poll_due(now=later(30)) == []
    assert len(server.requests_for("/imsa.xml")) == requests
    assert len(notices(console_out)) == 1

    server.set_feed("/imsa.xml", rss(ITEMS[:2]))
    await resume(app, feed.id)
    [report] = await app.pipeline.poll_due(now=later(31))
    assert report.error is None and report.new_articles == 1
    healed = await app.store.get_feed(feed.id)
    assert healed is not None and not healed.paused and healed.disabled_reason is None


async def test_repeated_failures_back_off_then_disable_once(app, server, console_out):
    server.fail("/flaky.xml", 500)
    feed = await app.store.add_feed(server.url("/flaky.xml"), workspace="console:local")
    for day in (1, 2, 3):
        [report] = await app.pipeline.poll_due(now=later(day))
        assert report.error and "HTTP 500" in report.error
    stored = await app.store.get_feed(feed.id)
    assert stored is not None and stored.paused and stored.error_count == 3
    assert stored.disabled_reason == (
        "3 failed polls in a row, the last: HTTP 500 Internal Server Error: the site has "
        "a problem")
    [notice] = notices(console_out)
    assert "3 polls in a row failed" in notice
    assert await app.pipeline.poll_due(now=later(10)) == []


async def test_a_moved_feed_is_followed_to_its_new_address(app, server):
    server.set_feed("/new.xml", rss(ITEMS[:1]))
    server.redirect("/old.xml", "/new.xml", status=301)
    feed = await app.store.add_feed(server.url("/old.xml"))
    [report] = await app.pipeline.poll_due(now=later())
    assert report.error is None and report.new_articles == 1
    assert (await app.store.get_feed(feed.id)).url == server.url("/new.xml")  # type: ignore[union-attr]
    await app.pipeline.poll_due(now=later(2))
    assert len(server.requests_for("/old.xml")) == 1  # the old address is not asked again


async def test_unchanged_bodies_are_not_parsed_and_only_new_entries_count(app, server):
    server.set_feed("/plain.xml", rss(ITEMS[:2]), etag=False, last_modified=False)
    feed = await app.store.add_feed(server.url("/plain.xml"))
    [first] = await app.pipeline.poll_due(now=later(1))
    [again] = await app.pipeline.poll_due(now=later(2))
    assert first.new_articles == 2
    assert again.not_modified and again.new_articles == 0 and again.error is None
    server.set_feed("/plain.xml", rss(ITEMS), etag=False, last_modified=False)
    [third] = await app.pipeline.poll_due(now=later(3))
    assert third.new_articles == 1
    stored = await app.store.get_feed(feed.id)
    assert stored is not None and stored.entries_seen == 3 and stored.last_success_at


async def test_feed_list_counts_the_alerts_each_feed_produced(app, server):
    from tests.e2e.test_loop import BLOMQVIST, OLD_NEWS

    server.set_feed("/imsa.xml", rss([OLD_NEWS], title="Sportscar News"))
    server.set_feed("/quiet.xml", rss(ITEMS[:1], title="Quiet Notes"))
    # The console's /feed list shows the operator's feeds (no workspace).
    imsa = await app.store.add_feed(server.url("/imsa.xml"), series="IMSA")
    quiet = await app.store.add_feed(server.url("/quiet.xml"))
    await app.pipeline.poll_due(now=later(1))  # the first polls record, announce nothing
    server.set_feed("/imsa.xml", rss([BLOMQVIST, OLD_NEWS], title="Sportscar News"))
    reports = await app.pipeline.poll_due(now=later(2))
    [report] = [r for r in reports if r.feed_id == imsa.id]
    assert report.alerts_queued >= 1
    stored = await app.store.get_feed(imsa.id)
    assert stored is not None and stored.alerts_produced == report.alerts_queued
    assert (await app.store.get_feed(quiet.id)).alerts_produced == 0  # type: ignore[union-attr]
    reply = await app.commands.run_text("/feed list", platform="console", workspace="local",
                                        user="mod", is_moderator=True)
    text = reply.plain()
    count = report.alerts_queued
    assert f"{count} alert{'' if count == 1 else 's'} produced" in text
    assert "0 alerts produced" in text


async def test_feeds_from_pitboard_feeds_are_spread_over_their_first_polls(tmp_path: Path):
    urls = [f"http://127.0.0.1:9/f{n}.xml" for n in range(50)]
    settings = Settings(_env_file=None, database_url=f"sqlite+aiosqlite:///{tmp_path}/s.db",
                        pitboard_allow_private_feeds=True, pitboard_feeds=",".join(urls))
    started = utcnow()
    application = await PitboardApp.create(
        settings, console_out=io.StringIO(),
        fetch_settings=feeds.FetchSettings(allow_private=True, timeout_seconds=2.0))
    try:
        added = await application.store.list_feeds(None)
    finally:
        await application.close()
    assert sorted(feed.url for feed in added) == sorted(urls)
    due = sorted(feed.next_poll_at for feed in added if feed.next_poll_at is not None)
    assert len(due) == 50 and len(set(due)) == 50
    # 50 feeds at 10 first polls a second: spread over about 5 s, not one instant.
    assert due[-1] - due[0] > timedelta(seconds=2)
    assert due[-1] <= utcnow() + timedelta(seconds=5) and due[0] >= started
