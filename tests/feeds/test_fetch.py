"""HttpFeedFetcher against the fake news site: real aiohttp, real sockets, 127.0.0.1 only."""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from bot.models import Feed, FetchResult
from bot.ports import FeedFetcher
from feeds import FetchSettings, HttpFeedFetcher
from tests.fakes.feed_server import FakeFeedServer, closed_port_url, rss

FAST = FetchSettings(timeout_seconds=0.5, allow_private=True)

ITEMS = [
    {"title": "Tom Blomqvist will join Cadillac as endurance driver for No. 31",
     "link": "/news/blomqvist-axr", "guid": "axr-2024-blomqvist",
     "description": "<p>Blomqvist joins <b>Action Express</b> for 2024.</p>",
     "pubDate": datetime(2023, 10, 19, 14, 3, tzinfo=UTC)},
    {"title": "Derani stays with Whelen Cadillac", "guid": "axr-2024-derani",
     "pubDate": "Wed, 18 Oct 2023 09:00:00 -0400"},
]


@pytest.fixture
async def fetcher():
    async with HttpFeedFetcher(FAST) as f:
        yield f


def feed_at(url: str, feed_id: int = 7) -> Feed:
    return Feed(id=feed_id, url=url, title="Fake Racing News", series="IMSA")


def remember(feed: Feed, result: FetchResult) -> Feed:
    """What the store does after a successful poll."""
    return replace(feed, etag=result.etag, last_modified=result.last_modified)


async def test_implements_the_port(fetcher: HttpFeedFetcher) -> None:
    port: FeedFetcher = fetcher
    assert callable(port.fetch)


async def test_200_then_304_sends_if_none_match_and_parses_nothing(
        feed_server: FakeFeedServer, fetcher: HttpFeedFetcher) -> None:
    feed_server.set_feed("/rss.xml", rss(ITEMS))
    feed = feed_at(feed_server.url("/rss.xml"))

    first = await fetcher.fetch(feed)
    assert first.ok, first.error
    assert not first.not_modified
    assert [a.entry_id for a in first.articles] == ["axr-2024-blomqvist", "axr-2024-derani"]
    blomqvist = first.articles[0]
    assert blomqvist.url == f"{feed_server.url('/news/blomqvist-axr')}"
    assert blomqvist.summary == "Blomqvist joins Action Express for 2024."
    assert blomqvist.published == datetime(2023, 10, 19, 14, 3, tzinfo=UTC)
    assert (blomqvist.feed_id, blomqvist.series, blomqvist.source) == (7, "IMSA",
                                                                        "Fake Racing News")
    assert first.etag and first.etag.startswith('"')
    assert first.title == "Fake Racing News"

    second = await fetcher.fetch(remember(feed, first))
    assert second.ok
    assert second.not_modified
    assert second.articles == ()
    assert second.etag == first.etag

    (_, sent_first), (_, sent_second) = feed_server.requests_for("/rss.xml")
    assert "If-None-Match" not in sent_first
    assert sent_second["If-None-Match"] == first.etag
    assert sent_second["User-Agent"] == FAST.user_agent


async def test_changed_content_is_fetched_in_full(
        feed_server: FakeFeedServer, fetcher: HttpFeedFetcher) -> None:
    feed_server.set_feed("/rss.xml", rss(ITEMS[1:]))
    feed = feed_at(feed_server.url("/rss.xml"))
    first = await fetcher.fetch(feed)
    feed_server.set_feed("/rss.xml", rss(ITEMS))

    second = await fetcher.fetch(remember(feed, first))

    assert not second.not_modified
    assert second.etag != first.etag
    assert {a.entry_id for a in second.articles} == {"axr-2024-blomqvist", "axr-2024-derani"}


async def test_last_modified_alone_gives_a_conditional_get(
        feed_server: FakeFeedServer, fetcher: HttpFeedFetcher) -> None:
    feed_server.set_feed("/lm.xml", rss(ITEMS), etag=False,
                         last_modified=datetime(2023, 10, 19, 18, 0, tzinfo=UTC))
    feed = feed_at(feed_server.url("/lm.xml"))

    first = await fetcher.fetch(feed)
    assert first.etag is None
    assert first.last_modified == "Thu, 19 Oct 2023 18:00:00 GMT"
    second = await fetcher.fetch(remember(feed, first))

    assert second.not_modified and second.articles == ()
    assert second.last_modified == first.last_modified
    headers = feed_server.requests_for("/lm.xml")[-1][1]
    assert headers["If-Modified-Since"] == "Thu, 19 Oct 2023 18:00:00 GMT"
    assert "If-None-Match" not in headers


async def test_gzip_body_is_decoded(feed_server: FakeFeedServer,
                                    fetcher: HttpFeedFetcher) -> None:
    feed_server.set_feed("/gz.xml", rss(ITEMS), compress=True)
    result = await fetcher.fetch(feed_at(feed_server.url("/gz.xml")))
    assert result.ok and len(result.articles) == 2


