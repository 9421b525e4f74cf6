"""A light fake Discord REST API for load benchmarks, in a process of its own: just what a
delivering worker calls (log in, post a message), counting posts per channel and nonce.

tests.fakes.discord_server.FakeDiscord records every request in full, for tests that look
at them; at thousands of posts a second that bookkeeping, in the benchmark's own process,
would be what is measured.

    with LightDiscord.running() as fake:     # `python -m tests.fakes.light_discord`
        env = worker_env(url, fake)           # fake.api_base, fake.gateway_url
        ...
        fake.stats()                          # {"posts": n, "duplicates": d}
"""

from __future__ import annotations

import contextlib
import itertools
import json
import subprocess
import sys
import urllib.request
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from tests.fakes.discord_server import APPLICATION_ID, OWNER_ID, _json, bot_user, user_payload

MESSAGE_TEMPLATE = {
    "type": 0, "author": bot_user(), "timestamp": "2024-01-01T00:00:00+00:00",
    "edited_timestamp": None, "tts": False, "mention_everyone": False, "mentions": [],
    "mention_roles": [], "attachments": [], "pinned": False, "flags": 0, "components": [],
}


def build_app() -> web.Application:
    posts: Counter[tuple[str, str | None]] = Counter()
    ids = itertools.count(1_000_000_000_000_000_000)

    async def message(request: web.Request) -> web.Response:
        body = await request.json()
        channel = request.match_info["channel"]
        posts[(channel, body.get("nonce"))] += 1
        return _json({**MESSAGE_TEMPLATE, "id": str(next(ids)), "channel_id": channel,
                      "content": body.get("content") or "", "embeds": body.get("embeds") or []})

    async def me(_: web.Request) -> web.Response:
        return _json(bot_user())

    async def application(_: web.Request) -> web.Response:
        return _json({"id": str(APPLICATION_ID), "name": "Pitboard", "description": "",
                      "icon": None, "bot_public": True, "bot_require_code_grant": False,
                      "verify_key": "0" * 64, "owner": user_payload(OWNER_ID, "owner"),
                      "flags": 0, "team": None, "summary": ""})

    async def stats(_: web.Request) -> web.Response:
        return _json({"posts": sum(posts.values()),
                      "duplicates": sum(n - 1 for n in posts.values())})

    async def reset(_: web.Request) -> web.Response:
        posts.clear()
        return _json({})

    app = web.Application()
    app.router.add_post("/api/v10/channels/{channel}/messages", message)
    app.router.add_get("/api/v10/users/@me", me)
    app.router.add_get("/api/v10/oauth2/applications/@me", application)
    app.router.add_get("/stats", stats)
    app.router.add_post("/reset", reset)
    return app


@dataclass
class LightDiscord:
    port: int
    pid: int  # of the fake's process

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"  # not served: no gateway here

    def _call(self, method: str, path: str) -> Any:
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", method=method)
        with urllib.request.urlopen(request, timeout=10) as answer:
            return json.loads(answer.read())

    def stats(self) -> dict[str, int]:
        return dict(self._call("GET", "/stats"))

    def reset(self) -> None:
        self._call("POST", "/reset")

    @classmethod
    @contextlib.contextmanager
    def running(cls) -> Iterator[LightDiscord]:
        """The fake in a child process (a session of its own, so it has its own share of a
        busy machine's CPU), stopped afterwards."""
        process = subprocess.Popen([sys.executable, "-m", "tests.fakes.light_discord"],
                                   stdout=subprocess.PIPE, start_new_session=True)
        try:
            assert process.stdout is not None
            line = process.stdout.readline().decode()
            if not line.startswith("port "):
                raise RuntimeError(f"the light Discord fake did not start: {line!r}")
            yield cls(int(line.split()[1]), process.pid)
        finally:
            process.terminate()
            process.wait(timeout=10)


async def _serve() -> None:
    import asyncio

    runner = web.AppRunner(build_app(), access_log=None)  # SIGTERM ends the process
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    server = site._server
    assert server is not None and server.sockets
    print(f"port {server.sockets[0].getsockname()[1]}", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    import asyncio

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve())
