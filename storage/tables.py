"""The schema: SQLAlchemy 2.x typed mappings. Alembic migrations create exactly this.

Optional text that takes part in a unique key (a destination's channel or user, a feed's
workspace, a seat's car or team) is stored as '' rather than NULL, because NULLs never
collide in a unique index and duplicates would slip through."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import (
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from storage.types import UTCDateTime

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class FeedRow(Base):
    __tablename__ = "feeds"
    __table_args__ = (
        UniqueConstraint("workspace_key", "url"),
        Index("ix_feeds_due", "paused", "next_poll_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(2000))
    workspace: Mapped[str | None] = mapped_column(String(200))
    workspace_key: Mapped[str] = mapped_column(String(200), default="")
    title: Mapped[str | None] = mapped_column(Text)
    series: Mapped[str | None] = mapped_column(String(200))
    interval_seconds: Mapped[int] = mapped_column(Integer, default=600)
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    primed: Mapped[bool] = mapped_column(Boolean, default=False)
    last_polled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    next_poll_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    lease_owner: Mapped[str | None] = mapped_column(String(200))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    disabled_reason: Mapped[str | None] = mapped_column(Text)
    body_hash: Mapped[str | None] = mapped_column(String(64))
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    entries_seen: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    # alerts queued by this feed's polls (one per story × destination): its worth, in /feed list
    alerts_produced: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))


class ArticleRow(Base):
    __tablename__ = "articles"
    __table_args__ = (
        UniqueConstraint("feed_id", "entry_id"),
        # Partial: only articles still in flight (or left behind by a dead worker) are in
        # it, so it stays a handful of rows however many articles are stored, and serves
        # "the oldest unprocessed, overall or of one feed" without touching the rest.
        Index("ix_articles_unprocessed", "created_at", "feed_id",
              sqlite_where=text("processed_at IS NULL"),
              postgresql_where=text("processed_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    feed_id: Mapped[int] = mapped_column(ForeignKey("feeds.id", ondelete="CASCADE"))
    entry_id: Mapped[str] = mapped_column(String(1000))
    title: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str | None] = mapped_column(Text)
    published: Mapped[datetime | None] = mapped_column(UTCDateTime)
    series: Mapped[str | None] = mapped_column(String(200))
    source: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Set once the article's stories are recorded and its alerts queued (the outbox): until
    # then a worker that died after storing it leaves it for Pipeline.recover.
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When a recovering worker last claimed it: another waits a whole lease before trying.
    recovery_claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class _SourceColumns:
    """The latest source of a story or seat, kept beside it so answers need no join."""

    source_title: Mapped[str | None] = mapped_column(Text)
    source_url: Mapped[str | None] = mapped_column(Text)
    source_name: Mapped[str | None] = mapped_column(Text)
    source_published: Mapped[datetime | None] = mapped_column(UTCDateTime)


class _MoveColumns:
    driver: Mapped[str] = mapped_column(String(300))
    driver_key: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20))
    team: Mapped[str | None] = mapped_column(String(300))
    car: Mapped[str | None] = mapped_column(String(20))
    series: Mapped[str | None] = mapped_column(String(200))
    season: Mapped[int | None] = mapped_column(Integer)
    role: Mapped[str | None] = mapped_column(String(100))
    from_team: Mapped[str | None] = mapped_column(String(300))
    replaces: Mapped[str | None] = mapped_column(String(300))
    teammates: Mapped[str] = mapped_column(Text, default="[]")  # JSON list
    status: Mapped[str] = mapped_column(String(20))
    confidence: Mapped[float] = mapped_column(Float, default=1.0)
    evidence: Mapped[str] = mapped_column(Text, default="")


class StoryRow(_MoveColumns, _SourceColumns, Base):
    """One real-world move, however many articles report it."""

    __tablename__ = "stories"
    __table_args__ = (
        Index("ix_stories_driver_key_first_seen", "driver_key", "first_seen"),
        Index("ix_stories_updated_at", "updated_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    story_key: Mapped[str] = mapped_column(String(1000), unique=True)
    summary: Mapped[str] = mapped_column(Text)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # A later article denied the move: when, and that article (as the source columns).
    denied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    denied_title: Mapped[str | None] = mapped_column(Text)
    denied_url: Mapped[str | None] = mapped_column(Text)
    denied_name: Mapped[str | None] = mapped_column(Text)
    denied_published: Mapped[datetime | None] = mapped_column(UTCDateTime)


class StorySourceRow(Base):
    __tablename__ = "story_sources"
    __table_args__ = (UniqueConstraint("story_id", "article_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"))
    article_id: Mapped[int | None] = mapped_column(
        ForeignKey("articles.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    name: Mapped[str | None] = mapped_column(Text)
    published: Mapped[datetime | None] = mapped_column(UTCDateTime)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)


class MoveRow(_MoveColumns, Base):
    """Every move as each article stated it: the history behind the stories."""

    __tablename__ = "moves"
    __table_args__ = (UniqueConstraint("article_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int | None] = mapped_column(
        ForeignKey("articles.id", ondelete="SET NULL"))
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"),
                                          index=True)
    position: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SeatRow(_SourceColumns, Base):
    """A driver's place in a car (or, with car_key '', in a team's lineup) for a season."""

    __tablename__ = "seats"
    __table_args__ = (
        UniqueConstraint("series_key", "season", "car_key", "team_key", "driver_key",
                         name="uq_seats_slot"),
        # Covering indexes for the answers: the latest open season per series is found in
        # the index alone, whatever the size of the table.
        Index("ix_seats_car_open", "car_key", "series_key", "season", "removed", "valid_to"),
        Index("ix_seats_team_open", "team_key", "series_key", "season", "removed",
              "valid_to"),
        Index("ix_seats_driver_open", "driver_key", "series_key", "season", "removed",
              "valid_to"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    series: Mapped[str | None] = mapped_column(String(200))
    series_key: Mapped[str] = mapped_column(String(200), default="")
    season: Mapped[int] = mapped_column(Integer)
    car: Mapped[str | None] = mapped_column(String(20))
    car_key: Mapped[str] = mapped_column(String(20), default="")
    team: Mapped[str | None] = mapped_column(String(300))
    team_key: Mapped[str] = mapped_column(String(300), default="")
    driver: Mapped[str] = mapped_column(String(300))
    driver_key: Mapped[str] = mapped_column(String(300))
    role: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20))
    # rules (extracted from articles), moderator (a correction), import (an entry list)
    origin: Mapped[str] = mapped_column(String(20), default="rules")
    replaces: Mapped[str | None] = mapped_column(String(300))  # a stand-in's regular driver
    races: Mapped[str | None] = mapped_column(Text)  # the races a stand-in covers
    valid_from: Mapped[datetime | None] = mapped_column(UTCDateTime)
    valid_to: Mapped[datetime | None] = mapped_column(UTCDateTime)  # set: the seat ended
    removed: Mapped[bool] = mapped_column(Boolean, default=False)  # a moderator's removal
    story_id: Mapped[int | None] = mapped_column(ForeignKey("stories.id", ondelete="SET NULL"))
    corrected_by: Mapped[str | None] = mapped_column(String(300))
    corrected_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SeatStoryRow(Base):
    """The stories that support a seat."""

    __tablename__ = "seat_stories"

    seat_id: Mapped[int] = mapped_column(ForeignKey("seats.id", ondelete="CASCADE"),
                                         primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"),
                                          primary_key=True)


class SeatEventRow(Base):
    """Every change to the lineup knowledge: the audit and the history of an answer."""

    __tablename__ = "seat_events"
    __table_args__ = (
        # /changes filters and orders by the news date; a car's history (how its answer
        # was reached) goes in the order the changes were made.
        Index("ix_seat_events_series_news", "series_key", "news_at"),
        Index("ix_seat_events_car", "car_key", "at"),
        Index("ix_seat_events_team_news", "team_key", "news_at"),
        Index("ix_seat_events_driver_news", "driver_key", "news_at"),
        Index("ix_seat_events_news", "news_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seat_id: Mapped[int | None] = mapped_column(ForeignKey("seats.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(20))
    series: Mapped[str | None] = mapped_column(String(200))
    series_key: Mapped[str] = mapped_column(String(200), default="")
    season: Mapped[int] = mapped_column(Integer)
    car: Mapped[str | None] = mapped_column(String(20))
    car_key: Mapped[str] = mapped_column(String(20), default="")
    team: Mapped[str | None] = mapped_column(String(300))
    team_key: Mapped[str] = mapped_column(String(300), default="")
    driver: Mapped[str] = mapped_column(String(300))
    driver_key: Mapped[str] = mapped_column(String(300), default="")
    role: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(300))  # "rules", "import" or a moderator
    story_id: Mapped[int | None] = mapped_column(ForeignKey("stories.id", ondelete="SET NULL"))
    source_title: Mapped[str | None] = mapped_column(Text)
    source_url: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime)  # when the change was recorded
    # The date of the news that made the change (its source's), when it has one.
    source_published: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The date a fan goes by: source_published, else `at`. 2023 news read today is 2023's.
    news_at: Mapped[datetime] = mapped_column(UTCDateTime)


class NameRow(Base):
    """Every driver, team, series and car name seen: autocomplete without a DISTINCT scan."""

    __tablename__ = "names"

    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))


class DestinationRow(Base):
    __tablename__ = "destinations"
    __table_args__ = (UniqueConstraint("platform", "workspace", "channel", "user", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(50))
    workspace: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(200), default="")
    user: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(20))
    broken: Mapped[str | None] = mapped_column(Text)
    broken_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SubscriptionRow(Base):
    __tablename__ = "subscriptions"
    __table_args__ = (
        UniqueConstraint("destination_id", "target", "value_key"),
        Index("ix_subscriptions_target", "target", "value_key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    destination_id: Mapped[int] = mapped_column(
        ForeignKey("destinations.id", ondelete="CASCADE"))
    target: Mapped[str] = mapped_column(String(20))
    value: Mapped[str] = mapped_column(String(300))
    value_key: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SettingRow(Base):
    __tablename__ = "settings"

    platform: Mapped[str] = mapped_column(String(50), primary_key=True)
    workspace: Mapped[str] = mapped_column(String(200), primary_key=True)
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class OutboxRow(Base):
    __tablename__ = "outbox"
    __table_args__ = (
        # A post per story, destination and revision; an edit per number of sources too.
        UniqueConstraint("story_id", "destination_id", "revision", "action", "sources"),
        # A weekly digest per destination and week (story rows leave the week NULL).
        UniqueConstraint("destination_id", "digest_week"),
        Index("ix_outbox_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # None for a weekly digest, which tells no one story.
    story_id: Mapped[int | None] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"))
    destination_id: Mapped[int] = mapped_column(
        ForeignKey("destinations.id", ondelete="CASCADE"), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="pending")  # pending, sent, dead
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    lease_owner: Mapped[str | None] = mapped_column(String(200))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Space-separated user ids: the followers this one channel post mentions.
    mentions: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The platform's id of the posted message (Discord message id, Slack ts), for edits.
    message_ref: Mapped[str | None] = mapped_column(Text)
    # How often a worker claimed it: past the first, an earlier send may have posted it.
    claims: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # "post"; "edit": another source reported the story (`sources` counts them then);
    # "denial": a later article denied it (one per post).
    action: Mapped[str] = mapped_column(String(10), default="post", server_default="post")
    sources: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # A weekly digest: its ISO week ("2026-W49") and its content (JSON: series, lines).
    digest_week: Mapped[str | None] = mapped_column(String(10))
    body: Mapped[str | None] = mapped_column(Text)


# The Core handles every store module writes its statements against, declared once.
feeds = cast(Table, FeedRow.__table__)
articles = cast(Table, ArticleRow.__table__)
stories = cast(Table, StoryRow.__table__)
story_sources = cast(Table, StorySourceRow.__table__)
moves = cast(Table, MoveRow.__table__)
seats = cast(Table, SeatRow.__table__)
seat_stories = cast(Table, SeatStoryRow.__table__)
seat_events = cast(Table, SeatEventRow.__table__)
names = cast(Table, NameRow.__table__)
destinations = cast(Table, DestinationRow.__table__)
subscriptions = cast(Table, SubscriptionRow.__table__)
settings = cast(Table, SettingRow.__table__)
outbox = cast(Table, OutboxRow.__table__)
