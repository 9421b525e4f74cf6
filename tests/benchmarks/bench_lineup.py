"""How fast do /lineup, /driver and /changes answer on a big database?

    .venv/bin/python tests/benchmarks/bench_lineup.py                 # SQLite (temp file)
    .venv/bin/python tests/benchmarks/bench_lineup.py --pg postgresql://postgres@127.0.0.1/x
    PITBOARD_TEST_DATABASE_URL=... .venv/bin/python tests/benchmarks/bench_lineup.py

Builds 100,000 seats (20 series x 10 seasons x 500) held by 12,000 drivers with realistic
names (accents, particles, double-barrelled surnames, shared surnames), one story, one
source and one history event per seat, the names table as the pipeline fills it (drivers,
teams, series, cars) and 1,000,000 articles, bulk-loaded (executemany on SQLite, COPY on
PostgreSQL) into a schema made by the real migrations.

Then times each command through the command core (`Commands.run`, what every adapter
calls: option checks, name resolution, storage, cards) and prints p50/p99 per command,
with two baselines measured in the same run: the storage calls alone behind /driver (the
command's overhead is the ratio) and the old /driver look-up that read and scored every
known name on each call (the in-memory name index's gain is the ratio).
On PostgreSQL it works in a database of its own (pitboard_bench_<random>) beside the one
in the URL and drops it afterwards.
Targets: p99 <= 5 ms on SQLite, <= 10 ms on PostgreSQL over loopback."""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sqlite3
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.commands import Commands
from bot.commands.names import NameIndex, match_name
from bot.keys import name_key
from bot.messages import CommandCall
from bot.models import TargetKind
from bot.rules import gazetteer
from storage import SqlStore, normalise_url, upgrade
from storage.columns import target_key

SERIES = 20
SEASONS = 10
SEATS_PER_SERIES_SEASON = 500
DRIVERS_PER_SERIES = 600
DRIVERS_PER_CAR = 3
CARS_PER_TEAM = 4
FEEDS = 20
TARGETS_MS = {"sqlite": 5.0, "postgresql": 10.0}

_FIRST_NAMES = (
    "Alexander Álvaro André Antonio Arjun Ben Bruno Carlos Charles César Chloé Christian "
    "Daniel Dário David Diego Dries Eduardo Elena Emil Emma Enzo Esteban Felipe Felix Filip "
    "Finn François Frederik Gabriel Giorgio Gustavo Hannah Harry Hélio Henrik Hugo Ignazio "
    "Isaac Ivan Jack Jakub James Jan Jean-Éric Jenson Joel João Jonas Jordan Jörg Josef "
    "Julien Juan Pablo Kamui Kazuki Kevin Kimi Lando Lars Laura Léo Liam Lina Logan Louis "
    "Luca Lucas Łukasz Maria Marco Marcus Mariana Marta Mateo Matías Max Mia Miguel Mikkel "
    "Naomi Nicolás Nico Nils Noah Nyck Oliver Olli Oscar Pascal Patricio Paul Pedro Pierre "
    "Pietro Pipo Rafael Raúl René Renée Ricardo Rinus Robin Roman Ryō Sacha Samuel Sara "
    "Sébastien Sérgio Simona Sofía Søren Stoffel Takuma Théo Thiago Tom Tomáš Valtteri "
    "Victor Wei Will Yifei Yuki Zoé Zhou")
_SURNAMES = (
    "Abt Acosta Aitken Albon Alesi Alonso Andretti Armstrong Bamber Barrichello Beckmann "
    "Bell Bird Blomqvist Bortoleto Bottas Bourdais Brabham Brundle Buemi Button Calado "
    "Camara Castroneves Chadwick Christensen Collet Conway Costa Coulthard Daly Dennis "
    "Derani Dixon Doohan Drugovich Duval Eng Ericsson Estre Evans Fittipaldi Frijns Fuoco "
    "Gasly Giovinazzi Grosjean Günther Häkkinen Hamilton Hanley Hartley Hauger Herta "
    "Hirakawa Hülkenberg Iwasa Jaminet Jani Kobayashi Kubica Kvyat Lapierre Latifi Lawson "
    "Leclerc Lotterer Lundgaard Lynn Magnussen Malja Marciello Martins Massa Mortara Müller "
    "Nakajima Nasr Nato Negrão Newey Nørgaard Ocon O'Ward Palou Pérez Piastri Pourchaire "
    "Prost Räikkönen Rast Rockenfeller Rosberg Rossi Rowland Sainz Sargeant Sato "
    "Schumacher Sims Stevens Stroll Tandy Tincknell Tsunoda Turvey Vandoorne Vautier "
    "Vergne Verstappen Vettel Vips Wehrlein Wickens Yamamoto Zilisch")
