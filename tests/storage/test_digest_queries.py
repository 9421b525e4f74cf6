"""What the weekly digest asks of storage, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from bot.models import Status, utcnow
from storage import SqlStore
from tests.storage.helpers import article, move


async def test_claim_setting_is_true_once_per_value(store: SqlStore) -> None:
    assert await store.claim_setting("discord", "g1", "digest_week:555", "2026-W49")
    assert not await store.claim_setting("discord", "g1", "digest_week:555", "2026-W49")
    assert await store.claim_setting("discord", "g1", "digest_week:555", "2026-W50")
    assert await store.get_setting("discord", "g1", "digest_week:555") == "2026-W50"


async def test_confirmed_since_of_one_series(store: SqlStore) -> None:
    feed = await store.add_feed("https://news.example/rss")
    for n, (driver, series, status) in enumerate([("A Driver", "IMSA", Status.CONFIRMED),
                                                  ("B Driver", "F1", Status.CONFIRMED),
                                                  ("C Driver", "IMSA", Status.RUMOUR)]):
        [new] = await store.add_articles(feed.id, [article(f"a{n}")])
        await store.record_extraction(new, move(driver, team="Team", series=series,
                                                season=2025, status=status))
    since = utcnow() - timedelta(days=7)
    assert [s.move.driver for s in await store.confirmed_since(since)] == ["A Driver",
                                                                          "B Driver"]
    assert [s.move.driver for s in await store.confirmed_since(since, series="IMSA")] == [
        "A Driver"]
    assert await store.confirmed_since(utcnow() + timedelta(minutes=1)) == []
