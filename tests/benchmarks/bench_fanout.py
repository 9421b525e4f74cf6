"""One story to many channels through the real path: routing, the outbox (SQLite), the
delivery worker and the real platform clients, against fakes that enforce the platforms'
rate limits and answer after a configurable latency.

    .venv/bin/python -m tests.benchmarks.bench_fanout [discord|slack|all] [latencies ms...]

Discord: one story to 2,000 channels; the fake allows 50 requests/s per bot and 5 messages
per 5 s per channel, so the ceiling is 50 alerts/s. Slack: ten stories to 200 channels; the
fake allows one message per second per channel, so each channel's tenth alert can leave 9 s
after its first at the earliest. Printed: the achieved rate as a ratio of that ceiling, the
429s the fake answered (every one caused by our own pacing) and duplicate posts.
Targets: ratio >= 0.9, no 429s, no duplicates.

Slack is run twice: with the fake in a thread of this process, and in a process of its
own. At 200 requests a second the fake's own work is as much as the bot's, and in a
thread it holds the same interpreter lock: every request it parses delays the bot's
event loop, so its pacing timers fire late. A remote Slack costs the bot nothing; the
second line is the closer picture, the first the cost of sharing one core with the fake."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TypeVar

import discord

from adapters.discord import DiscordSender
from adapters.slack.sender import SlackSender
from bot.alerts import route_stories
from bot.delivery import DeliveryWorker, freeze_startup_heap
from bot.models import (
    Article,
    Destination,
    DestinationKind,
    Extraction,
    Move,
    MoveKind,
    Story,
    Subscription,
    TargetKind,
)
from storage import SqlStore
from tests.fakes import discord_server, slack_server
from tests.fakes.db import open_test_store
from tests.fakes.discord_server import BOT_TOKEN, FakeDiscord, patched_discord_urls
from tests.fakes.slack_server import FakeSlack

DISCORD_CHANNELS = 2000
SLACK_CHANNELS = 200
SLACK_STORIES = 10
SLACK_TOKEN = "xoxb-bench"
F = TypeVar("F", FakeDiscord, FakeSlack)


@contextlib.contextmanager
def in_own_thread(fake: F) -> Iterator[F]:
    """Run a fake platform on its own event loop in its own thread, as a remote server
    is: in the bot's loop, the fake would count a request only once the bot's own busy
    loop got round to it, and see requests sent a second apart arrive bunched."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    asyncio.run_coroutine_threadsafe(fake.__aenter__(), loop).result()
    try:
        yield fake
    finally:
        asyncio.run_coroutine_threadsafe(fake.__aexit__(None, None, None), loop).result()
        loop.call_soon_threadsafe(loop.stop)
        thread.join()
        loop.close()


async def _stories(store: SqlStore, count: int) -> list[Story]:
    feed = await store.add_feed("https://bench.example/rss.xml")
    stories: list[Story] = []
    for n in range(count):
        [article] = await store.add_articles(feed.id, [Article(entry_id=f"e{n}", title="t")])
        stories += await store.record_extraction(article, Extraction(
            moves=(Move(driver=f"Bench Driver{n}", kind=MoveKind.JOIN, team="Haas",
                        series="F1", season=2025),),
            summaries=(f"Bench Driver{n} → Haas",)))
    return stories


async def _follow(store: SqlStore, platform: str, channels: list[str]) -> None:
    for n, channel in enumerate(channels):
        await store.follow(Subscription(
            destination=Destination(platform=platform, workspace=f"w{n}", channel=channel,
                                    kind=DestinationKind.CHANNEL),
            target=TargetKind.TEAM, value="Haas"))


async def _deliver_all(worker: DeliveryWorker) -> tuple[float, float]:
    """Run the worker as `pitboard run` does (App.deliver_now) until the outbox is empty;
    (when it started on the loop's clock, seconds it took)."""
    started = time.monotonic()
    while True:
        report = await worker.run_once()
        if report.sent + report.retried + report.dropped + report.deferred == 0:
            return started, time.monotonic() - started


def _line(name: str, latency: float, sent: int, elapsed: float, ceiling: float,
          limited: int, duplicates: int) -> str:
    rate = sent / elapsed
    return (f"{name:7} latency {latency * 1000:3.0f} ms: {sent} alerts in {elapsed:6.2f} s = "
            f"{rate:6.1f}/s, ratio {rate / ceiling:.2f} of the {ceiling:.0f}/s ceiling; "
            f"429s {limited}; duplicates {duplicates}")


async def bench_discord(latency: float) -> str:
    with tempfile.TemporaryDirectory() as folder:
        store = await open_test_store(Path(folder) / "bench.db")
        try:
            channels = [str(10**17 + n) for n in range(DISCORD_CHANNELS)]
            await _follow(store, "discord", channels)
            with in_own_thread(FakeDiscord()) as fake:
                limits = fake.enforce_limits(discord_server.Limits(latency=latency))
                with patched_discord_urls(fake):
                    client = discord.Client(intents=discord.Intents.none(),
                                            allowed_mentions=discord.AllowedMentions.none())
                    await client.login(BOT_TOKEN)
                    try:
                        worker = DeliveryWorker(store, {"discord": DiscordSender(client)},
                                                worker_id="bench")
                        queued = await route_stories(store, await _stories(store, 1), None)
                        assert queued == DISCORD_CHANNELS, queued
                        _, elapsed = await _deliver_all(worker)
                    finally:
                        await client.close()
                posts = Counter(r.path for r in fake.requests if r.method == "POST"
                                and r.status == 200 and not r.duplicate)
        finally:
            await store.close()
    sent = sum(posts.values())
    duplicates = sum(count - 1 for count in posts.values())
    return _line("discord", latency, sent, elapsed, limits.global_per_second,
                 len(limits.limited), duplicates)


