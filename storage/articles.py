"""Articles: stored once per feed and entry id, and marked processed once their stories
are recorded and their alerts queued."""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.models import Article, Extraction, FetchResult, IngestedPoll, Story, utc, utcnow
from bot.ports import PollToIngest
from storage.base import StoreBase, insert_for
from storage.columns import SERIES_CHARS, clip
from storage.errors import translate_errors
from storage.feeds import MAX_FAILURES, mark_processed, record_polls
from storage.stories import record_extraction, story_of
from storage.tables import articles, feeds, moves, stories

_ARTICLE_CHUNK = 500  # rows per INSERT: well under SQLite's bound-parameter limit
_ENTRY_ID_CHARS = 1000


def stored_entry_id(entry_id: str) -> str:
    """Entry ids longer than the column become a digest of themselves: still unique, still
    the same on every poll."""
    if len(entry_id) <= _ENTRY_ID_CHARS:
        return entry_id
    return "sha256:" + hashlib.sha256(entry_id.encode("utf-8", "surrogatepass")).hexdigest()


def _unique(articles_in: Sequence[Article]) -> dict[str, Article]:
    unique: dict[str, Article] = {}
    for article in articles_in:
        unique.setdefault(stored_entry_id(article.entry_id), article)
    return unique


async def _known(connection: AsyncConnection, feed_id: int, keys: list[str]) -> set[str]:
    known: set[str] = set()
    for start in range(0, len(keys), _ARTICLE_CHUNK):
        known.update((await connection.execute(
            select(articles.c.entry_id).where(
                articles.c.feed_id == feed_id,
                articles.c.entry_id.in_(keys[start:start + _ARTICLE_CHUNK])))).scalars())
    return known


async def _insert(connection: AsyncConnection, rows: list[tuple[int, str, Article, bool]],
                  now: datetime) -> list[Article]:
    """INSERT ... ON CONFLICT DO NOTHING RETURNING for rows of (feed, stored entry id,
    article, processed), of one feed or of several; the articles inserted, in the order
    given. One statement built once and run with a list of parameter sets: SQLAlchemy sends
    it as multi-row INSERTs ("insertmanyvalues"), where a statement built from literal
    values per call was compiled again every time."""
    if not rows:
        return []
    statement = _INSERT_RETURNING.get(connection.dialect.name)
    if statement is None:
        statement = _INSERT_RETURNING[connection.dialect.name] = (
            insert_for(connection, articles).on_conflict_do_nothing()
            .returning(articles.c.id, articles.c.feed_id, articles.c.entry_id))
    result = await connection.execute(statement, [{
        "feed_id": feed_id, "entry_id": entry_id, "title": a.title, "summary": a.summary,
        "url": a.url, "published": a.published, "series": clip(a.series, SERIES_CHARS),
        "source": a.source, "created_at": now, "processed_at": now if processed else None,
        "recovery_claimed_at": None,
    } for feed_id, entry_id, a, processed in rows])
    new_ids = {(row.feed_id, row.entry_id): row.id for row in result}
    return [replace(a, id=new_ids[feed_id, entry_id], feed_id=feed_id)
            for feed_id, entry_id, a, _ in rows if (feed_id, entry_id) in new_ids]


_INSERT_RETURNING: dict[str, Any] = {}


def article_of(row: Any) -> Article:
    return Article(
        entry_id=row.entry_id, title=row.title, summary=row.summary, url=row.url,
        published=row.published, series=row.series, source=row.source,
        feed_id=row.feed_id, id=row.id,
    )


