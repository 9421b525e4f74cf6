"""Stories and lineup knowledge: what the moves of an article change, in one transaction.

The rules, decided here and covered by tests/storage/test_stories.py, test_lineup.py and
test_lineup_story.py:

Stories (one per `Move.story_key()`):
- A new key makes a story at revision 1.
- The same key from another article adds that article as a source. The revision goes up
  (an alert goes out again) only when a rumour is confirmed; the story then takes the
  confirmed move, keeping details the confirmation left out.
- Details the story lacked (car, role, series, from-team, replaces) are filled in quietly,
  without a new revision: "now we know the car number" is not worth a second alert.
- A rumour of a story already confirmed changes nothing but the source list.
- The same article recorded twice changes nothing.

Seats (series, season, car or '' for "in the team's lineup", team, driver):
- join, promote and replace with a team fill a seat. An extend confirms or creates it.
- A replace notes whom it replaces. With role full-time it is for good and ends the
  replaced driver's seat; otherwise it is a stand-in: the regular driver keeps the seat,
  and the stand-in ends when a later article has the regular driver (re)join the team for
  that season.
- Every lineup statement of the extraction fills its car's seat.
- A seat filled for a car takes over the driver's car-less seat in that team and season.
- leave (with a team, or an arrival's from-team in the same series) ends the driver's seats
  with that team from that season on; retire ends all of them. The rows stay, with
  `valid_to` set, for history. Rumours end nothing.
- A rumour never overwrites a confirmed seat; a rumour about another car or team is its
  own row, shown beside the confirmed ones.
- Seats a moderator set or removed are never changed by extracted facts or entry lists;
  an entry list takes over the seats articles made (origin "import").
- A move without a season counts for the year of the article (or of now).

How (record_extraction, one transaction, a statement count that barely grows with the
moves): the stories the moves name are read in one SELECT and the seats they and the
lineup lines touch in another (`SeatCache`, kept current from the RETURNING of every seat
written); rows nothing reads back are written a table at a time at the end (`Writes`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Table, and_, bindparam, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.keys import car_display
from bot.models import (
    Article,
    Extraction,
    Move,
    MoveKind,
    Role,
    Seat,
    Source,
    Status,
    Story,
    TargetKind,
)
from storage.columns import (
    SERIES_CHARS,
    clip,
    clip_entry,
    clip_move,
    stored_car_key,
    stored_name_key,
)
from storage.tables import (
    MoveRow,
    NameRow,
    SeatEventRow,
    SeatRow,
    SeatStoryRow,
    StoryRow,
    StorySourceRow,
)

stories = cast(Table, StoryRow.__table__)
story_sources = cast(Table, StorySourceRow.__table__)
moves = cast(Table, MoveRow.__table__)
seats = cast(Table, SeatRow.__table__)
seat_stories = cast(Table, SeatStoryRow.__table__)
seat_events = cast(Table, SeatEventRow.__table__)
names = cast(Table, NameRow.__table__)

# Statements run for nearly every extraction, built once: the parameters vary, not the SQL.
_INSERT_STORY = stories.insert().returning(*stories.c)
_INSERT_SEAT = seats.insert().returning(*seats.c)
_INSERT_EVENT = seat_events.insert()
_SEATS_OF_DRIVER = (select(seats)
                    .where(seats.c.driver_key == bindparam("driver_key"),
                           seats.c.season == bindparam("season"))
                    .order_by(seats.c.id))

RULES = "rules"
MODERATOR = "moderator"
IMPORT = "import"

_ARRIVALS = (MoveKind.JOIN, MoveKind.PROMOTE, MoveKind.REPLACE)


def insert_for(connection: AsyncConnection, table: Table) -> Any:
    """The dialect's INSERT, which knows ON CONFLICT."""
    if connection.dialect.name == "postgresql":
        return pg_insert(table)
    return sqlite_insert(table)


_INSERTS_IGNORING: dict[tuple[str, str], Any] = {}


