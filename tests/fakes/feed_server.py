"""A fake news site on 127.0.0.1 for feed tests: serves feeds, answers conditional requests
with 304, and misbehaves on demand (errors, slowness, redirects, huge bodies).

    server = FakeFeedServer()
    await server.start()
    server.set_feed("/news.xml", rss([{"title": "Blomqvist joins AXR", "guid": "1"}]))
    url = server.url("/news.xml")
    ...
    assert server.requests_for("/news.xml")[-1][1]["If-None-Match"] == ...
    await server.stop()

Or take the `feed_server` fixture: `from tests.fakes.feed_server import feed_server`
in a conftest.py (add `# noqa: F401`)."""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import hashlib
import socket
from collections.abc import AsyncIterator, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pytest_asyncio
from aiohttp import web
from multidict import CIMultiDict, CIMultiDictProxy

RequestRecord = tuple[str, CIMultiDictProxy[str]]

@dataclass(slots=True)
class _Document:
    body: bytes
    content_type: str
    etag: str | None
    last_modified: datetime | None
    compress: bool
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class _Route:
    document: _Document | None = None
    status: int | None = None  # fail(): answer this status instead of the document
    redirect_to: str | None = None
    redirect_status: int = 302
    huge_bytes: int | None = None
    huge_declares_length: bool = True
    delay: float = 0.0
    extra_headers: dict[str, str] = field(default_factory=dict)


class FakeFeedServer:
    """An aiohttp.web app on an ephemeral port of 127.0.0.1, started in the running loop."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.host = host
        self.port: int | None = None
        self._routes: dict[str, _Route] = {}
        self._requests: dict[str, list[RequestRecord]] = {}
        self._runner: web.AppRunner | None = None
        self._stopping = asyncio.Event()
        self._clock = datetime(2024, 1, 1, tzinfo=UTC)

    # ----- life cycle ----------------------------------------------------------------------

    async def start(self) -> FakeFeedServer:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        # handler_cancellation: a client that gave up (timeout tests) ends its slow handler.
        self._runner = web.AppRunner(app, handler_cancellation=True, access_log=None,
                                     shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        self._stopping.set()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeFeedServer:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    def url(self, path: str = "/") -> str:
        if self.port is None:
            raise RuntimeError("FakeFeedServer.start() first")
        return f"http://{self.host}:{self.port}{_path(path)}"

    # ----- what to serve -------------------------------------------------------------------

    def set_feed(
        self,
        path: str,
        body: bytes | str,
        content_type: str = "application/rss+xml",
        etag: bool | str = True,
        last_modified: bool | datetime | str | None = True,
        *,
        compress: bool = False,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """Serve `body` (str is sent as UTF-8) at `path` with status 200, clearing any
        fail/redirect/huge set on it; slow() stays.

        etag True: a strong ETag derived from the body, so new content gets a new ETag;
        a string: that ETag verbatim; False: none. last_modified True: a time that moves
        forward one second per set_feed; a datetime or HTTP-date string: that time; False
        or None: no Last-Modified. compress: gzip the body (Content-Encoding: gzip).
        headers: more response headers, sent with the 200 and the 304."""
        if isinstance(body, str):
            body = body.encode("utf-8")
        route = self._route(path)
        route.status = None
        route.redirect_to = None
        route.huge_bytes = None
        tag: str | None
        if etag is True:
            tag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
        elif isinstance(etag, str):
            tag = etag
        else:
            tag = None
        modified: datetime | None
        if last_modified is True:
            self._clock += timedelta(seconds=1)
            modified = self._clock
        elif isinstance(last_modified, datetime):
            modified = last_modified.astimezone(UTC).replace(microsecond=0)
        elif isinstance(last_modified, str):
            modified = parsedate_to_datetime(last_modified)
        else:
            modified = None
        route.document = _Document(body=body, content_type=content_type, etag=tag,
                                   last_modified=modified, compress=compress,
                                   headers=dict(headers or {}))

    def fail(self, path: str, status: int, *, headers: Mapping[str, str] | None = None
             ) -> None:
        """Answer `status` (404, 500, 429, ...) at `path` until set_feed is called again."""
        route = self._route(path)
        route.status = status
        route.extra_headers = dict(headers or {})

    def slow(self, path: str, seconds: float) -> None:
        """Wait `seconds` before answering at `path` (whatever it serves); 0 to stop."""
        self._route(path).delay = seconds

    def redirect(self, path: str, to: str, status: int = 302) -> None:
        """Redirect `path` to `to`: a path on this server or an absolute URL."""
        route = self._route(path)
        route.redirect_to = to
        route.redirect_status = status

    def huge(self, path: str, nbytes: int, *, declare_length: bool = True) -> None:
        """Stream `nbytes` of an endless RSS document; without declare_length the body is
        chunked, so only a cap enforced while reading can stop it."""
        route = self._route(path)
        route.huge_bytes = nbytes
        route.huge_declares_length = declare_length

    def remove(self, path: str) -> None:
        """Forget `path`: it answers 404 again."""
        self._routes.pop(_path(path), None)

    # ----- what was asked ------------------------------------------------------------------

    def requests_for(self, path: str) -> list[RequestRecord]:
        """(method, headers) of every request for `path`, oldest first; headers are
        case-insensitive: `headers.get("if-none-match")`."""
        return list(self._requests.get(_path(path), []))

    def clear_requests(self) -> None:
        self._requests.clear()

    # ----- the handler ---------------------------------------------------------------------

    def _route(self, path: str) -> _Route:
        return self._routes.setdefault(_path(path), _Route())

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        path = request.path
        self._requests.setdefault(path, []).append(
            (request.method, CIMultiDictProxy(CIMultiDict(request.headers)))
        )
        route = self._routes.get(path)
        if route is None:
            return web.Response(status=404, text="not found")
        if route.delay:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), route.delay)
        if route.redirect_to is not None:
            target = route.redirect_to
            location = target if "://" in target else self.url(target)
            return web.Response(status=route.redirect_status, headers={"Location": location})
        if route.status is not None:
            return web.Response(status=route.status, text=f"status {route.status}",
                                headers=route.extra_headers)
        if route.huge_bytes is not None:
            return await self._stream_huge(request, route)
        if route.document is None:
            return web.Response(status=404, text="not found")
        return self._serve(request, route.document)

    def _serve(self, request: web.Request, doc: _Document) -> web.Response:
        headers: dict[str, str] = dict(doc.headers)
        if doc.etag:
            headers["ETag"] = doc.etag
        if doc.last_modified:
            headers["Last-Modified"] = format_datetime(doc.last_modified, usegmt=True)
        if _not_modified(request, doc):
            return web.Response(status=304, headers=headers)
        body = doc.body
        if doc.compress:
            body = gzip.compress(body)
            headers["Content-Encoding"] = "gzip"
        headers["Content-Type"] = doc.content_type
        return web.Response(status=200, body=body, headers=headers)

    async def _stream_huge(self, request: web.Request, route: _Route) -> web.StreamResponse:
        size = route.huge_bytes or 0
        response = web.StreamResponse(headers={"Content-Type": "application/rss+xml"})
        if route.huge_declares_length:
            response.content_length = size
        else:
            response.enable_chunked_encoding()
        await response.prepare(request)
        head = b'<?xml version="1.0"?><rss version="2.0"><channel><title>huge</title>'
        filler = b"<!-- " + b"x" * 65_000 + b" -->"
        try:
            for piece in _pieces(head, filler, size):
                await response.write(piece)
        except (ConnectionResetError, RuntimeError):
            pass  # the client stopped reading: exactly what the test wants to see
        return response


def _pieces(head: bytes, filler: bytes, size: int) -> Iterable[bytes]:
    remaining = size
    first = head[:remaining]
    yield first
    remaining -= len(first)
    while remaining > 0:
        piece = filler[:remaining]
        yield piece
        remaining -= len(piece)


def _not_modified(request: web.Request, doc: _Document) -> bool:
    # RFC 9110: If-None-Match wins; If-Modified-Since counts only without it.
    match = request.headers.get("If-None-Match")
    if match is not None:
        if doc.etag is None:
            return False
        tags = {t.strip().removeprefix("W/") for t in match.split(",")}
        return "*" in tags or doc.etag.removeprefix("W/") in tags
    since = request.headers.get("If-Modified-Since")
    if since and doc.last_modified:
        try:
            return doc.last_modified <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False


def _path(path: str) -> str:
    return path if path.startswith("/") else "/" + path


def closed_port_url(path: str = "/feed.xml") -> str:
    """A URL on 127.0.0.1 where nothing listens: connecting to it is refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}{_path(path)}"


