"""What a statement does to the lineup knowledge: plain data in, intents out, no I/O.

In the manner of lemon24/reader's update Decider: storage reads the stored seats a batch of
statements (bot/statements.py) needs (`needs` says which), hands them to `decide` with the
statements, and writes the intents that come back, in order, deciding nothing itself.
tests/bot/test_seats.py tables the rules:

A seat is one slot: series, season, car (or none: "in the team's lineup"), team, driver.
- A statement that the driver sits somewhere fills the slot, or the seat it says more
  about: a seat filled for a car takes over the driver's car-less seat in that team and
  season. Details the seat lacked are filled in; an ended seat taken again is reopened.
- A rumour never overwrites a confirmed seat; a rumour about another car or team is its
  own seat, shown beside the confirmed ones. A confirmation confirms the rumoured seat.
- Ending a seat keeps it, for history; a stand-in steps down when the driver they stand
  in for is back.
- A moderator's correction wins: seats a moderator set or removed are never changed by
  articles or entry lists, and a removal keeps an article from putting the driver back in
  that car. An entry list takes over the seats articles made.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

from bot.keys import car_display, car_key, name_key
from bot.models import (
    ChangeAction,
    Seat,
    SeatOrigin,
    Source,
    Status,
)
from bot.statements import (
    RULES,
    End,
    Fill,
    Remove,
    SetLineup,
    SetStandIn,
    Statement,
    StepDown,
)

# ----- state: the seats as stored ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Slot:
    """Which seat: names as keys, '' for none. One stored seat per slot."""

    series: str
    season: int
    car: str
    team: str
    driver: str

    @classmethod
    def of(cls, *, series: str | None, season: int, car: str | None, team: str | None,
           driver: str) -> Slot:
        return cls(series=name_key(series or ""), season=season, car=car_key(car),
                   team=name_key(team or ""), driver=name_key(driver))


@dataclass(frozen=True, slots=True)
class Known:
    """A stored seat (its `seat.id` set) and the slot it is stored under."""

    slot: Slot
    seat: Seat


# ----- intents: what to write -------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class AddSeat:
    ref: int  # provisional (negative) until storage has the row's id
    slot: Slot
    seat: Seat
    at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class ChangeSeat:
    ref: int  # a stored seat's id, or an AddSeat's ref
    before: Known
    after: Known


@dataclass(frozen=True, slots=True, kw_only=True)
class Support:
    """The story supports the seat (one row per pair, however often it is said)."""

    ref: int
    story_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Note:
    """A change to remember: /changes and /lineup history. `seat` as it stands after it."""

    ref: int
    action: ChangeAction
    slot: Slot
    seat: Seat
    actor: str
    at: datetime
    story_id: int | None = None
    source: Source | None = None
    detail: str | None = None


SeatIntent = AddSeat | ChangeSeat | Support | Note


class Outcome(StrEnum):
    ADDED = "added"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"  # a moderator's correction wins over the statement
    REMOVED = "removed"  # Remove: an open seat was taken away
    RECORDED = "recorded"  # Remove: no seat was open; the removal still stands


@dataclass(frozen=True, slots=True)
class Result:
    """What one statement came to; `ref` is the seat a Fill or SetStandIn ended on."""

    outcome: Outcome | None = None
    ref: int | None = None


@dataclass(frozen=True, slots=True)
class SeatDecision:
    intents: tuple[SeatIntent, ...]
    results: tuple[Result, ...]  # one per statement, in order


@dataclass(frozen=True, slots=True)
class SeatQuery:
    """The stored seats a batch of statements needs: all of them, ended or removed too, of
    these drivers in these seasons, of these drivers from a season on, of these teams in
    these seasons, and of these cars (series key, car key, season)."""

    driver_seasons: frozenset[tuple[str, int]] = frozenset()
    drivers_from: tuple[tuple[str, int], ...] = ()
    team_seasons: frozenset[tuple[str, int]] = frozenset()
    cars: frozenset[tuple[str, str, int]] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.driver_seasons or self.drivers_from or self.team_seasons
                    or self.cars)


def needs(statements: Iterable[Statement]) -> SeatQuery:
    """The stored seats `decide` must be given for these statements."""
    drivers: set[tuple[str, int]] = set()
    drivers_from: dict[str, int] = {}
    teams: set[tuple[str, int]] = set()
    cars: set[tuple[str, str, int]] = set()
    for statement in statements:
        if isinstance(statement, Fill):
            drivers.add((name_key(statement.driver), statement.season))
        elif isinstance(statement, End):
            driver = name_key(statement.driver)
            drivers_from[driver] = min(statement.from_season,
                                       drivers_from.get(driver, statement.from_season))
        elif isinstance(statement, StepDown):
            teams.add((name_key(statement.team), statement.season))
        else:
            cars.add((name_key(statement.series), car_key(statement.car), statement.season))
            named = statement.drivers if isinstance(statement, SetLineup) else (statement.driver,)
            drivers.update((name_key(driver), statement.season) for driver in named)
    return SeatQuery(driver_seasons=frozenset(drivers),
                     drivers_from=tuple(sorted(drivers_from.items())),
                     team_seasons=frozenset(teams), cars=frozenset(cars))


# ----- deciding ---------------------------------------------------------------------------


@dataclass(slots=True)
class _Book:
    """The seats as the statements decided so far leave them, and the intents that say so."""

    seats: dict[int, Known]
    intents: list[SeatIntent] = field(default_factory=list)
    supported: set[tuple[int, int]] = field(default_factory=set)
    next_ref: int = -1

    def ordered(self) -> list[tuple[int, Known]]:
        # stored seats by id, then new ones as they were made: the order ids will have
        return sorted(self.seats.items(), key=lambda item: (item[0] < 0, abs(item[0])))

    def add(self, slot: Slot, seat: Seat, at: datetime) -> int:
        ref, self.next_ref = self.next_ref, self.next_ref - 1
        self.seats[ref] = Known(slot=slot, seat=seat)
        self.intents.append(AddSeat(ref=ref, slot=slot, seat=seat, at=at))
        return ref

    def change(self, ref: int, after: Known) -> None:
        before = self.seats[ref]
        if after != before:
            self.seats[ref] = after
            self.intents.append(ChangeSeat(ref=ref, before=before, after=after))

    def support(self, ref: int, story_id: int | None) -> None:
        if story_id is not None and (ref, story_id) not in self.supported:
            self.supported.add((ref, story_id))
            self.intents.append(Support(ref=ref, story_id=story_id))

    def note(self, ref: int, action: ChangeAction, *, actor: str, at: datetime,
             story_id: int | None = None, source: Source | None = None,
             detail: str | None = None) -> None:
        known = self.seats[ref]
        self.intents.append(Note(ref=ref, action=action, slot=known.slot, seat=known.seat,
                                 actor=actor, at=at, story_id=story_id, source=source,
                                 detail=detail))


def decide(state: Iterable[Known], statements: Sequence[Statement]) -> SeatDecision:
    """The intents the statements come to, in order, given the stored seats `needs(statements)`
    named: each statement sees what the statements before it changed."""
    book = _Book(seats={known.seat.id or 0: known for known in state})
    results = []
    for statement in statements:
        if isinstance(statement, Fill):
            results.append(_fill(book, statement))
        elif isinstance(statement, End):
            _end(book, statement)
            results.append(Result())
        elif isinstance(statement, StepDown):
            _step_down(book, statement)
            results.append(Result())
        elif isinstance(statement, SetLineup):
            _set_lineup(book, statement)
            results.append(Result())
        elif isinstance(statement, SetStandIn):
            results.append(_set_stand_in(book, statement))
        else:
            results.append(_remove(book, statement))
    return SeatDecision(intents=tuple(book.intents), results=tuple(results))


def _find(book: _Book, fill: Fill, slot: Slot) -> int | None:
    """The seat the statement is about: the exact slot; else, for a car, a moderator's removal
    of the driver from it (whatever the team); else the driver's seat in the team the
    statement says more about."""
    mine = [(ref, known) for ref, known in book.ordered()
            if known.slot.driver == slot.driver and known.slot.season == slot.season]
    for ref, known in mine:
        if (known.slot.series, known.slot.car, known.slot.team) == (
                slot.series, slot.car, slot.team):
            return ref
    if slot.car and fill.origin is not SeatOrigin.MODERATOR:
        # a moderator took this driver out of this car, whatever the team
        for ref, known in mine:
            if (known.slot.series == slot.series and known.slot.car == slot.car
                    and known.seat.origin is SeatOrigin.MODERATOR and known.seat.removed):
                return ref
    if not slot.team:
        return None
    for ref, known in mine:
        if known.slot.team != slot.team or not (
                slot.series in (known.slot.series, "") or known.slot.series == ""):
            continue
        # For a car, the driver's car-less seat in this team gets the car; without one, a
        # car seat in this team already says more than a car-less one would.
        if (known.slot.car == "") == bool(slot.car):
            return ref
    return None


def _fill(book: _Book, fill: Fill) -> Result:
    slot = Slot.of(series=fill.series, season=fill.season, car=fill.car, team=fill.team,
                   driver=fill.driver)
    moderator = fill.origin is SeatOrigin.MODERATOR
    ref = _find(book, fill, slot)
    if ref is None:
        seat = Seat(
            series=fill.series, season=fill.season, car=car_display(fill.car),
            team=fill.team, driver=fill.driver, role=fill.role, status=fill.status,
            replaces=fill.replaces, races=fill.races, origin=fill.origin,
            valid_from=(fill.source.published if fill.source and fill.source.published
                        else fill.at),
            source=fill.source, story_id=fill.story_id,
            corrected_by=fill.actor if moderator else None,
            corrected_at=fill.at if moderator else None, updated_at=fill.at)
        ref = book.add(slot, seat, fill.at)
        book.support(ref, fill.story_id)
        action = (ChangeAction.SET if moderator else
                  ChangeAction.RUMOUR if fill.status is Status.RUMOUR else ChangeAction.FILL)
        book.note(ref, action, actor=fill.actor, at=fill.at, story_id=fill.story_id,
                  source=fill.source)
        return Result(Outcome.ADDED, ref)

    known = book.seats[ref]
    seat, where = known.seat, known.slot
    if seat.origin is SeatOrigin.MODERATOR and not moderator:
        return Result(Outcome.SKIPPED, ref)  # a correction wins over articles and lists
    if seat.status is Status.CONFIRMED and fill.status is Status.RUMOUR:
        return Result(Outcome.UNCHANGED, ref)  # a rumour never overwrites a confirmed seat
    changed = seat
    action = ChangeAction.UPDATE
    if moderator:
        changed = replace(changed, origin=SeatOrigin.MODERATOR, corrected_by=fill.actor,
                          corrected_at=fill.at, removed=False, valid_to=None,
                          status=fill.status)
        action = ChangeAction.SET
    elif fill.origin is SeatOrigin.IMPORT and seat.origin is SeatOrigin.RULES:
        changed = replace(changed, origin=SeatOrigin.IMPORT)  # an entry list knows better
    if not moderator and seat.status is Status.RUMOUR and fill.status is Status.CONFIRMED:
        changed = replace(changed, status=Status.CONFIRMED)
        action = ChangeAction.CONFIRM
    if seat.valid_to is not None and not moderator:
        changed = replace(changed, valid_to=None)  # back in the seat
        action = ChangeAction.REOPEN
    if fill.car and not where.car:
        changed = replace(changed, car=car_display(fill.car))
        where = replace(where, car=slot.car)
        if not where.series and fill.series:
            changed = replace(changed, series=fill.series)
            where = replace(where, series=slot.series)
    if fill.team and not where.team:
        changed = replace(changed, team=fill.team)
        where = replace(where, team=slot.team)
    if fill.role and fill.role != seat.role and (seat.role is None
                                                 or fill.status is Status.CONFIRMED):
        changed = replace(changed, role=fill.role)
    if fill.replaces and fill.replaces != seat.replaces:
        changed = replace(changed, replaces=fill.replaces)
    if fill.races and fill.races != seat.races:
        changed = replace(changed, races=fill.races)
    # A moderator's word is always worth a note: who corrected the seat, and when.
    meaningful = moderator or changed != seat or where != known.slot
    if not meaningful and seat.story_id == fill.story_id and (
            fill.source is None or (seat.source is not None
                                    and fill.source.title == seat.source.title)):
        book.support(ref, fill.story_id)
        return Result(Outcome.UNCHANGED, ref)
    if fill.source is not None:
        changed = replace(changed, source=fill.source)
    if fill.story_id is not None:
        changed = replace(changed, story_id=fill.story_id)
    if changed != seat or where != known.slot:
        book.change(ref, Known(slot=where, seat=replace(changed, updated_at=fill.at)))
        if meaningful:
            book.note(ref, action, actor=fill.actor, at=fill.at, story_id=fill.story_id,
                      source=fill.source)
    book.support(ref, fill.story_id)
    return Result(Outcome.UPDATED if meaningful else Outcome.UNCHANGED, ref)


def _endable(known: Known) -> bool:
    return known.seat.is_open and known.seat.origin is not SeatOrigin.MODERATOR


def _end(book: _Book, end: End) -> None:
    driver = name_key(end.driver)
    for ref, known in book.ordered():
        slot = known.slot
        if (slot.driver != driver or slot.season < end.from_season or not _endable(known)
                or (end.team and slot.team != name_key(end.team))
                or (end.series and slot.series not in (name_key(end.series), ""))):
            continue
        book.change(ref, Known(slot=slot, seat=replace(
            known.seat, valid_to=end.at, updated_at=end.at, story_id=end.story_id,
            source=end.source)))
        book.support(ref, end.story_id)
        book.note(ref, ChangeAction.END, actor=RULES, at=end.at, story_id=end.story_id,
                  source=end.source)


def _step_down(book: _Book, step: StepDown) -> None:
    team, returning = name_key(step.team), name_key(step.returning)
    for ref, known in book.ordered():
        seat = known.seat
        if (known.slot.team != team or known.slot.season != step.season
                or seat.replaces is None or not _endable(known)
                or name_key(seat.replaces) != returning or known.slot.driver == returning):
            continue
        book.change(ref, Known(slot=known.slot, seat=replace(
            seat, valid_to=step.at, updated_at=step.at)))
        book.note(ref, ChangeAction.END, actor=RULES, at=step.at, story_id=step.story_id,
                  source=step.source, detail=f"{step.returning} is back")


def _car_seats(book: _Book, car: str, series: str, season: int) -> list[tuple[int, Known]]:
    where = (name_key(series), car_key(car), season)
    return [(ref, known) for ref, known in book.ordered()
            if (known.slot.series, known.slot.car, known.slot.season) == where]


def _most_common_team(seats: Iterable[tuple[int, Known]]) -> str | None:
    teams = Counter(known.seat.team for _, known in seats if known.seat.team)
    return teams.most_common(1)[0][0] if teams else None


def _tombstone(book: _Book, ref: int, moderator: str, at: datetime) -> None:
    known = book.seats[ref]
    book.change(ref, Known(slot=known.slot, seat=replace(
        known.seat, removed=True, origin=SeatOrigin.MODERATOR, corrected_by=moderator,
        corrected_at=at, updated_at=at)))
    book.note(ref, ChangeAction.REMOVE, actor=moderator, at=at)


def _set_lineup(book: _Book, fix: SetLineup) -> None:
    if not car_key(fix.car):
        raise ValueError(f"not a car number: {fix.car!r}")
    if not name_key(fix.series):
        raise ValueError("a correction needs a series")
    existing = [(ref, known) for ref, known in
                _car_seats(book, fix.car, fix.series, fix.season) if known.seat.is_open]
    team = fix.team if fix.team is not None else _most_common_team(existing)
    kept: set[int | None] = set()
    seen: set[str] = set()
    for driver in fix.drivers:
        if not name_key(driver) or name_key(driver) in seen:
            continue
        seen.add(name_key(driver))
        kept.add(_fill(book, Fill(
            series=fix.series, season=fix.season, car=fix.car, team=team,
            driver=driver, origin=SeatOrigin.MODERATOR, actor=fix.moderator,
            at=fix.at)).ref)
    for ref, _ in existing:
        if ref not in kept:
            _tombstone(book, ref, fix.moderator, fix.at)


def _set_stand_in(book: _Book, fix: SetStandIn) -> Result:
    if not (car_key(fix.car) and name_key(fix.series) and name_key(fix.driver)
            and name_key(fix.replaces)):
        raise ValueError("a stand-in needs a car, a series, a driver and whom they replace")
    existing = [(ref, known) for ref, known in
                _car_seats(book, fix.car, fix.series, fix.season) if known.seat.is_open]
    team = fix.team
    if team is None:
        regular = [known.seat.team for _, known in existing
                   if known.slot.driver == name_key(fix.replaces) and known.seat.team]
        team = regular[0] if regular else _most_common_team(existing)
    return _fill(book, Fill(
        series=fix.series, season=fix.season, car=fix.car, team=team,
        driver=fix.driver, replaces=fix.replaces, races=fix.races,
        origin=SeatOrigin.MODERATOR, actor=fix.moderator, at=fix.at))


def _remove(book: _Book, fix: Remove) -> Result:
    if not car_key(fix.car) or not name_key(fix.driver):
        raise ValueError("a removal needs a car number and a driver")
    driver = name_key(fix.driver)
    mine = [(ref, known) for ref, known in
            _car_seats(book, fix.car, fix.series, fix.season)
            if known.slot.driver == driver]
    was_open = any(known.seat.is_open for _, known in mine)
    for ref, known in mine:
        if not known.seat.removed:
            _tombstone(book, ref, fix.moderator, fix.at)
    if not mine:
        # nothing to remove yet: the removal keeps a later article from adding the driver
        slot = Slot.of(series=fix.series, season=fix.season, car=fix.car, team=None,
                       driver=fix.driver)
        ref = book.add(slot, Seat(
            series=fix.series, season=fix.season, car=car_display(fix.car),
            driver=fix.driver, origin=SeatOrigin.MODERATOR, removed=True,
            corrected_by=fix.moderator, corrected_at=fix.at, updated_at=fix.at),
            fix.at)
        book.note(ref, ChangeAction.REMOVE, actor=fix.moderator, at=fix.at)
    return Result(Outcome.REMOVED if was_open else Outcome.RECORDED)
