"""The storage contract suite runs on every backend: SQLite always, PostgreSQL when
PITBOARD_TEST_DATABASE_URL is set (one database per test run, emptied between tests)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from storage import SqlStore
from tests.fakes.db import PG_ENV, open_test_store, pg_base_url, pg_database, truncate_all

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    base = pg_base_url()
    if base is None:
        pytest.skip(f"PostgreSQL tests need {PG_ENV} "
                    "(e.g. postgresql+asyncpg://postgres@127.0.0.1:5432/test)")
    with pg_database(base) as url:
        yield url


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def database_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL to a migrated, empty database of this backend."""
    if backend == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'pitboard.db'}"
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
async def store(backend: str, request: pytest.FixtureRequest,
                tmp_path: Path) -> AsyncIterator[SqlStore]:
    if backend == "sqlite":
        opened = await open_test_store(tmp_path / "pitboard.db")
    else:
        opened = await open_test_store(url=request.getfixturevalue("pg_url"), upgrade_url=False)
        await truncate_all(opened)
    yield opened
    await opened.close()
