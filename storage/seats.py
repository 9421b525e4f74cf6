"""Seats: the lineup knowledge, its history, and the answers read from it.

What a statement (an article's move or lineup line, an entry list, a moderator's
correction; bot/statements.py) does to the seats is bot/seats.py's decision:
`decide_and_write` reads the seats the statements need, asks `bot.seats.decide`, and
writes the intents in the order they come."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from functools import cache
from typing import Any

from sqlalchemy import and_, bindparam, func, or_, select, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.models import (
    ChangeAction,
    ImportReport,
    LineupChange,
    Seat,
    SeatOrigin,
    Status,
    TargetKind,
    utc,
    utcnow,
)
from bot.seats import (
    AddSeat,
    ChangeSeat,
    Known,
    Note,
    Outcome,
    SeatDecision,
    SeatQuery,
    Slot,
    Support,
    decide,
    needs,
)
from bot.statements import (
    Remove,
    SetLineup,
    SetStandIn,
    Statement,
    entry_list_statements,
)
from storage.base import StoreBase, insert_ignoring, source_columns, source_of
from storage.columns import (
    CAR_CHARS,
    NAME_CHARS,
    SERIES_CHARS,
    clip,
    clip_entry,
    stored_car_key,
    stored_name_key,
)
from storage.errors import translate_errors
from storage.names import Named, remember_names
from storage.tables import seat_events, seat_stories, seats

# Run for nearly every extraction: the parameters vary, not the SQL.
_INSERT_SEAT = seats.insert().returning(seats.c.id)
_INSERT_EVENT = seat_events.insert()
_STAND_IN_RACES_CHARS = 500


# ----- rows and domain values -------------------------------------------------------------


def seat_of(row: Any, story_ids: Sequence[int] = ()) -> Seat:
    return Seat(
        id=row.id, series=row.series, season=row.season, car=row.car, team=row.team,
        driver=row.driver, role=row.role, status=Status(row.status),
        origin=SeatOrigin(row.origin), replaces=row.replaces, races=row.races,
        valid_from=row.valid_from, valid_to=row.valid_to, removed=row.removed,
        source=source_of(row), story_id=row.story_id, story_ids=tuple(story_ids),
        corrected_by=row.corrected_by, corrected_at=row.corrected_at, updated_at=row.updated_at,
    )


def known_of(row: Any) -> Known:
    return Known(slot=Slot(series=row.series_key, season=row.season, car=row.car_key,
                           team=row.team_key, driver=row.driver_key),
                 seat=seat_of(row))


def change_of(row: Any) -> LineupChange:
    return LineupChange(
        id=row.id, at=row.at, action=ChangeAction(row.action), series=row.series,
        season=row.season, car=row.car, team=row.team, driver=row.driver, role=row.role,
        status=Status(row.status), actor=row.actor, story_id=row.story_id,
        source=source_of(row) if row.source_title else None, detail=row.detail,
    )


def _columns(known: Known) -> dict[str, Any]:
    """A seat's row, but for its id and created_at."""
    seat, slot = known.seat, known.slot
    return {
        "series": seat.series, "series_key": slot.series, "season": slot.season,
        "car": seat.car, "car_key": slot.car, "team": seat.team, "team_key": slot.team,
        "driver": seat.driver, "driver_key": slot.driver, "role": seat.role,
        "status": seat.status.value, "origin": seat.origin.value, "replaces": seat.replaces,
        "races": seat.races, "valid_from": seat.valid_from, "valid_to": seat.valid_to,
        "removed": seat.removed, "story_id": seat.story_id,
        "corrected_by": seat.corrected_by, "corrected_at": seat.corrected_at,
        "updated_at": seat.updated_at, **source_columns(seat.source),
    }


def _event_columns(note: Note, seat_id: int) -> dict[str, Any]:
    seat, slot = note.seat, note.slot
    published = note.source.published if note.source else None
    return {
        "seat_id": seat_id, "action": note.action.value, "series": seat.series,
        "series_key": slot.series, "season": slot.season, "car": seat.car,
        "car_key": slot.car, "team": seat.team, "team_key": slot.team,
        "driver": seat.driver, "driver_key": slot.driver, "role": seat.role,
        "status": seat.status.value, "actor": note.actor, "story_id": note.story_id,
        "source_title": note.source.title if note.source else None,
        "source_url": note.source.url if note.source else None, "detail": note.detail,
        "at": note.at, "source_published": published, "news_at": published or note.at,
    }


