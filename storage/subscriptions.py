"""Destinations (a channel, a DM, a mention in the alerts channel) and what they follow."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import replace
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.models import Destination, DestinationKind, Subscription, TargetKind, utcnow
from storage.base import StoreBase, insert_for
from storage.columns import NAME_CHARS, clip, target_key
from storage.errors import translate_errors
from storage.tables import destinations, subscriptions

ALERTS_CHANNEL_VALUE = "*"
# Followers whose alerts are the alerts channel's one post.
_IN_CHANNEL_KINDS = (DestinationKind.MENTION.value, DestinationKind.FOLLOWER.value)


def destination_of(row: Any, prefix: str = "") -> Destination:
    def get(name: str) -> Any:
        return getattr(row, prefix + name)

    return Destination(
        platform=get("platform"), workspace=get("workspace"), channel=get("channel") or None,
        user=get("user") or None, kind=DestinationKind(get("kind")), id=get("id"),
        broken=get("broken"),
    )


def destination_columns() -> list[Any]:
    """The destination's columns under names that cannot clash with the joined table's."""
    return [column.label(f"d_{column.name}") for column in destinations.c]


async def ensure_destination(connection: AsyncConnection, destination: Destination, *,
                         unbreak: bool = False) -> int:
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


class SubscriptionStorage(StoreBase):
    """`bot.ports.SubscriptionStore`."""

    @translate_errors
    async def follow(self, subscription: Subscription) -> bool:
        async with self._write() as connection:
            destination_id = await ensure_destination(connection, subscription.destination,
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
                        subscriptions.c.value, *destination_columns())
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
            destination_id = await ensure_destination(connection, channel, unbreak=True)
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
        """Followers alerted in the alerts channel (mentioned or not) follow it to the new
        one (unless they already have such a destination there)."""
        twin = destinations.alias("twin")
        await connection.execute(
            update(destinations)
            .where(destinations.c.platform == channel.platform,
                   destinations.c.workspace == channel.workspace,
                   destinations.c.kind.in_(_IN_CHANNEL_KINDS),
                   destinations.c.channel.in_(old_channels),
                   ~select(twin.c.id).where(
                       twin.c.platform == destinations.c.platform,
                       twin.c.workspace == destinations.c.workspace,
                       twin.c.kind == destinations.c.kind,
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

