from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from tests.fakes.chat import ChatBot
from tests.fakes.feed_server import FakeFeedServer


@pytest.fixture
def bot(tmp_path: Path) -> Iterator[ChatBot]:
    """Pitboard in a chat window: `bot.say("/lineup 31")`, `bot.read(title, body)`."""
    chat = ChatBot(tmp_path)
    yield chat
    chat.close()


@pytest.fixture
async def server() -> AsyncIterator[FakeFeedServer]:
    """A local feed server the test fills with feeds (tests that need their own define one)."""
    async with FakeFeedServer() as fake:
        yield fake
