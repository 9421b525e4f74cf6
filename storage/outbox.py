"""The outbox: one alert per story, destination and revision, leased to the worker that
sends it, so a worker that dies mid-send leaves its alerts to another."""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Integer, and_, bindparam, case, delete, func, or_, select, update

from bot.models import Destination, Digest, OutboxEntry, OutboxItem, Story, utc, utcnow
from storage.base import StoreBase, insert_for
from storage.errors import translate_errors
from storage.stories import story_of
from storage.subscriptions import destination_columns, destination_of, ensure_destination
from storage.tables import destinations, outbox, stories, story_sources, subscriptions


async def _source_names(connection: Any, story_ids: set[int]) -> dict[int, tuple[str, ...]]:
    """Each story's sources by name, first reported first."""
    names: dict[int, list[str]] = {}
    for row in await connection.execute(
            select(story_sources.c.story_id, story_sources.c.name)
            .where(story_sources.c.story_id.in_(sorted(story_ids)),
                   story_sources.c.name.is_not(None))
            .order_by(story_sources.c.added_at, story_sources.c.id)):
        if row.name not in names.setdefault(row.story_id, []):
            names[row.story_id].append(row.name)
    return {story_id: tuple(found) for story_id, found in names.items()}


def _digest_of(row: Any) -> Digest | None:
    if row.o_digest_week is None:
        return None
    body = json.loads(row.o_body or "{}")
    return Digest(week=row.o_digest_week, series=body.get("series"),
                  lines=tuple(body.get("lines") or ()))


_SENT_CHUNK = 500  # ids per IN (...): well under SQLite's bound-parameter limit


# The actions that edit a post already sent rather than post.
_EDITS = ("edit", "denial")


