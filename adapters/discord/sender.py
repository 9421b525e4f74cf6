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
import contextlib
import hashlib
import logging
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeVar

import aiohttp
import discord

from adapters.discord.render import DiscordMessage, render_alert, render_text
from bot.messages import Alert
from bot.models import Destination, DestinationKind
from bot.ports import DeliveryError, DestinationForbidden, DestinationGone, RetryLater

log = logging.getLogger(__name__)
T = TypeVar("T")

# Discord allows 50 requests a second per bot, counted as they arrive. Alerts leave evenly
# at 47 a second: at most 49 in any second, which leaves room for a request not paced here
# (logging in, opening a DM channel). A 429 must not happen at all: discord.py retries it
# outside this pace, into the next second's budget, and one 429 then begets the next.
GLOBAL_RATE_EVEN = 47.0
# RequestPace (a token bucket) for a share of the limit, e.g. several processes per token.
GLOBAL_RATE = 45.0
BURST = 4
# Messages to one channel: 5 per 5 seconds, counted by Discord as they arrive.
CHANNEL_MESSAGES = 5
CHANNEL_WINDOW = 5.0
CHANNEL_MARGIN = 0.05  # seconds on top of the window, for jitter between us and Discord
SEND_TIMEOUT = 30.0  # from when the request leaves, not from when it started waiting


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


class WindowPace:
    """Requests spaced evenly at `rate` a second (a generic cell rate algorithm): a waiter
    the event loop wakes late may catch up by `tolerance` requests, so lateness loses no
    capacity, yet no burst ever leaves. Bursts are what Discord sees bunched: requests
    released together leave over the time it takes to build them, and arrive closer
    together than they were released. At most rate + tolerance + 1 in any second."""

    def __init__(self, rate: float = GLOBAL_RATE_EVEN, tolerance: int = 1) -> None:
        if tolerance < 0:
            raise ValueError("tolerance must not be negative")
        self._tolerance_requests = tolerance
        self.rate = rate
        self._due: float | None = None  # when the next request is due, evenly spaced
        self._lock = asyncio.Lock()

    @property
    def rate(self) -> float:
        return self._rate

    @rate.setter
    def rate(self, rate: float) -> None:
        """Settable while running: workers sharing a token each take a share of it."""
        if rate <= 0:
            raise ValueError("rate must be positive")
        self._rate = rate
        self.interval = 1.0 / rate
        self.tolerance = self._tolerance_requests * self.interval

    async def acquire(self) -> None:
        async with self._lock:  # one waiter at a time: requests leave in the order asked
            loop = asyncio.get_running_loop()
            now = loop.time()
            due = now if self._due is None or self._due < now - self.tolerance else self._due
            if due > now:
                await asyncio.sleep(due - now)
            self._due = due + self.interval


@dataclass(slots=True)
class _Counted:
    """A request as a channel's window counts it: from when it left until it is answered,
    then from its answer (Discord counted it on arrival, which was before the answer)."""

    at: float
    answered: asyncio.Event = field(default_factory=asyncio.Event)


