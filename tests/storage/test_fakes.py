"""The helpers other suites use to get a real store."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from storage import SqlStore, current_revision, head_revision
from tests.fakes.db import sqlite_store, store_factory  # noqa: F401 - fixtures under test


async def test_sqlite_store_fixture_is_migrated_and_empty(sqlite_store: SqlStore) -> None:  # noqa: F811
    assert await sqlite_store.list_feeds() == []
    url = sqlite_store.engine.url.render_as_string(hide_password=False)
    assert await current_revision(url) == head_revision()


async def test_store_factory_shares_files_by_name(
        store_factory: Callable[..., Awaitable[SqlStore]]) -> None:  # noqa: F811
    first = await store_factory()
    second = await store_factory()
    other = await store_factory("other.db")
    await first.add_feed("https://a.example/rss")
    assert len(await second.list_feeds()) == 1
    assert await other.list_feeds() == []
