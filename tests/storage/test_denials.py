"""Which stories a denial names, and what it queues: one edit per post already sent, on
every backend. (tests/e2e/test_denials.py sends those edits to the fake platforms.)"""

from __future__ import annotations

from datetime import timedelta

from bot.models import Destination, Extraction, Move, MoveKind, Status, utcnow
from storage import SqlStore
from tests.storage.helpers import article, move


async def _story(store: SqlStore, entry_id: str, extraction: Extraction):
    feed = await store.add_feed("https://news.example/rss")
    [new] = await store.add_articles(feed.id, [article(entry_id, source="Paddock")])
    return await store.record_extraction(new, extraction)


async def _deny(store: SqlStore, entry_id: str, *denials: Move, poll: bool = False) -> None:
    feed = await store.add_feed("https://denials.example/rss", title="The Race")
    extraction = Extraction(denials=denials)
    denying = article(entry_id, title=f"denial {entry_id}", source="The Race")
    if poll:  # as a poll stores it: articles and what they say in one transaction
        await store.ingest_poll(feed.id, [(denying, extraction)], utcnow())
        return
    [new] = await store.add_articles(feed.id, [denying])
    assert await store.record_extraction(new, extraction) == []


def _denial(driver: str, kind: MoveKind = MoveKind.JOIN, **fields: object) -> Move:
    return Move(driver=driver, kind=kind, status=Status.DENIED, **fields)  # type: ignore[arg-type]


async def _denied(store: SqlStore) -> dict[str, str | None]:
    return {s.move.driver: (s.denied_by.title if s.denied_by else None)
            for s in await store.recent_stories(20)}


async def test_a_denial_names_the_same_driver_team_and_direction(store: SqlStore) -> None:
    await _story(store, "a", move("Esteban Ocon", team="Haas", season=2025))
    await _story(store, "b", move("Oliver Bearman", team="Haas", season=2025))
    await _story(store, "c", move("Pierre Gasly", team="Alpine", season=2025))
    await _story(store, "d", move("Nico Hulkenberg", MoveKind.LEAVE, team="Haas", season=2025))
    await _story(store, "e", move("Zhou Guanyu", team="Sauber"))
    await _deny(store, "x1",
                _denial("Esteban Ocon", team="Haas"),  # no season: any season
                _denial("Oliver Bearman", team="Haas", season=2026),  # another season
                _denial("Pierre Gasly", team="Haas"),  # another team
                _denial("Nico Hulkenberg", MoveKind.PROMOTE, team="Haas"),  # arrives, not leaves
                _denial("Zhou Guanyu", MoveKind.REPLACE, team="Sauber", season=2025),
                _denial("Lewis Hamilton", team="Haas"))  # no story at all
    assert await _denied(store) == {
        "Esteban Ocon": "denial x1", "Oliver Bearman": None, "Pierre Gasly": None,
        "Nico Hulkenberg": None, "Zhou Guanyu": "denial x1"}
    # The weekly digest leaves the denied moves out.
    assert {s.move.driver for s in await store.confirmed_since(utcnow() - timedelta(days=7))
            } == {"Oliver Bearman", "Pierre Gasly", "Nico Hulkenberg"}
    # A second denial changes nothing: the first stands.
    await _deny(store, "x2", _denial("Esteban Ocon", team="Haas"), poll=True)
    assert (await _denied(store))["Esteban Ocon"] == "denial x1"
    await _deny(store, "x3", _denial("Oliver Bearman", team="Haas", season=2025), poll=True)
    assert (await _denied(store))["Oliver Bearman"] == "denial x3"


async def test_a_denial_queues_one_edit_per_sent_post_and_none_for_unsent(
        store: SqlStore) -> None:
    rumour = move("Esteban Ocon", team="Haas", season=2025, status=Status.RUMOUR)
    [story] = await _story(store, "r", rumour)
    sent_to, pending_to = (Destination(platform="discord", workspace="g", channel=c)
                           for c in ("sent", "pending"))
    assert await store.enqueue(story, [sent_to, pending_to]) == 2
    claimed = await store.claim(utcnow(), limit=10, worker="w", lease_seconds=60)
    first = next(item for item in claimed if item.destination.channel == "sent")
    await store.mark_sent_many({first.id: "sent:111"}, utcnow())
    await _deny(store, "x", _denial("Esteban Ocon", team="Haas"))
    rows = await store.claim(utcnow(), limit=10, worker="w2", lease_seconds=60)
    assert [(r.destination.channel, r.edit, r.edit_of) for r in rows] == [
        ("sent", True, "sent:111")]
    assert rows[0].story is not None and rows[0].story.denied_by is not None
    assert rows[0].story.denied_by.name == "The Race"
