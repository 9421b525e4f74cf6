"""The delivery worker: claims alerts from the outbox and hands them to the platforms'
senders, retrying, retiring or marking what fails as the failure says."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import random
import time
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from bot.cards import render_alert
from bot.digest import digest_alert
from bot.models import Destination, DestinationKind, OutboxItem, utcnow
from bot.ports import (
    AlertSender,
    DestinationForbidden,
    DestinationGone,
    Gazetteer,
    InstallRevoked,
    RetryLater,
    Store,
)

log = logging.getLogger(__name__)

# A failing send is retried with backoff for about a day, then given up as dead.
MAX_ATTEMPTS = 12
# Rows claimed (and sent concurrently) at once: enough to keep Discord's 50 requests a
# second busy for a few seconds per claim, few enough to finish well inside the lease.
DEFAULT_BATCH = 200
# Sent rows are settled together once this many wait, or the first has waited this long:
# a transaction per row or two would cost a fan-out more than its sends (on a busy
# machine the database's share of the CPU slows the sends' pacing too).
SETTLE_ROWS = 100
SETTLE_SECONDS = 0.25


def freeze_startup_heap() -> None:
    """Keep what start-up built (imported modules, the gazetteer, the rules engine's tables:
    well over 100,000 objects that live as long as the process) out of the cyclic garbage
    collector's full collections, which walk every object they track. Unfrozen, one full
    collection during a fan-out held the event loop for 0.25-0.3 s on a busy machine, and
    every pace timer due meanwhile fired that late (bench_fanout, Slack at 100 ms: 10.4 s
    for what takes 9.8 s frozen). Frozen objects are still freed by reference counting;
    start-up's garbage cycles are collected first so that none stays for good."""
    gc.collect()
    gc.freeze()


@dataclass(slots=True)
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    dropped: int = 0
    deferred: int = 0  # claimed but left for the lease to run out: sending took too long
    errors: list[str] = field(default_factory=list)


def backoff(attempts: int, retry_after: float | None = None) -> timedelta:
    if retry_after is not None:
        return timedelta(seconds=max(retry_after, 1.0))
    base = min(2 ** attempts * 15, 3600)
    return timedelta(seconds=base * (0.8 + 0.4 * random.random()))


def outbox_key(item: OutboxItem) -> str:
    """The row, as a platform may label its message with it: unique per alert, the same
    on every try."""
    return f"pitboard-outbox-{item.id}"


def describe(destination: Destination) -> str:
    """Where an alert goes, as a log line names it."""
    where = (f"channel {destination.channel}" if destination.kind is not DestinationKind.DM
             else f"DM to user {destination.user}")
    return f"{destination.platform}:{destination.workspace} {where}"


@dataclass(slots=True)
class _Run:
    """The state of one run_once: what is claimed, queued per destination, and sent."""

    limit: int
    now: datetime
    started: float
    exhausted: bool = False
    unsent: int = 0
    queues: dict[object, deque[tuple[OutboxItem, float]]] = field(default_factory=dict)
    tasks: set[asyncio.Task[None]] = field(default_factory=set)
    sent: dict[int, str | None] = field(default_factory=dict)
    first_sent_at: float = 0.0  # when the oldest row of `sent` was sent
    # a row was sent first, the settle batch is full, or a destination's task ended
    progress: asyncio.Event = field(default_factory=asyncio.Event)


