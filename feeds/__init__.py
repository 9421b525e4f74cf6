"""Fetching and parsing news feeds.

`HttpFeedFetcher` implements bot.ports.FeedFetcher: conditional GET, size and time limits,
redirects followed by hand with the SSRF guard on every hop, and every failure returned as
`FetchResult.error`. `parse_feed` turns feed bytes into normalised `bot.models.Article`s."""

from feeds.catalogue import CATALOGUE, CatalogueError, load_catalogue
from feeds.discover import FeedProbe
from feeds.fetch import GuardedResolver, HttpFeedFetcher
from feeds.parse import ParsedFeed, parse_feed
from feeds.settings import FetchSettings
from feeds.text import html_to_text
from feeds.urls import FeedUrlError, check_feed_url, check_feed_url_async

__all__ = [
    "CATALOGUE",
    "CatalogueError",
    "FeedProbe",
    "FeedUrlError",
    "FetchSettings",
    "GuardedResolver",
    "HttpFeedFetcher",
    "ParsedFeed",
    "check_feed_url",
    "check_feed_url_async",
    "html_to_text",
    "load_catalogue",
    "parse_feed",
]
