"""/healthz and /metrics: the real pipeline polls a fake news site on 127.0.0.1, the real
delivery worker sends to the console, and the Prometheus page shows the counters move."""

from __future__ import annotations

import asyncio
import contextlib
import io
from datetime import timedelta
from pathlib import Path

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

import feeds
import storage
from bot.app import PitboardApp
from bot.config import Settings
from bot.metrics import poll_error_reason
from bot.models import utcnow
from tests.e2e.procs import Worker, move_item, quiet_item, wait_until, worker_env
from tests.e2e.test_loop import BLOMQVIST, OLD_NEWS
from tests.e2e.test_platforms import free_port
from tests.fakes.db import PG_ENV, pg_base_url, pg_database
from tests.fakes.discord_server import FakeDiscord
from tests.fakes.feed_server import FakeFeedServer, rss


def later():
    return utcnow() + timedelta(days=1)


def value(page: str, name: str, **labels: str) -> float:
    """One sample of the Prometheus text page; 0 when the series has not appeared yet."""
    for family in text_string_to_metric_families(page):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                return sample.value
    return 0.0


async def get(port: int, path: str) -> tuple[int, str, str]:
    async with aiohttp.ClientSession() as session, \
            session.get(f"http://127.0.0.1:{port}{path}") as response:
        return response.status, response.headers.get("Content-Type", ""), await response.text()


@pytest.fixture(params=["sqlite", "postgres"])
async def app(request: pytest.FixtureRequest, tmp_path: Path):
    """The app on SQLite, and on PostgreSQL when PITBOARD_TEST_DATABASE_URL is set: the
    health queries are SQL of their own."""
    with contextlib.ExitStack() as stack:
        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path / 'obs.db'}"
        else:
            base = pg_base_url()
            if base is None:
                pytest.skip(f"PostgreSQL health queries need {PG_ENV}")
            url = stack.enter_context(pg_database(base))
        settings = Settings(_env_file=None, database_url=url, pitboard_feeds="",
                            pitboard_allow_private_feeds=True, pitboard_console=True)
        application = await PitboardApp.create(
            settings, console_out=io.StringIO(),
            fetch_settings=feeds.FetchSettings(allow_private=True, timeout_seconds=2.0))
        try:
            yield application
        finally:
            await application.close()


