"""bot/seats.py: (stored seats, what is said: bot/statements.py) -> what to write. No database.

Each intent is shown as one line, so a case reads as the change it makes:
`add`, `change` (the fields that change), `support` (a story backs a seat) and `note` (an
entry in /changes and /lineup history). Stored seats have ids 1, 2, …; seats made by the
decision have refs -1, -2, … until storage gives them ids."""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import UTC, datetime

import pytest

from bot.models import (
    Article,
    Extraction,
    LineupEntry,
    Move,
    MoveKind,
    Seat,
    SeatOrigin,
    Source,
    Status,
    Story,
)
from bot.seats import (
    AddSeat,
    ChangeSeat,
    Known,
    Note,
    Outcome,
    SeatDecision,
    Slot,
    Support,
    decide,
    needs,
)
from bot.statements import (
    Fill,
    Remove,
    SetLineup,
    SetStandIn,
    Statement,
    entry_list_statements,
    extraction_statements,
    move_statements,
)

AT = datetime(2024, 9, 1, 12, tzinfo=UTC)
SOURCE = Source(title="News", url="https://news.example/1", name="Racer", published=AT)
STORY = 9
AXR = "Action Express Racing"


def stored(seat_id: int, driver: str, team: str | None = AXR, car: str | None = "31",
           series: str | None = "IMSA", season: int = 2024, **more: object) -> Known:
    seat = Seat(id=seat_id, driver=driver, team=team, car=car, series=series, season=season,
                **more)  # type: ignore[arg-type]
    return Known(slot=Slot.of(series=series, season=season, car=car, team=team,
                              driver=driver), seat=seat)


def move(driver: str, kind: MoveKind = MoveKind.JOIN, **more: object) -> Move:
    values: dict[str, object] = {"team": AXR, "car": "31", "series": "IMSA", "season": 2024}
    values.update(more)
    return Move(driver=driver, kind=kind, **values)  # type: ignore[arg-type]


def said(move_: Move) -> list[Statement]:
    return move_statements(move_, story_id=STORY, series=move_.series,
                       season=move_.season or 2024, source=SOURCE, at=AT)


def where(seat: Seat) -> str:
    line = f"{seat.driver} · {seat.team} #{seat.car} · {seat.series} {seat.season}"
    if seat.status is Status.RUMOUR:
        line += " (rumour)"
    if seat.role:
        line += f" ({seat.role})"
    if seat.replaces:
        line += f" [stand-in for {seat.replaces}]"
    if seat.removed:
        line += " [removed]"
    return line


# What a change says: the fields a reader cares about, not the bookkeeping.
_QUIET = {"updated_at", "source", "story_id", "corrected_at"}


def shown(decision: SeatDecision) -> list[str]:
    lines = []
    for intent in decision.intents:
        if isinstance(intent, AddSeat):
            lines.append(f"add {intent.ref}: {where(intent.seat)}")
        elif isinstance(intent, ChangeSeat):
            before, after = intent.before.seat, intent.after.seat
            changed = [f"{f.name} {getattr(before, f.name)!s}->{getattr(after, f.name)!s}"
                       for f in fields(Seat) if f.name not in _QUIET
                       and getattr(before, f.name) != getattr(after, f.name)]
            lines.append(f"change {intent.ref}: {', '.join(changed) or 'source'}")
        elif isinstance(intent, Support):
            lines.append(f"support {intent.ref}: story {intent.story_id}")
        elif isinstance(intent, Note):
            detail = f" ({intent.detail})" if intent.detail else ""
            lines.append(f"note {intent.ref}: {intent.action.value} {intent.seat.driver}"
                         f" by {intent.actor}{detail}")
    return lines


ENDED = AT.isoformat(sep=" ")