def insert_ignoring(connection: AsyncConnection, table: Table) -> Any:
    """INSERT ... ON CONFLICT DO NOTHING, for rows given as parameters: built once per
    dialect and table, because building a statement costs more than running a small one."""
    cache_key = (connection.dialect.name, table.name)
    statement = _INSERTS_IGNORING.get(cache_key)
    if statement is None:
        statement = _INSERTS_IGNORING[cache_key] = (
            insert_for(connection, table).on_conflict_do_nothing())
    return statement


@dataclass(slots=True)
class SeatCache:
    """The seats of the drivers and teams an extraction names, in the seasons it names: read
    in one statement, then kept current from the RETURNING of every seat written in the
    transaction, so the seat look-ups of each move need no statement of their own."""

    drivers: set[tuple[str, int]]  # (driver key, season) pairs whose seats are all here
    teams: set[tuple[str, int]]  # (team key, season) pairs likewise
    rows: dict[int, Any] = field(default_factory=dict)

    @classmethod
    async def load(cls, connection: AsyncConnection, drivers: set[str], teams: set[str],
                   seasons: set[int]) -> SeatCache:
        conditions = [seats.c.driver_key.in_(sorted(drivers))]
        if teams:
            conditions.append(seats.c.team_key.in_(sorted(teams)))
        cache = cls(drivers={(d, season) for d in drivers for season in seasons},
                    teams={(t, season) for t in teams for season in seasons})
        for row in await connection.execute(select(seats).where(
                seats.c.season.in_(sorted(seasons)), or_(*conditions))):
            cache.rows[row.id] = row
        return cache

    def note(self, row: Any) -> None:
        """A seat written in the transaction, as RETURNING gave it back."""
        if (row.id in self.rows or (row.driver_key, row.season) in self.drivers
                or (row.team_key, row.season) in self.teams):
            self.rows[row.id] = row

    def of_driver(self, driver_key: str, season: int) -> list[Any] | None:
        """The driver's seats that season, by id; None when they were not read."""
        if (driver_key, season) not in self.drivers:
            return None
        return sorted((row for row in self.rows.values()
                       if row.driver_key == driver_key and row.season == season),
                      key=lambda row: row.id)

    def of_team(self, team_key: str, season: int) -> list[Any] | None:
        if (team_key, season) not in self.teams:
            return None
        return sorted((row for row in self.rows.values()
                       if row.team_key == team_key and row.season == season),
                      key=lambda row: row.id)


@dataclass(slots=True)
class Writes:
    """Rows nothing reads back before the transaction ends (a new story's source, moves,
    seat support, seat events), kept to be inserted a table at a time: one statement each
    instead of one per row. Events keep the order they happened in, and so their ids."""

    story_sources: list[dict[str, Any]] = field(default_factory=list)
    moves: list[dict[str, Any]] = field(default_factory=list)
    seat_stories: dict[tuple[int, int], None] = field(default_factory=dict)
    seat_events: list[dict[str, Any]] = field(default_factory=list)
    seat_cache: SeatCache | None = None

    def wrote_seat(self, row: Any) -> None:
        if self.seat_cache is not None:
            self.seat_cache.note(row)

    async def flush(self, connection: AsyncConnection) -> None:
        if self.story_sources:
            await connection.execute(
                insert_ignoring(connection, story_sources),
                self.story_sources)
        if self.moves:
            await connection.execute(
                insert_ignoring(connection, moves), self.moves)
        if self.seat_stories:
            await connection.execute(
                insert_ignoring(connection, seat_stories),
                [{"seat_id": seat_id, "story_id": story_id}
                 for seat_id, story_id in self.seat_stories])
        if self.seat_events:
            await connection.execute(_INSERT_EVENT, self.seat_events)
        self.story_sources, self.moves, self.seat_events = [], [], []
        self.seat_stories = {}


# ----- rows to domain values ----------------------------------------------------------------


def source_of(row: Any, prefix: str = "source_") -> Source | None:
    title = getattr(row, f"{prefix}title")
    if title is None:
        return None
    return Source(title=title, url=getattr(row, f"{prefix}url"),
                  name=getattr(row, f"{prefix}name", None),
                  published=getattr(row, f"{prefix}published", None))


