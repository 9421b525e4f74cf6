from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.models import FetchResult, utcnow
from storage import SqlStore
from tests.fakes.db import open_test_store
from tests.storage.helpers import article, at


async def test_add_list_remove_pause_scoped_by_workspace(store: SqlStore) -> None:
    mine = await store.add_feed("https://a.example/rss", series="IMSA", workspace="discord:1",
                                interval_seconds=900)
    again = await store.add_feed("https://a.example/rss", workspace="discord:1")
    theirs = await store.add_feed("https://a.example/rss", workspace="slack:T1")
    assert again.id == mine.id  # one URL per workspace
    assert theirs.id != mine.id
    assert [f.id for f in await store.list_feeds("discord:1")] == [mine.id]
    assert {f.id for f in await store.list_feeds()} == {mine.id, theirs.id}
    assert mine.interval_seconds == 900 and mine.series == "IMSA" and not mine.primed

    assert not await store.set_paused(mine.id, True, workspace="slack:T1")
    assert await store.set_paused(mine.id, True, workspace="discord:1")
    assert (await store.get_feed(mine.id)).paused  # type: ignore[union-attr]
    assert not await store.remove_feed(mine.id, workspace="slack:T1")
    assert await store.remove_feed(mine.id, workspace="discord:1")
    assert await store.get_feed(mine.id) is None
    assert not await store.remove_feed(mine.id)


async def test_claim_leases_due_feeds_until_the_lease_expires(store: SqlStore) -> None:
    first = await store.add_feed("https://a.example/rss")
    second = await store.add_feed("https://b.example/rss")
    paused = await store.add_feed("https://c.example/rss")
    await store.set_paused(paused.id, True)
    now = at(0) + timedelta(days=365 * 5)  # everything added "now" is due by then

    claimed = await store.claim_due_feeds(now, limit=10, worker="w1", lease_seconds=60)
    assert [f.id for f in claimed] == [first.id, second.id]
    # leased: another worker gets nothing until the lease runs out
    assert await store.claim_due_feeds(now, limit=10, worker="w2", lease_seconds=60) == []
    later = now + timedelta(seconds=61)
    reclaimed = await store.claim_due_feeds(later, limit=1, worker="w2", lease_seconds=60)
    assert [f.id for f in reclaimed] == [first.id]


async def test_record_poll_primes_schedules_and_releases(store: SqlStore) -> None:
    feed = await store.add_feed("https://a.example/rss", interval_seconds=600)
    now = at(0) + timedelta(days=365 * 5)
    await store.claim_due_feeds(now, limit=1, worker="w", lease_seconds=300)
    await store.record_poll(feed.id, FetchResult(etag='"v1"', last_modified="Mon, 01 Jan",
                                                 title="Sportscar news"), now)
    polled = await store.get_feed(feed.id)
    assert polled is not None
    assert polled.primed and polled.etag == '"v1"' and polled.title == "Sportscar news"
    assert polled.last_polled_at == now and polled.last_error is None
    # the lease is released and the next poll is one interval away
    assert await store.claim_due_feeds(now + timedelta(seconds=599), limit=1, worker="w",
                                       lease_seconds=60) == []
    assert len(await store.claim_due_feeds(now + timedelta(seconds=600), limit=1,
                                           worker="w", lease_seconds=60)) == 1

    # 304: the validators stay
    await store.record_poll(feed.id, FetchResult(not_modified=True), now)
    assert (await store.get_feed(feed.id)).etag == '"v1"'  # type: ignore[union-attr]


