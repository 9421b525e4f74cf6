"""The weekly digest through the outbox and the delivery worker, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from bot.delivery import DeliveryWorker
from bot.digest import queue_digests
from bot.messages import Alert
from bot.models import Destination, DestinationKind, Status, utcnow
from bot.ports import RetryLater
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


class Recorder:
    """A platform sender that keeps what it is given, failing first as told."""

    def __init__(self, platform: str, *failures: Exception) -> None:
        self.platform = platform
        self.sent: list[Alert] = []
        self.failures = list(failures)

    async def send(self, alert: Alert) -> str:
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append(alert)
        return f"{alert.destination.channel}:{len(self.sent)}"

    async def notify_moderators(self, workspace: str, text: str) -> None:
        raise AssertionError("a digest tells no moderators anything")


async def _report(store: SqlStore, n: int, driver: str, series: str,
                  status: Status = Status.CONFIRMED) -> None:
    feed = await store.add_feed(f"https://news.example/{n}.xml")
    [new] = await store.add_articles(feed.id, [article(f"d{n}")])
    await store.record_extraction(new, move(driver, team="Some Team", series=series,
                                            season=2025, status=status))


async def _channel(store: SqlStore, platform: str, workspace: str, channel: str) -> None:
    await store.set_alert_channel(Destination(platform=platform, workspace=workspace,
                                              channel=channel, kind=DestinationKind.CHANNEL))


async def test_each_alerts_channel_gets_its_series_digest_once_a_week(store: SqlStore
                                                                     ) -> None:
    await _channel(store, "discord", "g1", "555")
    await store.set_setting("discord", "g1", "default_series", "IMSA")
    await _channel(store, "slack", "T1", "C1")
    await _report(store, 1, "Tom Blomqvist", "IMSA")
    await _report(store, 2, "Oliver Bearman", "F1")
    await _report(store, 3, "Rumoured Driver", "IMSA", Status.RUMOUR)
    discord, slack = Recorder("discord"), Recorder("slack")
    worker = DeliveryWorker(store, {"discord": discord, "slack": slack}, worker_id="w1")
    await worker.run_once()  # the stories' own alerts
    discord.sent.clear()
    slack.sent.clear()

    now = utcnow()
    assert (await queue_digests(store, ["discord", "slack"], now)).queued == 2
    # A second worker running the same job that week queues nothing more.
    again = await queue_digests(store, ["discord", "slack"], now + timedelta(minutes=1))
    assert (again.queued, again.skipped) == (0, 2)
    assert (await worker.run_once()).sent == 2
    [imsa] = discord.sent
    assert imsa.card.title == "This week's confirmed driver moves in IMSA"
    [line] = (imsa.card.description or "").splitlines()
    assert line.startswith("• Tom Blomqvist ") and "Some Team" in line
    assert imsa.key is not None and imsa.key.startswith("pitboard-outbox-")
    [everything] = slack.sent
    assert [line.split()[1:3] for line in (everything.card.description or "").splitlines()
            ] == [["Tom", "Blomqvist"], ["Oliver", "Bearman"]]  # the rumour is left out
    assert (await worker.run_once()).sent == 0
    # Next week has no new moves: nothing to say, nothing queued.
    assert (await queue_digests(store, ["discord", "slack"], now + timedelta(days=8))
            ).queued == 0
    entries = await store.outbox_entries(statuses=["sent"], platform="discord")
    assert entries[0].summary.startswith("weekly digest 20")


async def test_a_failed_digest_is_retried_and_sent_once(store: SqlStore) -> None:
    await _channel(store, "discord", "g1", "555")
    await _report(store, 1, "Tom Blomqvist", "IMSA")
    sender = Recorder("discord")
    worker = DeliveryWorker(store, {"discord": sender}, worker_id="w1")
    await worker.run_once()
    sender.sent.clear()
    sender.failures.append(RetryLater("discord: HTTP 503"))
    now = utcnow()
    assert (await queue_digests(store, ["discord"], now)).queued == 1
    first = await worker.run_once()
    assert (first.sent, first.retried) == (0, 1)
    [failed] = await store.outbox_entries(platform="discord", failed_only=True)
    assert failed.summary.startswith("weekly digest") and "503" in (failed.last_error or "")
    later = await worker.run_once(now=now + timedelta(hours=1))
    assert later.sent == 1
    [digest] = sender.sent
    assert digest.resend  # the first try may have reached Discord: its nonce says so
    assert (await worker.run_once(now=now + timedelta(hours=2))).sent == 0
    assert len(sender.sent) == 1
