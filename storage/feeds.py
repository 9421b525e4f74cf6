"""Feeds: who polls what, and when. Leases let several workers share the polling."""

from __future__ import annotations

import random
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.models import Feed, FetchResult, TargetKind, utc, utcnow
from storage.base import StoreBase, insert_for
from storage.columns import SERIES_CHARS, clip
from storage.errors import translate_errors
from storage.names import remember_names
from storage.tables import articles, feeds, outbox

# A failing feed waits interval × 2^(errors-1), but never longer than this (or its interval).
MAX_BACKOFF_SECONDS = 6 * 3600
# Backoff delays are spread ±20%: feeds that failed together (one host down) must not all
# come back in the same second and fail together again.
BACKOFF_JITTER = 0.2
# How long a server may ask us to stay away (Retry-After, max-age) before we stop listening:
# a typo'd "max-age=31536000" must not silence a feed for a year.
MAX_SERVER_WAIT_SECONDS = 24 * 3600
MAX_FAILURES = 10
MAX_URL_CHARS = 2000
_ID_CHUNK = 500  # ids per IN (...): well under SQLite's bound-parameter limit


def feed_of(row: Any) -> Feed:
    return Feed(
        id=row.id, url=row.url, title=row.title, series=row.series,
        interval_seconds=row.interval_seconds, paused=row.paused, workspace=row.workspace,
        etag=row.etag, last_modified=row.last_modified, primed=row.primed,
        last_polled_at=row.last_polled_at, last_error=row.last_error,
        error_count=row.error_count, disabled_reason=row.disabled_reason,
        body_hash=row.body_hash, last_success_at=row.last_success_at,
        next_poll_at=row.next_poll_at, entries_seen=row.entries_seen or 0,
        alerts_produced=row.alerts_produced or 0,
    )


class FeedStorage(StoreBase):
    """`bot.ports.FeedStore`."""

    @translate_errors
    async def add_feed(self, url: str, *, series: str | None = None,
                       interval_seconds: int = 600, workspace: str | None = None,
                       title: str | None = None, spread_seconds: float = 0.0) -> Feed:
        """Adding a URL the workspace already has returns the existing feed.

        `spread_seconds`: the first poll falls at a random moment within that many seconds
        (feeds added together, e.g. from PITBOARD_FEEDS, are not all due at the same
        instant, and so neither are their later polls)."""
        if len(url) > MAX_URL_CHARS:
            raise ValueError(f"feed URL longer than {MAX_URL_CHARS} characters")
        series = clip(series, SERIES_CHARS)
        now = utcnow()
        first_poll = now + timedelta(seconds=random.uniform(0, max(spread_seconds, 0.0)))
        async with self._write() as connection:
            row = (await connection.execute(
                insert_for(connection, feeds).on_conflict_do_nothing().values(
                    url=url, workspace=workspace, workspace_key=workspace or "", title=title,
                    series=series, interval_seconds=interval_seconds, paused=False,
                    primed=False, next_poll_at=first_poll, error_count=0, created_at=now,
                ).returning(*feeds.c))).first()
            if row is None:
                row = (await connection.execute(select(feeds).where(
                    feeds.c.workspace_key == (workspace or ""), feeds.c.url == url))).one()
            await remember_names(connection, [(TargetKind.SERIES, series)])
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
        """Resuming also ends a disable (410, too many failures): the feed is polled at
        once, with a clean failure count."""
        values: dict[str, Any] = {"paused": paused}
        if not paused:
            values.update(disabled_reason=None, error_count=0, next_poll_at=utcnow())
        async with self._write() as connection:
            result = await connection.execute(
                update(feeds).where(*self._scoped(feed_id, workspace)).values(**values))
            return bool(result.rowcount)

    @translate_errors
    async def count_due_feeds(self, now: datetime) -> int:
        """How many feeds claim_due_feeds could claim at `now`."""
        now = utc(now)
        async with self._read() as connection:
            return int((await connection.execute(
                select(func.count()).select_from(feeds).where(
                    feeds.c.paused.is_(False), feeds.c.next_poll_at <= now,
                    or_(feeds.c.lease_until.is_(None), feeds.c.lease_until <= now)))
            ).scalar_one())

    @translate_errors
    async def mark_all_due(self, now: datetime) -> int:
        """Every running feed is due now (`pitboard poll --now`); paused and disabled feeds
        stay as they are. Leases are left alone: a feed another worker is polling is
        being polled."""
        async with self._write() as connection:
            result = await connection.execute(
                update(feeds).where(feeds.c.paused.is_(False)).values(next_poll_at=utc(now)))
            return int(result.rowcount or 0)

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
        """A worker shutting down hands back every feed and pending outbox row it holds
        (both here, in one transaction); returns how many. Other workers may take them at
        once instead of after the leases."""
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
    async def record_poll(self, feed_id: int, result: FetchResult, now: datetime, *,
                          new_entries: int = 0, max_failures: int = MAX_FAILURES,
                          alerts: int = 0, processed: Collection[int] = ()) -> bool:
        """Store what a poll learned, schedule the next one and release the lease; in the
        same transaction, mark the poll's articles `processed` (their alerts are queued).

        True when this poll disabled the feed (410 Gone, or the `max_failures`th failure in a
        row): the caller tells its moderators, once, since a disabled feed is not polled
        again until someone resumes it."""
        async with self._write() as connection:
            if processed:
                await mark_processed(connection, processed, now)
            return await record_poll(connection, feed_id, result, utc(now),
                                     new_entries=new_entries, max_failures=max_failures,
                                     alerts=alerts)


