"""Feed bytes to Articles: feedparser does the parsing, this module the normalising."""

from __future__ import annotations

import calendar
import codecs
import hashlib
import json
import logging
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit
from xml.sax import SAXParseException

import feedparser
from feedparser.encodings import convert_to_utf8
from feedparser.exceptions import CharacterEncodingOverride, NonXMLContentType
from selectolax.lexbor import LexborHTMLParser

from bot.models import Article, Feed
from feeds.settings import FetchSettings
from feeds.text import collapse_whitespace, html_to_text, truncate

log = logging.getLogger(__name__)

# A publication date a little ahead of our clock is clock skew or a mislabelled time zone:
# the article is new, so it is dated now. Further ahead the date is nonsense (a typo'd year)
# and the article is treated as undated rather than sorted above everything for years.
FUTURE_SKEW = timedelta(hours=24)

MAX_ENTRY_ID_CHARS = 512
MAX_TITLE_CHARS = 500

_HTML_TYPES = ("text/html", "application/xhtml+xml", "html", "xhtml")
# bozo complaints about labels, not content: the entries are sound and kept without fuss.
_HARMLESS_BOZO = (CharacterEncodingOverride, NonXMLContentType)

# Entity declarations in the internal DTD subset are kept only when they stand for a
# character or a short word: real feeds declare aliases like <!ENTITY nbsp "&#160;"> at most.
# Anything longer, referenced thousands of times, is the "quadratic blowup" attack. feedparser
# already drops entities that refer to other entities (billion laughs) and expat caps
# amplification, but feedparser's fallback parser expands the survivors without any limit.
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY[^>]*>", re.IGNORECASE)
_SHORT_ENTITY = re.compile(rb"""<!ENTITY\s+[\w.-]+\s+(["'])(?:&#\w{1,8};|[^&%"'<]{0,8})\1\s*>""")
_CHARSET = re.compile(r"""charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)
_SINGLE_BYTE_CHARSETS = frozenset({
    "iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "iso_8859-1", "us-ascii", "ascii",
    "windows-1252", "cp1252", "iso-8859-15", "iso-8859-2", "windows-1250",
})
# Starts of documents whose bytes hide "<!ENTITY" from a byte search (XML spec, appendix F).
_WIDE_OR_EBCDIC = (
    codecs.BOM_UTF32_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF16_LE,
    b"\x00\x00\x00<", b"<\x00\x00\x00", b"\x00<\x00?", b"<\x00?\x00", b"\x4c\x6f\xa7\x94",
)
# feedparser looks for entity declarations only before this point; so must we.
_FIRST_ELEMENT = re.compile(rb"<\w")
# The first element of the document, past the XML declaration, DOCTYPE and comments: an RSS
# file may carry an XHTML DOCTYPE (for its entities) and is still RSS.
_COMMENT = re.compile(rb"<!--.*?-->", re.DOTALL)
_FIRST_TAG = re.compile(rb"<([A-Za-z][\w:.-]*)")
_FEED_ROOTS = frozenset({b"rss", b"feed", b"rdf:rdf", b"rdf", b"channel"})
_JSON_TYPES = ("application/feed+json", "application/json")
_JSON_FEED_VERSION = "https://jsonfeed.org/version/1"
_HTML_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b",
                         re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True, slots=True, kw_only=True)
class ParsedFeed:
    title: str | None = None
    articles: tuple[Article, ...] = ()
    error: str | None = None
    feed_link: str | None = None  # an HTML page's <link rel="alternate"> to its feed

    @property
    def ok(self) -> bool:
        return self.error is None


def parse_feed(
    body: bytes,
    *,
    url: str,
    content_type: str | None = None,
    feed: Feed | None = None,
    settings: FetchSettings | None = None,
    now: datetime | None = None,
) -> ParsedFeed:
    """Parse one feed document. Never raises for bad input: problems come back in `error`.

    `url` is where the document came from (after redirects): relative links resolve
    against it. `content_type` is the response's Content-Type header, charset included."""
    settings = settings or FetchSettings()
    now = now or datetime.now(UTC)
    if not body.strip():
        return ParsedFeed(error="empty response: no feed in it")
    if _looks_like_json(body, content_type):
        return _parse_json_feed(body, url=url, feed=feed, settings=settings, now=now)
    body, content_type = _ascii_compatible(body, content_type)
    headers = {"content-location": url, "content-type": _effective_content_type(body,
                                                                                content_type)}
    try:
        # Embedded HTML is turned into plain text (feeds.text.html_to_text drops scripts,
        # styles and every link), so feedparser need not sanitise it or resolve the links
        # in it: a fifth of its time on a typical feed. Entry links are resolved either way.
        parsed = feedparser.parse(
            _defuse_entities(body), response_headers=headers, sanitize_html=False,
            resolve_relative_uris=False,
        )
    except Exception as exc:  # feedparser is lenient, but a parser bug must stay one feed's
        log.warning("feedparser failed on %s", url, exc_info=True)
        return ParsedFeed(error=f"could not parse the feed: {type(exc).__name__}: {exc}")

    entries = parsed.get("entries") or []
    own_title = _plain(parsed.get("feed", {}).get("title_detail")) or None

    source = (feed.title if feed and feed.title else None) or own_title
    articles: list[Article] = []
    for entry in entries:
        article = _article(entry, url=url, feed=feed, source=source, settings=settings,
                           now=now)
        if article is not None:
            articles.append(article)
            if len(articles) == settings.max_entries:
                break
    if not articles:
        # Judged on what was kept: a truncated document can leave feedparser holding one
        # empty entry, which is no feed at all.
        problem, feed_link = _why_no_entries(parsed, body, content_type, url)
        if problem:
            return ParsedFeed(title=own_title, error=problem, feed_link=feed_link)
    if parsed.get("bozo") and entries:
        log.debug("kept %d entries of a malformed feed %s: %s", len(articles), url,
                 parsed.get("bozo_exception"))
    return ParsedFeed(title=own_title, articles=tuple(articles))


def _ascii_compatible(body: bytes, content_type: str | None) -> tuple[bytes, str | None]:
    """UTF-16, UTF-32 and EBCDIC documents as UTF-8, so the entity defusing below can read
    them; feedparser's own decoder does the work, as it would have a moment later."""
    if not body.startswith(_WIDE_OR_EBCDIC):
        return body, content_type
    scratch: dict[str, Any] = {}
    converted = convert_to_utf8({"content-type": content_type or "application/xml"}, body,
                                scratch)
    if not scratch.get("encoding"):
        return body, content_type
    media_type = (content_type or "application/xml").split(";", 1)[0].strip()
    return converted, f"{media_type}; charset=utf-8"


def _effective_content_type(body: bytes, content_type: str | None) -> str:
    """The Content-Type to give feedparser, which trusts the header's charset first."""
    if not content_type:
        # feedparser reads "no header" as ISO-8859-1; XML's own default is UTF-8.
        return "application/xml"
    match = _CHARSET.search(content_type)
    if match and match.group(1).lower() in _SINGLE_BYTE_CHARSETS and not body.isascii():
        # Servers stamp a default Latin-1 charset on feeds written in UTF-8; decoding those
        # as Latin-1 always "succeeds" and garbles every accent. Valid multi-byte UTF-8 is
        # almost never what Latin-1 text looks like, so the bytes get the last word.
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            return content_type
        return content_type[: match.start(1)] + "utf-8" + content_type[match.end(1):]
    return content_type


def _defuse_entities(body: bytes) -> bytes:
    first = _FIRST_ELEMENT.search(body)
    if first is None or b"<!ENTITY" not in body[: first.start()].upper():
        return body
    head, rest = body[: first.start()], body[first.start():]
    head = _ENTITY_DECLARATION.sub(
        lambda m: m.group(0) if _SHORT_ENTITY.fullmatch(m.group(0)) else b"", head
    )
    return head + rest


def _why_no_entries(parsed: Mapping[str, Any], body: bytes, content_type: str | None,
                    url: str) -> tuple[str | None, str | None]:
    """None for a sound feed that is merely empty; otherwise what is wrong, and for an HTML
    page the feed it links to."""
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    root = _root_element(body)
    if root in _FEED_ROOTS:
        html = False
    elif root == b"html":
        html = True
    else:
        html = media_type in ("text/html", "application/xhtml+xml") or bool(
            _HTML_START.match(body[:4096]))
    if html:
        found = _alternate_feed(parsed, body, url)
        hint = f"; the page links to a feed at {found}" if found else ""
        return f"not a feed: the address returned an HTML page{hint}", found
    bozo = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if bozo is not None and not isinstance(bozo, _HARMLESS_BOZO):
        return f"malformed feed with no readable entries: {_short(bozo)}", None
    if not parsed.get("version"):
        return "not a feed: the document is neither RSS nor Atom", None
    return None, None


def _root_element(body: bytes) -> bytes | None:
    head = _COMMENT.sub(b"", body[:8192])
    match = _FIRST_TAG.search(head)
    return match.group(1).lower() if match else None


def _looks_like_json(body: bytes, content_type: str | None) -> bool:
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    return media_type in _JSON_TYPES or body.lstrip()[:1] == b"{"


def _parse_json_feed(body: bytes, *, url: str, feed: Feed | None, settings: FetchSettings,
                     now: datetime) -> ParsedFeed:
    """JSON Feed 1.0 and 1.1 (jsonfeed.org): its items become the same entries feedparser
    gives, so one normaliser serves both."""
    try:
        document = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        return ParsedFeed(error=f"not a feed: JSON that cannot be read ({_short(exc)})")
    if not isinstance(document, dict) or not str(document.get("version", "")).startswith(
            _JSON_FEED_VERSION):
        return ParsedFeed(error="not a feed: JSON, but not a JSON Feed (jsonfeed.org)")
    own_title = collapse_whitespace(str(document.get("title") or "")) or None
    source = (feed.title if feed and feed.title else None) or own_title
    items = document.get("items")
    articles: list[Article] = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        article = _article(_json_entry(item), url=url, feed=feed, source=source,
                           settings=settings, now=now)
        if article is not None:
            articles.append(article)
            if len(articles) == settings.max_entries:
                break
    return ParsedFeed(title=own_title, articles=tuple(articles))


def _json_entry(item: Mapping[str, Any]) -> dict[str, Any]:
    def text(key: str) -> str:
        value = item.get(key)
        return value if isinstance(value, str) else ""

    entry: dict[str, Any] = {
        "id": str(item["id"]) if item.get("id") not in (None, "") else "",
        "link": text("url") or text("external_url"),
        "title_detail": {"value": text("title"), "type": "text/plain"},
        "summary_detail": {"value": text("summary"), "type": "text/plain"},
        "content": [{"value": text("content_html"), "type": "text/html"},
                    {"value": text("content_text"), "type": "text/plain"}],
    }
    for key, parsed_key in (("date_published", "published_parsed"),
                            ("date_modified", "updated_parsed")):
        moment = _rfc3339(text(key))
        if moment is not None:
            entry[parsed_key] = moment.utctimetuple()
    return entry


def _rfc3339(text: str) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _alternate_feed(parsed: Mapping[str, Any], body: bytes, url: str) -> str | None:
    """The feed an HTML page advertises with <link rel="alternate">, to help the user."""
    for link in parsed.get("feed", {}).get("links", []):
        kind = str(link.get("type", "")).lower()
        if link.get("rel") == "alternate" and _is_feed_type(kind) and link.get("href"):
            return _absolute(url, str(link["href"]))
    try:
        tree = LexborHTMLParser(body[:200_000])
    except Exception:
        return None
    for node in tree.css('link[rel="alternate"]'):
        kind = (node.attributes.get("type") or "").lower()
        href = node.attributes.get("href")
        if href and _is_feed_type(kind):
            return _absolute(url, href)
    return None


def _is_feed_type(kind: str) -> bool:
    # application/rss+xml, application/atom+xml, application/feed+json (JSON Feed)
    return "rss" in kind or "atom" in kind or "feed+json" in kind


def _short(exc: BaseException) -> str:
    # SAX positions count a line feedparser may have prepended: the message alone is honest.
    message = exc.getMessage() if isinstance(exc, SAXParseException) else str(exc)
    text = collapse_whitespace(message) or type(exc).__name__
    return truncate(text, 200)


def _plain(detail: Mapping[str, Any] | None) -> str:
    """Text of a feedparser text construct (title, summary, content) of any declared type."""
    if not detail:
        return ""
    value = str(detail.get("value") or "")
    kind = str(detail.get("type") or "").lower()
    if kind in _HTML_TYPES:
        return html_to_text(value)
    return collapse_whitespace(value)


def _article(entry: Mapping[str, Any], *, url: str, feed: Feed | None, source: str | None,
             settings: FetchSettings, now: datetime) -> Article | None:
    """None for an entry without a word in it (a truncated feed's last item, say)."""
    title = truncate(_plain(entry.get("title_detail")), MAX_TITLE_CHARS)
    summary = _summary(entry, settings.max_summary_chars)
    if not title and not summary:
        return None
    published = _published(entry, now)
    link = _absolute(url, entry.get("link"))
    if not title:
        # An alert needs a headline; the body's first line reads better than nothing.
        title = truncate(summary.split("\n", 1)[0], 120)
    return Article(
        entry_id=_entry_id(entry, link, title),
        title=title,
        summary=summary,
        url=link,
        published=published,
        series=feed.series if feed else None,
        source=source,
        feed_id=feed.id if feed else None,
    )


def _summary(entry: Mapping[str, Any], limit: int) -> str:
    candidates = [_plain(c) for c in entry.get("content") or []]
    candidates.append(_plain(entry.get("summary_detail")))
    # Full content usually beats the teaser; prefer it whenever it says more.
    best = max(candidates, key=len, default="")
    return truncate(best, limit)


def _published(entry: Mapping[str, Any], now: datetime) -> datetime | None:
    moment = _written_date(entry)
    if moment is None:
        return None
    if moment > now + FUTURE_SKEW:
        return None
    return min(moment, now)


def _written_date(entry: Mapping[str, Any]) -> datetime | None:
    for parsed_key, raw_key in (("published_parsed", "published"),
                                ("updated_parsed", "updated"),
                                ("created_parsed", "created")):
        # dict.get: FeedParserDict.get maps a missing published_parsed to updated_parsed
        # with a DeprecationWarning; the order here is ours to choose.
        stamp = dict.get(entry, parsed_key)  # type: ignore[arg-type]
        if isinstance(stamp, time.struct_time):
            try:
                # feedparser gives UTC struct_time; timegm reads it as UTC, unlike mktime.
                return datetime.fromtimestamp(calendar.timegm(stamp), tz=UTC)
            except (OverflowError, ValueError, OSError):
                continue
        raw = dict.get(entry, raw_key)  # type: ignore[arg-type]
        if isinstance(raw, str) and raw.strip():
            # feedparser refuses RFC 822 dates without a zone; the stdlib reads them, and
            # UTC is the least wrong guess for the missing zone.
            try:
                moment = parsedate_to_datetime(raw.strip())
            except (TypeError, ValueError, IndexError):
                continue
            return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(
                UTC)
    return None


def _absolute(base: str, link: object) -> str | None:
    if not isinstance(link, str) or not link.strip():
        return None
    try:
        absolute = urljoin(base, link.strip())
        scheme = urlsplit(absolute).scheme.lower()
    except ValueError:
        return None
    # javascript:, data: and friends are not article links.
    return absolute if scheme in ("http", "https") else None


def _entry_id(entry: Mapping[str, Any], link: str | None, title: str) -> str:
    raw = entry.get("id") or entry.get("guid")
    candidate = collapse_whitespace(str(raw)) if raw else ""
    if not candidate:
        candidate = link or ""
    if candidate and len(candidate) <= MAX_ENTRY_ID_CHARS:
        return candidate
    if not candidate:
        # No id and no link: the title and the date as written tell entries apart (not our
        # normalised date, which moves when a future date is clamped to now).
        written = entry.get("published") or entry.get("updated") or ""
        candidate = f"{title}\n{written}"
    return "sha256:" + hashlib.sha256(candidate.encode("utf-8", "replace")).hexdigest()