# ----- statements: read, decide, write ----------------------------------------------------------


async def read_seats(connection: AsyncConnection, query: SeatQuery) -> list[Known]:
    """The stored seats `query` names, in one statement."""
    if not query:
        return []
    wanted = []
    if query.driver_seasons or query.team_seasons:
        seasons = {season for _, season in query.driver_seasons | query.team_seasons}
        who = []
        if query.driver_seasons:
            who.append(seats.c.driver_key.in_(sorted({d for d, _ in query.driver_seasons})))
        if query.team_seasons:
            who.append(seats.c.team_key.in_(sorted({t for t, _ in query.team_seasons})))
        wanted.append(and_(seats.c.season.in_(sorted(seasons)), or_(*who)))
    for driver, season in query.drivers_from:
        wanted.append(and_(seats.c.driver_key == driver, seats.c.season >= season))
    for series, car, season in sorted(query.cars):
        wanted.append(and_(seats.c.car_key == car, seats.c.series_key == series,
                           seats.c.season == season))
    rows = await connection.execute(select(seats).where(or_(*wanted)).order_by(seats.c.id))
    return [known_of(row) for row in rows]


async def write_intents(connection: AsyncConnection, decision: SeatDecision) -> dict[int, int]:
    """Write what `bot.seats.decide` decided; returns the seat id of every ref. Seats are
    written as they come (a later intent may name a seat made by an earlier one); support
    and notes, which nothing reads back, a table at a time at the end."""
    ids: dict[int, int] = {}
    support: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    for intent in decision.intents:
        if isinstance(intent, AddSeat):
            ids[intent.ref] = (await connection.execute(_INSERT_SEAT, {
                **_columns(Known(slot=intent.slot, seat=intent.seat)),
                "created_at": intent.at})).scalar_one()
        elif isinstance(intent, ChangeSeat):
            before, after = _columns(intent.before), _columns(intent.after)
            # only what changed: a concurrent writer's other columns stand
            await connection.execute(
                update(seats).where(seats.c.id == ids.get(intent.ref, intent.ref))
                .values(**{name: value for name, value in after.items()
                           if before[name] != value}))
        elif isinstance(intent, Support):
            support.append({"seat_id": ids.get(intent.ref, intent.ref),
                            "story_id": intent.story_id})
        elif isinstance(intent, Note):
            events.append(_event_columns(intent, ids.get(intent.ref, intent.ref)))
    if support:
        await connection.execute(insert_ignoring(connection, seat_stories), support)
    if events:
        await connection.execute(_INSERT_EVENT, events)
    return ids


async def decide_and_write(connection: AsyncConnection, statements: Sequence[Statement]
                           ) -> tuple[SeatDecision, dict[int, int]]:
    decision = decide(await read_seats(connection, needs(statements)), statements)
    return decision, await write_intents(connection, decision)


# ----- answers ------------------------------------------------------------------------------


def latest_season_limit(now: datetime) -> int:
    """The furthest season a default answer looks at: next year's, once announced."""
    return now.astimezone(UTC).year + 1


def open_seats() -> Any:
    return and_(seats.c.removed.is_(False), seats.c.valid_to.is_(None))


def seat_order(seat: Any) -> tuple[Any, ...]:
    return (seat.series or "", -(seat.season or 0), seat.team or "", seat.car or "",
            seat.status != Status.CONFIRMED.value, seat.replaces is not None, seat.driver)


async def supported(connection: AsyncConnection, rows: Sequence[Row[Any]]) -> list[Seat]:
    """The seats of `rows`, each with the stories that support it."""
    if not rows:
        return []
    support: dict[int, list[int]] = {}
    for seat_id, story_id in await connection.execute(
            select(seat_stories.c.seat_id, seat_stories.c.story_id)
            .where(seat_stories.c.seat_id.in_([row.id for row in rows]))
            .order_by(seat_stories.c.story_id)):
        support.setdefault(seat_id, []).append(story_id)
    return [seat_of(row, support.get(row.id, ())) for row in rows]


def with_support(rows: Iterable[Row[Any]]) -> list[Seat]:
    """Seats from rows of a seat LEFT JOIN its supporting stories (one row per story)."""
    by_id: dict[int, tuple[Row[Any], list[int]]] = {}
    for row in rows:
        _, support = by_id.setdefault(row.id, (row, []))
        if row.supporting_story_id is not None:
            support.append(row.supporting_story_id)
    ordered = sorted(by_id.values(), key=lambda pair: seat_order(pair[0]))
    return [seat_of(row, sorted(support)) for row, support in ordered]


