"""One post per story per channel on Slack: the alerts channel's followers share its post."""

from __future__ import annotations

import json

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


async def test_a_confirmation_answers_the_rumour_in_its_thread(store, slack):
    from dataclasses import replace

    from bot.models import Article, Destination, DestinationKind, Extraction, Move, MoveKind, Status

    await store.set_alert_channel(Destination(platform="slack", workspace=TEAM,
                                              channel="C0ALERTS", kind=DestinationKind.CHANNEL))
    sender = SlackSender(bot_token=BOT_TOKEN, api_base_url=slack.api_url, pace_seconds=0)
    worker = DeliveryWorker(store, {"slack": sender}, worker_id="t")
    feed = await store.add_feed("https://news.example/paddock.xml", title="Paddock")
    move = Move(driver="Oliver Bearman", kind=MoveKind.JOIN, team="Haas", series="F1",
                season=2025, status=Status.RUMOUR)
    for n, status in enumerate((Status.RUMOUR, Status.CONFIRMED)):
        (article,) = await store.add_articles(feed.id, [Article(entry_id=f"b{n}",
                                                                title="Bearman to Haas")])
        stories = await store.record_extraction(article, Extraction(
            moves=(replace(move, status=status),), summaries=("Oliver Bearman → Haas",)))
        await route_stories(store, stories, gazetteer())
        assert (await worker.run_once()).sent == 1
    first, second = slack.posted()
    assert "thread_ts" not in first.args
    assert second.args["thread_ts"] == first.response["ts"]
    assert second.args["reply_broadcast"] in (True, "true", "1")
    # ...and the rumour's own post now shows the confirmed story.
    (update,) = slack.calls_to("chat.update", ok_only=True)
    assert update.args["ts"] == first.response["ts"]
    assert not update.args["text"].startswith("Rumour")
    assert first.args["text"].startswith("Rumour")


async def test_a_second_source_updates_the_post_once(store, slack):
    from bot.models import Article, Destination, DestinationKind, Extraction, Move, MoveKind

    await store.set_alert_channel(Destination(platform="slack", workspace=TEAM,
                                              channel="C0ALERTS", kind=DestinationKind.CHANNEL))
    sender = SlackSender(bot_token=BOT_TOKEN, api_base_url=slack.api_url, pace_seconds=0)
    worker = DeliveryWorker(store, {"slack": sender}, worker_id="t")
    move = Move(driver="Oliver Bearman", kind=MoveKind.JOIN, team="Haas", series="F1",
                season=2025)
    for n, outlet in enumerate(("Paddock", "RACER")):
        feed = await store.add_feed(f"https://{outlet.lower()}.example/rss", title=outlet)
        (article,) = await store.add_articles(feed.id, [Article(
            entry_id=f"s{n}", title="Bearman to Haas", source=outlet)])
        stories = await store.record_extraction(article, Extraction(
            moves=(move,), summaries=("Oliver Bearman → Haas",)))
        await route_stories(store, stories, gazetteer())
        assert (await worker.run_once()).sent == 1
    assert (await worker.run_once()).sent == 0
    (post,) = slack.posted()
    (update,) = slack.calls_to("chat.update", ok_only=True)
    assert update.args["ts"] == post.response["ts"]
    assert "also reported by RACER" in json.dumps(update.args["blocks"])
    assert "also reported by" not in json.dumps(post.args["blocks"])
