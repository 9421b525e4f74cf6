"""The database goes away while `pitboard run` workers poll, then comes back: every feed is
polled again within one interval of its return, and each worker logs the outage twice,
when it starts and when it ends (with its length), with no traceback.

Two real worker processes reach PostgreSQL through a TCP proxy on 127.0.0.1 that the test
cuts (new connections refused, open ones reset) and restores; fake news site and fake
Discord on 127.0.0.1. Needs PITBOARD_TEST_DATABASE_URL."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from tests.e2e.procs import TimedFeedServer, Worker, quiet_item, wait_until, worker_env
from tests.fakes.db import PG_ENV, open_test_store, pg_base_url, pg_database
from tests.fakes.discord_server import FakeDiscord
from tests.fakes.feed_server import rss
from tests.fakes.tcp_proxy import TcpProxy

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(pg_base_url() is None, reason=(
        f"the outage is cut between workers and PostgreSQL: set {PG_ENV} "
        "(e.g. postgresql+asyncpg://postgres@127.0.0.1:5432/test)")),
]

FEEDS = 8
INTERVAL = 3  # seconds between polls of a feed
TICK = 1  # PITBOARD_POLL_SECONDS
OUTAGE = 6  # seconds the database is away
STARTED = "database unavailable:"
ENDED = "database available again after"


async def test_a_database_outage_costs_its_length_and_two_log_lines(tmp_path: Path) -> None:
    base = pg_base_url()
    assert base is not None
    with pg_database(base) as database_url:
        store = await open_test_store(url=database_url, upgrade_url=False)
        direct = make_url(database_url)
        try:
            async with FakeDiscord() as discord_fake, TimedFeedServer() as news, \
                    TcpProxy(direct.host or "127.0.0.1", direct.port or 5432) as proxy:
                paths = [f"/feed-{i}.xml" for i in range(FEEDS)]
                for i, path in enumerate(paths):
                    news.set_feed(path, rss([quiet_item(f"old-{i}")], title=f"Feed {i}"))
                    # Slow enough that polls are mid-fetch when the line is cut, and finish
                    # into a database that is not there.
                    news.slow(path, 0.8)
                    await store.add_feed(news.url(path), interval_seconds=INTERVAL)
                through_proxy = direct.set(port=proxy.port).render_as_string(
                    hide_password=False)
                env = worker_env(through_proxy, discord_fake, PITBOARD_POLL_SECONDS=str(TICK),
                                 PITBOARD_FEED_LEASE_SECONDS="30")
                workers = [Worker.start(name, env, tmp_path) for name in ("a", "b")]
                try:
                    await wait_until(lambda: all(len(news.arrivals.get(p, [])) >= 2
                                                 for p in paths),
                                     within=30, workers=workers, what="two polls of each feed")
                    await proxy.cut()
                    await asyncio.sleep(OUTAGE)
                    await proxy.restore()
                    back = time.monotonic()

                    def polled_since_back() -> bool:
                        return all(any(t >= back for t in news.arrivals[p]) for p in paths)

                    # Within one interval of its return (plus the tick that claims them);
                    # without the hand-back, the 30 s leases of the cut polls would hold
                    # their feeds far longer.
                    await wait_until(polled_since_back, within=INTERVAL + TICK + 2,
                                     workers=workers, what="every feed polled after the outage")
                    await wait_until(lambda: all(ENDED in w.log_path.read_text()
                                                 for w in workers),
                                     within=10, workers=workers, what="the end of the outage")
                finally:
                    # In threads: the proxy runs on this loop, and a stopping worker hands
                    # its leases back through it.
                    await asyncio.gather(*(asyncio.to_thread(w.stop) for w in workers))
                for worker in workers:
                    log = worker.log_path.read_text(errors="replace")
                    assert log.count(STARTED) == 1, log
                    assert log.count(ENDED) == 1, log
                    assert "Traceback" not in log, log
                    assert "tick skipped" not in log, log
                    assert worker.process.returncode == 0, log
        finally:
            await store.close()
