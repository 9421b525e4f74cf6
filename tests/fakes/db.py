"""Real SqlStores for tests: a migrated SQLite file per test, or a PostgreSQL database per
test run (when PITBOARD_TEST_DATABASE_URL is set).

Other suites use it like this:

    from tests.fakes.db import open_test_store

    async def test_something(tmp_path):
        store = await open_test_store(tmp_path / "pitboard.db")
        try: ...
        finally: await store.close()

or import the fixtures into a conftest:
`from tests.fakes.db import sqlite_store, store_factory  # noqa: F401`.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from storage import SqlStore, normalise_url, upgrade
from storage.tables import Base

PG_ENV = "PITBOARD_TEST_DATABASE_URL"
T = TypeVar("T")
_template: Path | None = None


def sqlite_url(path: str | os.PathLike[str]) -> str:
    return f"sqlite+aiosqlite:///{Path(path)}"


def _sqlite_template() -> Path:
    """One migrated database per test process; each test gets a copy (migrating is the slow
    part of opening a fresh store)."""
    global _template
    if _template is None or not _template.exists():
        folder = Path(tempfile.mkdtemp(prefix="pitboard-template-"))
        path = folder / "template.db"
        _run(upgrade(sqlite_url(path)))
        _template = path
    return _template


def _copy_template(target: Path) -> None:
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(_sqlite_template(), target)


async def open_test_store(path: str | os.PathLike[str] | None = None, *,
                          url: str | None = None, upgrade_url: bool = True) -> SqlStore:
    """A migrated store: a SQLite file at `path` (copied from a migrated template), or the
    database at `url`. Close it when done."""
    if url is not None:
        return await SqlStore.open(url, upgrade=upgrade_url)
    if path is None:
        path = Path(tempfile.mkdtemp(prefix="pitboard-")) / "pitboard.db"
    await asyncio.to_thread(_copy_template, Path(path))
    return await SqlStore.open(sqlite_url(path), upgrade=False)


@pytest.fixture
async def sqlite_store(tmp_path: Path) -> AsyncIterator[SqlStore]:
    store = await open_test_store(tmp_path / "pitboard.db")
    yield store
    await store.close()


@pytest.fixture
async def store_factory(tmp_path: Path) -> AsyncIterator[Callable[..., Awaitable[SqlStore]]]:
    """`await store_factory()` opens a store on a fresh SQLite file (or, given the same
    name twice, a second store on the same file, like a second process); all are closed
    after the test."""
    opened: list[SqlStore] = []

    async def make(name: str = "pitboard.db") -> SqlStore:
        store = await open_test_store(tmp_path / name)
        opened.append(store)
        return store

    yield make
    for store in opened:
        await store.close()


# ----- PostgreSQL ---------------------------------------------------------------------------


def _run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion from sync code, even inside a running event loop
    (fixtures set up from async tests): in a thread with a loop of its own."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def pg_base_url() -> str | None:
    url = os.environ.get(PG_ENV)
    return normalise_url(url) if url else None


async def _admin(base_url: str, statement: str) -> None:
    maintenance = make_url(base_url).set(database="postgres")
    engine = create_async_engine(maintenance, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(text(statement))
    finally:
        await engine.dispose()


@contextmanager
def pg_database(base_url: str, *, migrate: bool = True) -> Iterator[str]:
    """A fresh database `pitboard_test_<random>` beside the one in `base_url` (migrated
    unless `migrate` is False), dropped afterwards; yields its URL."""
    name = f"pitboard_test_{uuid.uuid4().hex[:12]}"
    _run(_admin(base_url, f'CREATE DATABASE "{name}"'))
    url = make_url(base_url).set(database=name).render_as_string(hide_password=False)
    try:
        if migrate:
            _run(upgrade(url))
        yield url
    finally:
        _run(_admin(base_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def truncate_all(store: SqlStore) -> None:
    """Empty every table of a PostgreSQL store (the schema stays), ids from 1 again."""
    tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    async with store.engine.begin() as connection:
        await connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@dataclass
class StatementCounts:
    """What a store sent its database while `counting` watched."""

    statements: int = 0
    commits: int = 0
    article_inserts: int = 0
    groups: list[int] = field(default_factory=list)  # for tests that note poll groups


@contextmanager
def counting(store: SqlStore) -> Iterator[StatementCounts]:
    """Count the statements, commits and INSERTs into articles a store makes, as SQLAlchemy's
    engine events see them."""
    counts = StatementCounts()
    engine = store.engine.sync_engine

    def on_statement(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        counts.statements += 1
        if statement.lstrip().upper().startswith("INSERT INTO ARTICLES"):
            counts.article_inserts += 1

    def on_commit(_conn: Any) -> None:
        counts.commits += 1

    event.listen(engine, "before_cursor_execute", on_statement)
    event.listen(engine, "commit", on_commit)
    try:
        yield counts
    finally:
        event.remove(engine, "before_cursor_execute", on_statement)
        event.remove(engine, "commit", on_commit)