FIRST_NAMES = tuple(_FIRST_NAMES.split())
SURNAMES = (*_SURNAMES.split(), "de Vries", "van der Linde", "Pier Guidi", "Sette Câmara",
            "di Resta", "da Costa", "van Kalmthout", "de Phillippi", "Fernández de la Vega",
            "Le Gallo")
NAME_COUNT = 12_000


def realistic_names(count: int, rng: random.Random) -> list[str]:
    """`count` distinct driver names: first name, surname, a double-barrelled surname in one
    of four, so surnames are shared by a few drivers as in a real paddock."""
    names: dict[str, None] = {}
    while len(names) < count:
        surname = rng.choice(SURNAMES)
        if rng.random() < 0.25:
            surname = f"{surname}-{rng.choice(SURNAMES)}"
        if rng.random() < 0.5:  # second surnames, as Iberian and Latin American names have
            surname = f"{surname} {rng.choice(SURNAMES)}"
        names.setdefault(f"{rng.choice(FIRST_NAMES)} {surname}", None)
    return list(names)


NOW = datetime.now(UTC)
YEAR = NOW.year
FIRST_SEASON = YEAR - SEASONS + 2  # ... up to next year's, like a real database


def sqlite_time(moment: datetime) -> str:
    """SQLAlchemy's SQLite DateTime text (UTC, no offset), as storage.types writes it."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


def team_name(series: str, car: int) -> str:
    """Made-up teams (CARS_PER_TEAM cars each), one set per series: typed without quotes."""
    return f"{series} Privateer Racing {car // CARS_PER_TEAM:02d}"


class Dataset:
    """Deterministic rows, as tuples in the column order of each insert."""

    def __init__(self, seats: int, articles: int) -> None:
        self.random = random.Random(6)
        self.seat_count = seats
        self.article_count = articles
        # Series the commands know (the gazetteer's), IMSA among them.
        known = gazetteer().series_names()
        self.series = ["IMSA", *[s for s in known if s != "IMSA"][:SERIES - 1]]
        pool = realistic_names(NAME_COUNT, self.random)
        self.drivers = {s: pool[i * DRIVERS_PER_SERIES:(i + 1) * DRIVERS_PER_SERIES]
                        for i, s in enumerate(self.series)}
        self.cars_seen: list[str] = []
        self.seat_driver_names: list[str] = []

    def seats(self) -> Iterator[dict[str, Any]]:
        seat_id = 0
        per_group = max(1, self.seat_count // (SERIES * SEASONS))
        for series in self.series:
            for season in range(FIRST_SEASON, FIRST_SEASON + SEASONS):
                drivers = self.random.sample(self.drivers[series], per_group)
                for index, driver in enumerate(drivers):
                    car = str(index // DRIVERS_PER_CAR + 1)
                    team = team_name(series, int(car))
                    seat_id += 1
                    published = NOW - timedelta(minutes=self.random.randrange(3 * 365 * 24 * 60))
                    ended = self.random.random() < 0.05
                    yield {
                        "id": seat_id, "series": series, "series_key": name_key(series),
                        "season": season, "car": car, "car_key": car, "team": team,
                        "team_key": name_key(team), "driver": driver,
                        "driver_key": name_key(driver), "role": "full-time",
                        "status": "rumour" if self.random.random() < 0.05 else "confirmed",
                        "origin": "rules", "valid_from": published,
                        "valid_to": published + timedelta(days=30) if ended else None,
                        "removed": False, "story_id": seat_id, "published": published,
                        "title": f"{driver} joins {team} in car {car} for {season}",
                        "url": f"https://news.example/{seat_id}",
                    }


SEAT_COLUMNS = ("id", "series", "series_key", "season", "car", "car_key", "team", "team_key",
                "driver", "driver_key", "role", "status", "origin", "valid_from", "valid_to",
                "removed", "story_id", "source_title", "source_url", "source_name",
                "source_published", "created_at", "updated_at")
STORY_COLUMNS = ("id", "story_key", "summary", "revision", "first_seen", "updated_at",
                 "driver", "driver_key", "kind", "team", "car", "series", "season", "role",
                 "teammates", "status", "confidence", "evidence", "source_title",
                 "source_url", "source_name", "source_published")
EVENT_COLUMNS = ("seat_id", "action", "series", "series_key", "season", "car", "car_key",
                 "team", "team_key", "driver", "driver_key", "role", "status", "actor",
                 "story_id", "source_title", "source_url", "at", "source_published", "news_at")
ARTICLE_COLUMNS = ("feed_id", "entry_id", "title", "summary", "url", "published",
                   "created_at")
FEED_COLUMNS = ("id", "url", "workspace_key", "interval_seconds", "paused", "primed",
                "next_poll_at", "error_count", "created_at")


def rows_for(seat: dict[str, Any]) -> tuple[tuple[Any, ...], tuple[Any, ...], tuple[Any, ...]]:
    s = seat
    seat_row = (s["id"], s["series"], s["series_key"], s["season"], s["car"], s["car_key"],
                s["team"], s["team_key"], s["driver"], s["driver_key"], s["role"], s["status"],
                s["origin"], s["valid_from"], s["valid_to"], s["removed"], s["story_id"],
                s["title"], s["url"], "Racing News", s["published"], s["published"],
                s["published"])
    story_row = (s["id"], f"{s['driver_key']}|arrive|{s['team_key']}|{s['season']}",
                 s["title"], 1, s["published"], s["published"], s["driver"], s["driver_key"],
                 "join", s["team"], s["car"], s["series"], s["season"], s["role"], "[]",
                 s["status"], 1.0, "", s["title"], s["url"], "Racing News", s["published"])
    event_row = (s["id"], "fill" if s["status"] == "confirmed" else "rumour", s["series"],
                 s["series_key"], s["season"], s["car"], s["car_key"], s["team"],
                 s["team_key"], s["driver"], s["driver_key"], s["role"], s["status"], "rules",
                 s["id"], s["title"], s["url"], s["published"], s["published"], s["published"])
    return seat_row, story_row, event_row


def article_rows(count: int) -> Iterator[tuple[Any, ...]]:
    per_feed = max(1, count // FEEDS)
    for number in range(count):
        published = NOW - timedelta(seconds=number * 90)
        yield (number // per_feed % FEEDS + 1, f"entry-{number}", f"Racing headline {number}",
               "A short summary of the news of the day, as feeds give it.",
               f"https://news.example/a/{number}", published, published)


def chunks(rows: Iterator[tuple[Any, ...]], size: int = 20_000) -> Iterator[list[tuple[Any, ...]]]:
    batch: list[tuple[Any, ...]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def name_rows(data: Dataset) -> list[tuple[str, str, str]]:
    """The names table as the pipeline leaves it: every driver, team, series and car seen."""
    named: dict[tuple[str, str], str] = {}

    def add(kind: TargetKind, name: str) -> None:
        named.setdefault((kind.value, target_key(kind, name)), name)

    for series, drivers in data.drivers.items():
        add(TargetKind.SERIES, series)
        for driver in drivers:
            add(TargetKind.DRIVER, driver)
        for car in range(1, SEATS_PER_SERIES_SEASON // DRIVERS_PER_CAR + 2):
            add(TargetKind.CAR, str(car))
            add(TargetKind.TEAM, team_name(series, car))
    return [(kind, key, name) for (kind, key), name in named.items()]


def feed_rows() -> list[tuple[Any, ...]]:
    return [(i, f"https://news.example/feed/{i}.xml", "", 600, False, True, NOW, 0, NOW)
            for i in range(1, FEEDS + 1)]


# ----- bulk loading -------------------------------------------------------------------------


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return sqlite_time(value)
    if isinstance(value, bool):
        return int(value)
    return value


def _insert_sql(table: str, columns: tuple[str, ...]) -> str:
    names = ", ".join(f'"{c}"' for c in columns)
    return f'INSERT INTO {table} ({names}) VALUES ({", ".join("?" for _ in columns)})'


def load_sqlite(path: Path, data: Dataset) -> None:
    with sqlite3.connect(path, isolation_level=None) as db:
        db.execute("PRAGMA synchronous=OFF")
        db.execute("BEGIN")
        db.executemany(_insert_sql("feeds", FEED_COLUMNS),
                       ([_sqlite_value(v) for v in row] for row in feed_rows()))
        for batch in chunks((row for seat in data.seats() for row in [rows_for(seat)]), 10_000):
            db.executemany(_insert_sql("stories", STORY_COLUMNS),
                           ([_sqlite_value(v) for v in story] for _, story, _ in batch))
            db.executemany(_insert_sql("seats", SEAT_COLUMNS),
                           ([_sqlite_value(v) for v in seat] for seat, _, _ in batch))
            db.executemany(_insert_sql("seat_events", EVENT_COLUMNS),
                           ([_sqlite_value(v) for v in event] for _, _, event in batch))
            db.executemany("INSERT INTO seat_stories (seat_id, story_id) VALUES (?, ?)",
                           ((seat[0], seat[0]) for seat, _, _ in batch))
        db.executemany('INSERT INTO names (kind, "key", name) VALUES (?, ?, ?)',
                       name_rows(data))
        for batch in chunks(article_rows(data.article_count)):
            db.executemany(_insert_sql("articles", ARTICLE_COLUMNS),
                           ([_sqlite_value(v) for v in row] for row in batch))
        db.execute("COMMIT")
        db.execute("ANALYZE")


async def load_postgresql(url: str, data: Dataset) -> None:
    import asyncpg

    dsn = url.replace("postgresql+asyncpg://", "postgresql://", 1)
    connection = await asyncpg.connect(dsn)
    try:
        async with connection.transaction():
            await connection.copy_records_to_table("feeds", records=feed_rows(),
                                                   columns=list(FEED_COLUMNS))
            for batch in chunks((rows_for(seat) for seat in data.seats()), 20_000):
                await connection.copy_records_to_table(
                    "stories", records=[story for _, story, _ in batch],
                    columns=list(STORY_COLUMNS))
                await connection.copy_records_to_table(
                    "seats", records=[seat for seat, _, _ in batch], columns=list(SEAT_COLUMNS))
                await connection.copy_records_to_table(
                    "seat_events", records=[event for _, _, event in batch],
                    columns=list(EVENT_COLUMNS))
                await connection.copy_records_to_table(
                    "seat_stories", records=[(seat[0], seat[0]) for seat, _, _ in batch],
                    columns=["seat_id", "story_id"])
            await connection.copy_records_to_table("names", records=name_rows(data),
                                                   columns=["kind", "key", "name"])
            for batch in chunks(article_rows(data.article_count), 50_000):
                await connection.copy_records_to_table("articles", records=batch,
                                                       columns=list(ARTICLE_COLUMNS))
            for table in ("feeds", "stories", "seats", "seat_events", "articles"):
                await connection.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))")
        # what autovacuum would do on a live database: statistics and the visibility map
        # (index-only scans)
        await connection.execute("VACUUM ANALYZE")
    finally:
        await connection.close()


# ----- timing -------------------------------------------------------------------------------


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def typo(name: str, rng: random.Random) -> str:
    """A fan's slip: two neighbouring letters of the surname swapped."""
    at = len(name) - rng.randrange(2, 5)
    return name[:at] + name[at + 1] + name[at] + name[at + 2:]


