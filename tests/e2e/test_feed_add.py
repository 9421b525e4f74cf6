"""Adding a feed fetches it once: what is not a feed is refused with the reason, an HTML
page leads to the feed it advertises, the feed is named from its title and its current
entries are recorded without an alert. Real app, real fetcher, fake site on 127.0.0.1."""

from __future__ import annotations

import asyncio
import io
import json
import os
import sys
from datetime import timedelta
from pathlib import Path

import pytest

import feeds
from bot.app import PitboardApp
from bot.config import Settings
from bot.messages import Reply
from bot.models import utcnow
from tests.e2e.test_loop import BLOMQVIST, OLD_NEWS
from tests.fakes.feed_server import rss

MOD = {"platform": "console", "workspace": "local", "user": "mod", "is_moderator": True}


@pytest.fixture
async def app(tmp_path: Path):
    settings = Settings(_env_file=None, database_url=f"sqlite+aiosqlite:///{tmp_path}/a.db",
                        pitboard_allow_private_feeds=True, pitboard_console=True)
    application = await PitboardApp.create(
        settings, console_out=io.StringIO(),
        fetch_settings=feeds.FetchSettings(allow_private=True, timeout_seconds=2.0))
    yield application
    await application.close()


async def add(app: PitboardApp, url: str, *rest: str) -> Reply:
    return await app.commands.run_text(" ".join(["/feed add", url, *rest]), **MOD)


def page(*links: str) -> bytes:
    head = "".join(links)
    return (f"<!doctype html><html><head><title>Paddock Weekly</title>{head}</head>"
            "<body><h1>Paddock Weekly</h1></body></html>").encode()


@pytest.mark.parametrize(("setup", "reason"), [
    (lambda s: s.fail("/f", 404), "HTTP 404 Not Found: no feed at this address"),
    (lambda s: s.set_feed("/f", page(), content_type="text/html"),
     "not a feed: the address returned an HTML page"),
    (lambda s: s.set_feed("/f", b"<rss><channel><item><title>unclosed"),
     "malformed feed with no readable entries"),
    (lambda s: s.set_feed("/f", b"<?xml version='1.0'?><sitemap><url>x</url></sitemap>",
                          content_type="application/xml"),
     "not a feed: the document is neither RSS nor Atom"),
])
async def test_what_is_not_a_feed_is_refused_with_the_reason(app, server, setup, reason):
    setup(server)
    reply = await add(app, server.url("/f"))
    assert reply.error
    assert reply.text.startswith(f"Can't add that feed: {reason}"), reply.text
    assert await app.store.list_feeds() == []


async def test_the_feed_is_named_and_its_entries_recorded_without_alerts(app, server):
    server.set_feed("/imsa.xml", rss([BLOMQVIST, OLD_NEWS], title="Sportscar News"))
    reply = await add(app, server.url("/imsa.xml"), "IMSA")
    assert not reply.error, reply.text
    assert "Sportscar News" in reply.text and "2 current entries are recorded" in reply.text
    [feed] = await app.store.list_feeds()
    assert feed.title == "Sportscar News" and feed.primed and feed.entries_seen == 2
    assert (await app.deliver_now()).sent == 0  # last month's news is not announced
    # The probe was the first poll: the next one is conditional and finds nothing new.
    [again] = await app.pipeline.poll_due(now=utcnow() + timedelta(days=1))
    assert again.not_modified
    assert len(server.requests_for("/imsa.xml")) == 2
    # What the entries said is known all the same: the lineup learnt from them.
    lineup = await app.commands.run_text("/lineup 31 IMSA", platform="console",
                                         workspace="local", user="fan")
    assert "Tom Blomqvist" in lineup.plain()


@pytest.mark.parametrize(("kind", "path", "body"), [
    ("application/atom+xml", "/atom.xml",
     b'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
     b"<title>Paddock Atom</title><id>urn:x</id><updated>2024-01-01T00:00:00Z</updated>"
     b"<entry><title>Atom entry</title><id>urn:e1</id>"
     b"<updated>2024-01-01T00:00:00Z</updated></entry></feed>"),
    ("application/feed+json", "/feed.json",
     json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "Paddock JSON",
                 "items": [{"id": "1", "title": "JSON entry"}]}).encode()),
    ("application/rss+xml", "/rss.xml", rss([OLD_NEWS], title="Paddock RSS")),
])
async def test_an_html_page_leads_to_the_feed_it_advertises(app, server, kind, path, body):
    server.set_feed("/", page('<link rel="stylesheet" href="/s.css">',
                              f'<link rel="alternate" type="{kind}" title="News" '
                              f'href="{path}">'), content_type="text/html")
    server.set_feed(path, body, content_type=kind)
    reply = await add(app, server.url("/"))
    assert not reply.error, reply.text
    [feed] = await app.store.list_feeds()
    assert feed.url == server.url(path)
    assert feed.title and feed.title.startswith("Paddock") and feed.entries_seen == 1


async def test_a_page_linking_to_a_dead_feed_says_so(app, server):
    server.set_feed("/", page('<link rel="alternate" type="application/rss+xml" '
                              'href="/gone.xml">'), content_type="text/html")
    server.fail("/gone.xml", 410)
    reply = await add(app, server.url("/"))
    assert reply.error and "the page links to" in reply.text and "HTTP 410" in reply.text
    assert await app.store.list_feeds() == []


async def test_discovery_stays_behind_the_address_guard(tmp_path, server):
    """The page is public (here: trusted), the feed it names is on loopback: refused."""
    settings = Settings(_env_file=None, database_url=f"sqlite+aiosqlite:///{tmp_path}/g.db",
                        pitboard_console=True)
    guarded = await PitboardApp.create(
        settings, console_out=io.StringIO(),
        fetch_settings=feeds.FetchSettings(trusted_hosts=frozenset({"localhost"}),
                                           timeout_seconds=2.0))
    try:
        server.set_feed("/", page('<link rel="alternate" type="application/rss+xml" '
                                  f'href="{server.url("/rss.xml")}">'),
                        content_type="text/html")
        server.set_feed("/rss.xml", rss([OLD_NEWS]))
        result = await feeds.FeedProbe(guarded.fetcher)._fetch(
            server.url("/").replace("127.0.0.1", "localhost"))
        assert result.feed_link == server.url("/rss.xml")  # the page itself was fetched
        with pytest.raises(ValueError, match="refus"):
            await feeds.FeedProbe(guarded.fetcher)(
                server.url("/").replace("127.0.0.1", "localhost"))
        assert server.requests_for("/rss.xml") == []
    finally:
        await guarded.close()


async def test_pitboard_feed_add_probes_too(tmp_path, server):
    server.set_feed("/imsa.xml", rss([OLD_NEWS], title="Sportscar News"))
    server.fail("/missing.xml", 404)
    env = {**{k: v for k, v in os.environ.items()
              if not k.startswith(("DISCORD_", "SLACK_", "DATABASE_URL", "PITBOARD_"))},
           "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
           "PITBOARD_ALLOW_PRIVATE_FEEDS": "true"}

    async def pitboard(*args: str) -> tuple[int, str, str]:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", *args, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        out, err = await asyncio.wait_for(process.communicate(), 60)
        return process.returncode or 0, out.decode(), err.decode()

    code, out, err = await pitboard("feed", "add", server.url("/missing.xml"))
    assert code != 0 and "no feed at this address" in out + err
    code, out, err = await pitboard("feed", "add", server.url("/imsa.xml"))
    assert code == 0, err
    assert "Sportscar News" in out and "1 current entry is recorded" in out
