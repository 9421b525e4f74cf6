"""What moderators set up: the server's news feeds, where alerts go, the default series
and who else moderates."""

from __future__ import annotations

from bot.commands.context import DEFAULT_SERIES, MODERATORS, Context, Handler, refusal
from bot.commands.parsing import UsageError
from bot.messages import CommandCall, Reply
from bot.models import Destination, DestinationKind, TargetKind


async def feed_add(ctx: Context, call: CommandCall) -> Reply:
    url = call.text("url") or ""
    if ctx.check_feed_url is not None:
        try:
            url = await ctx.check_feed_url(url)
        except ValueError as exc:
            raise UsageError(f"Can't add that feed: {exc}") from None
    elif not url.startswith(("http://", "https://")):
        raise UsageError("A feed URL starts with http:// or https://.")
    series = ctx.series(call.text("series"))
    minutes = call.number("every") or 10
    scope = ctx.scope(call.platform, call.workspace)
    if any(feed.url == url for feed in await ctx.store.list_feeds(scope)):
        return refusal(f"{url} is already on the feed list.")
    feed = await ctx.store.add_feed(url, series=series, interval_seconds=minutes * 60,
                                    workspace=scope)
    return Reply(text=f"Added feed {feed.id}: {url} (every {minutes} min"
                      f"{', ' + series if series else ''}). The first poll records what is "
                      "already there; alerts start with the next new article.",
                 ephemeral=True)


async def feed_list(ctx: Context, call: CommandCall) -> Reply:
    feeds = await ctx.store.list_feeds(ctx.scope(call.platform, call.workspace))
    if not feeds:
        return Reply(text="No feeds yet. Add one with /feed add <url>.", ephemeral=True)
    lines = []
    for feed in feeds:
        state = "paused" if feed.paused else f"every {feed.interval_seconds // 60} min"
        error = f" · last error: {feed.last_error}" if feed.last_error else ""
        lines.append(f"{feed.id}. {feed.title or feed.url} ({state}"
                     f"{', ' + feed.series if feed.series else ''}){error}")
    return Reply(text="Feeds:\n" + "\n".join(lines), ephemeral=True)


async def _feed_change(ctx: Context, call: CommandCall, action: str) -> Reply:
    feed_id = call.number("feed") or 0
    scope = ctx.scope(call.platform, call.workspace)
    if action == "remove":
        done = await ctx.store.remove_feed(feed_id, scope)
    else:
        done = await ctx.store.set_paused(feed_id, action == "pause", scope)
    if not done:
        return refusal(f"No feed {feed_id} here. /feed list shows the numbers.")
    past = {"remove": "Removed", "pause": "Paused", "resume": "Resumed"}[action]
    return Reply(text=f"{past} feed {feed_id}.", ephemeral=True)


async def feed_remove(ctx: Context, call: CommandCall) -> Reply:
    return await _feed_change(ctx, call, "remove")


async def feed_pause(ctx: Context, call: CommandCall) -> Reply:
    return await _feed_change(ctx, call, "pause")


async def feed_resume(ctx: Context, call: CommandCall) -> Reply:
    return await _feed_change(ctx, call, "resume")


async def alerts_channel(ctx: Context, call: CommandCall) -> Reply:
    channel = call.text("channel") or ""
    await ctx.store.set_alert_channel(Destination(
        platform=call.platform, workspace=call.workspace, channel=channel,
        kind=DestinationKind.CHANNEL))
    return Reply(text=f"Driver-move alerts will be posted in <#{channel}>.", ephemeral=True)


STATUS_ROWS = 10


def _where(destination: Destination) -> str:
    return (f"a DM to <@{destination.user}>" if destination.kind is DestinationKind.DM
            else f"<#{destination.channel}>")


async def alerts_status(ctx: Context, call: CommandCall) -> Reply:
    """What moderators need to fix: where alerts cannot be posted, and what failed."""
    lines = []
    subs = await ctx.store.subscriptions_for(call.platform, call.workspace, None)
    channel = next((s.destination for s in subs if s.target is TargetKind.ALL), None)
    if channel is None:
        lines.append("No alerts channel yet: set one with /alerts channel.")
    elif channel.broken:
        lines.append(f"Alerts channel {_where(channel)}: cannot post there ({channel.broken}). "
                     "Check the bot's permissions, or choose another with /alerts channel.")
    else:
        lines.append(f"Alerts channel {_where(channel)}: posting.")
    queued = await ctx.store.outbox_entries(statuses=["pending"], platform=call.platform,
                                            workspace=call.workspace, limit=1000)
    lines.append(f"Alerts waiting to go out: {len(queued)}.")
    failed = await ctx.store.outbox_entries(platform=call.platform, workspace=call.workspace,
                                            failed_only=True, limit=STATUS_ROWS)
    if not failed:
        lines.append("No failed alerts.")
    else:
        lines.append("Failed alerts (newest first):")
        for entry in failed:
            state = ("given up" if entry.status == "dead"
                     else f"retrying, {entry.attempts} tries so far")
            lines.append(f"• {entry.created_at:%Y-%m-%d %H:%M} {entry.summary} → "
                         f"{_where(entry.destination)}: {state}: {entry.last_error}")
    return Reply(text="\n".join(lines), ephemeral=True)


async def settings_series(ctx: Context, call: CommandCall) -> Reply:
    series = ctx.required_series(call.text("series"))
    await ctx.store.set_setting(call.platform, call.workspace, DEFAULT_SERIES, series)
    return Reply(text=f"/lineup now defaults to {series} here.", ephemeral=True)


async def settings_moderators(ctx: Context, call: CommandCall) -> Reply:
    users = (call.text("users") or "").strip()
    if users.casefold() == "none":
        users = ""
    await ctx.store.set_setting(call.platform, call.workspace, MODERATORS, users)
    if not users:
        return Reply(text="Only admins moderate Pitboard here now.", ephemeral=True)
    return Reply(text=f"These users may now moderate Pitboard here too: {users}",
                 ephemeral=True)


HANDLERS: dict[str, Handler] = {
    "alerts status": alerts_status,
    "feed add": feed_add,
    "feed list": feed_list,
    "feed remove": feed_remove,
    "feed pause": feed_pause,
    "feed resume": feed_resume,
    "alerts channel": alerts_channel,
    "settings series": settings_series,
    "settings moderators": settings_moderators,
}