class ArticleStorage(StoreBase):
    """`bot.ports.ArticleStore`."""

    @translate_errors
    async def add_articles(self, feed_id: int, articles_in: Sequence[Article]) -> list[Article]:
        """Insert; return only the new articles, with their ids, in the order given."""
        unique = _unique(articles_in)
        if not unique:
            return []
        async with self._write() as connection:
            primed = (await connection.execute(
                select(feeds.c.primed).where(feeds.c.id == feed_id))).scalar_one_or_none()
            known = await _known(connection, feed_id, list(unique))
            # A first poll's articles are never announced, so there is nothing for a dead
            # worker to leave undone: decided here, in the transaction that stores them.
            return await _insert(connection, [(feed_id, key, a, primed is False)
                                              for key, a in unique.items() if key not in known],
                                 utcnow())

    @translate_errors
    async def known_entry_ids(self, feed_id: int, entry_ids: Sequence[str]) -> set[str]:
        """Those of `entry_ids` the feed already has. A feed repeats its last 20 entries on
        every poll: one indexed read spares the rules engine and the inserts for them."""
        stored = {stored_entry_id(entry_id): entry_id for entry_id in entry_ids}
        if not stored:
            return set()
        async with self._read() as connection:
            return {stored[key] for key in await _known(connection, feed_id, list(stored))}

    @translate_errors
    async def ingest_poll(self, feed_id: int,
                          entries: Sequence[tuple[Article, Extraction | None]],
                          now: datetime, *, finish: FetchResult | None = None,
                          max_failures: int = MAX_FAILURES) -> IngestedPoll:
        """`bot.ports.ArticleStore.ingest_poll`: one transaction for the whole poll, so a
        first poll of 20 entries costs one BEGIN/COMMIT and a few statements per article
        with moves, not a transaction per article."""
        [ingested] = await self.ingest_polls([(feed_id, entries, finish)], now,
                                             max_failures=max_failures)
        return ingested

    @translate_errors
    async def ingest_polls(self, polls: Sequence[PollToIngest], now: datetime, *,
                           max_failures: int = MAX_FAILURES) -> list[IngestedPoll]:
        """`bot.ports.ArticleStore.ingest_polls`: `ingest_poll` for several polls in one
        transaction. Their articles go in as one multi-row INSERT, and the finished polls
        are recorded with one read of their feeds' rows and an executemany UPDATE: a poll's
        fixed cost (the transaction, its feed's row) is shared by the group. Polls that
        stored nothing (304s) come here too, with no entries."""
        if not polls:
            return []
        now = utc(now)
        rows: list[tuple[int, str, Article, bool]] = []
        extractions: dict[tuple[int, str], Extraction | None] = {}
        for feed_id, entries, finish in polls:
            unique: set[str] = set()
            for article, extraction in entries:
                key = stored_entry_id(article.entry_id)
                if key not in unique:
                    unique.add(key)
                    rows.append((feed_id, key, article, finish is not None))
                    extractions[feed_id, key] = extraction
        async with self._write() as connection:
            # Rows another worker inserted first are skipped by the unique key: only the
            # articles this transaction wrote come back, and only theirs are recorded.
            new = await _insert(connection, rows, now)
            by_feed: dict[int, list[Article]] = {}
            news: dict[int, list[tuple[Story, ...]]] = {}
            for article in new:
                assert article.feed_id is not None
                by_feed.setdefault(article.feed_id, []).append(article)
                extraction = extractions[article.feed_id, stored_entry_id(article.entry_id)]
                told: list[Story] = []
                if extraction is not None and (extraction.moves or extraction.lineup
                                               or extraction.denials):
                    told = await record_extraction(connection, article, extraction, now)
                news.setdefault(article.feed_id, []).append(tuple(told))
            finished = [(feed_id, finish) for feed_id, _, finish in polls if finish is not None]
            disabled = await record_polls(
                connection, finished, now, max_failures=max_failures,
                new_entries={feed_id: len(by_feed.get(feed_id, ())) for feed_id, _ in finished})
        return [IngestedPoll(articles=tuple(by_feed.get(feed_id, ())),
                             news=tuple(news.get(feed_id, ())),
                             disabled=finish is not None and feed_id in disabled)
                for feed_id, _, finish in polls]

    @translate_errors
    async def mark_articles_processed(self, article_ids: Collection[int], now: datetime
                                      ) -> int:
        """Their stories are recorded and their alerts queued; returns how many were still
        unprocessed (marking twice is a no-op)."""
        if not article_ids:
            return 0
        async with self._write() as connection:
            return await mark_processed(connection, article_ids, now)

    @translate_errors
    async def unprocessed_articles(self, *, older_than: datetime, limit: int,
                                   now: datetime | None = None) -> list[Article]:
        """Claim up to `limit` articles stored before `older_than` and never marked
        processed, oldest first: the ones a worker that died mid-poll left behind.

        A claim stamps the article with `now` (default: the clock), and an article claimed
        at or after `older_than` is not returned: with older_than = now - lease, a second
        worker takes it over only if this one has not marked it processed within the lease.
        One UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED), as for feeds: two
        workers on PostgreSQL never claim the same article; SQLite serialises writers."""
        older_than = utc(older_than)
        now = utc(now) if now is not None else utcnow()
        left_behind = (
            select(articles.c.id)
            .where(articles.c.processed_at.is_(None), articles.c.created_at < older_than,
                   or_(articles.c.recovery_claimed_at.is_(None),
                       articles.c.recovery_claimed_at < older_than))
            .order_by(articles.c.created_at, articles.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True))
        async with self._write() as connection:
            rows = (await connection.execute(
                update(articles).where(articles.c.id.in_(left_behind))
                .values(recovery_claimed_at=now)
                .returning(*articles.c))).all()
        rows.sort(key=lambda row: (row.created_at, row.id))
        return [article_of(row) for row in rows]

    @translate_errors
    async def article_stories(self, article_id: int) -> list[Story]:
        """The stories this article's moves support, as they stand now, in the order of the
        moves; empty when its extraction was never recorded (or found no moves)."""
        first_move = (select(moves.c.story_id, func.min(moves.c.position).label("position"))
                      .where(moves.c.article_id == article_id)
                      .group_by(moves.c.story_id).subquery())
        async with self._read() as connection:
            rows = await connection.execute(
                select(stories).join(first_move, first_move.c.story_id == stories.c.id)
                .order_by(first_move.c.position))
            return [story_of(row) for row in rows]
