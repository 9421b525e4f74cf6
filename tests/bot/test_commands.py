"""The platform-neutral command core over a real SQLite store."""

from __future__ import annotations

import functools

import pytest

import feeds
import storage
from bot.commands import Commands
from bot.messages import CommandCall
from bot.models import Article, Extraction, LineupEntry, Move, MoveKind, utcnow
from bot.rules import gazetteer

FAN = {"platform": "discord", "workspace": "guild-1", "user": "fan-1", "channel": "c-1"}
MOD = {**FAN, "user": "mod-1", "is_moderator": True}


async def say(commands: Commands, line: str, **who):
    return await commands.run_text(line, **(who or FAN))


async def seed_blomqvist(store):
    article = Article(entry_id="x1", title="Blomqvist joins Action Express", url="https://n.example/1",
                      source="News Example", published=utcnow())
    [stored] = await store.add_articles((await store.add_feed("https://n.example/rss")).id,
                                        [article])
    move = Move(driver="Tom Blomqvist", kind=MoveKind.JOIN, team="Action Express Racing",
                car="31", series="IMSA", season=2024, role="endurance",
                teammates=("Pipo Derani", "Jack Aitken"))
    lineup = tuple(LineupEntry(driver=d, team="Action Express Racing", car="31", series="IMSA",
                               season=2024)
                   for d in ("Tom Blomqvist", "Pipo Derani", "Jack Aitken"))
    await store.record_extraction(stored, Extraction(
        moves=(move,), lineup=lineup, summaries=("Tom Blomqvist → Action Express Racing #31",)))


async def test_unknown_command_and_bad_options_answer_with_usage(commands):
    reply = await commands.run(CommandCall(name="pitstop", **FAN))
    assert reply.error and "Unknown command /pitstop" in reply.text
    reply = await say(commands, "/news lots")
    assert reply.error and "Usage: /news [count]" in reply.text
    reply = await commands.run(CommandCall(name="lineup", options={"car": "31", "colour": "red"},
                                           **FAN))
    assert reply.error and "Unknown option 'colour'" in reply.text


async def test_lineup_answers_from_what_was_learned(commands, store):
    await seed_blomqvist(store)
    reply = await say(commands, "/lineup #31")
    text = reply.plain()
    assert not reply.error
    for driver in ("Tom Blomqvist", "Pipo Derani", "Jack Aitken"):
        assert driver in text
    assert "IMSA" in text and "2024" in text
    empty = await say(commands, "/lineup 31 F1")
    assert "No lineup known yet for car #31 in F1" in empty.text
    unknown_series = await say(commands, "/lineup 31 tiddlywinks")
    assert unknown_series.error and "don't know the series" in unknown_series.text


async def test_default_series_setting_applies_to_lineup(commands, store):
    await seed_blomqvist(store)
    refused = await say(commands, "/settings series F1")
    assert refused.error and "moderators only" in refused.text
    assert not (await say(commands, "/settings series F1", **MOD)).error
    assert "No lineup known yet for car #31 in F1" in (await say(commands, "/lineup 31")).text
    assert "Pipo Derani" in (await say(commands, "/lineup 31 IMSA")).plain()


async def test_driver_lookup_is_forgiving(commands, store):
    await seed_blomqvist(store)
    for query in ("blomqvist", "Tom Blomqvist", "blomqvst", "TOM BLOMQVIST"):
        reply = await say(commands, f"/driver {query}")
        assert not reply.error, query
        assert reply.cards[0].title == "Tom Blomqvist", query
    nobody = await say(commands, "/driver qwertyuiop")
    assert "don't know a driver" in nobody.text


async def test_news_lists_latest_stories(commands, store):
    assert "No driver moves seen yet" in (await say(commands, "/news")).text
    await seed_blomqvist(store)
    reply = await say(commands, "/news 3")
    assert [card.title for card in reply.cards] == ["Tom Blomqvist → Action Express Racing #31"]


async def test_feed_commands_are_for_moderators_and_scoped(store):
    commands = Commands(store, gazetteer=gazetteer(), check_feed_url=functools.partial(
        feeds.check_feed_url_async, allow_private=False))
    refused = await say(commands, "/feed add https://news.example/rss")
    assert refused.error and "moderators only" in refused.text
    assert await store.list_feeds("discord:guild-1") == []

    private = await say(commands, "/feed add http://127.0.0.1:8080/rss", **MOD)
    assert private.error and "Can't add that feed" in private.text
    assert await store.list_feeds("discord:guild-1") == []

    store_feeds = await store.list_feeds(None)
    added = await say(commands, "/feed add http://93.184.215.14/rss IMSA 15", **MOD)
    assert not added.error, added.text
    [feed] = await store.list_feeds("discord:guild-1")
    assert (feed.series, feed.interval_seconds) == ("IMSA", 900)
    assert len(await store.list_feeds(None)) == len(store_feeds) + 1
    again = await say(commands, "/feed add http://93.184.215.14/rss", **MOD)
    assert again.error and "already" in again.text

    other_guild = {**MOD, "workspace": "guild-2"}
    assert "No feeds yet" in (await say(commands, "/feed list", **other_guild)).text
    assert (await say(commands, f"/feed pause {feed.id}", **other_guild)).error
    assert not (await say(commands, f"/feed pause {feed.id}", **MOD)).error
    assert "paused" in (await say(commands, "/feed list", **MOD)).text
    assert not (await say(commands, f"/feed resume {feed.id}", **MOD)).error
    assert not (await say(commands, f"/feed remove {feed.id}", **MOD)).error
    assert await store.list_feeds("discord:guild-1") == []


