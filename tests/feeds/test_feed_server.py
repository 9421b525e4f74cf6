"""The fake news site itself: other suites rely on it answering like a real one."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime

import aiohttp
import feedparser

from tests.fakes.feed_server import FakeFeedServer, rss


async def get(server: FakeFeedServer, path: str, **headers: str) -> aiohttp.ClientResponse:
    async with aiohttp.ClientSession() as session, session.get(
            server.url(path), headers=headers, allow_redirects=False) as response:
        await response.read()
        return response


async def test_conditional_requests(feed_server: FakeFeedServer) -> None:
    feed_server.set_feed("/f", b"<rss/>", last_modified=datetime(2024, 3, 1, tzinfo=UTC))
    first = await get(feed_server, "/f")
    etag = first.headers["ETag"]
    assert first.status == 200
    assert first.headers["Last-Modified"] == "Fri, 01 Mar 2024 00:00:00 GMT"
    assert first.headers["Content-Type"] == "application/rss+xml"

    assert (await get(feed_server, "/f", **{"If-None-Match": etag})).status == 304
    assert (await get(feed_server, "/f", **{"If-None-Match": f'"x", W/{etag}'})).status == 304
    assert (await get(feed_server, "/f", **{"If-None-Match": "*"})).status == 304
    assert (await get(feed_server, "/f", **{"If-None-Match": '"other"'})).status == 200
    later = "Sat, 02 Mar 2024 00:00:00 GMT"
    earlier = "Thu, 29 Feb 2024 00:00:00 GMT"
    assert (await get(feed_server, "/f", **{"If-Modified-Since": later})).status == 304
    assert (await get(feed_server, "/f", **{"If-Modified-Since": earlier})).status == 200
    # If-None-Match decides when both are sent (RFC 9110).
    assert (await get(feed_server, "/f", **{"If-None-Match": '"other"',
                                            "If-Modified-Since": later})).status == 200

    feed_server.set_feed("/f", b"<rss>changed</rss>")
    changed = await get(feed_server, "/f", **{"If-None-Match": etag})
    assert changed.status == 200 and changed.headers["ETag"] != etag


async def test_last_modified_moves_forward_with_each_change(
        feed_server: FakeFeedServer) -> None:
    feed_server.set_feed("/f", b"one")
    one = (await get(feed_server, "/f")).headers["Last-Modified"]
    feed_server.set_feed("/f", b"two", etag=False)
    response = await get(feed_server, "/f", **{"If-Modified-Since": one})
    assert response.status == 200
    assert "ETag" not in response.headers


async def test_misbehaviour_on_demand(feed_server: FakeFeedServer) -> None:
    feed_server.fail("/down", 503, headers={"Retry-After": "30"})
    feed_server.redirect("/old", "/new", status=301)
    feed_server.redirect("/away", "https://elsewhere.example/feed")
    feed_server.huge("/big", 200_000, declare_length=False)

    down = await get(feed_server, "/down")
    assert (down.status, down.headers["Retry-After"]) == (503, "30")
    old = await get(feed_server, "/old")
    assert (old.status, old.headers["Location"]) == (301, feed_server.url("/new"))
    assert (await get(feed_server, "/away")).headers["Location"] == (
        "https://elsewhere.example/feed")
    big = await get(feed_server, "/big")
    assert big.headers.get("Transfer-Encoding") == "chunked"
    assert (await get(feed_server, "/nothing-here")).status == 404

    feed_server.set_feed("/down", b"<rss/>")
    assert (await get(feed_server, "/down")).status == 200
    feed_server.remove("/down")
    assert (await get(feed_server, "/down")).status == 404


async def test_requests_are_recorded_with_case_insensitive_headers(
        feed_server: FakeFeedServer) -> None:
    feed_server.set_feed("/f", b"<rss/>")
    await get(feed_server, "/f", **{"X-Probe": "1"})
    await get(feed_server, "f")
    records = feed_server.requests_for("/f")
    assert [method for method, _ in records] == ["GET", "GET"]
    assert records[0][1]["x-probe"] == "1"
    assert "X-Probe" not in records[1][1]
    feed_server.clear_requests()
    assert feed_server.requests_for("/f") == []


async def test_stop_does_not_wait_for_slow_answers() -> None:
    server = await FakeFeedServer().start()
    server.set_feed("/slow", b"<rss/>")
    server.slow("/slow", 30)
    pending = asyncio.ensure_future(get(server, "/slow"))
    await asyncio.sleep(0.1)
    started = time.monotonic()
    await server.stop()
    assert time.monotonic() - started < 2
    pending.cancel()
    await asyncio.gather(pending, return_exceptions=True)


def test_rss_builder_output_is_a_valid_feed() -> None:
    body = rss([{"title": "A & B <x>", "link": "https://r.example/1", "guid": "g1",
                 "description": "<p>d</p>", "content": "<p>full</p>", "author": "me",
                 "pubDate": datetime(2024, 1, 2, 3, 4, tzinfo=UTC),
                 "categories": ["IMSA", "WEC"]}], title="T & T")
    parsed = feedparser.parse(body)
    assert not parsed.bozo
    (entry,) = parsed.entries
    assert parsed.feed.title == "T & T"
    assert entry.id == "g1" and entry.link == "https://r.example/1"
    assert entry.content[0].value == "<p>full</p>"
    assert entry.published == "Tue, 02 Jan 2024 03:04:00 GMT"
    assert [t.term for t in entry.tags] == ["IMSA", "WEC"]


async def test_text_bodies_are_served_as_utf8(feed_server: FakeFeedServer) -> None:
    feed_server.set_feed("/page", "<p>Pérez</p>", content_type="text/html; charset=utf-8")
    async with aiohttp.ClientSession() as session, session.get(
            feed_server.url("/page")) as response:
        assert await response.read() == "<p>Pérez</p>".encode()
