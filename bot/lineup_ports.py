"""Lineup knowledge beyond `bot.ports.LineupStore` (issue 6): seats with their history,
stand-ins, moderator corrections, changes and entry lists.

Domain-pure: the standard library and bot.models only. `storage.SqlStore` implements
`LineupKnowledge`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from bot.models import LineupEntry, Seat, Source, Status, Story


class SeatOrigin(StrEnum):
    """Where a seat's current facts come from. A moderator's word beats the others."""

    RULES = "rules"  # extracted from articles
    IMPORT = "import"  # an entry list (pitboard lineup import)
    MODERATOR = "moderator"  # /lineup set or /lineup remove


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
class SeatView:
    """A seat as the lineup answers show it, with where it came from."""

    id: int
    series: str | None
    season: int
    car: str | None
    team: str | None
    driver: str
    role: str | None = None
    status: Status = Status.CONFIRMED
    origin: SeatOrigin = SeatOrigin.RULES
    replaces: str | None = None  # set: a stand-in for this driver
    races: str | None = None  # the races a stand-in covers, when known
    valid_from: datetime | None = None
    valid_to: datetime | None = None  # set: the seat has ended
    source: Source | None = None  # the latest source
    story_ids: tuple[int, ...] = ()  # the stories that support the seat, oldest first
    corrected_by: str | None = None
    corrected_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def ended(self) -> bool:
        return self.valid_to is not None

    @property
    def stand_in(self) -> bool:
        return self.replaces is not None

    def as_seat(self) -> Seat:
        return Seat(series=self.series, season=self.season, car=self.car, team=self.team,
                    driver=self.driver, role=self.role, status=self.status,
                    source=self.source, corrected_by=self.corrected_by,
                    updated_at=self.updated_at)


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


class LineupKnowledge(Protocol):
    async def lineup_details(self, car: str, *, series: str | None = None,
                             season: int | None = None) -> list[SeatView]:
        """`LineupStore.lineup` with full seat detail (same selection and order)."""
        ...

    async def team_details(self, team: str, *, series: str | None = None,
                           season: int | None = None) -> list[SeatView]: ...

    async def driver_details(self, driver: str) -> list[SeatView]: ...

    async def seat_stories(self, seat_id: int) -> list[Story]:
        """The stories that support a seat, newest first."""
        ...

    async def set_lineup(self, car: str, series: str, season: int, drivers: Sequence[str], *,
                         moderator: str, team: str | None = None) -> list[SeatView]:
        """A moderator's word: exactly `drivers` sit in the car for that series and season.

        Other drivers of the car are removed; later articles never change these seats.
        `team` None keeps the team the car already has. Returns the new lineup."""
        ...

    async def set_stand_in(self, car: str, series: str, season: int, driver: str, *,
                           replaces: str, races: str | None = None, moderator: str,
                           team: str | None = None) -> SeatView:
        """A moderator's word: `driver` stands in for `replaces` in the car (for `races`,
        free text such as "Sebring, Laguna Seca"). The regular driver keeps their seat;
        the stand-in ends when an article says the regular driver is back."""
        ...

    async def remove_from_lineup(self, car: str, series: str, season: int, driver: str, *,
                                 moderator: str) -> bool:
        """Take a driver out of a car; False when no such open seat existed (the removal
        is recorded anyway, so articles do not put the driver back)."""
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

    async def import_lineup(self, entries: Sequence[LineupEntry], *, actor: str = "import"
                            ) -> ImportReport:
        """Load entry-list rows (series and season required); idempotent."""
        ...

    async def all_seats(self, *, series: str | None = None, season: int | None = None
                        ) -> list[SeatView]:
        """Every open seat, for export: series, season, car, team, driver order."""
        ...
