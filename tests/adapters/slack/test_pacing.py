"""Posts to a Slack channel paced as Slack counts them (at arrival), against the fake that
enforces the per-channel limit strictly and answers after a round trip."""

from __future__ import annotations

import asyncio
import itertools
from datetime import UTC, datetime

from adapters.slack.pacing import ChannelPacer
from adapters.slack.sender import SlackSender
from bot.cards import render_alert
from bot.models import Destination, Move, MoveKind, Source, Story
from tests.adapters.slack.conftest import BOT_TOKEN, TEAM
from tests.fakes.slack_server import FakeSlack, Limits

PACE = 0.3
ROUND_TRIP = 0.1
SLOW = 0.5  # C1's answers are held up this long on their way back


def alert(channel: str, n: int):
    story = Story(id=n, summary=f"Driver {n} joins Haas",
                  move=Move(driver=f"Driver {n}", kind=MoveKind.JOIN, team="Haas"),
                  source=Source(title="t", url="https://news.example/1", name="RACER",
                                published=datetime(2024, 1, 5, tzinfo=UTC)))
    return render_alert(story, Destination(platform="slack", workspace=TEAM,
                                           channel=channel))


async def test_posts_arrive_a_pace_apart_and_slow_answers_do_not_slow_the_pace(
        slack: FakeSlack):
    """Paced from when Slack received each post (its ts), not from the answer: C1's
    answers come back half a second late, yet its posts arrive about a pace apart."""
    limits = slack.enforce_limits(Limits(per_channel_seconds=PACE, latency=ROUND_TRIP,
                                         slow_answers={"C1": SLOW}))
    sender = SlackSender(bot_token=BOT_TOKEN, api_base_url=slack.api_url, pace_seconds=PACE)
    try:
        async def channel(name: str) -> None:
            for n in range(4):
                await sender.send(alert(name, n))

        await asyncio.gather(channel("C1"), channel("C2"))
    finally:
        await sender.close()
    assert limits.limited == []  # no post arrived sooner than the pace after the one before
    assert len(slack.posted()) == 8
    for name in ("C1", "C2"):
        times = [at for where, at in limits.arrivals if where == name]
        gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
        assert len(gaps) == 3 and min(gaps) >= PACE
    c1 = [at for where, at in limits.arrivals if where == "C1"]
    # From the answers, each gap would be at least pace + round trip + the held-up half
    # second (0.9 s); at least one is well under, however busy the test machine.
    assert min(b - a for a, b in itertools.pairwise(c1)) < PACE + ROUND_TRIP + SLOW - 0.2
    # The two channels went at once, not one after the other.
    order = [where for where, _ in limits.arrivals]
    assert order[:2] in (["C1", "C2"], ["C2", "C1"])


async def test_one_connection_pool_for_all_posts(slack: FakeSlack):
    """slack_sdk opens a session (and a connection) per call unless given one: the sender
    gives every workspace's client its one session, so posts reuse the connection."""
    sender = SlackSender(bot_token=BOT_TOKEN, api_base_url=slack.api_url, pace_seconds=0)
    try:
        for n in range(3):
            await sender.send(alert("C1", n))
        assert len(slack.peers) == 1
    finally:
        await sender.close()
    assert len(slack.posted()) == 3


async def test_once_trusted_the_quickest_way_there_spares_the_round_trip(slack: FakeSlack):
    """After watching posts for a while (here 0.6 s), the pacer stops adding a round trip
    to every pace: the next post leaves a pace after the last one's ts less the quickest
    way there seen, so posts arrive about a pace apart, and never closer."""
    round_trip = 0.3
    limits = slack.enforce_limits(Limits(per_channel_seconds=PACE, latency=round_trip))
    sender = SlackSender(bot_token=BOT_TOKEN, api_base_url=slack.api_url,
                         pacer=ChannelPacer(PACE))
    try:
        for n in range(8):
            await sender.send(alert("C1", n))
    finally:
        await sender.close()
    assert limits.limited == []
    times = [at for _, at in limits.arrivals]
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    assert len(gaps) == 7 and min(gaps) >= PACE
    # Untrusted, every gap is at least pace + the round trip (0.6 s); trusted, the last
    # ones come close to the pace itself, however busy the test machine.
    assert gaps[0] >= PACE + round_trip
    assert min(gaps[-3:]) < PACE + round_trip / 2
