"""What is said about seats, as statements for bot.seats to decide on: an article's moves
and lineup lines, an entry list's rows, a moderator's corrections.

What a move says (tests/bot/test_seats.py tables it with what it then does):
- join, promote and replace with a team put the driver in a seat; an extend confirms or
  creates it.
- A replace notes whom it replaces. With role full-time it is for good and ends the
  replaced driver's seat; otherwise it is a stand-in: the regular driver keeps the seat,
  and the stand-in ends when a later article has the regular driver (re)join the team for
  that season.
- leave (with a team, or an arrival's from-team in the same series) ends the driver's seats
  with that team from that season on; retire ends all of them. Rumours end nothing.
- Every lineup line of an article puts its driver in its car's seat.
- A move without a season counts for the year of the article (or of now).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.keys import car_key, name_key
from bot.models import (
    Article,
    Extraction,
    Move,
    MoveKind,
    Role,
    Seat,
    SeatOrigin,
    Source,
    Status,
    Story,
)

RULES = SeatOrigin.RULES.value  # the actor of what articles say
ARRIVALS = (MoveKind.JOIN, MoveKind.PROMOTE, MoveKind.REPLACE)


@dataclass(frozen=True, slots=True, kw_only=True)
class _Said:
    """Who says it: the story and source behind a statement, and when it was recorded."""

    story_id: int | None = None
    source: Source | None = None
    at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class Fill(_Said):
    """Someone says the driver sits here: a move, a lineup line, an entry list, a moderator."""

    driver: str
    season: int
    series: str | None = None
    car: str | None = None
    team: str | None = None
    role: str | None = None
    status: Status = Status.CONFIRMED
    replaces: str | None = None
    races: str | None = None
    origin: SeatOrigin = SeatOrigin.RULES
    actor: str = RULES


@dataclass(frozen=True, slots=True, kw_only=True)
class End(_Said):
    """The driver's open seats (with `team`, in `series` or none) end from `from_season` on."""

    driver: str
    from_season: int
    team: str | None = None
    series: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class StepDown(_Said):
    """`returning` is back in the team for the season: their stand-ins step down."""

    returning: str
    team: str
    season: int


@dataclass(frozen=True, slots=True, kw_only=True)
class _Correction:
    """A moderator's word about one car in one series and season."""

    car: str
    series: str
    season: int
    moderator: str
    at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class SetLineup(_Correction):
    """Exactly these drivers sit in the car; `team` None keeps the car's."""

    drivers: tuple[str, ...]
    team: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SetStandIn(_Correction):
    """`driver` stands in for `replaces` in the car (for `races`)."""

    driver: str
    replaces: str
    races: str | None = None
    team: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Remove(_Correction):
    """The moderator takes the driver out of the car."""

    driver: str


Statement = Fill | End | StepDown | SetLineup | SetStandIn | Remove


# ----- from articles and entry lists ------------------------------------------------------


def move_statements(move: Move, *, story_id: int | None, series: str | None, season: int,
                    source: Source | None, at: datetime) -> list[Statement]:
    """What a move says about seats (`series` and `season` as the article implies them)."""
    said = {"story_id": story_id, "source": source, "at": at}
    confirmed = move.status is Status.CONFIRMED
    if move.kind in ARRIVALS or move.kind is MoveKind.EXTEND:
        statements: list[Statement] = []
        if move.team:
            statements.append(Fill(
                series=series, season=season, car=move.car, team=move.team,
                driver=move.driver, role=move.role, status=move.status,
                replaces=move.replaces if move.kind is MoveKind.REPLACE else None, **said))
        if (move.kind is MoveKind.REPLACE and move.replaces and move.team
                and move.role == Role.FULL_TIME and confirmed):
            # a full-time replacement is for good; any other is a stand-in and the regular
            # driver keeps the seat
            statements.append(End(driver=move.replaces, team=move.team, series=series,
                                  from_season=season, **said))
        if move.kind in ARRIVALS and move.from_team and series and confirmed:
            statements.append(End(driver=move.driver, team=move.from_team, series=series,
                                  from_season=season, **said))
        if move.team and confirmed:
            statements.append(StepDown(returning=move.driver, team=move.team,
                                       season=season, **said))
        return statements
    if not confirmed:
        return []  # a rumoured departure ends nothing
    if move.kind is MoveKind.LEAVE:
        team = move.team or move.from_team
        return [End(driver=move.driver, team=team, from_season=season, **said)] if team else []
    if move.kind is MoveKind.RETIRE:
        return [End(driver=move.driver, from_season=season, **said)]
    return []


def supporting_story(line: Seat, stories: Sequence[Story]) -> Story | None:
    """The story a lineup line belongs to: same car, else same team, else the first."""
    for story in stories:
        if line.car and story.move.car and car_key(line.car) == car_key(story.move.car):
            return story
    for story in stories:
        if line.team and story.move.team and name_key(line.team) == name_key(story.move.team):
            return story
    return stories[0] if stories else None


def extraction_statements(article: Article, extraction: Extraction,
                          stories: Sequence[Story], at: datetime) -> list[Statement]:
    """What an article says about seats: its moves (`stories[i]` is the story of move i, as
    recorded), then its lineup lines."""
    source = article.as_source()
    fallback_season = (article.published or at).astimezone(UTC).year
    statements: list[Statement] = []
    for move, story in zip(extraction.moves, stories, strict=True):
        statements += move_statements(
            move, story_id=story.id, series=move.series or article.series,
            season=move.season or fallback_season, source=source, at=at)
    for line in extraction.lineup:
        story = supporting_story(line, stories)
        statements.append(Fill(
            series=line.series or article.series or (story.move.series if story else None),
            season=line.season or fallback_season, car=line.car,
            team=line.team or (story.move.team if story else None), driver=line.driver,
            role=line.role, status=line.status, replaces=line.replaces, races=line.races,
            story_id=story.id if story else None, source=source, at=at))
    return statements


def entry_list_statements(entries: Sequence[Seat], *, actor: str, at: datetime
                          ) -> list[Statement]:
    """An entry list's rows as statements; each needs a series and a season."""
    statements: list[Statement] = []
    for entry in entries:
        if entry.season is None or not name_key(entry.series or ""):
            raise ValueError(f"entry-list rows need a series and a season: {entry!r}")
        statements.append(Fill(series=entry.series, season=entry.season, car=entry.car,
                               team=entry.team, driver=entry.driver, role=entry.role,
                               status=entry.status, replaces=entry.replaces,
                               races=entry.races, origin=SeatOrigin.IMPORT, actor=actor,
                               at=at))
    return statements
