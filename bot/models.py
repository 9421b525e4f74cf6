"""Domain data: plain frozen dataclasses, no I/O, every datetime timezone-aware UTC."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

# The rules engine imports name_key from here; bot.keys is its home.
from bot.keys import name_key as name_key


def utc(moment: datetime) -> datetime:
    """Return `moment` in UTC; naive datetimes are refused rather than guessed."""
    if moment.tzinfo is None:
        raise ValueError(f"naive datetime {moment!r}: Pitboard keeps every time in UTC")
    return moment.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class MoveKind(StrEnum):
    JOIN = "join"
    LEAVE = "leave"
    EXTEND = "extend"
    RETIRE = "retire"
    PROMOTE = "promote"
    REPLACE = "replace"

    # Arrive, stay or depart: moves in the same direction describe the same story. A plain
    # attribute of each member, set below: the rules engine reads it thousands of times an
    # article batch, and a property costs a call each time.
    direction: str


for _kind in MoveKind:
    _kind.direction = ("arrive" if _kind in (MoveKind.JOIN, MoveKind.PROMOTE, MoveKind.REPLACE)
                       else "stay" if _kind is MoveKind.EXTEND else "depart")
del _kind


class Status(StrEnum):
    CONFIRMED = "confirmed"
    RUMOUR = "rumour"
    DENIED = "denied"  # the article says the move is not happening


class Role(StrEnum):
    FULL_TIME = "full-time"
    ENDURANCE = "endurance"
    RESERVE = "reserve"
    TEST = "test"
    THIRD_DRIVER = "third driver"
    PART_TIME = "part-time"


class TargetKind(StrEnum):
    """What a subscription follows. ALL is a moderator's alerts channel: every story."""

    TEAM = "team"
    DRIVER = "driver"
    CAR = "car"
    SERIES = "series"
    ALL = "all"


class DestinationKind(StrEnum):
    CHANNEL = "channel"
    DM = "dm"
    MENTION = "mention"  # the alerts channel's post, mentioning this follower
    FOLLOWER = "follower"  # the alerts channel's post, read there without a ping


@dataclass(frozen=True, slots=True, kw_only=True)
class Article:
    entry_id: str
    title: str
    summary: str = ""
    url: str | None = None
    published: datetime | None = None
    series: str | None = None  # the feed's (or the item's) series, a hint for the rules
    source: str | None = None  # the feed's human name, shown under alerts
    feed_id: int | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        if self.published is not None and self.published.tzinfo is None:
            raise ValueError("Article.published must be timezone-aware (UTC)")

    @property
    def text(self) -> str:
        return f"{self.title}\n\n{self.summary}".strip()

    def as_source(self) -> Source:
        """How stories and seats cite this article."""
        return Source(title=self.title, url=self.url, name=self.source,
                      published=self.published)