@cache
def _claim_statements(by_platform: bool) -> tuple[Any, Any]:
    """The claim's two statements, built once (building and keying them cost a fan-out's
    worker more than SQLite took to run them, every claim): the lease of due rows
    (parameters now, limit, worker, lease_until, platforms) and the read of what was
    leased (claimed: the ids)."""
    newer = outbox.alias("newer")
    superseded = (select(newer.c.id).where(
        newer.c.story_id == outbox.c.story_id,
        newer.c.destination_id == outbox.c.destination_id,
        newer.c.revision > outbox.c.revision).exists())
    post = outbox.alias("post")
    post_unsettled = (select(post.c.id).where(
        post.c.story_id == outbox.c.story_id,
        post.c.destination_id == outbox.c.destination_id,
        post.c.revision == outbox.c.revision, post.c.action == "post",
        post.c.status == "pending").exists())
    now = bindparam("now", type_=outbox.c.next_attempt_at.type)
    usable = select(destinations.c.id).where(destinations.c.broken.is_(None))
    if by_platform:
        usable = usable.where(destinations.c.platform.in_(
            bindparam("platforms", expanding=True)))
    due = (select(outbox.c.id)
           .where(outbox.c.status == "pending", outbox.c.next_attempt_at <= now,
                  or_(outbox.c.lease_until.is_(None), outbox.c.lease_until <= now),
                  # an older revision the destination gets anyway (the rumour, now
                  # confirmed) would only send the same alert twice; a denial edits its
                  # own revision's post, which stays in the channel, once that post is
                  # settled (sent: edited; dead or superseded: nothing to do)
                  or_(and_(outbox.c.action == "denial", ~post_unsettled),
                      and_(outbox.c.action != "denial", ~superseded)),
                  outbox.c.destination_id.in_(usable))
           .order_by(outbox.c.next_attempt_at, outbox.c.id)
           .limit(bindparam("limit", type_=Integer))
           .with_for_update(skip_locked=True))
    lease = (update(outbox).where(outbox.c.id.in_(due))
             .values(lease_owner=bindparam("worker"), claims=outbox.c.claims + 1,
                     lease_until=bindparam("lease_until"))
             .returning(outbox.c.id))
    earlier = outbox.alias("earlier")
    # The post of this story's earlier revision in the same place: a confirmation
    # answers it (a reply, a thread) instead of standing alone.
    first_post = (select(earlier.c.message_ref)
                  .where(earlier.c.story_id == outbox.c.story_id,
                         earlier.c.destination_id == outbox.c.destination_id,
                         earlier.c.revision < outbox.c.revision,
                         earlier.c.action == "post", earlier.c.status == "sent",
                         earlier.c.message_ref.is_not(None))
                  .order_by(earlier.c.revision).limit(1)
                  .scalar_subquery())
    # What an edit edits: the story's latest post there.
    latest = outbox.alias("latest")
    latest_post = (select(latest.c.message_ref)
                   .where(latest.c.story_id == outbox.c.story_id,
                          latest.c.destination_id == outbox.c.destination_id,
                          latest.c.action == "post", latest.c.status == "sent",
                          latest.c.message_ref.is_not(None))
                   .order_by(latest.c.revision.desc()).limit(1)
                   .scalar_subquery())
    # Asked only of the rows that use them (a later revision's post, an edit): a
    # fan-out's first posts skip both lookups. Asked of every row, each scanned the
    # sent rows whenever the planner's statistics were older than the fan-out (all
    # pending then), and a claim cost O(sent rows x claimed rows).
    # What a denial edits: the post of its own revision (every post of a denied
    # story says so, the rumour's first one included).
    same = outbox.alias("same")
    own_post = (select(same.c.message_ref)
                .where(same.c.story_id == outbox.c.story_id,
                       same.c.destination_id == outbox.c.destination_id,
                       same.c.revision == outbox.c.revision,
                       same.c.action == "post", same.c.status == "sent")
                .limit(1).scalar_subquery())
    reply_to = case((and_(outbox.c.action == "post", outbox.c.revision > 1),
                     first_post), else_=None)
    edit_of = case((outbox.c.action == "edit", latest_post),
                   (outbox.c.action == "denial", own_post), else_=None)
    read = (
        select(outbox.c.id.label("o_id"), outbox.c.attempts.label("o_attempts"),
               outbox.c.revision.label("o_revision"),
               reply_to.label("o_reply_to"), edit_of.label("o_latest"),
               outbox.c.action.label("o_action"),
               outbox.c.mentions.label("o_mentions"),
               outbox.c.claims.label("o_claims"),
               outbox.c.digest_week.label("o_digest_week"),
               outbox.c.body.label("o_body"), stories, *destination_columns())
        .outerjoin(stories, stories.c.id == outbox.c.story_id)
        .join(destinations, destinations.c.id == outbox.c.destination_id)
        .where(outbox.c.id.in_(bindparam("claimed", expanding=True)))
        .order_by(outbox.c.id))
    return lease, read


@cache
def _settle_statements() -> tuple[Any, Any, Any]:
    """mark_sent_many's statements, built once as the claim's are: the rows `ids` sent at
    `now`; the older revisions of their stories superseded; each post's `ref` kept."""
    newer = outbox.alias("newer")
    ids = bindparam("ids", expanding=True)
    settle = (update(outbox).where(outbox.c.id.in_(ids))
              .values(status="sent", sent_at=bindparam("now", type_=outbox.c.sent_at.type),
                      lease_owner=None, lease_until=None))
    supersede = (update(outbox).where(
        outbox.c.status == "pending", outbox.c.action != "denial",
        select(newer.c.id).where(
            newer.c.id.in_(bindparam("ids", expanding=True)),
            newer.c.story_id == outbox.c.story_id,
            newer.c.destination_id == outbox.c.destination_id,
            newer.c.revision > outbox.c.revision).exists())
        .values(status="superseded"))
    keep_ref = (update(outbox).where(outbox.c.id == bindparam("row_id"))
                .values(message_ref=bindparam("ref")))
    return settle, supersede, keep_ref


