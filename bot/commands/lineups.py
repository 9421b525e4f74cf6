"""What the bot knows: lineups of cars and teams, what changed, drivers, the latest news,
and the moderators' corrections."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from bot.cards import car_cards, changes_card, driver_card, story_card, team_cards
from bot.commands.context import DEFAULT_SERIES, Context, Handler
from bot.commands.names import match_name
from bot.commands.parsing import UsageError
from bot.keys import car_key, name_key
from bot.messages import CommandCall, Reply
from bot.models import TargetKind, utcnow


def _since(text: str | None) -> datetime | None:
    if not text:
        return None
    text = text.strip().casefold()
    units = {"h": "hours", "d": "days", "w": "weeks"}
    if text[:-1].isdigit() and text[-1] in units:
        return utcnow() - timedelta(**{units[text[-1]]: int(text[:-1])})
    try:
        return datetime.fromisoformat(text).replace(tzinfo=UTC)
    except ValueError:
        raise UsageError("since is a date (2024-05-01) or a span: 24h, 7d, 2w.") from None


def _moderator(call: CommandCall) -> str:
    return call.user_name or call.user


async def lineup(ctx: Context, call: CommandCall) -> Reply:
    team = call.text("team")
    if team:
        return await _team_lineup(ctx, team, call)
    car = car_key(call.text("car"))
    if not car:
        raise UsageError("Give a car number or a team: /lineup 31, /lineup team:Penske.")
    series = ctx.series(call.text("series"))
    if series is None:
        series = await ctx.store.get_setting(call.platform, call.workspace, DEFAULT_SERIES)
    season = call.number("season")
    seats = await ctx.store.lineup(car, series=series, season=season)
    if not seats:
        scope = " ".join(str(x) for x in (series, season) if x)
        where = f" in {scope}" if scope else ""
        return Reply(text=f"No lineup known yet for car #{car}{where}. Lineups fill in as "
                          "driver news arrives.", ephemeral=True)
    return Reply(text=f"Lineup for car #{car}", cards=car_cards(car, seats, utcnow().year))


async def _resolve_team(ctx: Context, query: str) -> str | Reply:
    """The team a fan means, or a question back when a name fits several."""
    team = ctx.gazetteer.canonical_team(query)
    if team is not None:
        return team
    # A manufacturer or sponsor ("Cadillac") may name several teams: the ones we hold seats
    # for decide, and more than one is a question back to the fan.
    wanted = name_key(query)
    known = await ctx.store.known_names(TargetKind.TEAM)
    matches = sorted(t for t in known if wanted in ctx.gazetteer.team_keys(t))
    if len(matches) > 1:
        return Reply(text=f"Which team? {', '.join(matches)}", ephemeral=True)
    return matches[0] if matches else match_name(query, known).name or query


async def _team_lineup(ctx: Context, query: str, call: CommandCall, *,
                       with_changes: bool = False) -> Reply:
    team = await _resolve_team(ctx, query)
    if isinstance(team, Reply):
        return team
    seats = await ctx.store.team_lineup(team, series=ctx.series(call.text("series")),
                                        season=call.number("season"))
    if not seats:
        return Reply(text=f"No lineup known yet for {team}.", ephemeral=True)
    cards = team_cards(team, seats)
    if with_changes:
        recent = await ctx.store.changes(team=team, limit=5)
        if recent:
            cards = (*cards, changes_card(f"Latest changes at {team}", recent))
    return Reply(text=f"Lineup of {team}", cards=cards)


async def team(ctx: Context, call: CommandCall) -> Reply:
    return await _team_lineup(ctx, call.text("name") or "", call, with_changes=True)


async def changes(ctx: Context, call: CommandCall) -> Reply:
    series = ctx.series(call.text("series"))
    since = _since(call.text("since"))
    found = await ctx.store.changes(series, since, limit=15)
    if not found:
        return Reply(text="No lineup changes" + (f" in {series}" if series else "")
                          + (" since then." if since else " yet."), ephemeral=True)
    return Reply(cards=(changes_card("Lineup changes" + (f" · {series}" if series else ""),
                                     found),))


async def lineup_set(ctx: Context, call: CommandCall) -> Reply:
    car = car_key(call.text("car"))
    series = ctx.required_series(call.text("series"))
    season = call.number("season") or 0
    raw = (call.text("drivers") or "").replace(" and ", ",")
    drivers = [ctx.gazetteer.canonical_driver(d.strip()) or d.strip()
               for d in raw.split(",") if d.strip()]
    if not drivers:
        raise UsageError("Name the drivers, separated by commas.")
    seats = await ctx.store.set_lineup(car, series, season, drivers, moderator=_moderator(call))
    return Reply(text=f"Lineup of #{car} ({series} {season}) set by {_moderator(call)}: "
                      f"{', '.join(s.driver for s in seats)}. Articles will not change it.",
                 ephemeral=True)


async def lineup_remove(ctx: Context, call: CommandCall) -> Reply:
    car = car_key(call.text("car"))
    series = ctx.required_series(call.text("series"))
    season = call.number("season") or 0
    driver = call.text("driver") or ""
    driver = ctx.gazetteer.canonical_driver(driver) or driver
    removed = await ctx.store.remove_from_lineup(car, series, season, driver,
                                                 moderator=_moderator(call))
    state = "Removed" if removed else "Recorded: no open seat, but articles won't add"
    return Reply(text=f"{state} {driver} from #{car} ({series} {season}).", ephemeral=True)


async def lineup_history(ctx: Context, call: CommandCall) -> Reply:
    car = car_key(call.text("car"))
    history = await ctx.store.lineup_history(car, series=ctx.series(call.text("series")),
                                             season=call.number("season"), limit=20)
    if not history:
        return Reply(text=f"No history for car #{car} yet.", ephemeral=True)
    return Reply(cards=(changes_card(f"How the #{car} lineup was reached", history),))


def or_list(names: Sequence[str]) -> str:
    """'A', 'A or B', 'A, B or C'."""
    names = list(names)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


async def resolve_driver(ctx: Context, query: str) -> str | Reply:
    found = (await ctx.drivers.index()).match(query)
    if found.name is None and not found.candidates and await ctx.drivers.reread_after_miss():
        found = (await ctx.drivers.index()).match(query)  # learned a moment ago, elsewhere
    if found.name:
        return found.name
    if found.candidates:
        return Reply(text=f"Which driver? Did you mean {or_list(found.candidates)}?",
                     ephemeral=True)
    return Reply(text=f"I don't know a driver called {query!r} yet.", ephemeral=True)


async def driver(ctx: Context, call: CommandCall) -> Reply:
    resolved = await resolve_driver(ctx, call.text("name") or "")
    if isinstance(resolved, Reply):
        return resolved
    seats = await ctx.store.driver_seats(resolved)
    stories = await ctx.store.driver_stories(resolved, limit=5)
    if not seats and not stories:
        return Reply(text=f"No seats or moves known for {resolved} yet.", ephemeral=True)
    return Reply(cards=(driver_card(resolved, seats, stories),))


async def news(ctx: Context, call: CommandCall) -> Reply:
    stories = await ctx.store.recent_stories(call.number("count") or 5)
    if not stories:
        return Reply(text="No driver moves seen yet.", ephemeral=True)
    return Reply(text=f"Latest {len(stories)} driver moves",
                 cards=tuple(story_card(s, ctx.gazetteer) for s in stories))


HANDLERS: dict[str, Handler] = {
    "lineup": lineup,
    "team": team,
    "changes": changes,
    "lineup-set": lineup_set,
    "lineup-remove": lineup_remove,
    "lineup-history": lineup_history,
    "driver": driver,
    "news": news,
}
