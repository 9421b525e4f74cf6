"""Stories through the real delivery worker and outbox (SQLite) to the fake Slack."""

from __future__ import annotations

import json
from datetime import timedelta

from adapters.slack.moderators import moderators_from_settings
from adapters.slack.sender import SlackSender
from bot.alerts import route_stories
from bot.cards import render_alert
from bot.delivery import DeliveryWorker, outbox_key
from bot.models import Destination, DestinationKind, utcnow
from tests.adapters.slack.conftest import BOT_TOKEN, TEAM, seed_story

EVIL = "<!channel> <@U123> & <https://evil|click>"


def worker(store, slack) -> DeliveryWorker:
    sender = SlackSender(bot_token=BOT_TOKEN, api_base_url=slack.api_url, pace_seconds=0,
                         moderator_ids=moderators_from_settings(store))
    return DeliveryWorker(store, {"slack": sender}, worker_id="test-worker")


async def alerts_channel(store, channel: str) -> None:
    await store.set_alert_channel(Destination(platform="slack", workspace=TEAM,
                                              channel=channel, kind=DestinationKind.CHANNEL))


async def queue_story(store, **kwargs) -> int:
    stories = await seed_story(store, **kwargs)
    assert stories
    return await route_stories(store, stories, None)


async def test_a_hostile_feed_item_arrives_escaped_and_inert(store, slack):
    await alerts_channel(store, "C0ALERTS")
    assert await queue_story(store, title=EVIL, team=EVIL, summary=f"{EVIL} signs") == 1
    report = await worker(store, slack).run_once()
    assert report.sent == 1, report.errors
    [post] = slack.posted()
    assert post.args["channel"] == "C0ALERTS"
    wire = json.dumps({"text": post.args["text"], "blocks": post.args["blocks"]},
                      ensure_ascii=False)
    for live in ("<!channel>", "<@U123>", "<https://evil", "|click>"):
        assert live not in wire
    escaped = "&lt;!channel&gt; &lt;@U123&gt; &amp; &lt;https://evil|click&gt;"
    assert post.args["text"] == f"{escaped} signs"
    assert escaped in post.args["blocks"][0]["text"]["text"]  # the summary
    assert any(escaped in b.get("text", {}).get("text", "") for b in post.args["blocks"][1:])
    assert not post.args.get("link_names")


async def test_429_is_retried_and_the_alert_posted_once(store, slack):
    await alerts_channel(store, "C0ALERTS")
    await queue_story(store)
    slack.rate_limit("chat.postMessage", retry_after=0)
    report = await worker(store, slack).run_once()
    assert (report.sent, report.retried, report.dropped) == (1, 0, 0)
    assert [c.status for c in slack.calls_to("chat.postMessage")] == [429, 200]
    assert len(slack.posted()) == 1
    assert (await worker(store, slack).run_once()).sent == 0  # nothing left to send


async def test_channel_not_found_retires_the_destination(store, slack):
    await alerts_channel(store, "C0GONE")
    await queue_story(store)
    slack.fail("chat.postMessage", "channel_not_found")
    report = await worker(store, slack).run_once()
    assert (report.sent, report.dropped) == (0, 1)
    assert await store.matching_destinations({}) == []
    # The next story has nowhere to go, and nothing more is tried.
    assert await queue_story(store, title="Second story", summary="Second",
                             driver="Jordan Taylor") == 0
    assert (await worker(store, slack).run_once()).sent == 0
    assert len(slack.calls_to("chat.postMessage")) == 1


async def test_not_in_channel_marks_it_and_tells_the_moderators_once(store, slack):
    await store.set_setting("slack", TEAM, "moderators", "UMOD")
    await alerts_channel(store, "C0PRIVATE")
    await queue_story(store)
    slack.fail("chat.postMessage", "not_in_channel")
    report = await worker(store, slack).run_once()
    assert report.dropped == 1
    [notice] = slack.posted()
    assert notice.args["channel"] == "DMOD"
    assert "<#C0PRIVATE>" in notice.args["text"] and "not_in_channel" in notice.args["text"]
    [broken] = await store.subscriptions_for("slack", TEAM, None)
    assert broken.destination.broken
    assert await store.matching_destinations({}) == []
    assert await queue_story(store, title="Second story", summary="Second",
                             driver="Jordan Taylor") == 0
    await worker(store, slack).run_once()
    assert len(slack.posted()) == 1  # told once


