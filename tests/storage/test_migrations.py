from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import inspect

from storage import (
    SqlStore,
    current_revision,
    default_database_url,
    head_revision,
    normalise_url,
    upgrade,
)
from storage.tables import Base
from tests.fakes.db import pg_base_url, pg_database

TABLES = {"feeds", "articles", "stories", "story_sources", "moves", "seats", "seat_stories",
          "seat_events", "names", "destinations", "subscriptions", "settings", "outbox"}


@pytest.mark.parametrize(("given", "expected"), [
    ("postgres://u:p@db.example:5432/app", "postgresql+asyncpg://u:p@db.example:5432/app"),
    ("postgresql://u@h/app", "postgresql+asyncpg://u@h/app"),
    ("postgresql+psycopg2://u@h/app", "postgresql+asyncpg://u@h/app"),
    ("postgresql+asyncpg://u@h/app", "postgresql+asyncpg://u@h/app"),
    ("sqlite:////tmp/x.db", "sqlite+aiosqlite:////tmp/x.db"),
    ("sqlite+aiosqlite:///rel.db", "sqlite+aiosqlite:///rel.db"),
])
def test_normalise_url(given: str, expected: str) -> None:
    assert normalise_url(given) == expected


def test_normalise_url_refuses_other_databases() -> None:
    with pytest.raises(ValueError, match="unsupported database"):
        normalise_url("mysql://u@h/app")


