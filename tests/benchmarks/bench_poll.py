"""Pitboard's poll cycle against lemon24/reader's update_feeds, on the same local feeds.

    .venv/bin/python tests/benchmarks/bench_poll.py                      # 2,000 feeds
    .venv/bin/python tests/benchmarks/bench_poll.py --feeds 500 --reader-workers 1 4 16
    .venv/bin/python tests/benchmarks/bench_poll.py --feeds 10000 --no-reader

A light aiohttp server in a process of its own on 127.0.0.1 serves `--feeds` RSS feeds of
20 items: 80% answer 304 to a conditional GET, 15% send the same 200 body every time
(no validators), 5% gain 1-3 new items before each steady cycle. Each contender runs in a
fresh process of its own (so peak RSS is its own): a cold cycle (first poll of every feed)
then a steady one. Printed per contender: feeds/s, CPU seconds per 1,000 polls, peak RSS
(the process's VmHWM) and its RSS before the first poll (imports, rules engine, feeds
added: what polling adds is the difference), then the ratios. Pitboard runs the real
pipeline (HttpFeedFetcher, feedparser, the rules engine, SqlStore on a SQLite temp file);
its per-host limit is lifted to its concurrency, since every feed here lives on one host;
its database is migrated first in a process of its own, as the Procfile's release step does.
reader runs `update_feeds(workers=N)` for each `--reader-workers` N and the best N is
compared. Bounded by --time-limit per cycle; the script stops by itself. Not a pytest
test."""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import resource
import sys
import tempfile
import time
from datetime import timedelta
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

ITEMS = 20


def kind(n: int) -> str:
    slot = n % 100
    return "etag" if slot < 80 else ("same" if slot < 95 else "news")


# ----- the server ----------------------------------------------------------------------------

def serve(port_out: Connection, feeds: int) -> None:
    from aiohttp import web

    # Imported here, not at the top: it brings pytest along, which has no place in the
    # contenders' processes (they import this module too, and their RSS is measured).
    from tests.fakes.feed_server import rss

    cycle = [0]
    bodies: dict[tuple[int, int], bytes] = {}

    def body(n: int) -> bytes:
        extra = (n % 3 + 1) * cycle[0] if kind(n) == "news" else 0
        key = (n, extra)
        if key not in bodies:
            items = [{"title": f"Feed {n} story {i}: paddock notes", "guid": f"f{n}-{i}",
                      "link": f"https://news.example/{n}/{i}",
                      "description": "<p>Practice times and weather for the weekend.</p>",
                      "pubDate": "Mon, 01 Jan 2024 10:00:00 +0000"}
                     for i in range(extra, extra + ITEMS)]
            bodies[key] = rss(items, title=f"Feed {n}")
        return bodies[key]

    async def handle(request: web.Request) -> web.Response:
        n = int(request.match_info["n"])
        if kind(n) == "etag":
            tag = f'"v{n}"'
            if request.headers.get("If-None-Match") == tag:
                return web.Response(status=304, headers={"ETag": tag})
            return web.Response(body=body(n), content_type="application/rss+xml",
                                headers={"ETag": tag})
        return web.Response(body=body(n), content_type="application/rss+xml")

    async def advance(_request: web.Request) -> web.Response:
        cycle[0] += 1
        return web.Response(text=str(cycle[0]))

    async def main() -> None:
        app = web.Application()
        app.router.add_get("/f/{n}.xml", handle)
        app.router.add_post("/advance", advance)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0, backlog=1024)
        await site.start()
        port_out.send(runner.addresses[0][1])
        await asyncio.Event().wait()

    asyncio.run(main())


def advance(port: int) -> None:
    import urllib.request

    urllib.request.urlopen(urllib.request.Request(
        f"http://127.0.0.1:{port}/advance", method="POST"), timeout=10).read()


# ----- the contenders, each in a fresh process -------------------------------------------------

def _status_mb(field: str) -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise LookupError(field)


def peak_rss_mb() -> float:
    """This process's own peak RSS. Not getrusage's ru_maxrss: across exec Linux keeps the
    larger of the parent's and the child's, so a spawned contender would report at least
    the benchmark's own peak."""
    try:
        return _status_mb("VmHWM")
    except (OSError, LookupError):  # not Linux
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb() -> float:
    try:
        return _status_mb("VmRSS")
    except (OSError, LookupError):
        return 0.0


def migrate(out: Connection, database_url: str) -> None:
    """The release step (`pitboard db upgrade` in the Procfile): the schema is made before
    the worker starts, in a process of its own, as a deployment does."""
    from storage import upgrade

    asyncio.run(upgrade(database_url))
    out.send(True)