MOVES = [
    ("a join fills a new seat", [], move("Jack Aitken"), [
        f"add -1: Jack Aitken · {AXR} #31 · IMSA 2024",
        "support -1: story 9",
        "note -1: fill Jack Aitken by rules"]),
    ("a rumour is a seat of its own, marked", [stored(1, "Pipo Derani")],
     move("Felipe Nasr", status=Status.RUMOUR), [
         f"add -1: Felipe Nasr · {AXR} #31 · IMSA 2024 (rumour)",
         "support -1: story 9",
         "note -1: rumour Felipe Nasr by rules"]),
    ("a rumour never overwrites a confirmed seat", [stored(1, "Pipo Derani", role="full-time")],
     move("Pipo Derani", status=Status.RUMOUR, role="endurance"), []),
    ("a confirmation confirms the rumoured seat",
     [stored(1, "Felipe Nasr", status=Status.RUMOUR)], move("Felipe Nasr", role="full-time"), [
         "change 1: role None->full-time, status rumour->confirmed",
         "note 1: confirm Felipe Nasr by rules",
         "support 1: story 9"]),
    ("the same seat said again is only more support", [stored(1, "Jack Aitken")],
     move("Jack Aitken"), [
         "change 1: source",
         "support 1: story 9"]),
    ("a car fills the driver's car-less seat in the team",
     [stored(1, "Sebastien Bourdais", team="Cadillac Racing", car=None)],
     move("Sébastien Bourdais", team="Cadillac Racing", car="01"), [
         "change 1: car None->01",
         "note 1: update Sebastien Bourdais by rules",
         "support 1: story 9"]),
    ("an ended seat taken again is reopened", [stored(1, "Jack Aitken", valid_to=AT)],
     move("Jack Aitken"), [
         f"change 1: valid_to {ENDED}->None",
         "note 1: reopen Jack Aitken by rules",
         "support 1: story 9"]),
    ("a leave ends the seats with the team from that season on",
     [stored(seat_id, "Renger van der Zande", team="Ganassi", car="01", season=season)
      for seat_id, season in ((1, 2023), (2, 2024), (3, 2025))],
     move("Renger van der Zande", MoveKind.LEAVE, team="Ganassi", car=None), [
         f"change 2: valid_to None->{ENDED}", "support 2: story 9",
         "note 2: end Renger van der Zande by rules",
         f"change 3: valid_to None->{ENDED}", "support 3: story 9",
         "note 3: end Renger van der Zande by rules"]),
    ("a rumoured departure ends nothing", [stored(1, "Scott Dixon", team="Ganassi", car="9")],
     move("Scott Dixon", MoveKind.RETIRE, status=Status.RUMOUR), []),
    ("a retirement ends every seat, whatever the team",
     [stored(1, "Scott Dixon", team="Ganassi", car="9", series="IndyCar"),
      stored(2, "Scott Dixon", team="Cadillac Racing", car="01")],
     move("Scott Dixon", MoveKind.RETIRE, team=None, car=None), [
         f"change 1: valid_to None->{ENDED}", "support 1: story 9",
         "note 1: end Scott Dixon by rules",
         f"change 2: valid_to None->{ENDED}", "support 2: story 9",
         "note 2: end Scott Dixon by rules"]),
    ("an arrival's from-team ends the old seat in the same series only",
     [stored(1, "Tom Blomqvist", team="Meyer Shank Racing", car="60"),
      stored(2, "Tom Blomqvist", team="Meyer Shank Racing", car=None, series="IndyCar")],
     move("Tom Blomqvist", from_team="Meyer Shank Racing"), [
         f"add -1: Tom Blomqvist · {AXR} #31 · IMSA 2024", "support -1: story 9",
         "note -1: fill Tom Blomqvist by rules",
         f"change 1: valid_to None->{ENDED}", "support 1: story 9",
         "note 1: end Tom Blomqvist by rules"]),
    ("a replacement that is not full-time is a stand-in: the regular keeps the seat",
     [stored(1, "Pipo Derani")], move("Louis Deletraz", MoveKind.REPLACE, replaces="Pipo Derani"),
     [f"add -1: Louis Deletraz · {AXR} #31 · IMSA 2024 [stand-in for Pipo Derani]",
      "support -1: story 9", "note -1: fill Louis Deletraz by rules"]),
    ("a full-time replacement ends the replaced driver's seat",
     [stored(1, "Scott Dixon", team="Ganassi", car="9", series="IndyCar", season=2025)],
     move("Alex Palou", MoveKind.REPLACE, team="Ganassi", car="9", series="IndyCar",
          season=2025, replaces="Scott Dixon", role="full-time"), [
         "add -1: Alex Palou · Ganassi #9 · IndyCar 2025 (full-time) [stand-in for Scott Dixon]",
         "support -1: story 9", "note -1: fill Alex Palou by rules",
         f"change 1: valid_to None->{ENDED}", "support 1: story 9",
         "note 1: end Scott Dixon by rules"]),
    ("the regular driver back: the stand-in steps down",
     [stored(1, "Pipo Derani", story_id=STORY, source=SOURCE),
      stored(2, "Louis Deletraz", replaces="Pipo Derani")],
     move("Pipo Derani"), [
         "support 1: story 9",
         f"change 2: valid_to None->{ENDED}",
         "note 2: end Louis Deletraz by rules (Pipo Derani is back)"]),
    ("a moderator's seat is not the articles' to change",
     [stored(1, "Jack Aitken", origin=SeatOrigin.MODERATOR, corrected_by="mod")],
     move("Jack Aitken", role="endurance"), []),
    ("nor to end", [stored(1, "Jack Aitken", origin=SeatOrigin.MODERATOR)],
     move("Jack Aitken", MoveKind.LEAVE), []),
    ("a moderator's removal keeps the driver out of the car, whatever the team",
     [stored(1, "Kamui Kobayashi", team=None, car="7", series="WEC", season=2025,
             origin=SeatOrigin.MODERATOR, removed=True)],
     move("Kamui Kobayashi", team="Toyota", car="7", series="WEC", season=2025), []),
]


