"""How fast one poll cycle goes: many feeds fetched, parsed, read for moves and stored.

    .venv/bin/python tests/benchmarks/bench_pipeline.py                  # SQLite (temp file)
    .venv/bin/python tests/benchmarks/bench_pipeline.py --pg postgresql+asyncpg://postgres@127.0.0.1/x
    .venv/bin/python tests/benchmarks/bench_pipeline.py --feeds 100 --items 10   # quicker

A FakeFeedServer in a process of its own on 127.0.0.1 serves `--feeds` RSS feeds of `--items`
articles (about 300 words each, from tests/benchmarks/bench_rules.py). The real Pipeline
(HttpFeedFetcher, feedparser, the rules engine, SqlStore) then runs three cycles, each
claiming due feeds 100 at a time (as a worker's tick does) until none is left:

1. cold: every article is new (the priming poll: stored and read, not announced);
2. unchanged: every feed answers 304 to the conditional GET;
3. news: one new article per feed, announced (routed to an alerts channel's outbox).

For each it prints feeds/s, articles/s and p50/p99 per-feed poll latency (first byte asked
to poll recorded, without the wait for a free slot), and where the time went: fetch (HTTP,
waiting on the server), parse (feedparser, in a thread), extract (the rules engine) and
storage (SqlStore calls). Those are summed over feeds, which overlap (8 at a time), so they
are shares of work, not of the wall clock. Beside them, baselines measured in the same run on
the same inputs, one at a time: parse-only and extract-only. On PostgreSQL it works in a
database of its own beside the one in the URL and drops it afterwards. Every cycle is
bounded by --time-limit; the script stops by itself. Not a pytest test."""

from __future__ import annotations

import argparse
import asyncio
import inspect
import multiprocessing
import os
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import feeds
import feeds.fetch
from bot.models import (
    Article,
    Destination,
    DestinationKind,
    Extraction,
    Feed,
    FetchResult,
    utcnow,
)
from bot.pipeline import Pipeline
from bot.rules import extract, gazetteer
from storage import SqlStore, normalise_url
from tests.benchmarks.bench_rules import as_rss, build_articles
from tests.fakes.db import pg_database, sqlite_url
from tests.fakes.feed_server import FakeFeedServer

CLAIM_LIMIT = 100  # what a worker's tick claims (Pipeline.poll_due's default)
INTERVAL = 600  # seconds, each feed's poll interval (the default)


# ----- the news site, in a process of its own -----------------------------------------------


def _feed_articles(feed_count: int, items: int, seed: int) -> list[list[Article]]:
    articles = build_articles(feed_count * (items + 1), seed)
    return [articles[i * (items + 1):(i + 1) * (items + 1)] for i in range(feed_count)]


def serve_feeds(conn: Connection, feed_count: int, items: int, seed: int) -> None:
    """Child process: serve the feeds until told to stop. Commands: "news" (one more
    article in every feed), "stop"."""
    async def main() -> None:
        per_feed = _feed_articles(feed_count, items, seed)
        async with FakeFeedServer() as server:
            for index, articles in enumerate(per_feed):
                server.set_feed(f"/feed-{index}.xml", as_rss(articles[1:]))
            conn.send(server.port)
            loop = asyncio.get_running_loop()
            while True:
                command = await loop.run_in_executor(None, conn.recv)
                if command == "news":
                    for index, articles in enumerate(per_feed):
                        server.set_feed(f"/feed-{index}.xml", as_rss(articles))
                    conn.send("ok")
                else:
                    return

    asyncio.run(main())


@contextmanager
def news_site(feed_count: int, items: int, seed: int) -> Iterator[tuple[int, Connection]]:
    ours, theirs = multiprocessing.Pipe()
    process = multiprocessing.get_context("spawn").Process(
        target=serve_feeds, args=(theirs, feed_count, items, seed), daemon=True)
    process.start()
    try:
        deadline = time.monotonic() + 120
        while not ours.poll(0.2):
            if not process.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the feed server process did not start")
        yield ours.recv(), ours
    finally:
        ours.send("stop")
        process.join(10)
        if process.is_alive():
            process.kill()


# ----- instruments --------------------------------------------------------------------------


@dataclass
class Phases:
    """Seconds spent per phase, summed over feeds; per-feed start/finish times."""
    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    store_calls: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    started: dict[int, float] = field(default_factory=dict)
    finished: dict[int, float] = field(default_factory=dict)
    articles_seen: list[Article] = field(default_factory=list)
    bodies_parsed: list[tuple[bytes, dict[str, Any]]] = field(default_factory=list)

    def latencies(self) -> list[float]:
        return sorted(self.finished[i] - self.started[i] for i in self.finished
                      if i in self.started)


