"""One post per story per channel, through the real commands, routing, outbox, worker and
discord.py against the fake Discord."""

from __future__ import annotations

from bot.alerts import route_stories
from bot.commands import Commands
from bot.delivery import DeliveryWorker
from bot.messages import CommandCall
from bot.models import Article, Destination, Extraction, Move, MoveKind, Status, Story
from bot.ports import Gazetteer
from storage import SqlStore
from tests.adapters.discord.conftest import ALERTS_CHANNEL_ID, GUILD_ID, seed_story
from tests.fakes.discord_server import FakeDiscord

FANS = (700000000000000011, 700000000000000012, 700000000000000013, 700000000000000014)


async def run(commands: Commands, name: str, user: int, is_moderator: bool = False,
              **options: str) -> str:
    reply = await commands.run(CommandCall(
        name=name, options=options, platform="discord", workspace=str(GUILD_ID),
        channel=str(ALERTS_CHANNEL_ID), user=str(user), is_moderator=is_moderator))
    assert not reply.error, reply.text
    return reply.text


async def test_a_channel_and_its_followers_get_one_post_naming_exactly_the_mentioned(
        bot, store: SqlStore, commands: Commands, gazetteer: Gazetteer,
        fake_discord: FakeDiscord) -> None:
    from adapters.discord import DiscordSender

    await run(commands, "alerts channel", 1, is_moderator=True,
              channel=str(ALERTS_CHANNEL_ID))
    quiet, loud, both, dm = FANS
    await run(commands, "follow", quiet, target="team", value="Cadillac")
    await run(commands, "follow", loud, target="team", value="Cadillac", via="mention")
    # A fan following the team and its driver is named once.
    await run(commands, "follow", both, target="team", value="Cadillac", via="mention")
    await run(commands, "follow", both, target="driver", value="Tom Blomqvist", via="mention")
    await run(commands, "follow", dm, target="team", value="Cadillac", via="dm")
    await run(commands, "follow", dm, target="driver", value="Tom Blomqvist", via="dm")

    story = await seed_story(store)
    assert await route_stories(store, [story], gazetteer) == 2  # the channel, one DM
    worker = DeliveryWorker(store, {"discord": DiscordSender(bot)}, worker_id="t",
                            gazetteer=gazetteer)
    report = await worker.run_once()
    assert (report.sent, report.errors) == (2, [])

    (post,) = fake_discord.messages(ALERTS_CHANNEL_ID)
    assert post["content"] == f"<@{loud}> <@{both}>"
    assert post["allowed_mentions"] == {"parse": [], "users": [loud, both]}
    assert len(post["embeds"]) == 1
    dm_posts = [r for r in fake_discord.requests if r.method == "POST"
                and r.path.endswith("/messages")
                and r.path != f"/channels/{ALERTS_CHANNEL_ID}/messages"]
    assert len(dm_posts) == 1
    assert dm_posts[0].json["allowed_mentions"] == {"parse": []}
    assert not dm_posts[0].json.get("content")
    assert (await worker.run_once()).sent == 0


async def _report(store: SqlStore, status: Status, n: int) -> Story:
    """An article reporting Bearman to Haas, as a rumour or confirmed."""
    feed = await store.add_feed("https://news.example/paddock.xml", title="Paddock")
    (article,) = await store.add_articles(feed.id, [Article(
        entry_id=f"b{n}", title="Bearman to Haas", source="Paddock")])
    (story,) = await store.record_extraction(article, Extraction(
        moves=(Move(driver="Oliver Bearman", kind=MoveKind.JOIN, team="Haas", series="F1",
                    season=2025, status=status),), summaries=("Oliver Bearman → Haas",)))
    return story


async def test_a_confirmation_replies_to_the_rumours_post(
        bot, store: SqlStore, gazetteer: Gazetteer, fake_discord: FakeDiscord) -> None:
    from adapters.discord import DiscordSender

    await store.set_alert_channel(Destination(platform="discord", workspace=str(GUILD_ID),
                                              channel=str(ALERTS_CHANNEL_ID)))
    from bot.metrics import MeasuredSender

    # Wrapped as `pitboard run` wraps it: the post's reference must come through.
    worker = DeliveryWorker(store, {"discord": MeasuredSender(DiscordSender(bot))},
                            worker_id="t", gazetteer=gazetteer)
    rumour = await _report(store, Status.RUMOUR, 0)
    await route_stories(store, [rumour], gazetteer)
    assert (await worker.run_once()).sent == 1
    confirmed = await _report(store, Status.CONFIRMED, 1)
    assert (rumour.revision, confirmed.revision) == (1, 2)
    await route_stories(store, [confirmed], gazetteer)
    assert (await worker.run_once()).sent == 1

    first, second = [r for r in fake_discord.requests_to(
        "POST", f"/channels/{ALERTS_CHANNEL_ID}/messages")]
    assert "message_reference" not in first.json or not first.json["message_reference"]
    first_id = first.answer["id"]
    assert str(second.json["message_reference"]["message_id"]) == first_id
    assert second.json["message_reference"]["fail_if_not_exists"] is False
    # ...and the rumour's own post now shows the confirmed story.
    (edit,) = fake_discord.requests_to("PATCH", f"/channels/{ALERTS_CHANNEL_ID}/messages/"
                                                f"{first_id}")
    assert edit.json["embeds"][0]["footer"]["text"].startswith("✅ Confirmed")
    assert first.json["embeds"][0]["footer"]["text"].startswith("💬 Rumour")


async def test_a_second_source_edits_the_post_once(
        bot, store: SqlStore, gazetteer: Gazetteer, fake_discord: FakeDiscord) -> None:
    from adapters.discord import DiscordSender

    await store.set_alert_channel(Destination(platform="discord", workspace=str(GUILD_ID),
                                              channel=str(ALERTS_CHANNEL_ID)))
    worker = DeliveryWorker(store, {"discord": DiscordSender(bot)}, worker_id="t",
                            gazetteer=gazetteer)
    story = await _report(store, Status.CONFIRMED, 0)
    await route_stories(store, [story], gazetteer)
    assert (await worker.run_once()).sent == 1
    (post,) = fake_discord.requests_to("POST", f"/channels/{ALERTS_CHANNEL_ID}/messages")

    # Another outlet reports the same move: no new post, an edit of the first.
    feed = await store.add_feed("https://racer.example/rss.xml", title="RACER")
    (article,) = await store.add_articles(feed.id, [Article(
        entry_id="r1", title="Haas signs Bearman", source="RACER")])
    assert await store.record_extraction(article, Extraction(
        moves=(Move(driver="Oliver Bearman", kind=MoveKind.JOIN, team="Haas", series="F1",
                    season=2025),), summaries=("Oliver Bearman → Haas",))) == []
    assert (await worker.run_once()).sent == 1
    assert (await worker.run_once()).sent == 0  # exactly once
    assert len(fake_discord.messages(ALERTS_CHANNEL_ID)) == 1
    (edit,) = fake_discord.requests_to(
        "PATCH", f"/channels/{ALERTS_CHANNEL_ID}/messages/{post.answer['id']}")
    assert edit.json["embeds"][0]["footer"]["text"] == (
        "✅ Confirmed · Paddock · also reported by RACER")
