"""HttpFeedFetcher: one poll of one feed over HTTP, every failure returned as a value."""

from __future__ import annotations

import asyncio
import errno
import functools
import hashlib
import ipaddress
import logging
import re
import socket
import ssl
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from types import TracebackType
from typing import Self
from urllib.parse import urljoin

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import ThreadedResolver

from bot.models import Feed, FetchResult
from feeds.parse import ParsedFeed, parse_feed
from feeds.settings import FetchSettings
from feeds.urls import FeedUrlError, address_problem, check_feed_url_async

log = logging.getLogger(__name__)

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_PERMANENT = frozenset({301, 308})
_CHUNK = 64 * 1024
_MAX_AGE = re.compile(r"(?:^|[,\s])max-age\s*=\s*\"?(\d+)", re.IGNORECASE)


class _RefusedAddress(OSError):
    """Raised inside the connector; aiohttp wraps it in ClientConnectorDNSError."""


class GuardedResolver(AbstractResolver):
    """Resolves like aiohttp's threaded resolver (the loop's getaddrinfo), then drops every
    address the bot must not reach. The per-hop URL check gives users a clear message; this
    is the check on the addresses the connection really uses, so a name that resolves to a
    public address for the check and to 127.0.0.1 a moment later still gets nowhere."""

    def __init__(self, *, trusted_hosts: frozenset[str] = frozenset()) -> None:
        self._inner = ThreadedResolver()
        self._trusted = trusted_hosts

    async def resolve(self, host: str, port: int = 0,
                      family: socket.AddressFamily = socket.AF_INET) -> list[ResolveResult]:
        results = await self._inner.resolve(host, port, family)
        if host.lower().rstrip(".") in self._trusted:
            return results
        allowed = []
        refused = []
        for result in results:
            problem = address_problem(ipaddress.ip_address(result["host"].split("%", 1)[0]))
            if problem:
                refused.append(f"{result['host']} ({problem})")
            else:
                allowed.append(result)
        if not allowed:
            raise _RefusedAddress(errno.EACCES,
                                  f"refusing {host}: resolves to {', '.join(refused)}")
        return allowed

    async def close(self) -> None:
        await self._inner.close()


class _Failure(Exception):
    """Ends one fetch with a short reason for the user; never leaves this module."""

    def __init__(self, message: str, *, gone: bool = False,
                 wait_seconds: float | None = None) -> None:
        super().__init__(message)
        self.gone = gone
        self.wait_seconds = wait_seconds


