"""Commands fans cannot trip over: team aliases, unquoted team names, /lineup-set's driver
resolution, /changes spans and news dates, and /driver's in-memory name index."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

import storage
from bot.commands import Commands, context
from bot.messages import CommandCall
from bot.models import Article, Extraction, LineupEntry, Move, MoveKind, TargetKind, utcnow
from bot.rules import gazetteer
from storage.errors import TransientStorageError
from tests.bot.test_commands import FAN, MOD, say, seed_blomqvist


async def seed_move(store, driver: str, team: str, car: str, *, published: datetime,
                    entry: str, series: str = "IMSA", season: int = 2024) -> None:
    """An article saying `driver` joins `team` in `car`, published on `published`."""
    feed = await store.add_feed(f"https://{entry}.example/rss")
    [stored] = await store.add_articles(feed.id, [Article(
        entry_id=entry, title=f"{driver} joins {team}", url=f"https://{entry}.example/1",
        source="Wire", published=published)])
    move = Move(driver=driver, kind=MoveKind.JOIN, team=team, car=car, series=series,
                season=season)
    await store.record_extraction(stored, Extraction(
        moves=(move,), lineup=(LineupEntry(driver=driver, team=team, car=car, series=series,
                                           season=season),),
        summaries=(f"{driver} → {team} #{car}",)))


# ----- team names --------------------------------------------------------------------------


async def test_team_is_found_through_the_gazetteers_aliases_and_makers(commands, store):
    await seed_blomqvist(store)  # stored as "Action Express Racing"
    for typed in ("/team Cadillac", "/team AXR", "/team action express", "/team Whelen"):
        reply = await say(commands, typed)
        assert not reply.error and reply.text == "Lineup of Action Express Racing", typed
        assert "Tom Blomqvist" in reply.plain()


async def test_a_maker_of_two_teams_we_hold_is_a_question_back(commands, store):
    await seed_blomqvist(store)
    await seed_move(store, "Filipe Albuquerque", "Wayne Taylor Racing", "10",
                    published=utcnow(), entry="wtr")
    reply = await say(commands, "/team Cadillac")
    assert reply.text == "Which team? Action Express Racing or Wayne Taylor Racing"
    # a team's own alias is closer than a maker's name: no question
    assert (await say(commands, "/team WTR")).text == "Lineup of Wayne Taylor Racing"


async def test_a_mistyped_team_is_a_did_you_mean(commands, store):
    # a team the gazetteer knows, with no news yet
    for typed in ("/team Hass", "/lineup team:Hass"):
        reply = await say(commands, typed)
        assert reply.text == "I don't know a team called 'Hass'. Did you mean Haas?", typed
    assert (await say(commands, "/team Haas")).text == "No lineup known yet for Haas."
    # a team we hold news of, and one only the articles know
    await seed_move(store, "Esteban Ocon", "Haas", "31", published=utcnow(), entry="haas",
                    series="F1", season=2025)
    await seed_move(store, "Ann Bee", "Qwertzuiop Racing", "7", published=utcnow(),
                    entry="qwe")
    fresh = Commands(store, gazetteer=gazetteer())
    assert (await say(fresh, "/team Hass")).text == (
        "I don't know a team called 'Hass'. Did you mean Haas?")
    assert (await say(fresh, "/team Haas")).text == "Lineup of Haas"
    assert (await say(fresh, "/team Qwertzuiop Racng")).text == (
        "I don't know a team called 'Qwertzuiop Racng'. Did you mean Qwertzuiop Racing?")
    assert (await say(fresh, "/team qwertzuiop racing")).text == "Lineup of Qwertzuiop Racing"
    # nothing like any team: no guess
    assert (await say(fresh, "/team Zzyzx Motorsport")).text == (
        "No lineup known yet for Zzyzx Motorsport.")


async def test_team_option_takes_its_words_without_quotes(commands, store):
    await seed_blomqvist(store)
    reply = await say(commands, "/lineup team:Action Express Racing")
    assert not reply.error and reply.text == "Lineup of Action Express Racing"
    # a series and season after the name narrow it, as with quotes
    reply = await say(commands, "/lineup team:Action Express Racing IMSA 2024")
    assert reply.text == "Lineup of Action Express Racing" and "Pipo Derani" in reply.plain()
    assert "No lineup known yet" in (await say(commands, "/lineup team:AXR F1")).text
    assert "No lineup known yet" in (await say(commands, "/lineup team:Cadillac 2023")).text
    reply = await say(commands, "/lineup IMSA 2024 team:Cadillac")
    assert reply.text == "Lineup of Action Express Racing"


# ----- /lineup-set -------------------------------------------------------------------------


async def test_lineup_set_resolves_each_name_and_says_what_it_read(commands, store):
    await seed_blomqvist(store)
    reply = await say(commands, "/lineup-set 5 IMSA 2024 derani, aitkn", **MOD)
    assert not reply.error
    assert "Jack Aitken, Pipo Derani" in reply.text
    assert "derani → Pipo Derani" in reply.text and "aitkn → Jack Aitken" in reply.text
    assert {s.driver for s in await store.lineup("5", series="IMSA", season=2024)} == {
        "Pipo Derani", "Jack Aitken"}


async def test_lineup_set_says_which_names_it_did_not_know(commands, store):
    await seed_blomqvist(store)
    reply = await say(commands, "/lineup-set 5 IMSA 2024 Blomqvist, Zoltan Quernheim", **MOD)
    assert "New to me (check the spelling): Zoltan Quernheim." in reply.text
    assert "Tom Blomqvist" in reply.text
    # learned: /driver finds the new name at once
    assert (await say(commands, "/driver quernheim")).plain().startswith("Zoltan Quernheim")


async def test_lineup_set_refuses_names_glued_without_commas(commands, store):
    await seed_blomqvist(store)
    reply = await say(commands, "/lineup-set 6 IMSA 2024 Pipo Derani Jack Aitken", **MOD)
    assert reply.error
    assert "Is that 2 drivers (Pipo Derani, Jack Aitken)? Separate the drivers with commas" \
        in reply.text
    reply = await say(commands, "/lineup-set 6 IMSA 2024 Ann Bee Cee Dee Eff", **MOD)
    assert reply.error and "looks like several names" in reply.text
    assert await store.lineup("6", series="IMSA", season=2024) == []
    # one unknown two-word name is a name
    reply = await say(commands, "/lineup-set 6 IMSA 2024 Ann Bee", **MOD)
    assert not reply.error and "New to me (check the spelling): Ann Bee." in reply.text


async def test_lineup_set_asks_when_a_name_fits_several_drivers(commands, store):
    await seed_blomqvist(store)
    await seed_move(store, "Sebastian Blomqvist", "Cool Racing", "37", published=utcnow(),
                    entry="cool")
    reply = await say(commands, "/lineup-set 5 IMSA 2024 blomqvist, derani", **MOD)
    assert reply.error and "Which driver is 'blomqvist'?" in reply.text
    assert "Nothing was changed" in reply.text
    assert await store.lineup("5", series="IMSA", season=2024) == []


async def test_lineup_remove_resolves_the_driver_too(commands, store):
    await seed_blomqvist(store)
    reply = await say(commands, "/lineup-remove 31 IMSA 2024 blomqvst", **MOD)
    assert reply.text == "Removed Tom Blomqvist from #31 (IMSA 2024)."
    assert "Tom Blomqvist" not in {s.driver for s in await store.lineup("31", series="IMSA")}


# ----- /changes ----------------------------------------------------------------------------


async def test_changes_takes_spans_and_dates_without_a_series(commands, store):
    await seed_blomqvist(store)
    for typed in ("/changes 7d", "/changes 2w", "/changes 24h", "/changes 2024-05-01",
                  "/changes IMSA 7d", "/changes IMSA since:2w"):
        reply = await say(commands, typed)
        assert not reply.error, (typed, reply.text)
        assert "Tom Blomqvist" in reply.plain(), typed
    reply = await say(commands, "/changes 2999-01-01")
    assert reply.text == "No lineup changes since then."
    reply = await say(commands, "/changes IMSA soon")
    assert reply.error and "since is a date (2024-05-01) or a span" in reply.text


async def test_changes_and_history_show_the_news_date(commands, store):
    await seed_move(store, "Jordan Taylor", "Corvette Racing", "3",
                    published=datetime(2023, 3, 14, 9, tzinfo=UTC), entry="old")
    await say(commands, "/lineup-set 3 IMSA 2024 Jordan Taylor, Nick Tandy", **MOD)
    today = utcnow().date().isoformat()
    for typed in ("/changes", "/lineup-history 3"):
        lines = (await say(commands, typed)).plain().splitlines()
        [fill] = [line for line in lines if " fill " in line]
        assert fill.startswith("2023-03-14 fill Jordan Taylor"), typed  # the article's day
        [added] = [line for line in lines if "Nick Tandy" in line]
        assert added.startswith(today), typed  # a moderator's change: the day it was made


async def test_changes_since_goes_by_the_news_date_not_the_day_it_was_recorded(
        commands, store):
    # both recorded today; one is 2023 news
    await seed_move(store, "Jordan Taylor", "Corvette Racing", "3",
                    published=datetime(2023, 3, 14, 9, tzinfo=UTC), entry="old")
    await seed_move(store, "Nick Tandy", "Porsche Penske Motorsport", "6",
                    published=utcnow(), entry="new")
    for typed in ("/changes 7d", "/changes IMSA 7d", "/changes 2023-04-01"):
        shown = (await say(commands, typed)).plain()
        assert "Nick Tandy" in shown and "Jordan Taylor" not in shown, typed
    lines = (await say(commands, "/changes 2023-03-01")).plain().splitlines()
    fills = [line for line in lines if " fill " in line]
    assert [line.split(" fill ")[1].split(" · ")[0] for line in fills] == [
        "Nick Tandy", "Jordan Taylor"]  # newest news first
    assert fills[1].startswith("2023-03-14")
    assert (await say(commands, "/changes 2023-03-15")).plain().count(" fill ") == 1


# ----- /driver's name index ----------------------------------------------------------------


@pytest.fixture
def count_reads(store, monkeypatch):
    reads: list[TargetKind] = []
    real = store.known_names

    async def counted(kind: TargetKind) -> list[str]:
        reads.append(kind)
        return await real(kind)
    monkeypatch.setattr(store, "known_names", counted)
    return reads


async def test_driver_answers_from_memory_not_a_table_read_per_call(commands, store,
                                                                    count_reads):
    await seed_blomqvist(store)
    for typed in ("/driver blomqvist", "/driver Pipo Derani", "/driver aitkn",
                  "/driver blomqvst", "/driver blomqvist tom"):
        reply = await say(commands, typed)
        assert not reply.error and reply.cards, typed
    assert count_reads == [TargetKind.DRIVER]  # read once, on first use


async def test_driver_is_one_read_of_the_store(commands, store, monkeypatch):
    await seed_blomqvist(store)
    reads: list[str] = []
    for method in ("driver_profile", "driver_seats", "driver_stories"):
        real = getattr(store, method)

        def counted(*args, _real=real, _name=method, **kwargs):
            reads.append(_name)
            return _real(*args, **kwargs)
        monkeypatch.setattr(store, method, counted)
    reply = await say(commands, "/driver blomqvist")
    assert reads == ["driver_profile"]
    assert "IMSA · 2024 · Action Express Racing · #31" in reply.plain()
    assert "Recent moves" in reply.plain()
    # the same answer the two separate reads give
    seats, stories = await store.driver_profile("Tom Blomqvist")
    assert seats == await store.driver_seats("Tom Blomqvist")
    assert stories == await store.driver_stories("Tom Blomqvist", limit=5)
    assert seats and stories and all(seat.story_ids for seat in seats)


async def test_autocomplete_answers_from_the_name_indexes(commands, store, count_reads):
    await seed_blomqvist(store)
    await seed_move(store, "Kaito Yanagisawa", "Qwertzuiop Racing", "37", published=utcnow(),
                    entry="p1")
    fan = {"platform": "discord", "workspace": "guild-1"}
    for _ in range(3):  # keystrokes
        assert (await commands.suggest("driver", "blom", **fan))[0] == "Tom Blomqvist"
        assert "Kaito Yanagisawa" in await commands.suggest("driver", "yanag", **fan)
        assert "Kaito Yanagisawa" in await commands.suggest("driver", "yanagsawa", **fan)
        assert "Qwertzuiop Racing" in await commands.suggest("team", "qwer", **fan)
        assert "Action Express Racing" in await commands.suggest("team", "express", **fan)
        assert "Haas" in await commands.suggest("team", "haa", **fan)
        assert "Tom Blomqvist" in await commands.suggest("target", "blomq", **fan)
        assert (await commands.suggest("series", "ims", **fan))[0] == "IMSA"
    assert sorted(count_reads) == [TargetKind.DRIVER, TargetKind.TEAM]  # once each
    # a name learned here reaches autocomplete at once
    await say(commands, "/lineup-set 5 IMSA 2024 Zoltan Quernheim", **MOD)
    assert (await commands.suggest("driver", "quern", **fan))[0] == "Zoltan Quernheim"
    assert sorted(count_reads) == [TargetKind.DRIVER, TargetKind.TEAM]


async def test_names_learned_in_another_process_are_found(tmp_path: Path, store, monkeypatch):
    """A poller elsewhere learns a name: a miss re-reads the names table (at most once a
    second), and the index re-reads behind the answers once it is older than the refresh
    time, so a new namesake turns an answer into a question."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    clock = [1000.0]
    commands = Commands(store, gazetteer=gazetteer())
    drivers = commands._context.drivers
    monkeypatch.setattr(drivers, "_clock", lambda: clock[0])
    await seed_blomqvist(store)
    assert (await say(commands, "/driver blomqvist")).plain().startswith("Tom Blomqvist")

    poller = await storage.SqlStore.open(url)  # the other process
    try:
        await seed_move(poller, "Kaito Yanagisawa", "Cool Racing", "37", published=utcnow(),
                        entry="p1")
        clock[0] += 0.5  # a miss within a second of the last read does not re-read
        assert "don't know a driver" in (await say(commands, "/driver yanagisawa")).text
        clock[0] += 1
        assert (await say(commands, "/driver yanagisawa")).plain().startswith(
            "Kaito Yanagisawa")

        await seed_move(poller, "Sebastian Blomqvist", "Cool Racing", "37",
                        published=utcnow(), entry="p2")
        # within the refresh time the index answers as it was
        assert (await say(commands, "/driver blomqvist")).plain().startswith("Tom Blomqvist")
        clock[0] += context.NAMES_REFRESH_SECONDS
        await say(commands, "/driver blomqvist")  # answered at once, re-read behind it
        await drivers.settled()
        reply = await say(commands, "/driver blomqvist")
        assert reply.text == "Which driver? Did you mean Sebastian Blomqvist or Tom Blomqvist?"
    finally:
        await poller.close()