@dataclass(frozen=True, slots=True, kw_only=True)
class Move:
    driver: str
    kind: MoveKind
    team: str | None = None
    car: str | None = None
    series: str | None = None
    season: int | None = None
    role: str | None = None
    from_team: str | None = None
    replaces: str | None = None
    teammates: tuple[str, ...] = ()
    status: Status = Status.CONFIRMED
    confidence: float = 1.0
    evidence: str = ""

    def __post_init__(self) -> None:
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"confidence {self.confidence} outside [0, 1]")

    def story_key(self) -> str:
        """One real-world move, however many sources report it or how it is worded."""
        team = (self.team or "").casefold()
        return f"{self.driver.casefold()}|{self.kind.direction}|{team}|{self.season or ''}"

    def as_json(self) -> dict[str, Any]:
        return {
            "driver": self.driver,
            "kind": self.kind.value,
            "team": self.team,
            "car": self.car,
            "series": self.series,
            "season": self.season,
            "role": self.role,
            "from_team": self.from_team,
            "replaces": self.replaces,
            "teammates": list(self.teammates),
            "status": self.status.value,
            "confidence": round(self.confidence, 3),
            "evidence": self.evidence,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Extraction:
    """What the rules engine read in one article."""

    moves: tuple[Move, ...] = ()
    lineup: tuple[Seat, ...] = ()  # who sits where, as the article lists it
    summaries: tuple[str, ...] = ()  # one line per move, same order
    denials: tuple[Move, ...] = ()  # moves the article says are not happening

    @property
    def summary(self) -> str:
        return " | ".join(self.summaries)


@dataclass(frozen=True, slots=True, kw_only=True)
class Feed:
    id: int
    url: str
    title: str | None = None
    series: str | None = None
    interval_seconds: int = 600
    paused: bool = False
    workspace: str | None = None  # who added it; None for operator-level feeds
    etag: str | None = None
    last_modified: str | None = None
    primed: bool = False  # the first poll records entries without announcing them
    last_polled_at: datetime | None = None
    last_error: str | None = None
    error_count: int = 0
    # Set when Pitboard stopped polling the feed by itself (410 Gone, too many failures):
    # paused too, so `/feed resume` is the one way back.
    disabled_reason: str | None = None
    body_hash: str | None = None  # of the last 200 body parsed: the same bytes are not re-read
    last_success_at: datetime | None = None
    next_poll_at: datetime | None = None
    entries_seen: int = 0
    alerts_produced: int = 0  # alerts its polls queued


@dataclass(frozen=True, slots=True, kw_only=True)
class FetchResult:
    """One poll of one feed. Errors are values: a bad feed never stops the others."""

    articles: tuple[Article, ...] = ()
    not_modified: bool = False
    etag: str | None = None
    last_modified: str | None = None
    title: str | None = None
    error: str | None = None
    gone: bool = False  # 410: the publisher says the feed will not come back
    moved_to: str | None = None  # where every redirect on the way said "permanently"
    body_hash: str | None = None
    unchanged: bool = False  # a 200 whose body hashes as last time: nothing was parsed
    # The server's own word on how long to leave it alone (Cache-Control max-age,
    # Retry-After): a floor under the feed's interval or backoff.
    wait_seconds: float | None = None
    feed_link: str | None = None  # not a feed, but an HTML page that links to this one

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True, slots=True, kw_only=True)
class PresetFeed:
    """A well-known racing news feed from the bundled catalogue (feeds/catalogue.toml):
    `/feed presets` lists them, `/feed add preset <series>` adds a series' feeds."""

    series: str  # as the gazetteer spells it: "IMSA", "F1"
    publisher: str
    url: str


@dataclass(frozen=True, slots=True, kw_only=True)
class IngestedPoll:
    """What `ingest_poll` stored: the poll's new articles (with their ids), the stories each
    made news of (new, or a rumour confirmed), and whether recording the poll disabled it."""

    articles: tuple[Article, ...] = ()
    news: tuple[tuple[Story, ...], ...] = ()
    disabled: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class ProbedFeed:
    """A URL fetched once before it becomes a feed: where the feed really is (after
    discovery and permanent redirects), its own title, and what that fetch found."""

    url: str
    title: str | None
    result: FetchResult


@dataclass(frozen=True, slots=True, kw_only=True)
class Source:
    title: str
    url: str | None = None
    name: str | None = None
    published: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Story:
    id: int
    move: Move
    summary: str
    revision: int = 1
    source: Source | None = None
    first_seen: datetime | None = None
    updated_at: datetime | None = None
    # The other sources that reported it, by name (filled where alerts are rendered).
    also_reported_by: tuple[str, ...] = ()
    denied_by: Source | None = None  # the later article that denied the move, if any


@dataclass(frozen=True, slots=True, kw_only=True)
class Destination:
    platform: str  # "console", "discord", "slack"
    workspace: str  # guild id, Slack team id, "local"
    channel: str | None = None
    user: str | None = None
    kind: DestinationKind = DestinationKind.CHANNEL
    id: int | None = None
    broken: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Subscription:
    destination: Destination
    target: TargetKind
    value: str
    id: int | None = None


class SeatOrigin(StrEnum):
    """Where a seat's current facts come from. A moderator's word beats the others."""

    RULES = "rules"  # extracted from articles
    IMPORT = "import"  # an entry list (pitboard lineup import)
    MODERATOR = "moderator"  # /lineup set or /lineup remove


