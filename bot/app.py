"""The composition root: the only module that plugs storage, feeds and the platform
adapters into the core, from configuration."""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import functools
import logging
import os
import signal
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TextIO

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.engine import make_url

import feeds
import storage
from adapters.console import CONSOLE_WORKSPACE, ConsoleSender
from bot import metrics
from bot.commands import Commands
from bot.config import Settings
from bot.delivery import DeliveryReport, DeliveryWorker
from bot.models import Destination, DestinationKind, PollReport, utcnow
from bot.pipeline import Pipeline
from bot.ports import AlertSender, Store
from bot.rules import extract, gazetteer

log = logging.getLogger(__name__)
HEALTH_SECONDS = 5.0  # a health check that waits longer than this has its answer


def database_url(settings: Settings) -> str:
    """DATABASE_URL as SQLAlchemy wants it, or the per-user SQLite file."""
    if settings.database_url:
        return storage.normalise_url(settings.database_url)
    return storage.default_database_url()


def safe_url(url: str) -> str:
    """A database URL fit for a log line or a message: the password masked."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # not a URL SQLAlchemy can read: say nothing of what it holds
        return "(unreadable URL)"


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
    _slack_oauth_stores: Any = None

    @classmethod
    async def create(cls, settings: Settings, *, console_out: TextIO | None = None,
                     fetch_settings: feeds.FetchSettings | None = None,
                     store: storage.SqlStore | None = None) -> PitboardApp:
        url = database_url(settings)
        store = store or await storage.SqlStore.open(url)
        fetch_settings = fetch_settings or feeds.FetchSettings(
            allow_private=settings.pitboard_allow_private_feeds,
            user_agent=feeds.FetchSettings.user_agent_for(settings.pitboard_contact_url))
        fetcher = feeds.HttpFeedFetcher(fetch_settings)
        names = gazetteer()
        check_url = functools.partial(feeds.check_feed_url_async,
                                      allow_private=fetch_settings.allow_private)
        worker = settings.pitboard_worker_id
        senders: dict[str, AlertSender] = {}
        pipeline = Pipeline(store, fetcher, extractor=extract, gazetteer=names, worker_id=worker,
                            max_failures=settings.pitboard_feed_max_failures,
                            concurrency=settings.pitboard_feed_concurrency,
                            per_host=settings.pitboard_feed_host_limit,
                            notify=functools.partial(notify_feed_moderators, senders))
        commands = Commands(store, gazetteer=names, check_feed_url=check_url,
                            probe_feed=feeds.FeedProbe(fetcher),
                            prime_feed=pipeline.first_poll)
        if settings.console_enabled:
            senders["console"] = metrics.MeasuredSender(ConsoleSender(console_out))
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
        if not self.settings.feed_urls:
            return
        known = {feed.url for feed in await self.store.list_feeds(None)}
        for url in self.settings.feed_urls:
            if url not in known:
                try:
                    checked = await feeds.check_feed_url_async(
                        url, allow_private=self.settings.pitboard_allow_private_feeds)
                except ValueError as exc:
                    # One mistyped entry must not keep the bot (and the other feeds) down.
                    log.warning("PITBOARD_FEEDS: skipping %s: %s", url, exc)
                    continue
                await self.store.add_feed(checked)

    def add_sender(self, sender: AlertSender) -> None:
        """A platform connected after start-up; the delivery worker shares this mapping."""
        self.senders[sender.platform] = metrics.MeasuredSender(sender)

    async def poll_now(self, *, now: datetime | None = None) -> list[PollReport]:
        reports = await self.pipeline.poll_due(now=now)
        metrics.record_polls(reports)
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

    async def health(self) -> tuple[int, dict[str, Any]]:
        """/healthz: 200 with the database's facts, or 503 when it cannot be read. Also
        refreshes the database gauges that /metrics exports."""
        from storage.health import database_health

        engine = self.store.engine if isinstance(self.store, storage.SqlStore) else None
        if engine is None:
            return 200, {"ok": True}
        now = utcnow()
        try:
            facts = await asyncio.wait_for(database_health(engine, now), HEALTH_SECONDS)
        except Exception as exc:  # whatever it is, the answer is "not healthy"
            log.warning("health check: database unavailable: %s", exc)
            return 503, metrics.record_database(up=False)
        return 200, metrics.record_database(
            up=True, outbox_depth=facts.outbox_depth, oldest_pending=facts.oldest_pending,
            last_poll=facts.last_poll, expired_leases=facts.expired_leases, now=now)

    async def healthz_page(self, _request: Any) -> Any:
        from aiohttp import web

        status, body = await self.health()
        return web.json_response(body, status=status)

    async def metrics_page(self, _request: Any) -> Any:
        from aiohttp import web

        await self.health()  # the gauges read the database now, not at the last poll
        body, content_type = metrics.exposition()
        return web.Response(body=body, headers={"Content-Type": content_type})

    def add_ops_routes(self, web_app: Any, *, healthz: bool = True) -> None:
        """GET /metrics (Prometheus text format) and GET /healthz (JSON)."""
        if healthz:
            web_app.router.add_get("/healthz", self.healthz_page)
        web_app.router.add_get("/metrics", self.metrics_page)

    async def serve_ops(self, host: str, port: int) -> Any:
        """The worker's own /metrics and /healthz (PITBOARD_METRICS_PORT)."""
        from aiohttp import web

        web_app = web.Application()
        self.add_ops_routes(web_app)
        runner = web.AppRunner(web_app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, host, port).start()
        self._closers.append(runner.cleanup)
        return runner

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
        task = asyncio.create_task(discord_bot.start(), name="discord")
        task.add_done_callback(_say_why_it_stopped(
            "Discord", "check DISCORD_TOKEN and DISCORD_API_BASE_URL"))
        self._background.append(task)
        self._closers.append(discord_bot.close)

    async def _slack_oauth(self) -> Any:
        """The OAuth installation and state stores, opened once, when SLACK_CLIENT_ID and
        SLACK_CLIENT_SECRET are set; else None."""
        from adapters.slack import open_slack_oauth

        settings = self.settings
        if not (settings.slack_client_id and settings.slack_client_secret):
            return None
        if self._slack_oauth_stores is None:
            self._slack_oauth_stores = await open_slack_oauth(
                client_id=settings.slack_client_id,
                client_secret=settings.slack_client_secret.get_secret_value(),
                database_url=self.database_url)
            self._closers.append(self._slack_oauth_stores.close)
        return self._slack_oauth_stores

    async def connect_slack_sender(self) -> None:
        """Deliver to Slack. Needs a bot token or OAuth installs, not the signing secret:
        in HTTP mode this worker only sends, and `pitboard web` verifies requests."""
        from adapters.slack import SlackSender, moderators_from_settings

        settings = self.settings
        oauth = await self._slack_oauth()
        bot_token = settings.slack_bot_token.get_secret_value() \
            if settings.slack_bot_token else None
        self.add_sender(SlackSender(
            bot_token=bot_token, installation_store=oauth.installation_store if oauth else None,
            api_base_url=settings.slack_api_base_url,
            moderator_ids=moderators_from_settings(self.store)))

    async def slack_app(self) -> Any:
        """The Bolt app for this deployment: OAuth installs when SLACK_CLIENT_ID is set,
        else the single-workspace bot token. Also registers the Slack sender."""
        from adapters.slack import build_slack_app, moderators_from_settings

        settings = self.settings
        if settings.slack_signing_secret is None:
            raise SystemExit("Slack needs SLACK_SIGNING_SECRET (the app's Basic Information).")
        bot_token = settings.slack_bot_token.get_secret_value() \
            if settings.slack_bot_token else None
        oauth = await self._slack_oauth()
        slack = build_slack_app(
            runner=self.commands, signing_secret=settings.slack_signing_secret.get_secret_value(),
            bot_token=None if oauth else bot_token, oauth=oauth,
            api_base_url=settings.slack_api_base_url,
            moderator_ids=moderators_from_settings(self.store))
        await self.connect_slack_sender()
        return slack

    async def connect_slack_socket_mode(self, stop: asyncio.Event) -> None:
        from adapters.slack import run_socket_mode

        assert self.settings.slack_app_token is not None
        slack = await self.slack_app()
        task = asyncio.create_task(
            run_socket_mode(slack, self.settings.slack_app_token.get_secret_value(), stop),
            name="slack-socket-mode")
        task.add_done_callback(_say_why_it_stopped(
            "Slack Socket Mode", "check SLACK_APP_TOKEN and SLACK_BOT_TOKEN"))
        self._background.append(task)

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


