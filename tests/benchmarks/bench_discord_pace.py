"""How fast DiscordSender posts alerts with the default global pace, against the fake Discord.

    .venv/bin/python -m tests.benchmarks.bench_discord_pace [alerts]

Prints the overall rate and the most requests that reached the fake in any one-second
window; Discord's global limit is 50 per second, so that figure must stay below 50."""

from __future__ import annotations

import asyncio
import bisect
import sys
import time

import discord

from adapters.discord import DiscordSender
from bot.messages import Alert, Card
from bot.models import Destination
from tests.fakes.discord_server import BOT_TOKEN, FakeDiscord, patched_discord_urls


def busiest_second(arrivals: list[float]) -> int:
    arrivals = sorted(arrivals)
    return max(bisect.bisect_left(arrivals, start + 1.0) - i
               for i, start in enumerate(arrivals))


async def main(count: int) -> None:
    async with FakeDiscord() as fake:
        with patched_discord_urls(fake):
            client = discord.Client(intents=discord.Intents.none(),
                                    allowed_mentions=discord.AllowedMentions.none())
            await client.login(BOT_TOKEN)
            try:
                sender = DiscordSender(client)
                alerts = [Alert(story_id=i, revision=1, card=Card(title=f"alert {i}"),
                                text=f"alert {i}",
                                destination=Destination(platform="discord", workspace="1",
                                                        channel=str(1000 + i % 20)))
                          for i in range(count)]
                started = time.perf_counter()
                await asyncio.gather(*(sender.send(alert) for alert in alerts))
                elapsed = time.perf_counter() - started
            finally:
                await client.close()
        arrivals = [r.at for r in fake.requests if r.path.endswith("/messages")]
    print(f"alerts sent: {len(arrivals)} in {elapsed:.2f} s = {len(arrivals) / elapsed:.1f}/s")
    print(f"most requests in any 1 s window: {busiest_second(arrivals)} (limit 50)")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 300))
