"""How fast the rules engine reads articles, beside feedparser's parse rate of the same articles.

    .venv/bin/python -m tests.benchmarks.bench_rules [--corpus DIR | --synthetic N] [--runs 5]
        [--clock process|wall]

By default reads the labelled corpus (`../shared/eval/dev.jsonl` and `train-*.jsonl`: real news,
every item once), times `extract` one article at a time on one core, then serves the same
articles as one RSS 2.0 document to feedparser and times its parse, in the same run. With
`--synthetic N` it builds N articles of about 300 words from templates and gazetteer names
instead (moves, race reports, rumours, staff news). Prints rates, percentiles and the ratio.
Both sides are timed by this process's CPU time unless `--clock wall` is given: on a shared
machine the wall clock of one side can double while the other runs undisturbed, which made the
ratio swing from 0.3x to 0.6x between identical runs.
Not a pytest test: a shared machine's timing must not fail CI.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import feedparser

from bot.models import Article
from bot.rules import article_from_item, default_engine, extract

EVAL_DIR = Path(__file__).resolve().parents[3] / "shared" / "eval"


def corpus_articles(folder: Path) -> list[Article]:
    """Every labelled news item as the article `pitboard extract` reads, with a unique id."""
    import json

    articles = []
    for path in [folder / "dev.jsonl", *sorted(folder.glob("train-*.jsonl"))]:
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    articles.append(article_from_item(json.loads(line)))
    return articles

HEADLINES = [
    "{team} signs {driver} for {year}",
    "{driver} to join {team} in {year}",
    "{driver} leaves {team} at the end of the season",
    "{team} confirms {driver} exit",
    "{driver} wins at {track} as {other} crashes out",
    "{team} names new team principal",
    "{driver} linked with {team} seat",
    "{driver} extends deal with {team}",
]
LEADS = [
    "{team} has confirmed that {driver} will join the squad for the {year} season, driving the "
    "No. {car} alongside {other}.",
    "{driver} will leave {team} when the {year0} campaign ends, the team announced on Monday.",
    "{driver} took victory at {track} on Sunday after {other} retired from the lead with a "
    "mechanical problem.",
    "{team} has re-signed {driver} on a multi-year deal that keeps the car No. {car} in the "
    "same hands for {year}.",
    "{driver} is expected to join {team} next season, according to sources close to the deal.",
    "{team} has promoted its reserve driver {driver} to a full-time race seat for {year}.",
]
FILLER = [
    "The team spent the winter working on the car and said it was pleased with the progress "
    "made in testing, pointing to the long runs as the most encouraging sign.",
    "{other} finished third in the standings last year and is expected to be one of the main "
    "contenders again, with the first round only a few weeks away.",
    "The series will visit {track} twice this year, and the new schedule includes two "
    "additional sprint events that organisers hope will draw bigger crowds.",
    "Engineers from both sides met during the week to discuss the technical partnership, "
    "which covers simulator work, data sharing and a joint young-driver programme.",
    "Speaking after the announcement, the driver said the move was the right step at the "
    "right time and thanked everyone who had helped along the way.",
    "Practice begins on Friday morning, with qualifying later the same day and the race "
    "scheduled for Sunday afternoon in front of an expected sell-out crowd.",
]
TRACKS = ["Daytona", "Sebring", "Spa", "Monza", "Laguna Seca", "Road America", "Bathurst", "Jerez"]


def build_articles(count: int, seed: int) -> list[Article]:
    engine = default_engine()
    gazetteer = engine.gazetteer
    drivers = gazetteer.driver_names() or ["Alex Example", "Sam Sample"]
    teams = gazetteer.team_names() or ["Example Racing"]
    rng = random.Random(seed)
    start = datetime(2024, 6, 1, tzinfo=UTC)
    articles = []
    for index in range(count):
        values = {
            "driver": rng.choice(drivers), "other": rng.choice(drivers),
            "team": rng.choice(teams), "year": rng.choice((2024, 2025, 2026)),
            "car": rng.randint(1, 99), "track": rng.choice(TRACKS),
        }
        values["year0"] = values["year"] - 1
        title = rng.choice(HEADLINES).format(**values)
        paragraphs = [rng.choice(LEADS).format(**values)]
        while sum(len(p.split()) for p in paragraphs) < 290:
            values["other"] = rng.choice(drivers)
            paragraphs.append(rng.choice(FILLER).format(**values))
        articles.append(Article(
            entry_id=f"bench-{index}", title=title, summary="\n\n".join(paragraphs),
            url=f"https://news.example/{index}", published=start + timedelta(hours=index),
        ))
    return articles


def as_rss(articles: list[Article]) -> str:
    items = "".join(
        f"<item><title>{escape(a.title)}</title><link>{escape(a.url or '')}</link>"
        f"<guid>{escape(a.entry_id)}</guid>"
        f"<pubDate>{format_datetime(a.published) if a.published else ''}</pubDate>"
        f"<description>{escape(a.summary)}</description></item>"
        for a in articles
    )
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Bench</title><link>https://news.example/</link>{items}</channel></rss>")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=EVAL_DIR,
                        help="folder of the labelled corpus (default ../shared/eval)")
    parser.add_argument("--synthetic", type=int, metavar="N",
                        help="time N template-built articles instead of the corpus")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=5, help="timed runs; the fastest is shown")
    parser.add_argument("--clock", choices=("process", "wall"), default="process",
                        help="CPU time of this process (default: what the code costs on one "
                             "core, whatever else the machine runs) or wall-clock time")
    args = parser.parse_args()
    clock = time.process_time if args.clock == "process" else time.perf_counter
    if args.synthetic:
        articles = build_articles(args.synthetic, args.seed)
    else:
        articles = corpus_articles(args.corpus)
        print(f"corpus: {args.corpus}")
    words = statistics.mean(len(f"{a.title} {a.summary}".split()) for a in articles)
    for article in articles[:50]:  # warm caches the way a running bot has them warm
        extract(article)
    document = as_rss(articles)
    # Best of --runs for both, as timeit does: other processes on a shared machine only ever
    # make a run slower, so the fastest run is the closest to the code's own cost.
    elapsed = feed_elapsed = float("inf")
    timings: list[float] = []
    moves = 0
    for _ in range(args.runs):
        gc.collect()
        run_timings = []
        moves = 0
        started = clock()
        for article in articles:
            # Percentiles by the wall clock: the process clock ticks too coarsely on some
            # systems to time one article.
            t0 = time.perf_counter()
            moves += len(extract(article).moves)
            run_timings.append(time.perf_counter() - t0)
        run_elapsed = clock() - started
        if run_elapsed < elapsed:
            elapsed, timings = run_elapsed, run_timings
        gc.collect()
        t0 = clock()
        parsed = feedparser.parse(document)
        feed_elapsed = min(feed_elapsed, clock() - t0)
        assert len(parsed.entries) == len(articles), "feedparser lost entries"
    timings.sort()
    rate = len(articles) / elapsed
    feed_rate = len(articles) / feed_elapsed
    print(f"articles: {len(articles)} (mean {words:.0f} words), moves found: {moves}; "
          f"best of {args.runs} runs, {args.clock} time")
    print(f"extract: {rate:,.0f} articles/s on one core; "
          f"p50 {timings[len(timings) // 2] * 1e6:.0f} us, "
          f"p99 {timings[int(len(timings) * 0.99)] * 1e6:.0f} us per article")
    print(f"feedparser: {feed_rate:,.0f} articles/s parsing the same articles as one RSS document "
          f"({len(document) / 1e6:.1f} MB)")
    print(f"ratio: extract is {rate / feed_rate:.2f}x feedparser's rate")


if __name__ == "__main__":
    main()
