"""A fan's own alerts: what they follow, and where the alerts reach them.

What a fan types is resolved as stories are matched (bot.alerts.story_targets): a team by
its name, alias, sponsor or maker, a driver forgivingly, a car by its number. A value that
resolves to nothing is refused with the reason, never stored as typed."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from bot.alerts import MAX_MENTIONS_PER_POST
from bot.commands.context import Context, Handler
from bot.commands.lineups import or_list, resolve_driver
from bot.commands.names import match_typo
from bot.commands.parsing import UsageError
from bot.keys import car_key, name_key
from bot.messages import CommandCall, Reply
from bot.models import Destination, DestinationKind, Subscription, TargetKind

# A fan's own follows; the followers one alerts-channel post may mention (Discord names at
# most 100 users per message, and the mentions must fit its 2,000 characters).
MAX_FOLLOWS_PER_USER = 50
MAX_MENTION_FOLLOWERS_PER_CHANNEL = MAX_MENTIONS_PER_POST
MAX_COVERS_SHOWN = 6
# "31", "#31", "No. 31", "car 7A": a number of up to four characters, nothing after it.
_CAR_NUMBER = re.compile(r"\s*(?:#|no\.?|nr\.?|car)?\s*([a-z0-9]{1,4})\s*", re.IGNORECASE)


@dataclass(frozen=True, slots=True, kw_only=True)
class FollowTarget:
    value: str  # as stored and matched
    shown: str  # as answers show it
    covers: tuple[str, ...] = ()  # the teams a sponsor's or maker's name stands for


def how_alerts_reach(destination: Destination) -> str:
    """The words /follow and /following both use, so they never disagree."""
    if destination.platform == "console":
        return "here"
    channel = f" (<#{destination.channel}>)" if destination.channel else ""
    return {DestinationKind.DM: "by direct message",
            DestinationKind.MENTION: f"with a mention in the alerts channel{channel}",
            DestinationKind.FOLLOWER: f"in the alerts channel{channel}, without a ping",
            }.get(destination.kind, "here")


def _followed(ctx: Context, target: TargetKind, value: str) -> str:
    """The value as an existing follow stores it, for /unfollow: resolved when it resolves,
    else as typed (a follow stored before resolution must stay removable)."""
    if target is TargetKind.CAR:
        return car_key(value)
    if target is TargetKind.SERIES:
        return ctx.gazetteer.canonical_series(value) or value
    if target is TargetKind.TEAM:
        return ctx.gazetteer.canonical_team(value) or value
    return ctx.gazetteer.canonical_driver(value) or value


async def resolve_follow(ctx: Context, target: TargetKind, value: str) -> FollowTarget:
    """What a fan means, or a UsageError saying why not. A trailing word that is no part of
    any name is named as a bad option, never glued onto the name ("/follow team Haas sms")."""
    try:
        return await _resolve(ctx, target, value)
    except UsageError:
        words = value.split()
        if len(words) > 1:
            try:
                await _resolve(ctx, target, " ".join(words[:-1]))
            except UsageError:
                pass
            else:
                raise UsageError(
                    f"{words[-1]!r} is not an option of /follow: the way alerts reach you "
                    "(via) is channel, mention or dm, e.g. "
                    f"/follow {target.value} {' '.join(words[:-1])} dm.") from None
        raise


async def _resolve(ctx: Context, target: TargetKind, value: str) -> FollowTarget:
    value = value.strip()
    if target is TargetKind.CAR:
        number = _CAR_NUMBER.fullmatch(value)
        key = car_key(number.group(1)) if number else ""
        if not key:
            raise UsageError(f"{value!r} is not a car number. Give the number, e.g. "
                             "/follow car 31.")
        return FollowTarget(value=key, shown=f"#{key}")
    if target is TargetKind.SERIES:
        series = ctx.required_series(value)
        return FollowTarget(value=series, shown=series)
    if target is TargetKind.TEAM:
        return await _resolve_team(ctx, value)
    found = await resolve_driver(ctx, value)
    if isinstance(found, Reply):
        raise UsageError(found.text)
    return FollowTarget(value=found, shown=found)


async def _resolve_team(ctx: Context, text: str) -> FollowTarget:
    """A team's name, alias, sponsor or maker, as stories are matched: a maker's name
    ("Cadillac") covers every entry racing under it, and the answer lists them."""
    candidates = list(ctx.gazetteer.team_candidates(text))
    if not candidates:
        names = set(ctx.gazetteer.team_names())
        names.update(await ctx.store.known_names(TargetKind.TEAM))
        found = match_typo(text, names)
        if found.candidates:
            raise UsageError(f"Which team? Did you mean {or_list(found.candidates)}?")
        if found.name is None:
            raise UsageError(f"I don't know a team called {text!r}. Try its name, an alias, "
                             "a sponsor or a manufacturer, e.g. /follow team Cadillac.")
        text = found.name
        candidates = list(ctx.gazetteer.team_candidates(text))
        if not candidates:  # a team only the articles know: its stories name it so
            return FollowTarget(value=found.name, shown=found.name)
    canonical = ctx.gazetteer.canonical_team(text)
    value = canonical if canonical and candidates[0].how in ("name", "alias") else text
    covered = tuple(dict.fromkeys(f"{c.team} ({c.series})" for c in candidates))
    if len(covered) == 1 and covered[0].startswith(f"{value} ("):
        covered = ()  # a team's own name covers just itself: nothing to explain
    return FollowTarget(value=value, shown=value, covers=covered)


async def _alerts_channel(ctx: Context, platform: str, workspace: str) -> Destination | None:
    for sub in await ctx.store.subscriptions_for(platform, workspace, None):
        if sub.target is TargetKind.ALL:
            return sub.destination
    return None


async def _destination(ctx: Context, call: CommandCall, via: str | None) -> Destination:
    if call.platform == "console":
        return Destination(platform=call.platform, workspace=call.workspace, user=call.user,
                           kind=DestinationKind.DM)
    if via in ("mention", "channel") or via is None:
        alerts = await _alerts_channel(ctx, call.platform, call.workspace)
        if alerts is not None:
            # Either way the alert is the channel's one post: a mention follower is named
            # in it, a channel follower reads it there without a ping.
            return Destination(platform=call.platform, workspace=call.workspace,
                               channel=alerts.channel, user=call.user,
                               kind=(DestinationKind.MENTION if via == "mention"
                                     else DestinationKind.FOLLOWER))
        if via is not None:
            raise UsageError(f"This server has no alerts channel yet, so there is nowhere to "
                             f"post your alerts ({via}). Ask a moderator for /alerts channel, "
                             "or use via dm.")
    return Destination(platform=call.platform, workspace=call.workspace, user=call.user,
                       kind=DestinationKind.DM)


async def _check_limits(ctx: Context, call: CommandCall, destination: Destination,
                        target: TargetKind, value: str) -> None:
    """A fan's follows and a channel's mentions are bounded: one post can name only so many
    people, and a runaway script must not fill the table."""
    mine = await ctx.store.subscriptions_for(call.platform, call.workspace, call.user)
    if any(s.target is target and name_key(s.value) == name_key(value)
           and s.destination == replace(destination, id=s.destination.id,
                                        broken=s.destination.broken) for s in mine):
        return  # following again changes nothing, so it is never over a limit
    if len([s for s in mine if s.target is not TargetKind.ALL]) >= MAX_FOLLOWS_PER_USER:
        raise UsageError(f"You follow {MAX_FOLLOWS_PER_USER} things already, the most one "
                         "person can. /following lists them; /unfollow one first.")
    if destination.kind is DestinationKind.MENTION:
        everyone = await ctx.store.subscriptions_for(call.platform, call.workspace, None)
        named = {s.destination.user for s in everyone
                 if s.destination.kind is DestinationKind.MENTION
                 and s.destination.channel == destination.channel}
        if call.user not in named and len(named) >= MAX_MENTION_FOLLOWERS_PER_CHANNEL:
            raise UsageError(
                f"The alerts channel already mentions {len(named)} followers, the most one "
                "post can name. Follow with via channel (no ping) or via dm instead.")


async def follow(ctx: Context, call: CommandCall) -> Reply:
    target = TargetKind(call.text("target"))
    resolved = await resolve_follow(ctx, target, call.text("value") or "")
    destination = await _destination(ctx, call, call.text("via"))
    await _check_limits(ctx, call, destination, target, resolved.value)
    new = await ctx.store.follow(Subscription(destination=destination, target=target,
                                              value=resolved.value))
    verb = "Following" if new else "Already following"
    covers = ""
    if resolved.covers:
        shown = resolved.covers[:MAX_COVERS_SHOWN]
        more = len(resolved.covers) - len(shown)
        covers = f" (covers {', '.join(shown)}" + (f" and {more} more" if more else "") + ")"
    return Reply(text=f"{verb} {target.value} {resolved.shown}{covers}: alerts reach you "
                      f"{how_alerts_reach(destination)}.", ephemeral=True)


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
                   f" — {how_alerts_reach(s.destination)}" for s in subs)
    return Reply(text="You follow:\n" + "\n".join(lines), ephemeral=True)


HANDLERS: dict[str, Handler] = {"follow": follow, "unfollow": unfollow, "following": following}
