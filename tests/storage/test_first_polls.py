"""First polls written together: `ingest_polls` stores several polls in one transaction
exactly as `ingest_poll` stores each, and the pipeline groups the first polls of a cycle
(the cold start of a new deployment: every feed's first poll at once). Real pipeline,
fetcher, rules engine and store on SQLite and PostgreSQL, against a fake site."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import feeds
from bot.models import Feed, FetchResult, utcnow
from bot.pipeline import Pipeline
from bot.rules import extract, gazetteer
from storage import SqlStore
from tests.e2e.procs import MOVES, move_item, quiet_item
from tests.fakes.db import StatementCounts, counting
from tests.fakes.feed_server import FakeFeedServer, rss
from tests.storage.helpers import article, at, blomqvist_extraction

# A first cycle of 12 feeds of 20 entries each, one of them with a move. Written alone, each
# first poll costs a transaction and 3 statements (the multi-row INSERT of its articles, a
# read of its feed's row, the row's UPDATE): 36 for the cycle, 0.15 an article. Written in
# groups, those 3 statements (and the transaction) serve the whole group. Beside them: the
# cycle's claims and recovery sweep, and the move's story (about nine statements).
STATEMENTS_PER_GROUP = 3
STATEMENTS_BESIDE = 8 + 15


class GroupsSeen:
    """The store, noting the size of each group of polls the pipeline writes."""

    def __init__(self, inner: SqlStore, counts: StatementCounts) -> None:
        self._inner = inner
        self._counts = counts

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    async def ingest_polls(self, polls: Any, *args: Any, **kwargs: Any) -> Any:
        self._counts.groups.append(len(polls))
        return await self._inner.ingest_polls(polls, *args, **kwargs)


def _feed_state(feed: Feed) -> tuple[Any, ...]:
    return (feed.title, feed.etag, feed.body_hash, feed.primed, feed.entries_seen,
            feed.last_polled_at, feed.last_success_at, feed.next_poll_at, feed.error_count,
            feed.last_error)


def _polls(feed_ids: list[int]) -> list[Any]:
    """A first poll (with a repeated entry and a move), a first poll of an entry the feed
    already holds and a new one, a 304, and a later poll that records nothing yet."""
    first, holding, quiet, primed = feed_ids
    return [
        (first, [(article("a1"), blomqvist_extraction()), (article("a2"), None),
                 (article("a1"), None)], FetchResult(title="First", etag='"1"')),
        (holding, [(article("b0"), None), (article("b1"), None)],
         FetchResult(title="Holding", body_hash="h" * 64)),
        (quiet, [], FetchResult(not_modified=True, etag='"q"')),
        (primed, [(article("d1"), None)], None),
    ]


async def _four_feeds(store: SqlStore, prefix: str) -> list[int]:
    ids = [(await store.add_feed(f"https://{prefix}{n}.example/rss")).id for n in range(4)]
    await store.add_articles(ids[1], [article("b0")])
    await store.record_poll(ids[3], FetchResult(title="Primed"), at(0))
    return ids


async def test_polls_stored_together_are_stored_as_each_alone(store: SqlStore) -> None:
    together, alone = await _four_feeds(store, "t"), await _four_feeds(store, "a")
    now = at(10)
    with counting(store) as counts:
        grouped = await store.ingest_polls(_polls(together), now)
    assert counts.commits == 1 and counts.article_inserts == 1
    one_by_one = [await store.ingest_poll(feed_id, entries, now, finish=finish)
                  for feed_id, entries, finish in _polls(alone)]

    assert [[a.entry_id for a in g.articles] for g in grouped] == [
        ["a1", "a2"], ["b1"], [], ["d1"]]
    for mine, reference in zip(grouped, one_by_one, strict=True):
        assert [a.entry_id for a in mine.articles] == [a.entry_id for a in reference.articles]
        assert all(a.id is not None for a in mine.articles)
        assert len(mine.news) == len(mine.articles) == len(reference.news)
        assert mine.disabled == reference.disabled is False
    assert [[a.feed_id for a in g.articles] for g in grouped] == [
        [together[0]] * 2, [together[1]], [], [together[3]]]
    # The first poll's moves made news (the same moves, told again later, are no news).
    assert [s.move.team for s in grouped[0].news[0]] == ["Action Express Racing",
                                                         "Meyer Shank Racing"]
    assert grouped[0].news[1] == () and one_by_one[0].news == ((), ())
    feeds_now = {f.id: f for f in await store.list_feeds()}
    for mine, reference in zip(together, alone, strict=True):
        assert _feed_state(feeds_now[mine]) == _feed_state(feeds_now[reference])
    assert feeds_now[together[0]].entries_seen == 2 and feeds_now[together[0]].primed
    # A poll given without its result is not recorded, and its article waits, unprocessed.
    assert feeds_now[together[3]].last_polled_at == at(0)
    waiting = await store.unprocessed_articles(older_than=utcnow() + timedelta(days=1),
                                              limit=10)
    assert sorted((a.feed_id, a.entry_id) for a in waiting) == sorted(
        [(together[3], "d1"), (alone[3], "d1")])


async def test_a_first_cycle_writes_its_polls_in_groups(store: SqlStore) -> None:
    async with FakeFeedServer() as site:
        for n in range(12):
            items = [quiet_item(f"q{n}-{i}") for i in range(20)]
            if n == 0:
                items[0] = move_item(*MOVES[0], "m0")
            site.set_feed(f"/f{n}.xml", rss(items, title=f"Feed {n}"))
            await store.add_feed(site.url(f"/f{n}.xml"))
        async with feeds.HttpFeedFetcher(feeds.FetchSettings(allow_private=True)) as fetcher:
            with counting(store) as counts:
                pipeline = Pipeline(GroupsSeen(store, counts), fetcher,  # type: ignore[arg-type]
                                    extractor=extract, gazetteer=gazetteer(), worker_id="w",
                                    concurrency=8, per_host=8)
                reports = await pipeline.poll_due(now=utcnow() + timedelta(seconds=1))
    assert [(r.error, r.new_articles, r.announced) for r in reports] == [(None, 20, False)] * 12
    assert sum(r.moves for r in reports) >= 1
    assert sum(counts.groups) == 12 and max(counts.groups) > 1
    assert counts.article_inserts == len(counts.groups) < 12
    print(f"first cycle of 12 feeds: groups {counts.groups}, {counts.statements} statements "
          f"({counts.statements / 240:.3f} an article), {counts.commits} transactions")
    assert counts.statements <= STATEMENTS_PER_GROUP * len(counts.groups) + STATEMENTS_BESIDE
    assert all(f.primed and f.entries_seen == 20 for f in await store.list_feeds())
    assert await store.claim_due_feeds(utcnow(), limit=20, worker="x", lease_seconds=5) == []
    assert await store.unprocessed_articles(older_than=utcnow() + timedelta(days=1),
                                            limit=10) == []


class RemovesOne:
    """The real fetcher; the victim feed is removed while its poll is in flight."""

    def __init__(self, inner: feeds.HttpFeedFetcher, store: SqlStore, victim: int) -> None:
        self._inner = inner
        self._store = store
        self._victim = victim

    async def fetch(self, feed: Feed) -> FetchResult:
        result = await self._inner.fetch(feed)
        if feed.id == self._victim:
            await self._store.remove_feed(feed.id)
        return result


async def test_one_bad_poll_in_a_group_costs_only_its_own(store: SqlStore) -> None:
    async with FakeFeedServer() as site:
        ids = []
        for n in range(6):
            site.set_feed(f"/f{n}.xml", rss([quiet_item(f"q{n}-{i}") for i in range(3)]))
            ids.append((await store.add_feed(site.url(f"/f{n}.xml"))).id)
        victim = ids[2]
        async with feeds.HttpFeedFetcher(feeds.FetchSettings(allow_private=True)) as fetcher:
            counts = StatementCounts()
            pipeline = Pipeline(GroupsSeen(store, counts), RemovesOne(fetcher, store, victim),
                                extractor=extract, gazetteer=gazetteer(), worker_id="w",
                                concurrency=12, per_host=12)
            reports = {r.feed_id: r for r in await pipeline.poll_due(
                now=utcnow() + timedelta(seconds=1))}
    # Its articles had no feed to belong to: the group failed, and was written poll by poll.
    assert max(counts.groups) > 1 and counts.groups.count(1) >= 2
    assert reports[victim].error is not None and "internal" in reports[victim].error
    assert all(reports[i].error is None and reports[i].new_articles == 3
               for i in ids if i != victim)
    assert sorted(f.id for f in await store.list_feeds()) == sorted(set(ids) - {victim})
    assert all(f.primed and f.entries_seen == 3 for f in await store.list_feeds())
