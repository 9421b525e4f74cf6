"""Issue 6: a story over two seasons and the exact answers after each step."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.models import (
    ChangeAction,
    Extraction,
    LineupChange,
    LineupEntry,
    Move,
    MoveKind,
    Seat,
    SeatOrigin,
    Status,
)
from storage import SqlStore
from tests.storage.helpers import article, blomqvist_extraction

AXR = "Action Express Racing"


def show(seats: list[Seat]) -> list[str]:
    lines = []
    for seat in seats:
        line = f"{seat.series} {seat.season} #{seat.car} {seat.team}: {seat.driver}"
        if seat.role:
            line += f" ({seat.role})"
        if seat.status is Status.RUMOUR:
            line += " [rumour]"
        if seat.replaces:
            line += f" [stand-in for {seat.replaces}{': ' + seat.races if seat.races else ''}]"
        if seat.origin is SeatOrigin.MODERATOR:
            line += f" [set by {seat.corrected_by}]"
        lines.append(line)
    return lines


def events(changes: list[LineupChange]) -> list[str]:
    return [f"{c.action.value} {c.driver} {c.season} by {c.actor}" for c in changes]


class Newsroom:
    def __init__(self, store: SqlStore) -> None:
        self.store = store
        self.count = 0

    async def publish(self, title: str, published: datetime, *moves: Move,
                      lineup: tuple[LineupEntry, ...] = ()) -> None:
        feed = await self.store.add_feed("https://sportscar.example/rss")
        self.count += 1
        [new] = await self.store.add_articles(feed.id, [article(
            f"a{self.count}", title, published=published)])
        await self.store.record_extraction(new, Extraction(
            moves=moves, lineup=lineup, summaries=tuple(title for _ in moves)))


def day(year: int, month: int, date: int) -> datetime:
    return datetime(year, month, date, 12, tzinfo=UTC)


async def test_two_seasons_of_car_31(store: SqlStore) -> None:
    news = Newsroom(store)
    start = datetime.now(UTC)

    # 1. the Blomqvist article: three drivers in the car for 2024
    feed = await store.add_feed("https://sportscar.example/rss")
    [first] = await store.add_articles(feed.id, [article(
        "blomqvist", "Tom Blomqvist will join Cadillac", published=day(2023, 10, 19))])
    await store.record_extraction(first, blomqvist_extraction())
    assert show(await store.lineup("31")) == [
        f"IMSA 2024 #31 {AXR}: Jack Aitken",
        f"IMSA 2024 #31 {AXR}: Pipo Derani",
        f"IMSA 2024 #31 {AXR}: Tom Blomqvist (endurance)",
    ]

    # 2. a stand-in for one race: Derani keeps his seat, Deletraz is shown beside him
    await news.publish("Deletraz subs for Derani at Sebring", day(2024, 3, 1), Move(
        driver="Louis Deletraz", kind=MoveKind.REPLACE, team=AXR, car="31", series="IMSA",
        season=2024, replaces="Pipo Derani"))
    assert show(await store.lineup("31", series="IMSA", season=2024)) == [
        f"IMSA 2024 #31 {AXR}: Jack Aitken",
        f"IMSA 2024 #31 {AXR}: Pipo Derani",
        f"IMSA 2024 #31 {AXR}: Tom Blomqvist (endurance)",
        f"IMSA 2024 #31 {AXR}: Louis Deletraz [stand-in for Pipo Derani]",
    ]

    # the same number in another series is another car
    await news.publish("WRT keeps Gelael in the 31", day(2024, 1, 10), Move(
        driver="Sean Gelael", kind=MoveKind.EXTEND, team="Team WRT", car="31", series="WEC",
        season=2024))
    assert show(await store.lineup("31", series="WEC")) == [
        "WEC 2024 #31 Team WRT: Sean Gelael"]
    assert {s.series for s in await store.lineup("31")} == {"IMSA", "WEC"}

    # 3. season two: Derani stays, Aitken leaves, a rumour about Nasr
    await news.publish("Derani extends with Action Express", day(2024, 9, 1), Move(
        driver="Pipo Derani", kind=MoveKind.EXTEND, team=AXR, car="31", series="IMSA",
        season=2025, role="full-time"))
    await news.publish("Aitken leaves Action Express", day(2024, 9, 2), Move(
        driver="Jack Aitken", kind=MoveKind.LEAVE, team=AXR, series="IMSA", season=2025))
    await news.publish("Nasr linked with the 31", day(2024, 9, 3), Move(
        driver="Felipe Nasr", kind=MoveKind.JOIN, team=AXR, car="31", series="IMSA",
        season=2025, status=Status.RUMOUR))
    assert show(await store.lineup("31", series="IMSA")) == [
        f"IMSA 2025 #31 {AXR}: Pipo Derani (full-time)",
        f"IMSA 2025 #31 {AXR}: Felipe Nasr [rumour]",
    ]
    # the 2024 answer is untouched by the 2025 departure
    assert len(await store.lineup("31", series="IMSA", season=2024)) == 4

    # 4. the rumour is confirmed
    await news.publish("Nasr confirmed at Action Express", day(2024, 10, 1), Move(
        driver="Felipe Nasr", kind=MoveKind.JOIN, team=AXR, car="31", series="IMSA",
        season=2025, role="full-time"))
    assert show(await store.lineup("31", series="IMSA")) == [
        f"IMSA 2025 #31 {AXR}: Felipe Nasr (full-time)",
        f"IMSA 2025 #31 {AXR}: Pipo Derani (full-time)",
    ]
    [nasr] = [s for s in await store.lineup("31", series="IMSA") if
              s.driver == "Felipe Nasr"]
    assert nasr.source is not None and nasr.source.title == "Nasr confirmed at Action Express"
    assert len(nasr.story_ids) == 1
    [story] = await store.seat_stories(nasr.id)
    assert story.revision == 2 and story.move.status is Status.CONFIRMED

    # 5. a moderator corrects the 2025 lineup; articles no longer change it
    corrected = await store.set_lineup("#31", "IMSA", 2025,
                                       ["Pipo Derani", "Felipe Nasr", "Jack Aitken"],
                                       moderator="mod-anna")
    assert show(corrected) == [
        f"IMSA 2025 #31 {AXR}: Felipe Nasr (full-time) [set by mod-anna]",
        f"IMSA 2025 #31 {AXR}: Jack Aitken [set by mod-anna]",
        f"IMSA 2025 #31 {AXR}: Pipo Derani (full-time) [set by mod-anna]",
    ]
    await news.publish("Aitken out of Action Express again", day(2024, 11, 1), Move(
        driver="Jack Aitken", kind=MoveKind.LEAVE, team=AXR, series="IMSA", season=2025))
    await news.publish("Rumour: Deletraz to the 31", day(2024, 11, 2), Move(
        driver="Louis Deletraz", kind=MoveKind.JOIN, team=AXR, car="31", series="IMSA",
        season=2025, status=Status.RUMOUR))
    assert show(await store.lineup("31", series="IMSA")) == [
        *show(corrected),
        f"IMSA 2025 #31 {AXR}: Louis Deletraz [rumour]",
    ]
    assert await store.remove_from_lineup("31", "IMSA", 2025, "jack aitken",
                                          moderator="mod-ben")
    assert not await store.remove_from_lineup("31", "IMSA", 2025, "Jack Aitken",
                                              moderator="mod-ben")
    assert [s.driver for s in await store.lineup("31", series="IMSA")] == [
        "Felipe Nasr", "Pipo Derani", "Louis Deletraz"]
    # the plain Seat answer agrees, and shows who corrected it
    seats = await store.lineup("31", series="IMSA")
    assert [(s.driver, s.corrected_by) for s in seats] == [
        ("Felipe Nasr", "mod-anna"), ("Pipo Derani", "mod-anna"), ("Louis Deletraz", None)]

    # how the 2025 answer was reached, newest first
    history = await store.lineup_history("31", series="IMSA", season=2025)
    assert events(history) == [
        "remove Jack Aitken 2025 by mod-ben",
        "rumour Louis Deletraz 2025 by rules",
        "set Jack Aitken 2025 by mod-anna",
        "set Felipe Nasr 2025 by mod-anna",
        "set Pipo Derani 2025 by mod-anna",
        "confirm Felipe Nasr 2025 by rules",
        "rumour Felipe Nasr 2025 by rules",
        "fill Pipo Derani 2025 by rules",
    ]
    assert history[-1].source is not None
    assert history[-1].source.title == "Derani extends with Action Express"

    # what changed in IMSA since a date, by the news date, newest first: the moderators'
    # changes are today's news, the articles' are 2023's and 2024's
    imsa = await store.changes("IMSA", since=day(2023, 1, 1), limit=100)
    assert events(imsa)[:4] == [
        "remove Jack Aitken 2025 by mod-ben", "set Jack Aitken 2025 by mod-anna",
        "set Felipe Nasr 2025 by mod-anna", "set Pipo Derani 2025 by mod-anna"]
    assert events(imsa)[4] == "rumour Louis Deletraz 2025 by rules"  # news of 2024-11-02
    assert "end Jack Aitken 2025 by rules" not in events(imsa)  # 2025 seat never existed
    assert all(c.series == "IMSA" for c in imsa)
    assert {c.actor for c in await store.changes("IMSA", since=start, limit=100)} == {
        "mod-anna", "mod-ben"}
    assert events(await store.changes("WEC", since=day(2023, 1, 1))) == [
        "fill Sean Gelael 2024 by rules"]
    assert await store.changes("WEC", since=start) == []  # 2024 news read today
    assert await store.changes("IMSA", since=datetime.now(UTC)) == []
    assert events(await store.changes(driver="Louis Deletraz")) == [
        "rumour Louis Deletraz 2025 by rules", "fill Louis Deletraz 2024 by rules"]
    assert len(await store.changes(team="action express racing", limit=3)) == 3

    # /driver: current seats in every series
    assert show(await store.driver_seats("pipo derani")) == [
        f"IMSA 2025 #31 {AXR}: Pipo Derani (full-time) [set by mod-anna]"]
    assert show(await store.driver_seats("sean gelael")) == [
        "WEC 2024 #31 Team WRT: Sean Gelael"]


async def test_a_full_time_replacement_ends_the_old_seat(store: SqlStore) -> None:
    news = Newsroom(store)
    await news.publish("Dixon in the 9", day(2024, 1, 1), Move(
        driver="Scott Dixon", kind=MoveKind.JOIN, team="Ganassi", car="9", series="IndyCar",
        season=2025))
    await news.publish("Palou replaces Dixon for good", day(2024, 9, 1), Move(
        driver="Alex Palou", kind=MoveKind.REPLACE, team="Ganassi", car="9",
        series="IndyCar", season=2025, replaces="Scott Dixon", role="full-time"))
    assert show(await store.lineup("9")) == [
        "IndyCar 2025 #9 Ganassi: Alex Palou (full-time) [stand-in for Scott Dixon]"]


async def test_moderator_removal_before_any_article_sticks(store: SqlStore) -> None:
    news = Newsroom(store)
    assert not await store.remove_from_lineup("7", "WEC", 2025, "Kamui Kobayashi",
                                              moderator="mod")
    await news.publish("Kobayashi in the 7", day(2024, 12, 1), Move(
        driver="Kamui Kobayashi", kind=MoveKind.JOIN, team="Toyota", car="7", series="WEC",
        season=2025))
    assert await store.lineup("7", series="WEC", season=2025) == []
    # until a moderator puts him back
    await store.set_lineup("7", "WEC", 2025, ["Kamui Kobayashi"], moderator="mod",
                           team="Toyota")
    assert [s.driver for s in await store.lineup("7")] == ["Kamui Kobayashi"]


async def test_team_lineup_and_accents(store: SqlStore) -> None:
    await store.import_lineup([
        LineupEntry(driver="Sébastien Buemi", team="Toyota Gazoo Racing", car="8",
                    series="WEC", season=2025, role="full-time"),
        LineupEntry(driver="Brendon Hartley", team="Toyota Gazoo Racing", car="8",
                    series="WEC", season=2025),
        LineupEntry(driver="Kamui Kobayashi", team="Toyota Gazoo Racing", car="7",
                    series="WEC", season=2025),
    ])
    assert show(await store.team_lineup("TOYOTA GAZOO RACING")) == [
        "WEC 2025 #7 Toyota Gazoo Racing: Kamui Kobayashi",
        "WEC 2025 #8 Toyota Gazoo Racing: Brendon Hartley",
        "WEC 2025 #8 Toyota Gazoo Racing: Sébastien Buemi (full-time)",
    ]
    [buemi] = await store.driver_seats("sebastien buemi")
    assert buemi.origin is SeatOrigin.IMPORT and buemi.driver == "Sébastien Buemi"
    assert [c.action for c in await store.changes(driver="Sebastien Buemi")] == [
        ChangeAction.FILL]


async def test_stand_ins_step_down_when_the_regular_driver_returns(store: SqlStore) -> None:
    news = Newsroom(store)
    await news.publish("Derani in the 31", day(2024, 1, 1), Move(
        driver="Pipo Derani", kind=MoveKind.JOIN, team=AXR, car="31", series="IMSA",
        season=2024))
    await news.publish("Deletraz subs for Derani", day(2024, 3, 1), Move(
        driver="Louis Deletraz", kind=MoveKind.REPLACE, team=AXR, car="31", series="IMSA",
        season=2024, replaces="Pipo Derani"))
    assert [s.driver for s in await store.lineup("31")] == ["Pipo Derani",
                                                                    "Louis Deletraz"]
    await news.publish("Derani back for Laguna Seca", day(2024, 4, 1), Move(
        driver="Pipo Derani", kind=MoveKind.JOIN, team=AXR, car="31", series="IMSA",
        season=2024))
    assert [s.driver for s in await store.lineup("31")] == ["Pipo Derani"]
    [ended] = await store.changes(driver="Louis Deletraz", limit=1)
    assert ended.action is ChangeAction.END and ended.detail == "Pipo Derani is back"

    # a moderator's stand-in names the races and is not ended by articles
    seat = await store.set_stand_in("31", "IMSA", 2024, "Jack Aitken", replaces="Pipo Derani",
                                    races="Watkins Glen", moderator="mod")
    assert (seat.team, seat.replaces, seat.races, seat.corrected_by) == (
        AXR, "Pipo Derani", "Watkins Glen", "mod")
    await news.publish("Derani back again", day(2024, 7, 1), Move(
        driver="Pipo Derani", kind=MoveKind.EXTEND, team=AXR, car="31", series="IMSA",
        season=2024))
    assert show(await store.lineup("31")) == [
        f"IMSA 2024 #31 {AXR}: Pipo Derani",
        f"IMSA 2024 #31 {AXR}: Jack Aitken [stand-in for Pipo Derani: Watkins Glen] "
        "[set by mod]",
    ]
