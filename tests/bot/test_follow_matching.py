"""Follows as fans type them, resolved as stories are matched: the follow matching table.

Each row follows something through the real command core, then routes a story through the
real store: the follow must catch exactly the stories it names."""

from __future__ import annotations

import pytest

from bot.alerts import route_stories
from bot.commands import Commands
from bot.models import Article, Extraction, Move, MoveKind
from bot.rules import gazetteer
from tests.bot.test_commands import FAN, say

AXR = Move(driver="Tom Blomqvist", kind=MoveKind.JOIN, team="Action Express Racing",
           car="31", series="IMSA", season=2024)
VERSTAPPEN = Move(driver="Max Verstappen", kind=MoveKind.EXTEND, team="Red Bull Racing",
                  car="1", series="F1", season=2025)


async def story_of(store, move: Move):
    feed = await store.add_feed(f"https://n.example/{move.driver}.xml")
    [article] = await store.add_articles(feed.id, [Article(entry_id="e", title="t")])
    [story] = await store.record_extraction(article, Extraction(
        moves=(move,), summaries=(f"{move.driver} → {move.team}",)))
    return story


@pytest.mark.parametrize(("typed", "move", "answer", "matches"), [
    ("team Cadillac", AXR, "covers Cadillac (F1), Action Express Racing (IMSA)", True),
    ("team cadillac", VERSTAPPEN, "team Cadillac", False),
    ("team Whelen", AXR, "team Whelen (covers Action Express Racing (IMSA))", True),
    ("team AXR", AXR, "team Action Express Racing", True),
    ("team action express", AXR, "team Action Express Racing", True),
    ("team Haas", AXR, "team Haas", False),
    ("driver verstapen", VERSTAPPEN, "driver Max Verstappen", True),
    ("driver blomqvst", AXR, "driver Tom Blomqvist", True),
    ("driver Max Verstappen", AXR, "driver Max Verstappen", False),
    ("car #31", AXR, "car #31", True),
    ("car No. 1", VERSTAPPEN, "car #1", True),
    ("series imsa", AXR, "series IMSA", True),
    ("series IMSA", VERSTAPPEN, "series IMSA", False),
])
async def test_the_follow_matching_table(store, commands: Commands, typed, move, answer,
                                         matches):
    reply = await say(commands, f"/follow {typed} dm")
    assert not reply.error, reply.text
    assert answer in reply.text
    queued = await route_stories(store, [await story_of(store, move)], gazetteer())
    assert queued == (1 if matches else 0)


@pytest.mark.parametrize(("typed", "expected"), [
    ("team Haas sms", "'sms' is not an option of /follow"),
    ("driver verstapen sms", "'sms' is not an option of /follow"),
    ("car 31 sms", "'sms' is not an option of /follow"),
    ("driver hamilton", "Did you mean Lewis Hamilton or Nicolas Hamilton?"),
    ("team Hass", "team Haas"),  # a typo with one clear meaning is resolved
    ("team Qwertzuiop Racing", "I don't know a team called 'Qwertzuiop Racing'"),
    ("driver Qwertz Uiop", "I don't know a driver called 'Qwertz Uiop'"),
    ("car thirty-one", "not a car number"),
])
async def test_a_follow_is_resolved_or_refused_with_a_reason(store, commands, typed,
                                                             expected):
    reply = await say(commands, f"/follow {typed}")
    assert expected in reply.text
    subs = await store.subscriptions_for("discord", "guild-1", "fan-1")
    assert bool(subs) == (not reply.error)
    assert all(" sms" not in s.value for s in subs)


async def test_the_mention_option_is_kept_and_following_agrees_with_the_answer(commands):
    mod = {**FAN, "user": "mod-1", "is_moderator": True}
    assert not (await say(commands, "/alerts channel 555", **mod)).error
    answer = (await say(commands, "/follow team Haas mention")).text
    assert "with a mention in the alerts channel (<#555>)" in answer
    listing = (await say(commands, "/following")).text
    assert "team: Haas — with a mention in the alerts channel (<#555>)" in listing


async def test_limits_per_user_and_per_channel_say_so(commands, monkeypatch):
    import bot.commands.follows as module

    monkeypatch.setattr(module, "MAX_FOLLOWS_PER_USER", 2)
    monkeypatch.setattr(module, "MAX_MENTION_FOLLOWERS_PER_CHANNEL", 1)
    assert not (await say(commands, "/follow team Haas dm")).error
    assert not (await say(commands, "/follow series IMSA dm")).error
    assert "Already following" in (await say(commands, "/follow team Haas dm")).text
    full = await say(commands, "/follow car 31 dm")
    assert full.error and "You follow 2 things already" in full.text

    mod = {**FAN, "user": "mod-1", "is_moderator": True}
    assert not (await say(commands, "/alerts channel 555", **mod)).error
    assert not (await say(commands, "/follow team Haas mention", **{**FAN, "user": "fan-2"})).error
    crowded = await say(commands, "/follow team Haas mention", **{**FAN, "user": "fan-3"})
    assert crowded.error and "already mentions 1 followers" in crowded.text
    assert not (await say(commands, "/follow team Haas", **{**FAN, "user": "fan-3"})).error

