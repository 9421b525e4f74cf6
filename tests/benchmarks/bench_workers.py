"""Scale-out: feeds polled and alerts delivered per second by 1, 2 and 4 `pitboard run`
worker processes sharing one PostgreSQL database, and the scaling ratio against one worker
measured in the same run.

    .venv/bin/python -m tests.benchmarks.bench_workers [--pg URL] [--workers 1 2 4]
        [--feeds 300] [--channels 2000] [--repeat 1]

Two phases per worker count, each on a fresh copy of a prepared database (CREATE DATABASE
... TEMPLATE, so every run starts from the same rows):

- poll: `pitboard run --roles poll` workers; `--feeds` feeds on a local feed server, each
  already polled once and now carrying one new article with a driver move, routed to five
  alerts channels. Timed from the moment every feed is made due (the workers are up and
  idle) until every feed's alerts are queued: feeds/s.
- deliver: `pitboard run --roles deliver` workers; five stories queued for each of
  `--channels` Discord channels (5 alerts a channel: within Discord's 5 per 5 s, so no
  channel waits) against a fake Discord REST API. Timed from the moment the alerts become
  due until all are sent: alerts/s. The global pace (PITBOARD_DISCORD_RATE) is lifted, as
  a rate-limit proxy would: what is measured is Pitboard, not Discord's 50/s.

The feed server runs in this process, on its own thread; a light fake Discord
(tests.fakes.light_discord) in a process of its own; the workers are real processes with
real leases (FOR UPDATE SKIP LOCKED). Printed per run: the rate, the ratio to one worker,
the workers' CPU seconds, the load average when the run began (this machine is shared),
and duplicate posts (must be 0). The prepared databases are ANALYZEd first (steady state;
`--cold-statistics` skips it). Needs PostgreSQL (--pg or PITBOARD_TEST_DATABASE_URL);
the databases it creates are dropped at the end."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import logging
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from bot.alerts import route_stories
from bot.models import (
    Article,
    Destination,
    DestinationKind,
    Extraction,
    Move,
    MoveKind,
    Story,
    utcnow,
)
from storage import SqlStore, normalise_url
from storage.tables import OutboxRow, feeds
from tests.benchmarks.bench_fanout import in_own_thread
from tests.e2e.procs import Worker, describe, prime_feeds, quiet_item, worker_env
from tests.fakes.db import PG_ENV
from tests.fakes.feed_server import FakeFeedServer, rss
from tests.fakes.light_discord import LightDiscord

outbox = OutboxRow.__table__
# --same-session: every worker in this process's session. With Linux's autogroup
# scheduling (on by default) a session shares one slice of the CPU however many processes
# it runs, so on a busy machine more workers there cannot get more CPU between them.
SAME_SESSION = [False]
POLL_CHANNELS = 5  # alerts channels each polled story is routed to
STORIES = 5  # stories in the deliver phase, each to every channel
FIRST = ("Marek", "Anders", "Tomas", "Lucien", "Paolo", "Henrik", "Dario", "Kasper",
         "Matteo", "Jonas", "Emil", "Rafael", "Oskar", "Nils", "Teo", "Bruno", "Aksel")
LAST = ("Volkonsky", "Kettleby", "Marchetti", "Lindqvist", "Arroyo", "Falkenrath",
        "Brennholt", "Castellane", "Dunmore", "Esterhazy", "Grimaldo", "Hollenbeck",
        "Ivanescu", "Jablonski", "Korhonen", "Lacroix", "Mendelsohn", "Novakovic")
TEAMS = ("Team Penske", "Arrow McLaren", "Chip Ganassi Racing", "Andretti Global",
         "Action Express Racing", "Porsche Penske Motorsport", "Meyer Shank Racing")


def driver_names(count: int) -> list[str]:
    names = [f"{first} {last}" for last, first in itertools.product(LAST, FIRST)]
    if count > len(names):
        raise SystemExit(f"--feeds at most {len(names)}")
    return names[:count]


def move_entry(driver: str, team: str, guid: str) -> dict[str, str]:
    return {"title": f"{driver} joins {team} for 2026", "guid": guid,
            "link": f"https://news.example/{guid}",
            "pubDate": "Mon, 06 Oct 2025 12:00:00 +0000",
            "description": f"<p>{driver} has signed with {team} for the 2026 season.</p>"}


# ----- databases --------------------------------------------------------------------------


async def admin(base_url: str, statement: str) -> None:
    engine = create_async_engine(make_url(base_url).set(database="postgres"),
                                 isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(text(statement))
    finally:
        await engine.dispose()


@contextlib.asynccontextmanager
async def database(base_url: str, *, template: str | None = None) -> AsyncIterator[str]:
    """A new database (a copy of `template`'s if given), dropped afterwards; its URL."""
    name = f"pitboard_bench_{uuid.uuid4().hex[:10]}"
    await admin(base_url, f'CREATE DATABASE "{name}"'
                + (f' TEMPLATE "{template}"' if template else ""))
    try:
        yield make_url(base_url).set(database=name).render_as_string(hide_password=False)
    finally:
        await admin(base_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def analyze(url: str) -> None:
    """Planner statistics, as autovacuum keeps them in a database that has been running a
    while: the copies start in that steady state. (Right after a bulk insert the planner
    believes the outbox and destinations nearly empty and picks nested loops that make
    each claim among 10,000 alerts take about a second instead of 50 ms, until autovacuum's
    next ANALYZE.)"""
    engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(text("ANALYZE"))
    finally:
        await engine.dispose()


async def prepare_poll(url: str, news: FakeFeedServer, count: int) -> None:
    """Feeds polled once (their quiet entries learned), now each with one new move; five
    alerts channels; nothing due yet (an hour's interval)."""
    store = await SqlStore.open(url)
    try:
        names = driver_names(count)
        for i in range(count):
            path = f"/bench-{i}.xml"
            news.set_feed(path, rss([quiet_item(f"old-{i}-{n}") for n in range(3)],
                                    title=f"Bench feed {i}"))
            await store.add_feed(news.url(path), interval_seconds=3600)
        await prime_feeds(store)
        for i, driver in enumerate(names):
            news.set_feed(f"/bench-{i}.xml", rss(
                [move_entry(driver, TEAMS[i % len(TEAMS)], f"move-{i}")]
                + [quiet_item(f"old-{i}-{n}") for n in range(3)], title=f"Bench feed {i}"))
        for n in range(POLL_CHANNELS):
            await store.set_alert_channel(Destination(
                platform="discord", workspace=str(7 * 10**17 + n), channel=str(8 * 10**17 + n),
                kind=DestinationKind.CHANNEL))
    finally:
        await store.close()


async def prepare_deliver(url: str, channels: int) -> int:
    """STORIES stories queued for each of `channels` alerts channels, due in an hour."""
    store = await SqlStore.open(url)
    try:
        for n in range(channels):
            await store.set_alert_channel(Destination(
                platform="discord", workspace=str(5 * 10**17 + n), channel=str(6 * 10**17 + n),
                kind=DestinationKind.CHANNEL))
        feed = await store.add_feed("https://bench.example/rss.xml")
        stories: list[Story] = []
        for n, driver in enumerate(driver_names(STORIES)):
            [article] = await store.add_articles(feed.id, [Article(
                entry_id=f"d{n}", title=f"{driver} joins Team Penske for 2026")])
            stories += await store.record_extraction(article, Extraction(
                moves=(Move(driver=driver, kind=MoveKind.JOIN, team="Team Penske",
                            series="IndyCar", season=2026),),
                summaries=(f"{driver} → Team Penske",)))
        queued = await route_stories(store, stories, None)
        async with store.engine.begin() as connection:
            await connection.execute(update(outbox).values(
                next_attempt_at=utcnow() + timedelta(hours=1)))
        return queued
    finally:
        await store.close()


# ----- one measured run -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cpu:
    """CPU seconds during a measured phase: the workers, PostgreSQL's backends for the
    run's database, and the fakes (this process: the feed server and the polling for the
    end; the Discord fake's own process)."""

    workers: float
    database: float
    fakes: float


def cpu_seconds(pid: int) -> float:
    """utime + stime of a live process (Linux /proc)."""
    with contextlib.suppress(OSError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return float("nan")


def database_cpu_seconds(name: str) -> dict[int, float]:
    """CPU seconds of each PostgreSQL backend serving database `name` (on this machine:
    the process title names the database)."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/cmdline"):
        with contextlib.suppress(OSError):
            if f" {name} ".encode() in stat.read_bytes().replace(b"\0", b" ") + b" ":
                pid = int(stat.parent.name)
                found[pid] = cpu_seconds(pid)
    return found


async def wait_for(condition: Callable[[], Awaitable[bool]], workers: list[Worker],
                   within: float, what: str) -> None:
    deadline = time.monotonic() + within
    while not await condition():
        if time.monotonic() > deadline or not all(w.alive for w in workers):
            raise SystemExit(f"timed out or a worker died waiting for {what}\n"
                             + describe(workers))
        await asyncio.sleep(0.05)


async def measured(url: str, fake: LightDiscord, roles: str, count: int, folder: Path,
                   start: Callable[[SqlStore], Awaitable[None]],
                   done: Callable[[SqlStore], Awaitable[bool]]) -> tuple[float, Cpu]:
    """Start `count` workers with `roles`, wait until they are idle, `start` the work, and
    time it until `done`. Returns the seconds, and the CPU seconds spent meanwhile."""
    env = worker_env(url, fake, LOG_LEVEL="INFO", PITBOARD_DISCORD_RATE="1000000",
                     PITBOARD_POLL_SECONDS="1", PITBOARD_DELIVERY_SECONDS="0.2",
                     PITBOARD_LEASE_SECONDS="60", PITBOARD_FEED_HOST_LIMIT="16",
                     PITBOARD_COORDINATION_SECONDS="2")
    store = await SqlStore.open(url, upgrade=False)
    workers = [Worker.start(f"{roles}-{n}", env, folder, "--roles", roles,
                            new_session=not SAME_SESSION[0])
               for n in range(count)]
    try:
        async def up() -> bool:
            return all("Pitboard running" in w.log_path.read_text(errors="replace")
                       for w in workers)

        await wait_for(up, workers, 120, "the workers to start")
        await asyncio.sleep(2.5)  # their first ticks found nothing to do; they idle now
        name = make_url(url).database or ""
        cpu_before = sum(cpu_seconds(w.process.pid) for w in workers)
        database_before, here_before = database_cpu_seconds(name), time.process_time()
        fake_before = cpu_seconds(fake.pid)
        began = time.perf_counter()
        await start(store)
        await wait_for(lambda: done(store), workers, 600, f"the {roles} phase to finish")
        elapsed = time.perf_counter() - began
        database_after = database_cpu_seconds(name)
        cpu = Cpu(workers=sum(cpu_seconds(w.process.pid) for w in workers) - cpu_before,
                  database=sum(seconds - database_before.get(pid, 0.0)
                               for pid, seconds in database_after.items()),
                  fakes=time.process_time() - here_before + cpu_seconds(fake.pid) - fake_before)
    finally:
        for worker in workers:
            worker.stop(grace=15)
        await store.close()
    return elapsed, cpu


async def count_rows(store: SqlStore, *where: object) -> int:
    async with store.engine.connect() as connection:
        return (await connection.execute(
            select(func.count()).select_from(outbox).where(*where))).scalar_one()


async def poll_run(template: str, base: str, fake: LightDiscord, workers: int, feed_count: int,
                   folder: Path) -> tuple[float, Cpu]:
    async with database(base, template=template) as url:
        async def make_due(store: SqlStore) -> None:
            async with store.engine.begin() as connection:
                await connection.execute(update(feeds).values(next_poll_at=utcnow()))

        async def queued(store: SqlStore) -> bool:
            return await count_rows(store) >= feed_count * POLL_CHANNELS

        elapsed, cpu = await measured(url, fake, "poll", workers, folder, make_due, queued)
        store = await SqlStore.open(url, upgrade=False)
        try:
            async with store.engine.connect() as connection:
                failed = (await connection.execute(select(func.count()).select_from(feeds)
                          .where(feeds.c.last_error.is_not(None)))).scalar_one()
            rows = await count_rows(store)
        finally:
            await store.close()
        if failed or rows != feed_count * POLL_CHANNELS:
            raise SystemExit(f"poll run: {failed} feeds failed, {rows} alerts queued")
        return elapsed, cpu


async def deliver_run(template: str, base: str, fake: LightDiscord, workers: int, alerts: int,
                      folder: Path) -> tuple[float, Cpu, int]:
    fake.reset()
    async with database(base, template=template) as url:
        async def make_due(store: SqlStore) -> None:
            async with store.engine.begin() as connection:
                await connection.execute(update(outbox).values(next_attempt_at=utcnow()))

        async def sent(store: SqlStore) -> bool:
            return await count_rows(store, outbox.c.status == "sent") >= alerts

        elapsed, cpu = await measured(url, fake, "deliver", workers, folder, make_due, sent)
    posted = fake.stats()
    # A post twice with one nonce, or more posts than alerts: both are double sends.
    duplicates = posted["duplicates"] + max(posted["posts"] - alerts, 0)
    return elapsed, cpu, duplicates


# ----- the report -------------------------------------------------------------------------


def line(phase: str, workers: int, work: int, unit: str, elapsed: float, cpu: Cpu,
         baseline: float | None, load: float, extra: str = "") -> str:
    rate = work / elapsed
    ratio = f"{rate / baseline:4.2f}x one worker" if baseline else "baseline"
    used = (cpu.workers + cpu.database + cpu.fakes) / elapsed
    return (f"{phase:7} {workers} worker{'s' if workers > 1 else ' '}: {work} {unit} in "
            f"{elapsed:6.2f} s = {rate:7.1f} {unit}/s, {ratio}; CPU s: workers "
            f"{cpu.workers:4.1f} ({cpu.workers / work * 1000:4.1f} ms per {unit[:-1]}), "
            f"postgres {cpu.database:4.1f}, fakes {cpu.fakes:4.1f} = {used:4.2f} of "
            f"{os.cpu_count()} cores; load {load:4.2f}{extra}")


def autogroup() -> str:
    """Whether Linux's autogroup scheduling is on: "1", "0" or "n/a"."""
    setting = Path("/proc/sys/kernel/sched_autogroup_enabled")
    return setting.read_text().strip() if setting.exists() else "n/a"


async def main(args: argparse.Namespace) -> None:
    logging.basicConfig(level=logging.ERROR)
    base = normalise_url(args.pg or os.environ.get(PG_ENV) or "")
    if not base:
        raise SystemExit(f"needs PostgreSQL: --pg URL or {PG_ENV}")
    SAME_SESSION[0] = args.same_session
    print(f"bench_workers: {os.cpu_count()} CPUs, {args.feeds} feeds, "
          f"{STORIES * args.channels} alerts, workers {args.workers}, repeat {args.repeat}, "
          f"workers in {'this session' if args.same_session else 'sessions of their own'} "
          f"(autogroup {autogroup()})",
          flush=True)
    with tempfile.TemporaryDirectory() as folder, \
            in_own_thread(FakeFeedServer()) as news, LightDiscord.running() as fake:
        async with database(base) as poll_url, database(base) as deliver_url:
            await prepare_poll(poll_url, news, args.feeds)
            alerts = await prepare_deliver(deliver_url, args.channels)
            if not args.cold_statistics:
                await analyze(poll_url)
                await analyze(deliver_url)
            poll_template = make_url(poll_url).database
            deliver_template = make_url(deliver_url).database
            assert poll_template and deliver_template
            rates: dict[tuple[str, int], list[float]] = {}
            for _round, workers in itertools.product(range(args.repeat), args.workers):
                load = os.getloadavg()[0]
                elapsed, cpu = await poll_run(poll_template, base, fake, workers, args.feeds,
                                              Path(folder))
                rates.setdefault(("poll", workers), []).append(args.feeds / elapsed)
                one = rates.get(("poll", 1))
                print(line("poll", workers, args.feeds, "feeds", elapsed, cpu,
                           statistics.median(one) if one and workers != 1 else None, load),
                      flush=True)
                load = os.getloadavg()[0]
                elapsed, cpu, duplicates = await deliver_run(
                    deliver_template, base, fake, workers, alerts, Path(folder))
                rates.setdefault(("deliver", workers), []).append(alerts / elapsed)
                one = rates.get(("deliver", 1))
                print(line("deliver", workers, alerts, "alerts", elapsed, cpu,
                           statistics.median(one) if one and workers != 1 else None, load,
                           f"; duplicate posts {duplicates}"), flush=True)
            print("summary (median rate, ratio to one worker; target: 2 workers >= 1.4x):")
            for phase, unit in (("poll", "feeds/s"), ("deliver", "alerts/s")):
                one = statistics.median(rates[(phase, args.workers[0])])
                print(f"  {phase:7} " + "  ".join(
                    f"{n}: {statistics.median(rates[(phase, n)]):7.1f} {unit} "
                    f"({statistics.median(rates[(phase, n)]) / one:4.2f}x)"
                    for n in args.workers), flush=True)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench_workers", description=__doc__.split("\n")[0])
    parser.add_argument("--pg", help=f"PostgreSQL base URL (default: ${PG_ENV})")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--feeds", type=int, default=300)
    parser.add_argument("--channels", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--same-session", action="store_true",
                        help="start the workers in this session, not each in its own as "
                             "a service manager would (see SAME_SESSION)")
    parser.add_argument("--cold-statistics", action="store_true",
                        help="skip ANALYZE of the prepared databases: the planner's view "
                             "right after a bulk insert, before autovacuum has looked")
    args = parser.parse_args(argv)
    if args.workers[0] != 1:
        parser.error("--workers starts with 1: the baseline")
    if min(args.feeds, args.channels, args.repeat) < 1:
        parser.error("--feeds, --channels and --repeat must be positive")
    return args


if __name__ == "__main__":
    asyncio.run(main(parse_args(sys.argv[1:])))
