"""Alert delivery through discord.py's real HTTP client against the fake REST API."""

from __future__ import annotations

import asyncio
import socket
import time

import discord
import pytest

from adapters.discord import (
    ChannelPace,
    DiscordSender,
    PitboardDiscord,
    RequestPace,
    WindowPace,
)
from bot.cards import render_alert
from bot.commands import Commands
from bot.delivery import DeliveryWorker
from bot.messages import Alert, Card
from bot.models import Destination, DestinationKind, Story, TargetKind
from bot.ports import (
    AlertSender,
    DeliveryError,
    DestinationForbidden,
    DestinationGone,
    Gazetteer,
    RetryLater,
)
from storage import SqlStore
from tests.adapters.discord.conftest import (
    ALERTS_CHANNEL_ID,
    FAN_ID,
    GUILD_ID,
    MakeBot,
    seed_story,
)
from tests.fakes.discord_server import FakeDiscord, Limits

PING_TITLE = "@everyone <@&123> <@456> read this"
CHANNEL = str(ALERTS_CHANNEL_ID)


def channel_destination(channel: str = CHANNEL, **extra: object) -> Destination:
    return Destination(platform="discord", workspace=str(GUILD_ID), channel=channel,
                       kind=DestinationKind.CHANNEL, **extra)  # type: ignore[arg-type]


@pytest.fixture
def sender(bot: PitboardDiscord) -> DiscordSender:
    return DiscordSender(bot)


def test_the_sender_is_an_alert_sender(sender: DiscordSender) -> None:
    assert isinstance(sender, AlertSender)
    assert sender.platform == "discord"


async def test_an_alert_from_a_feed_pings_no_one(sender: DiscordSender, store: SqlStore,
                                                 gazetteer: Gazetteer,
                                                 fake_discord: FakeDiscord) -> None:
    story = await seed_story(store, title=PING_TITLE, summary=PING_TITLE, entry_id="ping")
    await sender.send(render_alert(story, channel_destination(), gazetteer))

    (sent,) = fake_discord.messages(CHANNEL)
    assert sent["allowed_mentions"] == {"parse": []}
    assert "content" not in sent or not sent["content"]
    (embed,) = sent["embeds"]
    # Shown as written, but no token Discord would parse as a mention survives.
    assert embed["title"].replace("\u200b", "") == PING_TITLE
    for token in ("@everyone", "<@&123>", "<@456>"):
        assert token not in embed["title"]
        assert token not in embed.get("description", "")
    assert embed["url"] == "https://news.example/ping"
    assert embed["footer"]["text"] == "✅ Confirmed · IMSA Wire"
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert fields["Team"] == "Action Express Racing"
    assert fields["Teammates"] == "Pipo Derani"


async def test_a_personal_follow_mentions_only_the_follower(
        sender: DiscordSender, store: SqlStore, fake_discord: FakeDiscord) -> None:
    story = await seed_story(store, title=PING_TITLE, summary=PING_TITLE, entry_id="ping")
    destination = Destination(platform="discord", workspace=str(GUILD_ID), channel=CHANNEL,
                              user=str(FAN_ID), kind=DestinationKind.MENTION)
    await sender.send(render_alert(story, destination))
    (sent,) = fake_discord.messages(CHANNEL)
    assert sent["content"] == f"<@{FAN_ID}>"
    assert sent["allowed_mentions"] == {"parse": [], "users": [FAN_ID]}


async def test_a_dm_opens_the_channel_once_then_posts(
        sender: DiscordSender, store: SqlStore, fake_discord: FakeDiscord) -> None:
    story = await seed_story(store)
    destination = Destination(platform="discord", workspace=str(GUILD_ID), user=str(FAN_ID),
                              kind=DestinationKind.DM)
    await sender.send(render_alert(story, destination))
    await sender.send(render_alert(story, destination))
    (opened,) = fake_discord.requests_to("POST", "/users/@me/channels")
    assert opened.json == {"recipient_id": FAN_ID}
    dm_posts = [r for r in fake_discord.requests
                if r.method == "POST" and r.path.endswith("/messages")]
    assert len(dm_posts) == 2
    assert dm_posts[0].json["embeds"][0]["title"].startswith("Tom Blomqvist joins")
    assert dm_posts[0].json["allowed_mentions"] == {"parse": []}


