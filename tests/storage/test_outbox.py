from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.models import Destination, DestinationKind, Status, Story, Subscription, TargetKind
from storage import SqlStore
from tests.fakes.db import open_test_store, truncate_all
from tests.storage.helpers import article, at, blomqvist_extraction, move

NOW = at(0) + timedelta(days=365 * 5)  # after every row's creation time
DISCORD = Destination(platform="discord", workspace="g1", channel="c1")
SLACK = Destination(platform="slack", workspace="T1", channel="C1")
CONSOLE = Destination(platform="console", workspace="local", user="me",
                      kind=DestinationKind.DM)


async def _stories(store: SqlStore, count: int = 1) -> list[Story]:
    feed = await store.add_feed("https://news.example/rss")
    stories: list[Story] = []
    for index in range(count):
        [new] = await store.add_articles(feed.id, [article(f"a{index}")])
        stories += await store.record_extraction(new, move(f"Driver {index}", team="Team",
                                                           season=2024))
    return stories


async def _destinations(store: SqlStore, *wanted: Destination) -> list[Destination]:
    for destination in wanted:
        await store.follow(Subscription(destination=destination, target=TargetKind.SERIES,
                                        value="IMSA"))
    return await store.matching_destinations({TargetKind.SERIES: {"IMSA"}})


async def test_enqueue_once_per_story_destination_and_revision(store: SqlStore) -> None:
    [story] = await _stories(store)
    destinations = await _destinations(store, DISCORD, SLACK)
    assert await store.enqueue(story, destinations) == 2
    assert await store.enqueue(story, destinations) == 0
    assert await store.enqueue(story, []) == 0
    # a destination given without an id is found (or made) by its identity
    assert await store.enqueue(story, [DISCORD, CONSOLE]) == 1
    # a new revision is news again
    from dataclasses import replace

    assert await store.enqueue(replace(story, revision=2), destinations) == 2


async def test_claim_by_platform_oldest_first_and_mark_sent(store: SqlStore) -> None:
    stories = await _stories(store, 3)
    destinations = await _destinations(store, DISCORD, SLACK)
    for story in stories:
        await store.enqueue(story, destinations)
    items = await store.claim(NOW, limit=10, worker="w1", lease_seconds=60,
                              platforms=["discord"])
    assert [i.story.id for i in items] == [s.id for s in stories]
    assert {i.destination.platform for i in items} == {"discord"}
    assert items[0].story.summary == stories[0].summary and items[0].attempts == 0
    assert await store.claim(NOW, limit=10, worker="w2", lease_seconds=60,
                             platforms=["discord"]) == []
    for item in items:
        await store.mark_sent(item.id, NOW)
    # sent rows are never claimed again, even when their lease would have run out
    assert await store.claim(NOW + timedelta(hours=1), limit=10, worker="w2",
                             lease_seconds=60, platforms=["discord"]) == []
    assert len(await store.claim(NOW, limit=2, worker="w3", lease_seconds=60)) == 2


async def test_a_dead_workers_rows_are_claimed_again_after_the_lease(store: SqlStore) -> None:
    [story] = await _stories(store)
    await store.enqueue(story, await _destinations(store, DISCORD))
    [first] = await store.claim(NOW, limit=5, worker="crashed", lease_seconds=120)
    # the worker dies without mark_sent: nothing for 120 seconds, then the row is back
    assert await store.claim(NOW + timedelta(seconds=119), limit=5, worker="w2",
                             lease_seconds=120) == []
    [again] = await store.claim(NOW + timedelta(seconds=120), limit=5, worker="w2",
                                lease_seconds=120)
    assert again.id == first.id and again.story.id == story.id


async def test_failures_retry_later_count_attempts_and_die(store: SqlStore) -> None:
    [story] = await _stories(store)
    await store.enqueue(story, await _destinations(store, DISCORD))
    [item] = await store.claim(NOW, limit=1, worker="w", lease_seconds=60)
    await store.mark_failed(item.id, "429", NOW + timedelta(minutes=5))
    assert await store.claim(NOW + timedelta(minutes=4), limit=1, worker="w",
                             lease_seconds=60) == []
    [retry] = await store.claim(NOW + timedelta(minutes=5), limit=1, worker="w",
                                lease_seconds=60)
    assert retry.attempts == 1
    await store.mark_failed(retry.id, "500", None)
    assert await store.claim(NOW + timedelta(days=1), limit=1, worker="w",
                             lease_seconds=60) == []


async def test_broken_and_retired_destinations(store: SqlStore) -> None:
    stories = await _stories(store, 2)
    destinations = await _destinations(store, DISCORD, SLACK)
    for story in stories:
        await store.enqueue(story, destinations)
    discord = next(d for d in destinations if d.platform == "discord")
    slack = next(d for d in destinations if d.platform == "slack")
    assert discord.id is not None and slack.id is not None
    assert await store.mark_destination_broken(discord.id, "missing access")
    items = await store.claim(NOW, limit=10, worker="w", lease_seconds=60)
    assert {i.destination.platform for i in items} == {"slack"}
    await store.retire_destination(slack.id)
    assert await store.subscriptions_for("slack", "T1", None) == []
    assert await store.claim(NOW + timedelta(hours=1), limit=10, worker="w",
                             lease_seconds=60) == []


