"""Stories: one per real-world move, with every article that told it. What a move does to
a story is bot/stories.py's decision; this module reads the stories it needs and writes
the intents it returns.

`record_extraction` is one transaction with a statement count that barely grows with the
moves: the stories the moves name are read in one SELECT and the seats the moves and lineup
lines touch in another; rows nothing reads back (sources of new stories, moves, seat
support, seat events) are written a table at a time at the end."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    Integer,
    and_,
    bindparam,
    exists,
    false,
    func,
    literal,
    null,
    or_,
    select,
    type_coerce,
    union_all,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.models import (
    Article,
    Extraction,
    Move,
    MoveKind,
    Seat,
    Source,
    Status,
    Story,
    utcnow,
)
from bot.statements import extraction_statements
from bot.stories import StoryChange, StoryIntent, StoryState, decide_stories, told_moves
from storage.base import StoreBase, insert_for, insert_ignoring, source_columns, source_of
from storage.columns import SERIES_CHARS, clip, clip_entry, clip_move, stored_name_key
from storage.errors import translate_errors
from storage.names import named_in, remember_names
from storage.seats import (
    decide_and_write,
    latest_season_limit,
    open_seats_statement,
    with_support,
)
from storage.tables import moves, outbox, seat_stories, stories, story_sources

# Run for nearly every extraction: the parameters vary, not the SQL.
_INSERT_STORY = stories.insert().returning(*stories.c)


def move_of(row: Any) -> Move:
    return Move(
        driver=row.driver, kind=MoveKind(row.kind), team=row.team, car=row.car,
        series=row.series, season=row.season, role=row.role, from_team=row.from_team,
        replaces=row.replaces, teammates=tuple(json.loads(row.teammates or "[]")),
        status=Status(row.status), confidence=float(row.confidence), evidence=row.evidence,
    )


def story_of(row: Any) -> Story:
    return Story(id=row.id, move=move_of(row), summary=row.summary, revision=row.revision,
                 source=source_of(row), first_seen=row.first_seen, updated_at=row.updated_at,
                 denied_by=source_of(row, "denied_") if row.denied_at is not None else None)


def move_columns(move: Move) -> dict[str, Any]:
    return {
        "driver": move.driver, "driver_key": stored_name_key(move.driver), "kind": move.kind.value,
        "team": move.team, "car": move.car, "series": move.series, "season": move.season,
        "role": move.role, "from_team": move.from_team, "replaces": move.replaces,
        "teammates": json.dumps(list(move.teammates)), "status": move.status.value,
        "confidence": move.confidence, "evidence": move.evidence,
    }


async def _read_stories(connection: AsyncConnection, article: Article, keys: Sequence[str]
                        ) -> dict[str, Any]:
    """The stories with these keys, each with whether the article already told it."""
    if not keys:
        return {}
    told = (exists().where(story_sources.c.story_id == stories.c.id,
                           story_sources.c.article_id == article.id)
            if article.id is not None else false())
    rows = await connection.execute(
        select(stories, told.label("told_by_article")).where(stories.c.story_key.in_(keys)))
    return {row.story_key: row for row in rows}


def _source_row(story_id: int, article: Article, source: Source, at: datetime
                ) -> dict[str, Any]:
    return {"story_id": story_id, "article_id": article.id, "title": source.title,
            "url": source.url, "name": source.name, "published": source.published,
            "added_at": at}


async def _write_story(connection: AsyncConnection, intent: StoryIntent, row: Any,
                       article: Article, source: Source, at: datetime,
                       new_sources: list[dict[str, Any]]) -> tuple[Any, bool]:
    """Write one intent; (the story's row as it now stands, whether this wrote it)."""
    if intent.change is StoryChange.NEW:
        row = (await connection.execute(_INSERT_STORY, {
            "story_key": intent.key, "summary": intent.summary, "revision": 1,
            "first_seen": at, "updated_at": at, **move_columns(intent.move),
            **source_columns(source)})).one()
        # a story made just now has no sources to collide with: its row waits for the end
        new_sources.append(_source_row(row.id, article, source, at))
        return row, True
    if intent.change is StoryChange.REPEAT:
        return row, False
    added = await connection.execute(insert_ignoring(connection, story_sources),
                                     _source_row(row.id, article, source, at))
    if not added.rowcount:
        # another worker recorded this article since the story was read: its write stands
        return row, False
    changes: dict[str, Any] = {}
    if intent.change is StoryChange.DETAILS:
        changes = move_columns(intent.move)
    elif intent.change is StoryChange.CONFIRMED:
        # Made official after a denial: the denial no longer stands.
        changes = {**move_columns(intent.move), **source_columns(source),
                   "summary": intent.summary, "revision": intent.revision, "updated_at": at,
                   **_denial_columns(None, None)}
    if not changes:
        return row, True
    row = (await connection.execute(
        update(stories).where(stories.c.id == row.id).values(**changes)
        .returning(*stories.c))).one()
    return row, True


async def queue_source_edits(connection: AsyncConnection, story_ids: set[int],
                             at: datetime) -> None:
    """Another source reported these stories: each post of them already sent gets an edit
    in the outbox (to show "also reported by ..."), in the transaction that recorded the
    source, so it is neither lost nor doubled. One edit per number of sources: a third
    source is a new edit, the same source recorded twice is not."""
    if not story_ids:
        return
    await _queue_on_sent_posts(
        connection, story_ids, "edit", at,
        lambda posted: select(func.count()).where(
            story_sources.c.story_id == posted.c.story_id).scalar_subquery())


async def _queue_on_sent_posts(connection: AsyncConnection, story_ids: set[int] | list[int],
                               action: str, at: datetime,
                               sources: Callable[[Any], Any] = lambda _posted: literal(0),
                               *, unsent_too: bool = False) -> None:
    """One `action` row (an edit of some kind) for every post of these stories already
    sent; the outbox's unique key keeps a row that is already there from being doubled.

    `unsent_too`: for the posts still pending as well (queued, or out with a worker that
    read the story before this change): the row waits for its post to be settled
    (OutboxStorage.claim), and is dropped there if the post's first try shows the change
    itself."""
    posted = outbox.alias("posted")
    sent = and_(posted.c.status == "sent", posted.c.message_ref.is_not(None))
    sent_posts = select(
        posted.c.story_id, posted.c.destination_id, posted.c.revision, literal(action),
        sources(posted), literal("pending"), literal(0), literal(at), literal(at),
        posted.c.mentions,
    ).where(posted.c.story_id.in_(sorted(story_ids)), posted.c.action == "post",
            or_(sent, posted.c.status == "pending") if unsent_too else sent)
    await connection.execute(
        insert_for(connection, outbox).from_select(
            ["story_id", "destination_id", "revision", "action", "sources", "status",
             "attempts", "next_attempt_at", "created_at", "mentions"], sent_posts)
        .on_conflict_do_nothing())


def _denial_columns(source: Source | None, at: datetime | None) -> dict[str, Any]:
    return {"denied_at": at, "denied_title": source.title if source else None,
            "denied_url": source.url if source else None,
            "denied_name": source.name if source else None,
            "denied_published": source.published if source else None}


def _denied_story(move: Move) -> Any:
    """Which stories a denial names: the same driver, team and direction of move, in the
    season the denial names or in a story without one; a denial without a season ("next
    season", unresolved) names the move in any season. The same key as second sources
    match on (Move.story_key), with the season left open where either side lacks it."""
    prefix = replace(move, season=None).story_key()
    if move.season is None:
        return stories.c.story_key.startswith(prefix, autoescape=True)
    return stories.c.story_key.in_([prefix, f"{prefix}{move.season}"])


async def record_denials(connection: AsyncConnection, article: Article,
                         denials: Sequence[Move], at: datetime) -> list[int]:
    """Mark the stories the article denies (not already denied, not told by the article
    itself) and queue an edit of every post of them already sent; returns their ids. A
    denial that names no story changes nothing. One edit per post, however many articles
    deny it: the first denial is the one shown."""
    named = [_denied_story(clip_move(move)) for move in denials if move.team]
    if not named:
        return []
    told = (exists().where(story_sources.c.story_id == stories.c.id,
                           story_sources.c.article_id == article.id)
            if article.id is not None else false())
    denied = [row.id for row in await connection.execute(
        update(stories).where(or_(*named), stories.c.denied_at.is_(None), ~told)
        .values(**_denial_columns(article.as_source(), at)).returning(stories.c.id))]
    if not denied:
        return []
    # A post still queued or being sent may have read the story before this denial: it
    # gets its edit too, sent once the post is settled.
    await _queue_on_sent_posts(connection, denied, "denial", at, unsent_too=True)
    return denied


async def record_extraction(connection: AsyncConnection, article: Article,
                            extraction: Extraction, at: datetime) -> list[Story]:
    """Record what the article says; returns the stories worth an alert (new, or a rumour
    confirmed)."""
    source = article.as_source()
    extraction = replace(extraction, moves=tuple(clip_move(m) for m in extraction.moves),
                         lineup=tuple(clip_entry(e) for e in extraction.lineup))
    article = replace(article, series=clip(article.series, SERIES_CHARS))
    told = told_moves(extraction)
    rows = await _read_stories(connection, article,
                               list(dict.fromkeys(move.story_key() for move, _ in told)))
    known = {key: StoryState(move=move_of(row), revision=row.revision,
                             told_by_article=bool(row.told_by_article))
             for key, row in rows.items()}
    new_sources: list[dict[str, Any]] = []
    move_rows: list[dict[str, Any]] = []
    recorded: list[Story] = []
    news: dict[int, Story] = {}
    sourced: set[int] = set()
    for position, intent in enumerate(decide_stories(known, told)):
        row, wrote = await _write_story(connection, intent, rows.get(intent.key), article,
                                        source, at, new_sources)
        rows[intent.key] = row
        story = story_of(row)
        recorded.append(story)
        if wrote and intent.news:
            news[story.id] = story
        elif wrote and intent.change in (StoryChange.SOURCE, StoryChange.DETAILS):
            sourced.add(story.id)
        if article.id is not None:
            move_rows.append({"article_id": article.id, "story_id": story.id,
                              "position": position, "created_at": at,
                              **move_columns(extraction.moves[position])})
    if new_sources:
        await connection.execute(insert_ignoring(connection, story_sources), new_sources)
    if move_rows:
        await connection.execute(insert_ignoring(connection, moves), move_rows)
    await queue_source_edits(connection, sourced - set(news), at)
    await decide_and_write(connection, extraction_statements(article, extraction, recorded, at))
    await remember_names(connection, named_in(extraction, article.series))
    await record_denials(connection, article, extraction.denials, at)
    return list(news.values())


# Built once: building and keying a statement costs more than running this one.
_DRIVER_STORIES = (select(stories).where(stories.c.driver_key == bindparam("driver_key"))
                   .order_by(stories.c.first_seen.desc(), stories.c.id.desc())
                   .limit(bindparam("limit", type_=Integer)))


async def _driver_stories(connection: AsyncConnection, driver_key: str, limit: int
                          ) -> list[Story]:
    rows = await connection.execute(_DRIVER_STORIES, {"driver_key": driver_key,
                                                      "limit": limit})
    return [story_of(row) for row in rows]


_SEAT_PART, _STORY_PART = 0, 1


@cache
def _driver_profile_statement() -> Any:
    """A driver's open seats (`open_seats_statement`, a row per supporting story) UNION
    ALL their latest stories, one row shape: each part's columns by name, NULL (typed as
    the other part's column) where it has none, and `part` telling the rows apart.
    Parameters: value (the driver key), season_limit, limit (how many stories)."""
    seat_part = open_seats_statement("driver_key", False, False)
    seat_columns = {column.name: column for column in seat_part.selected_columns}
    latest = (select(stories).where(stories.c.driver_key == bindparam("value"))
              .order_by(stories.c.first_seen.desc(), stories.c.id.desc())
              .limit(bindparam("limit", type_=Integer)).subquery("latest_stories"))
    story_columns = {column.name: column for column in latest.c}
    names = list(dict.fromkeys([*seat_columns, *story_columns]))

    def aligned(part: int, own: dict[str, Any], other: dict[str, Any]) -> list[Any]:
        return [literal(part, Integer).label("part"), *(
            own[name].label(name) if name in own
            else type_coerce(null(), other[name].type).label(name) for name in names)]

    return union_all(
        seat_part.with_only_columns(*aligned(_SEAT_PART, seat_columns, story_columns)),
        select(*aligned(_STORY_PART, story_columns, seat_columns)).select_from(latest))


class StoryStorage(StoreBase):
    """`bot.ports.StoryStore`."""

    @translate_errors
    async def record_extraction(self, article: Article, extraction: Extraction) -> list[Story]:
        """Merge the moves into stories and seats (the rules: bot/stories.py, bot/seats.py).

        Returns the stories that are new or whose revision went up: the ones to announce."""
        if not extraction.moves and not extraction.lineup and not extraction.denials:
            return []
        async with self._write() as connection:
            return await record_extraction(connection, article, extraction, utcnow())

    @translate_errors
    async def confirmed_since(self, since: datetime, *, series: str | None = None,
                              limit: int = 100) -> list[Story]:
        query = (select(stories).where(stories.c.status == Status.CONFIRMED.value,
                                       stories.c.updated_at >= since,
                                       # a denied move is not the week's news
                                       stories.c.denied_at.is_(None))
                 .order_by(stories.c.updated_at, stories.c.id).limit(limit))
        if series is not None:
            query = query.where(stories.c.series == series)
        async with self._read() as connection:
            return [story_of(row) for row in await connection.execute(query)]

    @translate_errors
    async def recent_stories(self, limit: int = 5) -> list[Story]:
        async with self._read() as connection:
            rows = await connection.execute(
                select(stories).order_by(stories.c.updated_at.desc(), stories.c.id.desc())
                .limit(limit))
            return [story_of(row) for row in rows]

    @translate_errors
    async def driver_stories(self, driver: str, limit: int = 5) -> list[Story]:
        async with self._read() as connection:
            return await _driver_stories(connection, stored_name_key(driver), limit)

    @translate_errors
    async def driver_profile(self, driver: str, *, stories: int = 5
                             ) -> tuple[list[Seat], list[Story]]:
        """/driver's answer: what `driver_seats` and `driver_stories` answer, in one
        statement, where the two calls cost three and a connection each (a statement is
        several round trips to aiosqlite's thread, or to PostgreSQL)."""
        async with self._read() as connection:
            rows = (await connection.execute(_driver_profile_statement(), {
                "value": stored_name_key(driver), "season_limit": latest_season_limit(utcnow()),
                "limit": stories})).all()
        told = sorted((row for row in rows if row.part == _STORY_PART),
                      key=lambda row: (row.first_seen, row.id), reverse=True)
        return (with_support(row for row in rows if row.part == _SEAT_PART),
                [story_of(row) for row in told])

    @translate_errors
    async def seat_stories(self, seat_id: int) -> list[Story]:
        """The stories that support a seat, newest first."""
        async with self._read() as connection:
            rows = await connection.execute(
                select(stories).join(seat_stories, seat_stories.c.story_id == stories.c.id)
                .where(seat_stories.c.seat_id == seat_id)
                .order_by(stories.c.first_seen.desc(), stories.c.id.desc()))
            return [story_of(row) for row in rows]