async def test_a_429_is_waited_out_and_the_alert_delivered_once(
        sender: DiscordSender, store: SqlStore, fake_discord: FakeDiscord) -> None:
    story = await seed_story(store)
    path = f"/channels/{CHANNEL}/messages"
    fake_discord.fail("POST", path, 429, retry_after=0.2)
    started = time.monotonic()
    await sender.send(render_alert(story, channel_destination()))
    assert time.monotonic() - started >= 0.2  # discord.py slept as told
    attempts = fake_discord.requests_to("POST", path)
    assert [a.status for a in attempts] == [429, 200]
    assert len(fake_discord.messages(CHANNEL)) == 1


async def test_a_long_429_becomes_retry_later(make_bot: MakeBot, commands: Commands,
                                              store: SqlStore,
                                              fake_discord: FakeDiscord) -> None:
    bot = await make_bot(commands, max_ratelimit_timeout=1.0)
    story = await seed_story(store)
    fake_discord.fail("POST", f"/channels/{CHANNEL}/messages", 429, retry_after=600)
    with pytest.raises(RetryLater) as caught:
        await DiscordSender(bot).send(render_alert(story, channel_destination()))
    assert caught.value.retry_after == 600
    assert fake_discord.messages(CHANNEL) == []


@pytest.mark.parametrize(
    ("status", "error"),
    [(403, DestinationForbidden), (404, DestinationGone), (503, RetryLater),
     (401, RetryLater), (400, DeliveryError)],
)
async def test_http_failures_map_to_delivery_errors(
        sender: DiscordSender, store: SqlStore, fake_discord: FakeDiscord,
        status: int, error: type[Exception]) -> None:
    story = await seed_story(store)
    fake_discord.fail("POST", f"/channels/{CHANNEL}/messages", status)
    with pytest.raises(error) as caught:
        await sender.send(render_alert(story, channel_destination()))
    assert str(status) in str(caught.value)
    assert fake_discord.messages(CHANNEL) == []


async def test_a_cloudflare_429_is_retry_later(sender: DiscordSender, store: SqlStore,
                                               fake_discord: FakeDiscord) -> None:
    story = await seed_story(store)
    fake_discord.fail("POST", f"/channels/{CHANNEL}/messages", 429, via=False)
    with pytest.raises(RetryLater):
        await sender.send(render_alert(story, channel_destination()))


async def test_a_refused_dm_is_forbidden(sender: DiscordSender, store: SqlStore,
                                         fake_discord: FakeDiscord) -> None:
    story = await seed_story(store)
    fake_discord.fail("POST", "/users/@me/channels", 403, code=50007,
                      message="Cannot send messages to this user")
    destination = Destination(platform="discord", workspace=str(GUILD_ID), user=str(FAN_ID),
                              kind=DestinationKind.DM)
    with pytest.raises(DestinationForbidden, match="50007"):
        await sender.send(render_alert(story, destination))


async def test_a_destination_that_is_not_a_discord_id_is_gone(sender: DiscordSender,
                                                              store: SqlStore) -> None:
    story = await seed_story(store)
    with pytest.raises(DestinationGone):
        await sender.send(render_alert(story, channel_destination(channel="general")))


async def test_an_unreachable_discord_is_retry_later(
        bot: PitboardDiscord, store: SqlStore) -> None:
    story = await seed_story(store)
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = discord.http.Route.BASE
    discord.http.Route.BASE = f"http://127.0.0.1:{port}/api/v10"
    try:
        with pytest.raises(RetryLater, match="unreachable"):
            await DiscordSender(bot).send(render_alert(story, channel_destination()))
    finally:
        discord.http.Route.BASE = base


async def test_sending_before_login_is_retry_later(make_bot: MakeBot, commands: Commands,
                                                   store: SqlStore,
                                                   fake_discord: FakeDiscord) -> None:
    bot = await make_bot(commands, login=False)
    story = await seed_story(store)
    with pytest.raises(RetryLater, match="not logged in"):
        await DiscordSender(bot).send(render_alert(story, channel_destination()))
    assert fake_discord.requests == []


