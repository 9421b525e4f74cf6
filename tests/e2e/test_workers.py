"""Two `pitboard run` workers on one PostgreSQL database share the feeds and the alerts:
no feed is fetched twice within its interval, and every alert reaches Discord once.

Real worker processes; a fake Discord (REST + gateway) and a fake news site with many
feeds on 127.0.0.1. Needs PITBOARD_TEST_DATABASE_URL (a database per test is created
beside the one it names, and dropped afterwards)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from tests.e2e.procs import (
    ALERTS_CHANNEL_ID,
    MOVES,
    TimedFeedServer,
    Worker,
    messages_per_driver,
    move_item,
    outbox_statuses,
    prime_feeds,
    quiet_item,
    use_alerts_channel,
    wait_until,
    worker_env,
)
from tests.fakes.db import PG_ENV, open_test_store, pg_base_url, pg_database
from tests.fakes.discord_server import FakeDiscord
from tests.fakes.feed_server import rss

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(pg_base_url() is None, reason=(
        f"two workers share work through FOR UPDATE SKIP LOCKED, which needs PostgreSQL: "
        f"set {PG_ENV} (e.g. postgresql+asyncpg://postgres@127.0.0.1:5432/test)")),
]

FEEDS = len(MOVES)  # one new driver move per feed
INTERVAL = 3  # seconds between polls of one feed
# Fetch times are read on the fake's clock, due times on the workers'; both are this
# machine's, so only scheduling jitter separates them.
JITTER = 0.3


async def test_two_workers_share_feeds_and_alerts_without_doubling(tmp_path: Path) -> None:
    base_url = pg_base_url()
    assert base_url is not None
    with pg_database(base_url) as database_url:
        store = await open_test_store(url=database_url, upgrade_url=False)
        try:
            async with FakeDiscord() as discord_fake, TimedFeedServer() as news:
                paths = [f"/team-news-{i}.xml" for i in range(FEEDS)]
                for i, path in enumerate(paths):
                    news.set_feed(path, rss([quiet_item(f"old-{i}")], title=f"Feed {i}"))
                    await store.add_feed(news.url(path), interval_seconds=INTERVAL)
                await prime_feeds(store)
                assert all(len(news.arrivals[path]) == 1 for path in paths)
                await use_alerts_channel(store)
                for i, (path, (driver, team)) in enumerate(zip(paths, MOVES, strict=True)):
                    news.set_feed(path, rss([move_item(driver, team, f"move-{i}"),
                                             quiet_item(f"old-{i}")], title=f"Feed {i}"))

                # Slow answers stretch every fetch and send across several ticks of the
                # other worker, so claiming work that is already taken would show.
                for path in paths:
                    news.slow(path, 0.4)
                discord_fake.hold("POST", f"/channels/{ALERTS_CHANNEL_ID}/messages",
                                  seconds=0.1, times=FEEDS)
                # A long delivery lease: nothing here crashes, so a second send of any
                # alert would mean the two workers claimed the same row.
                env = worker_env(database_url, discord_fake, PITBOARD_LEASE_SECONDS="30")
                workers: list[Worker] = []
                try:
                    workers += [Worker.start(name, env, tmp_path) for name in ("a", "b")]

                    def polled_twice_more() -> bool:
                        # the fetch with the new article, then a conditional one
                        return all(len(news.arrivals[path]) >= 3 for path in paths)

                    async def delivered() -> bool:
                        return await outbox_statuses(store) == {"sent": FEEDS}

                    # A liveness bound, not a speed test: generous so a busy machine
                    # (CI beside other process tests) does not fail it.
                    await wait_until(delivered, within=60, workers=workers,
                                     what=f"all {FEEDS} alerts to be sent")
                    await wait_until(polled_twice_more, within=2 * INTERVAL + 2, workers=workers,
                                     what="a second poll cycle of every feed")
                    assert len(discord_fake.identify_payloads) == 1, "one gateway session per token"
                finally:
                    for worker in workers:
                        worker.stop()

                for path in paths:
                    fetched = news.arrivals[path]
                    gaps = [later - earlier for earlier, later in itertools.pairwise(fetched)]
                    assert min(gaps) >= INTERVAL - JITTER, \
                        f"{path} fetched twice within its {INTERVAL}s interval: gaps {gaps}"
                    conditional = [headers.get("If-None-Match")
                                   for _method, headers in news.requests_for(path)[2:]]
                    assert all(conditional), f"{path}: unconditional repeat fetch"

                drivers = [driver for driver, _team in MOVES]
                assert messages_per_driver(discord_fake, drivers) == dict.fromkeys(drivers, 1)
                posts = discord_fake.requests_to("POST", f"/channels/{ALERTS_CHANNEL_ID}/messages")
                assert len(posts) == FEEDS, "an alert was sent twice (even if Discord deduped it)"
                assert await outbox_statuses(store) == {"sent": FEEDS}
        finally:
            await store.close()
