"""One post per story per channel, through the real commands, routing, outbox, worker and
discord.py against the fake Discord."""

from __future__ import annotations

from bot.alerts import route_stories
from bot.commands import Commands
from bot.delivery import DeliveryWorker
from bot.messages import CommandCall
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