async def _drop_denials_shown(connection: Any, claimed: Sequence[Any]) -> None:
    """A post claimed for its first try that read its story already denied shows the
    denial itself: the denial's edit queued for it (storage.stories.record_denials) would
    change nothing. Decided on the story as this claim read it: a denial committed after
    that read still has its edit sent. A retried or reclaimed post keeps the edit: an
    earlier try may have posted the story as it was before."""
    shown = [and_(outbox.c.story_id == row.id, outbox.c.destination_id == row.d_id,
                  outbox.c.revision == row.o_revision)
             for row in claimed if row.o_action == "post" and row.id is not None
             and row.denied_at is not None and row.o_claims == 1 and row.o_attempts == 0]
    if shown:
        await connection.execute(
            update(outbox).where(outbox.c.action == "denial", outbox.c.status == "pending",
                                 or_(*shown))
            .values(status="superseded"))


class OutboxStorage(StoreBase):
    """`bot.ports.Outbox`."""

    @translate_errors
    async def enqueue(self, story: Story, destinations_in: Sequence[Destination], *,
                      mentions: Mapping[Destination, Collection[str]] | None = None) -> int:
        """One row per (story, destination, revision); returns how many were new.

        `mentions`: per channel destination, the followers its one post mentions."""
        now = utcnow()
        mentions = mentions or {}
        async with self._write() as connection:
            rows: dict[int, str] = {}
            for destination in destinations_in:
                destination_id = (destination.id if destination.id is not None
                                  else await ensure_destination(connection, destination))
                rows.setdefault(destination_id,
                                " ".join(sorted(set(mentions.get(destination, ())))))
            # A channel marked unusable gets nothing queued (its followers' alerts included):
            # the rows would wait there for good.
            for broken in await connection.execute(select(destinations.c.id).where(
                    destinations.c.id.in_(list(rows)), destinations.c.broken.is_not(None))):
                rows.pop(broken.id)
            if not rows:
                return 0
            result = await connection.execute(
                insert_for(connection, outbox).values([{
                    "story_id": story.id, "destination_id": destination_id,
                    "revision": story.revision, "status": "pending", "attempts": 0,
                    "next_attempt_at": now, "created_at": now, "mentions": users,
                } for destination_id, users in rows.items()]).on_conflict_do_nothing()
                .returning(outbox.c.id))
            return len(result.all())

    @translate_errors
    async def queue_digest(self, destination: Destination, digest: Digest) -> bool:
        """Queue the destination's digest of `digest.week`; False when that week's is
        queued already (by this worker or another: the database keeps one)."""
        now = utcnow()
        async with self._write() as connection:
            destination_id = (destination.id if destination.id is not None
                              else await ensure_destination(connection, destination))
            result = await connection.execute(
                insert_for(connection, outbox).values(
                    story_id=None, destination_id=destination_id, revision=0,
                    status="pending", attempts=0, next_attempt_at=now, created_at=now,
                    action="digest", digest_week=digest.week,
                    body=json.dumps({"series": digest.series, "lines": list(digest.lines)}))
                .on_conflict_do_nothing().returning(outbox.c.id))
            return result.first() is not None

    @translate_errors
    async def claim(self, now: datetime, *, limit: int, worker: str, lease_seconds: int,
                    platforms: Sequence[str] | None = None) -> list[OutboxItem]:
        """Lease due rows, oldest first. A lease that runs out (the worker died mid-send)
        makes the row claimable again: delivery is at least once."""
        now = utc(now)
        lease, read = _claim_statements(platforms is not None)
        async with self._write() as connection:
            claimed = [row.id for row in await connection.execute(lease, {
                "now": now, "limit": limit, "worker": worker,
                "lease_until": now + timedelta(seconds=lease_seconds),
                "platforms": list(platforms or ())})]
            if not claimed:
                return []
            rows = (await connection.execute(read, {"claimed": claimed})).all()
            also = await _source_names(connection, {row.id for row in rows
                                                    if row.id is not None})
            await _drop_denials_shown(connection, rows)
        return [OutboxItem(id=row.o_id,
                           story=(replace(story_of(row), also_reported_by=also.get(row.id, ()))
                                  if row.id is not None else None),
                           digest=_digest_of(row),
                           destination=destination_of(row, "d_"), attempts=row.o_attempts,
                           mentions=tuple(row.o_mentions.split()), claims=row.o_claims,
                           reply_to=row.o_reply_to if row.o_action == "post" else None,
                           edit=row.o_action in _EDITS,
                           edit_of=row.o_latest if row.o_action in _EDITS else None)
                for row in rows]

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
                        outbox.c.revision < sent.revision, outbox.c.status == "pending",
                        outbox.c.action != "denial")
                    .values(status="superseded"))

    @translate_errors
    async def outbox_entries(self, *, statuses: Collection[str] | None = None,
                             platform: str | None = None, workspace: str | None = None,
                             failed_only: bool = False, limit: int = 50
                             ) -> list[OutboxEntry]:
        query = (select(outbox.c.id.label("o_id"), outbox.c.status, outbox.c.attempts,
                        outbox.c.last_error, outbox.c.created_at.label("o_created_at"),
                        outbox.c.next_attempt_at, outbox.c.sent_at, stories.c.summary,
                        outbox.c.digest_week, *destination_columns())
                 .outerjoin(stories, stories.c.id == outbox.c.story_id)
                 .join(destinations, destinations.c.id == outbox.c.destination_id)
                 .order_by(outbox.c.id.desc()).limit(limit))
        if statuses is not None:
            query = query.where(outbox.c.status.in_(list(statuses)))
        if platform is not None:
            query = query.where(destinations.c.platform == platform)
        if workspace is not None:
            query = query.where(destinations.c.workspace == workspace)
        if failed_only:
            query = query.where(outbox.c.last_error.is_not(None),
                                outbox.c.status.in_(("pending", "dead")))
        async with self._read() as connection:
            return [OutboxEntry(
                id=row.o_id, destination=destination_of(row, "d_"),
                summary=row.summary or f"weekly digest {row.digest_week}",
                status=row.status, attempts=row.attempts, last_error=row.last_error,
                created_at=row.o_created_at, next_attempt_at=row.next_attempt_at,
                sent_at=row.sent_at) for row in await connection.execute(query)]

    @translate_errors
    async def failed_counts(self, platform: str, workspace: str) -> tuple[int, int]:
        """The workspace's rows with an error: (still retrying, given up)."""
        query = (select(outbox.c.status, func.count())
                 .join(destinations, destinations.c.id == outbox.c.destination_id)
                 .where(destinations.c.platform == platform,
                        destinations.c.workspace == workspace,
                        outbox.c.last_error.is_not(None),
                        outbox.c.status.in_(("pending", "dead")))
                 .group_by(outbox.c.status))
        async with self._read() as connection:
            counts = {status: count for status, count in await connection.execute(query)}
        return counts.get("pending", 0), counts.get("dead", 0)

    @translate_errors
    async def mark_sent_many(self, sent: Mapping[int, str | None], now: datetime) -> None:
        """Settle many sent rows in one transaction (a fan-out sends hundreds a second; one
        transaction each would make the database the bottleneck), keeping each post's
        message reference, and supersede the older revisions of their stories."""
        if not sent:
            return
        ids = sorted(sent)
        settle, supersede, keep_ref = _settle_statements()
        async with self._write() as connection:
            for start in range(0, len(ids), _SENT_CHUNK):
                chunk = ids[start:start + _SENT_CHUNK]
                await connection.execute(settle, {"ids": chunk, "now": utc(now)})
                await connection.execute(supersede, {"ids": chunk})
            refs = [{"row_id": row_id, "ref": ref} for row_id, ref in sent.items() if ref]
            if refs:
                await connection.execute(keep_ref, refs)

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
