"""What moderators set up: the server's news feeds, where alerts go, the default series
and who else moderates."""

from __future__ import annotations

from datetime import datetime

from bot.commands.context import DEFAULT_SERIES, MODERATORS, Context, Handler, refusal
from bot.commands.parsing import UsageError
from bot.messages import CommandCall, Reply, plural
from bot.models import Destination, DestinationKind, Feed, PresetFeed, TargetKind, utcnow


async def feed_add(ctx: Context, call: CommandCall) -> Reply:
    word = (call.text("url") or "").strip()
    series = ctx.series(call.text("series"))
    minutes = call.number("every") or 10
    scope = ctx.scope(call.platform, call.workspace)
    if word.casefold() == "preset":
        return await _add_presets(ctx, series, minutes, scope)
    url = await _checked_url(ctx, word)
    known = {feed.url for feed in await ctx.store.list_feeds(scope)}
    try:
        text = await _add_one(ctx, url, series, minutes, scope, known)
    except _AlreadyThere as there:
        return refusal(f"{there.url} is already on the feed list.")
    return Reply(text=text, ephemeral=True)


class _AlreadyThere(Exception):
    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


async def _add_one(ctx: Context, url: str, series: str | None, minutes: int,
                   scope: str | None, known: set[str]) -> str:
    """Probe, store and prime one checked URL; the sentence that says what was added.
    Raises UsageError (with the reason) for what is not a feed, _AlreadyThere for a
    duplicate."""
    if url in known:
        raise _AlreadyThere(url)
    probed = None
    if ctx.probe_feed is not None:
        # Fetched once now, so a typo, a 404 or a web page is refused with its reason
        # instead of failing quietly every ten minutes.
        try:
            probed = await ctx.probe_feed(url)
        except ValueError as exc:
            raise UsageError(f"Can't add that feed: {exc}") from None
        if probed.url != url:  # the page's advertised feed, or where it moved for good
            url = await _checked_url(ctx, probed.url)
            if url in known:
                raise _AlreadyThere(url)
    title = probed.title if probed else None
    feed = await ctx.store.add_feed(url, series=series, interval_seconds=minutes * 60,
                                    workspace=scope, title=title)
    known.add(url)
    recorded = ""
    if probed is not None and ctx.prime_feed is not None:
        await ctx.prime_feed(feed, probed.result)
        count = len(probed.result.articles)
        recorded = (f" Its {count} current entr{'y is' if count == 1 else 'ies are'} recorded "
                    "without alerts; alerts start with the next new article.")
    else:
        recorded = (" The first poll records what is already there; alerts start with the "
                    "next new article.")
    name = f"{title} ({url})" if title else url
    return (f"Added feed {feed.id}: {name} (every {minutes} min"
            f"{', ' + series if series else ''}).{recorded}")


def _presets_of(ctx: Context, series: str) -> list[PresetFeed]:
    return [p for p in ctx.presets if p.series.casefold() == series.casefold()]


async def _add_presets(ctx: Context, series: str | None, minutes: int,
                       scope: str | None) -> Reply:
    """Every catalogue feed of a series, each through the same checks as a URL: one that is
    refused (moved, gone, no longer a feed) is reported and the others are still added."""
    if series is None:
        raise UsageError("Name the series: /feed add preset IMSA. /feed presets lists them.")
    presets = _presets_of(ctx, series)
    if not presets:
        raise UsageError(f"No preset feeds for {series}. /feed presets lists the series "
                         "that have some.")
    known = {feed.url for feed in await ctx.store.list_feeds(scope)}
    lines, added, refused = [], 0, 0
    for preset in presets:
        try:
            url = await _checked_url(ctx, preset.url)
            text = await _add_one(ctx, url, series, minutes, scope, known)
        except _AlreadyThere as there:
            lines.append(f"{preset.publisher}: already on the feed list ({there.url}).")
            continue
        except UsageError as exc:
            refused += 1
            lines.append(f"{preset.publisher} ({preset.url}): {exc}")
            continue
        added += 1
        lines.append(f"{preset.publisher}: {text}")
    head = (f"Added {added} of the {len(presets)} {series} preset feed"
            f"{'' if len(presets) == 1 else 's'}.")
    # An error only when every one was refused: a series already on the list is fine.
    return Reply(text="\n".join([head, *lines]), ephemeral=True,
                 error=refused == len(presets))