def source_columns(source: Source | None) -> dict[str, Any]:
    return {
        "source_title": source.title if source else None,
        "source_url": source.url if source else None,
        "source_name": source.name if source else None,
        "source_published": source.published if source else None,
    }


def move_of(row: Any) -> Move:
    return Move(
        driver=row.driver, kind=MoveKind(row.kind), team=row.team, car=row.car,
        series=row.series, season=row.season, role=row.role, from_team=row.from_team,
        replaces=row.replaces, teammates=tuple(json.loads(row.teammates or "[]")),
        status=Status(row.status), confidence=float(row.confidence), evidence=row.evidence,
    )


def story_of(row: Any) -> Story:
    return Story(id=row.id, move=move_of(row), summary=row.summary, revision=row.revision,
                 source=source_of(row), first_seen=row.first_seen, updated_at=row.updated_at)


def move_columns(move: Move) -> dict[str, Any]:
    return {
        "driver": move.driver, "driver_key": stored_name_key(move.driver), "kind": move.kind.value,
        "team": move.team, "car": move.car, "series": move.series, "season": move.season,
        "role": move.role, "from_team": move.from_team, "replaces": move.replaces,
        "teammates": json.dumps(list(move.teammates)), "status": move.status.value,
        "confidence": move.confidence, "evidence": move.evidence,
    }


def default_summary(move: Move) -> str:
    parts = [move.driver, move.kind.value]
    if move.team:
        parts.append(move.team)
    if move.car:
        parts.append(f"#{move.car}")
    if move.season:
        parts.append(str(move.season))
    return " ".join(parts)


# ----- names for autocomplete -----------------------------------------------------------------


async def remember_names(connection: AsyncConnection,
                         pairs: Sequence[tuple[TargetKind, str | None]]) -> None:
    rows = {}
    for kind, name in pairs:
        if not name:
            continue
        name_key = stored_car_key(name) if kind is TargetKind.CAR else stored_name_key(name)
        if name_key:
            rows.setdefault((kind.value, name_key), name)
    if rows:
        await connection.execute(
            insert_ignoring(connection, names),
            [{"kind": k, "key": nk, "name": n} for (k, nk), n in rows.items()],
        )


# ----- stories ----------------------------------------------------------------------------


async def merge_story(connection: AsyncConnection, article: Article, move: Move, summary: str,
                      source: Source, now: datetime, *, known: dict[str, Any] | None = None,
                      sourced: set[int] | None = None, writes: Writes | None = None
                      ) -> tuple[Story, bool]:
    """Record `move` as reported by `article`; (story, worth an alert).

    With `known` (story key -> row, or None for no story yet), `sourced` (the stories this
    article was added to as a source in this transaction) and `writes`, as
    `record_extraction` passes them, the story is not looked up again and a new story's
    source row waits for the flush; all three are kept up to date here."""
    story_key = move.story_key()
    if known is not None and story_key in known:
        row = known[story_key]
    else:
        row = (await connection.execute(
            select(stories).where(stories.c.story_key == story_key))).first()
    if row is None:
        inserted = (await connection.execute(_INSERT_STORY, {
            "story_key": story_key, "summary": summary, "revision": 1, "first_seen": now,
            "updated_at": now, **move_columns(move), **source_columns(source),
        })).one()
        if known is not None:
            known[story_key] = inserted
        source_row = _story_source_row(inserted.id, article, source, now)
        if writes is not None and sourced is not None:
            # a story made just now cannot have this article as a source yet
            writes.story_sources.append(source_row)
            sourced.add(inserted.id)
        else:
            await connection.execute(
                insert_ignoring(connection, story_sources), source_row)
        return story_of(inserted), True

    if not await _add_story_source(connection, row.id, article, source, now, sourced):
        return story_of(row), False  # this article was recorded before
    current = move_of(row)
    changes: dict[str, Any] = {}
    news = False
    if current.status is Status.RUMOUR and move.status is Status.CONFIRMED:
        confirmed = _fill_details(move, current)
        changes = {**move_columns(confirmed), **source_columns(source), "summary": summary,
                   "revision": row.revision + 1, "updated_at": now}
        news = True
    elif move.status is current.status:
        enriched = _fill_details(current, move)
        if enriched != current:
            changes = move_columns(enriched)
    if not changes:
        return story_of(row), False
    updated = (await connection.execute(
        update(stories).where(stories.c.id == row.id).values(**changes)
        .returning(*stories.c))).one()
    if known is not None:
        known[story_key] = updated
    return story_of(updated), news