class HttpFeedFetcher:
    """Implements bot.ports.FeedFetcher. One aiohttp session, created in the running loop on
    first use and shared by every fetch; close() it (or use `async with`) when done."""

    def __init__(self, settings: FetchSettings | None = None) -> None:
        self.settings = settings or FetchSettings()
        self._session: aiohttp.ClientSession | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        # Parsing holds the GIL, so more threads would not parse faster; but glibc gives
        # each thread that mallocs its own arena, and what a parse frees stays in that
        # arena: asyncio's default pool (up to 6 threads here) added ~5 MB of peak RSS over
        # a 10,000-feed cycle for nothing.
        self._parser: ThreadPoolExecutor | None = None

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None,
                        exc: BaseException | None, tb: TracebackType | None) -> None:
        await self.close()

    async def close(self) -> None:
        session, self._session = self._session, None
        if session is not None and not session.closed:
            await session.close()
        parser, self._parser = self._parser, None
        if parser is not None:
            parser.shutdown(wait=False, cancel_futures=True)

    async def _parse(self, body: bytes, *, url: str, content_type: str | None,
                     feed: Feed) -> ParsedFeed:
        if self._parser is None:
            self._parser = ThreadPoolExecutor(max_workers=1, thread_name_prefix="feed-parse")
        return await asyncio.get_running_loop().run_in_executor(self._parser, functools.partial(
            parse_feed, body, url=url, content_type=content_type, feed=feed,
            settings=self.settings))

    def _session_for_this_loop(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        if self._session is not None and not self._session.closed and self._loop is not loop:
            raise RuntimeError("this HttpFeedFetcher's session belongs to another event loop: "
                               "close it there, or make one fetcher per loop")
        if self._session is None or self._session.closed:
            self._loop = loop
            settings = self.settings
            connector = aiohttp.TCPConnector(
                # The private-address filter is skipped only when private addresses are
                # allowed anyway; the resolver is the same real one either way.
                resolver=ThreadedResolver() if settings.allow_private else GuardedResolver(
                    trusted_hosts=settings.trusted_hosts),
                limit=50,
                limit_per_host=4,
                ttl_dns_cache=60,
            )
            self._session = aiohttp.ClientSession(
                connector=connector,
                timeout=aiohttp.ClientTimeout(
                    total=settings.timeout_seconds,
                    sock_connect=settings.connect_timeout_seconds,
                ),
                headers={"User-Agent": settings.user_agent,
                         "Accept": "application/rss+xml, application/atom+xml, "
                                   "application/rdf+xml, application/xml;q=0.9, "
                                   "text/xml;q=0.9, */*;q=0.5"},
                # A proxy from the environment would connect on our behalf, past the guard.
                trust_env=False,
                # One site's cookies have no business in the next site's requests.
                cookie_jar=aiohttp.DummyCookieJar(),
                auto_decompress=True,
            )
        return self._session

    async def fetch(self, feed: Feed) -> FetchResult:
        """Never raises for anything the network or the feed does: failures come back as
        FetchResult.error. (Cancellation and misuse across event loops do raise.)"""
        session = self._session_for_this_loop()
        try:
            async with asyncio.timeout(self.settings.timeout_seconds):
                return await self._fetch(session, feed)
        except _Failure as failure:
            return FetchResult(error=str(failure), gone=failure.gone,
                               wait_seconds=failure.wait_seconds)
        except aiohttp.ConnectionTimeoutError as exc:
            return FetchResult(error=f"connection timed out after "
                                     f"{self.settings.connect_timeout_seconds:g}s: {exc}")
        except TimeoutError:
            return FetchResult(error=f"timed out after {self.settings.timeout_seconds:g}s")
        except aiohttp.ClientConnectorDNSError as exc:
            if isinstance(exc.os_error, _RefusedAddress):
                return FetchResult(error=exc.os_error.strerror)
            return FetchResult(error=f"could not resolve host {exc.host!r}")
        except aiohttp.ClientConnectorCertificateError as exc:
            return FetchResult(error=f"TLS certificate problem with {exc.host}: "
                                     f"{exc.certificate_error}")
        except aiohttp.ClientConnectorError as exc:
            return FetchResult(error=_connect_failure(exc))
        except (aiohttp.ServerDisconnectedError, aiohttp.ClientPayloadError) as exc:
            return FetchResult(error=f"the server broke off the response: {exc}")
        except (aiohttp.ClientError, ssl.SSLError) as exc:
            return FetchResult(error=f"HTTP error: {type(exc).__name__}: {exc}")
        except Exception as exc:  # one feed's surprise must not stop the poll of the others
            log.exception("unexpected failure fetching feed %s (%s)", feed.id, feed.url)
            return FetchResult(error=f"unexpected error: {type(exc).__name__}: {exc}")

    async def _fetch(self, session: aiohttp.ClientSession, feed: Feed) -> FetchResult:
        settings = self.settings
        url = feed.url
        visited: set[str] = set()
        # The new address is stored only when every hop said "permanently": a temporary
        # hop anywhere on the way means the old URL is still the one to ask.
        permanent: bool | None = None
        for _hop in range(settings.max_redirects + 1):
            try:
                url = await check_feed_url_async(
                    url, allow_private=settings.allow_private,
                    trusted_hosts=settings.trusted_hosts)
            except FeedUrlError as exc:
                raise _Failure(f"refused URL {url}: {exc}") from None
            if url in visited:
                raise _Failure(f"redirect loop at {url}")
            visited.add(url)
            # Conditional headers go to wherever the feed now lives: the validators belong
            # to the document, not to the first URL.
            async with session.get(url, headers=_conditional_headers(feed),
                                   allow_redirects=False) as response:
                if response.status in _REDIRECTS:
                    location = response.headers.get("Location")
                    if not location:
                        raise _Failure(f"HTTP {response.status} redirect without a Location")
                    url = urljoin(str(response.url), location)
                    permanent = (permanent is not False) and response.status in _PERMANENT
                    continue
                result = await self._finish(feed, url, response)
                if permanent and result.ok:
                    result = replace(result, moved_to=url)
                return result
        raise _Failure(f"too many redirects (more than {settings.max_redirects})")

    async def _finish(self, feed: Feed, url: str,
                      response: aiohttp.ClientResponse) -> FetchResult:
        etag = response.headers.get("ETag")
        last_modified = response.headers.get("Last-Modified")
        wait = _server_wait(response)
        if response.status == HTTPStatus.NOT_MODIFIED:
            # A 304 may omit the validators; the ones we sent are still the current ones.
            return FetchResult(not_modified=True, etag=etag or feed.etag,
                               last_modified=last_modified or feed.last_modified,
                               wait_seconds=wait)
        if response.status >= 400:
            raise _Failure(_status_failure(response.status, response.reason),
                           gone=response.status == HTTPStatus.GONE, wait_seconds=wait)
        if not 200 <= response.status < 300:
            raise _Failure(f"unexpected HTTP status {response.status}")
        body = await _read_capped(response, self.settings.max_bytes)
        body_hash = hashlib.sha256(body).hexdigest()
        if feed.body_hash == body_hash:
            # Servers without validators (or with ones that change on every request) send
            # the same bytes again and again: parsing them again would find nothing new.
            return FetchResult(unchanged=True, etag=etag or feed.etag,
                               last_modified=last_modified or feed.last_modified,
                               body_hash=body_hash, wait_seconds=wait)
        content_type = response.headers.get("Content-Type")
        # feedparser is pure Python: a large feed would stall every other task on the loop.
        parsed = await self._parse(body, url=url, content_type=content_type, feed=feed)
        if parsed.error:
            # No validators with an error: the next poll fetches in full and can recover.
            return FetchResult(error=parsed.error, title=parsed.title,
                               feed_link=parsed.feed_link)
        return FetchResult(articles=parsed.articles, title=parsed.title, etag=etag,
                           last_modified=last_modified, body_hash=body_hash,
                           wait_seconds=wait)


def _status_failure(status: int, reason: str | None) -> str:
    """The error a moderator reads in /feed list: the status, and what it means for them."""
    meaning = {
        401: "the feed needs a login",
        403: "the site refuses the bot",
        404: "no feed at this address",
        410: "the site removed the feed for good",
        429: "the site asks the bot to poll less often",
    }.get(status)
    if meaning is None and status >= 500:
        meaning = "the site has a problem"
    text = f"HTTP {status} {reason or ''}".rstrip()
    return f"{text}: {meaning}" if meaning else text


def _server_wait(response: aiohttp.ClientResponse) -> float | None:
    """Seconds the server asks us to wait before the next request: Retry-After (on any
    answer; seconds or an HTTP date), else Cache-Control max-age. None when it says nothing."""
    retry_after = response.headers.get("Retry-After", "").strip()
    if retry_after:
        if retry_after.isdigit():
            return float(retry_after)
        try:
            when = parsedate_to_datetime(retry_after)
        except (TypeError, ValueError, IndexError):
            when = None
        if when is not None:
            when = when if when.tzinfo else when.replace(tzinfo=UTC)
            return max(0.0, (when - datetime.now(UTC)).total_seconds())
    match = _MAX_AGE.search(response.headers.get("Cache-Control", ""))
    return float(match.group(1)) if match else None


def _conditional_headers(feed: Feed) -> dict[str, str]:
    headers = {}
    if feed.etag:
        headers["If-None-Match"] = feed.etag
    if feed.last_modified:
        headers["If-Modified-Since"] = feed.last_modified
    return headers


async def _read_capped(response: aiohttp.ClientResponse, limit: int) -> bytes:
    too_large = f"response larger than {limit:,} bytes"
    declared = response.content_length
    # Content-Length counts compressed bytes: a small one still needs the streaming cap.
    if declared is not None and declared > limit:
        raise _Failure(f"{too_large} (Content-Length {declared:,})")
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.content.iter_chunked(_CHUNK):
        size += len(chunk)
        if size > limit:
            raise _Failure(too_large)
        chunks.append(chunk)
    return b"".join(chunks)


def _connect_failure(exc: aiohttp.ClientConnectorError) -> str:
    where = f"{exc.host}:{exc.port}"
    cause = exc.os_error
    if isinstance(cause, ConnectionRefusedError) or cause.errno == errno.ECONNREFUSED:
        return f"connection refused by {where}"
    if isinstance(cause, TimeoutError):
        return f"connection to {where} timed out"
    reason = cause.strerror or str(cause) or type(cause).__name__
    return f"could not connect to {where}: {reason}"
