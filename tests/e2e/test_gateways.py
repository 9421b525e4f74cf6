"""Three `pitboard run` workers with one Discord token on one PostgreSQL database: exactly
one of them holds the gateway (so each interaction is answered once), all of them share
Discord's global rate limit, and when the holder dies another opens the gateway.

Real worker processes against a fake Discord (REST + gateway) on 127.0.0.1. Needs
PITBOARD_TEST_DATABASE_URL: the workers elect the holder with a PostgreSQL advisory lock."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest

from tests.e2e.procs import Worker, wait_until, worker_env
from tests.fakes.db import PG_ENV, pg_base_url, pg_database
from tests.fakes.discord_server import FakeDiscord, interaction_payload

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(pg_base_url() is None, reason=(
        f"workers elect the gateway holder with a PostgreSQL advisory lock: set {PG_ENV} "
        "(e.g. postgresql+asyncpg://postgres@127.0.0.1:5432/test)")),
]

PERIOD = 1  # PITBOARD_COORDINATION_SECONDS
RATE = 45.0  # PITBOARD_DISCORD_RATE
OPENED = "Discord gateway: opened by this worker"
SHARE = re.compile(r"Discord gateway: (\d+) workers? share the token, this one sends at most "
                   r"([\d.]+)/s")


def log_of(worker: Worker) -> str:
    return worker.log_path.read_text(errors="replace")


def last_share(worker: Worker) -> tuple[int, float] | None:
    found = SHARE.findall(log_of(worker))
    return (int(found[-1][0]), float(found[-1][1])) if found else None


async def answered_once(fake: FakeDiscord, workers: list[Worker], count: int) -> None:
    payloads = [interaction_payload("lineup", [{"name": "car", "type": 3, "value": "31"}])
                for _ in range(count)]
    for payload in payloads:
        await fake.dispatch("INTERACTION_CREATE", payload)
    await wait_until(lambda: all(fake.callbacks(p["id"]) for p in payloads), within=15,
                     workers=workers, what="every interaction to be answered")
    await asyncio.sleep(1)  # a second answer from another session would arrive by now
    answers = {p["id"]: len(fake.callbacks(p["id"])) for p in payloads}
    assert answers == dict.fromkeys(answers, 1), f"answers per interaction: {answers}"


async def test_one_gateway_per_token_and_a_shared_rate(tmp_path: Path) -> None:
    base = pg_base_url()
    assert base is not None
    with pg_database(base) as database_url:
        async with FakeDiscord() as fake:
            env = worker_env(database_url, fake, LOG_LEVEL="INFO",
                             PITBOARD_COORDINATION_SECONDS=str(PERIOD),
                             PITBOARD_DISCORD_RATE=str(RATE))
            workers = [Worker.start(name, env, tmp_path) for name in ("a", "b", "c")]
            try:
                await wait_until(
                    lambda: all(last_share(w) == (3, RATE / 3) for w in workers)
                    and any(OPENED in log_of(w) for w in workers),
                    within=30, workers=workers,
                    what="three workers sharing the token, one holding the gateway")
                holders = [w for w in workers if OPENED in log_of(w)]
                assert len(holders) == 1
                await wait_until(lambda: len(fake.identify_payloads) >= 1, within=10,
                                 workers=workers, what="the gateway session")
                await answered_once(fake, workers, 5)
                assert len(fake.identify_payloads) == 1, "one gateway session per token"

                # The holder dies: within a period or two another worker opens the gateway,
                # and the two left share the rate between them.
                [holder] = holders
                holder.kill()
                survivors = [w for w in workers if w is not holder]
                await wait_until(
                    lambda: len(fake.identify_payloads) == 2
                    and all(last_share(w) == (2, RATE / 2) for w in survivors),
                    within=4 * PERIOD + 5, workers=survivors,
                    what="a surviving worker to open the gateway")
                assert sum(OPENED in log_of(w) for w in survivors) == 1
                await answered_once(fake, survivors, 3)
                assert len(fake.identify_payloads) == 2
            finally:
                for worker in workers:
                    worker.stop()
            for worker in workers:
                if worker is not holder:
                    assert worker.process.returncode == 0, log_of(worker)
                    assert "Traceback" not in log_of(worker), log_of(worker)