def _slack_process(latency: float, pipe: Connection) -> None:
    """The fake Slack in a process of its own: sends its API URL, waits for "stop",
    sends back the 429s it answered and the (channel, text) of every post."""

    async def serve() -> None:
        async with FakeSlack() as fake:
            for n in range(SLACK_CHANNELS):
                fake.add_workspace(f"w{n}", SLACK_TOKEN)
            limits = fake.enforce_limits(slack_server.Limits(latency=latency))
            pipe.send(fake.api_url)
            await asyncio.get_running_loop().run_in_executor(None, pipe.recv)
            pipe.send((len(limits.limited),
                       [(c.args["channel"], c.args["text"]) for c in fake.posted()],
                       [at for _, at in limits.arrivals]))

    asyncio.run(serve())


@contextlib.contextmanager
def slack_elsewhere(latency: float, own_process: bool) -> Iterator[tuple[str, list[object]]]:
    """The fake's API URL; after the block, the list holds its 429 count and posts."""
    result: list[object] = []
    if not own_process:
        with in_own_thread(FakeSlack()) as fake:
            for n in range(SLACK_CHANNELS):
                fake.add_workspace(f"w{n}", SLACK_TOKEN)
            limits = fake.enforce_limits(slack_server.Limits(latency=latency))
            yield fake.api_url, result
            result[:] = [len(limits.limited),
                         [(c.args["channel"], c.args["text"]) for c in fake.posted()],
                         [at for _, at in limits.arrivals]]
        return
    ours, theirs = multiprocessing.get_context("spawn").Pipe()
    process = multiprocessing.get_context("spawn").Process(
        target=_slack_process, args=(latency, theirs), daemon=True)
    process.start()
    try:
        yield ours.recv(), result
        ours.send("stop")
        result[:] = list(ours.recv())
    finally:
        process.join(timeout=10)
        if process.is_alive():
            process.kill()


async def bench_slack(latency: float, *, own_process: bool = False) -> str:
    with tempfile.TemporaryDirectory() as folder:
        store = await open_test_store(Path(folder) / "bench.db")
        try:
            channels = [f"C{n:08d}" for n in range(SLACK_CHANNELS)]
            await _follow(store, "slack", channels)
            with slack_elsewhere(latency, own_process) as (api_url, result):
                sender = SlackSender(bot_token=SLACK_TOKEN, api_base_url=api_url)
                worker = DeliveryWorker(store, {"slack": sender}, worker_id="bench")
                queued = await route_stories(store, await _stories(store, SLACK_STORIES),
                                             None)
                assert queued == SLACK_CHANNELS * SLACK_STORIES, queued
                try:
                    started, elapsed = await _deliver_all(worker)
                finally:
                    await sender.close()
        finally:
            await store.close()
    limited, posted, arrivals = result
    assert isinstance(limited, int) and isinstance(posted, list)
    assert isinstance(arrivals, list)
    # A channel's first alert may arrive at once, each later one a second after the one
    # before: the last of ten leaves 9 s after the first at the earliest, and its answer
    # takes the way back (the first post's way there, the last answer's back: latency).
    ideal = (SLACK_STORIES - 1) * slack_server.Limits().per_channel_seconds + latency
    ceiling = SLACK_CHANNELS * SLACK_STORIES / ideal
    texts = Counter(tuple(post) for post in posted)
    duplicates = sum(count - 1 for count in texts.values())
    name = "slack/p" if own_process else "slack/t"
    # The run's warm-up, counted in the rate (a real fan-out pays it too): claiming the
    # first rows, opening connections, until the first post reaches Slack (the fake
    # shares the machine's monotonic clock, in a thread or a process).
    warm_up = min(arrivals) - started - latency / 2 if arrivals else 0.0
    return (_line(name, latency, len(posted), elapsed, ceiling, limited, duplicates)
            + f"; first post after {warm_up:.2f} s")


async def main(which: str, latencies: list[float]) -> None:
    logging.basicConfig(level=logging.ERROR)
    freeze_startup_heap()  # as `pitboard run` does once started
    for latency in latencies:
        if which in ("discord", "all"):
            print(await bench_discord(latency), flush=True)
        if which in ("slack", "all"):
            print(await bench_slack(latency), flush=True)
            print(await bench_slack(latency, own_process=True), flush=True)


if __name__ == "__main__":
    args = sys.argv[1:]
    platform = args.pop(0) if args and not args[0].isdigit() else "all"
    asyncio.run(main(platform, [int(a) / 1000 for a in args] or [0.0, 0.1]))
