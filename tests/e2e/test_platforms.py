"""The composition root's platform wiring, from settings alone: `pitboard web` serving
Slack commands and /healthz, and the worker delivering to Slack through the fake API."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import aiohttp
import pytest

from bot.alerts import route_stories
from bot.app import PitboardApp, run_web
from bot.config import Settings
from bot.models import Destination, DestinationKind
from tests.adapters.slack.conftest import seed_story
from tests.adapters.slack.test_app import SlashClient
from tests.fakes.slack_server import FakeSlack

SECRET = "wiring-secret"
BOT_TOKEN = "xoxb-wiring"
TEAM = "T1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
async def slack():
    async with FakeSlack() as fake:
        fake.add_workspace(TEAM, BOT_TOKEN)
        fake.add_user("U0FAN")
        yield fake


def slack_settings(tmp_path: Path, slack: FakeSlack, **extra) -> Settings:
    return Settings(_env_file=None, database_url=f"sqlite:///{tmp_path / 'wired.db'}",
                    slack_signing_secret=SECRET, slack_bot_token=BOT_TOKEN,
                    slack_api_base_url=slack.api_url, pitboard_console=False, **extra)


async def test_pitboard_web_answers_signed_slack_commands_and_health(tmp_path, slack):
    port = free_port()
    stop = asyncio.Event()
    server = asyncio.create_task(run_web(slack_settings(tmp_path, slack, port=port),
                                         stop=stop, host="127.0.0.1"))
    base = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession() as session:
            for _ in range(200):
                try:
                    async with session.get(f"{base}/healthz") as health:
                        if health.status == 200:
                            assert (await health.json())["outbox_depth"] == 0
                            break
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.05)
            else:
                pytest.fail("pitboard web never answered /healthz")
            async with session.get(f"{base}/metrics") as page:
                assert page.status == 200
                assert "pitboard_outbox_depth 0.0" in await page.text()
        client = SlashClient(base, slack)
        answer = await client.ask("/lineup", "31", user="U0FAN", team=TEAM, secret=SECRET)
        assert "No lineup known yet for car #31" in str(answer)
        status, _, _ = await client.post("/lineup", "31", user="U0FAN", secret="forged")
        assert status == 401
    finally:
        stop.set()
        await asyncio.wait_for(server, 10)


async def test_worker_delivers_alerts_to_slack_escaped(tmp_path, slack):
    app = await PitboardApp.create(slack_settings(tmp_path, slack))
    try:
        await app.slack_app()  # what `pitboard run` does in HTTP mode: register the sender
        assert set(app.senders) == {"slack"}
        await app.store.set_alert_channel(Destination(
            platform="slack", workspace=TEAM, channel="C0ALERTS",
            kind=DestinationKind.CHANNEL))
        stories = await seed_story(app.store, title="<!channel> <@U123> & <https://evil|click>",
                                   summary="<!channel> Tom Blomqvist → Action Express Racing")
        assert await route_stories(app.store, stories, app.commands.gazetteer) == 1
        delivered = await app.deliver_now()
        assert delivered.sent == 1
        [post] = slack.posted()
        assert post.args["channel"] == "C0ALERTS"
        assert post.token == BOT_TOKEN
        wire = str(post.args)
        assert "<!channel>" not in wire
        assert "<@U123>" not in wire
        assert "&lt;!channel&gt;" in wire
    finally:
        await app.close()
