"""The interfaces the outer packages implement (storage, feeds, adapters).

Everything here is async because the whole bot runs in one asyncio loop."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Protocol, runtime_checkable

from bot.messages import Alert, CommandCall, Reply
from bot.models import (
    Article,
    Destination,
    Digest,
    Extraction,
    Feed,
    FetchResult,
    ImportReport,
    IngestedPoll,
    LineupChange,
    OutboxEntry,
    OutboxItem,
    ProbedFeed,
    Seat,
    Story,
    Subscription,
    TargetKind,
)

# One poll for `ArticleStore.ingest_polls`: the feed, its new entries with what the rules
# engine read in each, and the poll's result when the poll is to be recorded with them.
PollToIngest = tuple[int, Sequence[tuple[Article, Extraction | None]], FetchResult | None]


class FeedFetcher(Protocol):
    async def fetch(self, feed: Feed) -> FetchResult: ...


class FeedStore(Protocol):
    async def add_feed(
        self,
        url: str,
        *,
        series: str | None = None,
        interval_seconds: int = 600,
        workspace: str | None = None,
        title: str | None = None,
        spread_seconds: float = 0.0,
    ) -> Feed:
        """The first poll is due at a random moment within `spread_seconds` from now."""
        ...

    async def get_feed(self, feed_id: int) -> Feed | None: ...

    async def list_feeds(self, workspace: str | None = None) -> list[Feed]: ...

    async def remove_feed(self, feed_id: int, workspace: str | None = None) -> bool: ...

    async def set_paused(
        self, feed_id: int, paused: bool, workspace: str | None = None
    ) -> bool: ...

    async def count_due_feeds(self, now: datetime) -> int: ...

    async def mark_all_due(self, now: datetime) -> int:
        """Every unpaused feed becomes due at `now`; returns how many."""
        ...

    async def claim_due_feeds(
        self, now: datetime, *, limit: int, worker: str, lease_seconds: int
    ) -> list[Feed]: ...

    async def record_poll(self, feed_id: int, result: FetchResult, now: datetime, *,
                          new_entries: int = 0, max_failures: int = 10, alerts: int = 0,
                          processed: Collection[int] = ()) -> bool:
        """True when this poll disabled the feed (410, or max_failures in a row).

        `alerts`: how many the poll queued (the feed's count grows by it); `processed`: the
        poll's articles, marked processed in the same transaction."""
        ...

    async def renew_feed_leases(self, feed_ids: Collection[int], *, worker: str,
                                lease_seconds: int, now: datetime) -> set[int]:
        """Extend the worker's leases on feeds it is still polling; the ids it still held."""
        ...

    async def release_feeds(self, feed_ids: Collection[int], *, worker: str) -> None:
        """Hand back the worker's leases without recording a poll: due again at once."""
        ...

    async def release_leases(self, worker: str) -> int:
        """Hand back every feed and pending outbox row the worker holds (shutting down)."""
        ...


class ArticleStore(Protocol):
    async def add_articles(self, feed_id: int, articles: Sequence[Article]) -> list[Article]:
        """Insert; return only the articles that were new (unique per feed + entry id).

        New articles are unprocessed until `mark_articles_processed`, except those of a feed
        not yet primed (its first poll), which are stored processed: they are never
        announced, so a worker dying over them leaves nothing to recover."""
        ...

    async def known_entry_ids(self, feed_id: int, entry_ids: Sequence[str]) -> set[str]:
        """Those of `entry_ids` the feed already has: a poll reads only the others."""
        ...

    async def ingest_poll(self, feed_id: int,
                          entries: Sequence[tuple[Article, Extraction | None]],
                          now: datetime, *, finish: FetchResult | None = None,
                          max_failures: int = 10) -> IngestedPoll:
        """A poll's new articles and what the rules engine read in them, in one transaction:
        the articles are inserted (those another worker stored first are skipped) and each
        new one's extraction recorded as `record_extraction` does.

        With `finish` (a poll that announces nothing: a feed's first), the articles are
        stored processed and the poll is recorded in that same transaction, as
        `record_poll` would; otherwise they wait, unprocessed, for `record_poll(processed=)`
        after their alerts are queued."""
        ...

    async def ingest_polls(self, polls: Sequence[PollToIngest], now: datetime, *,
                           max_failures: int = 10) -> list[IngestedPoll]:
        """`ingest_poll` for each of `polls` (feed id, entries, finish), all in one
        transaction; what each stored, in the order given. The pipeline groups first polls
        that finish together, as it groups the polls that store nothing."""
        ...

    async def mark_articles_processed(self, article_ids: Collection[int], now: datetime
                                      ) -> int:
        """The articles' stories are recorded and their alerts queued (the outbox): nothing
        is left to recover. Returns how many were unprocessed until now; marking twice is a
        no-op."""
        ...

    async def unprocessed_articles(self, *, older_than: datetime, limit: int,
                                   now: datetime | None = None) -> list[Article]:
        """Claim up to `limit` articles stored before `older_than` and never marked
        processed, oldest first: those a worker left behind when it died mid-poll.

        Claiming stamps them with `now` (default: the clock) and an article claimed at or
        after `older_than` is not returned, so with older_than = now - lease no two workers
        recover the same article unless the first has not finished it within the lease."""
        ...

    async def article_stories(self, article_id: int) -> list[Story]:
        """The stories this article's moves support, as they stand now, in the order of the
        moves; empty when no extraction with moves was recorded for it."""
        ...


class StoryStore(Protocol):
    async def record_extraction(
        self, article: Article, extraction: Extraction
    ) -> list[Story]:
        """Record what the article says: what it does to stories is bot.stories' decision,
        what it does to seats bot.seats'.

        Returns the stories that are new or whose revision went up (rumour confirmed),
        i.e. the ones worth an alert."""
        ...

    async def recent_stories(self, limit: int = 5) -> list[Story]: ...

    async def confirmed_since(self, since: datetime, *, series: str | None = None,
                              limit: int = 100) -> list[Story]:
        """Confirmed stories first seen or confirmed since `since` (of one series if given),
        oldest first."""
        ...

    async def driver_stories(self, driver: str, limit: int = 5) -> list[Story]:
        """The driver's stories, newest first."""
        ...

    async def driver_profile(self, driver: str, *, stories: int = 5
                             ) -> tuple[list[Seat], list[Story]]:
        """`driver_seats` and `driver_stories(limit=stories)` in one read: what /driver
        shows."""
        ...


class LineupStore(Protocol):
    """The lineup knowledge: seats as articles, entry lists and moderators left them.

    Queries answer open seats in `season`, or (season None) in the latest season of each
    series up to next year's; series None: every series (group by `Seat.series`)."""

    async def lineup(self, car: str, *, series: str | None = None,
                     season: int | None = None) -> list[Seat]: ...

    async def team_lineup(self, team: str, *, series: str | None = None,
                          season: int | None = None) -> list[Seat]: ...

    async def driver_seats(self, driver: str) -> list[Seat]: ...

    async def all_seats(self, *, series: str | None = None, season: int | None = None
                        ) -> list[Seat]:
        """Every open seat, for export: series, season, car, team, driver order."""
        ...

    async def seat_stories(self, seat_id: int) -> list[Story]:
        """The stories that support a seat, newest first."""
        ...

    async def known_names(self, kind: TargetKind) -> list[str]:
        """Driver, team or series names the database knows: fuzzy lookup and autocomplete."""
        ...

    async def lineup_history(self, car: str, *, series: str | None = None,
                             season: int | None = None, limit: int = 50
                             ) -> list[LineupChange]:
        """How the car's answer was reached, newest first."""
        ...

    async def changes(self, series: str | None = None, since: datetime | None = None, *,
                      team: str | None = None, driver: str | None = None, limit: int = 20
                      ) -> list[LineupChange]:
        """What changed (optionally in one series, for one team or driver), newest first."""
        ...

    async def set_lineup(self, car: str, series: str, season: int, drivers: Sequence[str], *,
                         moderator: str, team: str | None = None) -> list[Seat]:
        """A moderator's word: exactly `drivers` sit in the car for that series and season.

        Other drivers of the car are removed; later articles never change these seats.
        `team` None keeps the team the car already has. Returns the new lineup."""
        ...

    async def set_stand_in(self, car: str, series: str, season: int, driver: str, *,
                           replaces: str, races: str | None = None, moderator: str,
                           team: str | None = None) -> Seat:
        """A moderator's word: `driver` stands in for `replaces` in the car (for `races`,
        free text such as "Sebring, Laguna Seca"). The regular driver keeps their seat;
        the stand-in ends when an article says the regular driver is back."""
        ...

    async def remove_from_lineup(self, car: str, series: str, season: int, driver: str, *,
                                 moderator: str) -> bool:
        """Take a driver out of a car; False when no such open seat existed (the removal
        is recorded anyway, so articles do not put the driver back)."""
        ...

    async def import_lineup(self, entries: Sequence[Seat], *, actor: str = "import"
                            ) -> ImportReport:
        """Load entry-list rows (series and season required); idempotent."""
        ...


class SubscriptionStore(Protocol):
    async def follow(self, subscription: Subscription) -> bool:
        """True when new; following twice is not an error."""
        ...

    async def unfollow(self, subscription: Subscription) -> bool: ...

    async def subscriptions_for(self, platform: str, workspace: str, user: str | None
                                ) -> list[Subscription]: ...

    async def set_alert_channel(self, destination: Destination) -> None: ...

    async def matching_destinations(
        self, targets: Mapping[TargetKind, Collection[str]]
    ) -> list[Destination]:
        """Destinations (not broken) with a subscription whose (target, name_key(value)) is in
        `targets`, plus every TargetKind.ALL subscription (alerts channels); deduplicated."""
        ...


class SettingsStore(Protocol):
    async def get_setting(self, platform: str, workspace: str, key: str) -> str | None: ...

    async def set_setting(self, platform: str, workspace: str, key: str, value: str) -> None: ...

    async def claim_setting(self, platform: str, workspace: str, key: str, value: str
                            ) -> bool:
        """Set it to `value` unless it already is; True for the one caller that did."""
        ...


class Outbox(Protocol):
    async def enqueue(self, story: Story, destinations: Sequence[Destination], *,
                      mentions: Mapping[Destination, Collection[str]] | None = None) -> int:
        """One row per (story, destination, revision), new ones only; `mentions` names, per
        channel destination, the followers its one post mentions."""
        ...

    async def queue_digest(self, destination: Destination, digest: Digest) -> bool:
        """Queue the destination's weekly digest; False when that week's is queued."""
        ...

    async def claim(
        self, now: datetime, *, limit: int, worker: str, lease_seconds: int,
        platforms: Sequence[str] | None = None,
    ) -> list[OutboxItem]: ...

    async def mark_sent(self, item_id: int, now: datetime) -> None: ...

    async def outbox_entries(self, *, statuses: Collection[str] | None = None,
                             platform: str | None = None, workspace: str | None = None,
                             failed_only: bool = False, limit: int = 50
                             ) -> list[OutboxEntry]:
        """The newest rows first, of some statuses and one workspace if given;
        `failed_only`: rows with an error (failing now or given up)."""
        ...

    async def failed_counts(self, platform: str, workspace: str) -> tuple[int, int]:
        """The workspace's failing alerts: (retrying, given up)."""
        ...

    async def mark_sent_many(self, sent: Mapping[int, str | None], now: datetime) -> None:
        """Settle sent rows in one transaction; the values are the posts' message
        references ("channel:message id"), kept so later news can edit the post."""
        ...

    async def mark_failed(self, item_id: int, error: str, retry_at: datetime | None) -> None:
        """retry_at None: give up on this item for good."""
        ...

    async def mark_destination_broken(self, destination_id: int, reason: str) -> bool:
        """True the first time, so moderators are told once."""
        ...

    async def retire_destination(self, destination_id: int) -> None: ...


class Store(FeedStore, ArticleStore, StoryStore, LineupStore, SubscriptionStore,
            SettingsStore, Outbox, Protocol):
    """Everything the core asks of storage, as one object."""

    async def close(self) -> None: ...


# ----- delivery ---------------------------------------------------------------------------


class DeliveryError(Exception):
    """A send failed; the subclass says what the delivery worker should do about it."""


class RetryLater(DeliveryError):
    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class DestinationForbidden(DeliveryError):
    """403, not_in_channel, is_archived: keep the destination, mark it, tell moderators once."""


class DestinationGone(DeliveryError):
    """404, channel_not_found, user left: retire its subscriptions."""


class InstallRevoked(DeliveryError):
    """The workspace removed the app or revoked its token."""


@runtime_checkable
class AlertSender(Protocol):
    platform: str

    async def send(self, alert: Alert) -> str | None:
        """Deliver or raise a DeliveryError subclass; returns the post's reference
        ("channel:message id") when the platform gave one."""
        ...

    async def notify_moderators(self, workspace: str, text: str) -> None: ...


# ----- names the core knows without a database ------------------------------------------------


class TeamCandidate(Protocol):
    """One team a written name may stand for, and how ("name", "alias", "sponsor",
    "manufacturer")."""

    @property
    def team(self) -> str: ...

    @property
    def series(self) -> str: ...

    @property
    def how(self) -> str: ...


class Gazetteer(Protocol):
    """Series, teams and drivers as the rules engine knows them (bot.rules.gazetteer())."""

    def team_candidates(self, text: str) -> Sequence[TeamCandidate]: ...

    def canonical_series(self, text: str) -> str | None: ...

    def canonical_team(self, text: str, series: str | None = None) -> str | None: ...

    def canonical_driver(self, text: str) -> str | None: ...

    def team_keys(self, text: str) -> set[str]: ...

    def team_colour(self, team: str) -> int | None: ...

    def series_names(self) -> list[str]: ...

    def team_names(self, series: str | None = None) -> list[str]: ...

    def driver_names(self) -> list[str]: ...


class FeedUrlChecker(Protocol):
    """Validates a feed URL before it is stored (feeds.check_feed_url_async): raises
    ValueError with a message fit for the user."""

    async def __call__(self, url: str) -> str: ...


class FeedProbe(Protocol):
    """Fetches a URL once before it is stored (feeds.FeedProbe): returns where the feed is
    (an HTML page's advertised feed, a permanent redirect's target) with what the fetch
    found; raises ValueError with the reason, fit for the user, when there is no feed."""

    async def __call__(self, url: str) -> ProbedFeed: ...


class FeedPrimer(Protocol):
    """Records a new feed's current entries from its probe, silently (Pipeline.first_poll):
    the probe's fetch serves as the feed's first poll."""

    async def __call__(self, feed: Feed, result: FetchResult) -> object: ...


# ----- what adapters get from the core -------------------------------------------------------


class CommandRunner(Protocol):
    """The platform-neutral command core, as adapters see it (bot.commands.Commands)."""

    async def run(self, call: CommandCall) -> Reply:
        """Never raises for bad user input: unknown commands and bad options come back as an
        error Reply with a short usage line."""
        ...

    async def suggest(self, kind: str, prefix: str, *, platform: str, workspace: str
                      ) -> list[str]:
        """Autocomplete values for an option's `autocomplete` kind (team, driver, series,
        feed, target), best first, at most 25."""
        ...
