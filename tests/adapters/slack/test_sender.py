from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime

import pytest

from adapters.slack.oauth import open_slack_oauth
from adapters.slack.sender import SlackSender
from bot.cards import render_alert
from bot.models import Destination, DestinationKind, Move, MoveKind, Source, Story
from bot.ports import (
    AlertSender,
    DestinationForbidden,
    DestinationGone,
    InstallRevoked,
    RetryLater,
)
from tests.adapters.slack.conftest import BOT_TOKEN, TEAM
from tests.fakes.slack_server import FakeSlack

STORY = Story(id=1, summary="Tom Blomqvist joins Action Express Racing",
              move=Move(driver="Tom Blomqvist", kind=MoveKind.JOIN,
                        team="Action Express Racing", car="31", series="IMSA", season=2024),
              source=Source(title="Blomqvist to AXR", url="https://news.example/1",
                            name="Sportscar365",
                            published=datetime(2024, 1, 5, tzinfo=UTC)))


def alert(channel: str = "C1", **destination):
    fields = {"platform": "slack", "workspace": TEAM, "channel": channel, **destination}
    return render_alert(STORY, Destination(**fields))


def sender(slack: FakeSlack, **kwargs) -> SlackSender:
    kwargs.setdefault("bot_token", BOT_TOKEN)
    kwargs.setdefault("pace_seconds", 0)
    return SlackSender(api_base_url=slack.api_url, **kwargs)


def test_implements_the_port(slack):
    assert isinstance(sender(slack), AlertSender)
    assert sender(slack).platform == "slack"


async def test_channel_post_without_unfurls_or_link_names(slack):
    await sender(slack).send(alert())
    [post] = slack.posted()
    assert post.token == BOT_TOKEN
    assert post.args["channel"] == "C1"
    assert post.args["unfurl_links"] is False and post.args["unfurl_media"] is False
    assert post.args.get("link_names") in (None, False)
    assert "Tom Blomqvist joins Action Express Racing" in post.args["text"]
    assert post.args["blocks"][0]["type"] == "section"


async def test_dm_opens_a_conversation_first_and_remembers_it(slack):
    out = sender(slack)
    dm = alert(channel=None, user="U42", kind=DestinationKind.DM)
    await out.send(dm)
    await out.send(dm)
    assert [c.args["users"] for c in slack.calls_to("conversations.open")] == ["U42"]
    assert [p.args["channel"] for p in slack.posted()] == ["D42", "D42"]


async def test_429_with_retry_after_is_retried_and_posted_once(slack):
    slack.rate_limit("chat.postMessage", retry_after=0)
    started = time.monotonic()
    await sender(slack).send(alert())
    attempts = slack.calls_to("chat.postMessage")
    assert [c.status for c in attempts] == [429, 200]
    assert len(slack.posted()) == 1
    assert time.monotonic() - started < 5


async def test_a_long_retry_after_is_left_to_the_worker(slack):
    slack.rate_limit("chat.postMessage", retry_after=120)
    with pytest.raises(RetryLater) as caught:
        await sender(slack).send(alert())
    assert caught.value.retry_after == 120
    assert slack.posted() == []


@pytest.mark.parametrize(("error", "expected"), [
    ("channel_not_found", DestinationGone),
    ("not_in_channel", DestinationForbidden),
    ("is_archived", DestinationForbidden),
    ("invalid_auth", InstallRevoked),
    ("token_revoked", InstallRevoked),
    ("account_inactive", InstallRevoked),
    ("internal_error", RetryLater),
    ("something_new", RetryLater),
])
async def test_slack_errors_map_to_delivery_errors(slack, error, expected):
    slack.fail("chat.postMessage", error)
    with pytest.raises(expected, match=error):
        await sender(slack).send(alert())


async def test_server_errors_and_dead_connections_are_retry_later(slack):
    slack.server_error("chat.postMessage", status=503)
    with pytest.raises(RetryLater, match="503"):
        await sender(slack).send(alert())
    gone = SlackSender(bot_token=BOT_TOKEN, api_base_url="http://127.0.0.1:9/api/",
                       pace_seconds=0, timeout=2)
    with pytest.raises(RetryLater):
        await gone.send(alert())


async def test_dm_to_a_user_who_left_is_gone(slack):
    slack.fail("conversations.open", "user_not_found")
    with pytest.raises(DestinationGone):
        await sender(slack).send(alert(channel=None, user="U9", kind=DestinationKind.DM))


async def test_revoked_token_is_not_used_again(slack):
    out = sender(slack)
    slack.fail("chat.postMessage", "token_revoked")
    with pytest.raises(InstallRevoked):
        await out.send(alert())
    with pytest.raises(InstallRevoked):
        await out.send(alert("C2"))
    assert len(slack.calls_to("chat.postMessage")) == 1


async def test_refused_blocks_fall_back_to_text(slack):
    slack.fail("chat.postMessage", "invalid_blocks")
    await sender(slack).send(alert())
    [post] = slack.posted()
    assert "blocks" not in post.args
    assert post.args["text"] == "Tom Blomqvist joins Action Express Racing"


async def test_posts_to_one_channel_are_paced(slack):
    out = sender(slack, pace_seconds=0.3)
    started = time.monotonic()
    await asyncio.gather(out.send(alert("C1")), out.send(alert("C2")))
    assert time.monotonic() - started < 0.25  # different channels do not wait for each other
    await asyncio.gather(out.send(alert("C1")), out.send(alert("C1")))
    assert time.monotonic() - started >= 0.6  # the 2nd and 3rd post to C1 waited their turn
    assert len(slack.posted()) == 4


async def test_notify_moderators_dms_each_listed_moderator(slack):
    async def moderators(workspace):
        assert workspace == TEAM
        return ["U7", "U8"]

    slack.fail("conversations.open", "user_disabled")  # one unreachable moderator
    await sender(slack, moderator_ids=moderators).notify_moderators(
        TEAM, "Cannot post to <#C1> (<!channel> test)")
    [post] = slack.posted()
    assert post.args["channel"] == "D8"
    assert "<#C1>" in post.args["text"] and "<!channel>" not in post.args["text"]


async def test_tokens_come_from_the_installation_store(slack, database_url):
    from slack_sdk.oauth.installation_store.models.installation import Installation

    oauth = await open_slack_oauth(client_id="111.222", client_secret="s",
                                   database_url=database_url)
    try:
        await oauth.installation_store.async_save(Installation(
            app_id="A1", team_id="T2", bot_token="xoxb-team2", bot_id="B2",
            bot_user_id="UB2", user_id="UINSTALLER", bot_scopes=["chat:write"]))
        slack.add_workspace("T2", "xoxb-team2")
        out = SlackSender(installation_store=oauth.installation_store,
                          api_base_url=slack.api_url, pace_seconds=0)
        await out.send(alert(workspace="T2"))
        assert slack.posted()[-1].token == "xoxb-team2"
        # With no moderators listed, whoever installed the app hears about problems.
        await out.notify_moderators("T2", "alerts channel archived")
        assert slack.calls_to("conversations.open")[-1].args["users"] == "UINSTALLER"
        # A workspace without an install cannot be reached at all.
        with pytest.raises(InstallRevoked):
            await out.send(alert(workspace="T3"))
        # A revoked token marks the install: the store forgets it.
        slack.fail("chat.postMessage", "invalid_auth")
        with pytest.raises(InstallRevoked):
            await out.send(alert(workspace="T2"))
        assert await oauth.installation_store.async_find_bot(
            enterprise_id=None, team_id="T2") is None
    finally:
        await oauth.close()