def _fill_details(move: Move, other: Move) -> Move:
    """`move`, with the details only `other` knows."""
    return replace(
        move,
        car=move.car or other.car,
        role=move.role or other.role,
        series=move.series or other.series,
        from_team=move.from_team or other.from_team,
        replaces=move.replaces or other.replaces,
        teammates=move.teammates or other.teammates,
    )


def _story_source_row(story_id: int, article: Article, source: Source,
                      now: datetime) -> dict[str, Any]:
    return {"story_id": story_id, "article_id": article.id, "title": source.title,
            "url": source.url, "name": source.name, "published": source.published,
            "added_at": now}


async def _add_story_source(connection: AsyncConnection, story_id: int, article: Article,
                            source: Source, now: datetime,
                            sourced: set[int] | None = None) -> bool:
    """Add the article as a source of the story; False when it already was one."""
    if sourced is not None and article.id is not None:
        if story_id in sourced:
            return False  # added earlier in this transaction (perhaps not yet flushed)
        sourced.add(story_id)
    result = await connection.execute(
        insert_ignoring(connection, story_sources),
        _story_source_row(story_id, article, source, now))
    return bool(result.rowcount)


async def record_extraction(connection: AsyncConnection, article: Article,
                            extraction: Extraction, now: datetime) -> list[Story]:
    source = Source(title=article.title, url=article.url, name=article.source,
                    published=article.published)
    extraction = replace(extraction, moves=tuple(clip_move(m) for m in extraction.moves),
                         lineup=tuple(clip_entry(e) for e in extraction.lineup))
    article = replace(article, series=clip(article.series, SERIES_CHARS))
    fallback_season = (article.published or now).astimezone(UTC).year
    writes = Writes()
    # Every story the moves name, in one look-up; kept current as they are merged.
    story_keys = list(dict.fromkeys(move.story_key() for move in extraction.moves))
    known: dict[str, Any] = dict.fromkeys(story_keys)
    if story_keys:
        for row in await connection.execute(
                select(stories).where(stories.c.story_key.in_(story_keys))):
            known[row.story_key] = row
    writes.seat_cache = await _seats_to_read(connection, extraction, fallback_season)
    sourced: set[int] = set()
    changed: dict[int, Story] = {}
    recorded: list[Story] = []
    for position, move in enumerate(extraction.moves):
        summary = (extraction.summaries[position]
                   if position < len(extraction.summaries) and extraction.summaries[position]
                   else default_summary(move))
        story, news = await merge_story(connection, article, move, summary, source, now,
                                        known=known, sourced=sourced, writes=writes)
        recorded.append(story)
        if news:
            changed[story.id] = story
        if article.id is not None:
            writes.moves.append({"article_id": article.id, "story_id": story.id,
                                 "position": position, "created_at": now,
                                 **move_columns(move)})
        await apply_move(connection, move, story, article, source, fallback_season, now,
                         writes=writes)
    for entry in extraction.lineup:
        story = _supporting_story(entry, recorded)
        series = entry.series or article.series or (story.move.series if story else None)
        await fill_seat(connection, SeatFact(
            series=series, season=entry.season or fallback_season, car=entry.car,
            team=entry.team or (story.move.team if story else None), driver=entry.driver,
            role=entry.role, status=entry.status, story_id=story.id if story else None,
            source=source, at=now), writes=writes)
    pairs: list[tuple[TargetKind, str | None]] = []
    for move in extraction.moves:
        pairs += [(TargetKind.DRIVER, move.driver), (TargetKind.TEAM, move.team),
                  (TargetKind.TEAM, move.from_team), (TargetKind.SERIES, move.series),
                  (TargetKind.CAR, move.car), (TargetKind.DRIVER, move.replaces)]
        pairs += [(TargetKind.DRIVER, mate) for mate in move.teammates]
    for entry in extraction.lineup:
        pairs += [(TargetKind.DRIVER, entry.driver), (TargetKind.TEAM, entry.team),
                  (TargetKind.SERIES, entry.series), (TargetKind.CAR, entry.car)]
    pairs.append((TargetKind.SERIES, article.series))
    await writes.flush(connection)
    await remember_names(connection, pairs)
    return list(changed.values())


