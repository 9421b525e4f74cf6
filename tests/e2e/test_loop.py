"""The whole loop on the embedded default: feed server on 127.0.0.1 -> real pipeline ->
SQLite -> console adapter -> slash command answers."""

from __future__ import annotations

import asyncio
import io
from datetime import timedelta
from pathlib import Path

import pytest

import feeds
from bot.app import PitboardApp
from bot.config import Settings
from bot.models import utcnow
from tests.fakes.feed_server import FakeFeedServer, closed_port_url, rss

BLOMQVIST = {
    "title": "Tom Blomqvist will join Cadillac as endurance driver for No. 31 Whelen Action "
             "Express",
    "link": "https://news.example/2023/10/blomqvist-cadillac",
    "guid": "news-example-blomqvist-2023",
    "pubDate": "Thu, 19 Oct 2023 14:05:00 +0000",
    "description": (
        "<p>Next season Tom Blomqvist joins Cadillac Racing as an endurance driver, teamed "
        "with Pipo Derani and Jack Aitken in the No. 31 Whelen Action Express Racing Cadillac "
        "V-Series.R from the Rolex 24 at Daytona.</p><p>Meyer Shank Racing, his sports car "
        "team, has put that program on hiatus. He moves to a full-time Dallara-Honda ride in "
        "the NTT IndyCar Series in 2024 with Meyer Shank Racing.</p>"),
}
OLD_NEWS = {
    "title": "Petit Le Mans: Derani on pole for the finale",
    "link": "https://news.example/2023/10/plm-pole",
    "guid": "news-example-plm-pole",
    "pubDate": "Fri, 13 Oct 2023 21:10:00 +0000",
    "description": "<p>Pipo Derani put the No. 31 Cadillac on pole at Road Atlanta.</p>",
}


def later():
    """Poll as if every feed's interval had passed."""
    return utcnow() + timedelta(days=1)


@pytest.fixture
def console_out() -> io.StringIO:
    return io.StringIO()


@pytest.fixture
async def app(tmp_path: Path, console_out: io.StringIO):
    settings = Settings(_env_file=None, database_url=f"sqlite+aiosqlite:///{tmp_path}/e2e.db",
                        pitboard_allow_private_feeds=True, pitboard_console=True)
    application = await PitboardApp.create(
        settings, console_out=console_out,
        fetch_settings=feeds.FetchSettings(allow_private=True, timeout_seconds=2.0))
    yield application
    await application.close()


@pytest.fixture
async def server():
    fake = FakeFeedServer()
    await fake.start()
    yield fake
    await fake.stop()


async def test_new_article_becomes_one_alert_and_a_lineup(app, server, console_out):
    server.set_feed("/imsa.xml", rss([OLD_NEWS], title="Sportscar News"))
    await app.store.add_feed(server.url("/imsa.xml"), series="IMSA", title="Sportscar News")

    first = await app.pipeline.poll_due(now=later())
    assert [(r.error, r.new_articles, r.announced) for r in first] == [(None, 1, False)]
    assert (await app.deliver_now()).sent == 0

    server.set_feed("/imsa.xml", rss([BLOMQVIST, OLD_NEWS], title="Sportscar News"))
    second = await app.pipeline.poll_due(now=later())
    assert [(r.error, r.new_articles) for r in second] == [(None, 1)]
    assert second[0].new_stories >= 1
    delivered = await app.deliver_now()
    console = app.senders["console"]
    alerts_channel = [a for a in console.delivered if a.destination.channel == "alerts"]
    blomqvist_imsa = [a for a in alerts_channel if "Action Express" in a.card.title]
    assert len(blomqvist_imsa) == 1
    assert delivered.sent == len(console.delivered)
    printed = console_out.getvalue()
    assert "Tom Blomqvist" in printed and "Action Express Racing" in printed

    reply = await app.commands.run_text("/lineup 31", platform="console", workspace="local",
                                        user="fan")
    answer = reply.plain()
    assert not reply.error
    for driver in ("Tom Blomqvist", "Pipo Derani", "Jack Aitken"):
        assert driver in answer

    # Unchanged feed: a conditional request, nothing parsed, nothing announced.
    requests_before = len(server.requests_for("/imsa.xml"))
    third = await app.pipeline.poll_due(now=later())
    assert [(r.not_modified, r.new_articles, r.error) for r in third] == [(True, 0, None)]
    method, headers = server.requests_for("/imsa.xml")[requests_before]
    assert method == "GET" and headers.get("If-None-Match")
    assert (await app.deliver_now()).sent == 0


