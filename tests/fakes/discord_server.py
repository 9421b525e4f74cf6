"""A fake Discord on 127.0.0.1: enough of the REST API (v10) and the gateway for discord.py's
own HTTP client, gateway, state and command tree to run against it.

    async with FakeDiscord() as fake:
        discord.http.Route.BASE = fake.api_base          # see patched_discord_urls()
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(fake.gateway_url)
        ...
        fake.fail("POST", "/channels/42/messages", 429, retry_after=0.05)
        ...
        fake.messages("42")       # JSON bodies that reached the channel
        fake.callbacks()          # interaction callback bodies
        fake.hold("POST", "/channels/42/messages")   # a slow Discord: see hold()

Every request is recorded (method, path, query, JSON body, arrival time). Failures are queued
per (method, path): each matching request consumes one. Responses carry exactly
`Content-Type: application/json`, because discord.py reads any other type as text.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from collections import defaultdict, deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import discord
import yarl
from aiohttp import WSMsgType, web

BOT_USER_ID = 900000000000000001
APPLICATION_ID = 900000000000000002
OWNER_ID = 900000000000000003
BOT_TOKEN = "fake-bot-token"


@dataclass(slots=True)
class RecordedRequest:
    method: str
    path: str  # below /api/v10, e.g. "/channels/42/messages"
    query: dict[str, str]
    json: Any
    headers: dict[str, str]
    at: float = field(default_factory=time.monotonic)
    status: int = 0  # what the fake answered
    duplicate: bool = False  # an enforce_nonce repeat: answered, not posted again
    held: bool = False  # kept waiting by hold()
    abandoned: bool = False  # its client hung up while it was held: nothing was done
    answer: Any = None  # the JSON the fake answered with (a posted message, with its id)


@dataclass(slots=True)
class _Hold:
    seconds: float
    after_posting: bool


@dataclass(slots=True)
class _Failure:
    status: int
    retry_after: float = 0.0
    is_global: bool = False
    via: bool = True
    message: str | None = None
    code: int = 0


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    # Built by hand: web.json_response would add "; charset=utf-8", which discord.py rejects.
    return web.Response(
        body=json.dumps(data).encode(),
        status=status,
        headers={"Content-Type": "application/json", **(headers or {})},
    )


def bot_user() -> dict[str, Any]:
    return {"id": str(BOT_USER_ID), "username": "Pitboard", "discriminator": "0",
            "global_name": "Pitboard", "avatar": None, "bot": True, "flags": 0}


def user_payload(user_id: int | str, name: str = "fan") -> dict[str, Any]:
    return {"id": str(user_id), "username": name, "discriminator": "0", "global_name": name,
            "avatar": None}


@dataclass(slots=True)
class Limits:
    """Discord's rate limits as it enforces them, counted at arrival over sliding windows:
    per bot (global) and per channel for message posts. `latency` is the round trip, half
    before the request arrives and half before its answer."""

    global_per_second: int = 50
    channel_messages: int = 5
    channel_window: float = 5.0
    latency: float = 0.0
    arrivals: deque[float] = field(default_factory=deque)
    channels: dict[str, deque[float]] = field(default_factory=dict)
    limited: list[RecordedRequest] = field(default_factory=list)  # the 429s they caused

    def check(self, now: float, channel: str | None) -> tuple[float, bool] | None:
        """None when the request may pass (and it is counted); else (retry after, global)."""
        while self.arrivals and self.arrivals[0] <= now - 1.0:
            self.arrivals.popleft()
        if len(self.arrivals) >= self.global_per_second:
            return self.arrivals[0] + 1.0 - now, True
        posts = self.channels.setdefault(channel, deque()) if channel else None
        if posts is not None:
            while posts and posts[0] <= now - self.channel_window:
                posts.popleft()
            if len(posts) >= self.channel_messages:
                return posts[0] + self.channel_window - now, False
            posts.append(now)
        self.arrivals.append(now)
        return None

    def headers(self, now: float, channel: str | None) -> dict[str, str]:
        """The bucket headers discord.py paces itself by."""
        if not channel:
            return {}
        posts = self.channels[channel]
        return {"X-RateLimit-Limit": str(self.channel_messages),
                "X-RateLimit-Remaining": str(max(self.channel_messages - len(posts), 0)),
                "X-RateLimit-Reset-After": f"{posts[0] + self.channel_window - now:.3f}",
                "X-RateLimit-Bucket": "channel-messages"}


class FakeDiscord:
    def __init__(self) -> None:
        self.limits: Limits | None = None  # set enforce_limits() to be rate limited
        self.requests: list[RecordedRequest] = []
        self.guilds: dict[str, dict[str, Any]] = {}
        self._failures: dict[tuple[str, str], deque[_Failure]] = defaultdict(deque)
        self._holds: dict[tuple[str, str], deque[_Hold | None]] = defaultdict(deque)
        self._holding: list[RecordedRequest] = []
        self._released = asyncio.Event()
        self._ids = itertools.count(1_000_000_000_000_000_000)
        self._by_nonce: dict[tuple[str, str], dict[str, Any]] = {}
        self._runner: web.AppRunner | None = None
        self._sockets: list[web.WebSocketResponse] = []
        self._sequence = itertools.count(1)
        self.identified = asyncio.Event()
        self.identify_payloads: list[dict[str, Any]] = []
        self.heartbeats = 0
        self.port = 0
        self._request_arrived = asyncio.Condition()

    # ----- lifecycle ------------------------------------------------------------------------

    async def __aenter__(self) -> FakeDiscord:
        app = web.Application()
        app.router.add_route("*", "/api/v10/{tail:.*}", self._handle_api)
        app.router.add_get("/gateway", self._handle_gateway)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None and server.sockets
        self.port = server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        for ws in self._sockets:
            with contextlib.suppress(Exception):
                await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    # ----- test controls --------------------------------------------------------------------

    def fail(self, method: str, path: str, status: int, *, times: int = 1,
             retry_after: float = 0.0, is_global: bool = False, via: bool = True,
             message: str | None = None, code: int = 0) -> None:
        """Answer the next `times` requests to (method, path) with `status`.

        A 429 comes the way Discord sends it (a `Via` header and a JSON body with
        `retry_after`); via=False mimics a Cloudflare block instead."""
        for _ in range(times):
            self._failures[(method.upper(), path)].append(
                _Failure(status, retry_after, is_global, via, message, code))

    def hold(self, method: str, path: str, *, seconds: float = 30.0, times: int = 1,
             after: int = 0, after_posting: bool = False) -> None:
        """Keep `times` requests to (method, path) waiting, as a Discord under load does,
        for `seconds` or until release(); the first `after` of them go through at once.

        By default a request waits before Discord acts on it: if its client hangs up
        meanwhile (a worker killed mid-send), nothing is posted and the request is marked
        `abandoned`. after_posting=True acts first (the message exists and its nonce is
        remembered) and holds only the answer, so a client killed meanwhile never learns
        that its message was posted."""
        queue = self._holds[(method.upper(), path)]
        queue.extend([None] * after)
        queue.extend(_Hold(seconds, after_posting) for _ in range(times))

    def held(self) -> list[RecordedRequest]:
        """The requests being held right now."""
        return list(self._holding)

    def release(self) -> None:
        """Let every held request go on now (later holds wait again)."""
        self._released.set()
        self._released = asyncio.Event()

    def add_guild(self, guild_id: int | str, *, system_channel_id: int | str | None = None,
                  public_updates_channel_id: int | str | None = None) -> None:
        self.guilds[str(guild_id)] = {
            "id": str(guild_id), "name": f"guild {guild_id}", "icon": None,
            "owner_id": str(OWNER_ID), "roles": [], "emojis": [], "features": [],
            "system_channel_id": str(system_channel_id) if system_channel_id else None,
            "public_updates_channel_id":
                str(public_updates_channel_id) if public_updates_channel_id else None,
            "verification_level": 0, "default_message_notifications": 0,
            "explicit_content_filter": 0, "mfa_level": 0, "premium_tier": 0, "nsfw_level": 0,
            "preferred_locale": "en-US",
        }

    def requests_to(self, method: str, path: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.method == method.upper() and r.path == path]

    def messages(self, channel_id: int | str) -> list[dict[str, Any]]:
        """Bodies of the messages that were accepted (2xx) in a channel."""
        return [r.json for r in self.requests_to("POST", f"/channels/{channel_id}/messages")
                if 200 <= r.status < 300 and not r.duplicate]

    def callbacks(self, interaction_id: int | str | None = None) -> list[dict[str, Any]]:
        return [r.json for r in self.requests
                if r.method == "POST" and r.path.startswith("/interactions/")
                and r.path.endswith("/callback")
                and (interaction_id is None or r.path.split("/")[2] == str(interaction_id))]

    def followups(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path.startswith(f"/webhooks/{APPLICATION_ID}/")]

    async def wait_for(self, predicate: Any, within: float = 5.0) -> None:
        """Wait until predicate(self) is true; requests wake the waiter as they arrive."""
        async with asyncio.timeout(within), self._request_arrived:
            await self._request_arrived.wait_for(lambda: predicate(self))

    # ----- the gateway ----------------------------------------------------------------------

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send a DISPATCH (op 0) to every connected client."""
        payload = {"op": 0, "t": event, "s": next(self._sequence), "d": data}
        for ws in list(self._sockets):
            if not ws.closed:
                await ws.send_str(json.dumps(payload))

    async def _handle_gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.append(ws)
        # Text frames even though the client asked for compression: discord.py only
        # decompresses binary frames, so plain JSON text is read as it is.
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 41250}}))
        async for message in ws:
            if message.type is not WSMsgType.TEXT:
                continue
            frame = json.loads(message.data)
            if frame["op"] == 1:
                self.heartbeats += 1
                await ws.send_str(json.dumps({"op": 11}))
            elif frame["op"] == 2:
                self.identify_payloads.append(frame["d"])
                ready = {
                    "v": 10, "user": bot_user(), "guilds": [], "session_id": "fake-session",
                    # READY names the shard the client identified as, as Discord does
                    "resume_gateway_url": self.gateway_url,
                    "shard": frame["d"].get("shard") or [0, 1],
                    "application": {"id": str(APPLICATION_ID), "flags": 0},
                }
                await ws.send_str(json.dumps(
                    {"op": 0, "t": "READY", "s": next(self._sequence), "d": ready}))
                self.identified.set()
        return ws

    # ----- the REST API ---------------------------------------------------------------------

    async def _handle_api(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["tail"]
        body: Any = None
        if request.can_read_body:
            raw = await request.read()
            if request.content_type == "application/json" and raw:
                body = json.loads(raw)
            elif raw:
                body = raw.decode(errors="replace")
        recorded = RecordedRequest(request.method, path, dict(request.query), body,
                                   dict(request.headers))
        if self.limits is not None:
            return await self._limited(request.method, path, recorded, self.limits)
        self.requests.append(recorded)
        try:
            queue = self._holds.get((request.method, path))
            hold = queue.popleft() if queue else None
            if hold is not None and not hold.after_posting:
                await self._hold(request, recorded, hold)
                if _hung_up(request):
                    recorded.abandoned = True
                    return web.Response(status=499)  # nobody is listening any more
            response = self._answer(request.method, path, recorded)
            recorded.status = response.status
            recorded.answer = _answer_json(response)
            if hold is not None and hold.after_posting:
                await self._hold(request, recorded, hold)
            return response
        finally:
            async with self._request_arrived:
                self._request_arrived.notify_all()

    def enforce_limits(self, limits: Limits | None = None) -> Limits:
        """From now on answer as Discord's rate limits would: 429 past them."""
        self.limits = limits or Limits()
        return self.limits

    async def _limited(self, method: str, path: str, recorded: RecordedRequest,
                       limits: Limits) -> web.Response:
        loop = asyncio.get_running_loop()
        await asyncio.sleep(limits.latency / 2)
        now = loop.time()
        recorded.at = time.monotonic()
        self.requests.append(recorded)
        parts = path.strip("/").split("/")
        channel = (parts[1] if method == "POST" and len(parts) == 3
                   and parts[0] == "channels" and parts[2] == "messages" else None)
        verdict = limits.check(now, channel)
        if verdict is not None:
            retry_after, is_global = verdict
            limits.limited.append(recorded)
            response = _json({"message": "You are being rate limited.",
                              "retry_after": round(retry_after, 3), "global": is_global},
                             429, {"Retry-After": f"{retry_after:.3f}", "Via": "1.1 google",
                                   "X-RateLimit-Scope": "global" if is_global else "user",
                                   **({"X-RateLimit-Global": "true"} if is_global else {})})
        else:
            response = self._answer(method, path, recorded)
            response.headers.update(limits.headers(now, channel))
        recorded.status = response.status
        await asyncio.sleep(limits.latency / 2)
        return response

    async def _hold(self, request: web.Request, recorded: RecordedRequest, hold: _Hold) -> None:
        recorded.held = True
        self._holding.append(recorded)
        released = self._released
        async with self._request_arrived:
            self._request_arrived.notify_all()
        try:
            loop = asyncio.get_running_loop()
            deadline = loop.time() + hold.seconds
            # The transport is looked at every 20 ms: aiohttp does not cancel a handler
            # whose client went away, it only drops the transport.
            while not released.is_set() and not _hung_up(request):
                remaining = deadline - loop.time()
                if remaining <= 0:
                    break
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(released.wait(), min(0.02, remaining))
        finally:
            self._holding.remove(recorded)

    def _answer(self, method: str, path: str, recorded: RecordedRequest) -> web.Response:
        queue = self._failures.get((method, path))
        if queue:
            failure = queue.popleft()
            return self._failure_response(failure)
        if not recorded.headers.get("Authorization", "").startswith("Bot ") \
                and not path.startswith(("/interactions/", "/webhooks/")):
            return _json({"message": "401: Unauthorized", "code": 0}, 401)
        parts = path.strip("/").split("/")
        match method, parts:
            case "GET", ["users", "@me"]:
                return _json(bot_user())
            case "GET", ["oauth2", "applications", "@me"]:
                return _json(self._application())
            case "GET", ["gateway", "bot"]:
                return _json({"url": self.gateway_url, "shards": 1, "session_start_limit": {
                    "total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}})
            case "GET", ["guilds", guild_id]:
                if guild_id in self.guilds:
                    return _json(self.guilds[guild_id])
                return _json({"message": "Unknown Guild", "code": 10004}, 404)
            case "POST", ["channels", channel_id, "messages"]:
                body = recorded.json or {}
                nonce = body.get("nonce") if body.get("enforce_nonce") else None
                if nonce is not None and (channel_id, nonce) in self._by_nonce:
                    # Discord answers a repeated enforce_nonce send with the message it
                    # already created, and posts nothing new.
                    recorded.duplicate = True
                    return _json(self._by_nonce[(channel_id, nonce)])
                message = self._message(channel_id, body)
                if nonce is not None:
                    self._by_nonce[(channel_id, nonce)] = message
                return _json(message)
            case "PATCH", ["channels", channel_id, "messages", message_id]:
                edited = self._message(channel_id, recorded.json or {})
                return _json({**edited, "id": message_id,
                              "edited_timestamp": "2024-01-01T00:00:01+00:00"})
            case "POST", ["users", "@me", "channels"]:
                recipient = str((recorded.json or {}).get("recipient_id"))
                return _json({"id": str(next(self._ids)), "type": 1, "last_message_id": None,
                              "recipients": [user_payload(recipient)]})
            case "POST", ["interactions", interaction_id, _token, "callback"]:
                return _json(self._callback(interaction_id, recorded.json))
            case "POST", ["webhooks", _app, _token]:
                return _json(self._message("0", recorded.json, webhook=True))
            case ("PATCH" | "GET"), ["webhooks", _app, _token, "messages", _message_id]:
                return _json(self._message("0", recorded.json or {}, webhook=True))
            case "DELETE", ["webhooks", _app, _token, "messages", _message_id]:
                return web.Response(status=204)
            case "PUT", ["applications", _app, "commands"]:
                return _json(self._commands(recorded.json, None))
            case "PUT", ["applications", _app, "guilds", guild_id, "commands"]:
                return _json(self._commands(recorded.json, guild_id))
        return _json({"message": "404: Not Found", "code": 0}, 404)

    def _failure_response(self, failure: _Failure) -> web.Response:
        if failure.status == 429:
            body = {"message": failure.message or "You are being rate limited.",
                    "retry_after": failure.retry_after, "global": failure.is_global}
            headers = {"Retry-After": str(failure.retry_after),
                       "X-RateLimit-Scope": "global" if failure.is_global else "user"}
            if failure.via:
                headers["Via"] = "1.1 google"
                return _json(body, 429, headers)
            return web.Response(text="error code: 1015", status=429,
                                headers={"Content-Type": "text/plain"})
        default = {403: ("Missing Access", 50001), 404: ("Unknown Channel", 10003)}
        message, code = default.get(failure.status, ("Internal Server Error", 0))
        return _json({"message": failure.message or message, "code": failure.code or code},
                     failure.status)

    def _application(self) -> dict[str, Any]:
        return {
            "id": str(APPLICATION_ID), "name": "Pitboard", "description": "", "icon": None,
            "bot_public": True, "bot_require_code_grant": False, "verify_key": "0" * 64,
            "owner": user_payload(OWNER_ID, "owner"), "flags": 0, "team": None,
            "summary": "", "interactions_endpoint_url": None,
        }

    def _message(self, channel_id: str, body: dict[str, Any] | None, *, webhook: bool = False
                 ) -> dict[str, Any]:
        body = body or {}
        return {
            "id": str(next(self._ids)), "channel_id": channel_id, "type": 0,
            "content": body.get("content") or "", "embeds": body.get("embeds") or [],
            "author": bot_user(), "timestamp": "2024-01-01T00:00:00+00:00",
            "edited_timestamp": None, "tts": False, "mention_everyone": False,
            "mentions": [], "mention_roles": [], "attachments": [], "pinned": False,
            "flags": body.get("flags", 0), "components": [],
            **({"webhook_id": str(APPLICATION_ID)} if webhook else {}),
        }

    def _callback(self, interaction_id: str, body: dict[str, Any] | None) -> dict[str, Any]:
        body = body or {}
        data = body.get("data") or {}
        kind = body.get("type")
        ephemeral = bool((data.get("flags") or 0) & 64)
        answer: dict[str, Any] = {"interaction": {
            "id": interaction_id, "type": 2, "response_message_ephemeral": ephemeral,
            "response_message_loading": kind == 5,
        }}
        if kind in (4, 5):
            message = self._message("0", data, webhook=True)
            answer["interaction"]["response_message_id"] = message["id"]
            answer["resource"] = {"type": kind, "message": message}
        elif kind is not None:
            answer["resource"] = {"type": kind}
        return answer

    def _commands(self, body: list[dict[str, Any]] | None, guild_id: str | None
                  ) -> list[dict[str, Any]]:
        answered = []
        for command in body or []:
            answered.append({
                "id": str(next(self._ids)), "application_id": str(APPLICATION_ID),
                "version": "1", "type": command.get("type", 1), "description": "",
                "options": [], "dm_permission": True, "default_member_permissions": None,
                "nsfw": False, **command,
                **({"guild_id": guild_id} if guild_id else {}),
            })
        return answered


def _answer_json(response: web.Response) -> Any:
    body = response.body
    if isinstance(body, bytes) and body:
        with contextlib.suppress(ValueError):
            return json.loads(body)
    return None


def _hung_up(request: web.Request) -> bool:
    transport = request.transport
    return transport is None or transport.is_closing()


# ----- helpers for tests -------------------------------------------------------------------


@contextlib.contextmanager
def patched_discord_urls(fake: FakeDiscord) -> Iterator[None]:
    """Point discord.py's class-level URLs at the fake, and put them back afterwards."""
    old_base = discord.http.Route.BASE
    old_gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    discord.http.Route.BASE = fake.api_base
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(fake.gateway_url)
    try:
        yield
    finally:
        discord.http.Route.BASE = old_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = old_gateway


_interaction_ids = itertools.count(800_000_000_000_000_001)


def interaction_payload(
    name: str,
    options: list[dict[str, Any]] | None = None,
    *,
    guild_id: int | None = 700000000000000001,
    channel_id: int = 700000000000000002,
    user_id: int = 700000000000000003,
    user_name: str = "fan",
    permissions: int | discord.Permissions = 0,
    interaction_type: int = 2,
    resolved: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """An INTERACTION_CREATE payload for a slash command as Discord sends it.

    `name` may be "lineup" or "feed add": a group's subcommand becomes the nested
    SUB_COMMAND option Discord uses. `permissions` is the member's resolved permission
    bits in the channel (Manage Server is 0x20)."""
    group, _, sub = name.partition(" ")
    command_options = options or []
    if sub:
        command_options = [{"type": 1, "name": sub, "options": command_options}]
    bits = permissions.value if isinstance(permissions, discord.Permissions) else permissions
    user = user_payload(user_id, user_name)
    payload: dict[str, Any] = {
        "id": str(next(_interaction_ids)),
        "application_id": str(APPLICATION_ID),
        "type": interaction_type,
        "token": f"interaction-token-{user_id}",
        "version": 1,
        "channel_id": str(channel_id),
        "channel": {"id": str(channel_id), "type": 0 if guild_id else 1,
                    **({"guild_id": str(guild_id), "name": "paddock", "position": 0,
                        "permission_overwrites": [], "nsfw": False} if guild_id else {})},
        "data": {"id": "1", "name": group, "type": 1, "options": command_options,
                 **({"resolved": resolved} if resolved else {})},
        "locale": "en-GB",
        "app_permissions": str(discord.Permissions(19456).value),
        "entitlements": [],
        "attachment_size_limit": 8 * 1024 * 1024,
        "authorizing_integration_owners": {"0": str(guild_id or user_id)},
        "context": 0 if guild_id else 1,
    }
    if guild_id:
        payload["guild_id"] = str(guild_id)
        payload["guild_locale"] = "en-GB"
        payload["member"] = {"user": user, "roles": [], "joined_at": "2024-01-01T00:00:00+00:00",
                             "deaf": False, "mute": False, "flags": 0, "nick": None,
                             "permissions": str(bits)}
    else:
        payload["user"] = user
    return payload