async def test_alert_for_the_blomqvist_story_reaches_the_alerts_channel(store: SqlStore
                                                                         ) -> None:
    feed = await store.add_feed("https://news.example/rss")
    [new] = await store.add_articles(feed.id, [article("blomqvist")])
    stories = await store.record_extraction(new, blomqvist_extraction())
    await store.set_alert_channel(DISCORD)
    for story in stories:
        await store.enqueue(story, await store.matching_destinations({}))
    items = await store.claim(NOW, limit=10, worker="w", lease_seconds=60)
    assert sorted(i.story.move.team or "" for i in items) == ["Action Express Racing",
                                                             "Meyer Shank Racing"]


@pytest.mark.postgres
async def test_concurrent_claimers_never_share_a_row(pg_url: str) -> None:
    one = await open_test_store(url=pg_url, upgrade_url=False)
    two = await open_test_store(url=pg_url, upgrade_url=False)
    try:
        await truncate_all(one)
        stories = await _stories(one, 30)
        destinations = await _destinations(one, DISCORD)
        for story in stories:
            await one.enqueue(story, destinations)

        async def drain(store: SqlStore, worker: str) -> list[int]:
            got: list[int] = []
            while batch := await store.claim(NOW, limit=4, worker=worker, lease_seconds=600):
                got += [item.id for item in batch]
                await asyncio.sleep(0)
            return got

        first, second = await asyncio.gather(drain(one, "w1"), drain(two, "w2"))
        assert not set(first) & set(second)
        assert len(first) + len(second) == 30
    finally:
        await one.close()
        await two.close()


async def test_an_unsent_older_revision_is_not_sent_twice(store: SqlStore) -> None:
    feed = await store.add_feed("https://news.example/rss")
    [rumour_article, confirmed_article] = await store.add_articles(
        feed.id, [article("rumour"), article("confirmed")])
    [rumour] = await store.record_extraction(rumour_article, move(
        "Felipe Nasr", team="Porsche Penske", season=2025, status=Status.RUMOUR))
    destinations = await _destinations(store, DISCORD)
    await store.enqueue(rumour, destinations)
    [confirmed] = await store.record_extraction(confirmed_article, move(
        "Felipe Nasr", team="Porsche Penske", season=2025))
    await store.enqueue(confirmed, destinations)
    # both rows are pending; only the newest revision goes out
    [item] = await store.claim(NOW, limit=10, worker="w", lease_seconds=60)
    assert item.story.revision == 2 and item.story.move.status is Status.CONFIRMED
    await store.mark_sent(item.id, NOW)
    assert await store.claim(NOW + timedelta(hours=1), limit=10, worker="w",
                             lease_seconds=60) == []


async def test_mention_followers_move_with_the_alerts_channel(store: SqlStore) -> None:
    old = Destination(platform="discord", workspace="g1", channel="old")
    new = Destination(platform="discord", workspace="g1", channel="new")
    mention = Destination(platform="discord", workspace="g1", channel="old", user="u1",
                          kind=DestinationKind.MENTION)
    await store.set_alert_channel(old)
    await store.follow(Subscription(destination=mention, target=TargetKind.TEAM,
                                    value="Porsche Penske"))
    await store.set_alert_channel(new)
    [follow] = [s for s in await store.subscriptions_for("discord", "g1", "u1")]
    assert follow.destination.channel == "new"
    found = await store.matching_destinations({TargetKind.TEAM: {"Porsche Penske"}})
    assert sorted((d.kind.value, d.channel) for d in found) == [("channel", "new"),
                                                                ("mention", "new")]


async def test_mentions_claims_batched_settling_and_the_first_post(store: SqlStore) -> None:
    """One channel post names its followers; a second claim says an earlier try may have
    posted; many rows settle in one go with their message references, superseding older
    revisions; a later revision learns where the first went out."""
    from dataclasses import replace

    [story] = await _stories(store)
    [discord, slack] = await _destinations(store, DISCORD, SLACK)
    assert await store.enqueue(story, [discord, slack],
                               mentions={discord: ("u2", "u1", "u2")}) == 2
    first = {item.destination.platform: item for item in
             await store.claim(NOW, limit=10, worker="w1", lease_seconds=60)}
    assert first["discord"].mentions == ("u1", "u2")
    assert first["slack"].mentions == ()
    assert not first["discord"].resend and first["discord"].reply_to is None
    # w1 dies; its lease runs out and w2 claims the rows again
    again = await store.claim(NOW + timedelta(seconds=61), limit=10, worker="w2",
                              lease_seconds=60)
    assert all(item.resend for item in again)
    await store.mark_sent_many({item.id: f"chan:{item.id}" for item in again}, NOW)
    assert await store.claim(NOW + timedelta(seconds=200), limit=10, worker="w3",
                             lease_seconds=60) == []
    shown = await store.outbox_entries(statuses=["sent"])
    assert {entry.destination.platform for entry in shown} == {"discord", "slack"}

    confirmed = replace(story, revision=2)
    await store.enqueue(confirmed, [discord])
    [follow_up] = await store.claim(NOW + timedelta(seconds=300), limit=10, worker="w3",
                                    lease_seconds=60)
    assert follow_up.reply_to == f"chan:{first['discord'].id}"
    await store.mark_sent_many({follow_up.id: None}, NOW)
    assert await store.outbox_entries(failed_only=True) == []