async def test_follow_unfollow_following(commands):
    assert "You follow nothing yet" in (await say(commands, "/following")).text
    no_channel = await say(commands, "/follow team Cadillac mention")
    assert no_channel.error and "no alerts channel" in no_channel.text
    dm = await say(commands, "/follow team Cadillac")
    assert not dm.error and "by direct message" in dm.text
    assert "Already following" in (await say(commands, "/follow team cadillac")).text
    assert not (await say(commands, "/alerts channel 555", **MOD)).error
    mention = await say(commands, "/follow car #31 mention")
    assert "with a mention in the alerts channel (<#555>)" in mention.text
    quiet = await say(commands, "/follow driver Tom Blomqvist")
    assert "in the alerts channel (<#555>), without a ping" in quiet.text
    listing = (await say(commands, "/following")).text
    assert "team: Cadillac — by direct message" in listing
    assert "car: #31 — with a mention in the alerts channel (<#555>)" in listing
    assert "driver: Tom Blomqvist — in the alerts channel (<#555>), without a ping" in listing
    assert "Stopped following" in (await say(commands, "/unfollow team Cadillac")).text
    assert "weren't following" in (await say(commands, "/unfollow team Cadillac")).text
    bad = await say(commands, "/follow series tiddlywinks")
    assert bad.error


async def test_help_shows_moderator_commands_only_to_moderators(commands):
    fan_help = (await say(commands, "/help")).text
    mod_help = (await say(commands, "/help", **MOD)).text
    assert "/lineup [car]" in fan_help and "/feed add" not in fan_help
    assert "/feed add <url>" in mod_help
    assert "e.g. /lineup 31 IMSA 2024" in (await say(commands, "/help lineup")).text


async def test_storage_failure_is_a_sentence_not_a_traceback(tmp_path):
    path = tmp_path / "doomed.db"
    doomed = await storage.SqlStore.open(f"sqlite+aiosqlite:///{path}")
    commands = Commands(doomed, gazetteer=gazetteer())
    await doomed.close()
    path.unlink()  # the next connection finds an empty database: no tables at all
    reply = await say(commands, "/news")
    await doomed.close()
    assert reply.error
    assert reply.text == "Something went wrong on our side. Please try again in a moment."


@pytest.mark.parametrize("kind", ["team", "driver", "series", "target", "feed", "nonsense"])
async def test_suggest_never_fails(commands, kind):
    suggestions = await commands.suggest(kind, "ca", platform="discord", workspace="guild-1")
    assert isinstance(suggestions, list)
    assert len(suggestions) <= 25


async def test_lineup_corrections_are_moderated_audited_and_win(commands, store):
    await seed_blomqvist(store)
    refused = await say(commands, "/lineup set 31 IMSA 2024 Pipo Derani, Jack Aitken")
    assert refused.error and "moderators only" in refused.text
    mod = {**MOD, "user_name": "marshal"}
    done = await say(commands, "/lineup set 31 IMSA 2024 Pipo Derani and Jack Aitken", **mod)
    assert not done.error, done.text
    assert "set by marshal: Jack Aitken, Pipo Derani" in done.text
    answer = (await say(commands, "/lineup 31 IMSA 2024")).plain()
    assert "Pipo Derani · confirmed · set by marshal" in answer
    assert "Tom Blomqvist" not in answer
    history = (await say(commands, "/lineup history 31")).plain()
    assert "set Pipo Derani" in history and "by marshal" in history
    assert "fill Tom Blomqvist" in history
    removed = await say(commands, "/lineup-remove 31 IMSA 2024 Jack Aitken", **mod)
    assert removed.text.startswith("Removed Jack Aitken from #31")
    changes = (await say(commands, "/changes IMSA 7d")).plain()
    assert "remove Jack Aitken" in changes
    assert (await say(commands, "/changes IMSA yesterday-ish")).error


async def test_team_lineup_by_name_or_alias(commands, store):
    await seed_blomqvist(store)
    for query in ("/lineup team:\"Action Express Racing\"", "/team Whelen Action Express"):
        reply = await say(commands, query)
        assert not reply.error, query
        assert "#31 Pipo Derani" in reply.plain(), query
    team = (await say(commands, "/team Action Express Racing")).plain()
    assert "Latest changes at Action Express Racing" in team


async def test_settings_moderators_is_stored_for_the_workspace(commands, store):
    refused = await say(commands, "/settings moderators <@U1> <@U2>")
    assert refused.error
    assert await store.get_setting("discord", "guild-1", "moderators") is None
    done = await say(commands, "/settings moderators <@U1> <@U2>", **MOD)
    assert "<@U1> <@U2>" in done.text
    assert await store.get_setting("discord", "guild-1", "moderators") == "<@U1> <@U2>"
    await say(commands, "/settings moderators none", **MOD)
    assert await store.get_setting("discord", "guild-1", "moderators") == ""
