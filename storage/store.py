"""SqlStore: the whole `bot.ports.Store` on SQLAlchemy 2.x async, SQLite or PostgreSQL."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator, Collection, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.lineup_ports import ImportReport, LineupChange, SeatView
from bot.models import (
    Article,
    Destination,
    DestinationKind,
    Extraction,
    Feed,
    FetchResult,
    LineupEntry,
    OutboxItem,
    Seat,
    Story,
    Subscription,
    TargetKind,
    utc,
    utcnow,
)
from storage import knowledge
from storage import lineup as lineup_queries
from storage.database import create_engine
from storage.database import upgrade as upgrade_schema
from storage.errors import translate_errors
from storage.keys import NAME_CHARS, SERIES_CHARS, car_key, clip, key, target_key
from storage.knowledge import insert_for, moves, stories, story_of
from storage.tables import (
    ArticleRow,
    DestinationRow,
    FeedRow,
    NameRow,
    OutboxRow,
    SettingRow,
    SubscriptionRow,
)

feeds = cast(Table, FeedRow.__table__)
articles = cast(Table, ArticleRow.__table__)
destinations = cast(Table, DestinationRow.__table__)
subscriptions = cast(Table, SubscriptionRow.__table__)
settings = cast(Table, SettingRow.__table__)
outbox = cast(Table, OutboxRow.__table__)
names = cast(Table, NameRow.__table__)

# A failing feed waits interval × 2^(errors-1), but never longer than this (or its interval).
MAX_BACKOFF_SECONDS = 6 * 3600
ALERTS_CHANNEL_VALUE = "*"
_ARTICLE_CHUNK = 500  # rows per INSERT: well under SQLite's bound-parameter limit
MAX_URL_CHARS = 2000
_ENTRY_ID_CHARS = 1000


def stored_entry_id(entry_id: str) -> str:
    """Entry ids longer than the column become a digest of themselves: still unique, still
    the same on every poll."""
    if len(entry_id) <= _ENTRY_ID_CHARS:
        return entry_id
    return "sha256:" + hashlib.sha256(entry_id.encode("utf-8", "surrogatepass")).hexdigest()


def feed_of(row: Any) -> Feed:
    return Feed(
        id=row.id, url=row.url, title=row.title, series=row.series,
        interval_seconds=row.interval_seconds, paused=row.paused, workspace=row.workspace,
        etag=row.etag, last_modified=row.last_modified, primed=row.primed,
        last_polled_at=row.last_polled_at, last_error=row.last_error,
        error_count=row.error_count,
    )


def article_of(row: Any) -> Article:
    return Article(
        entry_id=row.entry_id, title=row.title, summary=row.summary, url=row.url,
        published=row.published, series=row.series, source=row.source,
        feed_id=row.feed_id, id=row.id,
    )


def destination_of(row: Any, prefix: str = "") -> Destination:
    def get(name: str) -> Any:
        return getattr(row, prefix + name)

    return Destination(
        platform=get("platform"), workspace=get("workspace"), channel=get("channel") or None,
        user=get("user") or None, kind=DestinationKind(get("kind")), id=get("id"),
        broken=get("broken"),
    )


def _destination_columns() -> list[Any]:
    return [column.label(f"d_{column.name}") for column in destinations.c]


class SqlStore:
    """Implements `bot.ports.Store` (and `bot.lineup_ports.LineupKnowledge`).

    Every method runs in its own transaction and returns domain dataclasses. A database
    that cannot be reached raises `storage.TransientStorageError`."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        # SQLite has one writer at a time. Queueing our own writers here costs nothing,
        # where letting them collide in SQLite's busy handler costs sleeps of up to 100 ms.
        self._write_lock = asyncio.Lock() if engine.dialect.name == "sqlite" else None

    @classmethod
    async def open(cls, url: str, *, upgrade: bool = True, **engine_options: Any) -> SqlStore:
        """Connect to `url` (see `normalise_url`), first bringing the schema up to date."""
        if upgrade:
            await upgrade_schema(url)
        return cls(create_engine(url, **engine_options))

    @property
    def engine(self) -> AsyncEngine:
        return self._engine

    @property
    def dialect(self) -> str:
        return self._engine.dialect.name

    async def close(self) -> None:
        await self._engine.dispose()

    @asynccontextmanager
    async def _write(self) -> AsyncIterator[AsyncConnection]:
        if self._write_lock is None:
            async with self._engine.begin() as connection:
                yield connection
            return
        async with self._write_lock, self._engine.begin() as connection:
            yield connection

    @asynccontextmanager
    async def _read(self) -> AsyncIterator[AsyncConnection]:
        async with self._engine.connect() as connection:
            await connection.execution_options(pitboard_read_only=True)
            if self._write_lock is not None:
                # SQLite: each read is one statement in autocommit (no BEGIN), which is
                # consistent by itself and spares the round trips to aiosqlite's thread.
                yield connection
                return
            try:
                yield connection
            finally:
                await connection.rollback()

    # ----- feeds --------------------------------------------------------------------------

    @translate_errors
    async def add_feed(self, url: str, *, series: str | None = None,
                       interval_seconds: int = 600, workspace: str | None = None,
                       title: str | None = None) -> Feed:
        """Adding a URL the workspace already has returns the existing feed."""
        if len(url) > MAX_URL_CHARS:
            raise ValueError(f"feed URL longer than {MAX_URL_CHARS} characters")
        series = clip(series, SERIES_CHARS)
        now = utcnow()
        async with self._write() as connection:
            row = (await connection.execute(
                insert_for(connection, feeds).on_conflict_do_nothing().values(
                    url=url, workspace=workspace, workspace_key=workspace or "", title=title,
                    series=series, interval_seconds=interval_seconds, paused=False,
                    primed=False, next_poll_at=now, error_count=0, created_at=now,
                ).returning(*feeds.c))).first()
            if row is None:
                row = (await connection.execute(select(feeds).where(
                    feeds.c.workspace_key == (workspace or ""), feeds.c.url == url))).one()
            await knowledge.remember_names(connection, [(TargetKind.SERIES, series)])
            return feed_of(row)

    @translate_errors
    async def get_feed(self, feed_id: int) -> Feed | None:
        async with self._read() as connection:
            row = (await connection.execute(
                select(feeds).where(feeds.c.id == feed_id))).first()
            return feed_of(row) if row else None

    @translate_errors
    async def list_feeds(self, workspace: str | None = None) -> list[Feed]:
        """All feeds, or those of one workspace."""
        query = select(feeds).order_by(feeds.c.id)
        if workspace is not None:
            query = query.where(feeds.c.workspace_key == workspace)
        async with self._read() as connection:
            return [feed_of(row) for row in await connection.execute(query)]

    @staticmethod
    def _scoped(feed_id: int, workspace: str | None) -> list[Any]:
        conditions = [feeds.c.id == feed_id]
        if workspace is not None:
            conditions.append(feeds.c.workspace_key == workspace)
        return conditions

    @translate_errors
    async def remove_feed(self, feed_id: int, workspace: str | None = None) -> bool:
        """Removes the feed and its articles; the stories they told stay."""
        async with self._write() as connection:
            result = await connection.execute(
                delete(feeds).where(*self._scoped(feed_id, workspace)))
            return bool(result.rowcount)

    @translate_errors
    async def set_paused(self, feed_id: int, paused: bool,
                         workspace: str | None = None) -> bool:
        async with self._write() as connection:
            result = await connection.execute(
                update(feeds).where(*self._scoped(feed_id, workspace)).values(paused=paused))
            return bool(result.rowcount)

    @translate_errors
    async def claim_due_feeds(self, now: datetime, *, limit: int, worker: str,
                              lease_seconds: int) -> list[Feed]:
        """Lease unpaused feeds that are due and not leased by a live worker.

        One UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED): on PostgreSQL two
        workers never claim the same feed; SQLite serialises writers anyway."""
        now = utc(now)
        due = (select(feeds.c.id)
               .where(feeds.c.paused.is_(False), feeds.c.next_poll_at <= now,
                      or_(feeds.c.lease_until.is_(None), feeds.c.lease_until <= now))
               .order_by(feeds.c.next_poll_at, feeds.c.id)
               .limit(limit)
               .with_for_update(skip_locked=True))
        async with self._write() as connection:
            rows = (await connection.execute(
                update(feeds).where(feeds.c.id.in_(due))
                .values(lease_owner=worker, lease_until=now + timedelta(seconds=lease_seconds))
                .returning(*feeds.c))).all()
        rows.sort(key=lambda row: (row.next_poll_at, row.id))
        return [feed_of(row) for row in rows]

    @translate_errors
    async def renew_feed_leases(self, feed_ids: Collection[int], *, worker: str,
                                lease_seconds: int, now: datetime) -> set[int]:
        """Extend this worker's leases on `feed_ids` (polls still running); returns the ids
        it still held. A lease another worker has taken over is left alone."""
        if not feed_ids:
            return set()
        async with self._write() as connection:
            rows = await connection.execute(
                update(feeds).where(feeds.c.id.in_(list(feed_ids)),
                                    feeds.c.lease_owner == worker)
                .values(lease_until=utc(now) + timedelta(seconds=lease_seconds))
                .returning(feeds.c.id))
            return {row.id for row in rows}

    @translate_errors
    async def release_feeds(self, feed_ids: Collection[int], *, worker: str) -> None:
        """Hand back leases this worker holds without recording a poll (the poll failed or
        was cancelled): the feeds keep their due time, so the next tick polls them."""
        if not feed_ids:
            return
        async with self._write() as connection:
            await connection.execute(
                update(feeds).where(feeds.c.id.in_(list(feed_ids)),
                                    feeds.c.lease_owner == worker)
                .values(lease_owner=None, lease_until=None))

    @translate_errors
    async def release_leases(self, worker: str) -> int:
        """A worker shutting down hands back every feed and pending outbox row it holds;
        returns how many. Another worker may take them at once instead of after the lease."""
        async with self._write() as connection:
            released = (await connection.execute(
                update(feeds).where(feeds.c.lease_owner == worker)
                .values(lease_owner=None, lease_until=None))).rowcount
            released += (await connection.execute(
                update(outbox).where(outbox.c.lease_owner == worker,
                                     outbox.c.status == "pending")
                .values(lease_owner=None, lease_until=None))).rowcount
        return released

    @translate_errors
    async def record_poll(self, feed_id: int, result: FetchResult, now: datetime) -> None:
        """Store what a poll learned, schedule the next one and release the lease."""
        now = utc(now)
        async with self._write() as connection:
            row = (await connection.execute(
                select(feeds).where(feeds.c.id == feed_id))).first()
            if row is None:
                return  # removed while it was being polled
            changes: dict[str, Any] = {"last_polled_at": now, "lease_owner": None,
                                       "lease_until": None}
            if result.ok:
                changes.update(
                    etag=result.etag or row.etag,
                    last_modified=result.last_modified or row.last_modified,
                    title=result.title or row.title, last_error=None, error_count=0,
                    primed=True, next_poll_at=now + timedelta(seconds=row.interval_seconds))
            else:
                errors = row.error_count + 1
                delay = min(row.interval_seconds * 2 ** min(errors - 1, 16),
                            max(row.interval_seconds, MAX_BACKOFF_SECONDS))
                changes.update(last_error=result.error, error_count=errors,
                               next_poll_at=now + timedelta(seconds=delay))
            await connection.execute(
                update(feeds).where(feeds.c.id == feed_id).values(**changes))

    # ----- articles ------------------------------------------------------------------------

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

    # ----- stories and lineups ----------------------------------------------------------------

    @translate_errors
    async def record_extraction(self, article: Article, extraction: Extraction) -> list[Story]:
        """Merge the moves into stories and seats (rules: storage/knowledge.py).

        Returns the stories that are new or whose revision went up: the ones to announce."""
        if not extraction.moves and not extraction.lineup:
            return []
        async with self._write() as connection:
            return await knowledge.record_extraction(connection, article, extraction,
                                                     utcnow())

    @translate_errors
    async def recent_stories(self, limit: int = 5) -> list[Story]:
        async with self._read() as connection:
            rows = await connection.execute(
                select(stories).order_by(stories.c.updated_at.desc(), stories.c.id.desc())
                .limit(limit))
            return [story_of(row) for row in rows]

    @translate_errors
    async def lineup(self, car: str, *, series: str | None = None,
                     season: int | None = None) -> list[Seat]:
        """The open seats of a car. Season None: per series, the latest season with seats
        for the car, up to next year. Series None: every series (group by `Seat.series`)."""
        wanted = car_key(car)
        if not wanted:
            return []
        async with self._read() as connection:
            return await knowledge.query_seats(connection, "car_key", wanted,
                                               series=series, season=season, now=utcnow())

    @translate_errors
    async def team_lineup(self, team: str, *, series: str | None = None,
                          season: int | None = None) -> list[Seat]:
        wanted = key(team)
        if not wanted:
            return []
        async with self._read() as connection:
            return await knowledge.query_seats(connection, "team_key", wanted,
                                               series=series, season=season, now=utcnow())

    @translate_errors
    async def driver_seats(self, driver: str) -> list[Seat]:
        """The driver's open seats in the latest season of each series (up to next year)."""
        wanted = key(driver)
        if not wanted:
            return []
        async with self._read() as connection:
            return await knowledge.query_seats(connection, "driver_key", wanted,
                                               series=None, season=None, now=utcnow())

    @translate_errors
    async def driver_stories(self, driver: str, limit: int = 5) -> list[Story]:
        async with self._read() as connection:
            rows = await connection.execute(
                select(stories).where(stories.c.driver_key == key(driver))
                .order_by(stories.c.first_seen.desc(), stories.c.id.desc()).limit(limit))
            return [story_of(row) for row in rows]

    @translate_errors
    async def known_names(self, kind: TargetKind) -> list[str]:
        async with self._read() as connection:
            rows = await connection.execute(
                select(names.c.name).where(names.c.kind == kind.value).order_by(names.c.key))
            return [row.name for row in rows]

    # ----- destinations and subscriptions ---------------------------------------------------

    async def _destination_id(self, connection: AsyncConnection, destination: Destination,
                              *, unbreak: bool = False) -> int:
        """The row of this destination, made if new; an explicit follow or alerts-channel
        choice clears an earlier 'broken' mark."""
        values = {"platform": destination.platform, "workspace": destination.workspace,
                  "channel": destination.channel or "", "user": destination.user or "",
                  "kind": destination.kind.value}
        await connection.execute(insert_for(connection, destinations).on_conflict_do_nothing()
                                 .values(**values, created_at=utcnow()))
        row = (await connection.execute(select(destinations.c.id, destinations.c.broken).where(
            *(getattr(destinations.c, column) == value for column, value in values.items()))
        )).one()
        if unbreak and row.broken is not None:
            await connection.execute(update(destinations).where(destinations.c.id == row.id)
                                     .values(broken=None, broken_at=None))
        return int(row.id)

    @translate_errors
    async def follow(self, subscription: Subscription) -> bool:
        async with self._write() as connection:
            destination_id = await self._destination_id(connection, subscription.destination,
                                                        unbreak=True)
            result = await connection.execute(
                insert_for(connection, subscriptions).on_conflict_do_nothing().values(
                    destination_id=destination_id, target=subscription.target.value,
                    value=clip(subscription.value, NAME_CHARS),
                    value_key=target_key(subscription.target,
                                         clip(subscription.value, NAME_CHARS) or ""),
                    created_at=utcnow()))
            return bool(result.rowcount)

    @translate_errors
    async def unfollow(self, subscription: Subscription) -> bool:
        async with self._write() as connection:
            if subscription.id is not None:
                condition = subscriptions.c.id == subscription.id
            else:
                found = (await connection.execute(select(destinations.c.id).where(
                    destinations.c.platform == subscription.destination.platform,
                    destinations.c.workspace == subscription.destination.workspace,
                    destinations.c.channel == (subscription.destination.channel or ""),
                    destinations.c.user == (subscription.destination.user or ""),
                    destinations.c.kind == subscription.destination.kind.value))).first()
                if found is None:
                    return False
                condition = (
                    (subscriptions.c.destination_id == found.id)
                    & (subscriptions.c.target == subscription.target.value)
                    & (subscriptions.c.value_key ==
                       target_key(subscription.target,
                                  clip(subscription.value, NAME_CHARS) or "")))
            result = await connection.execute(delete(subscriptions).where(condition))
            return bool(result.rowcount)

    @translate_errors
    async def subscriptions_for(self, platform: str, workspace: str,
                                user: str | None) -> list[Subscription]:
        """The workspace's subscriptions, or only those of one user's destinations."""
        query = (select(subscriptions.c.id.label("s_id"), subscriptions.c.target,
                        subscriptions.c.value, *_destination_columns())
                 .join(destinations, destinations.c.id == subscriptions.c.destination_id)
                 .where(destinations.c.platform == platform,
                        destinations.c.workspace == workspace)
                 .order_by(subscriptions.c.id))
        if user is not None:
            query = query.where(destinations.c.user == user)
        async with self._read() as connection:
            return [Subscription(destination=destination_of(row, "d_"),
                                 target=TargetKind(row.target), value=row.value, id=row.s_id)
                    for row in await connection.execute(query)]

    @translate_errors
    async def set_alert_channel(self, destination: Destination) -> None:
        """Make this channel the (platform, workspace)'s one alerts channel."""
        channel = replace(destination, kind=DestinationKind.CHANNEL, user=None)
        async with self._write() as connection:
            destination_id = await self._destination_id(connection, channel, unbreak=True)
            old_channels = [row.channel for row in await connection.execute(
                select(destinations.c.channel).join(
                    subscriptions, subscriptions.c.destination_id == destinations.c.id)
                .where(destinations.c.platform == channel.platform,
                       destinations.c.workspace == channel.workspace,
                       destinations.c.id != destination_id,
                       subscriptions.c.target == TargetKind.ALL.value))]
            others = select(destinations.c.id).where(
                destinations.c.platform == channel.platform,
                destinations.c.workspace == channel.workspace,
                destinations.c.id != destination_id)
            await connection.execute(delete(subscriptions).where(
                subscriptions.c.target == TargetKind.ALL.value,
                subscriptions.c.destination_id.in_(others)))
            if old_channels and channel.channel:
                await self._move_mentions(connection, channel, old_channels)
            await connection.execute(
                insert_for(connection, subscriptions).on_conflict_do_nothing().values(
                    destination_id=destination_id, target=TargetKind.ALL.value,
                    value=ALERTS_CHANNEL_VALUE, value_key=ALERTS_CHANNEL_VALUE,
                    created_at=utcnow()))

    @staticmethod
    async def _move_mentions(connection: AsyncConnection, channel: Destination,
                             old_channels: list[str]) -> None:
        """Followers alerted by a mention in the alerts channel follow it to the new one
        (unless they already have a mention destination there)."""
        twin = destinations.alias("twin")
        await connection.execute(
            update(destinations)
            .where(destinations.c.platform == channel.platform,
                   destinations.c.workspace == channel.workspace,
                   destinations.c.kind == DestinationKind.MENTION.value,
                   destinations.c.channel.in_(old_channels),
                   ~select(twin.c.id).where(
                       twin.c.platform == destinations.c.platform,
                       twin.c.workspace == destinations.c.workspace,
                       twin.c.kind == DestinationKind.MENTION.value,
                       twin.c.user == destinations.c.user,
                       twin.c.channel == channel.channel).exists())
            .values(channel=channel.channel))

    @translate_errors
    async def matching_destinations(
            self, targets: Mapping[TargetKind, Collection[str]]) -> list[Destination]:
        """Unbroken destinations following any of `targets` (values compared by key), plus
        every alerts channel; each destination once."""
        wanted = [subscriptions.c.target == TargetKind.ALL.value]
        for target, values in targets.items():
            keys = sorted({target_key(target, value) for value in values} - {""})
            if keys and target is not TargetKind.ALL:
                wanted.append((subscriptions.c.target == target.value)
                              & subscriptions.c.value_key.in_(keys))
        query = (select(destinations).where(
            destinations.c.broken.is_(None),
            destinations.c.id.in_(select(subscriptions.c.destination_id).where(or_(*wanted))))
            .order_by(destinations.c.id))
        async with self._read() as connection:
            return [destination_of(row) for row in await connection.execute(query)]

    # ----- settings -------------------------------------------------------------------------

    @translate_errors
    async def get_setting(self, platform: str, workspace: str, key_: str) -> str | None:
        async with self._read() as connection:
            return (await connection.execute(select(settings.c.value).where(
                settings.c.platform == platform, settings.c.workspace == workspace,
                settings.c.key == key_))).scalar_one_or_none()

    @translate_errors
    async def set_setting(self, platform: str, workspace: str, key_: str, value: str) -> None:
        async with self._write() as connection:
            statement = insert_for(connection, settings).values(
                platform=platform, workspace=workspace, key=key_, value=value)
            await connection.execute(statement.on_conflict_do_update(
                index_elements=[settings.c.platform, settings.c.workspace, settings.c.key],
                set_={"value": value}))

    # ----- outbox ---------------------------------------------------------------------------

    @translate_errors
    async def enqueue(self, story: Story, destinations_in: Sequence[Destination]) -> int:
        """One row per (story, destination, revision); returns how many were new."""
        now = utcnow()
        async with self._write() as connection:
            ids = []
            for destination in destinations_in:
                ids.append(destination.id if destination.id is not None
                           else await self._destination_id(connection, destination))
            if not ids:
                return 0
            result = await connection.execute(
                insert_for(connection, outbox).values([{
                    "story_id": story.id, "destination_id": destination_id,
                    "revision": story.revision, "status": "pending", "attempts": 0,
                    "next_attempt_at": now, "created_at": now,
                } for destination_id in dict.fromkeys(ids)]).on_conflict_do_nothing()
                .returning(outbox.c.id))
            return len(result.all())

    @translate_errors
    async def claim(self, now: datetime, *, limit: int, worker: str, lease_seconds: int,
                    platforms: Sequence[str] | None = None) -> list[OutboxItem]:
        """Lease due rows, oldest first. A lease that runs out (the worker died mid-send)
        makes the row claimable again: delivery is at least once."""
        now = utc(now)
        newer = outbox.alias("newer")
        superseded = (select(newer.c.id).where(
            newer.c.story_id == outbox.c.story_id,
            newer.c.destination_id == outbox.c.destination_id,
            newer.c.revision > outbox.c.revision).exists())
        due = (select(outbox.c.id)
               .where(outbox.c.status == "pending", outbox.c.next_attempt_at <= now,
                      or_(outbox.c.lease_until.is_(None), outbox.c.lease_until <= now),
                      # an older revision the destination gets anyway (the rumour, now
                      # confirmed) would only send the same alert twice
                      ~superseded,
                      outbox.c.destination_id.in_(self._usable_destinations(platforms)))
               .order_by(outbox.c.next_attempt_at, outbox.c.id)
               .limit(limit)
               .with_for_update(skip_locked=True))
        async with self._write() as connection:
            claimed = [row.id for row in await connection.execute(
                update(outbox).where(outbox.c.id.in_(due))
                .values(lease_owner=worker,
                        lease_until=now + timedelta(seconds=lease_seconds))
                .returning(outbox.c.id))]
            if not claimed:
                return []
            rows = (await connection.execute(
                select(outbox.c.id.label("o_id"), outbox.c.attempts.label("o_attempts"),
                       stories, *_destination_columns())
                .join(stories, stories.c.id == outbox.c.story_id)
                .join(destinations, destinations.c.id == outbox.c.destination_id)
                .where(outbox.c.id.in_(claimed))
                .order_by(outbox.c.id))).all()
        return [OutboxItem(id=row.o_id, story=story_of(row),
                           destination=destination_of(row, "d_"), attempts=row.o_attempts)
                for row in rows]

    @staticmethod
    def _usable_destinations(platforms: Sequence[str] | None) -> Any:
        query = select(destinations.c.id).where(destinations.c.broken.is_(None))
        if platforms is not None:
            query = query.where(destinations.c.platform.in_(list(platforms)))
        return query

    @translate_errors
    async def mark_sent(self, item_id: int, now: datetime) -> None:
        """Settle the row, and the older revisions of its story for the same destination."""
        async with self._write() as connection:
            sent = (await connection.execute(
                update(outbox).where(outbox.c.id == item_id)
                .values(status="sent", sent_at=utc(now), lease_owner=None, lease_until=None)
                .returning(outbox.c.story_id, outbox.c.destination_id, outbox.c.revision)
            )).first()
            if sent is not None:
                await connection.execute(
                    update(outbox).where(
                        outbox.c.story_id == sent.story_id,
                        outbox.c.destination_id == sent.destination_id,
                        outbox.c.revision < sent.revision, outbox.c.status == "pending")
                    .values(status="superseded"))

    @translate_errors
    async def mark_failed(self, item_id: int, error: str, retry_at: datetime | None) -> None:
        """Count the attempt; retry at `retry_at`, or never (status 'dead') when None."""
        changes: dict[str, Any] = {"attempts": outbox.c.attempts + 1, "last_error": error,
                                   "lease_owner": None, "lease_until": None}
        if retry_at is None:
            changes["status"] = "dead"
        else:
            changes.update(status="pending", next_attempt_at=utc(retry_at))
        async with self._write() as connection:
            await connection.execute(
                update(outbox).where(outbox.c.id == item_id).values(**changes))

    @translate_errors
    async def mark_destination_broken(self, destination_id: int, reason: str) -> bool:
        async with self._write() as connection:
            result = await connection.execute(
                update(destinations)
                .where(destinations.c.id == destination_id, destinations.c.broken.is_(None))
                .values(broken=reason, broken_at=utcnow()))
            return bool(result.rowcount)

    @translate_errors
    async def retire_destination(self, destination_id: int) -> None:
        """The channel or user is gone: drop its subscriptions and its pending alerts."""
        async with self._write() as connection:
            await connection.execute(delete(subscriptions).where(
                subscriptions.c.destination_id == destination_id))
            await connection.execute(
                update(outbox).where(outbox.c.destination_id == destination_id,
                                     outbox.c.status == "pending")
                .values(status="dead", last_error="destination gone", lease_owner=None,
                        lease_until=None))
            await connection.execute(
                update(destinations)
                .where(destinations.c.id == destination_id, destinations.c.broken.is_(None))
                .values(broken="gone", broken_at=utcnow()))

    # ----- lineup knowledge (bot.lineup_ports.LineupKnowledge) ------------------------------

    @translate_errors
    async def lineup_details(self, car: str, *, series: str | None = None,
                             season: int | None = None) -> list[SeatView]:
        async with self._read() as connection:
            return await lineup_queries.detail(connection, "car_key", car_key(car),
                                               series=series, season=season, now=utcnow())

    @translate_errors
    async def team_details(self, team: str, *, series: str | None = None,
                           season: int | None = None) -> list[SeatView]:
        async with self._read() as connection:
            return await lineup_queries.detail(connection, "team_key", key(team),
                                               series=series, season=season, now=utcnow())

    @translate_errors
    async def driver_details(self, driver: str) -> list[SeatView]:
        async with self._read() as connection:
            return await lineup_queries.detail(connection, "driver_key", key(driver),
                                               series=None, season=None, now=utcnow())

    @translate_errors
    async def seat_stories(self, seat_id: int) -> list[Story]:
        async with self._read() as connection:
            return await lineup_queries.supporting_stories(connection, seat_id)

    @translate_errors
    async def set_lineup(self, car: str, series: str, season: int, drivers: Sequence[str], *,
                         moderator: str, team: str | None = None) -> list[SeatView]:
        async with self._write() as connection:
            return await lineup_queries.set_lineup(connection, car, series, season, drivers,
                                                   moderator=moderator, team=team,
                                                   now=utcnow())

    @translate_errors
    async def set_stand_in(self, car: str, series: str, season: int, driver: str, *,
                           replaces: str, races: str | None = None, moderator: str,
                           team: str | None = None) -> SeatView:
        async with self._write() as connection:
            return await lineup_queries.set_stand_in(
                connection, car, series, season, driver, replaces=replaces, races=races,
                moderator=moderator, team=team, now=utcnow())

    @translate_errors
    async def remove_from_lineup(self, car: str, series: str, season: int, driver: str, *,
                                 moderator: str) -> bool:
        async with self._write() as connection:
            return await lineup_queries.remove_from_lineup(
                connection, car, series, season, driver, moderator=moderator, now=utcnow())

    @translate_errors
    async def lineup_history(self, car: str, *, series: str | None = None,
                             season: int | None = None, limit: int = 50
                             ) -> list[LineupChange]:
        async with self._read() as connection:
            return await lineup_queries.history(connection, car, series=series,
                                                season=season, limit=limit)

    @translate_errors
    async def changes(self, series: str | None = None, since: datetime | None = None, *,
                      team: str | None = None, driver: str | None = None, limit: int = 20
                      ) -> list[LineupChange]:
        async with self._read() as connection:
            return await lineup_queries.changes(
                connection, series=series, since=utc(since) if since else None, team=team,
                driver=driver, limit=limit)

    @translate_errors
    async def import_lineup(self, entries: Sequence[LineupEntry], *, actor: str = "import"
                            ) -> ImportReport:
        async with self._write() as connection:
            return await lineup_queries.import_entries(connection, entries, actor=actor,
                                                       now=utcnow())

    @translate_errors
    async def all_seats(self, *, series: str | None = None, season: int | None = None
                        ) -> list[SeatView]:
        async with self._read() as connection:
            return await lineup_queries.all_open(connection, series=series, season=season)
