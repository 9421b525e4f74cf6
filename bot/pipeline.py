"""One poll cycle: claim due feeds, fetch, store new articles, extract moves, queue alerts.

Errors are values: one bad feed (or a moment of database trouble) is recorded on that
feed's report and never stops the others."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from bot.alerts import route_stories
from bot.models import (
    Article,
    Extraction,
    Feed,
    FetchResult,
    IngestedPoll,
    PollReport,
    Story,
    utcnow,
)
from bot.ports import FeedFetcher, Gazetteer, PollToIngest, Store

log = logging.getLogger(__name__)

Extractor = Callable[[Article], Extraction]
# Tells the moderators of a feed's workspace ("discord:1234"; None: the operator) something.
FeedNotifier = Callable[[str | None, str], Awaitable[None]]

# First polls finishing together are written in one transaction (Pipeline._record_together).
# Each poll's fixed cost (a transaction, its feed's row) is most of a first poll's write, and
# polls finish one parse apart, so the recorder waits this long for a group to gather while
# more polls are on the way.
GROUP_LINGER_SECONDS = 0.05

# Below this the rules engine is guessing: "signed for McLaren in 2007" restated as career
# background scores about 0.36; rumours score 0.4-0.5 and are kept, marked as rumours.
MIN_CONFIDENCE = 0.4


def confident_part(extraction: Extraction, floor: float = MIN_CONFIDENCE) -> Extraction:
    """The moves worth a story, an alert and a lineup change, with their summaries."""
    kept = [(move, summary) for move, summary in zip(extraction.moves, extraction.summaries,
                                                     strict=False) if move.confidence >= floor]
    return replace(extraction, moves=tuple(m for m, _ in kept),
                   summaries=tuple(s for _, s in kept),
                   denials=tuple(d for d in extraction.denials if d.confidence >= floor))


class Pipeline:
    """Polls due feeds under leases that follow the work.

    A feed lease lasts `lease_seconds` (the fetch timeout plus a margin), is renewed every
    third of that while the poll runs, and ends with the poll: `record_poll` releases it
    on success, a failed or cancelled poll hands it back. So a worker that dies strands a
    feed for at most one lease, and one that stops cleanly strands none. A hand-back the
    database refused (it was away) is retried at the start of the next cycle.

    `is_transient` tells a database outage (retry later, no traceback) from a bug."""

    def __init__(self, store: Store, fetcher: FeedFetcher, *, extractor: Extractor,
                 gazetteer: Gazetteer | None, worker_id: str, concurrency: int = 8,
                 lease_seconds: int = 60,
                 is_transient: Callable[[BaseException], bool] = lambda _exc: False,
                 max_failures: int = 10, notify: FeedNotifier | None = None,
                 per_host: int = 2) -> None:
        self._store = store
        self._fetcher = fetcher
        self._extract = extractor
        self._gazetteer = gazetteer
        self._worker_id = worker_id
        self._concurrency = concurrency
        self._slots = asyncio.Semaphore(concurrency)
        # One site gets at most `per_host` of our requests at a time, however many of its
        # feeds are due: politeness, and a slow site cannot take every slot.
        self._per_host = per_host
        self._host_slots: dict[str, asyncio.Semaphore] = {}
        self._lease_seconds = lease_seconds
        self._max_failures = max_failures
        self._notify = notify
        self._is_transient = is_transient
        # One known-entries read at a time. Run side by side with the writes, each took a
        # pooled connection of its own (on SQLite an aiosqlite thread with its own malloc
        # arena and page cache): 5 connections in a steady cycle instead of 2, ~3 MB of
        # peak RSS. The read is one indexed query, so polls barely queue for it.
        self._known_reads = asyncio.Lock()
        self._held: set[int] = set()  # feeds claimed by this worker and still being polled
        self._to_release: set[int] = set()  # hand-backs the database refused
        # Group commit: polls that stored nothing (304s, unchanged bodies, failures) and
        # first polls wait here while one transaction records those before them, then go
        # in the next.
        self._queued: list[tuple[PollToIngest, asyncio.Future[IngestedPoll]]] = []
        self._group_size = max(1, concurrency // 2)
        self._group_full = asyncio.Event()  # the group is as large as it will get soon
        self._busy = 0  # polls holding a slot: fetching, parsing, or queued here
        self._recorder: asyncio.Task[None] | None = None
        # The database failure the last cycle met, if any (reports say "database
        # unavailable" for the feeds it cost): the caller logs an outage once, not per feed.
        self.database_error: BaseException | None = None

    @property
    def lease_seconds(self) -> int:
        return self._lease_seconds

    async def poll_due(self, *, now: datetime | None = None, limit: int | None = None
                       ) -> list[PollReport]:
        """Poll every feed due at `now` (at most `limit`), claiming work as slots free up.

        No batch: a slow feed holds one slot while the others are refilled, so healthy
        feeds never wait for it. Claims stop at the number of feeds due when the cycle
        began, so a feed polled now is not claimed again in the same cycle."""
        now = now or utcnow()
        self.database_error = None
        if self._to_release:
            # The database is back (or this raises and the tick is skipped): feeds whose
            # polls it cut short are due again now, not when their leases run out.
            await self._store.release_feeds(set(self._to_release), worker=self._worker_id)
            self._to_release.clear()
        # Every tick: one query on a partial index that holds only in-flight articles.
        # A failure here is the database's (one article's trouble stays with that article),
        # and the claim below would meet it too: the tick is skipped either way.
        await self.recover(now)
        budget = await self._store.count_due_feeds(now)
        if limit is not None:
            budget = min(budget, limit)
        # Claimed ahead of the free slots, so feeds of other hosts are ready while some
        # wait for their host's turn; claimed in chunks, not one transaction per slot.
        # Claimed feeds waiting for a slot keep their leases: the renewer pushes them on.
        in_flight = self._concurrency * 2
        chunk = max(1, self._concurrency // 2)
        running: set[asyncio.Task[PollReport]] = set()
        reports: list[PollReport] = []
        claimed = 0
        first = True
        renewer: asyncio.Task[None] | None = None
        try:
            while True:
                room = min(in_flight - len(running), budget - claimed)
                if room > 0 and (first or room >= chunk or not running):
                    try:
                        feeds = await self._store.claim_due_feeds(
                            now, limit=room, worker=self._worker_id,
                            lease_seconds=self._lease_seconds)
                    except Exception:
                        if first:
                            raise  # nothing started: the tick is skipped, as before
                        log.exception("claiming more feeds failed; finishing those in hand")
                        feeds, budget = [], claimed
                    first = False
                    claimed += len(feeds)
                    if len(feeds) < room:
                        budget = claimed  # nothing more is due (or others hold it)
                    self._held.update(feed.id for feed in feeds)
                    if feeds and renewer is None:
                        renewer = asyncio.create_task(self._renew_leases(),
                                                      name="renew-feed-leases")
                    running.update(asyncio.create_task(self.poll_feed(feed))
                                   for feed in feeds)
                if not running:
                    return reports
                done, running = await asyncio.wait(running,
                                                   return_when=asyncio.FIRST_COMPLETED)
                reports += [task.result() for task in done]
        finally:
            if renewer is not None:
                renewer.cancel()
            for task in running:  # cancelled from outside (shutdown): they hand back
                task.cancel()
            if running:
                await asyncio.gather(*running, return_exceptions=True)
            if self._recorder is not None:  # the last group of polls is recorded
                await asyncio.gather(self._recorder, return_exceptions=True)

    async def _renew_leases(self) -> None:
        """While polls run (feeds waiting for a slot included), push their leases on."""
        every = max(self._lease_seconds / 3, 0.2)
        while True:
            await asyncio.sleep(every)
            if not self._held:
                continue
            try:
                await self._store.renew_feed_leases(
                    set(self._held), worker=self._worker_id,
                    lease_seconds=self._lease_seconds, now=utcnow())
            except Exception as exc:  # the polls meet it too and report it; try again later
                log.debug("renewing feed leases failed: %r", exc)

    async def poll_feed(self, feed: Feed) -> PollReport:
        host = (urlsplit(feed.url).hostname or "").lower()
        host_slots = self._host_slots.setdefault(host, asyncio.Semaphore(self._per_host))
        try:
            async with host_slots, self._slots, self._occupied():
                return await self._poll(feed)
        except asyncio.CancelledError:
            # Shutting down: hand the feed back so another worker polls it now.
            await self._hand_back(feed.id)
            raise
        except Exception as exc:
            if self._is_transient(exc):
                await self._hand_back(feed.id)
                self.database_error = self.database_error or exc
                return PollReport(feed_id=feed.id, url=feed.url,
                                  error=f"database unavailable: {exc}")
            log.exception("poll of feed %s failed", feed.id)
            error = f"internal: {exc!r}"
            try:
                # Recorded as the feed's error, so it backs off like any failing feed
                # instead of failing again every tick.
                await self._store.record_poll(feed.id, FetchResult(error=error), utcnow())
            except Exception:
                await self._hand_back(feed.id)
            return PollReport(feed_id=feed.id, url=feed.url, error=error)
        finally:
            self._held.discard(feed.id)

    async def _hand_back(self, feed_id: int) -> None:
        self._held.discard(feed_id)
        try:
            await self._store.release_feeds([feed_id], worker=self._worker_id)
        except Exception:  # the database is away: the next cycle hands it back
            self._to_release.add(feed_id)

    async def release_all(self) -> None:
        """Hand back the leases of polls in flight and of failed hand-backs (shutdown)."""
        pending = self._held | self._to_release
        if pending:
            await self._store.release_feeds(pending, worker=self._worker_id)
            self._to_release.clear()

    async def _poll(self, feed: Feed) -> PollReport:
        try:
            result = await self._fetcher.fetch(feed)
        except Exception as exc:  # a fetcher bug is this feed's error, not the cycle's
            log.exception("fetcher raised for feed %s", feed.id)
            result = FetchResult(error=f"fetch failed: {exc!r}")
        return await self._ingest(feed, result)

    async def first_poll(self, feed: Feed, result: FetchResult) -> PollReport:
        """A new feed's probe (feeds.FeedProbe) serves as its first poll: its entries are
        recorded, and read by the rules engine, without an alert (the feed is not primed)."""
        articles = tuple(replace(a, feed_id=feed.id, series=feed.series,
                                 source=feed.title or a.source) for a in result.articles)
        async with self._slots, self._occupied():
            return await self._ingest(feed, replace(result, articles=articles))

    async def _ingest(self, feed: Feed, result: FetchResult) -> PollReport:
        if result.error is not None or result.not_modified or result.unchanged:
            if (await self._record_together(feed.id, [], result)).disabled:
                await self._tell_disabled(feed, result)
            return PollReport(feed_id=feed.id, url=feed.url, error=result.error,
                              not_modified=result.not_modified or result.unchanged)
        fresh = list(result.articles)
        if feed.primed and fresh:
            # A feed repeats its last entries on every poll: the rules engine reads only
            # the ones the database does not have yet. (A feed not yet primed has none.)
            async with self._known_reads:
                known = await self._store.known_entry_ids(feed.id,
                                                          [a.entry_id for a in fresh])
            fresh = [article for article in fresh if article.entry_id not in known]
        entries = [(article, self._read(article)) for article in fresh]
        # The first poll of a feed learns what is already there without announcing it (a
        # new feed must not flood a channel with last month's news): its articles, what
        # they say and the poll itself are stored in one transaction.
        finish = None if feed.primed else result
        if finish is None:
            ingested = await self._store.ingest_poll(feed.id, entries, utcnow(),
                                                     max_failures=self._max_failures)
        else:
            ingested = await self._record_together(feed.id, entries, finish)
        new_articles = ingested.articles
        stories = [story for told in ingested.news for story in told]
        stored = {article.entry_id for article in new_articles}
        moves = sum(len(extraction.moves) for article, extraction in entries
                    if extraction is not None and article.entry_id in stored)
        queued = 0
        if ingested.disabled:  # never for a successful poll; said for completeness
            await self._tell_disabled(feed, result)
        if finish is None:
            if stories:
                queued = await route_stories(self._store, stories, self._gazetteer,
                                             feed_scope=feed.workspace)
            # The outbox now holds their alerts. If we die before this, the articles stay
            # unprocessed and `recover` finishes them once our lease has run out; if we die
            # before the poll is recorded, the next poll fetches again and finds them known.
            if await self._store.record_poll(
                    feed.id, result, utcnow(), new_entries=len(new_articles),
                    max_failures=self._max_failures, alerts=queued,
                    processed=[a.id for a in new_articles if a.id is not None]):
                await self._tell_disabled(feed, result)
        return PollReport(feed_id=feed.id, url=feed.url, new_articles=len(new_articles),
                          new_stories=len(stories), announced=feed.primed,
                          story_ids=tuple(s.id for s in stories), alerts_queued=queued,
                          moves=moves)

    async def _record_together(self, feed_id: int,
                               entries: Sequence[tuple[Article, Extraction | None]],
                               result: FetchResult) -> IngestedPoll:
        """Store a poll that announces nothing (no articles, or a feed's first) with others.

        Most polls of a steady cycle are 304s: one transaction each would cost four round
        trips to the database for two statements; a first poll's transaction and its
        feed's row cost more than its twenty articles. Instead each waits for the
        recorder, which writes everything that queued up while its last transaction ran:
        alone on a quiet worker, dozens at a time on a busy one."""
        done: asyncio.Future[IngestedPoll] = asyncio.get_running_loop().create_future()
        self._queued.append(((feed_id, entries, result), done))
        self._check_group()
        if self._recorder is None or self._recorder.done():
            self._recorder = asyncio.create_task(self._record_queued(), name="record-polls")
        return await done

    async def _record_queued(self) -> None:
        while self._queued:
            if any(entries for (_, entries, _), _ in self._queued):
                # First polls arrive one parse apart: wait a moment for those on the way,
                # the polls still fetching or parsing. (304s group by themselves.)
                self._group_full.clear()
                self._check_group()
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(GROUP_LINGER_SECONDS):
                        await self._group_full.wait()
            group, self._queued = self._queued, []
            try:
                await self._write_group(group)
            except asyncio.CancelledError:  # shutting down: the waiting polls hand back
                for _, done in group + self._queued:
                    done.cancel()
                self._queued = []
                raise

    @contextlib.asynccontextmanager
    async def _occupied(self) -> AsyncIterator[None]:
        self._busy += 1
        try:
            yield
        finally:
            self._busy -= 1
            self._check_group()

    def _check_group(self) -> None:
        """Wake the recorder once its group is full, or no poll still on the way can join."""
        if self._queued and (len(self._queued) >= self._group_size
                             or len(self._queued) >= self._busy):
            self._group_full.set()

    async def _write_group(self, group: list[tuple[PollToIngest, asyncio.Future[IngestedPoll]]]
                           ) -> None:
        try:
            ingested = await self._store.ingest_polls([poll for poll, _ in group], utcnow(),
                                                      max_failures=self._max_failures)
        except Exception as exc:
            if len(group) > 1 and not self._is_transient(exc):
                # A bug or one feed's bad data: each poll alone, so only its own fails.
                for item in group:
                    await self._write_group([item])
                return
            for _, done in group:  # each poll meets it (and hands its feed back)
                if not done.done():
                    done.set_exception(exc)
            return
        for (_, done), stored in zip(group, ingested, strict=True):
            if not done.done():  # not cancelled meanwhile
                done.set_result(stored)

    async def _tell_disabled(self, feed: Feed, result: FetchResult) -> None:
        """Once per disable: storage reports the disabling poll only, and a disabled feed is
        not polled again until a moderator resumes it."""
        why = ("the site says it is gone for good (HTTP 410)" if result.gone else
               f"{self._max_failures} polls in a row failed, the last with: {result.error}")
        text = (f"Pitboard stopped polling feed {feed.id} ({feed.title or feed.url}): {why}. "
                f"Once it works again, /feed resume {feed.id} starts it again.")
        log.warning("feed %s disabled: %s", feed.url, why)
        if self._notify is None:
            return
        try:
            await self._notify(feed.workspace, text)
        except Exception:  # best effort, as with every moderator notice: the disable stands
            log.warning("could not tell the moderators of %s that feed %s stopped",
                        feed.workspace, feed.id, exc_info=True)

    async def recover(self, now: datetime | None = None, *, limit: int = 20) -> int:
        """Finish the articles a dead worker stored but never marked processed; returns how
        many were finished.

        Only articles older than the feed lease are taken, so a live worker's are left
        alone (its feed lease ends before they qualify), and each is claimed for one lease.
        An article with no stories yet is read by the rules engine and recorded; then the
        stories it told (created or confirmed: what its poll would have announced) are
        routed. Queuing is idempotent per story, destination and revision, so what the dead
        worker had already queued is not queued twice. A first poll's articles are stored
        processed, so nothing here ever announces them."""
        now = now or utcnow()
        left_behind = await self._store.unprocessed_articles(
            older_than=now - timedelta(seconds=self._lease_seconds), limit=limit, now=now)
        feeds: dict[int, Feed | None] = {}
        finished = 0
        for article in left_behind:
            if article.id is None or article.feed_id is None:
                continue
            try:
                if article.feed_id not in feeds:
                    feeds[article.feed_id] = await self._store.get_feed(article.feed_id)
                await self._finish(article, feeds[article.feed_id])
            except Exception as exc:  # this one waits another lease; the others go on
                if self._is_transient(exc):
                    self.database_error = self.database_error or exc
                    break  # the database is away: the rest would fail the same way
                log.exception("recovering article %s failed", article.id)
                continue
            finished += 1
        if finished:
            log.warning("finished %d articles a worker left behind", finished)
        return finished

    async def _finish(self, article: Article, feed: Feed | None) -> None:
        assert article.id is not None
        stories = await self._store.article_stories(article.id)
        if stories:
            # Recorded before the worker died: of the stories the article supports, it
            # made news of those whose source it became (a repeat of a story another
            # article told is not news, as in _poll).
            stories = [story for story in stories if _told_by(story, article)]
        else:
            stories, _ = await self._record(article)
        if feed is not None and feed.primed and stories:
            await route_stories(self._store, stories, self._gazetteer,
                                feed_scope=feed.workspace)
        await self._store.mark_articles_processed([article.id], utcnow())

    def _read(self, article: Article) -> Extraction | None:
        """What the rules engine keeps of the article; None when it says nothing."""
        try:
            extraction = confident_part(self._extract(article))
        except Exception:  # one unreadable article must not cost the rest of the feed
            log.exception("rules engine failed on article %s", article.entry_id)
            return None
        if not extraction.moves and not extraction.lineup and not extraction.denials:
            return None
        return extraction

    async def _record(self, article: Article) -> tuple[list[Story], int]:
        """The stories worth an alert, and how many moves the rules engine kept."""
        extraction = self._read(article)
        if extraction is None:
            return [], 0
        return (await self._store.record_extraction(article, extraction),
                len(extraction.moves))


def _told_by(story: Story, article: Article) -> bool:
    """The story's current version came from this article (it created or confirmed it)."""
    source = story.source
    return source is not None and (source.title, source.url) == (article.title, article.url)
