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


async def test_a_holder_that_lost_its_lock_closes_its_gateway_and_still_delivers(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """The holder's database session dies (a network blip, a PostgreSQL restart) and another
    worker takes the lock meanwhile: the old holder keeps the gateway until it sees that,
    then closes it and goes on delivering over REST. Two apps in this process, one fake."""
    from sqlalchemy import text

    from bot.app import PitboardApp
    from bot.config import Settings
    from bot.messages import Alert, Card
    from bot.models import Destination, DestinationKind
    from tests.fakes.discord_server import patched_discord_urls

    base = pg_base_url()
    assert base is not None
    with pg_database(base) as database_url:
        async with FakeDiscord() as fake:
            settings = Settings(_env_file=None, database_url=database_url,
                                discord_token="fake-bot-token",
                                discord_api_base_url=fake.api_base,
                                discord_gateway_url=fake.gateway_url, pitboard_console=False)
            with patched_discord_urls(fake):
                first = await PitboardApp.create(settings.model_copy(
                    update={"pitboard_worker_id": "first"}))
                second = await PitboardApp.create(settings.model_copy(
                    update={"pitboard_worker_id": "second"}))
                try:
                    for app in (first, second):
                        app.connect_discord()
                        await app.coordinate()
                    await wait_until(lambda: len(fake.identify_payloads) == 1, within=10,
                                     what="the first worker's gateway session")

                    # The first worker's session ends under it; the second takes the lock.
                    session = first._coordination._connection
                    pid = (await session.execute(text("SELECT pg_backend_pid()"))).scalar()
                    async with second.store.engine.connect() as admin:
                        # With a timeout it waits for the backend to be gone, locks and all.
                        await admin.execute(text("SELECT pg_terminate_backend(:pid, 10000)"),
                                            {"pid": pid})
                    await second.coordinate()
                    await wait_until(lambda: len(fake.identify_payloads) == 2, within=10,
                                     what="the second worker's gateway session")
                    await first.coordinate()  # finds its session gone: reconnects...
                    await first.coordinate()  # ...and the lock taken: closes its gateway
                    first_gateway, = first._gateways
                    assert not first_gateway.running
                    assert second._gateways[0].running

                    # Still a worker that delivers, over REST, logged in again.
                    alert = Alert(story_id=1, revision=1, card=Card(title="still here"),
                                  text="still here", destination=Destination(
                                      platform="discord", workspace="1", channel="42",
                                      kind=DestinationKind.CHANNEL))
                    await wait_until(lambda: first.senders["discord"].wrapped.client.logged_in,
                                     within=10, what="the first worker to log in again")
                    await first.senders["discord"].send(alert)
                    assert [m.get("content") or m["embeds"][0]["title"]
                            for m in fake.messages("42")] == ["still here"]
                    assert "Discord stopped" not in caplog.text
                finally:
                    await first.close()
                    await second.close()


async def test_one_slack_socket_mode_connection_per_app_token(tmp_path: Path) -> None:
    """Two workers with one Slack app token: one opens Socket Mode; when it stops, the other
    opens it at its next round. Both deliver through the Web API."""
    from bot.app import PitboardApp
    from bot.config import Settings
    from tests.fakes.slack_server import FakeSlack

    base = pg_base_url()
    assert base is not None
    with pg_database(base) as database_url:
        async with FakeSlack() as slack:
            slack.add_workspace("T1", "xoxb-socket")
            settings = Settings(_env_file=None, database_url=database_url,
                                slack_signing_secret="secret", slack_bot_token="xoxb-socket",
                                slack_app_token="xapp-1-socket", slack_api_base_url=slack.api_url,
                                pitboard_console=False)
            apps = [await PitboardApp.create(settings.model_copy(
                update={"pitboard_worker_id": name})) for name in ("first", "second")]
            stop = asyncio.Event()
            try:
                for app in apps:
                    await app.connect_slack_socket_mode(stop)
                    await app.coordinate()
                    assert "slack" in app.senders
                first, second = apps
                await wait_until(lambda: len(slack.calls_to("apps.connections.open")) >= 1,
                                 within=10, what="a Socket Mode connection")
                await second.coordinate()
                await asyncio.sleep(0.5)
                assert len(slack.calls_to("apps.connections.open")) == 1
                assert [a._gateways[0].running for a in apps] == [True, False]

                await first.close()  # a clean stop ends its session and its lock
                await second.coordinate()
                await wait_until(lambda: len(slack.calls_to("apps.connections.open")) == 2,
                                 within=10, what="the second worker's Socket Mode connection")
                assert second._gateways[0].running
            finally:
                stop.set()
                for app in apps:
                    await app.close()
