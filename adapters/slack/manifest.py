"""The Slack app manifest: paste it at api.slack.com/apps ("From an app manifest") and the
app has every command, scope and setting Pitboard needs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.commands.specs import SPECS, CommandSpec

UMBRELLA = "pitboard"
EVENTS_PATH = "/slack/events"
OAUTH_REDIRECT_PATH = "/slack/oauth_redirect"

# commands: the slash commands. chat:write: post alerts and answers. chat:write.public: post
# in a public alerts channel without being invited first (the commonest set-up stumble).
# im:write: open DMs for fans who follow by DM and for moderator notices. users:read: tell
# admins and owners apart for moderator commands. channels:history, groups:history,
# im:history: before resending an alert whose first answer was lost, find the first post.
BOT_SCOPES: tuple[str, ...] = ("commands", "chat:write", "chat:write.public", "im:write",
                               "users:read", "channels:history", "groups:history",
                               "im:history")
# Keep the installation store honest when a workspace removes the app (no scopes needed).
BOT_EVENTS: tuple[str, ...] = ("app_uninstalled", "tokens_revoked")

_LONG_DESCRIPTION = (
    "Pitboard reads motorsport news feeds and picks out driver moves: who joins which team, "
    "in which car, series and season, and whether it is confirmed or still a rumour. It "
    "posts a short alert to your alerts channel, or to fans who follow a team, driver, car "
    "or series, and answers questions such as /lineup 31 or /driver blomqvist from the "
    "lineups those moves build up. Moderators choose the feeds with /feed add."
)


@dataclass(frozen=True, slots=True, kw_only=True)
class SlashCommand:
    command: str  # "/lineup"
    description: str
    usage_hint: str
    specs: tuple[CommandSpec, ...]


def _hint(spec: CommandSpec) -> str:
    """What follows the slash command: "<car> [series] [season]", "add <url> [series]"."""
    return spec.usage.split(" ", 1)[1] if " " in spec.usage else ""


def slash_commands(prefix: str = "") -> list[SlashCommand]:
    """Every spec as a Slack slash command (groups such as /feed take their action as the
    first word), then the /pitboard umbrella. `prefix` ("pb-") renames them all where a
    workspace already has a /news or /help of its own."""
    check_prefix(prefix)
    groups: dict[str, list[CommandSpec]] = {}
    for spec in SPECS:
        groups.setdefault(spec.group, []).append(spec)
    commands = []
    for group, specs in groups.items():
        if len(specs) == 1:
            spec = specs[0]
            description = spec.description
            hint = _hint(spec)
        else:
            moderators = " (moderators)" if all(s.moderator_only for s in specs) else ""
            description = f"News feeds: {', '.join(s.sub or '' for s in specs)}{moderators}" \
                if group == "feed" else f"{', '.join(s.sub or '' for s in specs)}{moderators}"
            hint = " | ".join(_hint(s) for s in specs)
        commands.append(SlashCommand(command=f"/{prefix}{group}", description=description,
                                     usage_hint=hint, specs=tuple(specs)))
    commands.append(SlashCommand(
        command=f"/{prefix}{UMBRELLA}",
        description="Every Pitboard command in one: /pitboard lineup 31, /pitboard help",
        usage_hint="<command> [options], e.g. lineup 31 IMSA 2024",
        specs=SPECS,
    ))
    return commands


# Slack's rule for command names: lower case, no spaces, at most 32 characters with the slash.
_PREFIX = re.compile(r"[a-z0-9][a-z0-9_-]*")
MAX_COMMAND = 32


def check_prefix(prefix: str) -> None:
    """Refuse a prefix Slack would refuse in the manifest, saying what would do."""
    if not prefix:
        return
    longest = max([len(UMBRELLA)] + [len(spec.group) for spec in SPECS])
    if not _PREFIX.fullmatch(prefix):
        raise ValueError(f"--prefix {prefix!r} cannot start a Slack command: use lower-case "
                         "letters, digits, - and _ only, e.g. pb-")
    if 1 + len(prefix) + longest > MAX_COMMAND:
        raise ValueError(f"--prefix {prefix!r} is too long: Slack commands have at most "
                         f"{MAX_COMMAND} characters, so keep it to {MAX_COMMAND - 1 - longest}")


def _base_url(request_url: str) -> str:
    base = request_url.rstrip("/")
    for suffix in (EVENTS_PATH, OAUTH_REDIRECT_PATH):
        base = base.removesuffix(suffix)
    return base


def manifest(*, name: str = "Pitboard", socket_mode: bool, request_url: str | None = None,
             command_prefix: str = "") -> dict[str, Any]:
    """A complete app manifest.

    Socket Mode needs no public URL. HTTP mode needs `request_url`: the public base URL of
    `pitboard web` (https://pitboard.example.com) or its events URL; commands, events and
    interactivity then go to <base>/slack/events and OAuth returns to
    <base>/slack/oauth_redirect."""
    if not socket_mode and not request_url:
        raise ValueError("HTTP mode needs the public request URL of `pitboard web`")
    events_url = None if socket_mode or not request_url else _base_url(request_url) + EVENTS_PATH
    commands = []
    for command in slash_commands(command_prefix):
        entry: dict[str, Any] = {
            "command": command.command,
            "description": command.description[:2000],
            # Channel and user references then arrive as <#C123|name> ids, not bare names.
            "should_escape": False,
        }
        if command.usage_hint:
            entry["usage_hint"] = command.usage_hint[:1000]
        if events_url:
            entry["url"] = events_url
        commands.append(entry)
    oauth_config: dict[str, Any] = {"scopes": {"bot": list(BOT_SCOPES)}}
    if request_url and not socket_mode:
        oauth_config["redirect_urls"] = [_base_url(request_url) + OAUTH_REDIRECT_PATH]
    event_subscriptions: dict[str, Any] = {"bot_events": list(BOT_EVENTS)}
    interactivity: dict[str, Any] = {"is_enabled": True}
    if events_url:
        event_subscriptions["request_url"] = events_url
        interactivity["request_url"] = events_url
    return {
        "_metadata": {"major_version": 1, "minor_version": 1},
        "display_information": {
            "name": name,
            "description": "Driver moves, lineups and alerts from racing news feeds",
            "long_description": _LONG_DESCRIPTION,
            "background_color": "#1d2b3a",
        },
        "features": {
            "bot_user": {"display_name": name, "always_online": True},
            "slash_commands": commands,
        },
        "oauth_config": oauth_config,
        "settings": {
            "event_subscriptions": event_subscriptions,
            "interactivity": interactivity,
            "org_deploy_enabled": False,
            "socket_mode_enabled": socket_mode,
            "token_rotation_enabled": False,
        },
    }
