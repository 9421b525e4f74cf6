"""Platform-neutral slash commands: one function per command, `(call) -> Reply`.

Adapters build a CommandCall (or hand raw text to `run_text`) and render the Reply."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot.alerts import story_card, workspace_scope
from bot.commands.names import match_name, prefix_suggestions
from bot.commands.parsing import UsageError, parse_line, validate_option
from bot.commands.specs import SPECS, SPECS_BY_NAME, CommandSpec
from bot.keys import car_key, name_key
from bot.messages import Card, CardField, CommandCall, Reply
from bot.models import (
    Destination,
    DestinationKind,
    LineupChange,
    Seat,
    Status,
    Subscription,
    TargetKind,
    utcnow,
)
from bot.ports import FeedUrlChecker, Gazetteer, Store

__all__ = ["SPECS", "Commands", "UsageError"]

log = logging.getLogger(__name__)

Handler = Callable[[CommandCall], Awaitable[Reply]]
DEFAULT_SERIES = "default_series"
MODERATORS = "moderators"  # user ids the platform's own admin check does not cover
OPERATOR = "operator"  # the platform name of commands run from the `pitboard` CLI


def _default_gazetteer() -> Gazetteer:
    from bot.rules import gazetteer

    return gazetteer()


def _error(text: str) -> Reply:
    return Reply(text=text, error=True, ephemeral=True)


def _by_series_and_season(seats: list[Seat]
                          ) -> list[tuple[tuple[str | None, int], list[Seat]]]:
    """Seats grouped per series and season: series A to Z, newest season first."""
    groups: dict[tuple[str | None, int], list[Seat]] = defaultdict(list)
    for seat in seats:
        groups[(seat.series, seat.season or 0)].append(seat)
    return sorted(groups.items(), key=lambda kv: (str(kv[0][0]), -kv[0][1]))


def _seats_card(title: str, seats: list[Seat], series: str | None, season: str, *,
                with_car: bool = False) -> Card:
    lines = []
    for seat in seats:
        bits = [f"#{seat.car} {seat.driver}" if with_car and seat.car else seat.driver]
        if seat.role:
            bits.append(seat.role)
        if seat.stand_in:
            bits.append(f"stand-in for {seat.replaces}" + (f" ({seat.races})" if seat.races
                                                           else ""))
        bits.append("rumour" if seat.status is Status.RUMOUR else "confirmed")
        if seat.corrected_by:
            bits.append(f"set by {seat.corrected_by}")
        elif seat.source and seat.source.name:
            bits.append(f"source: {seat.source.name}")
        lines.append(" · ".join(bits))
    sources = sorted((s for s in seats if s.source), key=lambda s: s.updated_at or
                     datetime.min.replace(tzinfo=UTC), reverse=True)
    latest = sources[0].source if sources else None
    return Card(
        title=title,
        description="\n".join(lines),
        fields=tuple(CardField(name=n, value=v) for n, v in (("Series", series),
                                                               ("Season", season)) if v),
        url=latest.url if latest else None,
        footer=f"Latest source: {latest.title}" if latest else None,
    )


def _change_line(change: LineupChange) -> str:
    where = " ".join(x for x in (change.series, str(change.season),
                                 f"#{change.car}" if change.car else None, change.team) if x)
    who = "" if change.actor in ("rules", "import") else f" by {change.actor}"
    source = f" ({change.source.name})" if change.source and change.source.name else ""
    rumour = " (rumour)" if change.status is Status.RUMOUR else ""
    return (f"{change.at.date().isoformat()} {change.action.value} {change.driver}{rumour} · "
            f"{where}{who}{source}")


def _parse_since(text: str | None) -> datetime | None:
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


class Commands:
    """The command core. Implements bot.ports.CommandRunner."""

    def __init__(self, store: Store, *, gazetteer: Gazetteer | None = None,
                 check_feed_url: FeedUrlChecker | None = None) -> None:
        self._store = store
        self._gazetteer = gazetteer
        self._check_feed_url = check_feed_url
        self._handlers: dict[str, Handler] = {
            "lineup": self.lineup,
            "team": self.team,
            "changes": self.changes,
            "lineup-set": self.lineup_set,
            "lineup-remove": self.lineup_remove,
            "lineup-history": self.lineup_history,
            "driver": self.driver,
            "news": self.news,
            "follow": self.follow,
            "unfollow": self.unfollow,
            "following": self.following,
            "help": self.help,
            "feed add": self.feed_add,
            "feed list": self.feed_list,
            "feed remove": self.feed_remove,
            "feed pause": self.feed_pause,
            "feed resume": self.feed_resume,
            "alerts channel": self.alerts_channel,
            "settings series": self.settings_series,
            "settings moderators": self.settings_moderators,
        }
        missing = {spec.name for spec in SPECS} - set(self._handlers)
        if missing:  # a spec without a handler would be a command that silently does nothing
            raise RuntimeError(f"command specs without a handler: {sorted(missing)}")

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None:
            self._gazetteer = _default_gazetteer()
        return self._gazetteer

    # ----- entry points ------------------------------------------------------------------

    async def run(self, call: CommandCall) -> Reply:
        spec = SPECS_BY_NAME.get(call.name.strip().lstrip("/").casefold())
        if spec is None:
            return _error(f"Unknown command /{call.name}. Type /help for the list.")
        if spec.moderator_only and not call.is_moderator:
            return _error(f"/{spec.name} is for moderators only (Manage Server on Discord, "
                          "workspace admins on Slack).")
        try:
            call = replace(call, name=spec.name, options=self._validated(spec, call))
            return await self._handlers[spec.name](call)
        except UsageError as exc:
            return _error(str(exc))
        except Exception:  # the user gets a sentence, the log gets the traceback
            log.exception("command /%s failed", spec.name)
            return _error("Something went wrong on our side. Please try again in a moment.")

    async def run_text(self, line: str, **call_fields: object) -> Reply:
        """A typed line, "/lineup 31 IMSA": the console and Slack's umbrella command."""
        try:
            parsed = parse_line(line)
        except UsageError as exc:
            return _error(str(exc))
        call = CommandCall(name=parsed.spec.name, options=parsed.options, **call_fields)  # type: ignore[arg-type]
        return await self.run(call)

    async def suggest(self, kind: str, prefix: str, *, platform: str, workspace: str
                      ) -> list[str]:
        if kind == "series":
            names = self.gazetteer.series_names()
        elif kind == "team":
            names = self.gazetteer.team_names() + await self._store.known_names(TargetKind.TEAM)
        elif kind in ("driver", "target"):
            names = (self.gazetteer.driver_names()
                     + await self._store.known_names(TargetKind.DRIVER))
            if kind == "target":
                names += self.gazetteer.team_names() + self.gazetteer.series_names()
        elif kind == "feed":
            feeds = await self._store.list_feeds(self._scope(platform, workspace))
            return [f"{feed.id} {feed.title or feed.url}"[:100] for feed in feeds][:25]
        else:
            return []
        return prefix_suggestions(prefix, names)

    @staticmethod
    def _validated(spec: CommandSpec, call: CommandCall) -> dict[str, str]:
        known = {option.name: option for option in spec.options}
        unknown = set(call.options) - set(known)
        if unknown:
            raise UsageError(f"Unknown option {sorted(unknown)[0]!r}. Usage: {spec.usage}", spec)
        options = {name: validate_option(spec, known[name], str(value))
                   for name, value in call.options.items() if str(value).strip()}
        missing = [o.name for o in spec.options if o.required and o.name not in options]
        if missing:
            raise UsageError(f"Missing {', '.join(missing)}. Usage: {spec.usage}", spec)
        return options

    @staticmethod
    def _scope(platform: str, workspace: str) -> str | None:
        # The operator's own feeds (the CLI) belong to no workspace: they alert everyone.
        return None if platform == OPERATOR else workspace_scope(platform, workspace)

    def _series(self, text: str | None) -> str | None:
        if not text:
            return None
        series = self.gazetteer.canonical_series(text)
        if series is None:
            known = ", ".join(self.gazetteer.series_names()[:12])
            raise UsageError(f"I don't know the series {text!r}. Try one of: {known}.")
        return series

    # ----- lineup knowledge ----------------------------------------------------------------

    async def lineup(self, call: CommandCall) -> Reply:
        if call.get("team"):
            return await self._team_reply(call.get("team") or "", call)
        car = car_key(call.get("car") or "")
        if not car:
            raise UsageError("Give a car number or a team: /lineup 31, /lineup team:Penske.")
        series = self._series(call.get("series"))
        if series is None:
            series = await self._store.get_setting(call.platform, call.workspace, DEFAULT_SERIES)
        season = int(call.get("season")) if call.get("season") else None
        seats = await self._store.lineup(car, series=series, season=season)
        if not seats:
            scope = " ".join(str(x) for x in (series, season) if x)
            where = f" in {scope}" if scope else ""
            return Reply(text=f"No lineup known yet for car #{car}{where}. Lineups fill in as "
                              "driver news arrives.", ephemeral=True)
        this_year = utcnow().year
        cards = []
        for (group_series, group_season), group in _by_series_and_season(seats):
            teams = sorted({s.team for s in group if s.team})
            upcoming = " (next season)" if group_season > this_year else ""
            cards.append(_seats_card(
                f"#{car} · {' / '.join(teams) or 'team unknown'}",
                group, group_series, f"{group_season}{upcoming}"))
        return Reply(text=f"Lineup for car #{car}", cards=tuple(cards))

    async def _team_reply(self, query: str, call: CommandCall) -> Reply:
        team = self.gazetteer.canonical_team(query)
        if team is None:
            # A manufacturer or sponsor ("Cadillac") may name several teams: the ones we hold
            # seats for decide, and more than one is a question back to the fan.
            wanted = name_key(query)
            known = await self._store.known_names(TargetKind.TEAM)
            matches = sorted(t for t in known if wanted in self.gazetteer.team_keys(t))
            if len(matches) > 1:
                return Reply(text=f"Which team? {', '.join(matches)}", ephemeral=True)
            team = matches[0] if matches else match_name(query, known).name or query
        series = self._series(call.get("series"))
        season = int(call.get("season")) if call.get("season") else None
        seats = await self._store.team_lineup(team, series=series, season=season)
        if not seats:
            return Reply(text=f"No lineup known yet for {team}.", ephemeral=True)
        cards = tuple(
            _seats_card(team, sorted(group, key=lambda s: (s.car or "", s.driver)),
                        group_series, str(group_season), with_car=True)
            for (group_series, group_season), group in _by_series_and_season(seats))
        return Reply(text=f"Lineup of {team}", cards=cards)

    async def team(self, call: CommandCall) -> Reply:
        reply = await self._team_reply(call.get("name") or "", call)
        if reply.error or not reply.cards:
            return reply
        team = reply.text.removeprefix("Lineup of ")
        recent = await self._store.changes(team=team, limit=5)
        if not recent:
            return reply
        changes_card = Card(title=f"Latest changes at {team}",
                            description="\n".join(_change_line(c) for c in recent))
        return Reply(text=reply.text, cards=(*reply.cards, changes_card))

    async def changes(self, call: CommandCall) -> Reply:
        series = self._series(call.get("series"))
        since = _parse_since(call.get("since"))
        found = await self._store.changes(series, since, limit=15)
        if not found:
            return Reply(text="No lineup changes" + (f" in {series}" if series else "")
                              + (" since then." if since else " yet."), ephemeral=True)
        title = "Lineup changes" + (f" · {series}" if series else "")
        return Reply(cards=(Card(title=title,
                                 description="\n".join(_change_line(c) for c in found)),))

    async def lineup_set(self, call: CommandCall) -> Reply:
        car = car_key(call.get("car") or "")
        series = self._series(call.get("series"))
        assert series is not None
        season = int(call.get("season") or 0)
        raw = (call.get("drivers") or "").replace(" and ", ",")
        drivers = [self.gazetteer.canonical_driver(d.strip()) or d.strip()
                   for d in raw.split(",") if d.strip()]
        if not drivers:
            raise UsageError("Name the drivers, separated by commas.")
        seats = await self._store.set_lineup(car, series, season, drivers,
                                             moderator=call.user_name or call.user)
        return Reply(text=f"Lineup of #{car} ({series} {season}) set by "
                          f"{call.user_name or call.user}: "
                          f"{', '.join(s.driver for s in seats)}. Articles will not change it.",
                     ephemeral=True)

    async def lineup_remove(self, call: CommandCall) -> Reply:
        car = car_key(call.get("car") or "")
        series = self._series(call.get("series"))
        assert series is not None
        season = int(call.get("season") or 0)
        driver = call.get("driver") or ""
        driver = self.gazetteer.canonical_driver(driver) or driver
        removed = await self._store.remove_from_lineup(car, series, season, driver,
                                                      moderator=call.user_name or call.user)
        state = "Removed" if removed else "Recorded: no open seat, but articles won't add"
        return Reply(text=f"{state} {driver} from #{car} ({series} {season}).",
                     ephemeral=True)

    async def lineup_history(self, call: CommandCall) -> Reply:
        car = car_key(call.get("car") or "")
        series = self._series(call.get("series"))
        season = int(call.get("season")) if call.get("season") else None
        history = await self._store.lineup_history(car, series=series, season=season, limit=20)
        if not history:
            return Reply(text=f"No history for car #{car} yet.", ephemeral=True)
        return Reply(cards=(Card(title=f"How the #{car} lineup was reached",
                                 description="\n".join(_change_line(c) for c in history)),))

    async def _resolve_driver(self, query: str) -> str | Reply:
        names = set(await self._store.known_names(TargetKind.DRIVER))
        names.update(self.gazetteer.driver_names())
        found = match_name(query, names)
        if found.name:
            return found.name
        if found.candidates:
            return Reply(text=f"Which driver? {', '.join(found.candidates)}", ephemeral=True)
        return Reply(text=f"I don't know a driver called {query!r} yet.", ephemeral=True)

    async def driver(self, call: CommandCall) -> Reply:
        resolved = await self._resolve_driver(call.get("name") or "")
        if isinstance(resolved, Reply):
            return resolved
        seats = await self._store.driver_seats(resolved)
        stories = await self._store.driver_stories(resolved, limit=5)
        if not seats and not stories:
            return Reply(text=f"No seats or moves known for {resolved} yet.", ephemeral=True)
        seat_lines = [
            " · ".join(str(x) for x in (s.series, s.season, s.team,
                                        f"#{s.car}" if s.car else None, s.role,
                                        "rumour" if s.status is Status.RUMOUR else None) if x)
            for s in seats
        ]
        move_lines = []
        for story in stories:
            when = story.source.published if story.source and story.source.published else \
                story.first_seen
            day = when.date().isoformat() if when else "?"
            source = f" ({story.source.name})" if story.source and story.source.name else ""
            move_lines.append(f"{day} {story.summary}{source}")
        fields = []
        if seat_lines:
            fields.append(CardField(name="Seats", value="\n".join(seat_lines), inline=False))
        if move_lines:
            fields.append(CardField(name="Recent moves", value="\n".join(move_lines),
                                    inline=False))
        return Reply(cards=(Card(title=resolved, fields=tuple(fields)),))

    async def news(self, call: CommandCall) -> Reply:
        count = int(call.get("count") or 5)
        stories = await self._store.recent_stories(count)
        if not stories:
            return Reply(text="No driver moves seen yet.", ephemeral=True)
        return Reply(text=f"Latest {len(stories)} driver moves",
                     cards=tuple(story_card(s, self.gazetteer) for s in stories))

    # ----- fans' own follows ----------------------------------------------------------------

    def _follow_value(self, target: TargetKind, value: str) -> str:
        if target is TargetKind.CAR:
            key = car_key(value)
            if not key:
                raise UsageError("Give a car number, e.g. /follow car 31.")
            return key
        if target is TargetKind.SERIES:
            series = self._series(value)
            assert series is not None
            return series
        if target is TargetKind.TEAM:
            return self.gazetteer.canonical_team(value) or value
        return self.gazetteer.canonical_driver(value) or value

    async def _follow_destination(self, call: CommandCall, via: str | None) -> Destination:
        if call.platform == "console":
            return Destination(platform=call.platform, workspace=call.workspace,
                               user=call.user, kind=DestinationKind.DM)
        if via == "mention" or via is None:
            alerts = await self._alerts_channel(call.platform, call.workspace)
            if alerts is not None:
                return Destination(platform=call.platform, workspace=call.workspace,
                                   channel=alerts.channel, user=call.user,
                                   kind=DestinationKind.MENTION)
            if via == "mention":
                raise UsageError("This server has no alerts channel yet, so there is nowhere "
                                 "to mention you. Ask a moderator for /alerts channel, or use "
                                 "via dm.")
        return Destination(platform=call.platform, workspace=call.workspace, user=call.user,
                           kind=DestinationKind.DM)

    async def _alerts_channel(self, platform: str, workspace: str) -> Destination | None:
        for sub in await self._store.subscriptions_for(platform, workspace, None):
            if sub.target is TargetKind.ALL:
                return sub.destination
        return None

    async def follow(self, call: CommandCall) -> Reply:
        target = TargetKind(call.get("target"))
        value = self._follow_value(target, call.get("value") or "")
        destination = await self._follow_destination(call, call.get("via"))
        new = await self._store.follow(Subscription(destination=destination, target=target,
                                                    value=value))
        how = {DestinationKind.DM: "by direct message",
               DestinationKind.MENTION: "with a mention in the alerts channel"}.get(
            destination.kind, "here")
        if call.platform == "console":
            how = "here"
        shown = f"#{value}" if target is TargetKind.CAR else value
        verb = "Following" if new else "Already following"
        return Reply(text=f"{verb} {target.value} {shown}: alerts reach you {how}.",
                     ephemeral=True)

    async def unfollow(self, call: CommandCall) -> Reply:
        target = TargetKind(call.get("target"))
        value = self._follow_value(target, call.get("value") or "")
        removed = 0
        for sub in await self._store.subscriptions_for(call.platform, call.workspace, call.user):
            if sub.target is target and name_key(sub.value) == name_key(value):
                removed += await self._store.unfollow(sub)
        if not removed:
            return Reply(text=f"You weren't following {target.value} {value}.", ephemeral=True)
        return Reply(text=f"Stopped following {target.value} {value}.", ephemeral=True)

    async def following(self, call: CommandCall) -> Reply:
        subs = [s for s in await self._store.subscriptions_for(call.platform, call.workspace,
                                                               call.user)
                if s.target is not TargetKind.ALL]
        if not subs:
            return Reply(text="You follow nothing yet. Try /follow team Cadillac.",
                         ephemeral=True)
        lines = sorted(f"{s.target.value}: {'#' if s.target is TargetKind.CAR else ''}{s.value}"
                       f" ({s.destination.kind.value})" for s in subs)
        return Reply(text="You follow:\n" + "\n".join(lines), ephemeral=True)

    async def help(self, call: CommandCall) -> Reply:
        wanted = call.get("command")
        if wanted:
            name = wanted.lstrip("/").casefold()
            specs = [s for s in SPECS if s.name == name or s.group == name]
            if not specs:
                raise UsageError(f"No command /{name}. Type /help for the list.")
            lines = [f"{s.usage}: {s.description}" + (f"  e.g. {s.example}" if s.example else "")
                     for s in specs]
            return Reply(text="\n".join(lines), ephemeral=True)
        shown = [s for s in SPECS if call.is_moderator or not s.moderator_only]
        lines = [f"{s.usage}: {s.description}" for s in shown]
        return Reply(text="Pitboard commands:\n" + "\n".join(lines), ephemeral=True)

    # ----- moderators ------------------------------------------------------------------------

    async def feed_add(self, call: CommandCall) -> Reply:
        url = call.get("url") or ""
        if self._check_feed_url is not None:
            try:
                url = await self._check_feed_url(url)
            except ValueError as exc:
                raise UsageError(f"Can't add that feed: {exc}") from None
        elif not url.startswith(("http://", "https://")):
            raise UsageError("A feed URL starts with http:// or https://.")
        series = self._series(call.get("series"))
        minutes = int(call.get("every") or 10)
        scope = self._scope(call.platform, call.workspace)
        if any(feed.url == url for feed in await self._store.list_feeds(scope)):
            return _error(f"{url} is already on the feed list.")
        feed = await self._store.add_feed(url, series=series, interval_seconds=minutes * 60,
                                          workspace=scope)
        return Reply(text=f"Added feed {feed.id}: {url} (every {minutes} min"
                          f"{', ' + series if series else ''}). The first poll records what is "
                          "already there; alerts start with the next new article.",
                     ephemeral=True)

    async def feed_list(self, call: CommandCall) -> Reply:
        feeds = await self._store.list_feeds(self._scope(call.platform, call.workspace))
        if not feeds:
            return Reply(text="No feeds yet. Add one with /feed add <url>.", ephemeral=True)
        lines = []
        for feed in feeds:
            state = "paused" if feed.paused else f"every {feed.interval_seconds // 60} min"
            error = f" · last error: {feed.last_error}" if feed.last_error else ""
            lines.append(f"{feed.id}. {feed.title or feed.url} ({state}"
                         f"{', ' + feed.series if feed.series else ''}){error}")
        return Reply(text="Feeds:\n" + "\n".join(lines), ephemeral=True)

    async def _feed_change(self, call: CommandCall, action: str) -> Reply:
        feed_id = int(call.get("feed") or 0)
        scope = self._scope(call.platform, call.workspace)
        if action == "remove":
            done = await self._store.remove_feed(feed_id, scope)
        else:
            done = await self._store.set_paused(feed_id, action == "pause", scope)
        if not done:
            return _error(f"No feed {feed_id} here. /feed list shows the numbers.")
        past = {"remove": "Removed", "pause": "Paused", "resume": "Resumed"}[action]
        return Reply(text=f"{past} feed {feed_id}.", ephemeral=True)

    async def feed_remove(self, call: CommandCall) -> Reply:
        return await self._feed_change(call, "remove")

    async def feed_pause(self, call: CommandCall) -> Reply:
        return await self._feed_change(call, "pause")

    async def feed_resume(self, call: CommandCall) -> Reply:
        return await self._feed_change(call, "resume")

    async def alerts_channel(self, call: CommandCall) -> Reply:
        channel = call.get("channel") or ""
        await self._store.set_alert_channel(Destination(
            platform=call.platform, workspace=call.workspace, channel=channel,
            kind=DestinationKind.CHANNEL))
        return Reply(text=f"Driver-move alerts will be posted in <#{channel}>.", ephemeral=True)

    async def settings_series(self, call: CommandCall) -> Reply:
        series = self._series(call.get("series"))
        assert series is not None
        await self._store.set_setting(call.platform, call.workspace, DEFAULT_SERIES, series)
        return Reply(text=f"/lineup now defaults to {series} here.", ephemeral=True)

    async def settings_moderators(self, call: CommandCall) -> Reply:
        users = (call.get("users") or "").strip()
        if users.casefold() == "none":
            users = ""
        await self._store.set_setting(call.platform, call.workspace, MODERATORS, users)
        if not users:
            return Reply(text="Only admins moderate Pitboard here now.", ephemeral=True)
        return Reply(text=f"These users may now moderate Pitboard here too: {users}",
                     ephemeral=True)
