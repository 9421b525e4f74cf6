"""The Discord client: discord.py with the least it needs, and nothing that can ping.

- Intents: only `guilds` (not privileged). Slash commands arrive as interactions whatever
  the intents; the guild cache lets moderator notices find a server's system channel
  without an extra request. No message content, no members, no presence.
- `allowed_mentions=AllowedMentions.none()` on the client: a message that does not say
  otherwise can ping no one. Only a personal follow's alert overrides it, for that user.
- Endpoints: `DISCORD_API_BASE_URL` and `DISCORD_GATEWAY_URL` exist for proxies, e.g. a
  shared rate-limit proxy in front of several bot processes (and for the test fakes).
  discord.py keeps both as class attributes, so they apply to the whole process.
"""

from __future__ import annotations

import base64
import binascii
import logging
import re
from typing import Any

import discord
import yarl
from discord import app_commands

from adapters.discord.commands import DEFAULT_DEFER_AFTER, SlashCommands
from bot.ports import CommandRunner

log = logging.getLogger(__name__)

DISCORD_API_BASE_URL = "https://discord.com/api/v10"
DISCORD_GATEWAY_URL = "wss://gateway.discord.gg/"
# View Channel + Send Messages + Embed Links: enough to post alerts. Slash command answers
# need no channel permission at all, and mentioning a follower needs none either.
INVITE_PERMISSIONS = discord.Permissions(view_channel=True, send_messages=True,
                                         embed_links=True)
INVITE_SCOPES = ("bot", "applications.commands")
# A 429 asking us to wait longer than this becomes an error (RetryLater) instead of a
# sleep, so one slow bucket cannot stall the delivery worker.
MAX_RATELIMIT_WAIT = 30.0
_API_VERSION = re.compile(r"/api/v\d+$")


def api_base(url: str) -> str:
    """`https://proxy:8080` and `https://proxy:8080/api/v10` both mean the v10 API there."""
    url = url.rstrip("/")
    return url if _API_VERSION.search(url) else f"{url}/api/v10"


def configure_endpoints(*, api_base_url: str | None = None, gateway_url: str | None = None
                        ) -> None:
    """Point discord.py at other REST and gateway endpoints (process-wide)."""
    if api_base_url:
        discord.http.Route.BASE = api_base(api_base_url)
    if gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)


def discord_intents() -> discord.Intents:
    intents = discord.Intents.none()
    intents.guilds = True
    return intents


class PitboardDiscord(discord.Client):
    """discord.Client with Pitboard's command tree. `await bot.start()` logs in with the
    token it was built with and runs the gateway until `await bot.close()`."""

    def __init__(self, *, runner: CommandRunner, token: str | None = None,
                 guild_id: int | None = None, defer_after: float = DEFAULT_DEFER_AFTER,
                 **options: Any) -> None:
        options.setdefault("max_ratelimit_timeout", MAX_RATELIMIT_WAIT)
        super().__init__(intents=discord_intents(),
                         allowed_mentions=discord.AllowedMentions.none(), **options)
        self.token = token
        self.guild_id = guild_id
        self.runner = runner
        self.tree: app_commands.CommandTree[PitboardDiscord] = app_commands.CommandTree(self)
        self.slash = SlashCommands(runner, defer_after=defer_after)
        self.slash.register(self.tree)

    async def start(self, token: str | None = None, *, reconnect: bool = True) -> None:
        token = token or self.token
        if not token:
            raise discord.LoginFailure("no Discord bot token (set DISCORD_TOKEN)")
        await super().start(token, reconnect=reconnect)

    async def login(self, token: str | None = None) -> None:  # type: ignore[override]
        token = token or self.token
        if not token:
            raise discord.LoginFailure("no Discord bot token (set DISCORD_TOKEN)")
        await super().login(token)

    @property
    def logged_in(self) -> bool:
        return self.http.token is not None

    async def on_ready(self) -> None:
        log.info("Discord: connected as %s (%s) in %d servers", self.user,
                 self.user.id if self.user else "?", len(self.guilds))


class ShardedPitboardDiscord(PitboardDiscord, discord.AutoShardedClient):
    """PitboardDiscord on discord.py's AutoShardedClient: one gateway connection per shard
    in `shard_ids` (all `shard_count` of them if None), each identifying as
    [shard id, shard count], so Discord sends each connection its own servers' events."""


def build_discord_bot(*, token: str, runner: CommandRunner, api_base_url: str | None = None,
                      gateway_url: str | None = None, guild_id: int | None = None,
                      defer_after: float = DEFAULT_DEFER_AFTER, shard_count: int | None = None,
                      shard_ids: tuple[int, ...] | None = None) -> PitboardDiscord:
    """The bot, ready for `await bot.start()`; `runner` is bot.commands.Commands(store).

    `api_base_url` / `gateway_url` (DISCORD_API_BASE_URL / DISCORD_GATEWAY_URL) reroute
    every REST call and the gateway, e.g. through a shared rate-limit proxy; they are set
    process-wide on discord.py. `guild_id` is the default server for `sync_commands`.
    `shard_count` (DISCORD_SHARD_COUNT) makes it an AutoShardedClient running `shard_ids`
    (DISCORD_SHARD_IDS; None: every shard); without it, one unsharded connection."""
    configure_endpoints(api_base_url=api_base_url, gateway_url=gateway_url)
    if shard_count is None:
        if shard_ids is not None:
            raise ValueError("shard ids need a shard count")
        return PitboardDiscord(runner=runner, token=token, guild_id=guild_id,
                               defer_after=defer_after)
    return ShardedPitboardDiscord(
        runner=runner, token=token, guild_id=guild_id, defer_after=defer_after,
        shard_count=shard_count, shard_ids=list(shard_ids) if shard_ids is not None else None)


async def sync_commands(bot: PitboardDiscord, *, guild_id: int | None = None) -> list[str]:
    """`pitboard discord sync [--guild ID]`: upload the command tree to Discord.

    Global commands can take a while to show up in every client; a guild sync shows them in
    that server at once (handy while setting up, e.g. `--guild` your test server). Logs in
    if needed and closes the client it logged in. Returns the top-level names synced."""
    guild_id = guild_id or bot.guild_id
    logged_in_here = not bot.logged_in
    if logged_in_here:
        await bot.login()
    try:
        guild = discord.Object(id=guild_id) if guild_id else None
        if guild is not None:
            bot.tree.copy_global_to(guild=guild)
        synced = await bot.tree.sync(guild=guild)
    finally:
        if logged_in_here:
            await bot.close()
    return [command.name for command in synced]


def invite_url(application_id: int) -> str:
    """`pitboard discord invite`: the OAuth2 link that adds the bot with minimal rights."""
    return discord.utils.oauth_url(application_id, permissions=INVITE_PERMISSIONS,
                                   scopes=INVITE_SCOPES)


def application_id_from_token(token: str) -> int | None:
    """A bot token starts with its user id in base64; for bots that is the application id,
    so `pitboard discord invite` can work offline from DISCORD_TOKEN alone."""
    head = token.strip().split(".", 1)[0]
    try:
        decoded = base64.b64decode(head + "=" * (-len(head) % 4), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    return int(decoded) if decoded.isdigit() else None