@pytest.mark.parametrize(("status", "expected"), [
    (404, "HTTP 404 Not Found: no feed at this address"),
    (500, "HTTP 500 Internal Server Error: the site has a problem"),
    (410, "HTTP 410 Gone: the site removed the feed for good")])
async def test_http_errors_are_values(feed_server: FakeFeedServer, fetcher: HttpFeedFetcher,
                                      status: int, expected: str) -> None:
    feed_server.fail("/broken.xml", status)
    result = await fetcher.fetch(feed_at(feed_server.url("/broken.xml")))
    assert result.error == expected
    assert result.articles == () and result.etag is None
    assert result.gone == (status == 410)


async def test_timeout_is_a_value_and_quick(feed_server: FakeFeedServer,
                                            fetcher: HttpFeedFetcher) -> None:
    feed_server.set_feed("/slow.xml", rss(ITEMS))
    feed_server.slow("/slow.xml", 5)
    started = time.monotonic()
    result = await fetcher.fetch(feed_at(feed_server.url("/slow.xml")))
    assert result.error == "timed out after 0.5s"
    assert time.monotonic() - started < 2


async def test_connection_refused_is_a_value(fetcher: HttpFeedFetcher) -> None:
    result = await fetcher.fetch(feed_at(closed_port_url()))
    assert result.error is not None
    assert result.error.startswith("connection refused by 127.0.0.1:")


async def test_unresolvable_host_is_a_value(fetcher: HttpFeedFetcher) -> None:
    # .invalid never resolves (RFC 6761), so no DNS query can succeed anywhere.
    result = await fetcher.fetch(feed_at("http://no-such-host.invalid/feed.xml"))
    assert result.error is not None
    assert "could not resolve host 'no-such-host.invalid'" in result.error


async def test_redirects_are_followed(feed_server: FakeFeedServer,
                                      fetcher: HttpFeedFetcher) -> None:
    feed_server.set_feed("/new/feed.xml", rss([{"title": "Moved", "link": "story",
                                                "guid": "m1"}]))
    feed_server.redirect("/old.xml", "/hop.xml", status=301)
    feed_server.redirect("/hop.xml", "/new/feed.xml", status=307)
    result = await fetcher.fetch(feed_at(feed_server.url("/old.xml")))
    assert result.ok, result.error
    # Relative links resolve against where the feed was finally found.
    assert result.articles[0].url == feed_server.url("/new/story")


async def test_redirect_loop_is_a_value(feed_server: FakeFeedServer,
                                        fetcher: HttpFeedFetcher) -> None:
    feed_server.redirect("/a.xml", "/b.xml")
    feed_server.redirect("/b.xml", "/a.xml")
    result = await fetcher.fetch(feed_at(feed_server.url("/a.xml")))
    assert result.error == f"redirect loop at {feed_server.url('/a.xml')}"
    assert len(feed_server.requests_for("/a.xml")) == 1


async def test_too_many_redirects_is_a_value(feed_server: FakeFeedServer) -> None:
    for n in range(4):
        feed_server.redirect(f"/r{n}", f"/r{n + 1}")
    feed_server.set_feed("/r4", rss(ITEMS))
    async with HttpFeedFetcher(replace(FAST, max_redirects=3)) as fetcher:
        refused = await fetcher.fetch(feed_at(feed_server.url("/r0")))
    assert refused.error == "too many redirects (more than 3)"
    assert feed_server.requests_for("/r4") == []

    async with HttpFeedFetcher(replace(FAST, max_redirects=4)) as fetcher:
        allowed = await fetcher.fetch(feed_at(feed_server.url("/r0")))
    assert allowed.ok and len(allowed.articles) == 2


@pytest.mark.parametrize("declare_length", [True, False])
async def test_too_large_is_a_value(feed_server: FakeFeedServer, declare_length: bool) -> None:
    feed_server.huge("/huge.xml", 3_000_000, declare_length=declare_length)
    async with HttpFeedFetcher(replace(FAST, max_bytes=1_000_000, timeout_seconds=5)
                               ) as fetcher:
        result = await fetcher.fetch(feed_at(feed_server.url("/huge.xml")))
    assert result.error is not None
    assert result.error.startswith("response larger than 1,000,000 bytes")
    assert ("Content-Length 3,000,000" in result.error) == declare_length


async def test_gzip_bomb_stops_at_the_cap(feed_server: FakeFeedServer) -> None:
    # ~6 kB on the wire, 6 MB once decompressed: the cap counts what we decode.
    bomb = b'<?xml version="1.0"?><rss version="2.0"><channel>' + b" " * 6_000_000
    feed_server.set_feed("/bomb.xml", bomb, compress=True)
    async with HttpFeedFetcher(replace(FAST, max_bytes=1_000_000, timeout_seconds=5)
                               ) as fetcher:
        result = await fetcher.fetch(feed_at(feed_server.url("/bomb.xml")))
    assert result.error == "response larger than 1,000,000 bytes"


