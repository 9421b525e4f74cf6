"""The command core: finds the handler for a call, checks who may run it, parses its options
once, and turns every failure into a sentence for the user."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace

from bot.commands import admin, follows, lineups
from bot.commands import help as help_
from bot.commands.context import Context, Handler, refusal
from bot.commands.names import suggest
from bot.commands.parsing import (
    Options,
    UsageError,
    check_options,
    parse_line,
    unknown_command,
)
from bot.commands.specs import SPECS, SPECS_BY_NAME, CommandSpec, OptionType
from bot.messages import FAILED, CommandCall, Reply
from bot.models import PresetFeed
from bot.ports import FeedPrimer, FeedProbe, FeedUrlChecker, Gazetteer, Store

log = logging.getLogger(__name__)

HANDLERS: dict[str, Handler] = {**lineups.HANDLERS, **follows.HANDLERS, **admin.HANDLERS,
                                **help_.HANDLERS}
# "/alerts channel here": the channel the command was typed in.
_HERE = frozenset({"here", "this"})


def _options(spec: CommandSpec, call: CommandCall) -> Options:
    """The call's options, parsed once: as bot.commands.parsing left them, or else (a
    platform's own values) checked against the spec here."""
    options = call.options
    if not (isinstance(options, Options) and options.spec is spec):
        options = check_options(spec, options)
    here = {option.name: call.channel for option in spec.options
            if option.type is OptionType.CHANNEL and call.channel
            and str(options.get(option.name, "")).casefold() in _HERE}
    return Options(spec, {**options, **here}) if here else options


class Commands:
    """Implements bot.ports.CommandRunner."""

    def __init__(self, store: Store, *, gazetteer: Gazetteer | None = None,
                 check_feed_url: FeedUrlChecker | None = None,
                 probe_feed: FeedProbe | None = None,
                 prime_feed: FeedPrimer | None = None,
                 presets: Sequence[PresetFeed] = ()) -> None:
        self._context = Context(store, gazetteer=gazetteer, check_feed_url=check_feed_url,
                                probe_feed=probe_feed, prime_feed=prime_feed,
                                presets=presets)
        missing = {spec.name for spec in SPECS} - set(HANDLERS)
        if missing:  # a spec without a handler would be a command that silently does nothing
            raise RuntimeError(f"command specs without a handler: {sorted(missing)}")

    @property
    def gazetteer(self) -> Gazetteer:
        return self._context.gazetteer

    async def run(self, call: CommandCall) -> Reply:
        spec = SPECS_BY_NAME.get(call.name.strip().lstrip("/").casefold())
        if spec is None:
            return refusal(unknown_command(call.name.strip().lstrip("/")))
        if spec.moderator_only and not call.is_moderator:
            return refusal(f"/{spec.name} is for moderators only (Manage Server on Discord, "
                           "workspace admins on Slack).")
        try:
            call = replace(call, name=spec.name, options=_options(spec, call))
            return await HANDLERS[spec.name](self._context, call)
        except UsageError as exc:
            return refusal(str(exc))
        except Exception:  # the user gets a sentence, the log gets the traceback
            log.exception("command /%s failed", spec.name)
            return FAILED

    async def run_text(self, line: str, **call_fields: object) -> Reply:
        """A typed line, "/lineup 31 IMSA": the console and Slack's umbrella command."""
        try:
            parsed = parse_line(line)
        except UsageError as exc:
            return refusal(str(exc))
        call = CommandCall(name=parsed.spec.name, options=parsed.options, **call_fields)  # type: ignore[arg-type]
        return await self.run(call)

    async def suggest(self, kind: str, prefix: str, *, platform: str, workspace: str
                      ) -> list[str]:
        """Autocomplete, on every keystroke: from the name indexes the look-ups use (kept
        current as names are learned), never a read of the names table."""
        ctx = self._context
        if kind == "series":
            indexes = [ctx.gazetteer_series]
        elif kind == "team":
            indexes = [ctx.gazetteer_teams, await ctx.teams.index()]
        elif kind in ("driver", "target"):
            indexes = [await ctx.drivers.index()]
            if kind == "target":
                indexes += [ctx.gazetteer_teams, ctx.gazetteer_series]
        elif kind == "feed":
            feeds = await ctx.store.list_feeds(ctx.scope(platform, workspace))
            return [f"{feed.id} {feed.title or feed.url}"[:100] for feed in feeds][:25]
        else:
            return []
        return suggest(prefix, indexes)
