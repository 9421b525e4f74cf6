"""A worker killed mid-send loses nothing and doubles nothing.

Real `pitboard run` processes on a SQLite file, a fake Discord (REST + gateway) and a fake
news site on 127.0.0.1. The fake Discord holds the second alert's POST so the worker is
caught mid-send; the worker is then SIGKILLed, either before Discord acted on the post or
after Discord posted it but before the worker could mark the outbox row sent. A second
worker takes the row over when its lease runs out; Discord's enforce_nonce makes the
repeat of an already posted alert a no-op."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

import feeds
from bot.models import utcnow
from bot.pipeline import Pipeline
from bot.rules import extract, gazetteer
from storage import SqlStore
from tests.e2e.procs import (
    ALERTS_CHANNEL_ID,
    MOVES,
    TimedFeedServer,
    Worker,
    messages_per_driver,
    move_item,
    outbox_leases,
    outbox_statuses,
    prime_feeds,
    quiet_item,
    use_alerts_channel,
    wait_until,
    worker_env,
)
from tests.fakes.db import open_test_store, sqlite_url
from tests.fakes.discord_server import FakeDiscord
from tests.fakes.feed_server import rss

DRIVERS = [driver for driver, _team in MOVES[:4]]
MESSAGES = f"/channels/{ALERTS_CHANNEL_ID}/messages"


@pytest.mark.parametrize("after_posting", [False, True],
                         ids=["killed-before-discord-answered", "killed-after-discord-posted"])
async def test_worker_killed_mid_send_loses_nothing_and_doubles_nothing(
        tmp_path: Path, after_posting: bool) -> None:
    database = tmp_path / "crash.db"
    store = await open_test_store(database)
    workers: list[Worker] = []
    try:
        async with FakeDiscord() as discord_fake, TimedFeedServer() as news:
            try:
                news.set_feed("/imsa.xml", rss([quiet_item("old-1")]))
                feed = await store.add_feed(news.url("/imsa.xml"), interval_seconds=1)
                await prime_feeds(store)
                primed = await store.get_feed(feed.id)
                assert primed is not None
                await use_alerts_channel(store)
                news.set_feed("/imsa.xml", rss(
                    [move_item(driver, team, f"move-{i}") for i, (driver, team)
                     in enumerate(MOVES[:4])] + [quiet_item("old-1")]))
                # The first alert goes through and is marked sent; the second is held.
                discord_fake.hold("POST", MESSAGES, after=1, seconds=20.0,
                                  after_posting=after_posting)
                env = worker_env(sqlite_url(database), discord_fake)

                first = Worker.start("first", env, tmp_path)
                workers.append(first)
                await wait_until(lambda: bool(discord_fake.held()), within=20, workers=[first],
                                 what="the first worker to be mid-send")

                async def poll_recorded() -> bool:
                    # the poll that found the news has queued all its alerts by then
                    polled = await store.get_feed(feed.id)
                    return polled is not None and polled.last_polled_at != primed.last_polled_at

                await wait_until(poll_recorded, within=5, workers=[first],
                                 what="the first worker to finish its poll")
                [held] = discord_fake.held()
                assert len(discord_fake.messages(ALERTS_CHANNEL_ID)) == (2 if after_posting else 1)

                async def first_settled() -> bool:
                    # Sent rows are settled in batches, within half a second of the send.
                    return (await outbox_statuses(store))["sent"] == 1

                await wait_until(first_settled, within=5, workers=[first],
                                 what="the first alert to be marked sent")
                first.kill()

                # Caught in the act: one row settled, the rest leased to a worker that is gone.
                statuses = await outbox_statuses(store)
                assert statuses == {"sent": 1, "pending": len(DRIVERS) - 1}, statuses
                leases = await outbox_leases(store)
                assert leases[first.worker_id] >= 1, leases  # the held alert's row at least
                assert sum(leases.values()) == len(DRIVERS) - 1, leases
                await wait_until(lambda: not discord_fake.held(), within=5,
                                 what="the fake to notice the dead worker hung up")
                assert held.abandoned is not after_posting

                second = Worker.start("second", env, tmp_path)
                workers.append(second)

                async def drained() -> bool:
                    return (await outbox_statuses(store)).keys() == {"sent"}

                await wait_until(drained, within=20, workers=[second],
                                 what="the second worker to drain the outbox")
                assert await outbox_statuses(store) == {"sent": len(DRIVERS)}
                assert messages_per_driver(discord_fake, DRIVERS) == dict.fromkeys(DRIVERS, 1)
                nonces = [body.get("nonce") for body in discord_fake.messages(ALERTS_CHANNEL_ID)]
                assert len(set(nonces)) == len(DRIVERS) and None not in nonces
                # The held alert was sent again, with the same nonce; only the repeat of one
                # Discord had already posted is answered without a second post.
                repeats = [r for r in discord_fake.requests_to("POST", MESSAGES)
                           if r.json.get("nonce") == held.json["nonce"]]
                assert len(repeats) == 2
                assert [r.duplicate for r in repeats] == [False, after_posting]
            finally:
                for worker in workers:
                    worker.stop()
    finally:
        await store.close()


class _DiesAfterStoringArticles:
    """A store whose worker dies (here: raises) on the first enqueue, i.e. after the feed's
    new articles and their stories were committed (one transaction: ingest_poll) and
    before their alerts were queued."""

    def __init__(self, inner: SqlStore) -> None:
        self._inner = inner
        self.died = False

    def __getattr__(self, name: str) -> Any:
        if name == "enqueue" and not self.died:
            async def die(*_args: Any, **_kwargs: Any) -> Any:
                self.died = True
                raise ConnectionResetError("died between storing articles and queuing alerts")
            return die
        return getattr(self._inner, name)


async def test_worker_dying_after_storing_articles_still_alerts(tmp_path: Path) -> None:
    """The articles stay unprocessed in the database; the survivor's poll recovers them
    (Pipeline.recover) once the dead worker's lease has run out."""
    store = await open_test_store(tmp_path / "gap.db")
    try:
        async with TimedFeedServer() as news, feeds.HttpFeedFetcher(
                feeds.FetchSettings(allow_private=True, timeout_seconds=5.0)) as fetcher:
            news.set_feed("/imsa.xml", rss([quiet_item("old-1")]))
            await store.add_feed(news.url("/imsa.xml"), interval_seconds=1)
            await prime_feeds(store)
            await use_alerts_channel(store)
            driver, team = MOVES[0]
            news.set_feed("/imsa.xml", rss([move_item(driver, team, "move-0"),
                                            quiet_item("old-1")]))
            dying = _DiesAfterStoringArticles(store)
            crashed = await Pipeline(dying, fetcher, extractor=extract,  # type: ignore[arg-type]
                                     gazetteer=gazetteer(), worker_id="dead").poll_due(
                now=utcnow() + timedelta(seconds=2))
            assert dying.died and crashed[0].error

            # Another worker, once the dead one's lease has run out.
            survivor = Pipeline(store, fetcher, extractor=extract, gazetteer=gazetteer(),
                                worker_id="survivor")
            await survivor.poll_due(now=utcnow() + timedelta(hours=1))
            assert await outbox_statuses(store) == {"pending": 1}
    finally:
        await store.close()
