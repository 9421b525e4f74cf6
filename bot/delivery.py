"""The delivery worker: claims alerts from the outbox and hands them to the platforms'
senders, retrying, retiring or marking what fails as the failure says."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.cards import render_alert
from bot.models import Destination, utcnow
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


class DeliveryWorker:
    """Claims outbox rows and hands them to the platform senders.

    Rows are leased, so a worker killed mid-send leaves its rows to be claimed again once
    the lease runs out: delivery is at least once, and never lost."""

    def __init__(self, store: Store, senders: Mapping[str, AlertSender], *,
                 worker_id: str, gazetteer: Gazetteer | None = None,
                 lease_seconds: int = 120) -> None:
        self._store = store
        self._senders = senders  # shared, not copied: platforms may connect later
        self._worker_id = worker_id
        self._gazetteer = gazetteer
        self._lease_seconds = lease_seconds

    async def run_once(self, *, limit: int = 50, now: datetime | None = None) -> DeliveryReport:
        report = DeliveryReport()
        if not self._senders:
            return report
        now = now or utcnow()
        items = await self._store.claim(now, limit=limit, worker=self._worker_id,
                                        lease_seconds=self._lease_seconds,
                                        platforms=list(self._senders))
        started = time.monotonic()
        for index, item in enumerate(items):
            if time.monotonic() - started > self._lease_seconds / 2:
                # Past half the lease another worker may soon claim these rows; sending them
                # now could post twice. Left alone, they return to the queue when it ends.
                report.deferred = len(items) - index
                log.warning("delivery batch slow: %d alerts left for the next lease",
                            report.deferred)
                break
            sender = self._senders[item.destination.platform]
            alert = render_alert(item.story, item.destination, self._gazetteer)
            try:
                await sender.send(alert)
            except RetryLater as exc:
                await self._retry(item.id, item.attempts, str(exc), now, report,
                                  exc.retry_after)
            except DestinationForbidden as exc:
                report.dropped += 1
                await self._store.mark_failed(item.id, f"forbidden: {exc}", None)
                if item.destination.id is not None and await self._store.mark_destination_broken(
                        item.destination.id, str(exc)):
                    await self._tell_moderators(sender, item.destination, str(exc))
            except DestinationGone as exc:
                report.dropped += 1
                await self._store.mark_failed(item.id, f"gone: {exc}", None)
                if item.destination.id is not None:
                    await self._store.retire_destination(item.destination.id)
            except InstallRevoked as exc:
                report.dropped += 1
                await self._store.mark_failed(item.id, f"install revoked: {exc}", None)
                if item.destination.id is not None:
                    await self._store.mark_destination_broken(item.destination.id, str(exc))
            except Exception as exc:  # an adapter bug must not stop the other deliveries
                log.exception("delivery of outbox row %s failed", item.id)
                await self._retry(item.id, item.attempts, repr(exc), now, report, None)
            else:
                report.sent += 1
                await self._store.mark_sent(item.id, utcnow())
        return report

    async def _retry(self, item_id: int, attempts: int, error: str, now: datetime,
                     report: DeliveryReport, retry_after: float | None) -> None:
        report.errors.append(error)
        if attempts + 1 >= MAX_ATTEMPTS:
            report.dropped += 1
            await self._store.mark_failed(item_id, error, None)
            return
        report.retried += 1
        await self._store.mark_failed(item_id, error, now + backoff(attempts, retry_after))

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
