"""The weekly digest: each alerts channel gets the week's confirmed moves in its series
(the workspace's /settings series; every series without one), one line each.

Off unless PITBOARD_DIGEST_DAY is set; APScheduler runs `queue_digests` then, and the
delivery worker sends what it queued. A digest is an outbox row like an alert: one per
channel and week however many workers run the job (the database keeps one), sent once
(Discord nonce, Slack metadata), retried with backoff and paced with the alerts."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.commands.context import DEFAULT_SERIES
from bot.messages import Alert, Card
from bot.models import Destination, Digest
from bot.ports import Store

MAX_LINES = 30
WEEK = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class DigestReport:
    queued: int = 0
    skipped: int = 0  # channels with nothing new, or whose week is queued already


def iso_week(now: datetime) -> str:
    year, week, _ = now.isocalendar()
    return f"{year}-W{week:02d}"


def digest_card(digest: Digest) -> Card:
    lines = [f"• {line}" for line in digest.lines[:MAX_LINES]]
    if len(digest.lines) > MAX_LINES:
        lines.append(f"… and {len(digest.lines) - MAX_LINES} more (/changes lists them)")
    where = f" in {digest.series}" if digest.series else ""
    return Card(title=f"This week's confirmed driver moves{where}",
                description="\n".join(lines), footer=f"Pitboard weekly digest · {digest.week}")


def digest_alert(digest: Digest, destination: Destination, *, key: str | None = None,
                 resend: bool = False) -> Alert:
    """The digest as the one message a channel gets; `key` labels it as alerts are."""
    card = digest_card(digest)
    return Alert(story_id=0, revision=0, card=card, text=card.title, destination=destination,
                 key=key, resend=resend)


async def queue_digests(store: Store, platforms: Collection[str], now: datetime
                        ) -> DigestReport:
    """Queue this week's digest for every alerts channel on `platforms` that has news."""
    week = iso_week(now)
    queued = skipped = 0
    for channel in await store.matching_destinations({}):  # every alerts channel
        if channel.platform not in platforms:
            continue
        series = await store.get_setting(channel.platform, channel.workspace, DEFAULT_SERIES)
        stories = await store.confirmed_since(now - WEEK, series=series)
        digest = Digest(week=week, series=series,
                        lines=tuple(story.summary for story in stories))
        if stories and await store.queue_digest(channel, digest):
            queued += 1
        else:
            skipped += 1
    return DigestReport(queued=queued, skipped=skipped)