class DeliveryWorker:
    """Claims outbox rows and hands them to the platform senders.

    Rows are leased, so a worker killed mid-send leaves its rows to be claimed again once
    the lease runs out: delivery is at least once, and never lost (the senders make the
    resend a no-op: Discord nonces, Slack message metadata).

    A claimed batch is sent concurrently, one task per destination: alerts to different
    channels overlap (bounded by the batch size), those to one channel stay in order. The
    senders pace each request as the platform counts it, so concurrency never turns into
    429s. Sent rows are settled in batches, not one transaction each."""

    def __init__(self, store: Store, senders: Mapping[str, AlertSender], *,
                 worker_id: str, gazetteer: Gazetteer | None = None,
                 lease_seconds: int = 120, batch: int = DEFAULT_BATCH) -> None:
        self._store = store
        self._senders = senders  # shared, not copied: platforms may connect later
        self._worker_id = worker_id
        self._gazetteer = gazetteer
        self._lease_seconds = lease_seconds
        self._batch = batch

    async def run_once(self, *, limit: int | None = None, now: datetime | None = None
                       ) -> DeliveryReport:
        """Send what is due, until the outbox has nothing more that was due when this run
        started claiming (rows that fail are retried by a later run, not this one).

        At most `limit` (the batch size) alerts are claimed and unsent at any moment; as
        they go out, more are claimed, so a fan-out never idles between batches."""
        report = DeliveryReport()
        if not self._senders:
            return report
        run = _Run(limit or self._batch, now or utcnow(), time.monotonic())
        while True:
            room = run.limit - run.unsent
            if not run.exhausted and room >= max(run.limit // 4, 1):
                await self._claim_more(run, room, report)
            settle_in = SETTLE_SECONDS - (time.monotonic() - run.first_sent_at)
            if run.sent and (not run.tasks or len(run.sent) >= SETTLE_ROWS
                             or settle_in <= 0):
                # Group commit: what was sent is settled at once, in one transaction, while
                # the sends go on; what they send meanwhile makes the next batch.
                await self._settle(run, report)
                continue
            if not run.tasks:
                break
            # One event the tasks set (a row sent first or the settle batch full, a
            # destination drained), not asyncio.wait on every task: that adds and removes a
            # callback on each of up to `limit` tasks per wake-up, thousands of times a
            # fan-out, and its CPU delays the sends' pace timers.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(run.progress.wait(),
                                       timeout=settle_in if run.sent else None)
            run.progress.clear()
        if report.deferred:
            log.warning("delivery slow: %d alerts left for the next lease", report.deferred)
        return report

    async def _claim_more(self, run: _Run, room: int, report: DeliveryReport) -> None:
        claimed_at = time.monotonic()
        items = await self._store.claim(
            run.now + timedelta(seconds=claimed_at - run.started), limit=room,
            worker=self._worker_id, lease_seconds=self._lease_seconds,
            platforms=list(self._senders))
        if len(items) < room:
            run.exhausted = True
        # Past half the lease another worker may soon claim these rows; sending them then
        # could post twice. Left alone, they return to the queue when the lease ends.
        deadline = claimed_at + self._lease_seconds / 2
        for item in items:
            key = item.destination.id or item.destination
            run.unsent += 1
            queue = run.queues.get(key)
            if queue is not None:  # that destination's task is still going: keep order
                queue.append((item, deadline))
                continue
            run.queues[key] = deque([(item, deadline)])
            run.tasks.add(asyncio.create_task(self._drain(run, key, report)))

    async def _drain(self, run: _Run, key: object, report: DeliveryReport) -> None:
        """One destination's alerts, one after another, in the order they were queued."""
        queue = run.queues[key]
        try:
            while queue:
                item, deadline = queue.popleft()
                run.unsent -= 1
                if time.monotonic() > deadline:
                    report.deferred += 1
                    continue
                try:
                    ref = await self._send_one(item, run.now, report)
                except Exception:  # settling failed (database away): the lease brings it back
                    log.exception("could not settle outbox row %s", item.id)
                    continue
                if ref is not False:
                    if not run.sent:  # wakes run_once to time the settling
                        run.first_sent_at = time.monotonic()
                        run.progress.set()
                    run.sent[item.id] = ref
                    if len(run.sent) >= SETTLE_ROWS:
                        run.progress.set()
        finally:
            del run.queues[key]
            run.tasks.discard(asyncio.current_task())  # type: ignore[arg-type]
            run.progress.set()

    async def _settle(self, run: _Run, report: DeliveryReport) -> None:
        if not run.sent:
            return
        sent, run.sent = run.sent, {}
        await self._store.mark_sent_many(sent, utcnow())
        report.sent += len(sent)

    async def _send_one(self, item: OutboxItem, now: datetime, report: DeliveryReport
                        ) -> str | Literal[False] | None:
        """Send one row; its message reference when sent, False when it failed (and the
        failure is recorded, logged and acted on)."""
        destination = item.destination
        sender = self._senders[destination.platform]
        if item.edit and item.edit_of is None:
            return None  # the post left no reference to edit: settled, nothing to send
        if item.story is None:
            if item.digest is None:
                return None  # neither a story nor a digest: nothing to send
            alert = digest_alert(item.digest, destination, key=outbox_key(item),
                                 resend=item.resend)
        else:
            alert = render_alert(item.story, destination, self._gazetteer,
                                 mentions=item.mentions, key=outbox_key(item),
                                 resend=item.resend, reply_to=item.reply_to,
                                 edit_of=item.edit_of)
        try:
            return await sender.send(alert)
        except RetryLater as exc:
            await self._retry(item, str(exc), now, report, exc.retry_after)
        except DestinationForbidden as exc:
            report.dropped += 1
            report.errors.append(str(exc))
            log.warning("alert %s to %s refused, destination marked unusable: %s", item.id,
                        describe(destination), exc)
            await self._store.mark_failed(item.id, f"forbidden: {exc}", None)
            if destination.id is not None and await self._store.mark_destination_broken(
                    destination.id, str(exc)):
                await self._tell_moderators(sender, destination, str(exc))
        except DestinationGone as exc:
            report.dropped += 1
            report.errors.append(str(exc))
            log.warning("alert %s to %s: destination gone, its follows retired: %s", item.id,
                        describe(destination), exc)
            await self._store.mark_failed(item.id, f"gone: {exc}", None)
            if destination.id is not None:
                await self._store.retire_destination(destination.id)
        except InstallRevoked as exc:
            report.dropped += 1
            report.errors.append(str(exc))
            log.warning("alert %s to %s: install revoked, destination marked unusable: %s",
                        item.id, describe(destination), exc)
            await self._store.mark_failed(item.id, f"install revoked: {exc}", None)
            if destination.id is not None:
                await self._store.mark_destination_broken(destination.id, str(exc))
        except Exception as exc:  # an adapter bug must not stop the other deliveries
            log.exception("delivery of outbox row %s to %s failed", item.id,
                          describe(destination))
            await self._retry(item, repr(exc), now, report, None)
        return False

    async def _retry(self, item: OutboxItem, error: str, now: datetime,
                     report: DeliveryReport, retry_after: float | None) -> None:
        report.errors.append(error)
        where = describe(item.destination)
        if item.attempts + 1 >= MAX_ATTEMPTS:
            report.dropped += 1
            log.error("alert %s to %s given up after %d attempts: %s", item.id, where,
                      item.attempts + 1, error)
            await self._store.mark_failed(item.id, error, None)
            return
        report.retried += 1
        delay = backoff(item.attempts, retry_after)
        log.warning("alert %s to %s failed (attempt %d), retrying in %.0f s: %s", item.id,
                    where, item.attempts + 1, delay.total_seconds(), error)
        await self._store.mark_failed(item.id, error, now + delay)

    async def _tell_moderators(self, sender: AlertSender, destination: Destination,
                               reason: str) -> None:
        where = f"<#{destination.channel}>" if destination.channel else "a direct message"
        text = (f"Pitboard can no longer post alerts to {where} ({reason}). Check the "
                "bot's permissions there, or choose another channel with /alerts channel.")
        try:
            await sender.notify_moderators(destination.workspace, text)
        except Exception:  # telling moderators is best effort; the row is already settled
            log.warning("could not notify moderators of %s", destination.workspace,
                        exc_info=True)
