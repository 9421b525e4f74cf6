"""Coordination between worker processes through the database: who holds a chat gateway,
and how many workers share a platform token's rate limit.

PostgreSQL: session advisory locks on one connection each worker keeps open.
- Leadership of a gateway is `pg_try_advisory_lock` on a key made from the token: one
  session in the whole database holds it. A worker that dies (or loses its connection)
  loses the lock with its session, and the next worker to ask gets it.
- Membership is a *shared* advisory lock on another key from the token: every worker
  with the token holds it, and counting its holders in `pg_locks` counts the live workers
  (a dead worker's session, and its lock, go away with it). No table, no heartbeat rows to
  expire, nothing to clean up.

SQLite: one process runs everything (SQLite has one writer), so it leads every gateway and
is alone with every token.

Keys are the two-int form of the advisory lock functions: a constant per purpose and 31
bits of a SHA-256 of the token. The token itself never reaches the database."""

from __future__ import annotations

import hashlib
import logging

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

log = logging.getLogger(__name__)

_LEADER = 0x70620001  # "pb" 1: one holder, the gateway
_MEMBER = 0x70620002  # "pb" 2: shared by every worker with the token

_COUNT_MEMBERS = text("""
    SELECT count(*) FROM pg_locks
    WHERE locktype = 'advisory' AND granted AND objsubid = 2
      AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
      AND classid::text::bigint = :space AND objid::text::bigint = :key
""")


def token_key(name: str) -> int:
    """A stable non-negative 31-bit key for a secret name: the same in every worker."""
    digest = hashlib.sha256(b"pitboard-coordination:" + name.encode()).digest()
    return int.from_bytes(digest[:4], "big") & 0x7FFFFFFF


class Coordination:
    """Leadership and membership per name (a platform token). Call `refresh` now and then:
    it reconnects after an outage and takes back what this worker held."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._connection: AsyncConnection | None = None
        self._members: set[str] = set()  # names whose shared lock this session holds
        self._leading: set[str] = set()  # names whose gateway lock this session holds

    @property
    def shared(self) -> bool:
        """False on SQLite, where this process is the only worker."""
        return self._engine.dialect.name == "postgresql"

    async def _session(self) -> AsyncConnection:
        if self._connection is None:
            connection = await self._engine.connect()
            # Advisory locks belong to the session, not a transaction: autocommit keeps
            # this long-lived connection from sitting "idle in transaction".
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            self._connection = connection
            self._members.clear()
            self._leading.clear()
        return self._connection

    async def _drop_session(self) -> None:
        connection, self._connection = self._connection, None
        self._members.clear()
        self._leading.clear()
        if connection is not None:
            try:
                await connection.invalidate()
                await connection.close()
            except Exception as exc:  # it is broken already; nothing is left to release
                log.debug("closing the coordination connection: %r", exc)

    async def join(self, name: str) -> int:
        """Count this worker among those with `name`; returns how many live workers have it
        (at least 1). Raises when the database is unreachable."""
        if not self.shared:
            return 1
        try:
            connection = await self._session()
            if name not in self._members:
                await connection.execute(text("SELECT pg_advisory_lock_shared(:space, :key)"),
                                         {"space": _MEMBER, "key": token_key(name)})
                self._members.add(name)
            count = (await connection.execute(
                _COUNT_MEMBERS, {"space": _MEMBER, "key": token_key(name)})).scalar_one()
        except Exception:
            await self._drop_session()
            raise
        return max(int(count), 1)

    async def lead(self, name: str) -> bool:
        """Whether this worker holds the one lock for `name`, taking it if it is free.
        Asked again, it checks the session still holds it (its connection may have
        dropped: then the lock went with it, and is taken again only if still free).
        Raises when the database is unreachable."""
        if not self.shared:
            return True
        try:
            connection = await self._session()
            if name in self._leading:
                await connection.execute(text("SELECT 1"))  # the session, and the lock, live
                return True
            taken = (await connection.execute(
                text("SELECT pg_try_advisory_lock(:space, :key)"),
                {"space": _LEADER, "key": token_key(name)})).scalar_one()
        except Exception:
            await self._drop_session()
            raise
        if taken:
            self._leading.add(name)
        return bool(taken)

    async def resign(self, name: str) -> None:
        """Give up leadership of `name` (shutting down): another worker may take it now."""
        if name not in self._leading or self._connection is None:
            return
        self._leading.discard(name)
        await self._connection.execute(text("SELECT pg_advisory_unlock(:space, :key)"),
                                       {"space": _LEADER, "key": token_key(name)})

    async def close(self) -> None:
        """End the session: every lock it held is released with it. (Invalidated, not
        returned to the pool: a pooled connection keeps its session, and its locks.)"""
        connection, self._connection = self._connection, None
        self._members.clear()
        self._leading.clear()
        if connection is not None:
            await connection.invalidate()
            await connection.close()
