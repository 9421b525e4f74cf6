"""Which storage failures are worth retrying, as one exception type callers can catch."""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Awaitable, Callable
from typing import ParamSpec, TypeVar

from sqlalchemy import exc as sa_exc

P = ParamSpec("P")
T = TypeVar("T")

# PostgreSQL SQLSTATE classes and codes that mean "try again shortly": connection
# exceptions (08), insufficient resources (53), operator intervention / server starting or
# shutting down (57P0x), serialization failures and deadlocks (40001, 40P01).
_PG_TRANSIENT_CLASSES = ("08", "53")
_PG_TRANSIENT_CODES = ("57P01", "57P02", "57P03", "40001", "40P01")
_SQLITE_TRANSIENT = ("database is locked", "database table is locked", "unable to open")


class StorageError(Exception):
    """Base class of the errors the store raises on purpose."""


class TransientStorageError(StorageError):
    """The database could not be reached or was busy: the same call may well succeed in a
    moment (a restart, a failover, a locked SQLite file). Nothing was committed.

    The scheduler jobs and the delivery worker catch this, log it and leave the work for
    the next tick; commands answer "try again in a moment"."""


# What callers should treat as "retry later". Everything else is a bug or bad data.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (TransientStorageError,)


def _sqlstate(error: BaseException | None) -> str | None:
    for candidate in (error, getattr(error, "__cause__", None)):
        state = getattr(candidate, "sqlstate", None) or getattr(candidate, "pgcode", None)
        if isinstance(state, str):
            return state
    return None


def is_transient(error: BaseException) -> bool:
    """True for failures of the connection or a busy database, not of the statement."""
    if isinstance(error, TransientStorageError):
        return True
    if isinstance(error, ConnectionError | TimeoutError):
        return True
    if isinstance(error, OSError) and not isinstance(error, sqlite3.Error):
        return True  # connection refused, host unreachable, socket closed
    if isinstance(error, sa_exc.DBAPIError):
        if error.connection_invalidated:
            return True
        original = error.orig
        state = _sqlstate(original)
        if state is not None:
            return state.startswith(_PG_TRANSIENT_CLASSES) or state in _PG_TRANSIENT_CODES
        if isinstance(original, ConnectionError | TimeoutError | OSError):
            return True
        if isinstance(error, sa_exc.OperationalError) and original is not None:
            text = str(original).casefold()
            return any(marker in text for marker in _SQLITE_TRANSIENT) or (
                "connection" in text and ("closed" in text or "refused" in text))
        return isinstance(error, sa_exc.InterfaceError)
    # sqlalchemy's TimeoutError: the pool had no connection free in time.
    return isinstance(error, sa_exc.TimeoutError)


def translate_errors(function: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[T]]:
    """Re-raise transient failures as TransientStorageError; let everything else through."""

    @functools.wraps(function)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return await function(*args, **kwargs)
        except StorageError:
            raise
        except Exception as error:
            if is_transient(error):
                raise TransientStorageError(
                    f"database unavailable or busy ({type(error).__name__}: {error})"
                ) from error
            raise

    return wrapper
