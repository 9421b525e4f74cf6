"""`pitboard outbox`: what is queued, what fails and why, what went out, as tables."""

from __future__ import annotations

from bot.delivery import DeliveryWorker
from bot.models import Destination, DestinationKind
from bot.ports import DestinationForbidden
from tests.bot.test_delivery import RecordingSender, more_stories
from tests.e2e.test_cli import pitboard
from tests.fakes.db import open_test_store


async def test_outbox_shows_queued_failed_and_recent_rows(tmp_path):
    path = tmp_path / "cli.db"
    store = await open_test_store(path)
    try:
        first, _, third = await more_stories(store, 3)
        broken = Destination(platform="discord", workspace="g1", channel="4041",
                             kind=DestinationKind.CHANNEL)
        fine = Destination(platform="discord", workspace="g2", channel="2002",
                           kind=DestinationKind.CHANNEL)
        await store.enqueue(first, [broken, fine])
        sender = RecordingSender(DestinationForbidden("403 Missing Access"))
        await DeliveryWorker(store, {"discord": sender}, worker_id="w").run_once()
        await store.enqueue(third, [fine])  # queued, not yet sent
    finally:
        await store.close()

    done = pitboard("outbox", "--limit", "5", env={"DATABASE_URL": f"sqlite:///{path}"})
    assert done.returncode == 0, done.stderr
    queued, failed, recent = (part for part in done.stdout.split("shown)")[1:])
    assert "Driver 2" in queued and "pending" in queued and "Driver 0" not in queued
    assert "403 Missing" in failed and "dead" in failed and "#4041" in failed
    assert "sent" in recent and "#2002" in recent