@pytest.mark.parametrize(("why", "state", "move_", "expected"), MOVES,
                         ids=[case[0] for case in MOVES])
def test_what_a_move_does_to_the_seats(why: str, state: list[Known], move_: Move,
                                       expected: list[str]) -> None:
    assert shown(decide(state, said(move_))) == expected


def test_each_claim_sees_what_the_claims_before_it_changed() -> None:
    # a stand-in named early in an article steps down when the regular returns later in it
    statements = said(move("Louis Deletraz", MoveKind.REPLACE, replaces="Pipo Derani")) + said(
        move("Pipo Derani"))
    assert shown(decide([], statements))[-2:] == [
        f"change -1: valid_to None->{ENDED}",
        "note -1: end Louis Deletraz by rules (Pipo Derani is back)"]


def test_an_entry_list_takes_over_the_articles_seats_but_not_a_moderators() -> None:
    state = [stored(1, "Pipo Derani"), stored(2, "Jack Aitken", origin=SeatOrigin.MODERATOR)]
    rows = [LineupEntry(driver=driver, team=AXR, car="31", series="IMSA", season=2024)
            for driver in ("Pipo Derani", "Jack Aitken", "Tom Blomqvist")]
    decision = decide(state, entry_list_statements(rows, actor="import", at=AT))
    assert [r.outcome for r in decision.results] == [Outcome.UPDATED, Outcome.SKIPPED,
                                                     Outcome.ADDED]
    assert shown(decision)[:2] == ["change 1: origin rules->import",
                                   "note 1: update Pipo Derani by import"]
    with pytest.raises(ValueError, match="need a series and a season"):
        entry_list_statements([LineupEntry(driver="X", car="1", season=2024)], actor="i", at=AT)