async def test_a_revoked_token_marks_the_install(store, slack):
    await alerts_channel(store, "C0ALERTS")
    await queue_story(store)
    slack.fail("chat.postMessage", "token_revoked")
    report = await worker(store, slack).run_once()
    assert (report.sent, report.dropped) == (0, 1)
    [sub] = await store.subscriptions_for("slack", TEAM, None)
    assert sub.destination.broken and "token_revoked" in sub.destination.broken


async def test_a_post_whose_answer_was_lost_is_found_not_posted_again(store, slack):
    await alerts_channel(store, "C0ALERTS")
    await queue_story(store)
    slack.lose_answer("chat.postMessage")  # Slack posts it, the bot hears a 503
    first = await worker(store, slack).run_once()
    assert (first.sent, first.retried) == (0, 1)
    assert len(slack.history["C0ALERTS"]) == 1
    later = utcnow() + timedelta(hours=1)
    second = await worker(store, slack).run_once(now=later)
    assert second.sent == 1
    assert len(slack.history["C0ALERTS"]) == 1  # looked, found it, did not post again
    assert len(slack.calls_to("conversations.history")) == 1
    [post] = slack.history["C0ALERTS"]
    assert post["metadata"]["event_type"] == "pitboard_alert"
    assert post["metadata"]["event_payload"]["outbox_key"].startswith("pitboard-outbox-")


async def test_a_worker_killed_after_posting_does_not_post_twice(store, slack):
    await alerts_channel(store, "C0ALERTS")
    await queue_story(store)
    now = utcnow()
    # The first worker claims the row and posts it, then dies before settling it.
    [item] = await store.claim(now, limit=10, worker="dead", lease_seconds=60)
    sender = SlackSender(bot_token=BOT_TOKEN, api_base_url=slack.api_url, pace_seconds=0)
    await sender.send(render_alert(item.story, item.destination, key=outbox_key(item)))
    assert len(slack.posted()) == 1
    # Its lease runs out; another worker takes the row over and looks before posting.
    report = await worker(store, slack).run_once(now=now + timedelta(seconds=61))
    assert report.sent == 1
    assert len(slack.posted()) == 1
    # A first try looks nowhere: no history call for an alert never claimed before.
    await queue_story(store, title="Second story", summary="Second", driver="Jordan Taylor")
    assert (await worker(store, slack).run_once(now=now + timedelta(seconds=62))).sent == 1
    assert len(slack.calls_to("conversations.history")) == 1
    assert len(slack.posted()) == 2


async def test_the_weekly_digest_is_posted_once_though_its_answer_was_lost(store, slack):
    from bot.digest import queue_digests

    await alerts_channel(store, "C0ALERTS")
    await queue_story(store)
    assert (await worker(store, slack).run_once()).sent == 1  # the story's alert
    assert (await queue_digests(store, ["slack"], utcnow())).queued == 1
    slack.lose_answer("chat.postMessage")  # Slack posts the digest, the bot hears a 503
    first = await worker(store, slack).run_once()
    assert (first.sent, first.retried) == (0, 1)
    second = await worker(store, slack).run_once(now=utcnow() + timedelta(hours=1))
    assert second.sent == 1
    digests = [m for m in slack.history["C0ALERTS"]
               if m["text"].startswith("This week's confirmed driver moves")]
    assert len(digests) == 1  # looked in the history, found it, did not post again
    assert digests[0]["metadata"]["event_payload"]["outbox_key"].startswith("pitboard-outbox-")
    assert "Tom Blomqvist" in json.dumps(digests[0]["blocks"])
