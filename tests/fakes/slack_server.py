"""A fake Slack on 127.0.0.1 that the real slack_sdk / slack-bolt code talks to.

It answers the Web API methods Pitboard uses (`/api/<method>`), records every call, plays
`response_url` endpoints (`/respond/<id>`) that record what `respond()` posted, and a
Socket Mode websocket (`/link`). Tests can make a method fail: `{"ok": false, "error"}`,
429 with Retry-After, or an HTTP 5xx.

    async with FakeSlack() as slack:
        client = AsyncWebClient(token="xoxb-1", base_url=slack.api_url)
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import WSMsgType, web


@dataclass
class ApiCall:
    method: str
    token: str | None
    args: dict[str, Any]
    status: int = 200
    response: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Failure:
    status: int = 200
    error: str | None = None
    retry_after: int | None = None
    after_effect: bool = False  # the call takes effect, then fails: a lost answer


@dataclass
class Workspace:
    team_id: str
    name: str = "Pit Lane"
    bot_user_id: str = "UBOT"
    bot_id: str = "BBOT"


@dataclass
class Limits:
    """Slack's chat.postMessage limit as it enforces it: about one message per second per
    channel, counted at arrival. `latency` is the round trip, half each way."""

    per_channel_seconds: float = 1.0
    latency: float = 0.0
    last_post: dict[str, float] = field(default_factory=dict)
    arrivals: list[tuple[str, float]] = field(default_factory=list)  # (channel, time) posted
    # Channel -> seconds its answers are held up on the way back, after the post counted.
    slow_answers: dict[str, float] = field(default_factory=dict)
    limited: list[ApiCall] = field(default_factory=list)  # the 429s it caused


class FakeSlack:
    def __init__(self) -> None:
        self.limits: Limits | None = None
        self.calls: list[ApiCall] = []
        self.history: dict[str, list[dict[str, Any]]] = {}  # channel -> messages, oldest first
        self.responses: dict[str, list[dict[str, Any]]] = {}  # response_url id -> payloads
        self.tokens: dict[str, Workspace] = {}  # bot token -> its workspace
        self.users: dict[str, dict[str, Any]] = {}  # user id -> users.info "user" object
        self.oauth_codes: dict[str, tuple[str, str, str]] = {}  # code -> (team, token, installer)
        self.socket_acks: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._failures: dict[str, deque[_Failure]] = {}
        self._sockets: list[web.WebSocketResponse] = []
        self._socket_connected = asyncio.Event()
        self._response_arrived = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0
        self._ts = 0.0  # the last message ts given
        self.peers: set[object] = set()  # the client ends of the connections API calls came on

    # ----- set-up -----------------------------------------------------------------------

    def add_workspace(self, team_id: str, token: str, **kwargs: Any) -> Workspace:
        workspace = Workspace(team_id=team_id, **kwargs)
        self.tokens[token] = workspace
        return workspace

    def add_user(self, user_id: str, *, admin: bool = False, owner: bool = False,
                 team_id: str = "T1") -> None:
        self.users[user_id] = {"id": user_id, "team_id": team_id, "name": user_id.lower(),
                               "is_admin": admin, "is_owner": owner,
                               "is_primary_owner": owner, "deleted": False}

    def fail(self, method: str, error: str, *, times: int = 1, status: int = 200) -> None:
        """The next `times` calls of `method` answer {"ok": false, "error": error}."""
        self._failures.setdefault(method, deque()).extend(
            _Failure(status=status, error=error) for _ in range(times))

    def rate_limit(self, method: str, *, retry_after: int = 1, times: int = 1) -> None:
        self._failures.setdefault(method, deque()).extend(
            _Failure(status=429, error="ratelimited", retry_after=retry_after)
            for _ in range(times))

    def lose_answer(self, method: str, *, times: int = 1) -> None:
        """The next `times` calls of `method` take effect, but answer HTTP 503: a post
        made whose answer never reached the bot."""
        self._failures.setdefault(method, deque()).extend(
            _Failure(status=503, after_effect=True) for _ in range(times))

    def server_error(self, method: str, *, status: int = 503, times: int = 1) -> None:
        self._failures.setdefault(method, deque()).extend(
            _Failure(status=status) for _ in range(times))

    # ----- what happened ------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/"

    def response_url(self) -> str:
        """A fresh response_url whose posts are recorded under its id."""
        key = uuid.uuid4().hex
        self.responses[key] = []
        return f"{self.base_url}/respond/{key}"

    def responded(self, response_url: str) -> list[dict[str, Any]]:
        return self.responses[response_url.rsplit("/", 1)[1]]

    async def wait_responded(self, response_url: str, count: int = 1,
                             wait_seconds: float = 5.0) -> list[dict[str, Any]]:
        """What `respond()` posted to this response_url, once it has posted `count` times."""
        async with asyncio.timeout(wait_seconds), self._response_arrived:
            await self._response_arrived.wait_for(
                lambda: len(self.responded(response_url)) >= count)
        return self.responded(response_url)

    def calls_to(self, method: str, *, ok_only: bool = False) -> list[ApiCall]:
        return [c for c in self.calls if c.method == method
                and (not ok_only or (c.status == 200 and c.response.get("ok")))]

    def posted(self) -> list[ApiCall]:
        """chat.postMessage calls that succeeded."""
        return self.calls_to("chat.postMessage", ok_only=True)

    # ----- lifecycle ----------------------------------------------------------------------

    async def __aenter__(self) -> FakeSlack:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/respond/{key}", self._respond)
        app.router.add_get("/link", self._socket)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        for socket in self._sockets:
            await socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    # ----- the Web API --------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.transport is not None:
            self.peers.add(request.transport.get_extra_info("peername"))
        args: dict[str, Any] = dict(request.query)
        raw = await request.read()
        if raw:
            if request.content_type == "application/json":
                args.update(json.loads(raw))
            else:
                args.update(parse_qsl(raw.decode()))
        auth = request.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else args.get("token")
        call = ApiCall(method=method, token=token, args=args)
        self.calls.append(call)
        if self.limits is not None:
            return await self._limited(call, self.limits)
        failures = self._failures.get(method)
        if failures:
            failure = failures.popleft()
            call.status = failure.status
            if failure.after_effect:
                handler = getattr(self, "_m_" + method.replace(".", "_"), None)
                if handler is not None:
                    handler(token, args)
            headers = {}
            if failure.retry_after is not None:
                headers["Retry-After"] = str(failure.retry_after)
            if failure.error is None:
                return web.Response(status=failure.status, text="upstream trouble",
                                    content_type="text/html", headers=headers)
            call.response = {"ok": False, "error": failure.error}
            return web.json_response(call.response, status=failure.status, headers=headers)
        handler = getattr(self, "_m_" + method.replace(".", "_"), None)
        if handler is None:
            call.response = {"ok": False, "error": "unknown_method"}
        else:
            call.response = handler(token, args)
        return web.json_response(call.response)

    def enforce_limits(self, limits: Limits | None = None) -> Limits:
        """From now on answer chat.postMessage as Slack's per-channel limit would."""
        self.limits = limits or Limits()
        return self.limits

    async def _limited(self, call: ApiCall, limits: Limits) -> web.Response:
        loop = asyncio.get_running_loop()
        await asyncio.sleep(limits.latency / 2)
        now = loop.time()
        channel = str(call.args.get("channel", ""))
        if call.method == "chat.postMessage":
            last = limits.last_post.get(channel)
            # Slack allows short bursts; the fake is strict: a whole second between posts.
            if last is not None and now - last < limits.per_channel_seconds:
                limits.limited.append(call)
                call.status = 429
                call.response = {"ok": False, "error": "ratelimited"}
                await asyncio.sleep(limits.latency / 2)
                return web.json_response(call.response, status=429, headers={
                    "Retry-After": str(max(1, round(last + 1 - now)))})
            limits.last_post[channel] = now
            limits.arrivals.append((channel, now))
        handler = getattr(self, "_m_" + call.method.replace(".", "_"), None)
        call.response = (handler(call.token, call.args) if handler is not None
                         else {"ok": False, "error": "unknown_method"})
        await asyncio.sleep(limits.latency / 2 + limits.slow_answers.get(channel, 0.0))
        return web.json_response(call.response)

    def _workspace(self, token: str | None) -> Workspace | None:
        return self.tokens.get(token or "")

    def _m_auth_test(self, token: str | None, args: dict[str, Any]) -> dict[str, Any]:
        workspace = self._workspace(token)
        if workspace is None:
            return {"ok": False, "error": "invalid_auth"}
        return {"ok": True, "url": "https://pitlane.slack.com/", "team": workspace.name,
                "user": "pitboard", "team_id": workspace.team_id,
                "user_id": workspace.bot_user_id, "bot_id": workspace.bot_id}

    def _m_chat_postMessage(self, token: str | None, args: dict[str, Any]) -> dict[str, Any]:
        if self._workspace(token) is None:
            return {"ok": False, "error": "invalid_auth"}
        # As Slack's: the time of the post, in microseconds, and never given twice.
        self._ts = max(time.time(), self._ts + 0.000001)
        message = {"type": "message", "ts": f"{self._ts:.6f}", "text": args.get("text"),
                   "blocks": args.get("blocks")}
        metadata = args.get("metadata")
        if isinstance(metadata, str):  # form-encoded calls send it as JSON text
            metadata = json.loads(metadata)
        if metadata:
            message["metadata"] = metadata
        self.history.setdefault(str(args.get("channel")), []).append(message)
        return {"ok": True, "channel": args.get("channel"), "ts": message["ts"],
                "message": {"text": args.get("text"), "blocks": args.get("blocks")}}

    def _m_chat_update(self, token: str | None, args: dict[str, Any]) -> dict[str, Any]:
        if self._workspace(token) is None:
            return {"ok": False, "error": "invalid_auth"}
        for message in self.history.get(str(args.get("channel")), []):
            if message["ts"] == args.get("ts"):
                message.update(text=args.get("text"), blocks=args.get("blocks"), edited=True)
                return {"ok": True, "channel": args.get("channel"), "ts": message["ts"]}
        return {"ok": False, "error": "message_not_found"}

    def _m_conversations_history(self, token: str | None, args: dict[str, Any]
                                 ) -> dict[str, Any]:
        if self._workspace(token) is None:
            return {"ok": False, "error": "invalid_auth"}
        messages = self.history.get(str(args.get("channel")), [])
        limit = int(args.get("limit") or 100)
        include = str(args.get("include_all_metadata")).lower() in ("true", "1")
        newest_first = [dict(m) for m in reversed(messages)][:limit]
        if not include:  # Slack returns metadata only when asked
            for message in newest_first:
                message.pop("metadata", None)
        return {"ok": True, "messages": newest_first, "has_more": len(messages) > limit}

    def _m_conversations_open(self, token: str | None, args: dict[str, Any]) -> dict[str, Any]:
        if self._workspace(token) is None:
            return {"ok": False, "error": "invalid_auth"}
        users = str(args.get("users") or "")
        if not users:
            return {"ok": False, "error": "users_list_not_supplied"}
        return {"ok": True, "channel": {"id": "D" + users.split(",")[0].lstrip("UW")}}

    def _m_users_info(self, token: str | None, args: dict[str, Any]) -> dict[str, Any]:
        if self._workspace(token) is None:
            return {"ok": False, "error": "invalid_auth"}
        user = self.users.get(str(args.get("user")))
        if user is None:
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "user": user}

    def _m_oauth_v2_access(self, token: str | None, args: dict[str, Any]) -> dict[str, Any]:
        found = self.oauth_codes.pop(str(args.get("code")), None)
        if found is None:
            return {"ok": False, "error": "invalid_code"}
        team_id, bot_token, installer = found
        workspace = self.add_workspace(team_id, bot_token, name=f"Team {team_id}")
        return {"ok": True, "app_id": "A0PITBOARD", "access_token": bot_token,
                "token_type": "bot", "scope": "commands,chat:write,im:write,users:read",
                "bot_user_id": workspace.bot_user_id,
                "team": {"id": team_id, "name": workspace.name}, "enterprise": None,
                "is_enterprise_install": False,
                "authed_user": {"id": installer}}

    def _m_apps_connections_open(self, token: str | None, args: dict[str, Any]
                                 ) -> dict[str, Any]:
        if not (token or "").startswith("xapp-"):
            return {"ok": False, "error": "invalid_auth"}
        return {"ok": True, "url": f"ws://127.0.0.1:{self.port}/link"}

    # ----- response_url and Socket Mode ----------------------------------------------------

    async def _respond(self, request: web.Request) -> web.Response:
        key = request.match_info["key"]
        if key not in self.responses:
            return web.Response(status=404, text="expired_url")
        payload = await request.json()
        async with self._response_arrived:
            self.responses[key].append(payload)
            self._response_arrived.notify_all()
        return web.Response(text="ok")

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._sockets.append(socket)
        await socket.send_json({"type": "hello", "num_connections": 1,
                                "debug_info": {"host": "fake"},
                                "connection_info": {"app_id": "A0PITBOARD"}})
        self._socket_connected.set()
        async for message in socket:
            if message.type is WSMsgType.TEXT:
                await self.socket_acks.put(json.loads(message.data))
        return socket

    async def socket_send(self, envelope: dict[str, Any], wait_seconds: float = 5.0) -> None:
        """Push a Socket Mode envelope to the connected app."""
        async with asyncio.timeout(wait_seconds):
            await self._socket_connected.wait()
        await self._sockets[-1].send_json(envelope)