async def _seats_to_read(connection: AsyncConnection, extraction: Extraction,
                         fallback_season: int) -> SeatCache | None:
    """Read at once the seats `apply_move` and the lineup statements will look at: the
    drivers they seat and the teams whose stand-ins may step down, in their seasons."""
    drivers: set[str] = set()
    teams: set[str] = set()
    seasons: set[int] = set()
    for move in extraction.moves:
        if (move.kind in _ARRIVALS or move.kind is MoveKind.EXTEND) and move.team:
            drivers.add(stored_name_key(move.driver))
            seasons.add(move.season or fallback_season)
            if move.status is Status.CONFIRMED:
                teams.add(stored_name_key(move.team))
    for entry in extraction.lineup:
        drivers.add(stored_name_key(entry.driver))
        seasons.add(entry.season or fallback_season)
    if not drivers:
        return None
    return await SeatCache.load(connection, drivers, teams, seasons)


def _supporting_story(entry: Seat, recorded: list[Story]) -> Story | None:
    """The story a lineup statement belongs to: same car, else same team, else the first."""
    for story in recorded:
        if (entry.car and story.move.car
                and stored_car_key(entry.car) == stored_car_key(story.move.car)):
            return story
    for story in recorded:
        if (entry.team and story.move.team
                and stored_name_key(entry.team) == stored_name_key(story.move.team)):
            return story
    return recorded[0] if recorded else None


# ----- seats ------------------------------------------------------------------------------


@dataclass(slots=True, kw_only=True)
class SeatFact:
    """One statement about a seat, from a move, a lineup line, an entry list or a moderator."""

    series: str | None
    season: int
    car: str | None
    team: str | None
    driver: str
    role: str | None = None
    status: Status = Status.CONFIRMED
    origin: str = RULES
    actor: str = RULES
    story_id: int | None = None
    source: Source | None = None
    replaces: str | None = None
    races: str | None = None
    at: datetime


async def apply_move(connection: AsyncConnection, move: Move, story: Story, article: Article,
                     source: Source, fallback_season: int, now: datetime, *,
                     writes: Writes | None = None) -> None:
    season = move.season or fallback_season
    series = move.series or article.series
    if move.kind in _ARRIVALS or move.kind is MoveKind.EXTEND:
        if move.team:
            await fill_seat(connection, SeatFact(
                series=series, season=season, car=move.car, team=move.team,
                driver=move.driver, role=move.role, status=move.status, story_id=story.id,
                source=source, at=now,
                replaces=move.replaces if move.kind is MoveKind.REPLACE else None),
                writes=writes)
        if (move.kind is MoveKind.REPLACE and move.replaces and move.team
                and move.role == Role.FULL_TIME and move.status is Status.CONFIRMED):
            # a full-time replacement is for good; any other is a stand-in and the regular
            # driver keeps the seat
            await end_seats(connection, driver=move.replaces, team=move.team,
                            series=series, from_season=season, story=story, source=source,
                            at=now, writes=writes)
        if (move.kind in _ARRIVALS and move.from_team and series
                and move.status is Status.CONFIRMED):
            await end_seats(connection, driver=move.driver, team=move.from_team,
                            series=series, from_season=season, story=story, source=source,
                            at=now, writes=writes)
        if move.team and move.status is Status.CONFIRMED:
            await end_stand_ins(connection, returning=move.driver, team=move.team,
                                season=season, story=story, source=source, at=now,
                                writes=writes)
        return
    if move.status is not Status.CONFIRMED:
        return  # a rumoured departure ends nothing
    if move.kind is MoveKind.LEAVE:
        team = move.team or move.from_team
        if team:
            await end_seats(connection, driver=move.driver, team=team, series=None,
                            from_season=season, story=story, source=source, at=now,
                            writes=writes)
    elif move.kind is MoveKind.RETIRE:
        await end_seats(connection, driver=move.driver, team=None, series=None,
                        from_season=season, story=story, source=source, at=now,
                        writes=writes)


