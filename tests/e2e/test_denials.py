"""A later denial edits the alerts already posted, on Discord and Slack, on SQLite and
PostgreSQL: the real rules engine reads the denial, the store marks the story and queues
the edits, the delivery worker sends them through discord.py and slack_sdk to the fakes."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import discord
import pytest

from adapters.discord import DiscordSender
from adapters.slack.sender import SlackSender
from bot.alerts import route_stories
from bot.delivery import DeliveryWorker
from bot.models import (
    Article,
    Destination,
    DestinationKind,
    Extraction,
    Move,
    MoveKind,
    Status,
    utcnow,
)
from bot.pipeline import confident_part
from bot.rules import extract
from storage import SqlStore
from tests.fakes.db import open_test_store, pg_base_url, pg_database, truncate_all
from tests.fakes.discord_server import BOT_TOKEN, FakeDiscord, patched_discord_urls
from tests.fakes.slack_server import FakeSlack

CHANNEL = "700000000000000005"
SLACK_CHANNEL = "C0ALERTS"
SLACK_TOKEN = "xoxb-pitlane"
DENIAL = "Esteban Ocon has denied that he will join Haas next season."


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    base = pg_base_url()
    if base is None:
        pytest.skip("PostgreSQL tests need PITBOARD_TEST_DATABASE_URL")
    with pg_database(base) as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[SqlStore]:
    if request.param == "sqlite":
        opened = await open_test_store(tmp_path / "pitboard.db")
    else:
        opened = await open_test_store(url=request.getfixturevalue("pg_url"),
                                       upgrade_url=False)
        await truncate_all(opened)
    yield opened
    await opened.close()


async def report(store: SqlStore, outlet: str, entry: str, *, title: str,
                 extraction: Extraction | None = None) -> list:
    """An article from `outlet`; what the rules engine reads in it (or `extraction`) is
    recorded as the pipeline records it. Returns the stories it made news of."""
    feed = await store.add_feed(f"https://{outlet.lower().replace(' ', '')}.example/rss",
                                title=outlet)
    (article,) = await store.add_articles(feed.id, [Article(
        entry_id=entry, title=title, url=f"https://news.example/{entry}", source=outlet)])
    if extraction is None:
        extraction = confident_part(extract(article))
    return await store.record_extraction(article, extraction)


async def rumour_then_confirmed(store: SqlStore, worker: DeliveryWorker) -> None:
    """Ocon to Haas: a rumour posted, then its confirmation posted as a follow-up."""
    move = Move(driver="Esteban Ocon", kind=MoveKind.JOIN, team="Haas", series="F1",
                season=2025)
    for n, status in enumerate((Status.RUMOUR, Status.CONFIRMED)):
        stories = await report(store, "Paddock", f"o{n}", title="Ocon to Haas",
                               extraction=Extraction(moves=(replace(move, status=status),),
                                                     summaries=("Esteban Ocon → Haas",)))
        assert await route_stories(store, stories, None) == 1
        assert (await worker.run_once()).sent == 1


@asynccontextmanager
async def discord_alerts(store: SqlStore) -> AsyncIterator[tuple[FakeDiscord, DeliveryWorker]]:
    """A fake Discord, the real discord.py client logged in to it, an alerts channel set and
    a delivery worker sending there."""
    async with FakeDiscord() as fake:
        with patched_discord_urls(fake):
            client = discord.Client(intents=discord.Intents.none(),
                                    allowed_mentions=discord.AllowedMentions.none())
            await client.login(BOT_TOKEN)
            try:
                await store.set_alert_channel(Destination(platform="discord",
                                                          workspace="g1", channel=CHANNEL))
                yield fake, DeliveryWorker(store, {"discord": DiscordSender(client)},
                                           worker_id="t")
            finally:
                await client.close()


@asynccontextmanager
async def slack_alerts(store: SqlStore) -> AsyncIterator[tuple[FakeSlack, DeliveryWorker]]:
    """A fake Slack workspace, an alerts channel set in it and a delivery worker sending there
    through slack_sdk."""
    async with FakeSlack() as slack:
        slack.add_workspace("T1", SLACK_TOKEN)
        await store.set_alert_channel(Destination(
            platform="slack", workspace="T1", channel=SLACK_CHANNEL,
            kind=DestinationKind.CHANNEL))
        sender = SlackSender(bot_token=SLACK_TOKEN, api_base_url=slack.api_url, pace_seconds=0)
        try:
            yield slack, DeliveryWorker(store, {"slack": sender}, worker_id="t")
        finally:
            await sender.close()


async def deny(store: SqlStore, outlet: str, entry: str, title: str = DENIAL) -> None:
    assert confident_part(extract(Article(entry_id="x", title=title))).denials
    assert await report(store, outlet, entry, title=title) == []  # no news, nothing posted


async def test_a_denial_edits_every_discord_post_of_the_story_once(store: SqlStore) -> None:
    async with discord_alerts(store) as (fake, worker):
        await rumour_then_confirmed(store, worker)
        posts = fake.requests_to("POST", f"/channels/{CHANNEL}/messages")
        ids = [p.answer["id"] for p in posts]
        assert len(ids) == 2
        first_edits = fake.requests_to("PATCH", f"/channels/{CHANNEL}/messages/{ids[0]}")
        assert len(first_edits) == 1  # the rumour's post now says confirmed

        # A denial that names no story sends nothing.
        await deny(store, "The Race", "n1",
                   "Pierre Gasly has denied that he will join Haas next season.")
        assert (await worker.run_once()).sent == 0

        await deny(store, "The Race", "d1")
        assert (await worker.run_once()).sent == 2  # both posts of the story
        # ...exactly once, however many outlets repeat the denial.
        await deny(store, "Motorsport Week", "d2")
        assert (await worker.run_once()).sent == 0
    assert len(fake.messages(CHANNEL)) == 2  # nothing posted anew
    for message_id in ids:
        edit = fake.requests_to("PATCH", f"/channels/{CHANNEL}/messages/{message_id}")[-1]
        embed = edit.json["embeds"][0]
        assert embed["description"].startswith(f"Denied by The Race: {DENIAL}")
        assert embed["footer"]["text"].startswith("❌ Denied · Paddock")
        assert "Motorsport Week" not in json.dumps(edit.json)
    assert len(fake.requests_to("PATCH", f"/channels/{CHANNEL}/messages/{ids[1]}")) == 1


async def test_a_denial_edits_the_slack_posts_once_retried_after_a_failure(store: SqlStore) -> None:
    async with slack_alerts(store) as (slack, worker):
        await rumour_then_confirmed(store, worker)
        first, second = slack.posted()
        updates_before = len(slack.calls_to("chat.update", ok_only=True))

        await deny(store, "The Race", "d1")
        slack.server_error("chat.update")  # the first edit fails: retried later
        failed = await worker.run_once()
        assert (failed.sent, failed.retried) == (1, 1)
        assert (await worker.run_once()).sent == 0  # not due yet
        later = await worker.run_once(now=utcnow() + timedelta(hours=2))
        assert (later.sent, later.retried) == (1, 0)
        await deny(store, "Motorsport Week", "d2")
        assert (await worker.run_once(now=utcnow() + timedelta(hours=4))).sent == 0
        assert len(slack.posted()) == 2
        updates = slack.calls_to("chat.update", ok_only=True)[updates_before:]
        assert sorted(u.args["ts"] for u in updates) == sorted(
            [first.response["ts"], second.response["ts"]])
        for update in updates:
            assert update.args["text"].startswith(f"Denied by The Race: {DENIAL}")
            assert "❌ Denied" in json.dumps(update.args["blocks"], ensure_ascii=False)
        for message in slack.history[SLACK_CHANNEL]:
            assert message["text"].startswith("Denied by The Race")


async def test_a_confirmation_after_a_denial_stands_again(store: SqlStore) -> None:
    rumour = Move(driver="Esteban Ocon", kind=MoveKind.JOIN, team="Haas", series="F1",
                  season=2025, status=Status.RUMOUR)
    (story,) = await report(store, "Paddock", "r", title="Ocon to Haas?",
                            extraction=Extraction(moves=(rumour,), summaries=("Ocon",)))
    await deny(store, "The Race", "d1")
    (denied,) = await store.recent_stories(1)
    assert denied.denied_by is not None and denied.denied_by.name == "The Race"
    (confirmed,) = await report(store, "RACER", "c", title="Haas signs Ocon",
                                extraction=Extraction(moves=(
                                    replace(rumour, status=Status.CONFIRMED),),
                                    summaries=("Ocon",)))
    assert (confirmed.id, confirmed.revision, confirmed.denied_by) == (story.id, 2, None)


async def confirmed(store: SqlStore) -> None:
    """Ocon to Haas, confirmed: one post queued for the alerts channel."""
    stories = await report(store, "Paddock", "c1", title="Haas signs Ocon",
                           extraction=Extraction(moves=(Move(
                               driver="Esteban Ocon", kind=MoveKind.JOIN, team="Haas",
                               series="F1", season=2025, status=Status.CONFIRMED),),
                               summaries=("Esteban Ocon → Haas",)))
    assert await route_stories(store, stories, None) == 1


async def test_a_denial_while_the_post_is_out_edits_it_once_it_is_settled(
        store: SqlStore) -> None:
    """The worker read the story before the denial and is posting it (Discord has made
    the message, its answer is on the way back): the post then shows the move as news,
    so the denial's edit follows it once it is settled, once."""
    async with discord_alerts(store) as (fake, worker):
        await confirmed(store)
        path = f"/channels/{CHANNEL}/messages"
        fake.hold("POST", path, after_posting=True)
        sending = asyncio.create_task(worker.run_once())
        await fake.wait_for(lambda f: f.held())
        await deny(store, "The Race", "d1")
        fake.release()
        assert (await sending).sent == 1
        [post] = fake.requests_to("POST", path)
        assert "Denied" not in json.dumps(post.json)  # it read the story before
        assert (await worker.run_once()).sent == 1  # the denial's edit
        assert (await worker.run_once()).sent == 0
        await deny(store, "Motorsport Week", "d2")
        assert (await worker.run_once()).sent == 0
    assert len(fake.messages(CHANNEL)) == 1
    [edit] = fake.requests_to("PATCH", f"{path}/{post.answer['id']}")
    assert edit.json["embeds"][0]["description"].startswith(f"Denied by The Race: {DENIAL}")


