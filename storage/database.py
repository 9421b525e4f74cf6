"""Database URLs, engines and schema upgrades."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from platformdirs import user_data_dir
from sqlalchemy import event, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from storage.errors import translate_errors

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 5000


def default_database_url() -> str:
    """The per-user SQLite file, e.g. ~/.local/share/pitboard/pitboard.db on Linux."""
    folder = Path(user_data_dir("pitboard"))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite+aiosqlite:///{folder / 'pitboard.db'}"


def normalise_url(url: str) -> str:
    """Accept the URLs people and platforms hand out and pick the async drivers.

    Heroku-style `postgres://` and plain `postgresql://` become `postgresql+asyncpg://`;
    `sqlite:///file` becomes `sqlite+aiosqlite:///file`. Other drivers are refused: the
    store needs an asyncio one."""
    url = url.strip()
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    parsed = make_url(url)
    backend, _, driver = parsed.drivername.partition("+")
    if backend == "postgresql":
        if driver in ("", "asyncpg", "psycopg2", "psycopg", "pg8000"):
            parsed = parsed.set(drivername="postgresql+asyncpg")
    elif backend == "sqlite":
        if driver in ("", "pysqlite", "aiosqlite"):
            parsed = parsed.set(drivername="sqlite+aiosqlite")
    else:
        raise ValueError(f"unsupported database {backend!r}: use SQLite or PostgreSQL")
    return parsed.render_as_string(hide_password=False)


def _sqlite_pragmas(busy_timeout_ms: int) -> Callable[[Any, Any], None]:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # pysqlite's own transaction handling begins late and never as IMMEDIATE; we turn
        # it off and emit BEGIN ourselves (see _sqlite_begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return on_connect


def _sqlite_begin(connection: Connection) -> None:
    # Writers take the write lock up front: a deferred transaction that reads and then
    # writes can fail at once with "database is locked" when another connection got there
    # first, whatever the busy timeout. Readers stay deferred and never block writers (WAL).
    if not connection.get_execution_options().get("pitboard_read_only"):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def create_engine(url: str, *, sqlite_busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS,
                  **kwargs: Any) -> AsyncEngine:
    """An async engine for `url`: SQLite with WAL, foreign keys and a busy timeout;
    PostgreSQL with pre-ping, so connections dropped by a restart are replaced."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
        path = make_url(url).database
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # Every write ends in COMMIT or ROLLBACK and reads never BEGIN (below), so there is
        # nothing to reset when a connection goes back to the pool.
        kwargs.setdefault("pool_reset_on_return", None)
        engine = create_async_engine(url, **kwargs)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas(sqlite_busy_timeout_ms))
        event.listen(engine.sync_engine, "begin", _sqlite_begin)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_async_engine(url, **kwargs)


def alembic_config(url: str | None = None) -> Config:
    """Alembic's configuration, built in code: the migrations ship inside the package, so
    nothing depends on the current directory or an ini file."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("path_separator", "os")
    if url is not None:
        # ConfigParser interpolation would choke on a '%' in a password.
        config.set_main_option("sqlalchemy.url", normalise_url(url).replace("%", "%%"))
    return config


def _upgrade_on(connection: Connection, config: Config, revision: str) -> None:
    from alembic import command

    config.attributes["connection"] = connection
    command.upgrade(config, revision)


_REVISION_LINE = re.compile(r"^revision(?::[^=]*)?=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)
_DOWN_REVISION_LINE = re.compile(r"^down_revision(?::[^=]*)?=\s*['\"]([^'\"]+)['\"]",
                                 re.MULTILINE)


@cache
def shipped_head() -> str | None:
    """The newest migration shipped, read from the migration files' own revision lines.
    Every worker start asks whether the schema is current; answering that without importing
    Alembic keeps its ~11 MB out of a worker whose schema is already up to date (a test
    holds this equal to Alembic's own answer)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        revisions.update(_REVISION_LINE.findall(source))
        parents.update(_DOWN_REVISION_LINE.findall(source))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


async def _is_current(engine: AsyncEngine) -> bool:
    head = shipped_head()
    if head is None:
        return False
    try:
        async with engine.connect() as connection:
            found = (await connection.execute(text("SELECT version_num FROM alembic_version"))
                     ).scalars().all()
    except DBAPIError:
        return False  # no alembic_version table yet: a new database
    return found == [head]


@translate_errors
async def upgrade(url: str, revision: str = "head") -> None:
    """Bring the schema up to `revision` (default: the newest)."""
    engine = create_engine(url)
    try:
        if revision == "head" and await _is_current(engine):
            return
        async with engine.begin() as connection:
            await connection.run_sync(_upgrade_on, alembic_config(url), revision)
    finally:
        await engine.dispose()


def _revision_of(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


@translate_errors
async def current_revision(url: str) -> str | None:
    """The schema revision the database is at; None for an empty database."""
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(_revision_of)
    finally:
        await engine.dispose()


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def only_pitboard_tables(obj: object, name: str | None, type_: str, reflected: bool,
                         compare_to: object) -> bool:
    """Alembic autogenerate's include_object: leave alone the tables others keep in this
    database (Slack's OAuth installation and state stores). A table found in the database
    but not in Pitboard's metadata is not Pitboard's to drop."""
    return not (type_ == "table" and reflected and compare_to is None)
