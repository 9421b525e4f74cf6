"""The client as a whole: the command tree mirrors the specs, syncing, the invite, the
endpoint settings, and one full run through discord.py's gateway against the fake."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any
from urllib.parse import parse_qs, urlparse

import discord
from discord import app_commands

from adapters.discord import (
    INVITE_PERMISSIONS,
    PitboardDiscord,
    application_id_from_token,
    build_discord_bot,
    invite_url,
    sync_commands,
)
from adapters.discord.client import DISCORD_API_BASE_URL, api_base
from bot.commands import Commands
from bot.commands.specs import SPECS, OptionType
from storage import SqlStore
from tests.adapters.discord.conftest import GUILD_ID, MakeBot, seed_story
from tests.fakes.discord_server import (
    APPLICATION_ID,
    BOT_TOKEN,
    FakeDiscord,
    interaction_payload,
)

OPTION_TYPES = {OptionType.STRING: 3, OptionType.INTEGER: 4, OptionType.CHANNEL: 7}
MANAGE_SERVER_BITS = discord.Permissions(manage_guild=True).value


def _synced_payload(bot: PitboardDiscord) -> dict[str, dict[str, Any]]:
    return {command.name: command.to_dict(bot.tree) for command in bot.tree.get_commands()}


async def test_every_spec_is_a_discord_command(bot: PitboardDiscord) -> None:
    """Parity: names, descriptions, options, types, ranges, choices, autocomplete and
    moderator permissions, as Discord will receive them."""
    payload = _synced_payload(bot)
    seen = set()
    for spec in SPECS:
        top = payload[spec.group]
        if spec.sub:
            (command,) = [o for o in top["options"] if o["name"] == spec.sub]
            assert command["type"] == 1  # SUB_COMMAND
        else:
            command = top
        seen.add(spec.name)
        assert command["description"] == spec.description
        options = {o["name"]: o for o in command["options"]}
        assert set(options) == {o.name for o in spec.options}, spec.name
        for option in spec.options:
            sent = options[option.name]
            assert sent["type"] == OPTION_TYPES[option.type], (spec.name, option.name)
            assert sent["description"] == option.description
            assert sent["required"] is option.required
            assert [c["value"] for c in sent.get("choices", [])] == list(option.choices)
            assert sent.get("autocomplete", False) is bool(option.autocomplete
                                                           and not option.choices)
            assert sent.get("min_value") == option.min_value
            assert sent.get("max_value") == option.max_value
            if option.type is OptionType.CHANNEL:
                assert sent["channel_types"] == [0, 5]  # text and announcement channels
        required = [o["required"] for o in command["options"]]
        assert required == sorted(required, reverse=True)  # Discord wants required first
        if spec.moderator_only:
            assert top["default_member_permissions"] == MANAGE_SERVER_BITS
            assert top["dm_permission"] is False
        else:
            assert top["default_member_permissions"] is None
    assert seen == {spec.name for spec in SPECS}
    assert set(payload) == {spec.group for spec in SPECS}


async def test_the_tree_finds_every_spec_by_its_discord_name(bot: PitboardDiscord) -> None:
    for spec in SPECS:
        command = bot.tree.get_command(spec.group)
        assert command is not None, spec.name
        if spec.sub:
            assert isinstance(command, app_commands.Group)
            command = command.get_command(spec.sub)
            assert command is not None, spec.name
        assert isinstance(command, app_commands.Command)
        assert command.extras["spec"] is spec


async def test_sync_uploads_the_tree_globally_or_to_one_guild(
        make_bot: MakeBot, commands: Commands, fake_discord: FakeDiscord) -> None:
    bot = await make_bot(commands, login=False)
    names = await sync_commands(bot)
    (put,) = fake_discord.requests_to("PUT", f"/applications/{APPLICATION_ID}/commands")
    assert sorted(c["name"] for c in put.json) == sorted({s.group for s in SPECS})
    assert sorted(names) == sorted({s.group for s in SPECS})
    assert bot.is_closed()  # it logged in for the sync, so it logged out again

    bot = await make_bot(commands, login=False)
    await sync_commands(bot, guild_id=GUILD_ID)
    (put,) = fake_discord.requests_to(
        "PUT", f"/applications/{APPLICATION_ID}/guilds/{GUILD_ID}/commands")
    assert {c["name"] for c in put.json} == {s.group for s in SPECS}
    feed = next(c for c in put.json if c["name"] == "feed")
    assert feed["default_member_permissions"] == MANAGE_SERVER_BITS
    assert feed["dm_permission"] is False


def test_the_invite_asks_for_the_minimum() -> None:
    url = urlparse(invite_url(APPLICATION_ID))
    query = parse_qs(url.query)
    assert url.netloc == "discord.com"
    assert query["client_id"] == [str(APPLICATION_ID)]
    assert query["scope"] == ["bot applications.commands"]
    permissions = discord.Permissions(int(query["permissions"][0]))
    assert permissions == INVITE_PERMISSIONS
    assert {name for name, on in permissions if on} == {"read_messages", "send_messages",
                                                        "embed_links"}


def test_the_application_id_is_read_from_the_token() -> None:
    token = "OTAwMDAwMDAwMDAwMDAwMDAy.GaBcDe.signature"
    assert application_id_from_token(token) == APPLICATION_ID
    assert application_id_from_token("not a token") is None


async def test_endpoint_settings_point_discord_py_elsewhere(commands: Commands) -> None:
    base = discord.http.Route.BASE
    gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    try:
        bot = build_discord_bot(token=BOT_TOKEN, runner=commands,
                                api_base_url="http://proxy.internal:8080",
                                gateway_url="ws://proxy.internal:8081/", guild_id=GUILD_ID)
        assert discord.http.Route.BASE == "http://proxy.internal:8080/api/v10"
        assert str(discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY) == \
            "ws://proxy.internal:8081/"
        assert bot.guild_id == GUILD_ID
        assert bot.intents.value == discord.Intents(guilds=True).value
        assert bot.allowed_mentions is not None
        assert bot.allowed_mentions.to_dict() == {"parse": []}
        await bot.close()
    finally:
        discord.http.Route.BASE = base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = gateway
    assert api_base("https://discord.com/api/v10/") == DISCORD_API_BASE_URL


async def test_a_slash_command_through_the_gateway(
        make_bot: MakeBot, commands: Commands, store: SqlStore,
        fake_discord: FakeDiscord) -> None:
    """client.start(): login over REST, IDENTIFY on the fake gateway, READY, then an
    INTERACTION_CREATE dispatched by the gateway runs the real tree and the real core."""
    await seed_story(store)
    bot = await make_bot(commands, login=False)
    running = asyncio.create_task(bot.start())
    try:
        async with asyncio.timeout(10):
            await fake_discord.identified.wait()
        (identify,) = fake_discord.identify_payloads
        assert identify["token"] == BOT_TOKEN
        assert identify["intents"] == discord.Intents(guilds=True).value

        payload = interaction_payload("lineup", [{"name": "car", "type": 3, "value": "31"}])
        await fake_discord.dispatch("INTERACTION_CREATE", payload)
        await fake_discord.wait_for(lambda fake: fake.callbacks(payload["id"]), within=10)
        (callback,) = fake_discord.callbacks(payload["id"])
        assert callback["type"] == 4
        assert callback["data"]["allowed_mentions"] == {"parse": []}
        assert callback["data"]["embeds"][0]["title"] == "#31 · Action Express Racing"
        assert fake_discord.heartbeats >= 1
    finally:
        await bot.close()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(running, 10)
    assert running.exception() is None