class TimedFetcher:
    def __init__(self, inner: feeds.HttpFeedFetcher, phases: Callable[[], Phases]) -> None:
        self.inner = inner
        self.phases = phases

    async def fetch(self, feed: Feed) -> FetchResult:
        phases = self.phases()
        started = time.perf_counter()
        phases.started[feed.id] = started
        try:
            return await self.inner.fetch(feed)
        finally:
            phases.seconds["fetch+parse"] += time.perf_counter() - started


class TimedStore:
    """Times every coroutine call of the store it wraps; recording a poll ends it."""

    def __init__(self, inner: SqlStore, phases: Callable[[], Phases]) -> None:
        self.inner = inner
        self.phases = phases

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.inner, name)
        if not inspect.iscoroutinefunction(method):
            return method

        async def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return await method(*args, **kwargs)
            finally:
                finished = time.perf_counter()
                phases = self.phases()
                phases.seconds["storage"] += finished - started
                phases.store_calls[name].append(finished - started)
                # A poll ends where it is recorded: alone, or in a group (ingest_polls:
                # polls that stored nothing, and first polls with their articles).
                if name == "record_poll":
                    phases.finished[args[0]] = finished
                elif name == "ingest_polls":
                    for feed_id, _entries, _result in args[0]:
                        phases.finished[feed_id] = finished
        return timed


def timed_parse(phases: Callable[[], Phases]) -> Callable[..., feeds.ParsedFeed]:
    """feeds.fetch calls parse_feed in a worker thread; time each call where it runs."""
    parse = feeds.parse_feed

    def parse_feed(body: bytes, **kwargs: Any) -> feeds.ParsedFeed:
        started = time.perf_counter()
        try:
            return parse(body, **kwargs)
        finally:
            current = phases()
            current.seconds["parse"] += time.perf_counter() - started
            current.bodies_parsed.append((body, kwargs))
    return parse_feed


def timed_extract(phases: Callable[[], Phases]) -> Callable[[Article], Extraction]:
    def extractor(article: Article) -> Extraction:
        started = time.perf_counter()
        try:
            return extract(article)
        finally:
            current = phases()
            current.seconds["extract"] += time.perf_counter() - started
            current.articles_seen.append(article)
    return extractor


# ----- the run ------------------------------------------------------------------------------


def percentile(sorted_values: list[float], share: float) -> float:
    if not sorted_values:
        return 0.0
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * share))]


async def run_cycle(pipeline: Pipeline, now: datetime, limit_seconds: float
                    ) -> tuple[float, int, int, int, int]:
    """Claim and poll due feeds until none is left; (seconds, feeds, new articles, stories,
    errors)."""
    polled = new_articles = stories = errors = 0
    started = time.perf_counter()
    async with asyncio.timeout(limit_seconds):
        while reports := await pipeline.poll_due(now=now, limit=CLAIM_LIMIT):
            polled += len(reports)
            new_articles += sum(r.new_articles for r in reports)
            stories += sum(r.new_stories for r in reports)
            errors += sum(1 for r in reports if r.error)
            for report in reports:
                if report.error and errors <= 3:
                    print(f"    feed error: {report.url}: {report.error}")
    return time.perf_counter() - started, polled, new_articles, stories, errors


