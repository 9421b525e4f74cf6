"""Who gets which story: follows by alias, and feeds scoped to the workspace that added
them."""

from __future__ import annotations

from bot.alerts import route_stories, story_targets
from bot.models import (
    Article,
    Destination,
    DestinationKind,
    Extraction,
    Move,
    MoveKind,
    Story,
    Subscription,
    TargetKind,
    utcnow,
)
from bot.rules import gazetteer


def channel(workspace: str, platform: str = "discord") -> Destination:
    return Destination(platform=platform, workspace=workspace, channel=f"{workspace}-alerts",
                       kind=DestinationKind.CHANNEL)


async def one_story(store, entry_id: str = "a1"):
    feed = await store.add_feed(f"https://n.example/{entry_id}.xml")
    [article] = await store.add_articles(feed.id, [Article(entry_id=entry_id, title="t")])
    return await store.record_extraction(article, Extraction(
        moves=(Move(driver="Tom Blomqvist", kind=MoveKind.JOIN, team="Action Express Racing",
                    car="31", series="IMSA", season=2024),),
        summaries=("Tom Blomqvist → Action Express Racing #31",)))


def test_a_story_answers_to_its_aliases_car_series_and_driver():
    story = Story(id=1, summary="s", move=Move(
        driver="Tom Blomqvist", kind=MoveKind.JOIN, team="Action Express Racing", car="#31",
        series="IMSA", season=2024))
    targets = story_targets(story, gazetteer())
    assert {"cadillac", "whelen", "action express racing"} <= targets[TargetKind.TEAM]
    assert targets[TargetKind.CAR] == {"31"}
    assert targets[TargetKind.SERIES] == {"imsa"}
    assert targets[TargetKind.DRIVER] == {"tom blomqvist"}


async def test_a_workspace_feed_alerts_only_that_workspace(store):
    await store.set_alert_channel(channel("guild-1"))
    await store.set_alert_channel(channel("guild-2"))
    await store.set_alert_channel(channel("T9", platform="slack"))
    fan = Destination(platform="discord", workspace="guild-2", user="fan", kind=DestinationKind.DM)
    await store.follow(Subscription(destination=fan, target=TargetKind.TEAM, value="Cadillac"))

    stories = await one_story(store, "from-guild-1")
    queued = await route_stories(store, stories, gazetteer(), feed_scope="discord:guild-1")
    assert queued == 1
    [item] = await store.claim(utcnow(), limit=10, worker="w", lease_seconds=60)
    assert (item.destination.workspace, item.destination.channel) == ("guild-1",
                                                                      "guild-1-alerts")


async def test_an_operator_feed_alerts_every_follower(store):
    await store.set_alert_channel(channel("guild-1"))
    await store.set_alert_channel(channel("guild-2"))
    fan = Destination(platform="discord", workspace="guild-2", user="fan", kind=DestinationKind.DM)
    await store.follow(Subscription(destination=fan, target=TargetKind.TEAM, value="Whelen"))
    stories = await one_story(store, "operator")
    assert await route_stories(store, stories, gazetteer(), feed_scope=None) == 3


async def test_followers_of_an_unusable_alerts_channel_queue_nothing_there(store):
    await store.set_alert_channel(channel("guild-1"))
    fan = Destination(platform="discord", workspace="guild-1", channel="guild-1-alerts",
                      user="fan", kind=DestinationKind.MENTION)
    await store.follow(Subscription(destination=fan, target=TargetKind.TEAM, value="Whelen"))
    [alerts] = await store.matching_destinations({})
    assert await store.mark_destination_broken(alerts.id, "403 Missing Access")
    assert await route_stories(store, await one_story(store, "broken"), gazetteer()) == 0
    assert await store.outbox_entries() == []