async def test_bad_feeds_record_errors_and_do_not_stop_the_others(app, server):
    server.set_feed("/good.xml", rss([OLD_NEWS]))
    server.set_feed("/broken.xml", b"<rss><channel><item><title>unclosed",
                    content_type="application/rss+xml")
    server.set_feed("/page.html", b"<!doctype html><html><body><h1>Not a feed</h1></body></html>",
                    content_type="text/html")
    good = await app.store.add_feed(server.url("/good.xml"))
    broken = await app.store.add_feed(server.url("/broken.xml"))
    page = await app.store.add_feed(server.url("/page.html"))
    unreachable = await app.store.add_feed(closed_port_url())

    reports = {r.feed_id: r for r in await app.pipeline.poll_due(now=later())}
    assert reports[good.id].error is None and reports[good.id].new_articles == 1
    for bad in (broken, page, unreachable):
        assert reports[bad.id].error, f"feed {bad.url} should have failed"
        stored = await app.store.get_feed(bad.id)
        assert stored is not None and stored.last_error and stored.error_count == 1
    assert (await app.store.get_feed(good.id)).last_error is None


async def test_follow_gets_a_personal_alert_too(app, server):
    server.set_feed("/imsa.xml", rss([OLD_NEWS]))
    await app.store.add_feed(server.url("/imsa.xml"), series="IMSA")
    await app.pipeline.poll_due(now=later())
    reply = await app.commands.run_text("/follow team Cadillac", platform="console",
                                        workspace="local", user="fan")
    assert not reply.error, reply.text
    server.set_feed("/imsa.xml", rss([BLOMQVIST, OLD_NEWS]))
    await app.pipeline.poll_due(now=later())
    await app.deliver_now()
    personal = [a for a in app.senders["console"].delivered if a.destination.user == "fan"]
    assert len(personal) == 1
    assert "Action Express Racing" in personal[0].card.title


async def test_scheduler_polls_and_delivers_by_itself(app, server):
    server.set_feed("/imsa.xml", rss([BLOMQVIST]))
    feed = await app.store.add_feed(server.url("/imsa.xml"), series="IMSA", interval_seconds=600)
    app.settings.pitboard_poll_seconds = 1
    app.start_scheduler()
    for _ in range(100):
        stored = await app.store.get_feed(feed.id)
        if stored and stored.primed:
            break
        await asyncio.sleep(0.05)
    assert stored is not None and stored.primed and stored.last_error is None
    assert server.requests_for("/imsa.xml")


async def test_a_locked_database_costs_one_tick_and_loses_nothing(tmp_path, server, caplog):
    import sqlite3

    import storage

    path = tmp_path / "locked.db"
    store = await storage.SqlStore.open(f"sqlite:///{path}", sqlite_busy_timeout_ms=50)
    settings = Settings(_env_file=None, database_url=f"sqlite:///{path}",
                        pitboard_allow_private_feeds=True, pitboard_console=True)
    app = await PitboardApp.create(settings, console_out=io.StringIO(), store=store,
                                   fetch_settings=feeds.FetchSettings(allow_private=True))
    try:
        server.set_feed("/imsa.xml", rss([OLD_NEWS]))
        feed = await app.store.add_feed(server.url("/imsa.xml"))
        holder = sqlite3.connect(path, isolation_level=None)
        try:
            holder.execute("BEGIN EXCLUSIVE")  # another process holds the write lock
            await app.poll_tick()
            await app.deliver_tick()
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        # Two ticks met the outage: it is logged once, when it starts
        assert caplog.text.count("database unavailable:") == 1
        assert "available again" not in caplog.text
        await app.poll_tick()  # the lock is gone: the feed's work happens now
        assert caplog.text.count("database available again after") == 1
        stored = await app.store.get_feed(feed.id)
        assert stored is not None
        assert stored.primed
        assert stored.last_error is None
    finally:
        await app.close()


async def test_career_background_is_not_news(app, server):
    background = {
        "title": "Lewis Hamilton signed for McLaren in 2007",
        "link": "https://news.example/2024/05/throwback",
        "guid": "throwback-2007",
        "pubDate": "Wed, 01 May 2024 09:00:00 +0000",
        "description": "<p>A look back at a famous rookie season.</p>",
    }
    server.set_feed("/f1.xml", rss([OLD_NEWS]))
    await app.store.add_feed(server.url("/f1.xml"), series="F1")
    await app.pipeline.poll_due(now=later())
    server.set_feed("/f1.xml", rss([background, OLD_NEWS]))
    [report] = await app.pipeline.poll_due(now=later())
    assert (report.new_articles, report.new_stories) == (1, 0)
    assert (await app.deliver_now()).sent == 0
