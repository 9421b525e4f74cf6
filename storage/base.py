"""What every part of the store shares: the engine, its transactions, and the statements
and columns more than one table uses."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Self

from sqlalchemy import Table
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.models import Source
from storage.database import create_engine
from storage.database import upgrade as upgrade_schema


class StoreBase:
    """The engine and its transactions; each concern's mixin (storage/feeds.py and its
    siblings) adds the methods of one port on top.

    Every method of the store runs in its own transaction and returns domain dataclasses.
    A database that cannot be reached raises `storage.TransientStorageError`."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        # SQLite has one writer at a time. Queueing our own writers here costs nothing,
        # where letting them collide in SQLite's busy handler costs sleeps of up to 100 ms.
        self._write_lock = asyncio.Lock() if engine.dialect.name == "sqlite" else None

    @classmethod
    async def open(cls, url: str, *, upgrade: bool = True, **engine_options: Any) -> Self:
        """Connect to `url` (see `normalise_url`), first bringing the schema up to date."""
        if upgrade:
            await upgrade_schema(url)
        return cls(create_engine(url, **engine_options))

    @property
    def engine(self) -> AsyncEngine:
        return self._engine

    @property
    def dialect(self) -> str:
        return self._engine.dialect.name

    async def close(self) -> None:
        await self._engine.dispose()

    @asynccontextmanager
    async def _write(self) -> AsyncIterator[AsyncConnection]:
        if self._write_lock is None:
            async with self._engine.begin() as connection:
                yield connection
            return
        async with self._write_lock, self._engine.begin() as connection:
            yield connection

    @asynccontextmanager
    async def _read(self) -> AsyncIterator[AsyncConnection]:
        async with self._engine.connect() as connection:
            await connection.execution_options(pitboard_read_only=True)
            if self._write_lock is not None:
                # SQLite: each read is one statement in autocommit (no BEGIN), which is
                # consistent by itself and spares the round trips to aiosqlite's thread.
                yield connection
                return
            try:
                yield connection
            finally:
                await connection.rollback()


def insert_for(connection: AsyncConnection, table: Table) -> Any:
    """The dialect's INSERT, which knows ON CONFLICT."""
    if connection.dialect.name == "postgresql":
        return pg_insert(table)
    return sqlite_insert(table)


_INSERTS_IGNORING: dict[tuple[str, str], Any] = {}


def insert_ignoring(connection: AsyncConnection, table: Table) -> Any:
    """INSERT ... ON CONFLICT DO NOTHING, for rows given as parameters: built once per
    dialect and table, because building a statement costs more than running a small one."""
    cache_key = (connection.dialect.name, table.name)
    statement = _INSERTS_IGNORING.get(cache_key)
    if statement is None:
        statement = _INSERTS_IGNORING[cache_key] = (
            insert_for(connection, table).on_conflict_do_nothing())
    return statement


def source_of(row: Any, prefix: str = "source_") -> Source | None:
    """The latest source kept beside a story or a seat (tables._SourceColumns)."""
    title = getattr(row, f"{prefix}title")
    if title is None:
        return None
    return Source(title=title, url=getattr(row, f"{prefix}url"),
                  name=getattr(row, f"{prefix}name", None),
                  published=getattr(row, f"{prefix}published", None))


def source_columns(source: Source | None) -> dict[str, Any]:
    return {
        "source_title": source.title if source else None,
        "source_url": source.url if source else None,
        "source_name": source.name if source else None,
        "source_published": source.published if source else None,
    }