def run_pitboard(out: Connection, port: int, feeds: int, concurrency: int,
                 limit: float, database_url: str) -> None:
    import feeds as feeds_pkg
    from bot.models import utcnow
    from bot.pipeline import Pipeline
    from bot.rules import extract, gazetteer
    from storage import SqlStore

    async def main() -> dict[str, Any]:
        store = await SqlStore.open(database_url)
        settings = feeds_pkg.FetchSettings(allow_private=True, timeout_seconds=30)
        figures: dict[str, Any] = {}
        async with feeds_pkg.HttpFeedFetcher(settings) as fetcher:
            pipeline = Pipeline(store, fetcher, extractor=extract, gazetteer=gazetteer(),
                                worker_id="bench", concurrency=concurrency,
                                per_host=concurrency, lease_seconds=int(limit * 2))
            for n in range(feeds):
                await store.add_feed(f"http://127.0.0.1:{port}/f/{n}.xml")
            # What polling itself costs is the peak less this: imports, rules engine, store.
            figures["ready_mb"] = rss_mb()
            for phase in ("cold", "steady"):
                if phase == "steady":
                    advance(port)
                    await store.mark_all_due(utcnow())
                cpu, wall = time.process_time(), time.perf_counter()
                reports = await asyncio.wait_for(
                    pipeline.poll_due(now=utcnow() + timedelta(seconds=1)), limit)
                wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
                errors = [r.error for r in reports if r.error]
                figures[phase] = {"polls": len(reports), "seconds": wall, "cpu": cpu,
                                  "errors": len(errors), "first_error": errors[:1]}
        await store.close()
        figures["rss_mb"] = peak_rss_mb()
        return figures

    out.send(asyncio.run(main()))


def run_reader(out: Connection, port: int, feeds: int, workers: int, limit: float) -> None:
    from reader import make_reader

    folder = tempfile.mkdtemp(prefix="bench-reader-")
    reader = make_reader(f"{folder}/r.sqlite")
    for n in range(feeds):
        reader.add_feed(f"http://127.0.0.1:{port}/f/{n}.xml")
    figures: dict[str, Any] = {"ready_mb": rss_mb()}
    for phase in ("cold", "steady"):
        if phase == "steady":
            advance(port)
        cpu, wall = time.process_time(), time.perf_counter()
        # scheduled=False: every feed now, as Pitboard's cycle does (reader would wait
        # for its own schedule and skip them all).
        reader.update_feeds(workers=workers, scheduled=False)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        figures[phase] = {"polls": feeds, "seconds": wall, "cpu": cpu, "errors": 0}
    reader.close()
    figures["rss_mb"] = peak_rss_mb()
    out.send(figures)


def in_process(target: Any, *args: Any, limit: float) -> dict[str, Any]:
    receive, send = multiprocessing.Pipe(duplex=False)
    process = multiprocessing.get_context("spawn").Process(target=target, args=(send, *args))
    process.start()
    try:
        if not receive.poll(limit * 3):
            raise TimeoutError(f"{target.__name__} did not finish in time")
        return receive.recv()
    finally:
        process.kill()
        process.join()


def line(name: str, figures: dict[str, Any]) -> None:
    for phase in ("cold", "steady"):
        f = figures[phase]
        rate = f["polls"] / f["seconds"] if f["seconds"] else float("inf")
        print(f"  {name:<22} {phase:<6} {f['polls']:>6} polls in {f['seconds']:6.1f} s  "
              f"{rate:8.1f} feeds/s  "
              f"{1000 * f['cpu'] / max(f['polls'], 1):6.2f} CPU s/1,000 polls  "
              f"errors {f['errors']}")
    print(f"  {name:<22} peak RSS {figures['rss_mb']:.0f} MB "
          f"({figures['ready_mb']:.0f} MB before the first poll)")


def rate(figures: dict[str, Any], phase: str) -> float:
    return figures[phase]["polls"] / figures[phase]["seconds"]


def cpu_per_poll(figures: dict[str, Any], phase: str) -> float:
    return figures[phase]["cpu"] / max(figures[phase]["polls"], 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--feeds", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--reader-workers", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument("--no-reader", action="store_true")
    parser.add_argument("--time-limit", type=float, default=900.0,
                        help="seconds per cycle before giving up")
    args = parser.parse_args()

    receive, send = multiprocessing.Pipe(duplex=False)
    server = multiprocessing.get_context("spawn").Process(target=serve,
                                                          args=(send, args.feeds), daemon=True)
    server.start()
    try:
        port = receive.recv()
        print(f"{args.feeds} feeds on 127.0.0.1:{port} (80% 304, 15% same body, 5% news)")
        # Each contender advances the server once between its cold and steady cycles, so
        # each finds the same 1-3 new items per news feed that its own cold cycle lacked.
        database_url = f"sqlite+aiosqlite:///{tempfile.mkdtemp(prefix='bench-poll-')}/p.db"
        in_process(migrate, database_url, limit=args.time_limit)
        pitboard = in_process(run_pitboard, port, args.feeds, args.concurrency,
                              args.time_limit, database_url, limit=args.time_limit)
        line(f"pitboard (c={args.concurrency})", pitboard)
        if args.no_reader:
            return
        best: dict[str, Any] | None = None
        for workers in args.reader_workers:
            figures = in_process(run_reader, port, args.feeds, workers, args.time_limit,
                                 limit=args.time_limit)
            line(f"reader (workers={workers})", figures)
            if best is None or rate(figures, "steady") > rate(best, "steady"):
                best = figures
        assert best is not None
        print("pitboard / best reader:")
        for phase in ("cold", "steady"):
            print(f"  {phase:<6} feeds/s {rate(pitboard, phase) / rate(best, phase):5.2f}x   "
                  f"CPU per poll {cpu_per_poll(pitboard, phase) / cpu_per_poll(best, phase):5.2f}x")
        print(f"  peak RSS {pitboard['rss_mb'] / best['rss_mb']:5.2f}x")
    finally:
        server.kill()
        server.join()


if __name__ == "__main__":
    main()