@cache
def open_seats_statement(column: str, by_series: bool, by_season: bool) -> Any:
    """The statement behind `open_seats_where`, built once per shape: building and keying
    a statement costs more than SQLite takes to run it. Parameters: value, series_key,
    season, season_limit."""
    conditions = [getattr(seats.c, column) == bindparam("value"), open_seats()]
    if by_series:
        conditions.append(seats.c.series_key == bindparam("series_key"))
    source: Any = seats
    if by_season:
        conditions.append(seats.c.season == bindparam("season"))
    else:
        latest = (select(seats.c.series_key, func.max(seats.c.season).label("season"))
                  .where(*conditions, seats.c.season <= bindparam("season_limit"))
                  .group_by(seats.c.series_key)
                  .subquery("latest"))
        source = seats.join(latest, and_(seats.c.series_key == latest.c.series_key,
                                         seats.c.season == latest.c.season))
    return (select(seats, seat_stories.c.story_id.label("supporting_story_id"))
            .select_from(source.outerjoin(seat_stories, seat_stories.c.seat_id == seats.c.id))
            .where(*conditions))


async def open_seats_where(connection: AsyncConnection, column: str, value: str, *,
                           series: str | None, season: int | None, now: datetime
                           ) -> list[Seat]:
    """Open seats whose `column` is `value`: in `season`, or else in the latest season of
    each series up to next year's, with the stories that support them. One statement: the
    support comes by LEFT JOIN (a row per supporting story), the latest (series, season)
    pairs from the covering index alone, then their seats by index lookup, so the size
    of the table barely matters."""
    if not value:
        return []
    statement = open_seats_statement(column, bool(series), season is not None)
    return with_support(await connection.execute(statement, {
        "value": value, "series_key": stored_name_key(series) if series else None,
        "season": season, "season_limit": latest_season_limit(now)}))


def _named_in_entries(entries: Iterable[Seat]) -> list[Named]:
    pairs: list[Named] = []
    for entry in entries:
        pairs += [(TargetKind.DRIVER, entry.driver), (TargetKind.TEAM, entry.team),
                  (TargetKind.SERIES, entry.series), (TargetKind.CAR, entry.car)]
    return pairs


