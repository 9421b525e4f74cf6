"""`pitboard run --roles` and Discord sharding with real worker processes.

- A bad `--roles` (or shard setting) is one plain line and a non-zero exit.
- On one PostgreSQL, a `poll` worker fetches and queues but sends nothing; a `deliver`
  worker sends what is queued but fetches nothing; a `discord` worker holds the gateway
  and answers commands; none does another's job.
- Workers with DISCORD_SHARD_COUNT / DISCORD_SHARD_IDS each identify as their own shards;
  a second worker asking for a shard already held waits, and takes it over when its
  holder dies.

The fakes (news site, Discord REST and gateway) run on 127.0.0.1."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from storage import SqlStore
from tests.e2e.procs import (
    ALERTS_CHANNEL_ID,
    MOVES,
    TimedFeedServer,
    Worker,
    messages_per_driver,
    move_item,
    outbox_statuses,
    prime_feeds,
    quiet_item,
    use_alerts_channel,
    wait_until,
    worker_env,
)
from tests.e2e.test_cli import pitboard
from tests.e2e.test_cli_errors import one_plain_line
from tests.fakes.db import PG_ENV, open_test_store, pg_base_url, pg_database
from tests.fakes.discord_server import FakeDiscord, interaction_payload
from tests.fakes.feed_server import rss

needs_postgres = pytest.mark.skipif(pg_base_url() is None, reason=(
    f"workers share feeds, alerts and gateways through PostgreSQL leases and locks: set "
    f"{PG_ENV} (e.g. postgresql+asyncpg://postgres@127.0.0.1:5432/test)"))
OPENED = "Discord gateway: opened by this worker"


@pytest.mark.parametrize(("roles", "env", "says"), [
    ("pol", {}, "unknown role 'pol' in --roles 'pol': use a comma-separated list of poll, "
                "deliver, discord, slack"),
    ("poll,,deliver", {}, "unknown role (an empty name)"),
    ("", {}, "--roles needs at least one of"),
    ("poll,discord", {}, "role 'discord' needs DISCORD_TOKEN"),
    ("slack", {"SLACK_BOT_TOKEN": "xoxb-1-2-abc"}, "role 'slack' holds Slack Socket Mode"),
])
def test_bad_roles_are_one_plain_line(tmp_path: Path, roles: str, env: dict[str, str],
                                      says: str) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'roles.db'}", **env}
    done = pitboard("run", "--roles", roles, env=env, timeout=30)
    one_plain_line(done, says=says)
    assert done.returncode == 2
    assert not (tmp_path / "roles.db").exists(), "refused before touching the database"


@pytest.mark.parametrize(("env", "says"), [
    ({"DISCORD_SHARD_IDS": "0"}, "DISCORD_SHARD_IDS needs DISCORD_SHARD_COUNT"),
    ({"DISCORD_SHARD_COUNT": "2", "DISCORD_SHARD_IDS": "2"},
     "shard 2 does not exist with DISCORD_SHARD_COUNT=2"),
    ({"DISCORD_SHARD_COUNT": "none"}, "DISCORD_SHARD_COUNT"),
])
def test_bad_shard_settings_are_one_plain_line(env: dict[str, str], says: str) -> None:
    done = pitboard("run", env={"DISCORD_TOKEN": "secret-token-value", **env}, timeout=30)
    line = one_plain_line(done, says=says)
    assert "secret-token-value" not in line


def log_of(worker: Worker) -> str:
    return worker.log_path.read_text(errors="replace")


@pytest.mark.postgres
@needs_postgres
async def test_poll_deliver_and_discord_roles_each_do_their_own_job(tmp_path: Path) -> None:
    with pg_database(pg_base_url() or "") as database_url:
        store = await open_test_store(url=database_url, upgrade_url=False)
        workers: list[Worker] = []
        try:
            async with FakeDiscord() as discord_fake, TimedFeedServer() as news:
                try:
                    await split_by_roles(store, database_url, discord_fake, news, workers,
                                         tmp_path)
                finally:
                    for worker in workers:  # before the fakes go, or they log the loss
                        worker.stop()
        finally:
            await store.close()
    for worker in workers:
        assert "Traceback" not in log_of(worker), log_of(worker)


async def split_by_roles(store: SqlStore, database_url: str, discord_fake: FakeDiscord,
                         news: TimedFeedServer, workers: list[Worker], tmp_path: Path) -> None:
    feeds = 6
    paths = [f"/roles-{i}.xml" for i in range(feeds)]
    for i, path in enumerate(paths):
        news.set_feed(path, rss([quiet_item(f"old-{i}")], title=f"Feed {i}"))
        await store.add_feed(news.url(path), interval_seconds=2)
    await prime_feeds(store)
    await use_alerts_channel(store)
    for i, (path, (driver, team)) in enumerate(zip(paths, MOVES[:feeds], strict=True)):
        news.set_feed(path, rss([move_item(driver, team, f"move-{i}"),
                                 quiet_item(f"old-{i}")], title=f"Feed {i}"))
    env = worker_env(database_url, discord_fake, LOG_LEVEL="INFO",
                     PITBOARD_COORDINATION_SECONDS="1")

    # A poller alone: every feed fetched, every alert queued, nothing sent.
    poller = Worker.start("poller", env, tmp_path, "--roles", "poll")
    workers.append(poller)

    async def queued() -> bool:
        return await outbox_statuses(store) == {"pending": feeds}

    await wait_until(queued, within=60, workers=workers,
                     what=f"the poller to queue {feeds} alerts")
    await asyncio.sleep(2)  # ten delivery ticks, were it delivering
    assert await outbox_statuses(store) == {"pending": feeds}
    assert discord_fake.messages(ALERTS_CHANNEL_ID) == []
    assert discord_fake.identify_payloads == []
    assert "roles poll;" in log_of(poller)
    poller.stop()
    assert poller.process.returncode == 0, log_of(poller)

    # A deliverer alone: every alert sent once, no feed fetched.
    fetched = {path: len(news.arrivals[path]) for path in paths}
    deliverer = Worker.start("deliverer", env, tmp_path, "--roles", "deliver")
    workers.append(deliverer)

    async def sent() -> bool:
        return await outbox_statuses(store) == {"sent": feeds}

    await wait_until(sent, within=60, workers=[deliverer],
                     what=f"the deliverer to send {feeds} alerts")
    drivers = [driver for driver, _team in MOVES[:feeds]]
    assert messages_per_driver(discord_fake, drivers) == dict.fromkeys(drivers, 1)
    await asyncio.sleep(3)  # past every feed's 2 s interval, were it polling
    assert {path: len(news.arrivals[path]) for path in paths} == fetched
    assert discord_fake.identify_payloads == []

    # The gateway holder: answers commands, and polls and sends nothing.
    gateway = Worker.start("gateway", env, tmp_path, "--roles", "discord")
    workers.append(gateway)
    await wait_until(lambda: len(discord_fake.identify_payloads) == 1, within=30,
                     workers=[gateway, deliverer], what="the gateway session")
    payload = interaction_payload("lineup",
                                  [{"name": "car", "type": 3, "value": "31"}])
    await discord_fake.dispatch("INTERACTION_CREATE", payload)
    await wait_until(lambda: discord_fake.callbacks(payload["id"]), within=15,
                     workers=[gateway], what="the answer to /lineup 31")
    assert OPENED in log_of(gateway) and OPENED not in log_of(deliverer)
    assert "roles discord;" in log_of(gateway)
    assert {path: len(news.arrivals[path]) for path in paths} == fetched


@pytest.mark.postgres
@needs_postgres
async def test_workers_run_their_own_shards_and_take_over_a_dead_ones(tmp_path: Path) -> None:
    with pg_database(pg_base_url() or "") as database_url:
        async with FakeDiscord() as fake:
            env = worker_env(database_url, fake, LOG_LEVEL="INFO", DISCORD_SHARD_COUNT="2",
                             PITBOARD_COORDINATION_SECONDS="1")

            def shard_env(ids: str) -> dict[str, str]:
                return {**env, "DISCORD_SHARD_IDS": ids}

            def shards() -> list[list[int]]:
                return sorted(payload.get("shard") for payload in fake.identify_payloads)

            a = Worker.start("a", shard_env("0"), tmp_path)
            b = Worker.start("b", shard_env("1"), tmp_path)
            workers = [a, b]
            try:
                await wait_until(lambda: shards() == [[0, 2], [1, 2]], within=40,
                                 workers=workers, what="shards 0 and 1, one worker each")
                assert OPENED in log_of(a) and OPENED in log_of(b)
                # c asks for shard 1 (held by b); d for both (0 is held by a).
                c = Worker.start("c", shard_env("1"), tmp_path)
                d = Worker.start("d", shard_env("0-1"), tmp_path)
                workers += [c, d]
                await wait_until(lambda: all("2 workers share" in log_of(w)
                                             or "4 workers share" in log_of(w)
                                             for w in (c, d)), within=40, workers=workers,
                                 what="c and d to join the token")
                await asyncio.sleep(3)  # three coordination rounds
                assert shards() == [[0, 2], [1, 2]], "a shard was opened twice"
                b.kill()
                await wait_until(lambda: shards() == [[0, 2], [1, 2], [1, 2]], within=20,
                                 workers=[a, c, d], what="c to take over shard 1")
                assert OPENED in log_of(c) and OPENED not in log_of(d)
                await asyncio.sleep(3)
                assert len(fake.identify_payloads) == 3
            finally:
                for worker in workers:
                    worker.stop()
