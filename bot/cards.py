"""How stories, seats and changes look: neutral cards and alerts that every adapter renders
its own way. Pure functions of domain data."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime

from bot.messages import PLAIN_MARK, STATUS_MARK, Alert, Card, CardField
from bot.models import (
    Destination,
    DestinationKind,
    LineupChange,
    Move,
    Seat,
    SeatOrigin,
    Status,
    Story,
)
from bot.ports import Gazetteer

_LONG_AGO = datetime.min.replace(tzinfo=UTC)


def move_fields(move: Move) -> tuple[CardField, ...]:
    pairs = [
        ("Team", move.team),
        ("Car", f"#{move.car}" if move.car else None),
        ("Series", move.series),
        ("Season", str(move.season) if move.season else None),
        ("Role", move.role),
        ("From", move.from_team),
        ("Replaces", move.replaces),
        ("Teammates", ", ".join(move.teammates) if move.teammates else None),
    ]
    return tuple(CardField(name=name, value=value) for name, value in pairs if value)


def denial_line(story: Story) -> str | None:
    """The line "Denied by <source>: <what it said>" of a story a later article denied."""
    denial = story.denied_by
    if denial is None:
        return None
    return f"Denied by {denial.name or 'a later report'}: {denial.title}"


def story_card(story: Story, gazetteer: Gazetteer | None = None) -> Card:
    move = story.move
    source = story.source
    denied = denial_line(story)
    footer_bits = [STATUS_MARK[Status.DENIED if denied else move.status]]
    if source and source.name:
        footer_bits.append(source.name)
    also = [name for name in story.also_reported_by if not source or name != source.name]
    if also:
        footer_bits.append(f"also reported by {', '.join(also)}")
    description = source.title if source else None
    if denied:  # the denial first: it is what a reader must not miss
        description = f"{denied}\n{description}" if description else denied
    return Card(
        title=story.summary,
        description=description,
        fields=move_fields(move),
        url=source.url if source else None,
        colour=gazetteer.team_colour(move.team) if gazetteer and move.team else None,
        footer=" · ".join(footer_bits),
        timestamp=(source.published if source and source.published else story.updated_at),
        status=Status.DENIED if denied else move.status,
    )


def render_alert(story: Story, destination: Destination,
                 gazetteer: Gazetteer | None = None, *,
                 mentions: tuple[str, ...] = (), key: str | None = None,
                 resend: bool = False, reply_to: str | None = None,
                 edit_of: str | None = None) -> Alert:
    """The story as an alert for one destination; a channel post names `mentions`."""
    if destination.kind is DestinationKind.MENTION and destination.user:
        mentions = tuple(dict.fromkeys((*mentions, destination.user)))
    return Alert(
        story_id=story.id,
        revision=story.revision,
        card=story_card(story, gazetteer),
        text=(f"{denial_line(story)} ({story.summary})" if story.denied_by
              else f"{PLAIN_MARK[story.move.status]}{story.summary}"),
        destination=destination,
        mention_users=mentions if destination.kind is not DestinationKind.DM else (),
        key=key,
        resend=resend,
        reply_to=reply_to,
        edit_of=edit_of,
    )


def by_series_and_season(seats: Sequence[Seat]
                         ) -> list[tuple[tuple[str | None, int], list[Seat]]]:
    """Seats grouped per series and season: series A to Z, newest season first."""
    groups: dict[tuple[str | None, int], list[Seat]] = defaultdict(list)
    for seat in seats:
        groups[(seat.series, seat.season or 0)].append(seat)
    return sorted(groups.items(), key=lambda kv: (str(kv[0][0]), -kv[0][1]))


def _status_word(status: Status) -> str:
    return "rumour" if status is Status.RUMOUR else "confirmed"


def seats_card(title: str, seats: Sequence[Seat], series: str | None, season: str, *,
               with_car: bool = False) -> Card:
    """One series and season of a car's or a team's lineup, with who said so."""
    lines = []
    for seat in seats:
        bits = [f"#{seat.car} {seat.driver}" if with_car and seat.car else seat.driver]
        if seat.role:
            bits.append(seat.role)
        if seat.stand_in:
            bits.append(f"stand-in for {seat.replaces}" + (f" ({seat.races})" if seat.races
                                                           else ""))
        bits.append(_status_word(seat.status))
        if seat.corrected_by:
            bits.append(f"set by {seat.corrected_by}")
        elif seat.source and seat.source.name:
            bits.append(f"source: {seat.source.name}")
        lines.append(" · ".join(bits))
    sources = sorted((s for s in seats if s.source), key=lambda s: s.updated_at or _LONG_AGO,
                     reverse=True)
    latest = sources[0].source if sources else None
    return Card(
        title=title,
        description="\n".join(lines),
        fields=tuple(CardField(name=n, value=v) for n, v in (("Series", series),
                                                               ("Season", season)) if v),
        url=latest.url if latest else None,
        footer=f"Latest source: {latest.title}" if latest else None,
    )


def car_cards(car: str, seats: Sequence[Seat], this_year: int) -> tuple[Card, ...]:
    """/lineup <car>: a card per series and season."""
    cards = []
    for (series, season), group in by_series_and_season(seats):
        teams = sorted({s.team for s in group if s.team})
        upcoming = " (next season)" if season > this_year else ""
        cards.append(seats_card(f"#{car} · {' / '.join(teams) or 'team unknown'}", group,
                                series, f"{season}{upcoming}"))
    return tuple(cards)


def team_cards(team: str, seats: Sequence[Seat]) -> tuple[Card, ...]:
    """/lineup team:<team>, /team: a card per series and season, cars in order."""
    return tuple(
        seats_card(team, sorted(group, key=lambda s: (s.car or "", s.driver)), series,
                   str(season), with_car=True)
        for (series, season), group in by_series_and_season(seats))


def change_line(change: LineupChange) -> str:
    where = " ".join(x for x in (change.series, str(change.season),
                                 f"#{change.car}" if change.car else None, change.team) if x)
    # articles and entry lists are their own actors; anyone else is a moderator
    who = "" if change.actor in (SeatOrigin.RULES, SeatOrigin.IMPORT) else f" by {change.actor}"
    source = f" ({change.source.name})" if change.source and change.source.name else ""
    rumour = f" ({_status_word(change.status)})" if change.status is Status.RUMOUR else ""
    # The news date when an article made the change; the day it was made otherwise.
    when = change.source.published if change.source and change.source.published else change.at
    return (f"{when.date().isoformat()} {change.action.value} {change.driver}{rumour} · "
            f"{where}{who}{source}")


def changes_card(title: str, changes: Sequence[LineupChange]) -> Card:
    return Card(title=title, description="\n".join(change_line(c) for c in changes))


def _story_mark(story: Story) -> str | None:
    """How a line naming the story marks it: denied (and by whom), a rumour, or nothing."""
    if story.denied_by is not None:
        return f"{STATUS_MARK[Status.DENIED]} by {story.denied_by.name or 'a later report'}"
    return "rumour" if story.move.status is Status.RUMOUR else None


def driver_card(driver: str, seats: Sequence[Seat], stories: Sequence[Story]) -> Card:
    """/driver: the driver's seats in every series, and their latest moves. A seat that
    only stories shown as denied support says so too."""
    denied = {story.id for story in stories if story.denied_by is not None}
    seat_lines = [
        " · ".join(str(x) for x in (s.series, s.season, s.team, f"#{s.car}" if s.car else None,
                                    s.role, "rumour" if s.status is Status.RUMOUR else None,
                                    "denied" if s.story_ids and denied.issuperset(s.story_ids)
                                    else None)
                   if x)
        for s in seats
    ]
    move_lines = []
    for story in stories:
        when = story.source.published if story.source and story.source.published else \
            story.first_seen
        day = when.date().isoformat() if when else "?"
        source = f" ({story.source.name})" if story.source and story.source.name else ""
        mark = _story_mark(story)
        move_lines.append(f"{day} {story.summary}{source}" + (f" · {mark}" if mark else ""))
    fields = []
    if seat_lines:
        fields.append(CardField(name="Seats", value="\n".join(seat_lines), inline=False))
    if move_lines:
        fields.append(CardField(name="Recent moves", value="\n".join(move_lines),
                                inline=False))
    return Card(title=driver, fields=tuple(fields))
