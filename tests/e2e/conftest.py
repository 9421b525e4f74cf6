from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.chat import ChatBot


@pytest.fixture
def bot(tmp_path: Path) -> Iterator[ChatBot]:
    """Pitboard in a chat window: `bot.say("/lineup 31")`, `bot.read(title, body)`."""
    chat = ChatBot(tmp_path)
    yield chat
    chat.close()