def _event_row(action: str, row: Any, *, actor: str, at: datetime, story_id: int | None,
               source: Source | None, detail: str | None, status: str | None,
               role: str | None) -> dict[str, Any]:
    return {
        "seat_id": row.id, "action": action, "series": row.series,
        "series_key": row.series_key, "season": row.season, "car": row.car,
        "car_key": row.car_key, "team": row.team, "team_key": row.team_key,
        "driver": row.driver, "driver_key": row.driver_key,
        "role": role if role is not None else row.role, "status": status or row.status,
        "actor": actor, "story_id": story_id,
        "source_title": source.title if source else None,
        "source_url": source.url if source else None, "detail": detail, "at": at,
    }


async def record_event(connection: AsyncConnection, action: str, row: Any, *, actor: str,
                       at: datetime, story_id: int | None = None,
                       source: Source | None = None, detail: str | None = None,
                       status: str | None = None, role: str | None = None,
                       writes: Writes | None = None) -> None:
    """Note a change to the seat `row` (now, or with `writes` at their flush)."""
    event = _event_row(action, row, actor=actor, at=at, story_id=story_id, source=source,
                       detail=detail, status=status, role=role)
    if writes is not None:
        writes.seat_events.append(event)
    else:
        await connection.execute(_INSERT_EVENT, event)


def _support(writes: Writes, seat_id: int, story_id: int | None) -> None:
    if story_id is not None:
        writes.seat_stories[(seat_id, story_id)] = None


async def _find_seat(connection: AsyncConnection, fact: SeatFact,
                     cache: SeatCache | None = None) -> Row[Any] | None:
    """The seat the fact is about: the exact slot; else, for a car, a moderator's removal of
    the driver from it (whatever the team); else the driver's seat in the team the fact
    says more about. One look-up of the driver's seats that season, decided here."""
    series_key, car, team, driver = (stored_name_key(fact.series), stored_car_key(fact.car),
                                     stored_name_key(fact.team), stored_name_key(fact.driver))
    rows = cache.of_driver(driver, fact.season) if cache is not None else None
    if rows is None:
        rows = list((await connection.execute(
            _SEATS_OF_DRIVER, {"driver_key": driver, "season": fact.season})).all())
    for row in rows:
        if (row.series_key == series_key and row.car_key == car
                and row.team_key == team):
            return row
    if car and fact.origin != MODERATOR:
        # a moderator took this driver out of this car, whatever the team
        for row in rows:
            if (row.series_key == series_key and row.car_key == car
                    and row.origin == MODERATOR and row.removed):
                return row
    if not team:
        return None
    for row in rows:
        if row.team_key != team or not (
                row.series_key == series_key or row.series_key == "" or series_key == ""):
            continue
        # For a car, the driver's car-less seat in this team gets the car; without one, a
        # car seat in this team already says more than a car-less one would.
        if (row.car_key == "") == bool(car):
            return row
    return None


ADDED, UPDATED, UNCHANGED, SKIPPED = "added", "updated", "unchanged", "skipped"


