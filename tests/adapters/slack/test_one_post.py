"""One post per story per channel on Slack: the alerts channel's followers share its post."""

from __future__ import annotations

from adapters.slack.sender import SlackSender
from bot.alerts import route_stories
from bot.delivery import DeliveryWorker
from bot.messages import CommandCall
from bot.rules import gazetteer
from tests.adapters.slack.conftest import BOT_TOKEN, TEAM, seed_story


async def run(commands, name: str, user: str, is_moderator: bool = False,
              **options: str) -> str:
    reply = await commands.run(CommandCall(
        name=name, options=options, platform="slack", workspace=TEAM, channel="C0ALERTS",
        user=user, is_moderator=is_moderator))
    assert not reply.error, reply.text
    return reply.text


async def test_followers_share_the_channel_post_and_only_the_mentioned_are_named(
        store, slack, commands):
    await run(commands, "alerts channel", "UMOD", is_moderator=True, channel="C0ALERTS")
    await run(commands, "follow", "UQUIET1", target="team", value="Cadillac")
    await run(commands, "follow", "UQUIET2", target="team", value="Cadillac", via="channel")
    await run(commands, "follow", "ULOUD", target="team", value="Cadillac", via="mention")
    await run(commands, "follow", "ULOUD", target="driver", value="Tom Blomqvist",
              via="mention")
    stories = await seed_story(store)
    assert await route_stories(store, stories, gazetteer()) == 1
    sender = SlackSender(bot_token=BOT_TOKEN, api_base_url=slack.api_url, pace_seconds=0)
    report = await DeliveryWorker(store, {"slack": sender}, worker_id="t").run_once()
    assert (report.sent, report.errors) == (1, [])
    (post,) = slack.posted()
    assert post.args["channel"] == "C0ALERTS"
    assert post.args["text"].startswith("<@ULOUD> ")
    assert "UQUIET" not in post.args["text"]
