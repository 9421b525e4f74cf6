"""Socket Mode: the real slack_sdk Socket Mode client connects to the fake's websocket,
receives a slash command envelope, acks it and answers through response_url."""

from __future__ import annotations

import asyncio

from adapters.slack.app import build_slack_app, run_socket_mode
from tests.adapters.slack.conftest import BOT_TOKEN, TEAM, seed_story
from tests.adapters.slack.test_app import SECRET, blocks_text


def slash_envelope(envelope_id: str, command: str, text: str, response_url: str) -> dict:
    return {
        "envelope_id": envelope_id,
        "type": "slash_commands",
        "accepts_response_payload": True,
        "payload": {
            "token": "legacy", "team_id": TEAM, "team_domain": "pitlane",
            "channel_id": "C0GENERAL", "channel_name": "general", "user_id": "UFAN",
            "user_name": "fan", "command": command, "text": text,
            "api_app_id": "A0PITBOARD", "is_enterprise_install": "false",
            "response_url": response_url, "trigger_id": "1.2.3",
        },
    }


async def test_slash_command_over_socket_mode(slack, commands, store):
    await seed_story(store)
    app = build_slack_app(runner=commands, signing_secret=SECRET, bot_token=BOT_TOKEN,
                          api_base_url=slack.api_url)
    stop = asyncio.Event()
    running = asyncio.create_task(run_socket_mode(app, "xapp-1-socket", stop))
    try:
        response_url = slack.response_url()
        await slack.socket_send(slash_envelope("env-1", "/lineup", "31", response_url))
        async with asyncio.timeout(5):
            ack = await slack.socket_acks.get()
        assert ack["envelope_id"] == "env-1"
        [answer] = await slack.wait_responded(response_url)
        assert answer["response_type"] == "in_channel"
        assert "Tom Blomqvist" in blocks_text(answer)

        # A usage error comes back in the ack payload itself.
        await slack.socket_send(slash_envelope("env-2", "/news", "lots", slack.response_url()))
        async with asyncio.timeout(5):
            ack = await slack.socket_acks.get()
        assert ack["envelope_id"] == "env-2"
        assert "Usage: /news [count]" in ack["payload"]["text"]
        assert slack.calls_to("apps.connections.open")[0].token == "xapp-1-socket"
    finally:
        stop.set()
        async with asyncio.timeout(5):
            await running
