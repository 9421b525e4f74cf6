"""The worker's start-up line names its database without the password in DATABASE_URL."""

from __future__ import annotations

import asyncio
import logging

import pytest
from sqlalchemy.engine import make_url

from bot.app import run_worker
from bot.config import Settings
from tests.fakes.db import PG_ENV, pg_base_url, pg_database

pytestmark = pytest.mark.skipif(pg_base_url() is None, reason=(
    f"a database URL with a password needs PostgreSQL: set {PG_ENV} "
    "(e.g. postgresql+asyncpg://postgres@127.0.0.1:5432/test)"))

PASSWORD = "pit-lane-s3cret"  # trust authentication accepts and ignores it


async def test_worker_log_hides_the_database_password(caplog: pytest.LogCaptureFixture):
    base = pg_base_url()
    assert base is not None
    with pg_database(base) as url:
        with_password = make_url(url).set(password=PASSWORD).render_as_string(
            hide_password=False)
        settings = Settings(_env_file=None, database_url=with_password,
                            pitboard_console=True, pitboard_feeds="")
        stop = asyncio.Event()
        caplog.set_level(logging.INFO, logger="bot.app")
        worker = asyncio.create_task(run_worker(settings, stop=stop))
        for _ in range(200):
            if "Pitboard running" in caplog.text:
                break
            await asyncio.sleep(0.05)
        stop.set()
        await asyncio.wait_for(worker, 10)
    assert "Pitboard running" in caplog.text
    assert PASSWORD not in caplog.text
    assert "postgres:***@" in caplog.text