async def test_a_denial_before_the_post_is_sent_is_in_the_post_and_edits_nothing(
        store: SqlStore) -> None:
    """Still queued when the denial came: the post, read after it, says denied at once;
    no edit follows, and nothing is posted as a confirmed move."""
    async with discord_alerts(store) as (fake, worker):
        await confirmed(store)
        await deny(store, "The Race", "d1")
        assert (await worker.run_once()).sent == 1
        assert (await worker.run_once()).sent == 0
    [message] = fake.messages(CHANNEL)
    embed = message["embeds"][0]
    assert embed["description"].startswith(f"Denied by The Race: {DENIAL}")
    assert embed["footer"]["text"].startswith("❌ Denied")
    assert [r for r in fake.requests if r.method == "PATCH"] == []


async def test_a_denial_between_a_lost_answer_and_the_resend_edits_the_slack_post(
        store: SqlStore) -> None:
    """Slack made the post but its answer was lost; the denial comes before the retry.
    The retry finds the post (it reads as before the denial) instead of posting again, and
    the denial's edit then updates that post, once."""
    async with slack_alerts(store) as (slack, worker):
        await confirmed(store)
        slack.lose_answer("chat.postMessage")
        assert (await worker.run_once()).retried == 1
        await deny(store, "The Race", "d1")
        later = utcnow() + timedelta(hours=2)
        assert (await worker.run_once(now=later)).sent == 1  # found, not posted again
        assert (await worker.run_once(now=later)).sent == 1  # the denial's edit
        assert (await worker.run_once(now=later)).sent == 0
    [post] = slack.calls_to("chat.postMessage")  # the lost answer's; no second post
    assert not post.args["text"].startswith("Denied")
    [update] = slack.calls_to("chat.update", ok_only=True)
    [message] = slack.history[SLACK_CHANNEL]
    assert update.args["ts"] == message["ts"]
    assert update.args["text"].startswith(f"Denied by The Race: {DENIAL}")
    assert message["text"].startswith("Denied by The Race")
