"""A worker that dies mid-poll loses no alert: its articles stay unprocessed in the database
and the next worker's poll finishes them once the dead one's lease has run out.

The whole loop on the embedded default (feed server on 127.0.0.1 -> real pipeline -> SQLite
-> console adapter). The dying worker is the real pipeline on a store that raises at one
step, which is all a worker killed there leaves behind: what it committed before."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

import feeds
from bot.alerts import workspace_scope
from bot.app import PitboardApp
from bot.config import Settings
from bot.models import utcnow
from bot.pipeline import Pipeline
from bot.rules import extract, gazetteer
from tests.e2e.test_loop import BLOMQVIST, OLD_NEWS
from tests.fakes.feed_server import FakeFeedServer, rss

LEASE = timedelta(seconds=60)  # the feed lease, PITBOARD_FEED_LEASE_SECONDS


class _DiesAt:
    """The store as a worker sees it, until the worker dies at the `call`-th call of
    `method` (nothing of that call is committed)."""

    def __init__(self, inner: Any, method: str, call: int = 1) -> None:
        self._inner = inner
        self._method = method
        self._calls_left = call
        self.died = False

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._inner, name)
        if name != self._method or self.died:
            return attribute

        async def maybe_die(*args: Any, **kwargs: Any) -> Any:
            self._calls_left -= 1
            if self._calls_left == 0:
                self.died = True
                raise ConnectionResetError(f"worker died in {name}")
            return await attribute(*args, **kwargs)
        return maybe_die


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[PitboardApp]:
    settings = Settings(_env_file=None,
                        database_url=f"sqlite+aiosqlite:///{tmp_path}/recovery.db",
                        pitboard_allow_private_feeds=True, pitboard_console=True,
                        pitboard_feed_lease_seconds=int(LEASE.total_seconds()))
    application = await PitboardApp.create(
        settings, console_out=io.StringIO(),
        fetch_settings=feeds.FetchSettings(allow_private=True, timeout_seconds=2.0))
    yield application
    await application.close()


@pytest.fixture
async def server() -> AsyncIterator[FakeFeedServer]:
    fake = FakeFeedServer()
    await fake.start()
    yield fake
    await fake.stop()


async def _die_polling(app: PitboardApp, method: str, call: int, now: datetime) -> None:
    dying = _DiesAt(app.store, method, call)
    pipeline = Pipeline(dying, app.fetcher, extractor=extract,  # type: ignore[arg-type]
                        gazetteer=gazetteer(), worker_id="doomed",
                        lease_seconds=int(LEASE.total_seconds()))
    [report] = await pipeline.poll_due(now=now)
    assert dying.died and report.error and method in report.error


def _alerts(app: PitboardApp) -> list[str]:
    return sorted(alert.card.title for alert in app.senders["console"].delivered)


async def _published(app: PitboardApp, server: FakeFeedServer, *,
                     scope: str | None = None) -> datetime:
    """A primed feed that has just published the Blomqvist article; the time to poll it."""
    now = utcnow() + timedelta(days=1)
    server.set_feed("/imsa.xml", rss([OLD_NEWS]))
    await app.store.add_feed(server.url("/imsa.xml"), series="IMSA", workspace=scope)
    await app.pipeline.poll_due(now=now)
    server.set_feed("/imsa.xml", rss([BLOMQVIST, OLD_NEWS]))
    return now + timedelta(days=1)


async def _expected_alerts(tmp_path: Path, server: FakeFeedServer) -> list[str]:
    """What a worker that does not die announces for the same news."""
    settings = Settings(_env_file=None,
                        database_url=f"sqlite+aiosqlite:///{tmp_path}/reference.db",
                        pitboard_allow_private_feeds=True, pitboard_console=True,
                        pitboard_feed_lease_seconds=int(LEASE.total_seconds()))
    reference = await PitboardApp.create(
        settings, console_out=io.StringIO(),
        fetch_settings=feeds.FetchSettings(allow_private=True, timeout_seconds=2.0))
    try:
        now = await _published(reference, server)
        await reference.pipeline.poll_due(now=now)
        await reference.deliver_now()
        return _alerts(reference)
    finally:
        await reference.close()


async def test_died_while_storing_the_articles(app, server, tmp_path):
    # The articles and what the rules engine read in them are one transaction
    # (ingest_poll): a worker that dies in it leaves nothing, and the next poll is a poll.
    expected = await _expected_alerts(tmp_path, server)
    assert any("Action Express" in title for title in expected)
    now = await _published(app, server)
    await _die_polling(app, "ingest_poll", 1, now)
    assert (await app.deliver_now()).sent == 0
    assert await app.pipeline.recover(utcnow() + LEASE * 2) == 0  # nothing left behind
    survivor = await app.pipeline.poll_due(now=now + LEASE * 2)
    assert [(r.error, r.new_articles) for r in survivor] == [(None, 1)]
    await app.deliver_now()
    assert _alerts(app) == expected

    # The stories and the lineup were recorded as the dead worker would have.
    reply = await app.commands.run_text("/lineup 31", platform="console", workspace="local",
                                        user="fan")
    assert "Tom Blomqvist" in reply.plain()
    # Finished for good: later polls and recoveries announce nothing again.
    assert await app.pipeline.recover(now + LEASE * 10) == 0
    await app.pipeline.poll_due(now=now + timedelta(days=1))
    assert (await app.deliver_now()).sent == 0


@pytest.mark.parametrize(("method", "call"), [
    ("matching_destinations", 1),  # recorded, nothing queued
    ("enqueue", 2),  # recorded, the first story queued, the second not
    ("record_poll", 1),  # everything queued, the articles not marked (nor the poll recorded)
], ids=["before-routing", "mid-routing", "before-marking"])
async def test_died_after_recording_the_stories(app, server, tmp_path, method, call):
    expected = await _expected_alerts(tmp_path, server)
    assert len(expected) >= 2
    now = await _published(app, server)
    await _die_polling(app, method, call, now)
    queued_by_the_dead = (await app.deliver_now()).sent
    assert queued_by_the_dead == {"matching_destinations": 0, "enqueue": 1}.get(
        method, len(expected))

    await app.pipeline.poll_due(now=now + LEASE * 2)
    await app.deliver_now()
    assert _alerts(app) == expected  # each once: nothing lost, nothing doubled


async def test_a_repeat_left_behind_is_no_news_to_new_followers(app, server):
    now = await _published(app, server)
    await app.pipeline.poll_due(now=now)
    told = (await app.deliver_now()).sent
    assert told >= 2
    reply = await app.commands.run_text("/follow driver Tom Blomqvist", platform="console",
                                        workspace="local", user="latecomer")
    assert not reply.error, reply.text
    # Another site reports the same moves; its worker dies after recording them. Alive, it
    # would have announced nothing (the stories are old news), and so does recovery.
    repeat = {**BLOMQVIST, "guid": "elsewhere-blomqvist", "link": "https://elsewhere.example/b"}
    server.set_feed("/imsa.xml", rss([repeat, BLOMQVIST, OLD_NEWS]))
    await _die_polling(app, "record_poll", 1, now + timedelta(days=1))
    assert await app.pipeline.recover(now + timedelta(days=2)) == 1
    assert (await app.deliver_now()).sent == 0
    assert len(_alerts(app)) == told


async def test_recovery_keeps_a_workspace_feed_to_its_workspace(app, server):
    now = await _published(app, server, scope=workspace_scope("discord", "710000000000000001"))
    await _die_polling(app, "matching_destinations", 1, now)
    assert await app.pipeline.recover(now + LEASE * 2) == 1
    # the console's alerts channel is another workspace's: the story is known, not sent
    assert (await app.deliver_now()).sent == 0
    assert any(s.move.driver == "Tom Blomqvist" for s in await app.store.recent_stories(5))


async def test_a_first_polls_articles_are_never_announced_by_recovery(app, server):
    server.set_feed("/imsa.xml", rss([BLOMQVIST, OLD_NEWS]))
    feed = await app.store.add_feed(server.url("/imsa.xml"), series="IMSA")
    now = utcnow() + timedelta(days=1)
    # A first poll's articles, what they say and the poll are one transaction: dying in it
    # leaves nothing, and the survivor's poll is the first poll again, silent as ever.
    await _die_polling(app, "ingest_polls", 1, now)

    assert await app.pipeline.recover(now + LEASE * 10) == 0
    [survivor] = await app.pipeline.poll_due(now=now + LEASE * 2)
    assert (survivor.error, survivor.new_articles, survivor.announced) == (None, 2, False)
    assert (await app.deliver_now()).sent == 0
    primed = await app.store.get_feed(feed.id)
    assert primed is not None and primed.primed
    assert await app.pipeline.recover(now + LEASE * 10) == 0
    assert (await app.deliver_now()).sent == 0
