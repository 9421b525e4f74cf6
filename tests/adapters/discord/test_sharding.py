"""DISCORD_SHARD_COUNT / DISCORD_SHARD_IDS reach discord.py: an AutoShardedClient that
identifies on the (fake) gateway as each of its shards, and nothing sharded without them."""

from __future__ import annotations

import asyncio
import contextlib

import discord
import pytest

from adapters.discord import build_discord_bot
from adapters.discord.client import PitboardDiscord
from bot.commands import Commands
from tests.fakes.discord_server import BOT_TOKEN, FakeDiscord


async def run_until_ready(bot: PitboardDiscord, fake: FakeDiscord) -> None:
    """Start the client and stop it once every shard it runs is READY."""
    running = asyncio.create_task(bot.start())
    try:
        async with asyncio.timeout(20):  # discord.py waits 5 s between a client's shards
            await fake.identified.wait()  # logged in: the client's ready event exists now
            await bot.wait_until_ready()
    finally:
        await bot.close()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(running, 10)


async def test_shard_settings_make_an_auto_sharded_client(
        commands: Commands, fake_discord: FakeDiscord) -> None:
    bot = build_discord_bot(token=BOT_TOKEN, runner=commands, shard_count=4, shard_ids=(3,),
                            api_base_url=fake_discord.api_base,
                            gateway_url=fake_discord.gateway_url)
    assert isinstance(bot, discord.AutoShardedClient)
    assert (bot.shard_count, bot.shard_ids) == (4, [3])
    assert bot.allowed_mentions is not None and bot.allowed_mentions.to_dict() == {"parse": []}
    assert bot.tree.get_command("lineup") is not None
    await run_until_ready(bot, fake_discord)
    assert [p["shard"] for p in fake_discord.identify_payloads] == [[3, 4]]
    assert bot.get_shard(3) is not None and bot.get_shard(0) is None
    assert set(bot.shards) == {3}


async def test_a_shard_count_alone_runs_every_shard(
        commands: Commands, fake_discord: FakeDiscord) -> None:
    bot = build_discord_bot(token=BOT_TOKEN, runner=commands, shard_count=2)
    assert isinstance(bot, discord.AutoShardedClient)
    assert (bot.shard_count, bot.shard_ids) == (2, None)
    await run_until_ready(bot, fake_discord)
    assert sorted(p["shard"] for p in fake_discord.identify_payloads) == [[0, 2], [1, 2]]


async def test_no_shard_settings_is_one_unsharded_connection(
        commands: Commands, fake_discord: FakeDiscord) -> None:
    bot = build_discord_bot(token=BOT_TOKEN, runner=commands)
    assert not isinstance(bot, discord.AutoShardedClient)
    await run_until_ready(bot, fake_discord)
    (identify,) = fake_discord.identify_payloads
    assert identify.get("shard") is None


def test_shard_ids_without_a_count_are_refused(commands: Commands) -> None:
    with pytest.raises(ValueError, match="shard ids need a shard count"):
        build_discord_bot(token=BOT_TOKEN, runner=commands, shard_ids=(0,))
