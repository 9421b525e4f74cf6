"""The delivery worker's promises: at least once, never lost, failures handled by kind.

The sender here is a recording double of the AlertSender port; the real Discord and
Slack senders are tested against fake platform servers in tests/adapters."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from bot.delivery import DeliveryWorker
from bot.messages import Alert
from bot.models import (
    Article,
    Destination,
    DestinationKind,
    Extraction,
    Move,
    MoveKind,
    Subscription,
    TargetKind,
    utcnow,
)
from bot.ports import DestinationForbidden, DestinationGone, RetryLater


class RecordingSender:
    platform = "discord"

    def __init__(self, *failures: Exception) -> None:
        self.failures = list(failures)
        self.sent: list[Alert] = []
        self.notices: list[tuple[str, str]] = []

    async def send(self, alert: Alert) -> None:
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append(alert)

    async def notify_moderators(self, workspace: str, text: str) -> None:
        self.notices.append((workspace, text))


async def queue_one_story(store, channel="chan-1"):
    feed = await store.add_feed("https://n.example/rss")
    [article] = await store.add_articles(feed.id, [Article(entry_id="a", title="t")])
    [story] = await store.record_extraction(article, Extraction(
        moves=(Move(driver="Oliver Bearman", kind=MoveKind.JOIN, team="Haas", series="F1",
                    season=2025),), summaries=("Oliver Bearman → Haas (F1 2025)",)))
    destination = Destination(platform="discord", workspace="g", channel=channel,
                              kind=DestinationKind.CHANNEL)
    await store.set_alert_channel(destination)
    [matched] = await store.matching_destinations({})
    assert await store.enqueue(story, [matched]) == 1
    assert await store.enqueue(story, [matched]) == 0  # one row per story × destination
    return story, matched


async def test_retry_later_then_delivered_once(store):
    await queue_one_story(store)
    sender = RecordingSender(RetryLater("429", retry_after=3))
    worker = DeliveryWorker(store, {"discord": sender}, worker_id="w1")
    first = await worker.run_once()
    assert (first.sent, first.retried) == (0, 1)
    assert (await worker.run_once()).sent == 0  # not due yet: Retry-After honoured
    later = await worker.run_once(now=utcnow() + timedelta(seconds=5))
    assert later.sent == 1
    assert len(sender.sent) == 1
    assert (await worker.run_once(now=utcnow() + timedelta(hours=1))).sent == 0


async def test_forbidden_marks_destination_and_tells_moderators_once(store):
    _, destination = await queue_one_story(store)
    sender = RecordingSender(DestinationForbidden("Missing Access"))
    worker = DeliveryWorker(store, {"discord": sender}, worker_id="w1")
    report = await worker.run_once()
    assert report.dropped == 1
    assert len(sender.notices) == 1
    assert "Missing Access" in sender.notices[0][1]
    assert await store.matching_destinations({}) == []  # broken destinations get nothing
    assert not await store.mark_destination_broken(destination.id, "again")


async def test_gone_retires_the_destination(store):
    await queue_one_story(store)
    sender = RecordingSender(DestinationGone("Unknown Channel"))
    worker = DeliveryWorker(store, {"discord": sender}, worker_id="w1")
    assert (await worker.run_once()).dropped == 1
    assert await store.subscriptions_for("discord", "g", None) == []


async def test_worker_killed_mid_send_is_redelivered_after_the_lease(store):
    await queue_one_story(store)
    now = utcnow()
    # A worker claimed the row and died before marking it sent.
    claimed = await store.claim(now, limit=10, worker="dead", lease_seconds=60)
    assert len(claimed) == 1
    sender = RecordingSender()
    worker = DeliveryWorker(store, {"discord": sender}, worker_id="w2")
    assert (await worker.run_once(now=now)).sent == 0  # still leased
    assert (await worker.run_once(now=now + timedelta(seconds=61))).sent == 1
    assert len(sender.sent) == 1


async def test_unexpected_sender_bug_is_retried_not_lost(store):
    await queue_one_story(store)
    sender = RecordingSender(RuntimeError("adapter bug"))
    worker = DeliveryWorker(store, {"discord": sender}, worker_id="w1")
    assert (await worker.run_once()).retried == 1
    assert (await worker.run_once(now=utcnow() + timedelta(hours=2))).sent == 1


class SlowSender(RecordingSender):
    def __init__(self, seconds: float) -> None:
        super().__init__()
        self.seconds = seconds

    async def send(self, alert: Alert) -> None:
        await asyncio.sleep(self.seconds)
        await super().send(alert)


async def more_stories(store, count: int):
    feed = await store.add_feed("https://n.example/more")
    stories = []
    for n in range(count):
        [article] = await store.add_articles(feed.id, [Article(entry_id=f"m{n}", title="t")])
        stories += await store.record_extraction(article, Extraction(
            moves=(Move(driver=f"Driver Number{n}", kind=MoveKind.JOIN, team="Haas",
                        series="F1", season=2025),), summaries=(f"Driver {n} → Haas",)))
    return stories


async def test_a_batch_slower_than_half_its_lease_stops_instead_of_racing(store):
    _, channel = await queue_one_story(store, channel="c1")
    for story in await more_stories(store, 3):  # one channel's alerts go out in order
        assert await store.enqueue(story, [channel]) == 1
    slow = SlowSender(0.3)
    worker = DeliveryWorker(store, {"discord": slow}, worker_id="slow", lease_seconds=1)
    now = utcnow()
    report = await worker.run_once(now=now)
    # About two sends fit in half of the 1 s lease; the rest wait for it to run out.
    assert report.sent >= 1
    assert report.deferred >= 1
    assert report.sent + report.deferred == 4
    assert [a.story_id for a in slow.sent] == sorted(a.story_id for a in slow.sent)
    other = DeliveryWorker(store, {"discord": RecordingSender()}, worker_id="other")
    assert (await other.run_once(now=now)).sent == 0  # still leased by the slow worker
    later = await other.run_once(now=now + timedelta(seconds=2))
    assert later.sent == report.deferred
    assert len(slow.sent) + later.sent == 4  # every alert once, none twice


async def test_different_channels_are_sent_concurrently(store):
    [story] = await more_stories(store, 1)
    for n in range(8):
        await store.follow(Subscription(
            destination=Destination(platform="discord", workspace=f"g{n}", channel=f"c{n}",
                                    kind=DestinationKind.CHANNEL),
            target=TargetKind.TEAM, value="Haas"))
    assert await store.enqueue(story, await store.matching_destinations(
        {TargetKind.TEAM: {"haas"}})) == 8
    meeting = MeetingSender(8)
    report = await DeliveryWorker(store, {"discord": meeting}, worker_id="w").run_once()
    # Each send returned only once all eight were under way: sent one after another, the
    # first would have waited for the others in vain and failed (and been retried).
    assert report.sent == 8 and report.retried == 0
    assert meeting.most_at_once == 8
    again = await DeliveryWorker(store, {"discord": meeting}, worker_id="w").run_once()
    assert again.sent == 0


class MeetingSender(RecordingSender):
    """Each send waits until `parties` sends are under way at once (or fails after a
    while): a proof of concurrency that no busy machine's timing can fake or break."""

    def __init__(self, parties: int) -> None:
        super().__init__()
        self.barrier = asyncio.Barrier(parties)
        self.under_way = 0
        self.most_at_once = 0

    async def send(self, alert: Alert) -> None:
        self.under_way += 1
        self.most_at_once = max(self.most_at_once, self.under_way)
        try:
            async with asyncio.timeout(5):
                await self.barrier.wait()
        except (TimeoutError, asyncio.BrokenBarrierError) as exc:
            await self.barrier.abort()  # the sends still to come fail at once
            raise RetryLater("the other sends never came") from exc
        finally:
            self.under_way -= 1
        await super().send(alert)


