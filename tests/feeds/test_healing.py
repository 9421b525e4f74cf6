"""What the fetcher tells the pipeline so feeds can heal themselves and poll politely:
410, permanent redirects, server-requested waits, unchanged bodies, the User-Agent, plus
JSON Feed and RSS behind an XHTML DOCTYPE. Real aiohttp against the fake site."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from bot.models import Feed
from feeds import FetchSettings, HttpFeedFetcher
from tests.fakes.feed_server import FakeFeedServer, rss

FAST = FetchSettings(timeout_seconds=2.0, allow_private=True)
ITEM = {"title": "Alex Palou stays with Chip Ganassi Racing for 2025", "guid": "palou-cgr"}


@pytest.fixture
async def fetcher():
    async with HttpFeedFetcher(FAST) as f:
        yield f


def feed_at(url: str) -> Feed:
    return Feed(id=3, url=url)


async def test_410_is_gone_and_404_is_not(feed_server: FakeFeedServer,
                                          fetcher: HttpFeedFetcher) -> None:
    feed_server.fail("/gone.xml", 410)
    feed_server.fail("/missing.xml", 404)
    gone = await fetcher.fetch(feed_at(feed_server.url("/gone.xml")))
    missing = await fetcher.fetch(feed_at(feed_server.url("/missing.xml")))
    assert gone.gone and gone.error and "removed the feed for good" in gone.error
    assert not missing.gone and missing.error and "no feed at this address" in missing.error


@pytest.mark.parametrize("status", [301, 308])
async def test_a_permanent_redirect_gives_the_new_address(feed_server: FakeFeedServer,
                                                          fetcher: HttpFeedFetcher,
                                                          status: int) -> None:
    feed_server.set_feed("/new.xml", rss([ITEM]))
    feed_server.redirect("/old.xml", "/new.xml", status=status)
    result = await fetcher.fetch(feed_at(feed_server.url("/old.xml")))
    assert result.ok and len(result.articles) == 1
    assert result.moved_to == feed_server.url("/new.xml")


@pytest.mark.parametrize(("first", "second"), [(302, 301), (301, 307)])
async def test_a_temporary_hop_anywhere_keeps_the_old_address(
        feed_server: FakeFeedServer, fetcher: HttpFeedFetcher, first: int, second: int) -> None:
    feed_server.set_feed("/final.xml", rss([ITEM]))
    feed_server.redirect("/a.xml", "/b.xml", status=first)
    feed_server.redirect("/b.xml", "/final.xml", status=second)
    result = await fetcher.fetch(feed_at(feed_server.url("/a.xml")))
    assert result.ok and len(result.articles) == 1
    assert result.moved_to is None


async def test_an_unchanged_body_is_not_parsed_again(feed_server: FakeFeedServer,
                                                     fetcher: HttpFeedFetcher) -> None:
    # No validators: the server sends the whole body every time, as many do.
    feed_server.set_feed("/plain.xml", rss([ITEM]), etag=False, last_modified=False)
    feed = feed_at(feed_server.url("/plain.xml"))
    first = await fetcher.fetch(feed)
    assert first.ok and len(first.articles) == 1 and first.body_hash
    second = await fetcher.fetch(replace(feed, body_hash=first.body_hash))
    assert second.ok and second.unchanged and second.articles == ()
    assert len(feed_server.requests_for("/plain.xml")) == 2  # it was fetched, not skipped
    feed_server.set_feed("/plain.xml", rss([ITEM, {"title": "New item", "guid": "n"}]),
                         etag=False, last_modified=False)
    third = await fetcher.fetch(replace(feed, body_hash=first.body_hash))
    assert not third.unchanged and len(third.articles) == 2
    assert third.body_hash != first.body_hash


async def test_max_age_and_retry_after_are_read(feed_server: FakeFeedServer,
                                                fetcher: HttpFeedFetcher) -> None:
    feed_server.set_feed("/cached.xml", rss([ITEM]),
                         headers={"Cache-Control": "public, max-age=1800"})
    feed_server.fail("/busy.xml", 429, headers={"Retry-After": "3600"})
    feed_server.fail("/down.xml", 503, headers={"Retry-After": "Wed, 21 Oct 2099 07:28:00 GMT"})
    cached = await fetcher.fetch(feed_at(feed_server.url("/cached.xml")))
    busy = await fetcher.fetch(feed_at(feed_server.url("/busy.xml")))
    down = await fetcher.fetch(feed_at(feed_server.url("/down.xml")))
    assert cached.ok and cached.wait_seconds == 1800
    assert busy.error and busy.wait_seconds == 3600
    assert down.wait_seconds is not None and down.wait_seconds > 365 * 86400
    plain = await fetcher.fetch(feed_at(feed_server.url("/cached.xml").replace(
        "cached", "missing")))
    assert plain.wait_seconds is None


async def test_the_user_agent_names_the_operator(feed_server: FakeFeedServer) -> None:
    agent = FetchSettings.user_agent_for("https://ops.example/pitboard")
    feed_server.set_feed("/ua.xml", rss([ITEM]))
    async with HttpFeedFetcher(replace(FAST, user_agent=agent)) as fetcher:
        await fetcher.fetch(feed_at(feed_server.url("/ua.xml")))
    sent = feed_server.requests_for("/ua.xml")[0][1]["User-Agent"]
    assert sent == "Pitboard/0.1 (racing news bot; +https://ops.example/pitboard)"


XHTML_DOCTYPE = (b'<?xml version="1.0" encoding="utf-8"?>\n'
                 b'<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
                 b'"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n')


@pytest.mark.parametrize("content_type", ["application/rss+xml", "text/html"])
async def test_an_xhtml_doctype_does_not_make_rss_a_page(feed_server: FakeFeedServer,
                                                         fetcher: HttpFeedFetcher,
                                                         content_type: str) -> None:
    empty = XHTML_DOCTYPE + b'<rss version="2.0"><channel><title>Quiet</title></channel></rss>'
    full = XHTML_DOCTYPE + rss([ITEM]).split(b"?>", 1)[1]
    feed_server.set_feed("/empty.xml", empty, content_type=content_type)
    feed_server.set_feed("/full.xml", full, content_type=content_type)
    quiet = await fetcher.fetch(feed_at(feed_server.url("/empty.xml")))
    news = await fetcher.fetch(feed_at(feed_server.url("/full.xml")))
    assert quiet.ok and quiet.articles == () and quiet.title == "Quiet"
    assert news.ok and [a.title for a in news.articles] == [ITEM["title"]]


async def test_a_real_html_page_is_still_refused(feed_server: FakeFeedServer,
                                                 fetcher: HttpFeedFetcher) -> None:
    page = XHTML_DOCTYPE + b"<html><head><title>News</title></head><body></body></html>"
    feed_server.set_feed("/page", page, content_type="application/rss+xml")
    result = await fetcher.fetch(feed_at(feed_server.url("/page")))
    assert result.error and result.error.startswith("not a feed: the address returned an HTML")


@pytest.mark.parametrize("version", ["https://jsonfeed.org/version/1",
                                     "https://jsonfeed.org/version/1.1"])
async def test_json_feed_is_read(feed_server: FakeFeedServer, fetcher: HttpFeedFetcher,
                                 version: str) -> None:
    document = {
        "version": version, "title": "Paddock JSON",
        "items": [
            {"id": "j1", "url": "/2024/palou", "title": ITEM["title"],
             "content_html": "<p>Palou <b>re-signs</b> with Ganassi.</p>",
             "date_published": "2024-08-01T10:00:00+02:00"},
            {"id": "j2", "content_text": "A post with no title, only text.",
             "date_modified": "2024-08-02T09:00:00Z"},
            "not an item",
        ],
    }
    feed_server.set_feed("/feed.json", json.dumps(document), content_type="application/feed+json")
    result = await fetcher.fetch(feed_at(feed_server.url("/feed.json")))
    assert result.ok and result.title == "Paddock JSON"
    first, second = result.articles
    assert (first.entry_id, first.title, first.url) == (
        "j1", ITEM["title"], feed_server.url("/2024/palou"))
    assert first.summary == "Palou re-signs with Ganassi."
    assert first.published is not None and first.published.isoformat() == (
        "2024-08-01T08:00:00+00:00")
    assert second.title == "A post with no title, only text."
    assert second.published is not None and second.published.day == 2


async def test_json_that_is_not_a_json_feed_is_refused(feed_server: FakeFeedServer,
                                                       fetcher: HttpFeedFetcher) -> None:
    feed_server.set_feed("/api.json", '{"data": []}', content_type="application/json")
    feed_server.set_feed("/broken.json", '{"version": ', content_type="application/feed+json")
    other = await fetcher.fetch(feed_at(feed_server.url("/api.json")))
    broken = await fetcher.fetch(feed_at(feed_server.url("/broken.json")))
    assert other.error == "not a feed: JSON, but not a JSON Feed (jsonfeed.org)"
    assert broken.error and broken.error.startswith("not a feed: JSON that cannot be read")
