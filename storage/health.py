"""What /healthz and /metrics report of the database: is it there, how long since a feed
was polled, how many alerts wait in the outbox and since when. Two small reads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.errors import translate_errors
from storage.tables import feeds, outbox


@dataclass(frozen=True, slots=True)
class DatabaseHealth:
    outbox_depth: int  # alerts waiting to be sent (due now or retrying later)
    oldest_pending: datetime | None  # when the oldest of them was queued
    last_poll: datetime | None  # the latest poll of any feed, by any worker
    # Waiting alerts whose worker let the lease run out (it died mid-send, or its batch ran
    # long): the next claim takes them over. Settling a row clears its lease, so only these
    # hold one that has ended.
    expired_leases: int = 0


@translate_errors
async def database_health(engine: AsyncEngine, now: datetime) -> DatabaseHealth:
    async with engine.connect() as connection:
        # Read-only: on SQLite this keeps the probe from taking the write lock.
        await connection.execution_options(pitboard_read_only=True)
        expired = (outbox.c.lease_owner.is_not(None)) & (outbox.c.lease_until < now)
        depth, oldest, expired_leases = (await connection.execute(
            select(func.count(), func.min(outbox.c.created_at),
                   func.count().filter(expired))
            .where(outbox.c.status == "pending"))).one()
        last_poll = (await connection.execute(select(func.max(feeds.c.last_polled_at)))
                     ).scalar_one()
        await connection.rollback()
    return DatabaseHealth(outbox_depth=int(depth or 0), oldest_pending=oldest,
                          last_poll=last_poll, expired_leases=int(expired_leases or 0))