async def fill_seat(connection: AsyncConnection, fact: SeatFact, *,
                    writes: Writes | None = None) -> tuple[int, str]:
    """Apply one statement about a seat: (seat id, added|updated|unchanged|skipped).

    Its seat support and events go to `writes`, for the caller to flush; without them they
    are written before this returns."""
    if writes is None:
        writes = Writes()
        outcome = await fill_seat(connection, fact, writes=writes)
        await writes.flush(connection)
        return outcome
    row = await _find_seat(connection, fact, writes.seat_cache)
    if row is None:
        values = {
            "series": fact.series, "series_key": stored_name_key(fact.series),
            "season": fact.season, "car": car_display(fact.car),
            "car_key": stored_car_key(fact.car), "team": fact.team,
            "team_key": stored_name_key(fact.team), "driver": fact.driver,
            "driver_key": stored_name_key(fact.driver),
            "role": fact.role, "status": fact.status.value, "origin": fact.origin,
            "replaces": fact.replaces, "races": fact.races,
            "valid_from": fact.source.published if fact.source and fact.source.published
            else fact.at,
            "valid_to": None, "removed": False, "story_id": fact.story_id,
            "corrected_by": fact.actor if fact.origin == MODERATOR else None,
            "corrected_at": fact.at if fact.origin == MODERATOR else None,
            "created_at": fact.at, "updated_at": fact.at, **source_columns(fact.source),
        }
        created = (await connection.execute(_INSERT_SEAT, values)).one()
        writes.wrote_seat(created)
        _support(writes, created.id, fact.story_id)
        action = "rumour" if fact.status is Status.RUMOUR else "fill"
        if fact.origin == MODERATOR:
            action = "set"
        await record_event(connection, action, created, actor=fact.actor, at=fact.at,
                           story_id=fact.story_id, source=fact.source, writes=writes)
        return created.id, ADDED

    moderated = row.origin == MODERATOR
    if moderated and fact.origin != MODERATOR:
        return row.id, SKIPPED  # a correction wins over extracted facts and entry lists
    changes: dict[str, Any] = {}
    action = "update"
    if fact.origin == MODERATOR:
        changes.update(origin=MODERATOR, corrected_by=fact.actor, corrected_at=fact.at,
                       removed=False, valid_to=None, status=fact.status.value)
        action = "set"
    elif fact.origin == IMPORT and row.origin == RULES:
        changes["origin"] = IMPORT  # an entry list is the better source
    if row.status == Status.CONFIRMED.value and fact.status is Status.RUMOUR:
        return row.id, UNCHANGED  # a rumour never overwrites a confirmed seat
    if (fact.origin != MODERATOR and row.status == Status.RUMOUR.value
            and fact.status is Status.CONFIRMED):
        changes["status"] = Status.CONFIRMED.value
        action = "confirm"
    if row.valid_to is not None and fact.origin != MODERATOR:
        changes["valid_to"] = None  # back in the seat
        action = "reopen"
    if fact.car and not row.car_key:
        changes.update(car=car_display(fact.car), car_key=stored_car_key(fact.car))
        if not row.series_key and fact.series:
            changes.update(series=fact.series, series_key=stored_name_key(fact.series))
    if fact.team and not row.team_key:
        changes.update(team=fact.team, team_key=stored_name_key(fact.team))
    if fact.role and fact.role != row.role and (row.role is None or fact.status is
                                                 Status.CONFIRMED):
        changes["role"] = fact.role
    if fact.replaces and fact.replaces != row.replaces:
        changes["replaces"] = fact.replaces
    if fact.races and fact.races != row.races:
        changes["races"] = fact.races
    meaningful = bool(changes)
    if not meaningful and row.story_id == fact.story_id and (
            fact.source is None or fact.source.title == row.source_title):
        _support(writes, row.id, fact.story_id)
        return row.id, UNCHANGED
    if fact.source is not None:
        changes.update(source_columns(fact.source))
    if fact.story_id is not None:
        changes["story_id"] = fact.story_id
    if changes:
        changes["updated_at"] = fact.at
        updated = (await connection.execute(
            update(seats).where(seats.c.id == row.id).values(**changes)
            .returning(*seats.c))).one()
        writes.wrote_seat(updated)
        if meaningful:
            await record_event(connection, action, updated, actor=fact.actor, at=fact.at,
                               story_id=fact.story_id, source=fact.source, writes=writes)
    _support(writes, row.id, fact.story_id)
    return row.id, UPDATED if meaningful else UNCHANGED


