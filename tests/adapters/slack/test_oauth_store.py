"""slack_sdk's async SQLAlchemy stores on Pitboard's own database, SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from slack_sdk.oauth.installation_store.models.installation import Installation

from adapters.slack.oauth import SLACK_TABLES, async_database_url, open_slack_oauth
from tests.fakes.db import open_test_store, pg_base_url, pg_database


def test_database_urls_get_an_asyncio_driver():
    assert async_database_url("sqlite:///x.db") == "sqlite+aiosqlite:///x.db"
    assert async_database_url("postgres://u:p@h/db") == "postgresql+asyncpg://u:p@h/db"
    assert async_database_url("postgresql://u@h:5433/db") == "postgresql+asyncpg://u@h:5433/db"
    assert async_database_url("sqlite+aiosqlite:///x.db") == "sqlite+aiosqlite:///x.db"


async def roundtrip(database_url: str) -> None:
    oauth = await open_slack_oauth(client_id="111.222", client_secret="s",
                                   database_url=database_url)
    try:
        store = oauth.installation_store
        await store.async_save(Installation(
            app_id="A1", team_id="T2", team_name="Pit Lane", bot_token="xoxb-2",
            bot_id="B2", bot_user_id="UB2", user_id="UINSTALLER",
            bot_scopes=["commands", "chat:write"]))
        bot = await store.async_find_bot(enterprise_id=None, team_id="T2")
        assert bot is not None and bot.bot_token == "xoxb-2"
        state = await oauth.state_store.async_issue()
        assert await oauth.state_store.async_consume(state)
        assert not await oauth.state_store.async_consume(state)  # a state is good once
        assert {t.name for t in store.metadata.sorted_tables} | {"slack_oauth_states"} == \
            set(SLACK_TABLES)
    finally:
        await oauth.close()
    # Opening again finds the tables and the data in place.
    again = await open_slack_oauth(client_id="111.222", client_secret="s",
                                   database_url=database_url)
    try:
        assert await again.installation_store.async_find_bot(enterprise_id=None,
                                                             team_id="T2") is not None
    finally:
        await again.close()


async def test_stores_share_the_sqlite_database_with_pitboard(tmp_path):
    path = tmp_path / "pitboard.db"
    pitboard = await open_test_store(path)
    try:
        await roundtrip(f"sqlite:///{path}")
        assert await pitboard.list_feeds() == []  # Pitboard's own tables are untouched
    finally:
        await pitboard.close()


@pytest.mark.postgres
async def test_stores_on_postgresql():
    base = pg_base_url()
    if base is None:
        pytest.skip("PostgreSQL tests need PITBOARD_TEST_DATABASE_URL")
    with pg_database(base) as url:
        await roundtrip(url)
