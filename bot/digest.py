"""The weekly digest: each alerts channel gets the week's confirmed moves in its series
(the workspace's /settings series; every series without one), one line each.

Off unless PITBOARD_DIGEST_DAY is set; APScheduler runs `send_digests` then. Every worker
runs the job, so each channel's week is claimed in the database first: one digest per
channel and week however many workers there are."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.commands.context import DEFAULT_SERIES
from bot.messages import Alert, Card
from bot.models import Story
from bot.ports import AlertSender, DeliveryError, Store

log = logging.getLogger(__name__)


DIGEST_WEEK = "digest_week"  # setting per channel: the last week it got a digest
MAX_LINES = 30
WEEK = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class DigestReport:
    sent: int = 0
    skipped: int = 0  # channels with nothing new, or whose week another worker took
    failed: int = 0


def digest_card(stories: list[Story], series: str | None, week: str) -> Card:
    lines = [f"• {story.summary}" for story in stories[:MAX_LINES]]
    if len(stories) > MAX_LINES:
        lines.append(f"… and {len(stories) - MAX_LINES} more (/changes lists them)")
    where = f" in {series}" if series else ""
    return Card(title=f"This week's confirmed driver moves{where}",
                description="\n".join(lines), footer=f"Pitboard weekly digest · {week}")


async def send_digests(store: Store, senders: Mapping[str, AlertSender], now: datetime
                       ) -> DigestReport:
    week = f"{now.isocalendar().year}-W{now.isocalendar().week:02d}"
    sent = skipped = failed = 0
    for channel in await store.matching_destinations({}):  # every alerts channel
        sender = senders.get(channel.platform)
        if sender is None:
            continue
        series = await store.get_setting(channel.platform, channel.workspace, DEFAULT_SERIES)
        stories = await store.confirmed_since(now - WEEK, series=series)
        if not stories:
            skipped += 1
            continue
        claimed = await store.claim_setting(channel.platform, channel.workspace,
                                            f"{DIGEST_WEEK}:{channel.channel}", week)
        if not claimed:
            skipped += 1  # this week's digest went out already (another worker)
            continue
        card = digest_card(stories, series, week)
        try:
            await sender.send(Alert(story_id=0, revision=0, card=card, text=card.title,
                                    destination=channel))
        except DeliveryError as exc:
            # At most once: a missed digest is no loss, a doubled one is noise.
            failed += 1
            log.warning("weekly digest to %s:%s channel %s failed: %s", channel.platform,
                        channel.workspace, channel.channel, exc)
            continue
        sent += 1
    return DigestReport(sent=sent, skipped=skipped, failed=failed)
