"""What a poll costs the database, counted with SQLAlchemy's cursor and transaction events:
a feed's first poll stores its articles, what the rules engine read in them and the poll
itself in ONE transaction, with a bounded number of statements per article; a later poll
that finds a few new entries touches only those. Real pipeline, fetcher, rules engine and
store (SQLite, or PostgreSQL with PITBOARD_TEST_DATABASE_URL) against a fake site."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

import feeds
from bot.models import utcnow
from bot.pipeline import Pipeline
from bot.rules import extract, gazetteer
from tests.e2e.procs import MOVES, move_item, quiet_item
from tests.fakes.db import counting, open_test_store
from tests.fakes.feed_server import FakeFeedServer, rss

# The feed below has 20 entries, 12 with a move. An article with a move costs about nine
# statements (read the stories it names; insert the story, its source and the move; read
# and write the seat; remember the names), one without costs its share of the multi-row
# INSERT: 5.6 per article measured. Seven fails if anything starts running once per entry
# more than it does, or the articles go back to one INSERT (or transaction) each.
MOST_STATEMENTS_PER_ARTICLE = 7


@pytest.fixture
async def store(tmp_path: Path):
    opened = await open_test_store(tmp_path / "statements.db")
    yield opened
    await opened.close()


@pytest.fixture
async def site():
    async with FakeFeedServer() as server:
        yield server


async def claimed(store: Any, feed_id: int) -> Any:
    [feed] = await store.claim_due_feeds(utcnow() + timedelta(seconds=1), limit=1,
                                         worker="poller", lease_seconds=60)
    assert feed.id == feed_id
    return feed


async def test_a_first_poll_is_one_transaction_with_few_statements_per_article(store, site):
    items = [move_item(driver, team, f"m{n}") for n, (driver, team) in enumerate(MOVES[:12])]
    items += [quiet_item(f"q{n}") for n in range(8)]
    site.set_feed("/news.xml", rss(items, title="Sportscar News"))
    feed = await store.add_feed(site.url("/news.xml"))
    async with feeds.HttpFeedFetcher(feeds.FetchSettings(allow_private=True)) as fetcher:
        pipeline = Pipeline(store, fetcher, extractor=extract, gazetteer=gazetteer(),
                            worker_id="poller")
        polled = await claimed(store, feed.id)
        with counting(store) as counts:
            report = await pipeline.poll_feed(polled)
    assert report.error is None and report.new_articles == 20
    assert report.moves >= 12 and not report.announced
    assert counts.commits == 1, "a first poll is one transaction"
    assert counts.article_inserts == 1, "the articles go in as one multi-row INSERT"
    per_article = counts.statements / report.new_articles
    print(f"first poll: {counts.statements} statements for {report.new_articles} articles "
          f"({per_article:.1f} each), {counts.commits} transaction")
    assert per_article <= MOST_STATEMENTS_PER_ARTICLE
    stored = await store.get_feed(feed.id)
    assert stored is not None and stored.primed and stored.entries_seen == 20
    # Every article was stored processed: nothing is left for recovery to announce.
    assert await store.unprocessed_articles(older_than=utcnow() + timedelta(days=1),
                                            limit=50) == []


async def test_a_poll_with_two_new_entries_writes_only_those(store, site):
    items = [quiet_item(f"q{n}") for n in range(20)]
    site.set_feed("/news.xml", rss(items, title="Sportscar News"))
    feed = await store.add_feed(site.url("/news.xml"))
    async with feeds.HttpFeedFetcher(feeds.FetchSettings(allow_private=True)) as fetcher:
        pipeline = Pipeline(store, fetcher, extractor=extract, gazetteer=gazetteer(),
                            worker_id="poller")
        await pipeline.poll_feed(await claimed(store, feed.id))
        await store.mark_all_due(utcnow())
        news = [move_item(driver, team, f"m{n}") for n, (driver, team) in enumerate(MOVES[:2])]
        site.set_feed("/news.xml", rss(news + items[:18], title="Sportscar News"))
        polled = await claimed(store, feed.id)
        with counting(store) as counts:
            report = await pipeline.poll_feed(polled)
    assert report.error is None and report.new_articles == 2 and report.announced
    assert report.new_stories == 2
    # One read of the known entry ids, then: the two articles with their stories, and the
    # poll recorded with the articles marked processed (routing finds no destination here).
    assert counts.commits == 2
    assert counts.article_inserts == 1
    print(f"steady poll, 2 new entries: {counts.statements} statements")
    assert counts.statements <= 30


async def test_polls_that_store_nothing_are_recorded_in_shared_transactions(store, site):
    for n in range(12):
        site.set_feed(f"/f{n}.xml", rss([quiet_item(f"q{n}")], title=f"Feed {n}"))
    ids = [(await store.add_feed(site.url(f"/f{n}.xml"))).id for n in range(12)]
    async with feeds.HttpFeedFetcher(feeds.FetchSettings(allow_private=True)) as fetcher:
        pipeline = Pipeline(store, fetcher, extractor=extract, gazetteer=gazetteer(),
                            worker_id="poller", concurrency=16, per_host=16)
        await pipeline.poll_due(now=utcnow() + timedelta(seconds=1))  # first polls
        await store.mark_all_due(utcnow())
        with counting(store) as counts:
            reports = await pipeline.poll_due(now=utcnow() + timedelta(seconds=1))
    assert sorted(r.feed_id for r in reports) == sorted(ids)
    assert all(r.not_modified and r.error is None for r in reports)  # 304 each
    # The recovery sweep and the claim, then the twelve 304s: they finish together, so the
    # recorder writes them in a few transactions, where one each would make twelve.
    print(f"12 polls answered 304: {counts.commits} transactions")
    assert counts.commits <= 2 + 5
    for feed in await store.list_feeds():
        assert feed.last_polled_at is not None and feed.next_poll_at is not None
        assert feed.next_poll_at > utcnow() + timedelta(seconds=500)  # scheduled, released
    assert await store.claim_due_feeds(utcnow(), limit=20, worker="x", lease_seconds=5) == []
