"""Real `pitboard run` worker processes for crash and multi-worker tests, and what those
tests share: articles the rules engine reads as driver moves, a feed server that notes
when each request arrived, and a look at the outbox.

    worker = Worker.start("a", worker_env(database_url, fake_discord), tmp_path)
    await wait_until(lambda: ..., within=20, what="the outbox to drain", workers=[worker])
    worker.kill()        # SIGKILL: no clean-up runs in the worker
    worker.stop()        # SIGTERM, then SIGKILL if it does not exit
"""

from __future__ import annotations

import asyncio
import inspect
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import IO, Any

from aiohttp import web
from sqlalchemy import func, select

import feeds
from bot.models import Destination, DestinationKind, PollReport, utcnow
from bot.pipeline import Pipeline
from bot.rules import extract, gazetteer
from storage import SqlStore
from storage.tables import OutboxRow
from tests.fakes.discord_server import FakeDiscord
from tests.fakes.feed_server import FakeFeedServer

REPO_ROOT = Path(__file__).resolve().parents[2]
outbox = OutboxRow.__table__
GUILD_ID = "710000000000000001"
ALERTS_CHANNEL_ID = "710000000000000002"

# (driver, team): one headline each, "<driver> joins <team> for 2026", one move each, so a
# story can be recognised in a Discord message by its driver's name.
MOVES: tuple[tuple[str, str], ...] = (
    ("Tom Blomqvist", "Action Express Racing"), ("Pipo Derani", "Action Express Racing"),
    ("Felipe Nasr", "Porsche Penske Motorsport"), ("Nick Tandy", "Porsche Penske Motorsport"),
    ("Jack Aitken", "Action Express Racing"), ("Alex Palou", "Chip Ganassi Racing"),
    ("Pato O'Ward", "Arrow McLaren"), ("Scott Dixon", "Chip Ganassi Racing"),
    ("Colton Herta", "Andretti Global"), ("Josef Newgarden", "Team Penske"),
    ("Will Power", "Team Penske"), ("Scott McLaughlin", "Team Penske"),
    ("Kyle Kirkwood", "Andretti Global"), ("Marcus Ericsson", "Andretti Global"),
    ("Alexander Rossi", "Ed Carpenter Racing"), ("Christian Lundgaard", "Arrow McLaren"),
    ("Graham Rahal", "Rahal Letterman Lanigan Racing"),
    ("Felix Rosenqvist", "Meyer Shank Racing"), ("Rinus VeeKay", "Dale Coyne Racing"),
    ("Romain Grosjean", "Prema Racing"),
)


def move_item(driver: str, team: str, guid: str) -> dict[str, Any]:
    """An RSS item (for tests.fakes.feed_server.rss) that reports one driver move."""
    return {"title": f"{driver} joins {team} for 2026", "guid": guid,
            "link": f"https://news.example/{guid}",
            "pubDate": "Mon, 06 Oct 2025 12:00:00 +0000",
            "description": f"<p>{driver} has signed with {team} for the 2026 season.</p>"}


def quiet_item(guid: str) -> dict[str, Any]:
    """An RSS item with no driver move in it: primes a feed without a story."""
    return {"title": "Paddock notebook: tyre allocation for the finale", "guid": guid,
            "link": f"https://news.example/{guid}",
            "pubDate": "Sun, 05 Oct 2025 12:00:00 +0000",
            "description": "<p>Three compounds are available this weekend.</p>"}


class TimedFeedServer(FakeFeedServer):
    """FakeFeedServer that also notes when (time.monotonic()) each request arrived."""

    def __init__(self) -> None:
        super().__init__()
        self.arrivals: dict[str, list[float]] = {}

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        self.arrivals.setdefault(request.path, []).append(time.monotonic())
        return await super()._handle(request)


# ----- setting the database up, in the test process ---------------------------------------


async def prime_feeds(store: SqlStore) -> list[PollReport]:
    """Poll every due feed once in this process, as a worker would: the first poll of a feed
    learns what is there without announcing it."""
    async with feeds.HttpFeedFetcher(feeds.FetchSettings(allow_private=True,
                                                         timeout_seconds=5.0)) as fetcher:
        pipeline = Pipeline(store, fetcher, extractor=extract, gazetteer=gazetteer(),
                            worker_id="test-primer")
        reports = await pipeline.poll_due(now=utcnow() + timedelta(seconds=1))
    failed = [(r.url, r.error) for r in reports if r.error]
    assert not failed, f"priming failed: {failed}"
    return reports


async def use_alerts_channel(store: SqlStore) -> None:
    await store.set_alert_channel(Destination(
        platform="discord", workspace=GUILD_ID, channel=ALERTS_CHANNEL_ID,
        kind=DestinationKind.CHANNEL))