async def notify_feed_moderators(senders: dict[str, AlertSender], scope: str | None,
                                 text: str) -> None:
    """A feed's scope is "platform:workspace"; an operator's feed (None) has only the log,
    where the pipeline has already written it."""
    platform, _, workspace = (scope or "").partition(":")
    sender = senders.get(platform)
    if sender is not None and workspace:
        await sender.notify_moderators(workspace, text)


def _say_why_it_stopped(platform: str, fix: str) -> Callable[[asyncio.Task[Any]], None]:
    """A platform's connection task ended with an error (a rejected token, most often): say
    so in the log at once, or the bot runs on without that platform in silence."""

    def done(task: asyncio.Task[Any]) -> None:
        if task.cancelled() or task.exception() is None:
            return
        exc = task.exception()
        log.error("%s stopped: %s: %s. Pitboard goes on without it; %s (`pitboard doctor` "
                  "tests them).", platform, type(exc).__name__, exc, fix)

    return done


def _stop_on_signals(stop: asyncio.Event) -> None:
    """SIGTERM (a platform restarting the dyno) and ctrl-C end the process cleanly."""
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, stop.set)


def slack_mode(settings: Settings) -> str | None:
    """"socket" (SLACK_APP_TOKEN), "http" (`pitboard web` answers, workers deliver) or None."""
    if settings.slack_app_token is not None:
        return "socket"
    if settings.slack_bot_token is not None or (
            settings.slack_client_id and settings.slack_client_secret is not None):
        return "http"
    return None  # (a client id without its secret: `pitboard doctor` says what is missing)