class SeatStorage(StoreBase):
    """`bot.ports.LineupStore`, but for the stories and names it answers with."""

    @translate_errors
    async def lineup(self, car: str, *, series: str | None = None,
                     season: int | None = None) -> list[Seat]:
        async with self._read() as connection:
            return await open_seats_where(connection, "car_key", stored_car_key(car),
                                          series=series, season=season, now=utcnow())

    @translate_errors
    async def team_lineup(self, team: str, *, series: str | None = None,
                          season: int | None = None) -> list[Seat]:
        async with self._read() as connection:
            return await open_seats_where(connection, "team_key", stored_name_key(team),
                                          series=series, season=season, now=utcnow())

    @translate_errors
    async def driver_seats(self, driver: str) -> list[Seat]:
        async with self._read() as connection:
            return await open_seats_where(connection, "driver_key", stored_name_key(driver),
                                          series=None, season=None, now=utcnow())

    @translate_errors
    async def all_seats(self, *, series: str | None = None, season: int | None = None
                        ) -> list[Seat]:
        conditions = [open_seats()]
        if series:
            conditions.append(seats.c.series_key == stored_name_key(series))
        if season is not None:
            conditions.append(seats.c.season == season)
        async with self._read() as connection:
            rows = await connection.execute(select(seats).where(*conditions).order_by(
                seats.c.series_key, seats.c.season, seats.c.car_key, seats.c.team_key,
                seats.c.driver_key))
            return [seat_of(row) for row in rows]

    @translate_errors
    async def lineup_history(self, car: str, *, series: str | None = None,
                             season: int | None = None, limit: int = 50
                             ) -> list[LineupChange]:
        conditions = [seat_events.c.car_key == stored_car_key(car)]
        if series:
            conditions.append(seat_events.c.series_key == stored_name_key(series))
        if season is not None:
            conditions.append(seat_events.c.season == season)
        # how the answer was reached: in the order the changes were made
        return await self._changes(conditions, limit,
                                   order=(seat_events.c.at.desc(), seat_events.c.id.desc()))

    @translate_errors
    async def changes(self, series: str | None = None, since: datetime | None = None, *,
                      team: str | None = None, driver: str | None = None, limit: int = 20
                      ) -> list[LineupChange]:
        conditions = []
        if series:
            conditions.append(seat_events.c.series_key == stored_name_key(series))
        if team:
            conditions.append(seat_events.c.team_key == stored_name_key(team))
        if driver:
            conditions.append(seat_events.c.driver_key == stored_name_key(driver))
        if since is not None:
            # the news date, not when it was recorded: 2023 news read today is 2023's
            conditions.append(seat_events.c.news_at >= utc(since))
        return await self._changes(conditions, limit, order=(seat_events.c.news_at.desc(),
                                                              seat_events.c.id.desc()))

    async def _changes(self, conditions: list[Any], limit: int, *, order: tuple[Any, ...]
                       ) -> list[LineupChange]:
        async with self._read() as connection:
            rows = await connection.execute(
                select(seat_events).where(*conditions).order_by(*order).limit(limit))
            return [change_of(row) for row in rows]

    # ----- corrections and entry lists ------------------------------------------------------

    @translate_errors
    async def set_lineup(self, car: str, series: str, season: int, drivers: Sequence[str], *,
                         moderator: str, team: str | None = None) -> list[Seat]:
        fix = SetLineup(car=clip(car, CAR_CHARS) or "", series=clip(series, SERIES_CHARS) or "",
                        season=season,
                        drivers=tuple(clip(driver, NAME_CHARS) or "" for driver in drivers),
                        moderator=clip(moderator, NAME_CHARS) or "",
                        team=clip(team, NAME_CHARS), at=utcnow())
        async with self._write() as connection:
            await decide_and_write(connection, [fix])
            await remember_names(connection, [(TargetKind.DRIVER, d) for d in fix.drivers] + [
                (TargetKind.TEAM, fix.team), (TargetKind.SERIES, fix.series),
                (TargetKind.CAR, fix.car)])
            rows = (await connection.execute(select(seats).where(
                seats.c.car_key == stored_car_key(fix.car),
                seats.c.series_key == stored_name_key(fix.series),
                seats.c.season == season, open_seats()))).all()
            return await supported(connection, sorted(rows, key=seat_order))

    @translate_errors
    async def set_stand_in(self, car: str, series: str, season: int, driver: str, *,
                           replaces: str, races: str | None = None, moderator: str,
                           team: str | None = None) -> Seat:
        fix = SetStandIn(car=clip(car, CAR_CHARS) or "", series=clip(series, SERIES_CHARS) or "",
                         season=season, driver=clip(driver, NAME_CHARS) or "",
                         replaces=clip(replaces, NAME_CHARS) or "",
                         races=clip(races, _STAND_IN_RACES_CHARS),
                         moderator=clip(moderator, NAME_CHARS) or "",
                         team=clip(team, NAME_CHARS), at=utcnow())
        async with self._write() as connection:
            decision, ids = await decide_and_write(connection, [fix])
            await remember_names(connection, [(TargetKind.DRIVER, fix.driver),
                                              (TargetKind.DRIVER, fix.replaces)])
            [result] = decision.results
            assert result.ref is not None
            seat_id = ids.get(result.ref, result.ref)
            row = (await connection.execute(select(seats).where(seats.c.id == seat_id))).one()
            [seat] = await supported(connection, [row])
            return seat

    @translate_errors
    async def remove_from_lineup(self, car: str, series: str, season: int, driver: str, *,
                                 moderator: str) -> bool:
        fix = Remove(car=clip(car, CAR_CHARS) or "", series=clip(series, SERIES_CHARS) or "",
                     season=season, driver=clip(driver, NAME_CHARS) or "",
                     moderator=clip(moderator, NAME_CHARS) or "", at=utcnow())
        async with self._write() as connection:
            decision, _ = await decide_and_write(connection, [fix])
            return decision.results[0].outcome is Outcome.REMOVED

    @translate_errors
    async def import_lineup(self, entries: Sequence[Seat], *, actor: str = "import"
                            ) -> ImportReport:
        entries = [clip_entry(entry) for entry in entries]
        statements = entry_list_statements(entries, actor=actor, at=utcnow())
        async with self._write() as connection:
            decision, _ = await decide_and_write(connection, statements)
            await remember_names(connection, _named_in_entries(entries))
        counts = Counter(result.outcome for result in decision.results)
        return ImportReport(rows=len(entries), added=counts[Outcome.ADDED],
                            updated=counts[Outcome.UPDATED],
                            unchanged=counts[Outcome.UNCHANGED],
                            skipped=counts[Outcome.SKIPPED])