def report_cycle(label: str, phases: Phases, result: tuple[float, int, int, int, int],
                 extract_baseline: bool) -> None:
    elapsed, polled, new_articles, stories, errors = result
    latencies = phases.latencies()
    print(f"  {label}: {elapsed:.2f} s for {polled} feeds ({errors} errors): "
          f"{polled / elapsed:,.0f} feeds/s, {new_articles / elapsed:,.0f} new articles/s, "
          f"{stories} stories; per feed p50 {percentile(latencies, 0.5) * 1e3:.0f} ms, "
          f"p99 {percentile(latencies, 0.99) * 1e3:.0f} ms")
    spent = dict(phases.seconds)
    fetch = max(0.0, spent.get("fetch+parse", 0.0) - spent.get("parse", 0.0))
    shares = {"fetch": fetch, "parse": spent.get("parse", 0.0),
              "extract": spent.get("extract", 0.0), "storage": spent.get("storage", 0.0)}
    total = sum(shares.values()) or 1.0
    print("    work by phase (summed over feeds): " + ", ".join(
        f"{name} {seconds:.2f} s ({seconds / total:.0%})" for name, seconds in shares.items()))
    calls = sorted(phases.store_calls.items(), key=lambda item: -sum(item[1]))
    print("    storage calls: " + ", ".join(
        f"{name} {len(times)}x {sum(times):.2f} s (p50 {percentile(sorted(times), 0.5) * 1e3:.1f}"
        f" ms)" for name, times in calls))
    if not extract_baseline:
        return
    started = time.perf_counter()
    for body, kwargs in phases.bodies_parsed:
        feeds.parse_feed(body, **kwargs)
    parse_only = time.perf_counter() - started
    started = time.perf_counter()
    for article in phases.articles_seen:
        extract(article)
    extract_only = time.perf_counter() - started
    count = len(phases.articles_seen)
    print(f"    baselines on the same inputs, one at a time: parse-only "
          f"{len(phases.bodies_parsed)} documents {parse_only:.2f} s; extract-only {count} "
          f"articles {extract_only:.2f} s ({count / extract_only:,.0f}/s); the cycle took "
          f"{elapsed / extract_only:.1f}x extract-only")


async def bench_backend(name: str, url: str, port: int, control: Connection,
                        args: argparse.Namespace) -> None:
    store = await SqlStore.open(url)
    current = Phases()
    fetcher = feeds.HttpFeedFetcher(feeds.FetchSettings(allow_private=True))
    original_parse = feeds.fetch.parse_feed
    feeds.fetch.parse_feed = timed_parse(lambda: current)  # type: ignore[assignment]
    try:
        for index in range(args.feeds):
            await store.add_feed(f"http://127.0.0.1:{port}/feed-{index}.xml",
                                 interval_seconds=INTERVAL)
        await store.set_alert_channel(Destination(
            platform="console", workspace="bench", channel="alerts",
            kind=DestinationKind.CHANNEL))
        pipeline = Pipeline(TimedStore(store, lambda: current),  # type: ignore[arg-type]
                            TimedFetcher(fetcher, lambda: current),  # type: ignore[arg-type]
                            extractor=timed_extract(lambda: current), gazetteer=gazetteer(),
                            worker_id="bench")
        print(f"{name}: {args.feeds} feeds x {args.items} articles, claimed {CLAIM_LIMIT} "
              f"at a time, 8 feeds at once")

        result = await run_cycle(pipeline, utcnow(), args.time_limit)
        report_cycle("cycle 1, cold (priming)", current, result, extract_baseline=True)

        # Every feed's interval is over; a feed polled in this cycle is not due again in it.
        current = Phases()
        result = await run_cycle(pipeline, utcnow() + timedelta(seconds=INTERVAL),
                                 args.time_limit)
        report_cycle("cycle 2, unchanged (304)", current, result, extract_baseline=False)

        control.send("news")
        if not control.poll(60) or control.recv() != "ok":
            raise RuntimeError("the feed server did not publish the news")
        current = Phases()
        result = await run_cycle(pipeline, utcnow() + timedelta(seconds=INTERVAL),
                                 args.time_limit)
        report_cycle("cycle 3, one new article per feed (announced)", current, result,
                     extract_baseline=False)
    finally:
        feeds.fetch.parse_feed = original_parse  # type: ignore[assignment]
        await fetcher.close()
        await store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=500)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--pg", default=os.environ.get("PITBOARD_TEST_DATABASE_URL"),
                        help="a PostgreSQL URL: also run there (default: "
                             "$PITBOARD_TEST_DATABASE_URL)")
    parser.add_argument("--skip-sqlite", action="store_true",
                        help="only PostgreSQL (with --pg)")
    parser.add_argument("--time-limit", type=float, default=300.0,
                        help="seconds any one cycle may take before the run gives up")
    args = parser.parse_args()

    if not args.skip_sqlite:
        with news_site(args.feeds, args.items, args.seed) as (port, control), \
                tempfile.TemporaryDirectory(prefix="pitboard-bench-") as folder:
            asyncio.run(bench_backend("sqlite", sqlite_url(Path(folder) / "bench.db"), port,
                                      control, args))
    if args.pg:  # a fresh news site: the news is out on the first one
        with news_site(args.feeds, args.items, args.seed) as (port, control), \
                pg_database(normalise_url(args.pg)) as url:
            asyncio.run(bench_backend("postgresql", url, port, control, args))


if __name__ == "__main__":
    main()
