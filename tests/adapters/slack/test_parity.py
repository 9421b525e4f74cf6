"""Every platform-neutral command is registered in the Slack app and in the manifest."""

from __future__ import annotations

import pytest

from adapters.slack.app import build_slack_app, build_web_app
from adapters.slack.manifest import BOT_SCOPES, manifest
from bot.commands.specs import SPECS
from tests.adapters.slack.conftest import BOT_TOKEN
from tests.adapters.slack.test_app import SECRET, SlashClient, blocks_text, serve

EXPECTED_COMMANDS = {f"/{spec.group}" for spec in SPECS} | {"/pitboard"}


@pytest.mark.parametrize("socket_mode", [True, False])
def test_manifest_lists_every_command_with_its_usage(socket_mode):
    app = manifest(socket_mode=socket_mode,
                   request_url=None if socket_mode else "https://pitboard.example.com/")
    commands = {c["command"]: c for c in app["features"]["slash_commands"]}
    assert set(commands) == EXPECTED_COMMANDS
    for spec in SPECS:
        entry = commands[f"/{spec.group}"]
        assert entry["description"]
        hint = spec.usage.split(" ", 1)[1] if " " in spec.usage else ""
        assert hint in entry.get("usage_hint", ""), spec.name
        assert entry["should_escape"] is False
        if socket_mode:
            assert "url" not in entry
        else:
            assert entry["url"] == "https://pitboard.example.com/slack/events"
    assert app["settings"]["socket_mode_enabled"] is socket_mode
    assert app["oauth_config"]["scopes"]["bot"] == list(BOT_SCOPES)
    if not socket_mode:
        assert app["oauth_config"]["redirect_urls"] == [
            "https://pitboard.example.com/slack/oauth_redirect"]
        assert app["settings"]["event_subscriptions"]["request_url"] == \
            "https://pitboard.example.com/slack/events"


def test_http_manifest_needs_a_url_and_a_prefix_renames_everything():
    with pytest.raises(ValueError, match="request URL"):
        manifest(socket_mode=False)
    prefixed = manifest(socket_mode=True, command_prefix="pb-")
    assert {c["command"] for c in prefixed["features"]["slash_commands"]} == {
        "/pb-" + name.lstrip("/") for name in EXPECTED_COMMANDS}


async def test_every_spec_is_served_as_its_own_command_and_under_the_umbrella(
        slack, commands):
    app = build_slack_app(runner=commands, signing_secret=SECRET, bot_token=BOT_TOKEN,
                          api_base_url=slack.api_url)
    async with serve(build_web_app(app)) as url:
        client = SlashClient(url, slack)
        for spec in SPECS:
            for command, text in ((f"/{spec.group}", spec.sub or ""),
                                  ("/pitboard", spec.name)):
                status, ack, response_url = await client.post(command, text)
                assert status == 200, (command, text)
                if ack:  # a usage error for a command that needs options: it names the spec
                    assert f"/{spec.name}" in ack, (command, text, ack)
                    continue
                [answer] = await slack.wait_responded(response_url)
                assert "Unknown command" not in blocks_text(answer)
        status, _, _ = await client.post("/pitstop")
        assert status == 404  # what an unregistered command gets


async def test_prefixed_commands_are_served(slack, commands):
    app = build_slack_app(runner=commands, signing_secret=SECRET, bot_token=BOT_TOKEN,
                          api_base_url=slack.api_url, command_prefix="pb-")
    async with serve(build_web_app(app)) as url:
        client = SlashClient(url, slack)
        answer = await client.ask("/pb-lineup", "31")
        assert "No lineup known yet for car #31" in blocks_text(answer)
        answer = await client.ask("/pb-pitboard", "help")
        assert "Pitboard commands" in blocks_text(answer)
