"""The SSRF guard: which URLs a user may make the bot fetch, checked on every hop."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.models import Feed
from feeds import (
    FeedUrlError,
    FetchSettings,
    GuardedResolver,
    HttpFeedFetcher,
    check_feed_url,
    check_feed_url_async,
)
from tests.fakes.feed_server import FakeFeedServer, rss

GUARDED = FetchSettings(timeout_seconds=0.5, allow_private=False)

REFUSED = [
    ("http://127.0.0.1/feed", "refusing 127.0.0.1: a loopback address"),
    ("http://127.9.9.9:8080/", "refusing 127.9.9.9: a loopback address"),
    ("http://[::1]/", "refusing ::1: a loopback address"),
    ("http://[::ffff:127.0.0.1]/", "refusing ::ffff:127.0.0.1: a loopback address (127.0.0.1)"),
    ("http://[::ffff:10.0.0.5]/", "refusing ::ffff:10.0.0.5: a private address (10.0.0.5)"),
    ("http://[64:ff9b::a9fe:a9fe]/", "a link-local address (169.254.169.254)"),
    ("http://[2002:c0a8:101::]/", "a private address (192.168.1.1)"),
    ("http://2130706433/", "refusing 2130706433 (resolves to 127.0.0.1): a loopback address"),
    ("http://0x7f.1/", "(resolves to 127.0.0.1): a loopback address"),
    ("http://10.1.2.3/", "refusing 10.1.2.3: a private address"),
    ("http://172.16.0.1/", "a private address"),
    ("http://192.168.1.20/rss", "a private address"),
    ("http://169.254.169.254/latest/meta-data/", "a link-local address"),
    ("http://[fe80::1]/", "a link-local address"),
    ("http://[fd00::1]/", "a private address"),
    ("http://0.0.0.0/", "an unspecified address"),
    ("http://[::]/", "an unspecified address"),
    ("http://224.0.0.251/", "a multicast address"),
    ("http://[ff02::1]/", "a multicast address"),
    ("http://240.0.0.1/", "a reserved address"),
    ("http://100.64.1.1/", "not a public address"),
    ("http://localhost:9000/feed", "refusing localhost (resolves to"),
]

MALFORMED = [
    ("ftp://racing.example/feed", "only http and https feeds are supported (scheme: ftp)"),
    ("file:///etc/passwd", "only http and https feeds are supported (scheme: file)"),
    ("javascript:alert(1)", "only http and https feeds are supported (scheme: javascript)"),
    ("racing.example/feed", "only http and https feeds are supported (scheme: none)"),
    ("http://user:secret@racing.example/feed", "URLs with a user name or password"),
    ("http://user@racing.example/feed", "URLs with a user name or password"),
    ("http:///feed.xml", "the URL has no host name"),
    ("http://racing.example:99999/", "not a valid URL"),
    ("http://no-such-host.invalid/feed", "could not resolve host 'no-such-host.invalid'"),
]


@pytest.mark.parametrize(("url", "message"), REFUSED)
def test_private_addresses_are_refused(url: str, message: str) -> None:
    with pytest.raises(FeedUrlError, match=r"^refusing ") as caught:
        check_feed_url(url, allow_private=False)
    assert message in str(caught.value)


@pytest.mark.parametrize(("url", "message"), REFUSED)
async def test_async_check_agrees(url: str, message: str) -> None:
    with pytest.raises(FeedUrlError) as caught:
        await check_feed_url_async(url, allow_private=False)
    assert message in str(caught.value)


@pytest.mark.parametrize(("url", "message"), MALFORMED)
async def test_malformed_urls_are_refused_even_when_private_is_allowed(
        url: str, message: str) -> None:
    allow = "resolve" not in message
    with pytest.raises(FeedUrlError) as caught:
        await check_feed_url_async(url, allow_private=allow)
    assert message in str(caught.value)
    assert isinstance(caught.value, ValueError)


async def test_loopback_allowed_only_when_asked() -> None:
    with pytest.raises(FeedUrlError, match="loopback"):
        await check_feed_url_async("http://127.0.0.1:8080/rss", allow_private=False)
    assert await check_feed_url_async("http://127.0.0.1:8080/rss",
                                      allow_private=True) == "http://127.0.0.1:8080/rss"
    assert check_feed_url("http://127.0.0.1:8080/rss",
                          allow_private=True) == "http://127.0.0.1:8080/rss"


def test_public_addresses_pass_and_urls_are_normalised() -> None:
    # IP literals resolve without any DNS query, so this runs offline.
    assert check_feed_url("HTTP://1.1.1.1:80/feed?x=1#top",
                          allow_private=False) == "http://1.1.1.1/feed?x=1"
    assert check_feed_url("  https://[2606:4700:4700::1111]:8443  ",
                          allow_private=False) == "https://[2606:4700:4700::1111]:8443/"


def test_trusted_hosts_skip_only_the_address_check() -> None:
    assert check_feed_url("http://LOCALHOST:8080/x", allow_private=False,
                          trusted_hosts={"localhost"}) == "http://localhost:8080/x"
    with pytest.raises(FeedUrlError, match="loopback"):
        check_feed_url("http://127.0.0.1:8080/x", allow_private=False,
                       trusted_hosts={"localhost"})
    with pytest.raises(FeedUrlError, match="password"):
        check_feed_url("http://a:b@localhost/", allow_private=False,
                       trusted_hosts={"localhost"})


async def test_fetcher_refuses_loopback_without_sending_anything(
        feed_server: FakeFeedServer) -> None:
    feed_server.set_feed("/feed.xml", rss([{"title": "x", "guid": "1"}]))
    async with HttpFeedFetcher(GUARDED) as fetcher:
        result = await fetcher.fetch(Feed(id=1, url=feed_server.url("/feed.xml")))
    assert result.error == (f"refused URL {feed_server.url('/feed.xml')}: "
                            "refusing 127.0.0.1: a loopback address")
    assert feed_server.requests_for("/feed.xml") == []


@pytest.mark.parametrize("target", [
    "http://127.0.0.1:{port}/feed.xml",
    "http://[::ffff:127.0.0.1]:{port}/feed.xml",
    "http://169.254.169.254/latest/meta-data/",
    "file:///etc/passwd",
])
async def test_redirect_to_a_private_address_is_refused(
        feed_server: FakeFeedServer, target: str) -> None:
    """The first hop is let through by naming it a trusted host (a real production option);
    the redirect it answers with must still go through the guard."""
    feed_server.set_feed("/feed.xml", rss([{"title": "secret", "guid": "1"}]))
    location = target.format(port=feed_server.port)
    feed_server.redirect("/go", location)
    settings = replace(GUARDED, trusted_hosts=frozenset({"localhost"}))
    entry = f"http://localhost:{feed_server.port}/go"

    async with HttpFeedFetcher(settings) as fetcher:
        result = await fetcher.fetch(Feed(id=1, url=entry))

    assert len(feed_server.requests_for("/go")) == 1  # the first hop did go out
    assert feed_server.requests_for("/feed.xml") == []
    assert result.error is not None
    assert result.error.startswith(f"refused URL {location}: ")
    assert result.articles == ()


async def test_redirect_within_a_trusted_host_is_followed(feed_server: FakeFeedServer) -> None:
    feed_server.set_feed("/feed.xml", rss([{"title": "ok", "guid": "1"}]))
    feed_server.redirect("/go", f"http://localhost:{feed_server.port}/feed.xml")
    settings = replace(GUARDED, trusted_hosts=frozenset({"localhost"}))
    async with HttpFeedFetcher(settings) as fetcher:
        result = await fetcher.fetch(Feed(id=1, url=f"http://localhost:{feed_server.port}/go"))
    assert result.ok, result.error
    assert [a.title for a in result.articles] == ["ok"]


async def test_resolver_filters_the_addresses_actually_connected_to() -> None:
    """The connector's resolver re-checks what DNS says at connect time (DNS rebinding)."""
    resolver = GuardedResolver()
    try:
        with pytest.raises(OSError, match=r"refusing localhost: resolves to 127\.0\.0\.1"):
            await resolver.resolve("localhost", 80)
        public = await resolver.resolve("1.1.1.1", 80)
        assert [r["host"] for r in public] == ["1.1.1.1"]
    finally:
        await resolver.close()
    trusting = GuardedResolver(trusted_hosts=frozenset({"localhost"}))
    try:
        assert {r["host"] for r in await trusting.resolve("localhost", 80)} & {"127.0.0.1",
                                                                                "::1"}
    finally:
        await trusting.close()
