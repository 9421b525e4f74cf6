"""Discord: slash commands, alert embeds and delivery with discord.py (pinned exactly).

    bot = build_discord_bot(token=..., runner=Commands(store))
    sender = DiscordSender(bot)          # the AlertSender for the delivery worker
    await bot.start()                    # gateway + slash commands until bot.close()
"""

from adapters.discord.client import (
    INVITE_PERMISSIONS,
    PitboardDiscord,
    application_id_from_token,
    build_discord_bot,
    configure_endpoints,
    invite_url,
    sync_commands,
)
from adapters.discord.sender import DiscordSender, RequestPace

__all__ = [
    "INVITE_PERMISSIONS",
    "DiscordSender",
    "PitboardDiscord",
    "RequestPace",
    "application_id_from_token",
    "build_discord_bot",
    "configure_endpoints",
    "invite_url",
    "sync_commands",
]
