"""Who wants a story: the subscriptions it answers to, and one outbox row per story and
interested destination."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

from bot.keys import car_key, name_key
from bot.models import Destination, DestinationKind, Story, TargetKind
from bot.ports import Gazetteer, Store

log = logging.getLogger(__name__)

# Discord allows naming at most 100 users in allowed_mentions, and 2,000 characters of
# content; the follow limits keep a channel's mention followers well under this.
MAX_MENTIONS_PER_POST = 80


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


@dataclass(frozen=True, slots=True)
class PostPlan:
    """Where one story goes: each channel once (with the followers it mentions), each DM
    follower once."""

    destinations: tuple[Destination, ...]
    mentions: Mapping[Destination, tuple[str, ...]]


def plan_posts(destinations: list[Destination]) -> PostPlan:
    """Fold the alerts channel's followers into the one post their channel gets, naming
    those who asked for a mention.

    Without this a channel with an alerts subscription and fifty followers would get
    fifty-one identical posts of one story."""
    channels: dict[tuple[str, str, str], Destination] = {}
    mentioned: dict[tuple[str, str, str], list[str]] = {}
    singles: list[Destination] = []
    for destination in destinations:
        if destination.kind is DestinationKind.DM or not destination.channel:
            singles.append(destination)
            continue
        where = (destination.platform, destination.workspace, destination.channel)
        if destination.kind is DestinationKind.CHANNEL:
            channels[where] = destination
        else:
            channels.setdefault(where, Destination(
                platform=destination.platform, workspace=destination.workspace,
                channel=destination.channel, kind=DestinationKind.CHANNEL))
            if destination.kind is DestinationKind.MENTION and destination.user:
                mentioned.setdefault(where, []).append(destination.user)
    mentions: dict[Destination, tuple[str, ...]] = {}
    for where, users in mentioned.items():
        unique = tuple(dict.fromkeys(users))
        if len(unique) > MAX_MENTIONS_PER_POST:
            log.warning("channel %s has %d followers to mention; the post names the first %d",
                        where[2], len(unique), MAX_MENTIONS_PER_POST)
            unique = unique[:MAX_MENTIONS_PER_POST]
        mentions[channels[where]] = unique
    return PostPlan(destinations=(*channels.values(), *dict.fromkeys(singles)),
                    mentions=mentions)


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
            plan = plan_posts(destinations)
            queued += await store.enqueue(story, plan.destinations, mentions=plan.mentions)
    return queued
