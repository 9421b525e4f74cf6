"""Fixtures: a fake Discord on 127.0.0.1, a real SqlStore on temporary SQLite, the real
command core over it, and a real discord.py client (PitboardDiscord) logged in to the fake."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import discord
import pytest

from adapters.discord import PitboardDiscord
from bot import rules
from bot.commands import Commands
from bot.models import Article, Extraction, Move, MoveKind, Story
from bot.ports import CommandRunner, Gazetteer
from storage import SqlStore
from tests.fakes.db import open_test_store
from tests.fakes.discord_server import (
    BOT_TOKEN,
    FakeDiscord,
    interaction_payload,
    patched_discord_urls,
)

GUILD_ID = 700000000000000001
CHANNEL_ID = 700000000000000002
FAN_ID = 700000000000000003
MODERATOR_ID = 700000000000000004
ALERTS_CHANNEL_ID = 700000000000000005
MANAGE_SERVER = discord.Permissions(manage_guild=True)


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    return rules.gazetteer()


@pytest.fixture
async def fake_discord() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord() as fake:
        with patched_discord_urls(fake):
            yield fake


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SqlStore]:
    store = await open_test_store(tmp_path / "pitboard.db")
    yield store
    await store.close()


@pytest.fixture
def commands(store: SqlStore, gazetteer: Gazetteer) -> Commands:
    return Commands(store, gazetteer=gazetteer)


MakeBot = Callable[..., Awaitable[PitboardDiscord]]


@pytest.fixture
async def make_bot(fake_discord: FakeDiscord) -> AsyncIterator[MakeBot]:
    """Build a PitboardDiscord around a runner and log it in to the fake."""
    bots: list[PitboardDiscord] = []

    async def make(runner: CommandRunner, *, login: bool = True, **options: Any
                   ) -> PitboardDiscord:
        bot = PitboardDiscord(runner=runner, token=BOT_TOKEN, **options)
        bots.append(bot)
        if login:
            await bot.login()
        return bot

    yield make
    for bot in bots:
        await bot.close()


@pytest.fixture
async def bot(make_bot: MakeBot, commands: Commands) -> PitboardDiscord:
    return await make_bot(commands)


Invoke = Callable[..., Awaitable[dict[str, Any]]]


@pytest.fixture
def invoke(bot: PitboardDiscord, fake_discord: FakeDiscord) -> Invoke:
    """Run one INTERACTION_CREATE through discord.py's command tree; return the callback
    JSON that reached the fake."""

    async def run(name: str, options: list[dict[str, Any]] | None = None, **payload: Any
                  ) -> dict[str, Any]:
        data = interaction_payload(name, options, **payload)
        interaction = discord.Interaction(data=data, state=bot._connection)
        await bot.tree._call(interaction)
        callbacks = fake_discord.callbacks(data["id"])
        assert len(callbacks) == 1, callbacks
        return callbacks[0]

    return run


async def seed_story(store: SqlStore, *, title: str = "Tom Blomqvist joins Action Express Racing",
                     summary: str = "Tom Blomqvist joins Action Express Racing (#31, IMSA 2024)",
                     entry_id: str = "a1", driver: str = "Tom Blomqvist") -> Story:
    feeds = await store.list_feeds()
    feed = feeds[0] if feeds else await store.add_feed(
        "https://news.example/imsa.xml", series="IMSA", title="IMSA Wire")
    article = Article(entry_id=entry_id, title=title, url=f"https://news.example/{entry_id}",
                      published=datetime(2024, 1, 5, 12, 0, tzinfo=UTC), series="IMSA",
                      source="IMSA Wire", feed_id=feed.id)
    (article,) = await store.add_articles(feed.id, [article])
    move = Move(driver=driver, kind=MoveKind.JOIN, team="Action Express Racing",
                car="31", series="IMSA", season=2024, role="endurance",
                from_team="Meyer Shank Racing", teammates=("Pipo Derani",))
    (story,) = await store.record_extraction(
        article, Extraction(moves=(move,), summaries=(summary,)))
    return story
