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
from adapters.discord.sender import ChannelPace, DiscordSender, RequestPace, WindowPace

__all__ = [
    "INVITE_PERMISSIONS",
    "ChannelPace",
    "DiscordSender",
    "PitboardDiscord",
    "RequestPace",
    "WindowPace",
    "application_id_from_token",
    "build_discord_bot",
    "configure_endpoints",
    "invite_url",
    "sync_commands",
]
