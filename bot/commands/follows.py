"""A fan's own alerts: what they follow, and where the alerts reach them."""

from __future__ import annotations

from bot.commands.context import Context, Handler
from bot.commands.parsing import UsageError
from bot.keys import car_key, name_key
from bot.messages import CommandCall, Reply
from bot.models import Destination, DestinationKind, Subscription, TargetKind


def _followed(ctx: Context, target: TargetKind, value: str) -> str:
    """The value as it is followed: a car's number, a series', team's or driver's name."""
    if target is TargetKind.CAR:
        key = car_key(value)
        if not key:
            raise UsageError("Give a car number, e.g. /follow car 31.")
        return key
    if target is TargetKind.SERIES:
        return ctx.required_series(value)
    if target is TargetKind.TEAM:
        return ctx.gazetteer.canonical_team(value) or value
    return ctx.gazetteer.canonical_driver(value) or value


async def _alerts_channel(ctx: Context, platform: str, workspace: str) -> Destination | None:
    for sub in await ctx.store.subscriptions_for(platform, workspace, None):
        if sub.target is TargetKind.ALL:
            return sub.destination
    return None


async def _destination(ctx: Context, call: CommandCall, via: str | None) -> Destination:
    if call.platform == "console":
        return Destination(platform=call.platform, workspace=call.workspace, user=call.user,
                           kind=DestinationKind.DM)
    if via == "mention" or via is None:
        alerts = await _alerts_channel(ctx, call.platform, call.workspace)
        if alerts is not None:
            return Destination(platform=call.platform, workspace=call.workspace,
                               channel=alerts.channel, user=call.user,
                               kind=DestinationKind.MENTION)
        if via == "mention":
            raise UsageError("This server has no alerts channel yet, so there is nowhere to "
                             "mention you. Ask a moderator for /alerts channel, or use via dm.")
    return Destination(platform=call.platform, workspace=call.workspace, user=call.user,
                       kind=DestinationKind.DM)


async def follow(ctx: Context, call: CommandCall) -> Reply:
    target = TargetKind(call.text("target"))
    value = _followed(ctx, target, call.text("value") or "")
    destination = await _destination(ctx, call, call.text("via"))
    new = await ctx.store.follow(Subscription(destination=destination, target=target,
                                              value=value))
    how = {DestinationKind.DM: "by direct message",
           DestinationKind.MENTION: "with a mention in the alerts channel"}.get(
        destination.kind, "here")
    if call.platform == "console":
        how = "here"
    shown = f"#{value}" if target is TargetKind.CAR else value
    verb = "Following" if new else "Already following"
    return Reply(text=f"{verb} {target.value} {shown}: alerts reach you {how}.", ephemeral=True)


async def unfollow(ctx: Context, call: CommandCall) -> Reply:
    target = TargetKind(call.text("target"))
    value = _followed(ctx, target, call.text("value") or "")
    removed = 0
    for sub in await ctx.store.subscriptions_for(call.platform, call.workspace, call.user):
        if sub.target is target and name_key(sub.value) == name_key(value):
            removed += await ctx.store.unfollow(sub)
    if not removed:
        return Reply(text=f"You weren't following {target.value} {value}.", ephemeral=True)
    return Reply(text=f"Stopped following {target.value} {value}.", ephemeral=True)


async def following(ctx: Context, call: CommandCall) -> Reply:
    subs = [s for s in await ctx.store.subscriptions_for(call.platform, call.workspace,
                                                         call.user)
            if s.target is not TargetKind.ALL]
    if not subs:
        return Reply(text="You follow nothing yet. Try /follow team Cadillac.", ephemeral=True)
    lines = sorted(f"{s.target.value}: {'#' if s.target is TargetKind.CAR else ''}{s.value}"
                   f" ({s.destination.kind.value})" for s in subs)
    return Reply(text="You follow:\n" + "\n".join(lines), ephemeral=True)


HANDLERS: dict[str, Handler] = {"follow": follow, "unfollow": unfollow, "following": following}