async def test_every_failure_is_logged_with_its_channel_and_reason(store, caplog):
    await queue_one_story(store, channel="c-forbidden")
    sender = RecordingSender(DestinationForbidden("403 Missing Access"))
    with caplog.at_level(logging.WARNING, logger="bot.delivery"):
        await DeliveryWorker(store, {"discord": sender}, worker_id="w").run_once()
    [line] = [r.getMessage() for r in caplog.records]
    assert "discord:g channel c-forbidden" in line and "403 Missing Access" in line
    assert "marked unusable" in line

    caplog.clear()
    [story] = await more_stories(store, 1)
    flaky = Destination(platform="discord", workspace="g2", channel="c-retry",
                       kind=DestinationKind.CHANNEL)
    await store.enqueue(story, [flaky])
    sender = RecordingSender(RetryLater("503 Service Unavailable"))
    with caplog.at_level(logging.WARNING, logger="bot.delivery"):
        await DeliveryWorker(store, {"discord": sender}, worker_id="w").run_once()
    [line] = [r.getMessage() for r in caplog.records]
    assert "discord:g2 channel c-retry" in line and "503 Service Unavailable" in line
    assert "retrying in" in line


async def test_moderators_see_their_servers_failures_and_no_one_elses(store):
    from bot.commands import Commands
    from tests.bot.test_commands import MOD, say

    commands = Commands(store)
    assert "No failed alerts" in (await say(commands, "/alerts status", **MOD)).text
    await say(commands, "/alerts channel 555", **MOD)
    [story] = await more_stories(store, 1)
    [alerts_channel] = await store.matching_destinations({})
    elsewhere = Destination(platform="discord", workspace="guild-2", channel="777",
                            kind=DestinationKind.CHANNEL)
    await store.enqueue(story, [alerts_channel, elsewhere])
    sender = RecordingSender(DestinationForbidden("403 Missing Access"),
                             RetryLater("503 Service Unavailable"))
    await DeliveryWorker(store, {"discord": sender}, worker_id="w").run_once()

    status = (await say(commands, "/alerts status", **MOD)).text
    assert "Alerts channel <#555>: cannot post there (403 Missing Access)" in status
    assert "Driver 0 → Haas → <#555>: given up: forbidden: 403 Missing Access" in status
    assert "777" not in status and "503" not in status  # another server's trouble
    refused = await say(commands, "/alerts status", **{**MOD, "is_moderator": False})
    assert refused.error


