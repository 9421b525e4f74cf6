"""Signed slash commands over HTTP to the real Bolt app, answered by the real command core
over SQLite; Slack's side played by the fake Web API."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import time
from urllib.parse import urlencode

import aiohttp
import pytest
from aiohttp import web
from slack_sdk.signature import SignatureVerifier

from adapters.slack.app import build_slack_app, build_web_app, command_text
from adapters.slack.moderators import moderators_from_settings
from adapters.slack.oauth import open_slack_oauth
from bot.models import TargetKind
from tests.adapters.slack.conftest import BOT_TOKEN, TEAM, seed_story

pytestmark = pytest.mark.filterwarnings(
    # slack_sdk's own oauth.v2.access call; not ours to change.
    "ignore:BasicAuth is deprecated:DeprecationWarning")

SECRET = "shh-signing-secret"
FAN, ADMIN, LISTED = "UFAN", "UADMIN", "ULISTED"


@contextlib.asynccontextmanager
async def serve(app: web.Application):
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


class SlashClient:
    """Sends what Slack sends for a slash command, signed like Slack signs it."""

    def __init__(self, base_url: str, slack) -> None:
        self.base_url = base_url
        self.slack = slack

    async def post(self, command: str, text: str = "", *, user: str = FAN, team: str = TEAM,
                   channel: str = "C0GENERAL", secret: str = SECRET,
                   timestamp: int | None = None):
        response_url = self.slack.response_url()
        body = urlencode({
            "token": "legacy", "team_id": team, "team_domain": "pitlane",
            "channel_id": channel, "channel_name": "general", "user_id": user,
            "user_name": user.lower(), "command": command, "text": text,
            "api_app_id": "A0PITBOARD", "is_enterprise_install": "false",
            "response_url": response_url, "trigger_id": "13345224609.738474920.8088930838d88f008e0",
        })
        ts = str(timestamp if timestamp is not None else int(time.time()))
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": SignatureVerifier(secret).generate_signature(
                timestamp=ts, body=body),
        }
        async with aiohttp.ClientSession() as session, session.post(
                f"{self.base_url}/slack/events", data=body, headers=headers) as response:
            return response.status, await response.text(), response_url

    async def ask(self, command: str, text: str = "", **kwargs) -> dict:
        """The one answer respond() posted for this command."""
        status, ack, response_url = await self.post(command, text, **kwargs)
        assert status == 200, ack
        assert ack == ""
        [answer] = await self.slack.wait_responded(response_url)
        return answer


@pytest.fixture
async def client(slack, commands, store):
    slack.add_user(FAN)
    slack.add_user(ADMIN, admin=True)
    slack.add_user(LISTED)
    app = build_slack_app(runner=commands, signing_secret=SECRET, bot_token=BOT_TOKEN,
                          api_base_url=slack.api_url,
                          moderator_ids=moderators_from_settings(store))
    async with serve(build_web_app(app)) as url:
        yield SlashClient(url, slack)


def blocks_text(answer: dict) -> str:
    parts = [answer["text"]]
    for block in answer["blocks"]:
        if "text" in block:
            parts.append(block["text"]["text"])
        parts.extend(f["text"] for f in block.get("fields", []))
        parts.extend(e["text"] for e in block.get("elements", []))
    return "\n".join(parts)


@pytest.mark.parametrize(("command", "text", "expected", "response_type"), [
    ("/lineup", "31", "Tom Blomqvist", "in_channel"),
    ("/lineup", "31 IMSA 2024", "Jack Aitken", "in_channel"),
    ("/driver", "blomqvist", "Action Express Racing", "in_channel"),
    ("/news", "3", "Tom Blomqvist → Action Express Racing #31", "in_channel"),
    ("/follow", "team Cadillac", "Following team", "ephemeral"),
    ("/following", "", "You follow nothing yet", "ephemeral"),
    ("/unfollow", "team Cadillac", "weren't following", "ephemeral"),
    ("/help", "", "/lineup [car] [series] [season] [team]", "ephemeral"),
    ("/help", "lineup", "e.g. /lineup 31 IMSA 2024", "ephemeral"),
    ("/pitboard", "lineup 31", "Pipo Derani", "in_channel"),
    ("/pitboard", "", "Pitboard commands", "ephemeral"),
    ("/lineup", "99", "No lineup known yet for car #99", "ephemeral"),
])
async def test_each_command_acks_then_responds(client, store, command, text, expected,
                                               response_type):
    await seed_story(store)
    answer = await client.ask(command, text)
    assert answer["response_type"] == response_type
    assert expected in blocks_text(answer)
    assert answer["blocks"]


async def test_follow_then_following_is_per_user(client):
    await client.ask("/follow", "driver Tom Blomqvist dm")
    mine = await client.ask("/following")
    assert "driver: Tom Blomqvist — by direct message" in blocks_text(mine)
    theirs = await client.ask("/following", user=ADMIN)
    assert "You follow nothing yet" in blocks_text(theirs)


async def test_usage_errors_are_answered_in_the_ack(client, slack):
    status, ack, response_url = await client.post("/news", "lots")
    assert status == 200
    assert '"response_type": "ephemeral"' in ack or '"response_type":"ephemeral"' in ack
    assert "Usage: /news [count]" in ack
    status, ack, _ = await client.post("/feed", "explode")
    assert "Unknown /feed action" in ack
    assert slack.responded(response_url) == []


async def test_bad_signature_and_stale_timestamp_are_refused(client, slack):
    status, _, response_url = await client.post("/lineup", "31", secret="not-the-secret")
    assert status == 401
    five_minutes_ago = int(time.time()) - 5 * 60 - 10
    status, _, stale_url = await client.post("/lineup", "31", timestamp=five_minutes_ago)
    assert status == 401
    assert slack.responded(response_url) == [] and slack.responded(stale_url) == []


async def test_fans_cannot_add_feeds_and_admins_can(client, store, slack):
    refused = await client.ask("/feed", "add https://news.example/imsa.xml IMSA", user=FAN)
    assert refused["response_type"] == "ephemeral"
    assert "for moderators only" in blocks_text(refused)
    assert await store.list_feeds("slack:" + TEAM) == []

    # Slack turns a typed URL into <https://...> (should_escape=false) and escapes & as &amp;.
    added = await client.ask("/feed", "add <https://news.example/imsa.xml?a=1&amp;b=2> IMSA 15",
                             user=ADMIN)
    assert "Added feed" in blocks_text(added)
    [feed] = await store.list_feeds("slack:" + TEAM)
    assert feed.url == "https://news.example/imsa.xml?a=1&b=2"
    assert feed.series == "IMSA" and feed.interval_seconds == 15 * 60

    # users.info answered once; the next admin command uses the cached answer.
    assert len(slack.calls_to("users.info")) == 2
    listed = await client.ask("/feed", "list", user=ADMIN)
    assert "news.example/imsa.xml" in blocks_text(listed)
    assert len(slack.calls_to("users.info")) == 2
    assert all(c.token == BOT_TOKEN for c in slack.calls_to("users.info"))


async def test_moderators_listed_in_settings_may_moderate(client, store):
    refused = await client.ask("/settings", "series IMSA", user=LISTED)
    assert "for moderators only" in blocks_text(refused)
    listed = await client.ask("/settings", f"moderators <@{LISTED}|listed> <@UOTHER>",
                              user=ADMIN)
    assert "may now moderate" in blocks_text(listed)
    done = await client.ask("/settings", "series IMSA", user=LISTED)
    assert "now defaults to IMSA" in blocks_text(done)
    assert await store.get_setting("slack", TEAM, "default_series") == "IMSA"


async def test_alerts_channel_from_a_reference_or_here(client, store):
    answer = await client.ask("/alerts", "channel <#C0ALERTS|paddock-news>", user=ADMIN)
    assert "<#C0ALERTS>" in answer["blocks"][0]["text"]["text"]
    subs = await store.subscriptions_for("slack", TEAM, None)
    assert [(s.target, s.destination.channel) for s in subs] == [(TargetKind.ALL, "C0ALERTS")]
    await client.ask("/alerts", "channel here", user=ADMIN, channel="C0HERE")
    subs = await store.subscriptions_for("slack", TEAM, None)
    assert "C0HERE" in {s.destination.channel for s in subs}


async def test_health_and_unknown_commands(client):
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{client.base_url}/healthz") as response:
            assert response.status == 200
            assert (await response.json())["ok"] is True
        async with session.get(f"{client.base_url}/slack/install") as response:
            assert response.status == 404  # no OAuth in single-workspace mode
    status, _, _ = await client.post("/pitstop", "31")
    assert status == 404


async def test_oauth_install_then_commands_use_that_workspace_token(slack, commands,
                                                                    database_url):
    oauth = await open_slack_oauth(client_id="111.222", client_secret="oauth-secret",
                                   database_url=database_url)
    slack.oauth_codes["code-1"] = ("T2", "xoxb-team-two", "UINSTALLER")
    slack.add_user("UADMIN2", admin=True, team_id="T2")
    app = build_slack_app(runner=commands, signing_secret=SECRET, oauth=oauth,
                          api_base_url=slack.api_url)
    try:
        async with serve(build_web_app(app)) as url, aiohttp.ClientSession() as session:
            async with session.get(f"{url}/slack/install") as response:
                assert response.status == 200
                page = await response.text()
                cookie = response.headers["Set-Cookie"]
            state = re.search(r"state=([0-9a-f-]+)", page).group(1)
            assert ("scope=commands,chat:write,chat:write.public,im:write,users:read,"
                    "channels:history,groups:history,im:history") in page
            async with session.get(f"{url}/slack/oauth_redirect",
                                   params={"code": "code-1", "state": state},
                                   headers={"Cookie": cookie.split(";")[0]}) as response:
                assert response.status == 200, await response.text()
            access = slack.calls_to("oauth.v2.access")[-1]
            assert access.status == 200 and access.response["ok"]

            bot = await oauth.installation_store.async_find_bot(enterprise_id=None,
                                                                team_id="T2")
            assert bot is not None and bot.bot_token == "xoxb-team-two"
            installation = await oauth.installation_store.async_find_installation(
                enterprise_id=None, team_id="T2")
            assert installation.user_id == "UINSTALLER"

            client = SlashClient(url, slack)
            answer = await client.ask("/feed", "list", user="UADMIN2", team="T2")
            assert "No feeds yet" in blocks_text(answer)
            [lookup] = slack.calls_to("users.info")
            assert lookup.token == "xoxb-team-two"

            # A workspace that never installed the app is turned away.
            status, ack, response_url = await client.post("/lineup", "31", team="T9")
            assert (status, ack) == (200, "")
            [refusal] = await slack.wait_responded(response_url)
            assert "isn't installed in this workspace" in refusal["text"]
    finally:
        await oauth.close()


def test_command_text_undoes_slack_markup():
    assert command_text("add <https://a.example/x?a=1&amp;b=2|a.example/x> IMSA") == \
        "add https://a.example/x?a=1&b=2 IMSA"
    assert command_text("channel <#C123|paddock>") == "channel <#C123>"
    assert command_text("driver jean-&lt;eric&gt;") == "driver jean-<eric>"


class SlowRunner:
    """The real command core behind a delay, as a slow database would make it."""

    def __init__(self, commands, delay: float) -> None:
        self.commands = commands
        self.delay = delay

    async def run(self, call):
        await asyncio.sleep(self.delay)
        return await self.commands.run(call)

    async def suggest(self, *args, **kwargs):
        return await self.commands.suggest(*args, **kwargs)


async def test_ack_does_not_wait_for_the_answer(slack, commands, store):
    await seed_story(store)
    app = build_slack_app(runner=SlowRunner(commands, 1.0), signing_secret=SECRET,
                          bot_token=BOT_TOKEN, api_base_url=slack.api_url)
    async with serve(build_web_app(app)) as url:
        client = SlashClient(url, slack)
        started = time.monotonic()
        status, ack, response_url = await client.post("/lineup", "31")
        acked = time.monotonic() - started
        assert (status, ack) == (200, "")
        assert acked < 0.9
        assert slack.responded(response_url) == []
        [answer] = await slack.wait_responded(response_url)
        assert "Tom Blomqvist" in blocks_text(answer)


async def post_event(base_url: str, event: dict, *, team: str) -> int:
    body = json.dumps({"token": "legacy", "team_id": team, "api_app_id": "A0PITBOARD",
                       "type": "event_callback", "event_id": "Ev1", "event_time": 1,
                       "event": event})
    ts = str(int(time.time()))
    headers = {"Content-Type": "application/json", "X-Slack-Request-Timestamp": ts,
               "X-Slack-Signature": SignatureVerifier(SECRET).generate_signature(
                   timestamp=ts, body=body)}
    async with aiohttp.ClientSession() as session, session.post(
            f"{base_url}/slack/events", data=body, headers=headers) as response:
        return response.status


async def test_uninstall_event_removes_the_installation(slack, commands, database_url):
    from slack_sdk.oauth.installation_store.models.installation import Installation

    oauth = await open_slack_oauth(client_id="111.222", client_secret="oauth-secret",
                                   database_url=database_url)
    slack.add_workspace("T2", "xoxb-team-two")
    await oauth.installation_store.async_save(Installation(
        app_id="A0PITBOARD", team_id="T2", bot_token="xoxb-team-two", bot_id="BBOT",
        bot_user_id="UBOT", user_id="UINSTALLER"))
    app = build_slack_app(runner=commands, signing_secret=SECRET, oauth=oauth,
                          api_base_url=slack.api_url)
    try:
        async with serve(build_web_app(app)) as url:
            running = asyncio.all_tasks()
            assert await post_event(url, {"type": "app_uninstalled"}, team="T2") == 200
            # Bolt runs the listener after acking, and it deletes the bot and then the
            # installation: wait for all the event started, or the store's engine would be
            # closed under the second delete.
            started = asyncio.all_tasks() - running
            if started:
                await asyncio.wait(started, timeout=5)
            store = oauth.installation_store
            assert await store.async_find_bot(enterprise_id=None, team_id="T2") is None
            assert await store.async_find_installation(enterprise_id=None, team_id="T2") is None
    finally:
        await oauth.close()


async def test_uninstall_event_is_acknowledged_in_single_workspace_mode(client):
    assert await post_event(client.base_url, {"type": "app_uninstalled"}, team=TEAM) == 200
