"""Real `pitboard run` workers that die or stop hold nothing up for long.

- SIGKILL a worker mid-poll: another worker polls its feeds within one feed lease
  (PITBOARD_FEED_LEASE_SECONDS), not after a fixed five minutes.
- SIGTERM a worker mid-poll and mid-send: it hands back every lease it holds, closes its
  gateway and exits 0 without a traceback.

Fake news site and fake Discord on 127.0.0.1. The kill test needs two workers on one
database, so PostgreSQL (PITBOARD_TEST_DATABASE_URL); the stop test runs on SQLite too."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.models import Article, Extraction, Move, MoveKind
from storage import SqlStore
from storage.tables import FeedRow, OutboxRow
from tests.e2e.procs import (
    ALERTS_CHANNEL_ID,
    TimedFeedServer,
    Worker,
    quiet_item,
    use_alerts_channel,
    wait_until,
    worker_env,
)
from tests.fakes.db import PG_ENV, open_test_store, pg_base_url, pg_database
from tests.fakes.discord_server import FakeDiscord
from tests.fakes.feed_server import rss

FEEDS = 6
LEASE = 4  # PITBOARD_FEED_LEASE_SECONDS in these workers
TICK = 1  # PITBOARD_POLL_SECONDS
feeds_table = FeedRow.__table__
outbox = OutboxRow.__table__
needs_postgres = pytest.mark.skipif(pg_base_url() is None, reason=(
    f"two workers sharing feeds need PostgreSQL: set {PG_ENV} "
    "(e.g. postgresql+asyncpg://postgres@127.0.0.1:5432/test)"))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=[pytest.mark.postgres,
                                                                     needs_postgres])])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'pitboard.db'}"
        return
    base = pg_base_url()
    assert base is not None
    with pg_database(base) as url:
        yield url


@pytest.fixture
async def store(database_url: str, tmp_path: Path) -> AsyncIterator[SqlStore]:
    if database_url.startswith("sqlite"):
        opened = await open_test_store(tmp_path / "pitboard.db")
    else:
        opened = await open_test_store(url=database_url, upgrade_url=False)
    yield opened
    await opened.close()


async def feed_leases(store: SqlStore) -> dict[str | None, int]:
    async with store.engine.connect() as connection:
        rows = await connection.execute(
            select(feeds_table.c.lease_owner, func.count()).group_by(feeds_table.c.lease_owner))
        return {owner: count for owner, count in rows}


async def outbox_leases(store: SqlStore) -> dict[str | None, int]:
    async with store.engine.connect() as connection:
        rows = await connection.execute(
            select(outbox.c.lease_owner, func.count()).group_by(outbox.c.lease_owner))
        return {owner: count for owner, count in rows}


async def slow_feeds(store: SqlStore, news: TimedFeedServer, seconds: float) -> list[str]:
    paths = [f"/slow-{i}.xml" for i in range(FEEDS)]
    for i, path in enumerate(paths):
        news.set_feed(path, rss([quiet_item(f"old-{i}")], title=f"Feed {i}"))
        news.slow(path, seconds)
        await store.add_feed(news.url(path), interval_seconds=600)
    return paths


async def queue_one_alert(store: SqlStore) -> None:
    feed = await store.add_feed("https://elsewhere.example/rss")
    await store.set_paused(feed.id, True)
    [article] = await store.add_articles(feed.id, [Article(entry_id="a", title="t")])
    [story] = await store.record_extraction(article, Extraction(
        moves=(Move(driver="Oliver Bearman", kind=MoveKind.JOIN, team="Haas", series="F1",
                    season=2025),), summaries=("Oliver Bearman → Haas (F1 2025)",)))
    await use_alerts_channel(store)
    destinations = await store.matching_destinations({})
    assert await store.enqueue(story, destinations) == 1


def env(database_url: str, discord_fake: FakeDiscord, **extra: str) -> dict[str, str]:
    return worker_env(database_url, discord_fake, PITBOARD_FEED_LEASE_SECONDS=str(LEASE),
                      PITBOARD_POLL_SECONDS=str(TICK), **extra)


async def test_sigterm_hands_back_every_lease_and_exits_cleanly(
        store: SqlStore, database_url: str, tmp_path: Path) -> None:
    async with FakeDiscord() as discord_fake, TimedFeedServer() as news:
        # Every feed is leased and the first are mid-fetch at the signal (the fetcher opens
        # a few connections per host at a time; the others wait their turn).
        await slow_feeds(store, news, 30)
        await queue_one_alert(store)
        discord_fake.hold("POST", f"/channels/{ALERTS_CHANNEL_ID}/messages", seconds=30)
        worker = Worker.start("a", env(database_url, discord_fake,
                                       PITBOARD_SHUTDOWN_GRACE_SECONDS="1",
                                       PITBOARD_LEASE_SECONDS="60"), tmp_path)
        try:
            async def holds_everything() -> bool:
                return (await feed_leases(store)).get(worker.worker_id) == FEEDS and \
                    (await outbox_leases(store)).get(worker.worker_id) == 1 and \
                    bool(news.arrivals) and bool(discord_fake.held())

            await wait_until(holds_everything, within=20, workers=[worker],
                             what="the worker to be mid-fetch on every feed and mid-send")
            started = time.monotonic()
            worker.process.terminate()
            code = worker.process.wait(timeout=15)
            stopped_in = time.monotonic() - started
        finally:
            worker.stop()
        log = worker.log_path.read_text(errors="replace")
        assert code == 0, log
        assert "Traceback" not in log and "CancelledError" not in log, log
        assert stopped_in < 10, f"took {stopped_in:.1f}s to stop"
        # Nothing waits for a lease to run out: every feed and the alert are free now.
        assert await feed_leases(store) == {None: FEEDS + 1}
        assert await outbox_leases(store) == {None: 1}


@needs_postgres
@pytest.mark.postgres
async def test_sigkill_strands_feeds_for_one_lease_at_most(tmp_path: Path) -> None:
    base = pg_base_url()
    assert base is not None
    with pg_database(base) as database_url:
        store = await open_test_store(url=database_url, upgrade_url=False)
        try:
            async with FakeDiscord() as discord_fake, TimedFeedServer() as news:
                paths = await slow_feeds(store, news, 30)
                config = env(database_url, discord_fake, LOG_LEVEL="INFO")
                doomed = Worker.start("doomed", config, tmp_path)
                survivor: Worker | None = None
                try:
                    async def doomed_holds_all() -> bool:
                        return (await feed_leases(store)).get(doomed.worker_id) == FEEDS

                    await wait_until(doomed_holds_all, within=20, workers=[doomed],
                                     what="the first worker to lease every feed")
                    survivor = Worker.start("survivor", config, tmp_path)
                    await wait_until(
                        lambda: "Pitboard running" in survivor.log_path.read_text(),
                        within=20, workers=[doomed, survivor], what="the second worker")
                    # Past a whole lease the hung polls still hold their feeds: renewed,
                    # so the survivor has polled none of them.
                    await asyncio.sleep(LEASE + 1)
                    # (The fetcher opens a few connections per host at a time: the first
                    # feeds are mid-fetch, the others wait their turn, all of them leased.)
                    before = {path: len(news.arrivals.get(path, [])) for path in paths}
                    assert all(count <= 1 for count in before.values()), before
                    assert (await feed_leases(store)).get(doomed.worker_id) == FEEDS
                    for path in paths:
                        news.slow(path, 0)
                    killed_at = time.monotonic()
                    doomed.kill()

                    def all_polled_again() -> bool:
                        return all(len(news.arrivals.get(path, [])) > before[path]
                                   for path in paths)

                    await wait_until(all_polled_again, within=LEASE + 3 * TICK + 5,
                                     workers=[survivor], what="the dead worker's feeds")
                    late = max(news.arrivals[path][before[path]] for path in paths) - killed_at
                    # One lease, the tick the survivor claims on, a busy machine's jitter.
                    assert late <= LEASE + TICK + 3, f"polled again {late:.1f}s after the kill"
                finally:
                    doomed.kill()
                    if survivor is not None:
                        survivor.stop()
        finally:
            await store.close()


async def test_sigterm_lets_a_send_in_flight_finish_within_the_grace(
        store: SqlStore, database_url: str, tmp_path: Path) -> None:
    async with FakeDiscord() as discord_fake:
        await queue_one_alert(store)
        discord_fake.hold("POST", f"/channels/{ALERTS_CHANNEL_ID}/messages", seconds=2)
        worker = Worker.start("a", env(database_url, discord_fake,
                                       PITBOARD_SHUTDOWN_GRACE_SECONDS="15"), tmp_path)
        try:
            await wait_until(lambda: bool(discord_fake.held()), within=20, workers=[worker],
                             what="the alert to be mid-send")
            worker.process.terminate()
            code = await asyncio.to_thread(worker.process.wait, 20)
        finally:
            worker.stop()
        log = worker.log_path.read_text(errors="replace")
        assert code == 0, log
        assert "Traceback" not in log, log
        # Finished, not handed back: posted once and marked sent before the worker left.
        assert len(discord_fake.messages(ALERTS_CHANNEL_ID)) == 1
        async with store.engine.connect() as connection:
            statuses = (await connection.execute(select(outbox.c.status))).scalars().all()
        assert statuses == ["sent"]
