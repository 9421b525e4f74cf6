"""From stories to alerts: who wants this story, how it looks, and getting it delivered."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.keys import car_key, name_key
from bot.messages import Alert, Card, CardField
from bot.models import (
    Destination,
    DestinationKind,
    Move,
    Status,
    Story,
    TargetKind,
    utcnow,
)
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

STATUS_MARK = {Status.CONFIRMED: "✅ Confirmed", Status.RUMOUR: "💬 Rumour"}
# A failing send is retried with backoff for about a day, then given up as dead.
MAX_ATTEMPTS = 12


def story_targets(story: Story, gazetteer: Gazetteer | None) -> dict[TargetKind, set[str]]:
    """Every subscription key this story answers to: a follow of "Cadillac" or "Whelen"
    catches a story about Action Express Racing."""
    move = story.move
    targets: dict[TargetKind, set[str]] = {TargetKind.DRIVER: {name_key(move.driver)}}
    if move.team:
        teams = {name_key(move.team)}
        if gazetteer is not None:
            teams |= gazetteer.team_keys(move.team)
        targets[TargetKind.TEAM] = teams
    if move.car:
        targets[TargetKind.CAR] = {car_key(move.car)}
    if move.series:
        targets[TargetKind.SERIES] = {name_key(move.series)}
    return targets


def move_fields(move: Move) -> tuple[CardField, ...]:
    pairs = [
        ("Team", move.team),
        ("Car", f"#{move.car}" if move.car else None),
        ("Series", move.series),
        ("Season", str(move.season) if move.season else None),
        ("Role", move.role),
        ("From", move.from_team),
        ("Replaces", move.replaces),
        ("Teammates", ", ".join(move.teammates) if move.teammates else None),
    ]
    return tuple(CardField(name=name, value=value) for name, value in pairs if value)


def story_card(story: Story, gazetteer: Gazetteer | None = None) -> Card:
    move = story.move
    source = story.source
    footer_bits = [STATUS_MARK[move.status]]
    if source and source.name:
        footer_bits.append(source.name)
    return Card(
        title=story.summary,
        description=source.title if source else None,
        fields=move_fields(move),
        url=source.url if source else None,
        colour=gazetteer.team_colour(move.team) if gazetteer and move.team else None,
        footer=" · ".join(footer_bits),
        timestamp=(source.published if source and source.published else story.updated_at),
        status=move.status,
    )


def render_alert(story: Story, destination: Destination,
                 gazetteer: Gazetteer | None = None) -> Alert:
    card = story_card(story, gazetteer)
    marker = "" if story.move.status is Status.CONFIRMED else "Rumour: "
    return Alert(
        story_id=story.id,
        revision=story.revision,
        card=card,
        text=f"{marker}{story.summary}",
        destination=destination,
        mention_user=destination.user if destination.kind is DestinationKind.MENTION else None,
    )


def workspace_scope(platform: str, workspace: str) -> str:
    """How a feed records the workspace that added it ("discord:1234")."""
    return f"{platform}:{workspace}"


async def route_stories(store: Store, stories: list[Story], gazetteer: Gazetteer | None,
                        *, feed_scope: str | None = None) -> int:
    """Queue one outbox row per story × interested destination; returns rows queued.

    A feed one workspace's moderators added alerts that workspace only: otherwise any
    server could push whatever its feed says into every other server's channels. Operator
    feeds (scope None) alert everyone who follows."""
    queued = 0
    for story in stories:
        destinations = await store.matching_destinations(story_targets(story, gazetteer))
        if feed_scope is not None:
            destinations = [d for d in destinations
                            if workspace_scope(d.platform, d.workspace) == feed_scope]
        if destinations:
            queued += await store.enqueue(story, destinations)
    return queued


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
