"""A database that is briefly unavailable gives TransientStorageError, and the same store
works again once the database is back."""

from __future__ import annotations

import asyncio
import socket
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url

from storage import TRANSIENT_ERRORS, SqlStore, TransientStorageError, is_transient
from tests.fakes.db import open_test_store


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_nothing_listening_is_transient() -> None:
    url = f"postgresql+asyncpg://postgres@127.0.0.1:{_free_port()}/nowhere"
    with pytest.raises(TransientStorageError, match="database unavailable"):
        await SqlStore.open(url)
    store = await SqlStore.open(url, upgrade=False)
    try:
        with pytest.raises(TRANSIENT_ERRORS):
            await store.list_feeds()
    finally:
        await store.close()


async def test_a_locked_sqlite_file_is_transient(tmp_path: Path) -> None:
    path = tmp_path / "pitboard.db"
    store = await open_test_store(path)
    await store.close()
    store = await SqlStore.open(f"sqlite:///{path}", upgrade=False, sqlite_busy_timeout_ms=50)
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        with pytest.raises(TransientStorageError, match="locked"):
            await store.add_feed("https://a.example/rss")
        holder.execute("ROLLBACK")
        assert (await store.add_feed("https://a.example/rss")).id == 1
    finally:
        holder.close()
        await store.close()


async def test_statement_errors_are_not_transient(store: SqlStore) -> None:
    assert not is_transient(sa_exc.IntegrityError("INSERT", {}, Exception("duplicate")))
    assert not is_transient(ValueError("bad"))
    assert is_transient(ConnectionRefusedError())
    naive = datetime(2026, 1, 1)  # naive on purpose: the mistake under test
    with pytest.raises(ValueError, match="naive"):
        await store.claim_due_feeds(naive, limit=1, worker="w", lease_seconds=1)


class _Proxy:
    """A TCP relay to PostgreSQL that can be taken down and brought back on the same port,
    like a database restart."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = _free_port()
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._relay, "127.0.0.1", self.port)

    async def stop(self) -> None:
        assert self._server is not None
        self._server.close()
        for writer in list(self._writers):
            writer.close()
        await self._server.wait_closed()
        self._writers.clear()

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_connection(*self.target)
        self._writers |= {writer, upstream_writer}

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            try:
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                sink.close()

        await asyncio.gather(pipe(reader, upstream_writer), pipe(upstream_reader, writer))


@asynccontextmanager
async def _proxied(url: str) -> AsyncIterator[tuple[_Proxy, str]]:
    parsed = make_url(url)
    proxy = _Proxy(parsed.host or "127.0.0.1", parsed.port or 5432)
    await proxy.start()
    try:
        yield proxy, parsed.set(host="127.0.0.1", port=proxy.port).render_as_string(
            hide_password=False)
    finally:
        if proxy._server is not None and proxy._server.is_serving():
            await proxy.stop()


@pytest.mark.postgres
async def test_postgresql_restart_is_transient_then_recovers(pg_url: str) -> None:
    async with _proxied(pg_url) as (proxy, url):
        store = await SqlStore.open(url, upgrade=False)
        try:
            feed = await store.add_feed("https://restart.example/rss")
            await proxy.stop()
            with pytest.raises(TransientStorageError):
                await store.get_feed(feed.id)
            await proxy.start()
            again = await store.get_feed(feed.id)
            assert again is not None and again.url == "https://restart.example/rss"
        finally:
            await store.close()