# ----- building feeds ----------------------------------------------------------------------

def rss(
    items: list[dict[str, Any]],
    title: str = "Fake Racing News",
    *,
    link: str = "https://racing.example/",
    description: str = "Paddock news for tests",
) -> bytes:
    """An RSS 2.0 document. Item keys (all optional): title, link, guid, description
    (HTML allowed, escaped for you), content (content:encoded), pubDate (datetime or
    RFC 822 string), author, categories (list of str)."""
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">',
        "<channel>",
        f"<title>{escape(title)}</title>",
        f"<link>{escape(link)}</link>",
        f"<description>{escape(description)}</description>",
    ]
    for item in items:
        parts.append("<item>")
        for key in ("title", "link", "description", "author"):
            if item.get(key) is not None:
                parts.append(f"<{key}>{escape(str(item[key]))}</{key}>")
        if item.get("guid") is not None:
            permalink = "true" if str(item["guid"]).startswith("http") else "false"
            parts.append(f"<guid isPermaLink={quoteattr(permalink)}>"
                         f"{escape(str(item['guid']))}</guid>")
        if item.get("content") is not None:
            parts.append(f"<content:encoded>{escape(str(item['content']))}</content:encoded>")
        published = item.get("pubDate")
        if published is not None:
            text = (format_datetime(published.astimezone(UTC), usegmt=True)
                    if isinstance(published, datetime) else str(published))
            parts.append(f"<pubDate>{escape(text)}</pubDate>")
        parts.extend(f"<category>{escape(c)}</category>" for c in item.get("categories", ()))
        parts.append("</item>")
    parts += ["</channel>", "</rss>"]
    return "\n".join(parts).encode("utf-8")


@pytest_asyncio.fixture
async def feed_server() -> AsyncIterator[FakeFeedServer]:
    """A started FakeFeedServer, stopped after the test."""
    server = FakeFeedServer()
    await server.start()
    try:
        yield server
    finally:
        await server.stop()