def test_default_url_is_a_per_user_sqlite_file(monkeypatch: pytest.MonkeyPatch,
                                               tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    url = default_database_url()
    assert url == f"sqlite+aiosqlite:///{tmp_path / 'data' / 'pitboard' / 'pitboard.db'}"
    assert (tmp_path / "data" / "pitboard").is_dir()


async def _check_schema(url: str) -> None:
    assert await current_revision(url) is None
    await upgrade(url)
    assert await current_revision(url) == head_revision()
    await upgrade(url)  # a second upgrade is a no-op
    store = await SqlStore.open(url)  # and so is the one on open
    try:
        async with store.engine.connect() as connection:
            names = set(await connection.run_sync(
                lambda sync: inspect(sync).get_table_names()))
            indexes = await connection.run_sync(
                lambda sync: {t: {i["name"] for i in inspect(sync).get_indexes(t)}
                              for t in ("seats", "feeds", "outbox", "subscriptions")})
    finally:
        await store.close()
    assert names >= TABLES
    assert {"ix_seats_car_open", "ix_seats_team_open", "ix_seats_driver_open"
            } <= indexes["seats"]
    assert "ix_feeds_due" in indexes["feeds"]
    assert "ix_outbox_due" in indexes["outbox"]
    assert "ix_subscriptions_target" in indexes["subscriptions"]


async def test_migrations_from_empty_on_sqlite(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'nested' / 'fresh.db'}"  # the folder is made too
    await _check_schema(url)
    with sqlite3.connect(tmp_path / "nested" / "fresh.db") as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


@pytest.mark.postgres
async def test_migrations_from_empty_on_postgresql() -> None:
    base = pg_base_url()
    if base is None:
        pytest.skip("PostgreSQL tests need PITBOARD_TEST_DATABASE_URL")
    with pg_database(base, migrate=False) as url:
        await _check_schema(url)


def test_migrations_match_the_models() -> None:
    """Every table the models declare is created by the migrations (checked above) and the
    models declare nothing the migrations lack."""
    assert set(Base.metadata.tables) == TABLES


async def test_autogenerate_finds_no_difference(tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    url = f"sqlite+aiosqlite:///{tmp_path / 'diff.db'}"
    await upgrade(url)
    store = await SqlStore.open(url, upgrade=False)
    try:
        async with store.engine.connect() as connection:
            diff = await connection.run_sync(
                lambda sync: compare_metadata(MigrationContext.configure(sync),
                                              Base.metadata))
    finally:
        await store.close()
    assert diff == []


async def test_autogenerate_leaves_other_apps_tables_alone(tmp_path: Path) -> None:
    """Slack's OAuth stores share the database; a new migration must not drop them."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy import text

    from storage.database import only_pitboard_tables

    url = f"sqlite+aiosqlite:///{tmp_path / 'shared.db'}"
    await upgrade(url)
    store = await SqlStore.open(url, upgrade=False)
    try:
        async with store.engine.begin() as connection:
            await connection.execute(text("CREATE TABLE slack_bots (id INTEGER PRIMARY KEY)"))

        def diff(opts: dict) -> list:
            return connection.run_sync(lambda sync: compare_metadata(
                MigrationContext.configure(sync, opts=opts), Base.metadata))

        async with store.engine.connect() as connection:
            unfiltered = await diff({})
            filtered = await diff({"include_object": only_pitboard_tables})
    finally:
        await store.close()
    assert [op[0] for op in unfiltered] == ["remove_table"]
    assert filtered == []


async def _check_history_backfill(url: str) -> None:
    from sqlalchemy import text

    await upgrade(url, "0001")
    store = await SqlStore.open(url, upgrade=False)
    try:
        async with store.engine.begin() as connection:
            await connection.execute(text(
                "INSERT INTO seat_events (action, series, series_key, season, car, car_key, "
                "team, driver, role, status, actor, at) VALUES ('fill', 'IMSA', 'imsa', 2024, "
                "'31', '31', 'Action Express Racing', 'Pipo Deráni', NULL, 'confirmed', "
                "'rules', '2024-01-01 00:00:00')"))
    finally:
        await store.close()
    await upgrade(url)
    store = await SqlStore.open(url, upgrade=False)
    try:
        [change] = await store.changes(team="action express racing", driver="pipo derani")
        assert change.driver == "Pipo Deráni"
    finally:
        await store.close()


async def test_upgrade_from_0001_backfills_history_keys_on_sqlite(tmp_path: Path) -> None:
    await _check_history_backfill(f"sqlite:///{tmp_path / 'old.db'}")


@pytest.mark.postgres
async def test_upgrade_from_0001_backfills_history_keys_on_postgresql() -> None:
    base = pg_base_url()
    if base is None:
        pytest.skip("PostgreSQL tests need PITBOARD_TEST_DATABASE_URL")
    with pg_database(base, migrate=False) as url:
        await _check_history_backfill(url)


async def _check_news_date_backfill(url: str) -> None:
    """0009: a change made from 2023 news recorded in 2026 is dated by the news."""
    from datetime import UTC, datetime

    from sqlalchemy import text

    await upgrade(url, "0008")
    store = await SqlStore.open(url, upgrade=False)
    try:
        async with store.engine.begin() as connection:
            await connection.execute(text(
                "INSERT INTO stories (id, story_key, summary, revision, first_seen, updated_at, "
                "driver, driver_key, kind, status, teammates, confidence, evidence, "
                "source_title, source_published) VALUES (7, 'k', 's', 1, "
                "'2026-01-02 00:00:00', '2026-01-02 00:00:00', 'Jordan Taylor', "
                "'jordan taylor', 'join', 'confirmed', '[]', 1.0, '', 'Taylor to Corvette', "
                "'2023-03-14 09:00:00')"))
            for story, title, at in (("7", "'Taylor to Corvette'", "2026-01-02 00:00:00"),
                                     ("NULL", "NULL", "2025-06-01 00:00:00")):
                await connection.execute(text(
                    "INSERT INTO seat_events (action, series, series_key, season, car, car_key, "
                    "team, team_key, driver, driver_key, role, status, actor, story_id, "
                    "source_title, at) VALUES ('fill', 'IMSA', 'imsa', 2024, '3', '3', "
                    "'Corvette Racing', 'corvette racing', 'Jordan Taylor', 'jordan taylor', "
                    f"NULL, 'confirmed', 'rules', {story}, {title}, '{at}')"))
    finally:
        await store.close()
    await upgrade(url)
    store = await SqlStore.open(url, upgrade=False)
    try:
        changes = await store.changes(since=datetime(2023, 3, 1, tzinfo=UTC))
        # newest news first: the story-less change keeps the day it was made
        assert [(c.story_id, c.source.published if c.source else None) for c in changes] == [
            (None, None), (7, datetime(2023, 3, 14, 9, tzinfo=UTC))]
        assert [c.story_id for c in await store.changes(
            since=datetime(2024, 1, 1, tzinfo=UTC))] == [None]
    finally:
        await store.close()


async def test_upgrade_to_0009_dates_changes_by_their_news_on_sqlite(tmp_path: Path) -> None:
    await _check_news_date_backfill(f"sqlite:///{tmp_path / 'old.db'}")


@pytest.mark.postgres
async def test_upgrade_to_0009_dates_changes_by_their_news_on_postgresql() -> None:
    base = pg_base_url()
    if base is None:
        pytest.skip("PostgreSQL tests need PITBOARD_TEST_DATABASE_URL")
    with pg_database(base, migrate=False) as url:
        await _check_news_date_backfill(url)