def setup_summary(settings: Settings, *, url: str, feed_count: int, command: str
                  ) -> tuple[list[str], list[str]]:
    """What this process has switched on, and what is off with the setting that turns it
    on: the start-up log, so a first run says what to do next. `command`: "run" or "web"."""
    on = [f"database {safe_url(url)}"]
    off = []
    slack = slack_mode(settings)
    if command == "run":
        if settings.discord_token is not None:
            on.append("Discord")
        else:
            off.append("Discord is off: set DISCORD_TOKEN (README, Discord)")
        if slack == "socket":
            on.append("Slack (Socket Mode)")
        elif slack == "http":
            on.append("Slack (HTTP mode: this worker delivers, `pitboard web` answers "
                      "commands)")
        else:
            off.append("Slack is off: set SLACK_BOT_TOKEN and SLACK_APP_TOKEN for Socket "
                       "Mode, or run `pitboard web` for HTTP mode (README, Slack)")
        on.append(f"{feed_count} feed{'' if feed_count == 1 else 's'}")
        if not feed_count:
            off.append("No feeds yet: `pitboard feed add URL`, PITBOARD_FEEDS, or a "
                       "moderator's /feed add")
        if settings.pitboard_metrics_port is not None:
            on.append(f"/metrics and /healthz on {settings.pitboard_web_host}:"
                      f"{settings.pitboard_metrics_port}")
        else:
            off.append("Metrics are off in this worker: set PITBOARD_METRICS_PORT to serve "
                       "/metrics and /healthz")
    else:
        on.append(f"/healthz and /metrics on {settings.pitboard_web_host}:{settings.port}")
        if settings.slack_signing_secret is not None and slack is not None:
            on.append("Slack HTTP mode on /slack/events"
                      + (" and OAuth installs on /slack/install"
                         if settings.slack_client_id else ""))
        else:
            missing = [name for name, value in (
                ("SLACK_SIGNING_SECRET", settings.slack_signing_secret),
                ("SLACK_BOT_TOKEN (or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET)", slack))
                if value is None]
            off.append(f"Slack is off: /slack/* answers 503 until {' and '.join(missing)} "
                       "are set (README, Slack)")
    return on, off


def log_setup(on: list[str], off: list[str], *, what: str) -> None:
    log.info("%s: %s", what, "; ".join(on))
    for line in off:
        log.info("%s", line)


