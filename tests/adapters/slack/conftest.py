from __future__ import annotations

from pathlib import Path

import pytest

from tests.fakes.slack_server import FakeSlack

BOT_TOKEN = "xoxb-pitlane"
TEAM = "T1"


@pytest.fixture
async def slack():
    async with FakeSlack() as fake:
        fake.add_workspace(TEAM, BOT_TOKEN)
        yield fake


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'pitboard.db'}"