@dataclass(frozen=True, slots=True, kw_only=True)
class Seat:
    """A driver's place in a car (or, without a car, in a team's lineup) for a season.

    The first fields are what an article's lineup line or an entry list states; a seat read
    back from storage also says where it came from and how it has changed."""

    driver: str
    team: str | None = None
    car: str | None = None
    series: str | None = None
    season: int | None = None
    role: str | None = None
    status: Status = Status.CONFIRMED
    replaces: str | None = None  # set: a stand-in for this driver
    races: str | None = None  # the races a stand-in covers, when known
    # As stored:
    id: int | None = None
    origin: SeatOrigin = SeatOrigin.RULES
    valid_from: datetime | None = None
    valid_to: datetime | None = None  # set: the seat has ended
    removed: bool = False  # a moderator took the driver out (kept so articles don't undo it)
    source: Source | None = None  # the latest source
    story_id: int | None = None  # the story behind the latest change
    story_ids: tuple[int, ...] = ()  # the stories that support the seat, oldest first
    corrected_by: str | None = None
    corrected_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def ended(self) -> bool:
        return self.valid_to is not None

    @property
    def is_open(self) -> bool:
        return self.valid_to is None and not self.removed

    @property
    def stand_in(self) -> bool:
        return self.replaces is not None

    def as_json(self) -> dict[str, Any]:
        """A lineup line as `pitboard extract` prints it."""
        return {
            "driver": self.driver,
            "team": self.team,
            "car": self.car,
            "series": self.series,
            "season": self.season,
        }


# The rules engine's name for a seat an article lists.
LineupEntry = Seat


class ChangeAction(StrEnum):
    FILL = "fill"  # a new confirmed seat
    RUMOUR = "rumour"  # a new rumoured seat
    CONFIRM = "confirm"  # a rumoured seat confirmed
    UPDATE = "update"  # details filled in (car, role, team, stand-in races)
    REOPEN = "reopen"  # an ended seat is taken again
    END = "end"  # leave, retire, or a permanent replacement
    SET = "set"  # a moderator put the driver in the seat
    REMOVE = "remove"  # a moderator took the driver out


@dataclass(frozen=True, slots=True, kw_only=True)
class LineupChange:
    """One change to the lineup knowledge: /changes, /team and /lineup history."""

    id: int
    at: datetime
    action: ChangeAction
    series: str | None
    season: int
    car: str | None
    team: str | None
    driver: str
    role: str | None
    status: Status
    actor: str  # "rules", "import" or the moderator's user id
    story_id: int | None = None
    source: Source | None = None
    detail: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RowProblem:
    line: int  # 1-based line number in the file, the header being line 1
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ImportReport:
    rows: int = 0  # data rows read
    added: int = 0
    updated: int = 0
    unchanged: int = 0  # already known as given (importing twice changes nothing)
    skipped: int = 0  # usable rows a moderator's correction overrides
    problems: tuple[RowProblem, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class OutboxEntry:
    """An outbox row as operators and moderators see it: what, where, and how it went."""

    id: int
    summary: str  # the story's one line
    destination: Destination
    status: str  # pending, sent, dead, superseded
    attempts: int
    last_error: str | None
    created_at: datetime
    next_attempt_at: datetime | None = None
    sent_at: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Digest:
    """A channel's weekly digest as queued: the week's confirmed moves, one line each."""

    week: str  # ISO week, "2026-W49"
    series: str | None = None
    lines: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class OutboxItem:
    id: int
    destination: Destination
    story: Story | None = None  # None for a weekly digest
    digest: Digest | None = None
    attempts: int = 0
    mentions: tuple[str, ...] = ()  # followers to mention in this one channel post
    claims: int = 1  # past one, a worker had it before and may have posted it already
    reply_to: str | None = None  # "channel:message" of the story's first post here
    # An edit of the story's post here ("channel:message"), not a post: another source
    # reported it. None for an edit whose post left no reference: nothing to edit.
    edit: bool = False
    edit_of: str | None = None

    @property
    def resend(self) -> bool:
        """An earlier try may have reached the platform (its answer lost, or its worker
        killed before the row was settled)."""
        return self.claims > 1 or self.attempts > 0


@dataclass(frozen=True, slots=True, kw_only=True)
class PollReport:
    """What one poll cycle did, per feed; printed by the CLI and asserted by tests."""

    feed_id: int
    url: str
    new_articles: int = 0
    new_stories: int = 0
    not_modified: bool = False
    error: str | None = None
    announced: bool = True
    story_ids: tuple[int, ...] = field(default=())
    alerts_queued: int = 0
    moves: int = 0  # moves the rules engine kept (new_stories: those that made news)
