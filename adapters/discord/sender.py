"""Alert delivery over discord.py's HTTP client: channel posts, mentions and DMs.

discord.py does the per-route buckets and sleeps through 429s (up to MAX_RATELIMIT_WAIT);
on top of that a token bucket keeps this process below Discord's global limit of 50
requests per second. Interaction answers do not count against that limit, so only delivery
goes through the pace. Worker processes sharing one token split the rate: the composition
root sets each one's `pace.rate` to PITBOARD_DISCORD_RATE / the live workers with the token
(bot.app.PitboardApp.coordinate); a shared rate-limit proxy via DISCORD_API_BASE_URL works too.

Failures become the delivery errors of bot.ports, which tell the worker what to do:
403 -> DestinationForbidden (mark it, tell moderators once), 404 -> DestinationGone
(retire its subscriptions), 5xx / connection trouble / long 429 -> RetryLater."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Awaitable, Callable

import aiohttp
import discord

from adapters.discord.render import DiscordMessage, render_alert, render_text
from bot.messages import Alert
from bot.models import Destination, DestinationKind
from bot.ports import DeliveryError, DestinationForbidden, DestinationGone, RetryLater

log = logging.getLogger(__name__)

GLOBAL_RATE = 40.0  # requests per second, with BURST on top: at most 45 in any second
BURST = 5
SEND_TIMEOUT = 30.0


class RequestPace:
    """An asyncio token bucket: at most `burst + rate * t` acquisitions in any t seconds."""

    def __init__(self, rate: float = GLOBAL_RATE, burst: int = BURST) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be positive and burst at least 1")
        self.rate = rate
        self.burst = burst
        self._tokens = float(burst)
        self._updated: float | None = None
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        # One waiter at a time, so requests leave in the order they asked.
        async with self._lock:
            loop = asyncio.get_running_loop()
            while True:
                now = loop.time()
                if self._updated is not None:
                    self._tokens = min(self.burst,
                                       self._tokens + (now - self._updated) * self.rate)
                self._updated = now
                if self._tokens >= 1:
                    self._tokens -= 1
                    return
                await asyncio.sleep((1 - self._tokens) / self.rate)


def alert_nonce(alert: Alert) -> str:
    """The same alert always gets the same nonce. discord.py sends it with enforce_nonce,
    so when a worker dies between Discord posting the message and the outbox row being
    marked sent, the redelivery is answered with the existing message, not a second post.
    Discord nonces are at most 25 characters."""
    key = f"{alert.story_id}:{alert.revision}:{alert.destination.id}:{alert.destination.channel}"
    return "pb" + hashlib.blake2s(key.encode(), digest_size=11).hexdigest()


def _snowflake(value: str | None, what: str) -> int:
    if value and value.isdigit():
        return int(value)
    # An id that can never work: retiring it beats retrying it for a day.
    raise DestinationGone(f"{what} {value!r} is not a Discord id")


class DiscordSender:
    """bot.ports.AlertSender for Discord. Needs a logged-in client (the running bot)."""

    platform = "discord"

    def __init__(self, client: discord.Client, *, pace: RequestPace | None = None,
                 timeout: float = SEND_TIMEOUT) -> None:
        self.client = client
        self.pace = pace or RequestPace()
        self.timeout = timeout

    async def send(self, alert: Alert) -> None:
        message = render_alert(alert)
        destination = alert.destination
        nonce = alert_nonce(alert)
        if destination.kind is DestinationKind.DM:
            await self._deliver(lambda: self._send_dm(destination, message, nonce))
        else:
            channel_id = _snowflake(destination.channel, "channel")
            await self._deliver(lambda: self._send_to_channel(channel_id, message, nonce))

    async def notify_moderators(self, workspace: str, text: str) -> None:
        """Tell a server's moderators something once, e.g. that alerts can't be posted.

        Posted to the server's Community Updates channel (moderator-only in Community
        servers), else its system channel. Not the alerts channel: the usual reason to
        notify is that posting there just failed. Best effort: with neither channel
        reachable it logs a warning and returns."""
        if not workspace.isdigit():
            log.warning("no moderators to notify for Discord workspace %r: %s", workspace, text)
            return
        message = render_text(text)
        for channel_id in await self._moderator_channels(int(workspace)):
            try:
                await self._deliver(lambda: self._send_to_channel(channel_id, message))  # noqa: B023 - awaited at once
            except DeliveryError as exc:
                log.info("moderator notice to channel %s failed: %s", channel_id, exc)
                continue
            return
        log.warning("could not reach the moderators of guild %s: %s", workspace, text)

    # ----- internals -------------------------------------------------------------------------

    async def _moderator_channels(self, guild_id: int) -> list[int]:
        guild = self.client.get_guild(guild_id)
        if guild is not None:
            candidates = [guild.public_updates_channel, guild.system_channel]
            return [channel.id for channel in candidates if channel is not None]
        try:
            await self.pace.acquire()
            data = await self.client.http.get_guild(guild_id)
        except (discord.HTTPException, aiohttp.ClientError, OSError, TimeoutError) as exc:
            log.info("could not look up guild %s: %s", guild_id, exc)
            return []
        ids = [data.get("public_updates_channel_id"), data.get("system_channel_id")]
        return [int(i) for i in ids if i]

    async def _send_to_channel(self, channel_id: int, message: DiscordMessage,
                               nonce: str | None = None) -> None:
        await self.pace.acquire()
        channel = self.client.get_partial_messageable(channel_id)
        await channel.send(**message.send_kwargs(), nonce=nonce)  # type: ignore[arg-type]

    async def _send_dm(self, destination: Destination, message: DiscordMessage,
                       nonce: str) -> None:
        user_id = _snowflake(destination.user, "user")
        # discord.py caches the DM channel, so only a user's first alert costs two requests;
        # pacing both is at worst one token too careful.
        await self.pace.acquire()
        channel = await self.client.create_dm(discord.Object(id=user_id))
        await self.pace.acquire()
        await channel.send(**message.send_kwargs(), nonce=nonce)  # type: ignore[arg-type]

    async def _deliver(self, sending: Callable[[], Awaitable[None]]) -> None:
        if not self.client.http.token:
            raise RetryLater("the Discord client is not logged in yet")
        try:
            async with asyncio.timeout(self.timeout):
                await sending()
        except discord.Forbidden as exc:
            raise DestinationForbidden(_describe(exc)) from exc
        except discord.NotFound as exc:
            raise DestinationGone(_describe(exc)) from exc
        except discord.RateLimited as exc:
            raise RetryLater(f"rate limited for {exc.retry_after:.0f}s",
                             retry_after=exc.retry_after) from exc
        except discord.DiscordServerError as exc:
            raise RetryLater(_describe(exc)) from exc
        except discord.HTTPException as exc:
            if exc.status in (401, 429):
                # 401: the token was rejected (fix it, nothing is lost meanwhile);
                # 429 without Discord's JSON: a Cloudflare block, which lifts by itself.
                raise RetryLater(_describe(exc), retry_after=60.0) from exc
            # Anything else (400) is a message Discord will never take; retrying won't help.
            raise DeliveryError(_describe(exc)) from exc
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            raise RetryLater(f"Discord unreachable: {exc!r}") from exc


def _describe(exc: discord.HTTPException) -> str:
    text = exc.text or exc.response.reason or ""
    code = f", code {exc.code}" if exc.code else ""
    return f"{exc.status} {text}{code}".strip()