async def test_html_page_is_a_value(feed_server: FakeFeedServer,
                                    fetcher: HttpFeedFetcher) -> None:
    page = (b"<!DOCTYPE html><html><head><title>Racing News</title>"
            b'<link rel="alternate" type="application/rss+xml" href="/rss"></head>'
            b"<body><h1>Latest</h1><p>Lots of news</p></body></html>")
    feed_server.set_feed("/", page, content_type="text/html; charset=utf-8")
    result = await fetcher.fetch(feed_at(feed_server.url("/")))
    assert result.error == ("not a feed: the address returned an HTML page; the page links "
                            f"to a feed at {feed_server.url('/rss')}")
    assert result.etag is None


async def test_one_bad_feed_does_not_stop_the_others(
        feed_server: FakeFeedServer, fetcher: HttpFeedFetcher) -> None:
    feed_server.set_feed("/good-1.xml", rss(ITEMS))
    feed_server.set_feed("/good-2.xml", rss(ITEMS[:1]))
    feed_server.fail("/down.xml", 503)
    feed_server.set_feed("/slow.xml", rss(ITEMS))
    feed_server.slow("/slow.xml", 5)
    feed_server.set_feed("/broken.xml", b'<rss version="2.0"><channel><title>Broken</title><item',
                         content_type="application/rss+xml")
    feed_server.set_feed("/page.html", b"<html><body>hello</body></html>",
                         content_type="text/html")
    feeds = [feed_at(feed_server.url(p), n) for n, p in enumerate(
        ["/good-1.xml", "/down.xml", "/slow.xml", "/broken.xml", "/page.html", "/good-2.xml"])]
    feeds.append(feed_at(closed_port_url(), 99))

    results = await asyncio.gather(*(fetcher.fetch(f) for f in feeds))

    by_path = dict(zip(["good-1", "down", "slow", "broken", "page", "good-2", "refused"],
                       results, strict=True))
    assert len(by_path["good-1"].articles) == 2
    assert len(by_path["good-2"].articles) == 1
    assert by_path["down"].error == "HTTP 503 Service Unavailable: the site has a problem"
    assert by_path["slow"].error == "timed out after 0.5s"
    assert by_path["broken"].error == "malformed feed with no readable entries: unclosed token"
    assert by_path["page"].error is not None and by_path["page"].error.startswith("not a feed")
    assert by_path["refused"].error is not None
    assert by_path["refused"].error.startswith("connection refused")


async def test_malformed_feed_with_entries_keeps_them(
        feed_server: FakeFeedServer, fetcher: HttpFeedFetcher) -> None:
    body = (b'<rss version="2.0"><channel><title>Sloppy</title>'
            b"<item><title>Ferrari & Hamilton</title><guid>f1</guid></item>"
            b"<item><title>Cut off")
    feed_server.set_feed("/sloppy.xml", body)
    result = await fetcher.fetch(feed_at(feed_server.url("/sloppy.xml")))
    assert result.ok
    assert result.articles[0].title == "Ferrari & Hamilton"


async def test_session_is_shared_and_recreated_after_close(
        feed_server: FakeFeedServer) -> None:
    feed_server.set_feed("/rss.xml", rss(ITEMS))
    fetcher = HttpFeedFetcher(FAST)
    feed = feed_at(feed_server.url("/rss.xml"))
    await asyncio.gather(fetcher.fetch(feed), fetcher.fetch(feed))
    session = fetcher._session
    assert session is not None
    await fetcher.fetch(feed)
    assert fetcher._session is session
    await fetcher.close()
    assert session.closed
    assert (await fetcher.fetch(feed)).ok
    await fetcher.close()


def test_a_fetcher_refuses_to_cross_event_loops() -> None:
    async def serve_and_fetch(fetcher: HttpFeedFetcher) -> FetchResult:
        async with FakeFeedServer() as server:
            server.set_feed("/rss.xml", rss(ITEMS))
            return await fetcher.fetch(feed_at(server.url("/rss.xml")))

    fetcher = HttpFeedFetcher(FAST)
    first_loop = asyncio.new_event_loop()
    try:
        assert first_loop.run_until_complete(serve_and_fetch(fetcher)).ok
        with pytest.raises(RuntimeError, match="another event loop"):
            asyncio.run(serve_and_fetch(fetcher))
        first_loop.run_until_complete(fetcher.close())
        assert asyncio.run(serve_and_fetch(fetcher)).ok  # closed: free to start afresh
        asyncio.run(fetcher.close())
    finally:
        first_loop.close()
