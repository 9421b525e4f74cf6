"""The outbox: one alert per story, destination and revision, leased to the worker that
sends it, so a worker that dies mid-send leaves its alerts to another."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, or_, select, update

from bot.models import Destination, OutboxItem, Story, utc, utcnow
from storage.base import StoreBase, insert_for
from storage.errors import translate_errors
from storage.stories import story_of
from storage.subscriptions import destination_columns, destination_of, ensure_destination
from storage.tables import destinations, outbox, stories, subscriptions


class OutboxStorage(StoreBase):
    """`bot.ports.Outbox`."""

    @translate_errors
    async def enqueue(self, story: Story, destinations_in: Sequence[Destination]) -> int:
        """One row per (story, destination, revision); returns how many were new."""
        now = utcnow()
        async with self._write() as connection:
            ids = []
            for destination in destinations_in:
                ids.append(destination.id if destination.id is not None
                           else await ensure_destination(connection, destination))
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
                       stories, *destination_columns())
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