async def test_a_failed_background_reread_keeps_the_old_index(commands, store, monkeypatch):
    await seed_blomqvist(store)
    assert not (await say(commands, "/driver blomqvist")).error
    drivers = commands._context.drivers
    monkeypatch.setattr(drivers, "_refresh_after", 0.0)

    async def broken(kind: TargetKind) -> list[str]:
        raise TransientStorageError("database away")
    monkeypatch.setattr(store, "known_names", broken)
    await say(commands, "/driver derani")
    await drivers.settled()
    reply = await commands.run(CommandCall(name="driver", options={"name": "aitken"}, **FAN))
    assert reply.plain().startswith("Jack Aitken")


# ----- did you mean, plurals ---------------------------------------------------------------


@pytest.mark.parametrize(("typed", "says"), [
    ("/linup 31", "Unknown command /linup. Did you mean /lineup? Type /help for the list."),
    ("linup 31", "Unknown command /linup. Did you mean /lineup?"),
    ("/folow team AXR", "Unknown command /folow. Did you mean /follow?"),
    ("/feed ad https://x.example/rss", "Unknown /feed action 'ad'. Did you mean /feed add?"),
    ("/lineup 31 seres:IMSA", "Unknown option 'seres'. Did you mean series:?"),
    ("/lineup 31 colour:red", "Unknown option 'colour'. Usage: /lineup"),
    ("/pitstop", "Unknown command /pitstop. Type /help for the list."),
    ("/help linup", "Unknown command /linup. Did you mean /lineup?"),
])
async def test_mistyped_commands_and_options_get_a_did_you_mean(commands, typed, says):
    reply = await commands.run_text(typed, **MOD)
    assert reply.error and says in reply.text


async def test_platform_options_and_names_get_a_did_you_mean_too(commands):
    reply = await commands.run(CommandCall(name="lineup", options={"car": "31", "sreies": "x"},
                                           **FAN))
    assert reply.error and "Unknown option 'sreies'. Did you mean series:?" in reply.text
    reply = await commands.run(CommandCall(name="chnages", **FAN))
    assert reply.text == ("Unknown command /chnages. Did you mean /changes? "
                          "Type /help for the list.")


async def test_a_url_is_not_taken_for_an_option(commands):
    reply = await commands.run_text("/feed add https://n.example/rss IMSA", **MOD)
    assert "Unknown option" not in reply.text


async def test_news_wording_follows_the_count(commands, store):
    await seed_blomqvist(store)
    assert (await say(commands, "/news")).text == "Latest 1 driver move"
    await seed_move(store, "Jordan Taylor", "Corvette Racing", "3", published=utcnow(),
                    entry="jt")
    assert (await say(commands, "/news")).text == "Latest 2 driver moves"
