"""Who wants a story: the subscriptions it answers to, and one outbox row per story and
interested destination."""

from __future__ import annotations

from bot.keys import car_key, name_key
from bot.models import Story, TargetKind
from bot.ports import Gazetteer, Store


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