# ----- pace ---------------------------------------------------------------------------------


async def test_the_pace_holds_sends_to_its_rate(bot: PitboardDiscord,
                                                fake_discord: FakeDiscord) -> None:
    sender = DiscordSender(bot, pace=RequestPace(rate=100, burst=5))
    channels = [str(ALERTS_CHANNEL_ID + n) for n in range(45)]
    alerts = [Alert(story_id=n, revision=1, card=Card(title="paced"), text="paced",
                    destination=channel_destination(channel)) for n, channel in
              enumerate(channels)]
    started = time.monotonic()
    await asyncio.gather(*(sender.send(alert) for alert in alerts))
    elapsed = time.monotonic() - started
    # 5 may go at once, the other 40 wait for tokens at 100/s: at least 0.4 s in all.
    assert elapsed >= 0.39
    arrivals = sorted(r.at for r in fake_discord.requests if r.path.endswith("/messages"))
    assert len(arrivals) == 45
    # The server saw the last one no sooner than the tokens allowed (measured from the start:
    # a busy machine may delay the first arrival, which says nothing about the pace).
    assert arrivals[-1] - started >= 0.39


async def test_the_default_pace_never_lets_50_leave_in_one_second() -> None:
    pace = WindowPace()
    loop = asyncio.get_running_loop()
    left = []
    for _ in range(120):
        await pace.acquire()
        left.append(loop.time())
    busiest = max(sum(1 for t in left if start <= t < start + 1.0) for start in left)
    assert busiest <= 49
    assert left[-1] - left[0] >= 119 / 47 - 0.01  # evenly spaced, no burst


async def test_one_channel_gets_five_messages_in_five_seconds_at_most(
        bot: PitboardDiscord, fake_discord: FakeDiscord) -> None:
    sender = DiscordSender(bot, channel_pace=ChannelPace(count=5, window=0.5))
    limits = fake_discord.enforce_limits(Limits(channel_messages=5, channel_window=0.5))
    alerts = [Alert(story_id=n, revision=1, card=Card(title="c"), text="c",
                    destination=channel_destination()) for n in range(12)]
    await asyncio.gather(*(sender.send(alert) for alert in alerts))
    assert len(fake_discord.messages(CHANNEL)) == 12
    assert limits.limited == []  # paced by us, not by Discord's 429s


async def test_a_redelivered_alert_is_posted_once(sender: DiscordSender,
                                                  fake_discord: FakeDiscord) -> None:
    """A worker that dies after Discord posted but before the outbox row was marked sent
    sends the alert again; the nonce makes Discord answer with the first message."""
    alert = Alert(story_id=7, revision=1, card=Card(title="once"), text="once",
                  destination=channel_destination())
    await sender.send(alert)
    await sender.send(alert)
    posts = fake_discord.requests_to("POST", f"/channels/{CHANNEL}/messages")
    assert len(posts) == 2
    assert posts[0].json["nonce"] == posts[1].json["nonce"]
    assert posts[0].json["enforce_nonce"] is True
    assert len(posts[0].json["nonce"]) <= 25
    assert len(fake_discord.messages(CHANNEL)) == 1
    revised = Alert(story_id=7, revision=2, card=Card(title="confirmed"), text="confirmed",
                    destination=channel_destination())
    await sender.send(revised)
    assert len(fake_discord.messages(CHANNEL)) == 2


def test_a_shared_pace_stays_under_discords_global_limit() -> None:
    pace = RequestPace()
    assert pace.burst + pace.rate * 1.0 < 50


# ----- moderators and the delivery worker ---------------------------------------------------


async def test_moderators_hear_in_the_community_updates_channel(
        sender: DiscordSender, fake_discord: FakeDiscord) -> None:
    fake_discord.add_guild(GUILD_ID, system_channel_id=11, public_updates_channel_id=12)
    await sender.notify_moderators(str(GUILD_ID), "Pitboard can no longer post to <#5> @here")
    (notice,) = fake_discord.messages(12)
    assert notice["content"] == "Pitboard can no longer post to <#5> @\u200bhere"
    assert notice["allowed_mentions"] == {"parse": []}
    assert fake_discord.messages(11) == []


