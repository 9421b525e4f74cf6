"""Start-up and shutdown helpers of the composition root: settings read into URLs and lease
lengths, what start-up says is on and off, the console prompt, signals."""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import logging
import os
import signal
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO

from sqlalchemy.engine import make_url

import feeds
import storage
from bot.config import Settings
from bot.models import PresetFeed
from bot.ports import AlertSender

if TYPE_CHECKING:
    from bot.app import PitboardApp

log = logging.getLogger("bot.app")


# A feed lease covers the fetch (its timeout) and the storing and reading after it; a poll
# that runs longer renews it, so this only bounds how long a dead worker strands a feed.
FEED_LEASE_MARGIN_SECONDS = 40


def feed_lease_seconds(settings: Settings, fetch_settings: feeds.FetchSettings) -> int:
    """PITBOARD_FEED_LEASE_SECONDS, or the fetch timeout plus a margin."""
    if settings.pitboard_feed_lease_seconds is not None:
        return settings.pitboard_feed_lease_seconds
    return int(fetch_settings.timeout_seconds) + FEED_LEASE_MARGIN_SECONDS


# Feeds added together (PITBOARD_FEEDS) fall due over count/this seconds, at most 10 min.
FIRST_POLLS_PER_SECOND = 10
MAX_FIRST_POLL_SPREAD_SECONDS = 600


def first_poll_spread(count: int) -> float:
    """Seconds over which the first polls of `count` feeds added together are spread: a
    window that grows with their number, so a long list does not fall due, and hit its
    sites, in one burst, while a short one is still polled within a second or so."""
    return min(count / FIRST_POLLS_PER_SECOND, MAX_FIRST_POLL_SPREAD_SECONDS)


def feed_presets(settings: Settings) -> tuple[PresetFeed, ...]:
    """The feed catalogue for /feed presets: PITBOARD_FEED_CATALOGUE, or the bundled one. A
    catalogue that cannot be read is logged and leaves the presets empty: the bot runs."""
    try:
        return feeds.load_catalogue(settings.pitboard_feed_catalogue or None)
    except feeds.CatalogueError as exc:
        log.error("PITBOARD_FEED_CATALOGUE: %s; /feed presets lists nothing until it is "
                  "fixed", exc)
        return ()


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


@dataclass(slots=True, eq=False)
class Gateway:
    """A chat platform's event connection (Discord's gateway, Slack's Socket Mode) for one
    token. Several connections for one token would each receive every event, so only the
    worker that leads `key` opens it; every worker delivers over the platform's REST API,
    sharing `rate` (requests/s, if the platform has a global limit) through `pace`."""

    name: str
    key: str  # the token: which workers compete for, and share, this connection
    open: Callable[[], Awaitable[None]]
    close: Callable[[], Awaitable[None]]
    pace: Any = None  # an object with a `rate` attribute (adapters.discord.RequestPace)
    rate: float | None = None
    running: bool = False
    members: int = 0


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


async def _slack_off(_: Any) -> Any:
    from aiohttp import web

    return web.Response(status=503, text=(
        "Slack is not configured on this Pitboard: set SLACK_SIGNING_SECRET and "
        "SLACK_BOT_TOKEN (or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET), then restart "
        "`pitboard web`.\n"))
