"""`pitboard demo`: the whole loop on this machine, no tokens. Bundled sample feeds are
served from 127.0.0.1, polled by the real pipeline into a throwaway SQLite database,
and the alerts and answers are printed; then a prompt takes slash commands."""

from __future__ import annotations

import re
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import timedelta
from importlib import resources
from pathlib import Path
from typing import TextIO

from aiohttp import web

import feeds
from adapters.console import ConsoleSession
from bot.app import PitboardApp
from bot.config import Settings
from bot.messages import plural
from bot.models import utcnow

SCRIPT = ("/lineup 31", "/driver blomqvist", "/follow team Cadillac", "/following",
          "/news 3", "/lineup 99", "/pitstop")
FIRST_ITEM = re.compile(rb"<item>.*?</item>\s*", re.DOTALL)
SAMPLE_SERIES = {"paddock-wire": "IMSA", "open-wheel-daily": "F1"}


@dataclass
class SampleFeedServer:
    """Serves the bundled feeds; until `publish()` each feed's newest item is held back,
    so the second poll finds news that the first did not."""

    published: bool = False
    _runner: web.AppRunner | None = None
    _port: int = 0
    _bodies: dict[str, bytes] = field(default_factory=dict)

    async def start(self) -> None:
        samples = resources.files(feeds).joinpath("samples")
        for entry in samples.iterdir():
            if entry.name.endswith(".xml"):
                self._bodies[entry.name.removesuffix(".xml")] = entry.read_bytes()
        app = web.Application()
        app.router.add_get("/{name}.xml", self._serve)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    def publish(self) -> None:
        self.published = True

    def feed_urls(self) -> dict[str, str]:
        return {name: f"http://127.0.0.1:{self._port}/{name}.xml" for name in self._bodies}

    async def _serve(self, request: web.Request) -> web.Response:
        body = self._bodies.get(request.match_info["name"])
        if body is None:
            raise web.HTTPNotFound()
        if not self.published:
            body = FIRST_ITEM.sub(b"", body, count=1)
        return web.Response(body=body, content_type="application/rss+xml")

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()


async def run_demo(*, script: bool, out: TextIO | None = None,
                   stdin: TextIO | None = None) -> int:
    out = out or sys.stdout
    server = SampleFeedServer()
    await server.start()
    with tempfile.TemporaryDirectory(prefix="pitboard-demo-") as tmp:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            database_url=f"sqlite+aiosqlite:///{Path(tmp) / 'demo.db'}",
            pitboard_allow_private_feeds=True,  # the sample server is on 127.0.0.1
            pitboard_console=True, pitboard_feeds="",
            discord_token=None, slack_bot_token=None, slack_client_id=None,
        )
        app = await PitboardApp.create(settings, console_out=out)
        try:
            for name, url in sorted(server.feed_urls().items()):
                await app.store.add_feed(url, series=SAMPLE_SERIES.get(name), title=name)
            say = lambda text: print(text, file=out, flush=True)  # noqa: E731
            say("Pitboard demo: sample feeds on 127.0.0.1, database in a temporary file.")
            reports = await app.poll_now()
            seen = sum(r.new_articles for r in reports)
            say(f"First poll: {plural(seen, 'article')} recorded, none announced (a new feed never "
                "floods a channel with old news).")
            server.publish()
            # The demo does not wait out the polling interval: it polls as if it had.
            reports = await app.pipeline.poll_due(now=utcnow() + timedelta(days=1))
            say(f"Second poll: {plural(sum(r.new_articles for r in reports), 'new article')}, "
                f"{plural(sum(r.new_stories for r in reports), 'driver move')}.")
            delivered = await app.deliver_now()
            say(f"\n{plural(delivered.sent, 'alert')} delivered.")
            session = ConsoleSession(app.commands, out=out)
            if script:
                for line in SCRIPT:
                    await session.say(line)
                return 0
            say("\nType slash commands (/help lists them; /quit or ctrl-D leaves).")
            await session.prompt(stdin)
            return 0
        finally:
            await app.close()
            await server.stop()