async def test_moderator_notice_falls_back_to_the_system_channel(
        sender: DiscordSender, fake_discord: FakeDiscord) -> None:
    fake_discord.add_guild(GUILD_ID, system_channel_id=11, public_updates_channel_id=12)
    fake_discord.fail("POST", "/channels/12/messages", 403)
    await sender.notify_moderators(str(GUILD_ID), "notice")
    assert len(fake_discord.messages(11)) == 1


async def test_moderator_notice_without_any_channel_does_not_raise(
        sender: DiscordSender, fake_discord: FakeDiscord) -> None:
    await sender.notify_moderators(str(GUILD_ID), "unknown guild")
    await sender.notify_moderators("dm", "no guild at all")
    assert not [r for r in fake_discord.requests if r.path.endswith("/messages")]


async def _queue_for_alerts_channel(store: SqlStore, story: Story) -> Destination:
    await store.set_alert_channel(channel_destination())
    (destination,) = await store.matching_destinations({TargetKind.DRIVER: {"nobody"}})
    await store.enqueue(story, [destination])
    return destination


async def test_worker_403_marks_the_destination_and_tells_moderators_once(
        sender: DiscordSender, store: SqlStore, gazetteer: Gazetteer,
        fake_discord: FakeDiscord) -> None:
    fake_discord.add_guild(GUILD_ID, system_channel_id=11)
    first = await seed_story(store)
    second = await seed_story(store, title="Pipo Derani joins Action Express Racing",
                              summary="Pipo Derani joins Action Express Racing",
                              entry_id="a2", driver="Pipo Derani")
    destination = await _queue_for_alerts_channel(store, first)
    await store.enqueue(second, [destination])
    fake_discord.fail("POST", f"/channels/{CHANNEL}/messages", 403, times=2)
    worker = DeliveryWorker(store, {"discord": sender}, worker_id="t", gazetteer=gazetteer)

    report = await worker.run_once()
    assert (report.sent, report.dropped) == (0, 2)
    assert await store.matching_destinations({TargetKind.DRIVER: {"nobody"}}) == []
    (notice,) = fake_discord.messages(11)  # one notice, not one per failed alert
    assert f"<#{CHANNEL}>" in notice["content"]
    assert notice["allowed_mentions"] == {"parse": []}
    assert (await worker.run_once()).sent == 0  # nothing retried into a broken channel


async def test_worker_404_retires_the_subscriptions(
        sender: DiscordSender, store: SqlStore, gazetteer: Gazetteer,
        fake_discord: FakeDiscord) -> None:
    story = await seed_story(store)
    await _queue_for_alerts_channel(store, story)
    fake_discord.fail("POST", f"/channels/{CHANNEL}/messages", 404)
    worker = DeliveryWorker(store, {"discord": sender}, worker_id="t", gazetteer=gazetteer)

    report = await worker.run_once()
    assert report.dropped == 1
    assert [s for s in await store.subscriptions_for("discord", str(GUILD_ID), None)
            if s.target is TargetKind.ALL] == []
    assert await store.matching_destinations({TargetKind.DRIVER: {"nobody"}}) == []
    assert fake_discord.messages(CHANNEL) == []
    assert fake_discord.messages(11) == []  # a deleted channel is no news for moderators


async def test_worker_delivers_through_a_429_exactly_once(
        sender: DiscordSender, store: SqlStore, gazetteer: Gazetteer,
        fake_discord: FakeDiscord) -> None:
    story = await seed_story(store)
    await _queue_for_alerts_channel(store, story)
    fake_discord.fail("POST", f"/channels/{CHANNEL}/messages", 429, retry_after=0.05)
    worker = DeliveryWorker(store, {"discord": sender}, worker_id="t", gazetteer=gazetteer)
    assert (await worker.run_once()).sent == 1
    assert (await worker.run_once()).sent == 0
    assert len(fake_discord.messages(CHANNEL)) == 1
