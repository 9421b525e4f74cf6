"""The weekly digest: the week's confirmed moves in each alerts channel's series, one line
each, once per channel and week however many workers run the job."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot.config import Settings
from bot.digest import send_digests
from bot.messages import Alert
from bot.models import (
    Article,
    Destination,
    DestinationKind,
    Extraction,
    Move,
    MoveKind,
    Status,
    utcnow,
)
from bot.ports import RetryLater


class Recorder:
    def __init__(self, platform: str, *failures: Exception) -> None:
        self.platform = platform
        self.sent: list[Alert] = []
        self.failures = list(failures)

    async def send(self, alert: Alert) -> None:
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append(alert)

    async def notify_moderators(self, workspace: str, text: str) -> None:
        raise AssertionError("a digest tells no moderators anything")


async def report(store, n: int, driver: str, series: str, status: Status = Status.CONFIRMED):
    feed = await store.add_feed(f"https://news.example/{n}.xml")
    (article,) = await store.add_articles(feed.id, [Article(entry_id=f"d{n}", title="t")])
    return await store.record_extraction(article, Extraction(
        moves=(Move(driver=driver, kind=MoveKind.JOIN, team="Some Team", series=series,
                    season=2025, status=status),),
        summaries=(f"{driver} joins Some Team ({series})",)))


async def test_each_alerts_channel_gets_its_series_once_a_week(store):
    await store.set_alert_channel(Destination(platform="discord", workspace="g1",
                                              channel="555", kind=DestinationKind.CHANNEL))
    await store.set_setting("discord", "g1", "default_series", "IMSA")
    await store.set_alert_channel(Destination(platform="slack", workspace="T1",
                                              channel="C1", kind=DestinationKind.CHANNEL))
    await report(store, 1, "Tom Blomqvist", "IMSA")
    await report(store, 2, "Oliver Bearman", "F1")
    await report(store, 3, "Rumoured Driver", "IMSA", Status.RUMOUR)
    discord, slack = Recorder("discord"), Recorder("slack")
    senders = {"discord": discord, "slack": slack}

    now = utcnow()
    assert (await send_digests(store, senders, now)).sent == 2
    [imsa] = discord.sent
    assert imsa.card.title == "This week's confirmed driver moves in IMSA"
    assert imsa.card.description == "• Tom Blomqvist joins Some Team (IMSA)"
    [everything] = slack.sent
    assert everything.card.description.splitlines() == [
        "• Tom Blomqvist joins Some Team (IMSA)", "• Oliver Bearman joins Some Team (F1)"]

    # A second worker running the same job that week sends nothing more.
    again = await send_digests(store, senders, now + timedelta(minutes=1))
    assert (again.sent, again.skipped) == (0, 2)
    # Next week has no new moves: nothing to say, nothing said.
    assert (await send_digests(store, senders, now + timedelta(days=8))).sent == 0
    assert len(discord.sent) == len(slack.sent) == 1


async def test_a_failed_digest_is_not_sent_twice(store):
    await store.set_alert_channel(Destination(platform="discord", workspace="g1",
                                              channel="555", kind=DestinationKind.CHANNEL))
    await report(store, 1, "Tom Blomqvist", "IMSA")
    sender = Recorder("discord", RetryLater("503"))
    now = utcnow()
    assert (await send_digests(store, {"discord": sender}, now)).failed == 1
    assert (await send_digests(store, {"discord": sender}, now)).sent == 0
    assert sender.sent == []


async def test_the_digest_is_off_unless_a_day_is_set(tmp_path: Path):
    from bot.app import PitboardApp

    url = f"sqlite+aiosqlite:///{tmp_path}/digest.db"
    off = await PitboardApp.create(Settings(_env_file=None, database_url=url,
                                            pitboard_console=True, pitboard_feeds=""))
    try:
        assert off.start_scheduler().get_job("weekly-digest") is None
    finally:
        await off.close()
    on = await PitboardApp.create(Settings(
        _env_file=None, database_url=url, pitboard_console=True, pitboard_feeds="",
        pitboard_digest_day="mon", pitboard_digest_hour=7))
    try:
        job = on.start_scheduler().get_job("weekly-digest")
        assert job is not None
        fields = {field.name: str(field) for field in job.trigger.fields}
        assert (fields["day_of_week"], fields["hour"], fields["minute"]) == ("mon", "7", "0")
    finally:
        await on.close()