Operation = Callable[[], Awaitable[Any]]


Result = tuple[list[float], list[float], str]  # wall ms, this process's CPU ms, answers


async def measure(store: SqlStore, data: Dataset, queries: int) -> dict[str, Result]:
    """name -> (wall-clock samples, CPU samples, how the answers went). The CPU time of this
    process (its threads too: aiosqlite's) tells the work done from the waiting a busy
    machine adds; the database server's own CPU (PostgreSQL) is not in it."""
    rng = random.Random(31)
    cars = [str(n) for n in range(1, SEATS_PER_SERIES_SEASON // DRIVERS_PER_CAR + 1)]
    drivers = [d for names in data.drivers.values() for d in names]
    names = gazetteer()
    commands = Commands(store, gazetteer=names)
    answers: dict[str, dict[str, int]] = {}

    def command(label: str, name: str, options: Callable[[], dict[str, Any]]) -> Operation:
        tally = answers.setdefault(label, {})

        async def run() -> Any:
            reply = await commands.run(CommandCall(
                name=name, options=options(), platform="bench", workspace="w", user="u",
                channel="c"))
            outcome = ("error" if reply.error else "asks back" if "Which" in reply.text
                       else "answer" if reply.cards else "no data")
            tally[outcome] = tally.get(outcome, 0) + 1
            return reply
        return run

    def surname(driver: str) -> str:
        return driver.split(" ", 1)[1]

    async def storage_only() -> Any:  # baseline: the storage call behind one /driver
        return await store.driver_profile(rng.choice(drivers), stories=5)

    async def old_driver() -> Any:  # baseline: read and score every name on each call
        known = set(await store.known_names(TargetKind.DRIVER))
        known.update(names.driver_names())
        return match_name(typo(rng.choice(drivers), rng), known)

    index = NameIndex(names.driver_names())
    index.add(await store.known_names(TargetKind.DRIVER))

    async def index_only() -> Any:  # the look-up alone, as /driver <typo> makes it
        return index.match(typo(rng.choice(drivers), rng))

    operations: dict[str, tuple[Operation, int]] = {
        "/lineup <car>": (command("/lineup <car>", "lineup",
                                  lambda: {"car": rng.choice(cars)}), queries),
        "/lineup <car> <series>": (command(
            "/lineup <car> <series>", "lineup",
            lambda: {"car": rng.choice(cars), "series": "IMSA"}), queries),
        "/lineup team:<team>": (command(
            "/lineup team:<team>", "lineup",
            lambda: {"team": team_name(rng.choice(data.series), rng.randrange(1, 160))}),
            queries),
        "/changes <since>": (command("/changes <since>", "changes",
                                     lambda: {"since": "30d"}), queries),
        "/changes <series> <since>": (command(
            "/changes <series> <since>", "changes",
            lambda: {"series": "IMSA", "since": "7d"}), queries),
        "/driver <full name>": (command("/driver <full name>", "driver",
                                        lambda: {"name": rng.choice(drivers)}), queries),
        "/driver <surname>": (command("/driver <surname>", "driver",
                                      lambda: {"name": surname(rng.choice(drivers))}),
                              queries),
        "/driver <typo>": (command("/driver <typo>", "driver",
                                   lambda: {"name": typo(rng.choice(drivers), rng)}),
                           queries),
        "baseline: /driver storage only": (storage_only, queries),
        "baseline: name index only (typo)": (index_only, queries),
        "baseline: old /driver look-up": (old_driver, max(20, queries // 20)),
    }
    results: dict[str, Result] = {}
    for label, (operation, count) in operations.items():
        for _ in range(min(100, count)):  # warm the pool, the caches and the name index
            await operation()
        tally = answers.setdefault(label, {})
        tally.clear()  # count the timed calls only
        samples, cpu = [], []
        for _ in range(count):
            started, cpu_started = time.perf_counter(), time.process_time()
            answer = await operation()
            samples.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
            assert answer is not None
        results[label] = (samples, cpu,
                          ", ".join(f"{k} {v}" for k, v in sorted(tally.items())))
    sample = await store.lineup("31")
    assert sample, "the benchmark database has no car 31"
    return results


def load_note() -> str:
    """The machine's load: p99 wall times on a shared machine are mostly other work."""
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} CPUs"


def report(backend: str, results: dict[str, Result], load_seconds: float) -> bool:
    target = TARGETS_MS[backend]
    print(f"\n{backend}: loaded in {load_seconds:.1f} s; p99 target {target:.0f} ms "
          f"(commands through Commands.run); {load_note()}")
    print(f"  {'call':34} {'n':>6} {'p50 ms':>8} {'p99 ms':>8}  ok   {'cpu p50':>8} "
          f"{'cpu p99':>8}  answers")
    ok = True
    for name, (samples, cpu, answers) in results.items():
        p50, p99 = percentile(samples, 0.50), percentile(samples, 0.99)
        met = "-" if name.startswith("baseline") else "yes" if p99 <= target else "NO"
        ok &= met != "NO"
        print(f"  {name:34} {len(samples):6d} {p50:8.2f} {p99:8.2f}  {met:4} "
              f"{percentile(cpu, 0.50):8.2f} {percentile(cpu, 0.99):8.2f}  {answers}")
    p99 = {name: percentile(samples, 0.99) for name, (samples, _, _) in results.items()}
    worst = max(p99[n] for n in p99 if n.startswith("/driver"))
    alone = p99["baseline: /driver storage only"]
    print(f"  /driver worst p99 vs storage alone: {worst / alone:.1f}x;"
          f" old look-up p99 vs worst /driver p99: "
          f"{p99['baseline: old /driver look-up'] / worst:.0f}x faster now")
    return ok


async def run_sqlite(args: argparse.Namespace, data: Dataset) -> bool:
    folder = Path(args.sqlite_dir or tempfile.mkdtemp(prefix="pitboard-bench-"))
    path = folder / "bench.db"
    await asyncio.to_thread(_remove_sqlite, path)
    url = f"sqlite+aiosqlite:///{path}"
    await upgrade(url)
    started = time.perf_counter()
    await asyncio.to_thread(load_sqlite, path, data)
    loaded = time.perf_counter() - started
    store = await SqlStore.open(url, upgrade=False)
    try:
        results = await measure(store, data, args.queries)
    finally:
        await store.close()
    size = (await asyncio.to_thread(path.stat)).st_size
    print(f"  (database: {path}, {size / 1e6:.0f} MB)")
    ok = report("sqlite", results, loaded)
    if not args.keep:
        await asyncio.to_thread(_remove_sqlite, path)
    return ok


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


async def run_postgresql(base_url: str, args: argparse.Namespace, data: Dataset) -> bool:
    from sqlalchemy import text
    from sqlalchemy.engine import make_url
    from sqlalchemy.ext.asyncio import create_async_engine

    base = make_url(normalise_url(base_url))
    name = f"pitboard_bench_{uuid.uuid4().hex[:10]}"
    admin = create_async_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = base.set(database=name).render_as_string(hide_password=False)
    try:
        await upgrade(url)
        started = time.perf_counter()
        await load_postgresql(url, data)
        loaded = time.perf_counter() - started
        store = await SqlStore.open(url, upgrade=False)
        try:
            results = await measure(store, data, args.queries)
        finally:
            await store.close()
        return report("postgresql", results, loaded)
    finally:
        if not args.keep:
            async with admin.connect() as connection:
                await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", help="PostgreSQL URL (default: $PITBOARD_TEST_DATABASE_URL)")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--sqlite-dir", help="where to build the SQLite file (default: temp)")
    parser.add_argument("--seats", type=int, default=SERIES * SEASONS * SEATS_PER_SERIES_SEASON)
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=2000, help="timed calls per command")
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    args = parser.parse_args()
    print(f"seats {args.seats:,} ({SERIES} series x {SEASONS} seasons), "
          f"articles {args.articles:,}, {args.queries} timed calls per command")
    ok = True
    if not args.no_sqlite:
        ok &= await run_sqlite(args, Dataset(args.seats, args.articles))
    pg = args.pg or os.environ.get("PITBOARD_TEST_DATABASE_URL")
    if pg:
        ok &= await run_postgresql(pg, args, Dataset(args.seats, args.articles))
    else:
        print("\npostgresql: skipped (give --pg URL or set PITBOARD_TEST_DATABASE_URL)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
