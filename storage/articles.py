"""Articles: stored once per feed and entry id, and marked processed once their stories
are recorded and their alerts queued."""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select, update

from bot.models import Article, Story, utc, utcnow
from storage.base import StoreBase, insert_for
from storage.columns import SERIES_CHARS, clip
from storage.errors import translate_errors
from storage.stories import story_of
from storage.tables import articles, feeds, moves, stories

_ARTICLE_CHUNK = 500  # rows per INSERT: well under SQLite's bound-parameter limit
_ENTRY_ID_CHARS = 1000


def stored_entry_id(entry_id: str) -> str:
    """Entry ids longer than the column become a digest of themselves: still unique, still
    the same on every poll."""
    if len(entry_id) <= _ENTRY_ID_CHARS:
        return entry_id
    return "sha256:" + hashlib.sha256(entry_id.encode("utf-8", "surrogatepass")).hexdigest()


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
        unique: dict[str, Article] = {}
        for article in articles_in:
            unique.setdefault(stored_entry_id(article.entry_id), article)
        if not unique:
            return []
        now = utcnow()
        new_ids: dict[str, int] = {}
        batch = list(unique.items())
        async with self._write() as connection:
            primed = (await connection.execute(
                select(feeds.c.primed).where(feeds.c.id == feed_id))).scalar_one_or_none()
            # A first poll's articles are never announced, so there is nothing for a dead
            # worker to leave undone: decided here, in the transaction that stores them.
            processed_at = now if primed is False else None
            # A feed repeats its last 20 entries on every poll; only the new ones are
            # written. One indexed read of the known ids is far cheaper than 20 inserts that
            # the unique key turns away (which stays the guard against a racing worker).
            known: set[str] = set()
            for start in range(0, len(batch), _ARTICLE_CHUNK):
                chunk_ids = [entry_id for entry_id, _ in batch[start:start + _ARTICLE_CHUNK]]
                known.update((await connection.execute(
                    select(articles.c.entry_id).where(articles.c.feed_id == feed_id,
                                                      articles.c.entry_id.in_(chunk_ids))
                )).scalars())
            batch = [(entry_id, a) for entry_id, a in batch if entry_id not in known]
            for start in range(0, len(batch), _ARTICLE_CHUNK):
                chunk = batch[start:start + _ARTICLE_CHUNK]
                statement = (
                    insert_for(connection, articles)
                    .values([{
                        "feed_id": feed_id, "entry_id": entry_id, "title": a.title,
                        "summary": a.summary, "url": a.url, "published": a.published,
                        "series": clip(a.series, SERIES_CHARS), "source": a.source,
                        "created_at": now, "processed_at": processed_at,
                    } for entry_id, a in chunk])
                    .on_conflict_do_nothing()
                    .returning(articles.c.id, articles.c.entry_id))
                for row in await connection.execute(statement):
                    new_ids[row.entry_id] = row.id
        return [replace(a, id=new_ids[entry_id], feed_id=feed_id)
                for entry_id, a in batch if entry_id in new_ids]

    @translate_errors
    async def mark_articles_processed(self, article_ids: Collection[int], now: datetime
                                      ) -> int:
        """Their stories are recorded and their alerts queued; returns how many were still
        unprocessed (marking twice is a no-op)."""
        ids = sorted(set(article_ids))
        if not ids:
            return 0
        marked = 0
        async with self._write() as connection:
            for start in range(0, len(ids), _ARTICLE_CHUNK):
                result = await connection.execute(
                    update(articles).where(articles.c.id.in_(ids[start:start + _ARTICLE_CHUNK]),
                                           articles.c.processed_at.is_(None))
                    .values(processed_at=utc(now), recovery_claimed_at=None))
                marked += result.rowcount
        return marked

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