async def console_prompt(app: PitboardApp, stop: asyncio.Event, *, fd: int,
                         out: TextIO | None = None) -> None:
    """Slash commands typed where `pitboard run` was started (a terminal): the operator
    tries /help or /lineup 31 at once. /quit or ctrl-D stops Pitboard.

    Reads with the loop's add_reader, not a thread: a thread blocked in readline would
    keep the process alive after ctrl-C until Enter was pressed."""
    from adapters.console import ConsoleSession, render_reply
    from adapters.console.repl import QUIT_WORDS

    out = out or sys.stdout
    loop = asyncio.get_running_loop()
    lines: asyncio.Queue[str | None] = asyncio.Queue()
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    pending = ""

    def readable() -> None:
        nonlocal pending
        data = os.read(fd, 4096)
        if not data:
            loop.remove_reader(fd)
            lines.put_nowait(None)
            return
        pending += decoder.decode(data)
        *complete, pending = pending.split("\n")
        for line in complete:
            lines.put_nowait(line)

    session = ConsoleSession(app.commands, out=out)
    loop.add_reader(fd, readable)
    try:
        print("Type slash commands here: /help lists them; /quit or ctrl-D stops Pitboard.",
              file=out, flush=True)
        while True:
            print("pitboard> ", end="", file=out, flush=True)
            line = await lines.get()
            if line is None or line.strip().casefold() in QUIT_WORDS:
                stop.set()
                return
            if line.strip():
                print(render_reply(await session.execute(line.strip())), file=out, flush=True)
    finally:
        loop.remove_reader(fd)


def _terminal_stdin() -> int | None:
    try:
        return sys.stdin.fileno() if sys.stdin is not None and sys.stdin.isatty() else None
    except (OSError, ValueError):  # closed or replaced stdin
        return None


async def run_worker(settings: Settings, *, stop: asyncio.Event | None = None) -> None:
    """`pitboard run`: the scheduler and every configured chat platform, until stopped."""
    app = await PitboardApp.create(settings)
    stop = stop or asyncio.Event()
    _stop_on_signals(stop)
    try:
        if settings.discord_token is not None:
            app.connect_discord()
        mode = slack_mode(settings)
        if mode == "socket":
            await app.connect_slack_socket_mode(stop)
        elif mode == "http":
            # HTTP mode: `pitboard web` answers commands; this worker only delivers.
            await app.connect_slack_sender()
        if settings.pitboard_metrics_port is not None:
            await app.serve_ops(settings.pitboard_web_host, settings.pitboard_metrics_port)
        app.start_scheduler()
        on, off = setup_summary(settings, url=app.database_url, command="run",
                                feed_count=len(await app.store.list_feeds(None)))
        platforms = ", ".join(sorted(app.senders)) or "none"
        log_setup([f"platforms {platforms}", *on], off, what="Pitboard running")
        terminal = _terminal_stdin() if settings.console_enabled else None
        if terminal is not None:
            app._background.append(asyncio.create_task(
                console_prompt(app, stop, fd=terminal), name="console-prompt"))
        await stop.wait()
    finally:
        await app.close()


async def _slack_off(_: Any) -> Any:
    from aiohttp import web

    return web.Response(status=503, text=(
        "Slack is not configured on this Pitboard: set SLACK_SIGNING_SECRET and "
        "SLACK_BOT_TOKEN (or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET), then restart "
        "`pitboard web`.\n"))


async def run_web(settings: Settings, *, stop: asyncio.Event | None = None,
                  host: str | None = None) -> None:
    """`pitboard web`: Slack's HTTP mode (events, OAuth install and redirect) and /healthz."""
    from aiohttp import web

    host = host or settings.pitboard_web_host
    app = await PitboardApp.create(settings)
    stop = stop or asyncio.Event()
    _stop_on_signals(stop)
    try:
        if settings.slack_signing_secret is not None and slack_mode(settings) is not None:
            from adapters.slack import build_web_app

            web_app = build_web_app(await app.slack_app(), healthz=app.healthz_page)
            app.add_ops_routes(web_app, healthz=False)
        else:
            web_app = web.Application()
            web_app.router.add_route("*", "/slack/{tail:.*}", _slack_off)
            app.add_ops_routes(web_app)
        runner = web.AppRunner(web_app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, host, settings.port).start()
        on, off = setup_summary(settings.model_copy(update={"pitboard_web_host": host}),
                                url=app.database_url, feed_count=0, command="web")
        log_setup(on, off, what="Pitboard web listening")
        await stop.wait()
        await runner.cleanup()
    finally:
        await app.close()
