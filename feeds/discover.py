"""Before a URL becomes a feed: fetch it once, refuse what is not a feed with the reason,
and follow an HTML page to the feed it advertises."""

from __future__ import annotations

from bot.models import Feed, FetchResult, ProbedFeed
from bot.ports import FeedFetcher


class FeedProbe:
    """Implements bot.ports.FeedProbe over any FeedFetcher (HttpFeedFetcher in the app), so
    every request, the discovery hop included, goes through its SSRF guard and limits."""

    def __init__(self, fetcher: FeedFetcher) -> None:
        self._fetcher = fetcher

    async def __call__(self, url: str) -> ProbedFeed:
        """Raises ValueError with the reason, fit for the user, when `url` gives no feed."""
        result = await self._fetch(url)
        if result.error is not None and result.feed_link:
            # One hop only: a page that links to another page is not worth a chase.
            url = result.feed_link
            result = await self._fetch(url)
            if result.error is not None:
                raise ValueError(f"the page links to {url}, but that is no feed either: "
                                 f"{result.error}")
        if result.error is not None:
            raise ValueError(result.error)
        return ProbedFeed(url=result.moved_to or url, title=result.title, result=result)

    async def _fetch(self, url: str) -> FetchResult:
        # id 0: no stored feed yet. No validators and no body hash: a full fetch and parse.
        return await self._fetcher.fetch(Feed(id=0, url=url))
