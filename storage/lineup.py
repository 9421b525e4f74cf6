"""Issue 6's lineup knowledge: seat detail, moderator corrections, history and changes.

Moderator corrections:
- `/lineup set` makes exactly the given drivers the car's lineup for that series and
  season: their seats become moderator seats, every other open seat of the car is removed
  (a tombstone, kept for history). `/lineup remove` tombstones one driver.
- Moderator seats and tombstones are never changed by extracted facts or entry lists, and
  a tombstone keeps an article from putting the driver back in that car and season.
- Each correction is an event with the moderator and the time (`lineup_history`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.keys import car_display
from bot.models import (
    ChangeAction,
    ImportReport,
    LineupChange,
    Seat,
    SeatOrigin,
    Status,
    Story,
    TargetKind,
)
from storage.columns import (
    CAR_CHARS,
    NAME_CHARS,
    SERIES_CHARS,
    clip,
    clip_entry,
    stored_car_key,
    stored_name_key,
)
from storage.knowledge import (
    ADDED,
    IMPORT,
    MODERATOR,
    SKIPPED,
    UNCHANGED,
    UPDATED,
    SeatFact,
    fill_seat,
    open_seats,
    query_seat_rows,
    record_event,
    remember_names,
    seat_events,
    seat_order,
    seat_stories,
    seats,
    source_of,
    stories,
    story_of,
)


def seat_of(row: Any, story_ids: Sequence[int] = ()) -> Seat:
    return Seat(
        id=row.id, series=row.series, season=row.season, car=row.car, team=row.team,
        driver=row.driver, role=row.role, status=Status(row.status),
        origin=SeatOrigin(row.origin), replaces=row.replaces, races=row.races,
        valid_from=row.valid_from, valid_to=row.valid_to, removed=row.removed,
        source=source_of(row), story_id=row.story_id, story_ids=tuple(story_ids),
        corrected_by=row.corrected_by, corrected_at=row.corrected_at, updated_at=row.updated_at,
    )


def change_of(row: Any) -> LineupChange:
    return LineupChange(
        id=row.id, at=row.at, action=ChangeAction(row.action), series=row.series,
        season=row.season, car=row.car, team=row.team, driver=row.driver, role=row.role,
        status=Status(row.status), actor=row.actor, story_id=row.story_id,
        source=source_of(row) if row.source_title else None, detail=row.detail,
    )


async def supported(connection: AsyncConnection, rows: Sequence[Row[Any]]) -> list[Seat]:
    if not rows:
        return []
    support: dict[int, list[int]] = {}
    for seat_id, story_id in await connection.execute(
            select(seat_stories.c.seat_id, seat_stories.c.story_id)
            .where(seat_stories.c.seat_id.in_([row.id for row in rows]))
            .order_by(seat_stories.c.story_id)):
        support.setdefault(seat_id, []).append(story_id)
    return [seat_of(row, support.get(row.id, ())) for row in rows]


async def detail(connection: AsyncConnection, column: str, value: str, *,
                 series: str | None, season: int | None, now: datetime) -> list[Seat]:
    if not value:
        return []
    rows = await query_seat_rows(connection, column, value, series=series, season=season,
                                 now=now)
    return await supported(connection, rows)


async def _car_rows(connection: AsyncConnection, car: str, series: str, season: int,
                    *extra: Any) -> list[Row[Any]]:
    return list((await connection.execute(select(seats).where(
        seats.c.car_key == stored_car_key(car), seats.c.series_key == stored_name_key(series),
        seats.c.season == season, *extra))).all())


async def _tombstone(connection: AsyncConnection, row: Any, moderator: str,
                     now: datetime) -> None:
    updated = (await connection.execute(
        update(seats).where(seats.c.id == row.id).values(
            removed=True, origin=MODERATOR, corrected_by=moderator, corrected_at=now,
            updated_at=now).returning(*seats.c))).one()
    await record_event(connection, ChangeAction.REMOVE.value, updated, actor=moderator, at=now)


async def set_lineup(connection: AsyncConnection, car: str, series: str, season: int,
                     drivers: Sequence[str], *, moderator: str, team: str | None,
                     now: datetime) -> list[Seat]:
    car, series = clip(car, CAR_CHARS) or "", clip(series, SERIES_CHARS) or ""
    team, moderator = clip(team, NAME_CHARS), clip(moderator, NAME_CHARS) or ""
    if not stored_car_key(car):
        raise ValueError(f"not a car number: {car!r}")
    if not stored_name_key(series):
        raise ValueError("a correction needs a series")
    existing = await _car_rows(connection, car, series, season, open_seats())
    if team is None:
        teams = Counter(row.team for row in existing if row.team)
        team = teams.most_common(1)[0][0] if teams else None
    kept: set[int] = set()
    seen: set[str] = set()
    drivers = [clip(driver, NAME_CHARS) or "" for driver in drivers]
    for driver in drivers:
        if not stored_name_key(driver) or stored_name_key(driver) in seen:
            continue
        seen.add(stored_name_key(driver))
        seat_id, _ = await fill_seat(connection, SeatFact(
            series=series, season=season, car=car, team=team, driver=driver,
            status=Status.CONFIRMED, origin=MODERATOR, actor=moderator, at=now))
        kept.add(seat_id)
    for row in existing:
        if row.id not in kept:
            await _tombstone(connection, row, moderator, now)
    await remember_names(connection, [(TargetKind.DRIVER, d) for d in drivers] + [
        (TargetKind.TEAM, team), (TargetKind.SERIES, series), (TargetKind.CAR, car)])
    rows = await _car_rows(connection, car, series, season, open_seats())
    return await supported(connection, sorted(rows, key=seat_order))


async def set_stand_in(connection: AsyncConnection, car: str, series: str, season: int,
                       driver: str, *, replaces: str, races: str | None, moderator: str,
                       team: str | None, now: datetime) -> Seat:
    car, series = clip(car, CAR_CHARS) or "", clip(series, SERIES_CHARS) or ""
    driver, replaces = clip(driver, NAME_CHARS) or "", clip(replaces, NAME_CHARS) or ""
    team, moderator = clip(team, NAME_CHARS), clip(moderator, NAME_CHARS) or ""
    if not (stored_car_key(car) and stored_name_key(series) and stored_name_key(driver)
            and stored_name_key(replaces)):
        raise ValueError("a stand-in needs a car, a series, a driver and whom they replace")
    existing = await _car_rows(connection, car, series, season, open_seats())
    if team is None:
        regular = [row.team for row in existing
                   if row.driver_key == stored_name_key(replaces) and row.team]
        teams = Counter(row.team for row in existing if row.team)
        team = regular[0] if regular else (teams.most_common(1)[0][0] if teams else None)
    seat_id, _ = await fill_seat(connection, SeatFact(
        series=series, season=season, car=car, team=team, driver=driver,
        status=Status.CONFIRMED, origin=MODERATOR, actor=moderator, replaces=replaces,
        races=clip(races, 500), at=now))
    await remember_names(connection, [(TargetKind.DRIVER, driver),
                                      (TargetKind.DRIVER, replaces)])
    row = (await connection.execute(select(seats).where(seats.c.id == seat_id))).one()
    [view] = await supported(connection, [row])
    return view


async def remove_from_lineup(connection: AsyncConnection, car: str, series: str, season: int,
                             driver: str, *, moderator: str, now: datetime) -> bool:
    driver, moderator = clip(driver, NAME_CHARS) or "", clip(moderator, NAME_CHARS) or ""
    car, series = clip(car, CAR_CHARS) or "", clip(series, SERIES_CHARS) or ""
    if not stored_car_key(car) or not stored_name_key(driver):
        raise ValueError("a removal needs a car number and a driver")
    rows = await _car_rows(connection, car, series, season,
                           seats.c.driver_key == stored_name_key(driver))
    was_open = [row for row in rows if not row.removed and row.valid_to is None]
    for row in rows:
        if not row.removed:
            await _tombstone(connection, row, moderator, now)
    if not rows:
        # nothing to remove yet: the tombstone keeps a later article from adding the driver
        created = (await connection.execute(seats.insert().values(
            series=series, series_key=stored_name_key(series), season=season, car=car_display(car),
            car_key=stored_car_key(car), team=None, team_key="", driver=driver,
            driver_key=stored_name_key(driver), status=Status.CONFIRMED.value, origin=MODERATOR,
            removed=True, corrected_by=moderator, corrected_at=now, created_at=now,
            updated_at=now).returning(*seats.c))).one()
        await record_event(connection, ChangeAction.REMOVE.value, created, actor=moderator, at=now)
    return bool(was_open)


async def history(connection: AsyncConnection, car: str, *, series: str | None,
                  season: int | None, limit: int) -> list[LineupChange]:
    conditions = [seat_events.c.car_key == stored_car_key(car)]
    if series:
        conditions.append(seat_events.c.series_key == stored_name_key(series))
    if season is not None:
        conditions.append(seat_events.c.season == season)
    rows = await connection.execute(
        select(seat_events).where(*conditions)
        .order_by(seat_events.c.at.desc(), seat_events.c.id.desc()).limit(limit))
    return [change_of(row) for row in rows]


async def changes(connection: AsyncConnection, *, series: str | None, since: datetime | None,
                  team: str | None, driver: str | None, limit: int) -> list[LineupChange]:
    conditions = []
    if series:
        conditions.append(seat_events.c.series_key == stored_name_key(series))
    if team:
        conditions.append(seat_events.c.team_key == stored_name_key(team))
    if driver:
        conditions.append(seat_events.c.driver_key == stored_name_key(driver))
    if since is not None:
        conditions.append(seat_events.c.at >= since)
    rows = await connection.execute(
        select(seat_events).where(*conditions)
        .order_by(seat_events.c.at.desc(), seat_events.c.id.desc()).limit(limit))
    return [change_of(row) for row in rows]


async def import_entries(connection: AsyncConnection, entries: Sequence[Seat], *,
                         actor: str, now: datetime) -> ImportReport:
    counts = Counter[str]()
    entries = [clip_entry(entry) for entry in entries]
    for entry in entries:
        if entry.season is None or not stored_name_key(entry.series):
            raise ValueError(f"entry-list rows need a series and a season: {entry!r}")
        _, outcome = await fill_seat(connection, SeatFact(
            series=entry.series, season=entry.season, car=entry.car, team=entry.team,
            driver=entry.driver, role=entry.role, status=entry.status, origin=IMPORT,
            actor=actor, at=now))
        counts[outcome] += 1
    pairs: list[tuple[TargetKind, str | None]] = []
    for entry in entries:
        pairs += [(TargetKind.DRIVER, entry.driver), (TargetKind.TEAM, entry.team),
                  (TargetKind.SERIES, entry.series), (TargetKind.CAR, entry.car)]
    await remember_names(connection, pairs)
    return ImportReport(rows=len(entries), added=counts[ADDED], updated=counts[UPDATED],
                        unchanged=counts[UNCHANGED], skipped=counts[SKIPPED])


async def all_open(connection: AsyncConnection, *, series: str | None,
                   season: int | None) -> list[Seat]:
    conditions = [open_seats()]
    if series:
        conditions.append(seats.c.series_key == stored_name_key(series))
    if season is not None:
        conditions.append(seats.c.season == season)
    rows = (await connection.execute(
        select(seats).where(*conditions).order_by(
            seats.c.series_key, seats.c.season, seats.c.car_key, seats.c.team_key,
            seats.c.driver_key))).all()
    return [seat_of(row) for row in rows]


async def supporting_stories(connection: AsyncConnection, seat_id: int) -> list[Story]:
    rows = await connection.execute(
        select(stories).join(seat_stories, seat_stories.c.story_id == stories.c.id)
        .where(seat_stories.c.seat_id == seat_id)
        .order_by(stories.c.first_seen.desc(), stories.c.id.desc()))
    return [story_of(row) for row in rows]