async def test_errors_keep_validators_count_and_back_off(store: SqlStore) -> None:
    feed = await store.add_feed("https://a.example/rss", interval_seconds=600)
    now = at(0)
    await store.record_poll(feed.id, FetchResult(etag='"v1"'), now)
    delays = []
    for attempt in range(1, 9):
        assert not await store.record_poll(feed.id, FetchResult(error="HTTP 500"), now)
        failed = await store.get_feed(feed.id)
        assert failed is not None and failed.next_poll_at is not None
        assert failed.error_count == attempt and failed.last_error == "HTTP 500"
        assert failed.etag == '"v1"' and failed.primed and not failed.paused
        delays.append((failed.next_poll_at - now).total_seconds() / 60)
        assert await store.claim_due_feeds(failed.next_poll_at - timedelta(seconds=1), limit=1,
                                           worker=f"early{attempt}", lease_seconds=1) == []
        assert await store.claim_due_feeds(failed.next_poll_at, limit=1,
                                           worker=f"probe{attempt}", lease_seconds=1)
    # Doubling, capped at six hours, each spread ±20% so feeds that failed together
    # do not all retry in the same second.
    for delay, expected in zip(delays, [10, 20, 40, 80, 160, 320, 360, 360], strict=True):
        assert expected * 0.8 <= delay <= expected * 1.2
    assert len({round(d, 3) for d in delays[-2:]}) == 2, "no jitter"
    await store.record_poll(feed.id, FetchResult(), now)
    healed = await store.get_feed(feed.id)
    assert healed is not None and healed.error_count == 0 and healed.last_error is None


async def test_gone_disables_at_once_and_resume_brings_it_back(store: SqlStore) -> None:
    feed = await store.add_feed("https://a.example/rss", workspace="discord:1")
    assert await store.record_poll(feed.id, FetchResult(error="HTTP 410 Gone", gone=True), at(0))
    gone = await store.get_feed(feed.id)
    assert gone is not None and gone.paused and "HTTP 410" in (gone.disabled_reason or "")
    assert await store.claim_due_feeds(at(100_000), limit=5, worker="w", lease_seconds=5) == []
    # Already disabled: a second report (a poll that was in flight) tells no one again.
    assert not await store.record_poll(feed.id, FetchResult(error="x", gone=True), at(1))
    assert await store.set_paused(feed.id, False, workspace="discord:1")
    back = await store.get_feed(feed.id)
    assert back is not None and not back.paused and back.disabled_reason is None
    assert back.error_count == 0
    assert [f.id for f in await store.claim_due_feeds(
        utcnow() + timedelta(seconds=1), limit=5, worker="w", lease_seconds=5)] == [feed.id]


async def test_the_tenth_failure_in_a_row_disables(store: SqlStore) -> None:
    feed = await store.add_feed("https://a.example/rss")
    told = [await store.record_poll(feed.id, FetchResult(error="HTTP 500"), at(n))
            for n in range(12)]
    assert told == [False] * 9 + [True, False, False]
    stored = await store.get_feed(feed.id)
    assert stored is not None and stored.paused
    assert stored.disabled_reason == "10 failed polls in a row, the last: HTTP 500"
    other = await store.add_feed("https://b.example/rss")
    told = [await store.record_poll(other.id, FetchResult(error="timeout"), at(n),
                                    max_failures=3) for n in range(3)]
    assert told == [False, False, True]


async def test_a_permanent_move_is_stored_unless_the_address_is_taken(store: SqlStore) -> None:
    feed = await store.add_feed("https://a.example/rss", workspace="discord:1")
    await store.record_poll(feed.id, FetchResult(moved_to="https://a.example/feed.xml"), at(0))
    assert (await store.get_feed(feed.id)).url == "https://a.example/feed.xml"  # type: ignore[union-attr]
    other = await store.add_feed("https://b.example/rss", workspace="discord:1")
    await store.record_poll(other.id, FetchResult(moved_to="https://a.example/feed.xml"), at(1))
    assert (await store.get_feed(other.id)).url == "https://b.example/rss"  # type: ignore[union-attr]


