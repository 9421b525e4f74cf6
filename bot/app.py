"""The composition root: the only module that plugs storage, feeds and the platform
adapters into the core, from configuration."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import signal
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, timedelta
from typing import Any, TextIO

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.engine import make_url

import feeds
import storage
from adapters.console import CONSOLE_WORKSPACE, ConsoleSender
from bot.commands import Commands
from bot.config import Settings
from bot.delivery import DeliveryReport, DeliveryWorker
from bot.models import Destination, DestinationKind, PollReport, utcnow
from bot.pipeline import Pipeline
from bot.ports import AlertSender, Store
from bot.rules import extract, gazetteer

log = logging.getLogger(__name__)


def database_url(settings: Settings) -> str:
    """DATABASE_URL as SQLAlchemy wants it, or the per-user SQLite file."""
    if settings.database_url:
        return storage.normalise_url(settings.database_url)
    return storage.default_database_url()


@dataclass(slots=True)
class PitboardApp:
    settings: Settings
    store: Store
    fetcher: feeds.HttpFeedFetcher
    commands: Commands
    pipeline: Pipeline
    senders: dict[str, AlertSender]
    delivery: DeliveryWorker
    scheduler: AsyncIOScheduler | None = None
    database_url: str = ""
    _background: list[asyncio.Task[None]] = field(default_factory=list)
    _closers: list[Callable[[], Awaitable[object]]] = field(default_factory=list)

    @classmethod
    async def create(cls, settings: Settings, *, console_out: TextIO | None = None,
                     fetch_settings: feeds.FetchSettings | None = None,
                     store: storage.SqlStore | None = None) -> PitboardApp:
        url = database_url(settings)
        store = store or await storage.SqlStore.open(url)
        fetch_settings = fetch_settings or feeds.FetchSettings(
            allow_private=settings.pitboard_allow_private_feeds)
        fetcher = feeds.HttpFeedFetcher(fetch_settings)
        names = gazetteer()
        check_url = functools.partial(feeds.check_feed_url_async,
                                      allow_private=fetch_settings.allow_private)
        commands = Commands(store, gazetteer=names, check_feed_url=check_url)
        worker = settings.pitboard_worker_id
        pipeline = Pipeline(store, fetcher, extractor=extract, gazetteer=names, worker_id=worker)
        senders: dict[str, AlertSender] = {}
        if settings.console_enabled:
            senders["console"] = ConsoleSender(console_out)
            await store.set_alert_channel(Destination(
                platform="console", workspace=CONSOLE_WORKSPACE, channel="alerts",
                kind=DestinationKind.CHANNEL))
        delivery = DeliveryWorker(store, senders, worker_id=worker, gazetteer=names,
                                  lease_seconds=settings.pitboard_lease_seconds)
        app = cls(settings=settings, store=store, fetcher=fetcher, commands=commands,
                  pipeline=pipeline, senders=senders, delivery=delivery, database_url=url)
        await app.add_configured_feeds()
        return app

    async def add_configured_feeds(self) -> None:
        known = {feed.url for feed in await self.store.list_feeds(None)}
        for url in self.settings.feed_urls:
            if url not in known:
                checked = await feeds.check_feed_url_async(
                    url, allow_private=self.settings.pitboard_allow_private_feeds)
                await self.store.add_feed(checked)

    def add_sender(self, sender: AlertSender) -> None:
        """A platform connected after start-up; the delivery worker shares this mapping."""
        self.senders[sender.platform] = sender

    async def poll_now(self) -> list[PollReport]:
        reports = await self.pipeline.poll_due()
        for report in reports:
            if report.error:
                log.warning("feed %s: %s", report.url, report.error)
            elif report.new_articles:
                log.info("feed %s: %d new articles, %d driver moves%s", report.url,
                         report.new_articles, report.new_stories,
                         "" if report.announced else " (first poll: recorded, not announced)")
        return reports

    async def deliver_now(self) -> DeliveryReport:
        total = DeliveryReport()
        while True:
            report = await self.delivery.run_once()
            total.sent += report.sent
            total.retried += report.retried
            total.dropped += report.dropped
            total.errors += report.errors
            if report.deferred or report.sent + report.retried + report.dropped == 0:
                return total

    async def poll_tick(self) -> None:
        await self._tick("poll", self.poll_now)

    async def deliver_tick(self) -> None:
        await self._tick("delivery", self.deliver_now)

    async def _tick(self, name: str, job: Callable[[], Awaitable[object]]) -> None:
        """A scheduled job: a database that is away for a moment costs this tick only,
        with one line in the log; the work waits in the database for the next tick."""
        try:
            await job()
        except storage.TRANSIENT_ERRORS as exc:
            log.warning("%s tick skipped, database unavailable: %s", name, exc)
        except Exception:
            log.exception("%s tick failed", name)

    def start_scheduler(self) -> AsyncIOScheduler:
        scheduler = AsyncIOScheduler(timezone=UTC)
        soon = utcnow() + timedelta(seconds=1)
        # max_instances=1 + coalesce: a slow cycle is never run twice at once, and missed
        # ticks collapse into one instead of piling up.
        scheduler.add_job(self.poll_tick, "interval", id="poll-feeds",
                          seconds=self.settings.pitboard_poll_seconds, next_run_time=soon,
                          max_instances=1, coalesce=True)
        scheduler.add_job(self.deliver_tick, "interval", id="deliver-alerts",
                          seconds=self.settings.pitboard_delivery_seconds, next_run_time=soon,
                          max_instances=1, coalesce=True)
        scheduler.start()
        self.scheduler = scheduler
        return scheduler

    # ----- chat platforms -------------------------------------------------------------------

    def connect_discord(self) -> None:
        """Log in to Discord (gateway + slash commands) in the background, and deliver there."""
        from adapters.discord import DiscordSender, build_discord_bot

        settings = self.settings
        assert settings.discord_token is not None
        discord_bot = build_discord_bot(
            token=settings.discord_token.get_secret_value(), runner=self.commands,
            api_base_url=settings.discord_api_base_url, gateway_url=settings.discord_gateway_url,
            guild_id=settings.discord_guild_id)
        self.add_sender(DiscordSender(discord_bot))
        self._background.append(asyncio.create_task(discord_bot.start(), name="discord"))
        self._closers.append(discord_bot.close)

    async def slack_app(self) -> Any:
        """The Bolt app for this deployment: OAuth installs when SLACK_CLIENT_ID is set,
        else the single-workspace bot token. Also registers the Slack sender."""
        from adapters.slack import (
            SlackSender,
            build_slack_app,
            moderators_from_settings,
            open_slack_oauth,
        )

        settings = self.settings
        if settings.slack_signing_secret is None:
            raise SystemExit("Slack needs SLACK_SIGNING_SECRET (the app's Basic Information).")
        bot_token = settings.slack_bot_token.get_secret_value() \
            if settings.slack_bot_token else None
        oauth = None
        if settings.slack_client_id and settings.slack_client_secret:
            oauth = await open_slack_oauth(
                client_id=settings.slack_client_id,
                client_secret=settings.slack_client_secret.get_secret_value(),
                database_url=self.database_url)
            self._closers.append(oauth.close)
        moderators = moderators_from_settings(self.store)
        slack = build_slack_app(
            runner=self.commands, signing_secret=settings.slack_signing_secret.get_secret_value(),
            bot_token=None if oauth else bot_token, oauth=oauth,
            api_base_url=settings.slack_api_base_url, moderator_ids=moderators)
        self.add_sender(SlackSender(
            bot_token=bot_token, installation_store=oauth.installation_store if oauth else None,
            api_base_url=settings.slack_api_base_url, moderator_ids=moderators))
        return slack

    async def connect_slack_socket_mode(self, stop: asyncio.Event) -> None:
        from adapters.slack import run_socket_mode

        assert self.settings.slack_app_token is not None
        slack = await self.slack_app()
        self._background.append(asyncio.create_task(
            run_socket_mode(slack, self.settings.slack_app_token.get_secret_value(), stop),
            name="slack-socket-mode"))

    async def close(self) -> None:
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        for closer in reversed(self._closers):
            with contextlib.suppress(Exception):
                await closer()
        for task in self._background:
            task.cancel()
        await asyncio.gather(*self._background, return_exceptions=True)
        await self.fetcher.close()
        await self.store.close()


def _stop_on_signals(stop: asyncio.Event) -> None:
    """SIGTERM (a platform restarting the dyno) and ctrl-C end the process cleanly."""
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, stop.set)


async def run_worker(settings: Settings, *, stop: asyncio.Event | None = None) -> None:
    """`pitboard run`: the scheduler and every configured chat platform, until stopped."""
    app = await PitboardApp.create(settings)
    stop = stop or asyncio.Event()
    _stop_on_signals(stop)
    try:
        if settings.discord_token is not None:
            app.connect_discord()
        if settings.slack_app_token is not None:
            await app.connect_slack_socket_mode(stop)
        elif settings.slack_bot_token is not None or settings.slack_client_id is not None:
            # HTTP mode: `pitboard web` answers commands; this worker only delivers.
            await app.slack_app()
        app.start_scheduler()
        platforms = ", ".join(sorted(app.senders)) or "none"
        log.info("Pitboard running: platforms %s, database %s", platforms,
                 make_url(app.database_url).render_as_string(hide_password=True))
        await stop.wait()
    finally:
        await app.close()


async def run_web(settings: Settings, *, stop: asyncio.Event | None = None,
                  host: str = "0.0.0.0") -> None:  # noqa: S104 - a web dyno listens on all
    """`pitboard web`: Slack's HTTP mode (events, OAuth install and redirect) and /healthz."""
    from aiohttp import web

    app = await PitboardApp.create(settings)
    stop = stop or asyncio.Event()
    _stop_on_signals(stop)
    try:
        if settings.slack_signing_secret is not None:
            from adapters.slack import build_web_app

            web_app = build_web_app(await app.slack_app())
        else:
            web_app = web.Application()
            web_app.router.add_get("/healthz", lambda _: web.json_response({"ok": True}))
        runner = web.AppRunner(web_app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, host, settings.port).start()
        log.info("Pitboard web listening on %s:%s", host, settings.port)
        await stop.wait()
        await runner.cleanup()
    finally:
        await app.close()