async def test_feed_list_counts_the_servers_failed_alerts(store):
    from bot.commands import Commands
    from tests.bot.test_commands import MOD, say

    commands = Commands(store)
    assert "Failed alerts here: none." in (await say(commands, "/feed list", **MOD)).text
    await say(commands, "/alerts channel 555", **MOD)
    stories = await more_stories(store, 3)
    [alerts_channel] = await store.matching_destinations({})
    elsewhere = Destination(platform="discord", workspace="guild-2", channel="777",
                            kind=DestinationKind.CHANNEL)
    for story in stories:
        await store.enqueue(story, [alerts_channel, elsewhere])
    # Here: the first alert fails for now (503), the second is sent, the third is refused
    # for good (403); the other server's three fail for now and are not counted here.
    outcomes = {("555", stories[0].id): RetryLater("503"),
                ("555", stories[2].id): DestinationForbidden("403"),
                **{("777", story.id): RetryLater("503") for story in stories}}

    class KeyedSender(RecordingSender):
        async def send(self, alert: Alert) -> None:
            failure = outcomes.get((alert.destination.channel, alert.story_id))
            if failure is not None:
                raise failure
            self.sent.append(alert)

    sender = KeyedSender()
    await DeliveryWorker(store, {"discord": sender}, worker_id="w").run_once()
    assert [(a.destination.channel, a.story_id) for a in sender.sent] == [("555",
                                                                             stories[1].id)]
    listing = (await say(commands, "/feed list", **MOD)).text
    assert ("Failed alerts here: 2 (1 retrying, 1 given up). /alerts status lists them."
            in listing)
    other = await say(commands, "/feed list", **{**MOD, "workspace": "guild-2"})
    assert "Failed alerts here: 3 (3 retrying, 0 given up)" in other.text