async def test_server_waits_are_a_floor_and_success_is_remembered(store: SqlStore) -> None:
    feed = await store.add_feed("https://a.example/rss", interval_seconds=600)
    await store.record_poll(feed.id, FetchResult(wait_seconds=3600, body_hash="ab" * 32),
                            at(0), new_entries=4)
    stored = await store.get_feed(feed.id)
    assert stored is not None and stored.next_poll_at == at(0) + timedelta(hours=1)
    assert stored.last_success_at == at(0) and stored.entries_seen == 4
    assert stored.body_hash == "ab" * 32
    await store.record_poll(feed.id, FetchResult(wait_seconds=60), at(10), new_entries=1)
    stored = await store.get_feed(feed.id)
    assert stored is not None and stored.next_poll_at == at(10) + timedelta(seconds=600)
    assert stored.entries_seen == 5
    await store.record_poll(feed.id, FetchResult(error="HTTP 429", wait_seconds=7200), at(20))
    stored = await store.get_feed(feed.id)
    assert stored is not None and stored.next_poll_at == at(20) + timedelta(hours=2)
    # A year-long max-age is a typo, not a request to go quiet for a year.
    await store.record_poll(feed.id, FetchResult(wait_seconds=365 * 86400), at(30))
    stored = await store.get_feed(feed.id)
    assert stored is not None and stored.next_poll_at == at(30) + timedelta(days=1)


async def test_first_poll_priming_flag_is_per_feed(store: SqlStore) -> None:
    old = await store.add_feed("https://a.example/rss")
    await store.record_poll(old.id, FetchResult(error="timeout"), at(0))
    assert not (await store.get_feed(old.id)).primed  # type: ignore[union-attr]
    await store.record_poll(old.id, FetchResult(), at(1))
    new = await store.add_feed("https://b.example/rss")
    assert (await store.get_feed(old.id)).primed  # type: ignore[union-attr]
    assert not (await store.get_feed(new.id)).primed  # type: ignore[union-attr]


async def test_duplicate_articles_are_no_ops(store: SqlStore) -> None:
    feed = await store.add_feed("https://a.example/rss")
    other = await store.add_feed("https://b.example/rss")
    batch = [article("a"), article("b"), article("a", "the same entry twice in one batch")]
    new = await store.add_articles(feed.id, batch)
    assert [a.entry_id for a in new] == ["a", "b"]
    assert all(a.id is not None and a.feed_id == feed.id for a in new)
    again = await store.add_articles(feed.id, [article("b"), article("c")])
    assert [a.entry_id for a in again] == ["c"]
    # the same entry id in another feed is another article
    assert [a.entry_id for a in await store.add_articles(other.id, [article("a")])] == ["a"]
    assert await store.add_articles(feed.id, []) == []


async def test_many_articles_in_one_call(store: SqlStore) -> None:
    feed = await store.add_feed("https://a.example/rss")
    batch = [article(f"e{i}") for i in range(1200)]  # more than one INSERT's worth
    assert len(await store.add_articles(feed.id, batch)) == 1200
    assert await store.add_articles(feed.id, batch) == []


@pytest.mark.postgres
async def test_two_workers_never_claim_the_same_feed(pg_url: str) -> None:
    from tests.fakes.db import truncate_all

    one = await open_test_store(url=pg_url, upgrade_url=False)
    two = await open_test_store(url=pg_url, upgrade_url=False)
    try:
        await truncate_all(one)
        for index in range(40):
            await one.add_feed(f"https://feeds.example/{index}")
        now = at(0) + timedelta(days=365 * 5)

        async def drain(store: SqlStore, worker: str) -> list[int]:
            got: list[int] = []
            while batch := await store.claim_due_feeds(now, limit=3, worker=worker,
                                                      lease_seconds=600):
                got += [f.id for f in batch]
                await asyncio.sleep(0)
            return got

        first, second = await asyncio.gather(drain(one, "w1"), drain(two, "w2"))
        assert not set(first) & set(second)
        assert len(first) + len(second) == 40
    finally:
        await one.close()
        await two.close()