async def feed_presets(ctx: Context, call: CommandCall) -> Reply:
    series = ctx.series(call.text("series"))
    presets = _presets_of(ctx, series) if series else list(ctx.presets)
    if not presets:
        if series:
            return refusal(f"No preset feeds for {series}. /feed presets lists the series "
                           "that have some.")
        return Reply(text="No preset feeds in this deployment's catalogue.", ephemeral=True)
    by_series: dict[str, list[PresetFeed]] = {}
    for preset in presets:
        by_series.setdefault(preset.series, []).append(preset)
    lines = ["Preset feeds (add a series' feeds with /feed add preset <series>):"]
    for name, group in by_series.items():
        lines.append(f"{name}: " + "; ".join(f"{p.publisher} {p.url}" for p in group))
    return Reply(text="\n".join(lines), ephemeral=True)


async def _checked_url(ctx: Context, url: str) -> str:
    if ctx.check_feed_url is not None:
        try:
            return await ctx.check_feed_url(url)
        except ValueError as exc:
            raise UsageError(f"Can't add that feed: {exc}") from None
    if not url.startswith(("http://", "https://")):
        raise UsageError("A feed URL starts with http:// or https://.")
    return url


async def feed_list(ctx: Context, call: CommandCall) -> Reply:
    feeds = await ctx.store.list_feeds(ctx.scope(call.platform, call.workspace))
    failed = await _failed_line(ctx, call)
    if not feeds:
        return Reply(text=f"No feeds yet. Add one with /feed add <url>.\n{failed}",
                     ephemeral=True)
    now = utcnow()
    lines = []
    for feed in feeds:
        state = feed_state(feed, now)
        lines.append(f"{feed.id}. {feed.title or feed.url} ({state['schedule']}"
                     f"{', ' + feed.series if feed.series else ''})")
        lines.append(f"   last success: {state['last_success']} · next poll: "
                     f"{state['next_poll']} · {state['entries']} · {state['alerts']}")
        if state["problem"]:
            lines.append(f"   {state['problem']}")
    lines.append(failed)
    return Reply(text="Feeds:\n" + "\n".join(lines), ephemeral=True)


async def _failed_line(ctx: Context, call: CommandCall) -> str:
    """The server's failing alerts: its feeds may be fine while their alerts reach no one."""
    retrying, dead = await ctx.store.failed_counts(call.platform, call.workspace)
    if not retrying and not dead:
        return "Failed alerts here: none."
    return (f"Failed alerts here: {retrying + dead} ({retrying} retrying, {dead} given up). "
            "/alerts status lists them.")


def feed_state(feed: Feed, now: datetime) -> dict[str, str]:
    """A feed's health in plain words, for /feed list and `pitboard feeds`."""
    if feed.disabled_reason:
        schedule = "disabled"
    elif feed.paused:
        schedule = "paused"
    else:
        schedule = f"every {feed.interval_seconds // 60} min"
    problem = ""
    if feed.disabled_reason:
        problem = (f"stopped: {feed.disabled_reason}. /feed resume {feed.id} starts it "
                   "again.")
    elif feed.last_error:
        times = f" ({feed.error_count} in a row)" if feed.error_count > 1 else ""
        problem = f"last error: {feed.last_error}{times}"
    if feed.paused:
        next_poll = "—"
    elif feed.next_poll_at is None or feed.next_poll_at <= now:
        next_poll = "due now"
    else:
        next_poll = _relative(feed.next_poll_at, now)
    return {
        "schedule": schedule,
        "last_success": _relative(feed.last_success_at, now) if feed.last_success_at
        else "never",
        "next_poll": next_poll,
        "entries": f"{feed.entries_seen} entr{'y' if feed.entries_seen == 1 else 'ies'} seen",
        "alerts": f"{feed.alerts_produced} alert{'' if feed.alerts_produced == 1 else 's'}"
                  " produced",
        "problem": problem,
    }


def _relative(moment: datetime, now: datetime) -> str:
    seconds = (moment - now).total_seconds()
    span = abs(seconds)
    if span < 60:
        return "just now" if seconds <= 0 else "in under a minute"
    for size, unit in ((86400, "day"), (3600, "h"), (60, "min")):
        if span >= size:
            count = int(span // size)
            text = f"{count} {unit}{'s' if unit == 'day' and count > 1 else ''}"
            return f"{text} ago" if seconds < 0 else f"in {text}"
    return "just now"  # unreachable: span >= 60 matched "min"


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
                     else f"retrying, {plural(entry.attempts, 'try', 'tries')} so far")
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
    "feed presets": feed_presets,
    "feed remove": feed_remove,
    "feed pause": feed_pause,
    "feed resume": feed_resume,
    "alerts channel": alerts_channel,
    "settings series": settings_series,
    "settings moderators": settings_moderators,
}
