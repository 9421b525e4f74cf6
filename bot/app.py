"""The composition root: the only module that plugs storage, feeds and the platform
adapters into the core, from configuration."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TextIO

from apscheduler.schedulers.asyncio import AsyncIOScheduler

import feeds
import storage
from adapters.console import CONSOLE_WORKSPACE, ConsoleSender
from bot import metrics
from bot.commands import Commands
from bot.config import Settings
from bot.delivery import DeliveryReport, DeliveryWorker, freeze_startup_heap
from bot.digest import DigestReport, queue_digests
from bot.models import Destination, DestinationKind, PollReport, utcnow
from bot.pipeline import Pipeline
from bot.ports import AlertSender, Store
from bot.roles import Roles
from bot.rules import extract, gazetteer
from bot.startup import (
    Gateway,
    _say_why_it_stopped,
    _slack_off,
    _stop_on_signals,
    _terminal_stdin,
    console_prompt,
    database_url,
    feed_lease_seconds,
    feed_presets,
    first_poll_spread,
    lead_gateway,
    log_setup,
    notify_feed_moderators,
    setup_summary,
    slack_mode,
)

log = logging.getLogger(__name__)
HEALTH_SECONDS = 5.0  # a health check that waits longer than this has its answer


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
    _in_flight: set[asyncio.Task[Any]] = field(default_factory=set)  # scheduler jobs running
    _stopping: bool = False
    _outage_since: float | None = None  # time.monotonic() when the database went away
    _gateways: list[Gateway] = field(default_factory=list)
    _coordination: Any = None  # storage.coordination.Coordination, once a gateway needs it

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
                            lease_seconds=feed_lease_seconds(settings, fetch_settings),
                            is_transient=storage.is_transient,
                            max_failures=settings.pitboard_feed_max_failures,
                            concurrency=settings.pitboard_feed_concurrency,
                            per_host=settings.pitboard_feed_host_limit,
                            notify=functools.partial(notify_feed_moderators, senders))
        commands = Commands(store, gazetteer=names, check_feed_url=check_url,
                            probe_feed=feeds.FeedProbe(fetcher),
                            prime_feed=pipeline.first_poll, presets=feed_presets(settings))
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
        new = [url for url in dict.fromkeys(self.settings.feed_urls) if url not in known]
        for url in new:
            try:
                checked = await feeds.check_feed_url_async(
                    url, allow_private=self.settings.pitboard_allow_private_feeds)
            except ValueError as exc:
                # One mistyped entry must not keep the bot (and the other feeds) down.
                log.warning("PITBOARD_FEEDS: skipping %s: %s", url, exc)
                continue
            await self.store.add_feed(checked, spread_seconds=first_poll_spread(len(new)))

    def add_sender(self, sender: AlertSender) -> None:
        """A platform connected after start-up; the delivery worker shares this mapping."""
        self.senders[sender.platform] = metrics.MeasuredSender(sender)

    async def poll_now(self, *, now: datetime | None = None) -> list[PollReport]:
        reports = await self.pipeline.poll_due(now=now)
        metrics.record_polls(reports)
        outage = self.pipeline.database_error
        for report in reports:
            if outage is not None and report.error and report.error.startswith("database"):
                continue  # said once, as the outage, by _tick
            if report.error:
                log.warning("feed %s: %s", report.url, report.error)
            elif report.new_articles:
                log.info("feed %s: %d new articles, %d driver moves%s", report.url,
                         report.new_articles, report.new_stories,
                         "" if report.announced else " (first poll: recorded, not announced)")
        if outage is not None:
            raise outage  # the feeds it cost were handed back; _tick logs the outage once
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
            # Logged as the outage, once, however often /healthz is asked meanwhile.
            self._database_down(exc)
            return 503, metrics.record_database(up=False)
        self._database_up()
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
        """A scheduled job: a database that is away costs the ticks it is away for, with one
        log line when it goes and one when it is back; the work waits in the database."""
        task = asyncio.current_task()
        if task is not None:
            self._in_flight.add(task)
        try:
            await job()
        except storage.TRANSIENT_ERRORS as exc:
            self._database_down(exc)
        except asyncio.CancelledError:
            if not self._stopping:
                raise
            # close() cancelled us after the grace period; what we held is handed back
            # there. Returning quietly keeps the scheduler from logging a traceback.
        except Exception:
            log.exception("%s tick failed", name)
        else:
            self._database_up()
        finally:
            if task is not None:
                self._in_flight.discard(task)

    def _database_down(self, exc: BaseException) -> None:
        if self._outage_since is None:
            self._outage_since = time.monotonic()
            metrics.record_database(up=False)
            log.warning("database unavailable: %s. Work waits in the database until it is "
                        "back (logged once more then)", str(exc) or type(exc).__name__)

    def _database_up(self) -> None:
        if self._outage_since is not None:
            lasted = time.monotonic() - self._outage_since
            self._outage_since = None
            log.warning("database available again after %.1fs of outage", lasted)

    async def release_leases(self) -> None:
        """Hand back every feed and outbox row this worker holds, so other workers take
        them now rather than when the leases run out."""
        worker = self.settings.pitboard_worker_id
        try:
            await self.pipeline.release_all()
            released = await self.store.release_leases(worker)
        except Exception as exc:  # the database is away: the leases run out by themselves
            log.warning("could not hand back this worker's leases (%s): they expire within "
                        "%ds", exc, max(self.pipeline.lease_seconds,
                                        self.settings.pitboard_lease_seconds))
            return
        if released:
            log.info("handed back %d leases held by %s", released, worker)

    def start_scheduler(self, roles: Roles | None = None) -> AsyncIOScheduler:
        """The jobs of `roles` (default: all): polling for 'poll', the outbox and the digest
        for 'deliver'."""
        roles = roles or Roles()
        scheduler = AsyncIOScheduler(timezone=UTC)
        soon = utcnow() + timedelta(seconds=1)
        # max_instances=1 + coalesce: a slow cycle is never run twice at once, and missed
        # ticks collapse into one instead of piling up.
        if roles.poll:
            scheduler.add_job(self.poll_tick, "interval", id="poll-feeds",
                              seconds=self.settings.pitboard_poll_seconds, next_run_time=soon,
                              max_instances=1, coalesce=True)
        if roles.deliver:
            scheduler.add_job(self.deliver_tick, "interval", id="deliver-alerts",
                              seconds=self.settings.pitboard_delivery_seconds,
                              next_run_time=soon, max_instances=1, coalesce=True)
        if roles.deliver and self.settings.pitboard_digest_day is not None:
            scheduler.add_job(self.digest_tick, "cron", id="weekly-digest",
                              day_of_week=self.settings.pitboard_digest_day,
                              hour=self.settings.pitboard_digest_hour, minute=0,
                              max_instances=1, coalesce=True, misfire_grace_time=3600)
        scheduler.start()
        self.scheduler = scheduler
        return scheduler

    async def digest_now(self, *, now: datetime | None = None) -> DigestReport:
        report = await queue_digests(self.store, list(self.senders), now or utcnow())
        log.info("weekly digest: %d queued, %d skipped", report.queued, report.skipped)
        await self.deliver_now()  # failures are retried by the delivery ticks
        return report

    async def digest_tick(self) -> None:
        await self._tick("digest", self.digest_now)

    # ----- chat platforms -------------------------------------------------------------------

    def connect_discord(self, *, gateway: bool = True) -> None:
        """Log in to Discord's REST API in the background and deliver there; the gateway
        (slash commands) opens when `coordinate` finds this worker leads the token (or
        its shards), and never with gateway=False (a worker without the 'discord' role)."""
        from adapters.discord import DiscordSender, build_discord_bot

        settings = self.settings
        assert settings.discord_token is not None
        token = settings.discord_token.get_secret_value()
        fix = "check DISCORD_TOKEN and DISCORD_API_BASE_URL"

        def new_client() -> Any:
            return build_discord_bot(
                token=token, runner=self.commands, api_base_url=settings.discord_api_base_url,
                gateway_url=settings.discord_gateway_url, guild_id=settings.discord_guild_id,
                shard_count=settings.discord_shard_count, shard_ids=settings.discord_shards)

        sender = DiscordSender(new_client())
        self.add_sender(sender)
        connection: dict[str, asyncio.Task[None]] = {}

        def log_in() -> None:
            task = asyncio.create_task(sender.client.login(), name="discord-login")
            task.add_done_callback(_say_why_it_stopped("Discord", fix))
            self._background.append(task)
            connection["login"] = task

        async def connect_after_login() -> None:
            login = connection["login"]
            await asyncio.wait([login])
            if login.cancelled() or login.exception():
                return  # said in the log already; REST delivery fails the same way
            await sender.client.connect()

        async def open_gateway() -> None:
            # In the background: a Discord that is slow to answer must not hold up polling.
            task = asyncio.create_task(connect_after_login(), name="discord")
            task.add_done_callback(_say_why_it_stopped("Discord", fix))
            self._background.append(task)
            connection["gateway"] = task

        async def close_gateway() -> None:
            # discord.py closes the gateway and the HTTP session together, and a closed
            # client cannot log in again: deliver with a fresh one, logged in to REST only.
            old, sender.client = sender.client, new_client()
            await old.close()
            if "gateway" in connection:
                await asyncio.gather(connection.pop("gateway"), return_exceptions=True)
            log_in()

        async def close_client() -> None:
            await sender.client.close()

        log_in()
        count = settings.discord_shard_count
        shards = range(count) if count and settings.discord_shards is None \
            else settings.discord_shards or ()
        self._gateways.append(Gateway(
            name="Discord gateway", key=f"discord:{token}", open=open_gateway,
            close=close_gateway, pace=sender.pace, rate=settings.pitboard_discord_rate,
            locks=tuple(f"discord:{token}:shard:{i}/{count}" for i in shards),
            connects=gateway))
        self._closers.append(close_client)

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
        sender = SlackSender(
            bot_token=bot_token, installation_store=oauth.installation_store if oauth else None,
            api_base_url=settings.slack_api_base_url,
            moderator_ids=moderators_from_settings(self.store))
        self.add_sender(sender)
        self._closers.append(sender.close)  # its pooled HTTP session

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
        """Deliver to Slack; Socket Mode opens when `coordinate` finds this worker leads the
        app token (each connection would get a share of the events, each to answer)."""
        from adapters.slack import run_socket_mode

        assert self.settings.slack_app_token is not None
        app_token = self.settings.slack_app_token.get_secret_value()
        slack = await self.slack_app()
        connection: dict[str, Any] = {}

        async def open_socket() -> None:
            closed = asyncio.Event()
            task = asyncio.create_task(run_socket_mode(slack, app_token, closed),
                                       name="slack-socket-mode")
            task.add_done_callback(_say_why_it_stopped(
                "Slack Socket Mode", "check SLACK_APP_TOKEN and SLACK_BOT_TOKEN"))
            self._background.append(task)
            connection.update(task=task, closed=closed)

        async def close_socket() -> None:
            if "task" in connection:
                connection["closed"].set()
                await asyncio.gather(connection.pop("task"), return_exceptions=True)

        self._gateways.append(Gateway(name="Slack Socket Mode", key=f"slack:{app_token}",
                                      open=open_socket, close=close_socket))
        self._closers.append(close_socket)

    async def coordinate(self) -> None:
        """One round: for each gateway, count the live workers with its token (each paces
        itself at its share of the platform's limit) and open or close the connection as
        this worker holds the token's lock or not (storage.coordination)."""
        if not self._gateways or not isinstance(self.store, storage.SqlStore):
            for gateway in self._gateways:  # no database to coordinate through: lead
                if not gateway.running:
                    gateway.running = True
                    await gateway.open()
            return
        from storage.coordination import Coordination

        if self._coordination is None:
            self._coordination = Coordination(self.store.engine)
        for gateway in self._gateways:
            try:
                members = await self._coordination.join(gateway.key)
                leading = await lead_gateway(self._coordination, gateway)
            except Exception as exc:
                # The database is away: whoever holds a gateway keeps it (commands answer
                # "try again"); the lock is checked again when the database is back.
                log.debug("coordination round failed: %r", exc)
                return
            if gateway.pace is not None and gateway.rate and members != gateway.members:
                gateway.pace.rate = gateway.rate / members
                log.info("%s: %d worker%s share the token, this one sends at most %.1f/s",
                         gateway.name, members, "" if members == 1 else "s",
                         gateway.pace.rate)
            gateway.members = members
            if leading and not gateway.running:
                gateway.running = True
                log.info("%s: opened by this worker (it holds the token's lock)", gateway.name)
                await gateway.open()
            elif not leading and gateway.running:
                gateway.running = False
                log.warning("%s: another worker holds it now; this one delivers only",
                            gateway.name)
                await gateway.close()

    async def _coordinate_forever(self) -> None:
        while True:
            await asyncio.sleep(self.settings.pitboard_coordination_seconds)
            await self.coordinate()

    async def start_coordination(self) -> None:
        """Open the gateways this worker leads now, and keep checking in the background:
        when the leader dies, another worker opens its gateway within one period."""
        await self.coordinate()
        if self._gateways:
            self._background.append(asyncio.create_task(self._coordinate_forever(),
                                                        name="coordination"))

    async def close(self) -> None:
        """Stop cleanly: no new ticks; polls and sends in flight get the shutdown grace to
        finish, then are cancelled; every lease this worker holds is handed back; then the
        gateways and connections close."""
        self._stopping = True
        scheduler = self.scheduler if self.scheduler and self.scheduler.running else None
        if scheduler is not None:
            # Paused, not shut down yet: APScheduler's shutdown cancels the jobs in flight
            # at once, and they get their grace first.
            scheduler.pause()
        in_flight = [task for task in self._in_flight if not task.done()]
        if in_flight:
            _, late = await asyncio.wait(
                in_flight, timeout=self.settings.pitboard_shutdown_grace_seconds)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)
        if scheduler is not None:
            scheduler.shutdown(wait=False)
        await self.release_leases()
        for task in self._background:
            if task.get_name() == "coordination":
                task.cancel()
        for closer in reversed(self._closers):
            with contextlib.suppress(Exception):
                await closer()
        if self._coordination is not None:
            # After the gateways closed: the next worker opens one at its next round.
            with contextlib.suppress(Exception):
                await self._coordination.close()
        for task in self._background:
            task.cancel()
        await asyncio.gather(*self._background, return_exceptions=True)
        await self.fetcher.close()
        await self.store.close()


