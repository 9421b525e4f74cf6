"""Articles as a transactional outbox: stored unprocessed, marked processed once their alerts
are queued, and claimed by one recovering worker when a dead one left them behind."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from bot.models import Article, Feed, FetchResult, MoveKind, Status, utcnow
from storage import SqlStore, upgrade
from tests.fakes.db import open_test_store, pg_base_url, pg_database
from tests.storage.helpers import article, blomqvist_extraction, move

LEASE = timedelta(minutes=5)


def soon(seconds: float = 60) -> datetime:
    return utcnow() + timedelta(seconds=seconds)


async def claim(store: SqlStore, limit: int = 10, *, now: datetime | None = None
                ) -> list[Article]:
    """As a worker whose clock is ten minutes on (so every article is past its lease)."""
    now = now or soon(600)
    return await store.unprocessed_articles(older_than=now - LEASE, limit=limit, now=now)


async def _primed_feed(store: SqlStore, url: str = "https://news.example/rss") -> Feed:
    feed = await store.add_feed(url)
    await store.record_poll(feed.id, FetchResult(), utcnow())
    primed = await store.get_feed(feed.id)
    assert primed is not None and primed.primed
    return primed


async def _ids(articles: list[Article]) -> list[int]:
    return [a.id for a in articles if a.id is not None]


async def test_a_primed_feeds_new_articles_wait_unprocessed(store: SqlStore) -> None:
    feed = await _primed_feed(store)
    new = await store.add_articles(feed.id, [article("one"), article("two")])
    assert await store.unprocessed_articles(older_than=utcnow() - timedelta(minutes=5),
                                            limit=10) == []  # too young: a live worker's
    claimed = await store.unprocessed_articles(older_than=soon(), limit=10)
    assert [(a.id, a.entry_id, a.feed_id, a.title, a.url) for a in claimed] == [
        (a.id, a.entry_id, feed.id, a.title, a.url) for a in new]
    assert claimed[0].published == new[0].published and claimed[0].source == "Racer"


async def test_a_first_polls_articles_are_stored_processed(store: SqlStore) -> None:
    feed = await store.add_feed("https://news.example/new.xml")
    assert not feed.primed
    [stored] = await store.add_articles(feed.id, [article("back-catalogue")])
    assert await store.unprocessed_articles(older_than=soon(), limit=10) == []
    assert stored.id is not None
    assert await store.mark_articles_processed([stored.id], utcnow()) == 0


async def test_processed_articles_are_never_claimed_again(store: SqlStore) -> None:
    feed = await _primed_feed(store)
    new = await store.add_articles(feed.id, [article("a"), article("b"), article("c")])
    ids = await _ids(new)
    assert await store.mark_articles_processed(ids[:2], utcnow()) == 2
    assert await store.mark_articles_processed(ids[:2], utcnow()) == 0  # twice: a no-op
    assert await store.mark_articles_processed([], utcnow()) == 0
    [left] = await store.unprocessed_articles(older_than=soon(), limit=10)
    assert left.id == ids[2]
    assert await store.mark_articles_processed([ids[2]], utcnow()) == 1
    assert await store.unprocessed_articles(older_than=soon(3600), limit=10) == []


async def test_claims_oldest_first_up_to_the_limit(store: SqlStore) -> None:
    feed = await _primed_feed(store)
    other = await _primed_feed(store, "https://other.example/rss")
    stored = []
    for number, feed_id in enumerate([feed.id, other.id, feed.id, other.id]):
        stored += await store.add_articles(feed_id, [article(f"n{number}")])
    now = soon(600)
    first = await claim(store, 3, now=now)
    rest = await claim(store, 3, now=now)
    assert await _ids(first) == await _ids(stored[:3])
    assert await _ids(rest) == await _ids(stored[3:])


async def test_a_claim_lasts_one_lease(store: SqlStore) -> None:
    feed = await _primed_feed(store)
    [new] = await store.add_articles(feed.id, [article("left-behind")])
    now = utcnow() + timedelta(minutes=10)
    lease = timedelta(minutes=5)
    [claimed] = await store.unprocessed_articles(older_than=now - lease, limit=5, now=now)
    assert claimed.id == new.id
    # claimed by a worker that is still within its lease: nobody else takes it
    assert await store.unprocessed_articles(older_than=now - lease, limit=5, now=now) == []
    later = now + lease - timedelta(seconds=1)
    assert await store.unprocessed_articles(older_than=later - lease, limit=5,
                                            now=later) == []
    # that worker died too: once its lease has run out the article is claimable again
    after = now + lease + timedelta(seconds=1)
    [again] = await store.unprocessed_articles(older_than=after - lease, limit=5, now=after)
    assert again.id == new.id


@pytest.fixture
async def second_store(backend: str, request: pytest.FixtureRequest, store: SqlStore,
                       tmp_path: Path) -> AsyncIterator[SqlStore]:
    """Another worker's store on the same database (its own engine and connections)."""
    if backend == "sqlite":
        opened = await open_test_store(tmp_path / "pitboard.db")
    else:
        opened = await open_test_store(url=request.getfixturevalue("pg_url"),
                                       upgrade_url=False)
    yield opened
    await opened.close()


