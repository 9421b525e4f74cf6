from __future__ import annotations

from pathlib import Path

import pytest

import storage
from bot.commands import Commands
from bot.rules import gazetteer


@pytest.fixture
async def store(tmp_path: Path):
    opened = await storage.SqlStore.open(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
    yield opened
    await opened.close()


@pytest.fixture
def commands(store):
    return Commands(store, gazetteer=gazetteer())
