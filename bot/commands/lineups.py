"""What the bot knows: lineups of cars and teams, what changed, drivers, the latest news,
and the moderators' corrections."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from bot.cards import car_cards, changes_card, driver_card, story_card, team_cards
from bot.commands.context import DEFAULT_SERIES, Context, Handler
from bot.commands.names import NameIndex, typo_among
from bot.commands.parsing import UsageError
from bot.keys import car_key, name_key
from bot.messages import CommandCall, Reply, plural
from bot.models import utcnow

_SPAN = re.compile(r"(\d+)\s*(h|d|w)", re.IGNORECASE)
_UNITS = {"h": "hours", "d": "days", "w": "weeks"}


def _since(text: str | None) -> datetime | None:
    """"24h", "7d", "2w" back from now, or a date ("2024-05-01", midnight UTC)."""
    if not text:
        return None
    text = text.strip()
    span = _SPAN.fullmatch(text)
    if span:
        return utcnow() - timedelta(**{_UNITS[span[2].casefold()]: int(span[1])})
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise UsageError("since is a date (2024-05-01) or a span: 24h, 7d, 2w.") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _looks_like_since(text: str | None) -> bool:
    if not text:
        return False
    try:
        return _since(text) is not None
    except UsageError:
        return False


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


# Which reading of a typed team name wins when several teams we hold news of fit it.
_HOW_RANK = {"name": 0, "alias": 1, "sponsor": 2, "manufacturer": 3}


def _held_team(ctx: Context, held: NameIndex, query: str) -> str | Reply | None:
    """The team we hold news of that `query` names: through the gazetteer's names, aliases,
    sponsors and makers ("Cadillac", "AXR"), the closest reading first, more than one
    being a question back; or a team only the articles know, by its name."""
    candidates = [c for c in ctx.gazetteer.team_candidates(query) if c.team in held]
    if candidates:
        best = min(_HOW_RANK.get(c.how, len(_HOW_RANK)) for c in candidates)
        teams = sorted({c.team for c in candidates
                        if _HOW_RANK.get(c.how, len(_HOW_RANK)) == best})
        if len(teams) == 1:
            return teams[0]
        return Reply(text=f"Which team? {or_list(teams)}", ephemeral=True)
    return held.exact(query)


async def _resolve_team(ctx: Context, query: str) -> str | Reply:
    """The team a fan means: one we hold news of, else one the gazetteer knows (its lineup
    is not known yet), else a "did you mean" for a typo ("Hass")."""
    held = await ctx.teams.index()
    found = _held_team(ctx, held, query)
    if found is None and await ctx.teams.reread_after_miss():
        held = await ctx.teams.index()  # learned a moment ago, elsewhere
        found = _held_team(ctx, held, query)
    if found is not None:
        return found
    known = ctx.gazetteer.canonical_team(query)
    if known:
        return known
    # Asked, not guessed: team names share words, and the wrong team's lineup would look
    # like an answer.
    typo = typo_among(query, (held, ctx.gazetteer_teams), generic=ctx.team_words)
    meant = (typo.name,) if typo.name else typo.candidates
    if meant:
        return Reply(text=f"I don't know a team called {query!r}. Did you mean "
                          f"{or_list(meant)}?", ephemeral=True)
    return query


def _split_team(ctx: Context, text: str) -> tuple[str, str | None, int | None]:
    """"Action Express Racing IMSA 2024" typed after team: (no quotes needed) ->
    the team, and the series and season that end it, if they do."""
    words = text.split()
    season = None
    if len(words) > 1 and words[-1].isdigit() and len(words[-1]) == 4:
        season = int(words.pop())
    for count in (3, 2, 1):
        if len(words) > count and ctx.gazetteer.canonical_series(" ".join(words[-count:])):
            series = " ".join(words[-count:])
            return " ".join(words[:-count]), series, season
    return " ".join(words), None, season


async def _team_lineup(ctx: Context, query: str, call: CommandCall, *,
                       with_changes: bool = False) -> Reply:
    query, series, season = _split_team(ctx, query)
    team = await _resolve_team(ctx, query)
    if isinstance(team, Reply):
        return team
    seats = await ctx.store.team_lineup(team, series=ctx.series(call.text("series") or series),
                                        season=call.number("season") or season)
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
    series_text, since_text = call.text("series"), call.text("since")
    if not since_text and _looks_like_since(series_text):  # "/changes 7d": no series given
        series_text, since_text = None, series_text
    series = ctx.series(series_text)
    since = _since(since_text)
    found = await ctx.store.changes(series, since, limit=15)
    if not found:
        return Reply(text="No lineup changes" + (f" in {series}" if series else "")
                          + (" since then." if since else " yet."), ephemeral=True)
    return Reply(cards=(changes_card("Lineup changes" + (f" · {series}" if series else ""),
                                     found),))


def _glued(index: NameIndex, words: list[str]) -> list[str] | None:
    """Known drivers whose names, one after another, make up `words` ("Pipo Derani Jack
    Aitken"), or None when the words cannot be read so."""
    for cut in range(len(words) - 1, 0, -1):
        head = index.match(" ".join(words[:cut]))
        if head.name:
            tail = index.match(" ".join(words[cut:]))
            rest = [tail.name] if tail.name else _glued(index, words[cut:])
            if rest:
                return [head.name, *rest]
    return None


async def _lineup_drivers(ctx: Context, text: str) -> tuple[list[str], list[str], list[str]]:
    """The drivers a moderator listed, each resolved against the known drivers: (the names
    to store, the readings worth saying "derani -> Pipo Derani", the names not known)."""
    parts = [part.strip() for part in re.split(r",|;|\band\b|&", text) if part.strip()]
    if not parts:
        raise UsageError("Name the drivers, separated by commas.")
    index = await ctx.drivers.index()
    example = "/lineup-set 31 IMSA 2024 Pipo Derani, Jack Aitken"
    if len(parts) == 1 and index.match(parts[0]).name is None:
        words = parts[0].split()
        glued = _glued(index, words) if len(words) > 1 else None
        if glued:
            raise UsageError(f"Is that {plural(len(glued), 'driver')} ({', '.join(glued)})? "
                             f"Separate the drivers with commas, e.g. {example}.")
        if len(words) > 3:
            raise UsageError(f"{parts[0]!r} looks like several names: separate the drivers "
                             f"with commas, e.g. {example}.")
    drivers, readings, unknown = [], [], []
    for part in parts:
        found = index.match(part)
        if found.name:
            drivers.append(found.name)
            if name_key(found.name) != name_key(part):
                readings.append(f"{part} → {found.name}")
        elif found.candidates:
            raise UsageError(f"Which driver is {part!r}? Did you mean "
                             f"{or_list(found.candidates)}? Nothing was changed.")
        else:
            drivers.append(part)
            unknown.append(part)
    return list(dict.fromkeys(drivers)), readings, unknown


async def lineup_set(ctx: Context, call: CommandCall) -> Reply:
    car = car_key(call.text("car"))
    series = ctx.required_series(call.text("series"))
    season = call.number("season") or 0
    drivers, readings, unknown = await _lineup_drivers(ctx, call.text("drivers") or "")
    seats = await ctx.store.set_lineup(car, series, season, drivers, moderator=_moderator(call))
    ctx.drivers.learn(drivers)
    notes = []
    if readings:
        notes.append(f"Read {'; '.join(readings)}.")
    if unknown:
        notes.append(f"New to me (check the spelling): {', '.join(unknown)}.")
    return Reply(text=f"Lineup of #{car} ({series} {season}) set by {_moderator(call)}: "
                      f"{', '.join(s.driver for s in seats)}. Articles will not change it."
                      + "".join(f"\n{note}" for note in notes),
                 ephemeral=True)


async def lineup_remove(ctx: Context, call: CommandCall) -> Reply:
    car = car_key(call.text("car"))
    series = ctx.required_series(call.text("series"))
    season = call.number("season") or 0
    driver = call.text("driver") or ""
    found = (await ctx.drivers.index()).match(driver)  # "blomqvist" is Tom Blomqvist
    if found.candidates:
        raise UsageError(f"Which driver is {driver!r}? Did you mean {or_list(found.candidates)}?"
                         " Nothing was changed.")
    driver = found.name or driver
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
    seats, stories = await ctx.store.driver_profile(resolved, stories=5)
    if not seats and not stories:
        return Reply(text=f"No seats or moves known for {resolved} yet.", ephemeral=True)
    return Reply(cards=(driver_card(resolved, seats, stories),))


async def news(ctx: Context, call: CommandCall) -> Reply:
    stories = await ctx.store.recent_stories(call.number("count") or 5)
    if not stories:
        return Reply(text="No driver moves seen yet.", ephemeral=True)
    return Reply(text=f"Latest {plural(len(stories), 'driver move')}",
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