async def outbox_statuses(store: SqlStore) -> Counter[str]:
    async with store.engine.connect() as connection:
        rows = await connection.execute(
            select(outbox.c.status, func.count()).group_by(outbox.c.status))
        return Counter({status: count for status, count in rows})


async def outbox_leases(store: SqlStore) -> Counter[str | None]:
    """Pending rows by the worker that holds them (None: nobody)."""
    async with store.engine.connect() as connection:
        rows = await connection.execute(
            select(outbox.c.lease_owner, func.count())
            .where(outbox.c.status == "pending").group_by(outbox.c.lease_owner))
        return Counter({owner: count for owner, count in rows})


def messages_per_driver(fake: FakeDiscord, drivers: Iterable[str]) -> dict[str, int]:
    """How many posted alerts name each driver (in the embed title or the content)."""
    texts = []
    for body in fake.messages(ALERTS_CHANNEL_ID):
        embeds = body.get("embeds") or []
        texts.append(" ".join([body.get("content") or ""]
                              + [str(embed.get("title") or "") for embed in embeds]))
    return {driver: sum(driver in text for text in texts) for driver in drivers}


# ----- worker processes -------------------------------------------------------------------


def worker_env(database_url: str, discord_fake: FakeDiscord, **extra: str) -> dict[str, str]:
    """The environment of a `pitboard run` worker that talks only to the fakes: nothing
    inherited from the developer's DISCORD_/SLACK_/PITBOARD_ settings."""
    inherited = {key: value for key, value in os.environ.items()
                 if not key.startswith(("DISCORD_", "SLACK_", "PITBOARD_", "DATABASE_URL"))}
    python_path = os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))
    return {
        **inherited,
        "PYTHONPATH": python_path,
        "PYTHONUNBUFFERED": "1",
        "DATABASE_URL": database_url,
        "DISCORD_TOKEN": "fake-bot-token",
        "DISCORD_API_BASE_URL": discord_fake.api_base,
        "DISCORD_GATEWAY_URL": discord_fake.gateway_url,
        "PITBOARD_ALLOW_PRIVATE_FEEDS": "1",
        "PITBOARD_CONSOLE": "0",
        "PITBOARD_POLL_SECONDS": "1",
        "PITBOARD_DELIVERY_SECONDS": "0.2",
        "PITBOARD_LEASE_SECONDS": "2",
        "LOG_LEVEL": "WARNING",  # the scheduler says INFO twice a tick
        **extra,
    }


@dataclass
class Worker:
    name: str
    process: subprocess.Popen[bytes]
    log_path: Path
    _log: IO[bytes]

    @classmethod
    def start(cls, name: str, env: dict[str, str], folder: Path, *args: str,
              new_session: bool = False) -> Worker:
        """`python -m bot.cli run [args]` in `folder` (no stray .env there), logging to a
        file. new_session: in a session of its own, as a service manager starts each
        worker (Linux's autogroup scheduling then gives it its own share of the CPU,
        instead of one share for every process of the caller's session)."""
        log_path = folder / f"worker-{name}.log"
        log = log_path.open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "run", *args], cwd=folder,
            start_new_session=new_session,
            env={**env, "PITBOARD_WORKER_ID": f"worker-{name}"},
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
        return cls(name, process, log_path, log)

    @property
    def worker_id(self) -> str:
        return f"worker-{self.name}"

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL, as the OOM killer or a lost machine would: no finally, no clean-up."""
        if self.alive:
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self._log.close()

    def stop(self, grace: float = 5.0) -> None:
        if self.alive:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._log.close()

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError as exc:
            return f"(no log: {exc})"
        return "\n".join(text.splitlines()[-lines:])


def describe(workers: Iterable[Worker]) -> str:
    return "\n".join(
        f"--- worker {w.name} ({'running' if w.alive else f'exit {w.process.returncode}'}), "
        f"last lines of {w.log_path}:\n{w.log_tail()}" for w in workers)


async def wait_until(condition: Callable[[], bool | Awaitable[bool]], *, within: float,
                     what: str, workers: Iterable[Worker] = (), every: float = 0.1) -> None:
    """Poll `condition` without blocking the loop (the fakes live on it) until it holds;
    after `within` seconds fail, saying what was awaited and what the workers logged."""
    workers = list(workers)
    deadline = time.monotonic() + within
    while True:
        result = condition()
        if inspect.isawaitable(result):
            result = await result
        if result:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {within:g}s waiting for {what}\n"
                                 + describe(workers))
        dead = [w for w in workers if not w.alive]
        if dead:
            raise AssertionError(f"a worker exited while waiting for {what}\n"
                                 + describe(workers))
        await asyncio.sleep(every)