MODERATORS = [
    ("a lineup set keeps the car's team and removes the others",
     [stored(1, "Pipo Derani"), stored(2, "Jack Aitken"), stored(3, "Tom Blomqvist")],
     SetLineup(car="#31", series="IMSA", season=2024, drivers=("Pipo Derani", "Felipe Nasr"),
               moderator="anna", at=AT), [
         "change 1: origin rules->moderator, corrected_by None->anna",
         "note 1: set Pipo Derani by anna",
         f"add -1: Felipe Nasr · {AXR} #31 · IMSA 2024",
         "note -1: set Felipe Nasr by anna",
         "change 2: origin rules->moderator, removed False->True, corrected_by None->anna",
         "note 2: remove Jack Aitken by anna",
         "change 3: origin rules->moderator, removed False->True, corrected_by None->anna",
         "note 3: remove Tom Blomqvist by anna"]),
    ("a removal of a driver not yet seated is recorded, for articles to respect", [],
     Remove(car="7", series="WEC", season=2025, driver="Kamui Kobayashi", moderator="ben",
            at=AT), [
         "add -1: Kamui Kobayashi · None #7 · WEC 2025 [removed]",
         "note -1: remove Kamui Kobayashi by ben"]),
    ("a stand-in joins the regular driver's team", [stored(1, "Pipo Derani")],
     SetStandIn(car="31", series="IMSA", season=2024, driver="Jack Aitken",
                replaces="Pipo Derani", races="Watkins Glen", moderator="mod", at=AT), [
         f"add -1: Jack Aitken · {AXR} #31 · IMSA 2024 [stand-in for Pipo Derani]",
         "note -1: set Jack Aitken by mod"]),
]


@pytest.mark.parametrize(("why", "state", "statement", "expected"), MODERATORS,
                         ids=[case[0] for case in MODERATORS])
def test_a_moderators_correction(why: str, state: list[Known], statement: Statement,
                                 expected: list[str]) -> None:
    assert shown(decide(state, [statement])) == expected


def test_a_removal_says_whether_a_seat_was_open() -> None:
    removal = Remove(car="31", series="IMSA", season=2024, driver="jack aitken",
                     moderator="ben", at=AT)
    [done] = decide([stored(1, "Jack Aitken")], [removal]).results
    [again] = decide([stored(1, "Jack Aitken", removed=True,
                            origin=SeatOrigin.MODERATOR)], [removal]).results
    assert (done.outcome, again.outcome) == (Outcome.REMOVED, Outcome.RECORDED)


@pytest.mark.parametrize(("statement", "message"), [
    (SetLineup(car="", series="IMSA", season=2024, drivers=("A",), moderator="m", at=AT),
     "not a car number"),
    (SetLineup(car="31", series="", season=2024, drivers=("A",), moderator="m", at=AT),
     "needs a series"),
    (Remove(car="31", series="IMSA", season=2024, driver="", moderator="m", at=AT),
     "needs a car number and a driver"),
])
def test_a_correction_names_its_seat(statement: Statement, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        decide([], [statement])


def test_an_articles_claims_and_what_they_need() -> None:
    article = Article(entry_id="a", title="Blomqvist to Cadillac", url="https://n.example/a",
                      series="IMSA", published=datetime(2023, 10, 19, tzinfo=UTC))
    joins = Move(driver="Tom Blomqvist", kind=MoveKind.JOIN, team=AXR, car="31",
                 from_team="Meyer Shank Racing")
    story = Story(id=5, move=joins, summary="")
    extraction = Extraction(moves=(joins,), lineup=(LineupEntry(driver="Pipo Derani", car="31"),))
    statements = extraction_statements(article, extraction, [story], AT)
    # a move without a season counts for the article's year; a lineup line takes the series
    # of the article and the team of the story it belongs to
    fills = [c for c in statements if isinstance(c, Fill)]
    assert [(f.driver, f.team, f.series, f.season, f.story_id) for f in fills] == [
        ("Tom Blomqvist", AXR, "IMSA", 2023, 5), ("Pipo Derani", AXR, "IMSA", 2023, 5)]
    query = needs(statements)
    assert query.driver_seasons == {("tom blomqvist", 2023), ("pipo derani", 2023)}
    assert query.drivers_from == (("tom blomqvist", 2023),)
    assert query.team_seasons == {("action express racing", 2023)}
    assert replace(fills[0], at=AT).source == article.as_source()