class ChannelPace:
    """At most `count` requests per `window` seconds to any one channel, as Discord counts
    them (a sliding window, at arrival). Waited out before the global token is taken:
    discord.py would otherwise sleep in its own per-channel bucket after the token was
    spent, and the requests it then released together would bunch into the global limit.

    A request's place in the window runs from its answer, not from when it left: one held
    up on the way (a busy event loop, a slow network) arrives late, and a later request
    that travels quickly would otherwise arrive inside the window it opened. That costs a
    channel with more than `count` alerts at once a round trip per window; a fan-out, one
    alert a channel, nothing."""

    def __init__(self, count: int = CHANNEL_MESSAGES, window: float = CHANNEL_WINDOW,
                 margin: float = CHANNEL_MARGIN) -> None:
        self.count = count
        self.window = window + margin
        self._sent: dict[int, deque[_Counted]] = {}
        self._locks: dict[int, asyncio.Lock] = {}

    @contextlib.asynccontextmanager
    async def turn(self, channel_id: int) -> AsyncIterator[None]:
        """Wait for room in the channel's window; the request is made in the block."""
        counted = await self._acquire(channel_id)
        try:
            yield
        finally:
            counted.at = asyncio.get_running_loop().time()
            counted.answered.set()

    async def _acquire(self, channel_id: int) -> _Counted:
        lock = self._locks.setdefault(channel_id, asyncio.Lock())
        async with lock:
            loop = asyncio.get_running_loop()
            sent = self._sent.setdefault(channel_id, deque())
            while True:
                now = loop.time()
                while sent and sent[0].answered.is_set() and sent[0].at <= now - self.window:
                    sent.popleft()
                if len(sent) < self.count:
                    counted = _Counted(at=now)
                    sent.append(counted)
                    break
                if not sent[0].answered.is_set():  # it may not even have arrived yet
                    await sent[0].answered.wait()
                    continue
                await asyncio.sleep(sent[0].at + self.window - now)
        if len(self._sent) > 10_000:
            self._forget_idle()
        return counted

    def _forget_idle(self) -> None:
        """Channels quiet for a whole window need no memory (a fan-out touches thousands)."""
        now = asyncio.get_running_loop().time()
        for channel_id in [c for c, sent in self._sent.items()
                           if all(r.answered.is_set() and r.at <= now - self.window
                                  for r in sent)]:
            lock = self._locks.get(channel_id)
            if lock is None or not lock.locked():
                self._sent.pop(channel_id, None)
                self._locks.pop(channel_id, None)


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

    def __init__(self, client: discord.Client, *, pace: RequestPace | WindowPace | None = None,
                 channel_pace: ChannelPace | None = None,
                 timeout: float = SEND_TIMEOUT) -> None:
        self.client = client
        self.pace = pace or WindowPace()
        self.channel_pace = channel_pace or ChannelPace()
        self.timeout = timeout
        self._dm_channels: dict[int, discord.DMChannel] = {}

    async def send(self, alert: Alert) -> str | None:
        """Post the alert; returns "channel id:message id"."""
        message = render_alert(alert)
        destination = alert.destination
        nonce = alert_nonce(alert)
        if alert.edit_of:
            return await self._deliver(lambda: self._edit(alert.edit_of or "", message))
        if destination.kind is DestinationKind.DM:
            return await self._deliver(lambda: self._send_dm(destination, message, nonce,
                                                             alert.reply_to))
        channel_id = _snowflake(destination.channel, "channel")
        ref = await self._deliver(lambda: self._send_to_channel(channel_id, message, nonce,
                                                                alert.reply_to))
        if alert.reply_to:
            await self._mark_first_post(alert.reply_to, channel_id, message)
        return ref

    async def _edit(self, ref: str, message: DiscordMessage) -> str:
        """Show the alert in the post `ref` ("channel:message"), e.g. with another source.
        Only the embeds change: the mentions stay as posted (an edit never pings)."""
        channel, _, message_id = ref.partition(":")
        if not (channel.isdigit() and message_id.isdigit()):
            return ref  # not a Discord post: nothing to edit
        post = self.client.get_partial_messageable(int(channel)).get_partial_message(
            int(message_id))
        try:
            async with self.channel_pace.turn(int(channel)):
                await self._leave(post.edit(embeds=message.embeds))
        except discord.NotFound:
            # The post was deleted: there is nothing to edit, and the channel is fine.
            log.info("post %s to edit is gone; nothing to do", ref)
        return ref

    async def _mark_first_post(self, first: str, channel_id: int,
                               message: DiscordMessage) -> None:
        """The rumour's post now shows the confirmed story, so a reader scrolling up does
        not take it for still unsure. Best effort, and harmless to repeat: an edit that
        fails leaves the reply, which already says it."""
        channel, _, message_id = first.partition(":")
        if channel != str(channel_id) or not message_id.isdigit():
            return
        post = self.client.get_partial_messageable(channel_id).get_partial_message(
            int(message_id))
        try:
            await self._deliver(lambda: self._leave(post.edit(embeds=message.embeds)))
        except DeliveryError as exc:
            log.warning("could not mark the first post %s as confirmed: %s", first, exc)

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

    async def _leave(self, request: Awaitable[T]) -> T:
        """Take the global token as the request leaves, and time it from then: a request
        that waited its turn has not been slow."""
        await self.pace.acquire()
        async with asyncio.timeout(self.timeout):
            return await request

    async def _send_to_channel(self, channel_id: int, message: DiscordMessage,
                               nonce: str | None = None, reply_to: str | None = None) -> str:
        channel = self.client.get_partial_messageable(channel_id)
        async with self.channel_pace.turn(channel_id):
            sent = await self._leave(channel.send(
                **message.send_kwargs(),  # type: ignore[arg-type]
                nonce=nonce, reference=_reference(reply_to, channel_id)))
        return f"{channel_id}:{sent.id}"

    async def _send_dm(self, destination: Destination, message: DiscordMessage,
                       nonce: str, reply_to: str | None = None) -> str:
        user_id = _snowflake(destination.user, "user")
        # Only a user's first alert costs two requests: the DM channel is kept.
        channel = self._dm_channels.get(user_id)
        if channel is None:
            channel = await self._leave(self.client.create_dm(discord.Object(id=user_id)))
            self._dm_channels[user_id] = channel
        async with self.channel_pace.turn(channel.id):
            sent = await self._leave(channel.send(
                **message.send_kwargs(),  # type: ignore[arg-type]
                nonce=nonce, reference=_reference(reply_to, channel.id)))
        return f"{channel.id}:{sent.id}"

    async def _deliver(self, sending: Callable[[], Awaitable[T]]) -> T:
        if not self.client.http.token:
            raise RetryLater("the Discord client is not logged in yet")
        try:
            return await sending()
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


def _reference(reply_to: str | None, channel_id: int) -> discord.MessageReference | None:
    """A reply to the story's earlier post in this channel; a deleted post is no reason
    to fail (fail_if_not_exists=False posts it as a plain message)."""
    if not reply_to:
        return None
    channel, _, message = reply_to.partition(":")
    if channel != str(channel_id) or not message.isdigit():
        return None
    return discord.MessageReference(message_id=int(message), channel_id=channel_id,
                                    fail_if_not_exists=False)


def _describe(exc: discord.HTTPException) -> str:
    text = exc.text or exc.response.reason or ""
    code = f", code {exc.code}" if exc.code else ""
    return f"{exc.status} {text}{code}".strip()