async def record_poll(connection: AsyncConnection, feed_id: int, result: FetchResult,
                      now: datetime, *, new_entries: int = 0, max_failures: int = MAX_FAILURES,
                      alerts: int = 0) -> bool:
    """FeedStorage.record_poll in the caller's transaction."""
    row = (await connection.execute(select(feeds).where(feeds.c.id == feed_id))).first()
    if row is None:
        return False  # removed while it was being polled
    changes = await _poll_changes(connection, row, result, now, new_entries=new_entries,
                                  max_failures=max_failures, alerts=alerts)
    await connection.execute(update(feeds).where(feeds.c.id == feed_id).values(**changes))
    return bool(changes.get("disabled_reason"))


async def record_polls(connection: AsyncConnection, polls: Sequence[tuple[int, FetchResult]],
                       now: datetime, *, max_failures: int = MAX_FAILURES,
                       new_entries: Mapping[int, int] | None = None) -> set[int]:
    """Many polls in the caller's transaction: one SELECT of their rows, then one
    executemany UPDATE per set of changed columns (a 304 and a failure change different
    ones). `new_entries`: the articles each feed's poll stored (first polls store theirs in
    the same transaction: storage.articles.ingest_polls). Returns the feeds it disabled."""
    if not polls:
        return set()
    ids = sorted({feed_id for feed_id, _ in polls})
    rows: dict[int, Any] = {}
    for start in range(0, len(ids), _ID_CHUNK):
        rows.update((row.id, row) for row in await connection.execute(
            select(feeds).where(feeds.c.id.in_(ids[start:start + _ID_CHUNK]))))
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    disabled: set[int] = set()
    for feed_id, result in polls:
        row = rows.get(feed_id)
        if row is None:
            continue  # removed while it was being polled
        changes = await _poll_changes(
            connection, row, result, now, max_failures=max_failures,
            new_entries=new_entries.get(feed_id, 0) if new_entries else 0)
        if changes.get("disabled_reason"):
            disabled.add(feed_id)
        # (SQLAlchemy reserves a column's own name for its parameter: hence the prefix.)
        groups.setdefault(tuple(sorted(changes)), []).append(
            {"p_id": feed_id, **{f"p_{column}": value for column, value in changes.items()}})
    for columns, parameters in groups.items():
        await connection.execute(
            update(feeds).where(feeds.c.id == bindparam("p_id"))
            .values({column: bindparam(f"p_{column}") for column in columns}), parameters)
    return disabled


async def _poll_changes(connection: AsyncConnection, row: Any, result: FetchResult,
                        now: datetime, *, new_entries: int = 0,
                        max_failures: int = MAX_FAILURES, alerts: int = 0) -> dict[str, Any]:
    """The columns a poll changes: the next poll, the validators, the health counters."""
    changes: dict[str, Any] = {"last_polled_at": now, "lease_owner": None, "lease_until": None}
    if alerts:
        changes["alerts_produced"] = (row.alerts_produced or 0) + alerts
    floor = min(result.wait_seconds or 0.0, MAX_SERVER_WAIT_SECONDS)
    if result.ok:
        changes.update(
            etag=result.etag or row.etag,
            last_modified=result.last_modified or row.last_modified,
            body_hash=result.body_hash or row.body_hash,
            title=result.title or row.title, last_error=None, error_count=0,
            primed=True, last_success_at=now,
            entries_seen=(row.entries_seen or 0) + new_entries,
            next_poll_at=now + timedelta(seconds=max(row.interval_seconds, floor)))
        if result.moved_to and result.moved_to != row.url:
            changes.update(await _moved(connection, row, result.moved_to))
    else:
        errors = row.error_count + 1
        delay = min(row.interval_seconds * 2 ** min(errors - 1, 16),
                    max(row.interval_seconds, MAX_BACKOFF_SECONDS))
        delay *= 1 + random.uniform(-BACKOFF_JITTER, BACKOFF_JITTER)
        changes.update(last_error=result.error, error_count=errors,
                       next_poll_at=now + timedelta(seconds=max(delay, floor)))
        reason = None
        if result.gone:
            reason = "the site says the feed is gone for good (HTTP 410)"
        elif errors >= max_failures:
            reason = f"{errors} failed polls in a row, the last: {result.error}"
        if reason is not None and not row.paused:
            changes.update(paused=True, disabled_reason=reason)
    return changes


async def _moved(connection: AsyncConnection, row: Any, url: str) -> dict[str, Any]:
    """A permanent redirect: poll the new address from now on, unless the workspace
    already has a feed there (then both would poll the same thing; the duplicate is
    left for a moderator to remove rather than merged behind their back)."""
    if len(url) > MAX_URL_CHARS:
        return {}
    taken = (await connection.execute(select(feeds.c.id).where(
        feeds.c.workspace_key == row.workspace_key, feeds.c.url == url))).first()
    return {} if taken else {"url": url}


async def mark_processed(connection: AsyncConnection, article_ids: Collection[int],
                         now: datetime) -> int:
    """Mark articles processed (their alerts are queued); returns how many were not yet."""
    ids = sorted(set(article_ids))
    marked = 0
    for start in range(0, len(ids), _ID_CHUNK):
        result = await connection.execute(
            update(articles).where(articles.c.id.in_(ids[start:start + _ID_CHUNK]),
                                   articles.c.processed_at.is_(None))
            .values(processed_at=utc(now), recovery_claimed_at=None))
        marked += result.rowcount
    return marked