async def test_a_poll_writes_only_its_new_entries(store: SqlStore) -> None:
    from sqlalchemy import event

    feed = await store.add_feed("https://a.example/rss")
    window = [article(f"e{n}") for n in range(20)]
    assert len(await store.add_articles(feed.id, window)) == 20
    inserted: list[int] = []

    def count(_conn, _cursor, statement, parameters, _context, executemany) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO ARTICLES"):
            inserted.append(statement.count("?") + statement.count("$"))

    engine = store.engine.sync_engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        again = await store.add_articles(feed.id, window)
        assert again == [] and inserted == []  # nothing new: not one INSERT
        moved_on = [article("e20"), *window[:19]]
        [new] = await store.add_articles(feed.id, moved_on)
        assert new.entry_id == "e20" and new.id is not None
        assert len(inserted) == 1
        one_row = inserted[0]
    finally:
        event.remove(engine, "before_cursor_execute", count)
    # The one INSERT carried one row's parameters (ten columns), not twenty rows'.
    assert one_row < 20


async def test_feeds_added_with_a_spread_fall_due_at_different_moments(store: SqlStore) -> None:
    before = utcnow()
    spread = [await store.add_feed(f"https://s{n}.example/rss", spread_seconds=600)
              for n in range(40)]
    after = utcnow()
    due = [feed.next_poll_at for feed in spread]
    assert all(d is not None and before <= d <= after + timedelta(seconds=600) for d in due)
    # 40 draws over ten minutes: all in its first half, or one instant, would be a bug.
    assert len(set(due)) == 40
    assert max(due) - min(due) > timedelta(seconds=300)  # type: ignore[operator]
    assert 0 < await store.count_due_feeds(after + timedelta(seconds=300)) < 40
    plain = await store.add_feed("https://plain.example/rss")
    assert plain.next_poll_at is not None and plain.next_poll_at <= utcnow()  # due at once


async def test_ingest_polls_records_many_quiet_polls_as_record_poll_would(store: SqlStore
                                                                          ) -> None:
    now = at(0) + timedelta(days=365 * 5)
    fine, failing, gone, removed, tired = [
        await store.add_feed(f"https://{name}.example/rss", interval_seconds=600)
        for name in ("fine", "failing", "gone", "removed", "tired")]
    await store.record_poll(fine.id, FetchResult(etag='"v1"', title="Fine News"), now)
    for _ in range(2):
        await store.record_poll(tired.id, FetchResult(error="HTTP 500"), now)
    claimed = await store.claim_due_feeds(now + timedelta(days=1), limit=10, worker="w",
                                          lease_seconds=300)
    assert {f.id for f in claimed} == {fine.id, failing.id, gone.id, removed.id, tired.id}
    await store.remove_feed(removed.id)
    later = now + timedelta(days=1)
    quiet = [
        (fine.id, FetchResult(not_modified=True, etag='"v1"')),
        (failing.id, FetchResult(error="HTTP 503: the site has a problem")),
        (gone.id, FetchResult(error="HTTP 410 Gone", gone=True)),
        (removed.id, FetchResult(not_modified=True)),
        (tired.id, FetchResult(error="HTTP 500")),
    ]
    ingested = await store.ingest_polls([(feed_id, [], result) for feed_id, result in quiet],
                                        later, max_failures=3)
    assert [i.disabled for i in ingested] == [False, False, True, False, True]
    assert all(i.articles == () and i.news == () for i in ingested)
    polled = {f.id: f for f in await store.list_feeds()}
    assert removed.id not in polled
    assert polled[fine.id].etag == '"v1"' and polled[fine.id].title == "Fine News"
    assert polled[fine.id].last_success_at == later
    assert polled[fine.id].next_poll_at == later + timedelta(seconds=600)
    assert polled[failing.id].error_count == 1 and not polled[failing.id].paused
    assert polled[failing.id].last_error == "HTTP 503: the site has a problem"
    assert polled[gone.id].paused and "410" in (polled[gone.id].disabled_reason or "")
    assert polled[tired.id].paused and polled[tired.id].error_count == 3
    # Every lease is released: nothing is claimed, fine is due again one interval on.
    assert await store.claim_due_feeds(later, limit=10, worker="w2", lease_seconds=60) == []
    assert await store.ingest_polls([], later) == []