async def test_counters_move_after_a_poll_and_a_delivery(app, server):
    server.set_feed("/imsa.xml", rss([OLD_NEWS], title="Sportscar News"))
    server.fail("/gone.xml", 503)
    await app.store.add_feed(server.url("/imsa.xml"), series="IMSA")
    await app.store.add_feed(server.url("/gone.xml"))
    port = free_port()
    await app.serve_ops("127.0.0.1", port)

    status, content_type, before = await get(port, "/metrics")
    assert status == 200 and content_type.startswith("text/plain")
    assert value(before, "pitboard_database_up") == 1
    assert value(before, "pitboard_last_poll_age_seconds") == -1  # never polled

    await app.poll_now(now=later())  # the first poll records, announces nothing
    server.set_feed("/imsa.xml", rss([BLOMQVIST, OLD_NEWS], title="Sportscar News"))
    [report] = [r for r in await app.poll_now(now=later()) if r.error is None]
    assert report.new_stories >= 1 and report.alerts_queued >= 1

    _, _, queued = await get(port, "/metrics")
    assert value(queued, "pitboard_outbox_depth") == report.alerts_queued
    assert value(queued, "pitboard_outbox_oldest_seconds") >= 0
    status, _, health = await get(port, "/healthz")
    assert status == 200
    assert f'"outbox_depth": {report.alerts_queued}' in health

    assert value(queued, "pitboard_outbox_expired_leases") == 0
    # A worker claims them for a second and dies.
    taken = await app.store.claim(utcnow(), limit=50, worker="dead-worker", lease_seconds=1)
    assert len(taken) == report.alerts_queued
    _, _, leased = await get(port, "/metrics")
    assert value(leased, "pitboard_outbox_expired_leases") == 0
    await asyncio.sleep(1.2)
    _, _, abandoned = await get(port, "/metrics")
    assert value(abandoned, "pitboard_outbox_expired_leases") == report.alerts_queued

    delivered = await app.deliver_now()  # takes the abandoned rows over
    assert delivered.sent == report.alerts_queued
    _, _, after = await get(port, "/metrics")

    def moved(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert moved("pitboard_polls_total", outcome="new") == 2
    assert moved("pitboard_polls_total", outcome="error") == 2
    assert moved("pitboard_poll_errors_total", reason="http_5xx") == 2
    assert moved("pitboard_articles_total") == 2
    assert moved("pitboard_moves_total") == report.moves >= report.new_stories
    assert moved("pitboard_stories_total") == report.new_stories
    assert moved("pitboard_alerts_queued_total") == report.alerts_queued
    assert moved("pitboard_alerts_sent_total", platform="console") == delivered.sent
    assert moved("pitboard_send_seconds_count", platform="console") == delivered.sent
    assert value(after, "pitboard_outbox_depth") == 0
    assert value(after, "pitboard_outbox_expired_leases") == 0
    assert 0 <= value(after, "pitboard_last_poll_age_seconds") < 60


async def test_healthz_is_503_when_the_database_is_away(tmp_path):
    url = storage.normalise_url("postgresql://pitboard:s3cret@127.0.0.1:1/pitboard")
    store = await storage.SqlStore.open(url, upgrade=False)  # connects on first use only
    settings = Settings(_env_file=None, database_url=url, pitboard_console=False,
                        pitboard_feeds="")
    app = await PitboardApp.create(settings, store=store)
    try:
        port = free_port()
        await app.serve_ops("127.0.0.1", port)
        status, _, body = await get(port, "/healthz")
        assert status == 503
        assert '"database": "unreachable"' in body and "s3cret" not in body
        status, _, page = await get(port, "/metrics")
        assert status == 200
        assert value(page, "pitboard_database_up") == 0
    finally:
        await app.close()


@pytest.mark.parametrize(("error", "reason"), [
    ("HTTP 404 Not Found", "http_4xx"), ("timed out after 20s", "timeout"),
    ("connection refused by 127.0.0.1:9", "connection"),
    ("not a feed: the address returned an HTML page", "not_a_feed"),
    ("response larger than 5,000,000 bytes", "too_large"),
    ("could not resolve host 'news.invalid'", "dns"), ("internal: boom", "internal"),
])
def test_poll_errors_fold_into_few_reasons(error, reason):
    assert poll_error_reason(error) == reason


async def test_the_worker_serves_metrics_on_its_own_port(tmp_path):
    """A real `pitboard run` with PITBOARD_METRICS_PORT polls the fake site and says so."""
    port = free_port()
    async with FakeFeedServer() as news, FakeDiscord() as discord_fake:
        news.set_feed("/a.xml", rss([quiet_item("q1"), move_item("Alex Palou", "Arrow McLaren",
                                                                 "m1")]))
        env = worker_env(f"sqlite:///{tmp_path / 'w.db'}", discord_fake,
                         PITBOARD_FEEDS=news.url("/a.xml"), PITBOARD_METRICS_PORT=str(port),
                         PITBOARD_WEB_HOST="127.0.0.1")
        worker = Worker.start("metrics", env, tmp_path)
        page = ""

        async def polled() -> bool:
            nonlocal page
            try:
                _, _, page = await get(port, "/metrics")
            except aiohttp.ClientConnectionError:
                return False
            return value(page, "pitboard_polls_total", outcome="new") >= 1

        try:
            await wait_until(polled, within=60, what="a poll on /metrics", workers=[worker])
            status, _, health = await get(port, "/healthz")
        finally:
            worker.stop()
    assert value(page, "pitboard_articles_total") == 2
    assert status == 200 and '"database": "ok"' in health