async def end_seats(connection: AsyncConnection, *, driver: str, team: str | None,
                    series: str | None, from_season: int, story: Story | None,
                    source: Source | None, at: datetime, actor: str = RULES,
                    writes: Writes | None = None) -> int:
    """End the driver's open seats (with `team`, in `series`) from `from_season` on."""
    own = writes is None
    writes = writes if writes is not None else Writes()
    conditions = [seats.c.driver_key == stored_name_key(driver), seats.c.season >= from_season,
                  seats.c.valid_to.is_(None), seats.c.removed.is_(False),
                  seats.c.origin != MODERATOR]
    if team:
        conditions.append(seats.c.team_key == stored_name_key(team))
    if series:
        conditions.append(or_(seats.c.series_key == stored_name_key(series),
                              seats.c.series_key == ""))
    ended = (await connection.execute(
        update(seats).where(*conditions).values(valid_to=at, updated_at=at,
                                                story_id=story.id if story else None,
                                                **source_columns(source))
        .returning(*seats.c))).all()
    # events in the seats' order, whatever order RETURNING hands them back in
    for row in sorted(ended, key=lambda row: row.id):
        writes.wrote_seat(row)
        _support(writes, row.id, story.id if story else None)
        await record_event(connection, "end", row, actor=actor, at=at,
                           story_id=story.id if story else None, source=source,
                           writes=writes)
    if own:
        await writes.flush(connection)
    return len(ended)


async def end_stand_ins(connection: AsyncConnection, *, returning: str, team: str,
                        season: int, story: Story | None, source: Source | None,
                        at: datetime, writes: Writes | None = None) -> int:
    """The regular driver is back in the team: the stand-ins for them step down."""
    cached = (writes.seat_cache.of_team(stored_name_key(team), season)
              if writes is not None and writes.seat_cache is not None else None)
    if cached is not None:
        rows = [row for row in cached
                if row.replaces is not None and not row.removed and row.valid_to is None
                and row.origin != MODERATOR]
    else:
        rows = list((await connection.execute(select(seats).where(
            seats.c.team_key == stored_name_key(team), seats.c.season == season,
            seats.c.replaces.is_not(None), open_seats(), seats.c.origin != MODERATOR)
            .order_by(seats.c.id))).all())
    ended = 0
    for row in rows:
        if (stored_name_key(row.replaces) != stored_name_key(returning)
                or stored_name_key(row.driver) == stored_name_key(returning)):
            continue
        updated = (await connection.execute(
            update(seats).where(seats.c.id == row.id)
            .values(valid_to=at, updated_at=at).returning(*seats.c))).one()
        if writes is not None:
            writes.wrote_seat(updated)
        await record_event(connection, "end", updated, actor=RULES, at=at,
                           story_id=story.id if story else None, source=source,
                           detail=f"{returning} is back", writes=writes)
        ended += 1
    return ended


# ----- queries ----------------------------------------------------------------------------


def latest_season_limit(now: datetime) -> int:
    """The furthest season a default answer looks at: next year's, once announced."""
    return now.astimezone(UTC).year + 1


def open_seats() -> Any:
    return and_(seats.c.removed.is_(False), seats.c.valid_to.is_(None))


def seat_order(seat: Any) -> tuple[Any, ...]:
    return (seat.series or "", -(seat.season or 0), seat.team or "", seat.car or "",
            seat.status != Status.CONFIRMED.value, seat.replaces is not None, seat.driver)


async def query_seat_rows(connection: AsyncConnection, column: str, value: str, *,
                          series: str | None, season: int | None, now: datetime,
                          columns: Sequence[Any] | None = None) -> list[Row[Any]]:
    """Open seats whose `column` is `value`: in `season`, or else in the latest season of
    each series up to next year's. One statement: the latest (series, season) pairs come
    from the covering index alone, then their seats by index lookup, so the size of the
    table barely matters."""
    conditions = [getattr(seats.c, column) == value, open_seats()]
    if series:
        conditions.append(seats.c.series_key == stored_name_key(series))
    query = select(*(columns or seats.c))
    if season is not None:
        query = query.where(*conditions, seats.c.season == season)
    else:
        latest = (select(seats.c.series_key, func.max(seats.c.season).label("season"))
                  .where(*conditions, seats.c.season <= latest_season_limit(now))
                  .group_by(seats.c.series_key)
                  .subquery("latest"))
        query = (query.select_from(seats.join(latest, and_(
                    seats.c.series_key == latest.c.series_key,
                    seats.c.season == latest.c.season)))
                 .where(*conditions))
    rows = (await connection.execute(query)).all()
    return sorted(rows, key=seat_order)
