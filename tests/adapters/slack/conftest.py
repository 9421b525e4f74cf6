from __future__ import annotations

from pathlib import Path

import pytest

from tests.fakes.db import open_test_store, sqlite_url
from tests.fakes.slack_server import FakeSlack

BOT_TOKEN = "xoxb-pitlane"
TEAM = "T1"


@pytest.fixture
async def slack():
    async with FakeSlack() as fake:
        fake.add_workspace(TEAM, BOT_TOKEN)
        yield fake


@pytest.fixture
def database_path(tmp_path: Path) -> Path:
    return tmp_path / "pitboard.db"


@pytest.fixture
def database_url(database_path: Path) -> str:
    """Pitboard's database: the Slack OAuth tables live beside the store's."""
    return sqlite_url(database_path)


@pytest.fixture
async def store(database_path: Path):
    opened = await open_test_store(database_path)
    yield opened
    await opened.close()


@pytest.fixture
def commands(store):
    from bot.commands import Commands
    from bot.rules import gazetteer

    return Commands(store, gazetteer=gazetteer())


async def seed_story(store, *, title: str = "Blomqvist joins Action Express",
                     team: str = "Action Express Racing",
                     summary: str = "Tom Blomqvist → Action Express Racing #31",
                     driver: str = "Tom Blomqvist"):
    """One article, one move and its lineup, as the pipeline would record them."""
    from bot.models import Article, Extraction, LineupEntry, Move, MoveKind, utcnow

    feed = await store.add_feed(f"https://news.example/rss?{len(title)}-{driver}",
                                title="News Example")
    article = Article(entry_id=f"e-{title}", title=title, url="https://news.example/1",
                      source="News Example", published=utcnow())
    [stored] = await store.add_articles(feed.id, [article])
    move = Move(driver=driver, kind=MoveKind.JOIN, team=team, car="31",
                series="IMSA", season=2024, role="endurance",
                teammates=("Pipo Derani", "Jack Aitken"))
    lineup = tuple(LineupEntry(driver=d, team=team, car="31", series="IMSA", season=2024)
                   for d in ("Tom Blomqvist", "Pipo Derani", "Jack Aitken"))
    return await store.record_extraction(stored, Extraction(moves=(move,), lineup=lineup,
                                                            summaries=(summary,)))
