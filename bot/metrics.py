"""Every Prometheus metric Pitboard exports, defined once, and the few functions the
composition root (bot/app.py) calls at the pipeline's and the delivery's seams.

The counters count what this process did (scrape each worker's PITBOARD_METRICS_PORT); the
gauges read the shared database at scrape time, so any process reports them alike."""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

from bot.messages import Alert
from bot.models import PollReport, utcnow
from bot.ports import (
    AlertSender,
    DestinationForbidden,
    DestinationGone,
    InstallRevoked,
    RetryLater,
)

# Our own registry: no process/platform collectors of the default one, and tests can read
# exactly what Pitboard exports.
REGISTRY = CollectorRegistry()

POLLS = Counter("pitboard_polls", "Feed polls, by outcome (new, unchanged, not_modified, "
                "error)", ["outcome"], registry=REGISTRY)
POLL_ERRORS = Counter("pitboard_poll_errors", "Failed feed polls, by reason", ["reason"],
                      registry=REGISTRY)
ARTICLES = Counter("pitboard_articles", "New articles stored", registry=REGISTRY)
MOVES = Counter("pitboard_moves", "Driver moves the rules engine read in new articles",
                registry=REGISTRY)
STORIES = Counter("pitboard_stories", "Stories that are new or upgraded (rumour confirmed): "
                  "the moves worth an alert", registry=REGISTRY)
ALERTS_QUEUED = Counter("pitboard_alerts_queued", "Alerts put in the outbox",
                        registry=REGISTRY)
ALERTS_SENT = Counter("pitboard_alerts_sent", "Alerts delivered, by platform", ["platform"],
                      registry=REGISTRY)
ALERTS_FAILED = Counter("pitboard_alerts_failed", "Failed alert sends, by platform and reason "
                        "(retry, forbidden, gone, revoked, error)", ["platform", "reason"],
                        registry=REGISTRY)
SEND_SECONDS = Histogram("pitboard_send_seconds", "Time to send one alert, by platform",
                         ["platform"], registry=REGISTRY,
                         buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
DATABASE_UP = Gauge("pitboard_database_up", "1 when the database answered the last scrape",
                    registry=REGISTRY)
OUTBOX_DEPTH = Gauge("pitboard_outbox_depth", "Alerts waiting in the outbox",
                     registry=REGISTRY)
OUTBOX_AGE = Gauge("pitboard_outbox_oldest_seconds",
                   "Age of the oldest alert waiting in the outbox (0 when empty)",
                   registry=REGISTRY)
EXPIRED_LEASES = Gauge("pitboard_outbox_expired_leases",
                       "Waiting alerts whose worker let the lease run out (died mid-send or "
                       "ran long); the next claim takes them over", registry=REGISTRY)
LAST_POLL_AGE = Gauge("pitboard_last_poll_age_seconds",
                      "Seconds since any feed was polled (-1: never)", registry=REGISTRY)

# Feed errors are sentences for people (feeds.fetch, feeds.parse); these patterns fold them
# into a few label values, so the label set stays small whatever the message says.
_REASONS: tuple[tuple[str, str], ...] = (
    (r"^internal:|^fetch failed:|^unexpected error", "internal"),
    (r"timed out", "timeout"),
    (r"^HTTP [45]\d\d\b", "http"),
    (r"could not resolve host", "dns"),
    (r"^TLS certificate", "tls"),
    (r"^refused URL", "refused_url"),
    (r"redirect", "redirect"),
    (r"larger than", "too_large"),
    (r"connection|connect to|broke off|^HTTP error", "connection"),
    (r"not a feed|could not parse|malformed|empty response|no feed", "not_a_feed"),
)


def poll_error_reason(error: str) -> str:
    for pattern, reason in _REASONS:
        if re.search(pattern, error):
            if reason == "http":
                return f"http_{error[5]}xx"
            return reason
    return "other"


def record_polls(reports: Iterable[PollReport]) -> None:
    for report in reports:
        if report.error is not None:
            POLLS.labels("error").inc()
            POLL_ERRORS.labels(poll_error_reason(report.error)).inc()
            continue
        if report.not_modified:
            POLLS.labels("not_modified").inc()
            continue
        POLLS.labels("new" if report.new_articles else "unchanged").inc()
        ARTICLES.inc(report.new_articles)
        MOVES.inc(report.moves)
        STORIES.inc(report.new_stories)
        ALERTS_QUEUED.inc(report.alerts_queued)


_FAILURES: tuple[tuple[type[BaseException], str], ...] = (
    (RetryLater, "retry"), (DestinationForbidden, "forbidden"), (DestinationGone, "gone"),
    (InstallRevoked, "revoked"))


class MeasuredSender:
    """An AlertSender that counts and times the sends of the one it wraps. Anything else
    (a test's `delivered` list, a sender's own helpers) is the wrapped sender's."""

    def __init__(self, sender: AlertSender) -> None:
        self.wrapped = sender
        self.platform = sender.platform

    async def send(self, alert: Alert) -> str | None:
        started = time.perf_counter()
        try:
            ref = await self.wrapped.send(alert)
        except Exception as exc:
            reason = next((name for kind, name in _FAILURES if isinstance(exc, kind)), "error")
            ALERTS_FAILED.labels(self.platform, reason).inc()
            raise
        finally:
            SEND_SECONDS.labels(self.platform).observe(time.perf_counter() - started)
        ALERTS_SENT.labels(self.platform).inc()
        return ref  # the post's reference: a confirmation later answers this post

    async def notify_moderators(self, workspace: str, text: str) -> None:
        await self.wrapped.notify_moderators(workspace, text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.wrapped, name)


def _age(since: datetime | None, now: datetime) -> float | None:
    return None if since is None else max((now - since).total_seconds(), 0.0)


def record_database(*, up: bool, outbox_depth: int = 0, oldest_pending: datetime | None = None,
                    last_poll: datetime | None = None, expired_leases: int = 0,
                    now: datetime | None = None) -> dict[str, Any]:
    """Set the gauges from a database reading; returns the same facts for /healthz."""
    now = now or utcnow()
    DATABASE_UP.set(1 if up else 0)
    if not up:
        return {"ok": False, "database": "unreachable"}
    poll_age = _age(last_poll, now)
    queue_age = _age(oldest_pending, now)
    OUTBOX_DEPTH.set(outbox_depth)
    OUTBOX_AGE.set(queue_age or 0.0)
    EXPIRED_LEASES.set(expired_leases)
    LAST_POLL_AGE.set(-1 if poll_age is None else poll_age)
    return {"ok": True, "database": "ok",
            "last_poll_age_seconds": None if poll_age is None else round(poll_age, 1),
            "outbox_depth": outbox_depth,
            "outbox_oldest_seconds": None if queue_age is None else round(queue_age, 1),
            "outbox_expired_leases": expired_leases}


def exposition() -> tuple[bytes, str]:
    """The /metrics body and its content type."""
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
