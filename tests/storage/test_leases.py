"""Leases that follow the work: renewed while a poll runs, handed back when it fails or is
cancelled, and every lease a worker holds handed back when it shuts down."""

from __future__ import annotations

from datetime import timedelta

from bot.models import Article, Destination, DestinationKind, Extraction, Move, MoveKind, utcnow
from storage import SqlStore
from tests.storage.helpers import at

LATER = at(0) + timedelta(days=365 * 5)  # everything added "now" is due by then


async def test_renewal_extends_only_the_workers_own_leases(store: SqlStore) -> None:
    mine = await store.add_feed("https://a.example/rss")
    theirs = await store.add_feed("https://b.example/rss")
    [claimed] = await store.claim_due_feeds(LATER, limit=1, worker="w1", lease_seconds=60)
    assert claimed.id == mine.id
    await store.claim_due_feeds(LATER, limit=1, worker="w2", lease_seconds=60)

    held = await store.renew_feed_leases({mine.id, theirs.id}, worker="w1", lease_seconds=60,
                                         now=LATER + timedelta(seconds=50))
    assert held == {mine.id}
    # At 100 s the first lease would have run out; renewed at 50 s it lasts until 110 s.
    assert await store.claim_due_feeds(LATER + timedelta(seconds=100), limit=10, worker="w3",
                                       lease_seconds=60) == [
        f for f in [await store.get_feed(theirs.id)] if f is not None]
    assert await store.renew_feed_leases(set(), worker="w1", lease_seconds=60,
                                         now=LATER) == set()


async def test_a_handed_back_feed_is_due_again_at_once(store: SqlStore) -> None:
    feed = await store.add_feed("https://a.example/rss")
    await store.claim_due_feeds(LATER, limit=1, worker="w1", lease_seconds=60)
    await store.release_feeds([feed.id], worker="w2")  # not w2's to hand back
    assert await store.claim_due_feeds(LATER, limit=1, worker="w2", lease_seconds=60) == []
    await store.release_feeds([feed.id], worker="w1")
    [again] = await store.claim_due_feeds(LATER, limit=1, worker="w2", lease_seconds=60)
    assert again.id == feed.id


async def test_release_leases_hands_back_feeds_and_pending_alerts(store: SqlStore) -> None:
    feeds = [await store.add_feed(f"https://{n}.example/rss") for n in "abc"]
    await store.claim_due_feeds(LATER, limit=2, worker="leaving", lease_seconds=600)
    await store.claim_due_feeds(LATER, limit=1, worker="staying", lease_seconds=600)
    [article] = await store.add_articles(feeds[0].id, [Article(entry_id="x", title="t")])
    [story] = await store.record_extraction(article, Extraction(
        moves=(Move(driver="Oliver Bearman", kind=MoveKind.JOIN, team="Haas", series="F1",
                    season=2025),), summaries=("Oliver Bearman → Haas (F1 2025)",)))
    await store.set_alert_channel(Destination(platform="discord", workspace="g",
                                              channel="c", kind=DestinationKind.CHANNEL))
    [destination] = await store.matching_destinations({})
    await store.enqueue(story, [destination])
    now = utcnow()
    assert len(await store.claim(now, limit=5, worker="leaving", lease_seconds=600)) == 1

    assert await store.release_leases("leaving") == 3
    assert await store.release_leases("leaving") == 0
    assert len(await store.claim(now, limit=5, worker="next", lease_seconds=600)) == 1
    taken = await store.claim_due_feeds(LATER, limit=10, worker="next", lease_seconds=600)
    assert len(taken) == 2  # the staying worker's feed is still its own