async def run_worker(settings: Settings, *, stop: asyncio.Event | None = None,
                     roles: Roles | None = None) -> None:
    """`pitboard run`: the scheduler and every configured chat platform, until stopped;
    `roles` (`--roles`, bot.roles) narrows that to the jobs and gateways named."""
    mode = slack_mode(settings)
    roles = roles or Roles(discord=settings.discord_token is not None, slack=mode == "socket")
    app = await PitboardApp.create(settings)
    stop = stop or asyncio.Event()
    _stop_on_signals(stop)
    try:
        if settings.discord_token is not None:
            app.connect_discord(gateway=roles.discord)
        if mode == "socket" and roles.slack:
            await app.connect_slack_socket_mode(stop)
        elif mode is not None:
            # HTTP mode (`pitboard web` answers commands), or Socket Mode held by a worker
            # with the 'slack' role: this one only sends.
            await app.connect_slack_sender()
        await app.start_coordination()
        if settings.pitboard_metrics_port is not None:
            await app.serve_ops(settings.pitboard_web_host, settings.pitboard_metrics_port)
        app.start_scheduler(roles)
        on, off = setup_summary(settings, url=app.database_url, command="run",
                                feed_count=len(await app.store.list_feeds(None)))
        platforms = ", ".join(sorted(app.senders)) or "none"
        log_setup([f"roles {','.join(roles.names)}", f"platforms {platforms}", *on], off,
                  what="Pitboard running")
        terminal = _terminal_stdin() if settings.console_enabled else None
        if terminal is not None:
            app._background.append(asyncio.create_task(
                console_prompt(app, stop, fd=terminal), name="console-prompt"))
        freeze_startup_heap()  # what start-up built stays: full GCs skip it (bot/delivery)
        await stop.wait()
    finally:
        await app.close()


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
