"""Slash-command latency over HTTP against the fakes: time to Slack's ack (must stay far
under 3 s) and to the respond() answer, with the real command core on SQLite.

    .venv/bin/python -m tests.benchmarks.bench_slack_commands [count] [concurrency]
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
from slack_sdk.signature import SignatureVerifier

from adapters.slack import build_slack_app, build_web_app
from bot.commands import Commands
from bot.rules import gazetteer
from tests.adapters.slack.conftest import BOT_TOKEN, TEAM, seed_story
from tests.adapters.slack.test_app import SECRET, serve
from tests.fakes.db import open_test_store
from tests.fakes.slack_server import FakeSlack


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def main(count: int, concurrency: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="pitboard-bench-"))
    store = await open_test_store(folder / "bench.db")
    await seed_story(store)
    async with FakeSlack() as slack:
        slack.add_workspace(TEAM, BOT_TOKEN)
        app = build_slack_app(runner=Commands(store, gazetteer=gazetteer()),
                              signing_secret=SECRET, bot_token=BOT_TOKEN,
                              api_base_url=slack.api_url)
        async with serve(build_web_app(app)) as url, aiohttp.ClientSession() as session:
            acks: list[float] = []
            answers: list[float] = []
            gate = asyncio.Semaphore(concurrency)

            async def one(index: int) -> None:
                response_url = slack.response_url()
                body = urlencode({"team_id": TEAM, "channel_id": "C1", "user_id": "U1",
                                  "command": "/lineup", "text": "31",
                                  "response_url": response_url, "trigger_id": str(index)})
                ts = str(int(time.time()))
                headers = {"Content-Type": "application/x-www-form-urlencoded",
                           "X-Slack-Request-Timestamp": ts,
                           "X-Slack-Signature": SignatureVerifier(SECRET).generate_signature(
                               timestamp=ts, body=body)}
                async with gate:
                    started = time.perf_counter()
                    async with session.post(f"{url}/slack/events", data=body,
                                            headers=headers) as response:
                        assert response.status == 200
                    acks.append(time.perf_counter() - started)
                    await slack.wait_responded(response_url, wait_seconds=30)
                    answers.append(time.perf_counter() - started)

            began = time.perf_counter()
            await asyncio.gather(*(one(i) for i in range(count)))
            elapsed = time.perf_counter() - began
    await store.close()
    print(f"{count} /lineup 31 commands, concurrency {concurrency}, {elapsed:.2f} s "
          f"({count / elapsed:.0f}/s)")
    for name, values in (("ack", acks), ("answer", answers)):
        print(f"  {name:6} p50 {statistics.median(values) * 1000:6.1f} ms   "
              f"p95 {percentile(values, 0.95) * 1000:6.1f} ms   "
              f"max {max(values) * 1000:6.1f} ms")


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    asyncio.run(main(*(args + [300, 10][len(args):])))