async def test_workers_claiming_at_once_never_share_an_article(
        store: SqlStore, second_store: SqlStore) -> None:
    feed = await _primed_feed(store)
    stored = await store.add_articles(feed.id, [article(f"x{n}") for n in range(60)])
    now = soon(600)
    claims = await asyncio.gather(*(claim(store if n % 2 else second_store, 7, now=now)
                                    for n in range(12)))
    claimed = [a.id for claim in claims for a in claim]
    assert len(claimed) == len(set(claimed)) == 60
    assert set(claimed) == set(await _ids(stored))


async def test_article_stories_are_the_stories_its_moves_support(store: SqlStore) -> None:
    feed = await _primed_feed(store)
    quiet, blomqvist, repeat, confirmation = await store.add_articles(feed.id, [
        article("quiet"), article("blomqvist"), article("repeat"), article("confirmed")])
    assert quiet.id is not None and blomqvist.id is not None
    assert repeat.id is not None and confirmation.id is not None
    assert await store.article_stories(blomqvist.id) == []  # not recorded yet

    told = await store.record_extraction(blomqvist, blomqvist_extraction(Status.RUMOUR))
    assert [s.id for s in await store.article_stories(blomqvist.id)] == [s.id for s in told]
    assert await store.article_stories(quiet.id) == []

    # a repeat of a story another article told still supports it, though it was no news
    assert await store.record_extraction(repeat, move(
        "Tom Blomqvist", MoveKind.JOIN, team="Meyer Shank Racing", series="IndyCar",
        season=2024, status=Status.RUMOUR)) == []
    [supported] = await store.article_stories(repeat.id)
    assert supported.id == told[1].id

    # stories as they stand now: confirmed since, at revision 2, from the later article
    [confirmed] = await store.record_extraction(confirmation, move(
        "Tom Blomqvist", MoveKind.JOIN, team="Meyer Shank Racing", series="IndyCar",
        season=2024, role="full-time"))
    now_told = await store.article_stories(blomqvist.id)
    assert [(s.id, s.revision) for s in now_told] == [(told[0].id, 1), (confirmed.id, 2)]
    assert now_told[1].source is not None
    assert now_told[1].source.title == confirmation.title


# ----- the migration from 0002 -----------------------------------------------------------------


async def _check_upgrade_from_0002(url: str) -> None:
    await upgrade(url, "0002")
    store = await SqlStore.open(url, upgrade=False)
    try:
        async with store.engine.begin() as connection:
            await connection.execute(text(
                "INSERT INTO feeds (id, url, workspace_key, interval_seconds, paused, primed, "
                "next_poll_at, error_count, created_at) VALUES (1, 'https://news.example/rss',"
                " '', 600, false, true, '2026-01-01 00:00:00', 0, '2026-01-01 00:00:00')"))
            await connection.execute(text(
                "INSERT INTO articles (feed_id, entry_id, title, summary, created_at) "
                "VALUES (1, 'old', 'Old news', '', '2026-01-01 00:00:00')"))
    finally:
        await store.close()
    await upgrade(url)
    store = await SqlStore.open(url, upgrade=False)
    try:
        # stored before the outbox existed: as good as processed, never re-announced
        assert await store.unprocessed_articles(older_than=soon(), limit=10) == []
        [new] = await store.add_articles(1, [article("new")])
        [claimed] = await store.unprocessed_articles(older_than=soon(), limit=10)
        assert claimed.id == new.id
        async with store.engine.connect() as connection:
            indexes = await connection.run_sync(
                lambda sync: {i["name"]: i for i in inspect(sync).get_indexes("articles")})
        assert indexes["ix_articles_unprocessed"]["column_names"] == ["created_at", "feed_id"]
    finally:
        await store.close()


async def test_upgrade_from_0002_marks_stored_articles_processed_on_sqlite(
        tmp_path: Path) -> None:
    await _check_upgrade_from_0002(f"sqlite:///{tmp_path / 'old.db'}")


@pytest.mark.postgres
async def test_upgrade_from_0002_marks_stored_articles_processed_on_postgresql() -> None:
    base = pg_base_url()
    if base is None:
        pytest.skip("PostgreSQL tests need PITBOARD_TEST_DATABASE_URL")
    with pg_database(base, migrate=False) as url:
        await _check_upgrade_from_0002(url)
