"""Every slash command, declared once. Each adapter registers every spec; a parity test
per adapter keeps them in step."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class OptionType(StrEnum):
    STRING = "string"
    INTEGER = "integer"
    CHANNEL = "channel"


@dataclass(frozen=True, slots=True, kw_only=True)
class OptionSpec:
    name: str
    description: str
    type: OptionType = OptionType.STRING
    required: bool = False
    choices: tuple[str, ...] = ()
    # "team", "driver", "series", "feed": adapters offer autocomplete from the database
    autocomplete: str | None = None
    # The last string option may swallow the rest of a text command ("/driver nyck de vries").
    rest: bool = False
    # Named in typed text ("team:Action Express Racing"), it takes the words after it up to
    # the next name: word, so a many-word name needs no quotes; the handler peels a series or
    # season off the end.
    takes_words: bool = False
    min_value: int | None = None
    max_value: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CommandSpec:
    name: str  # "lineup" or "group sub", e.g. "feed add"
    description: str
    options: tuple[OptionSpec, ...] = ()
    moderator_only: bool = False
    example: str = ""

    @property
    def group(self) -> str:
        return self.name.split(" ", 1)[0]

    @property
    def sub(self) -> str | None:
        parts = self.name.split(" ", 1)
        return parts[1] if len(parts) == 2 else None

    @property
    def usage(self) -> str:
        words = [f"/{self.name}"]
        for option in self.options:
            shown = "|".join(option.choices) if option.choices else option.name
            words.append(f"<{shown}>" if option.required else f"[{shown}]")
        return " ".join(words)


TARGETS = ("team", "driver", "car", "series")

_SERIES = OptionSpec(name="series", description="Series, e.g. IMSA or F1", autocomplete="series")
_SEASON = OptionSpec(name="season", description="Season year, e.g. 2024",
                     type=OptionType.INTEGER, min_value=1950, max_value=2100)
# The seat a moderator correction is about: all three are needed to name it exactly.
_SEAT = (
    OptionSpec(name="car", description="Car number", required=True),
    OptionSpec(name="series", description="Series", required=True, autocomplete="series"),
    OptionSpec(name="season", description="Season year", required=True,
               type=OptionType.INTEGER, min_value=1950, max_value=2100),
)
_FEED_ID = OptionSpec(name="feed", description="Feed number from /feed list",
                      type=OptionType.INTEGER, required=True, min_value=1, autocomplete="feed")
_TARGET = OptionSpec(name="target", description="What to follow", required=True,
                     choices=TARGETS)
_VALUE = OptionSpec(name="value", description="Team, driver, car number or series",
                    required=True, rest=True, autocomplete="target")
_VIA = OptionSpec(name="via", description="Alerts in the alerts channel (default), with a "
                  "mention there, or by DM", choices=("channel", "mention", "dm"))

SPECS: tuple[CommandSpec, ...] = (
    CommandSpec(
        name="lineup",
        description="Who drives a car (or a whole team): drivers, roles, sources",
        options=(OptionSpec(name="car", description="Car number, e.g. 31"),
                 _SERIES, _SEASON,
                 OptionSpec(name="team", description="A whole team instead of one car",
                            autocomplete="team", takes_words=True)),
        example="/lineup 31 IMSA 2024",
    ),
    CommandSpec(
        name="team",
        description="A team's drivers and its latest changes",
        options=(OptionSpec(name="name", description="Team name (aliases and sponsors work)",
                            required=True, rest=True, autocomplete="team"),),
        example="/team Penske",
    ),
    CommandSpec(
        name="changes",
        description="What changed in the lineups, newest first",
        options=(_SERIES,
                 OptionSpec(name="since", description="e.g. 7d, 24h or 2024-05-01")),
        example="/changes IMSA 7d",
    ),
    CommandSpec(
        name="driver",
        description="A driver's current seats and recent moves",
        options=(OptionSpec(name="name", description="Driver name (surname is enough)",
                            required=True, rest=True, autocomplete="driver"),),
        example="/driver blomqvist",
    ),
    CommandSpec(
        name="news",
        description="The latest driver moves",
        options=(OptionSpec(name="count", description="How many (1-10)", type=OptionType.INTEGER,
                            min_value=1, max_value=10),),
        example="/news 5",
    ),
    CommandSpec(
        name="follow",
        description="Get alerts for a team, driver, car or series",
        options=(_TARGET, _VALUE, _VIA),
        example="/follow team Cadillac",
    ),
    CommandSpec(
        name="unfollow",
        description="Stop alerts for a team, driver, car or series",
        options=(_TARGET, _VALUE),
        example="/unfollow team Cadillac",
    ),
    CommandSpec(name="following", description="What you follow", example="/following"),
    CommandSpec(
        name="help",
        description="What Pitboard can do",
        options=(OptionSpec(name="command", description="A command to explain"),),
        example="/help lineup",
    ),
    CommandSpec(
        name="feed add",
        description="Add a news feed to poll (moderators)",
        options=(OptionSpec(name="url", required=True,
                            description="Feed URL (RSS, Atom, JSON Feed), a page linking one, "
                                        "or 'preset' (see /feed presets)"),
                 _SERIES,
                 OptionSpec(name="every", description="Minutes between polls (5-1440)",
                            type=OptionType.INTEGER, min_value=5, max_value=1440)),
        moderator_only=True,
        example="/feed add https://example.com/imsa.xml IMSA 15",
    ),
    CommandSpec(name="feed list", description="The feeds this server polls (moderators)",
                moderator_only=True, example="/feed list"),
    # Moderators only, as the whole /feed group: Discord sets permissions per group.
    CommandSpec(name="feed presets",
                description="Well-known racing news feeds by series, ready to add (moderators)",
                options=(_SERIES,), moderator_only=True, example="/feed presets IMSA"),
    CommandSpec(name="feed remove", description="Stop polling a feed (moderators)",
                options=(_FEED_ID,), moderator_only=True, example="/feed remove 3"),
    CommandSpec(name="feed pause", description="Pause a feed (moderators)",
                options=(_FEED_ID,), moderator_only=True, example="/feed pause 3"),
    CommandSpec(name="feed resume", description="Resume a paused feed (moderators)",
                options=(_FEED_ID,), moderator_only=True, example="/feed resume 3"),
    CommandSpec(
        name="lineup-set",
        description="Correct a car's lineup: exactly these drivers (moderators)",
        options=(*_SEAT,
                 OptionSpec(name="drivers", description="Drivers, separated by commas",
                            required=True, rest=True)),
        moderator_only=True,
        example="/lineup-set 31 IMSA 2024 Pipo Derani, Jack Aitken, Tom Blomqvist",
    ),
    CommandSpec(
        name="lineup-remove",
        description="Take a driver out of a car's lineup (moderators)",
        options=(*_SEAT,
                 OptionSpec(name="driver", description="Driver to remove", required=True,
                            rest=True, autocomplete="driver")),
        moderator_only=True,
        example="/lineup-remove 31 IMSA 2024 Tom Blomqvist",
    ),
    CommandSpec(
        name="lineup-history",
        description="How a car's lineup answer was reached",
        options=(OptionSpec(name="car", description="Car number", required=True),
                 _SERIES, _SEASON),
        example="/lineup-history 31 IMSA",
    ),
    CommandSpec(
        name="alerts channel",
        description="Where driver-move alerts are posted (moderators)",
        options=(OptionSpec(name="channel", description="The alerts channel",
                            type=OptionType.CHANNEL, required=True),),
        moderator_only=True,
        example="/alerts channel #paddock-news",
    ),
    CommandSpec(
        name="alerts status",
        description="Alerts that could not be delivered here, and why (moderators)",
        moderator_only=True,
        example="/alerts status",
    ),
    CommandSpec(
        name="settings series",
        description="The default series for /lineup here (moderators)",
        options=(OptionSpec(name="series", description="Default series", required=True,
                            autocomplete="series"),),
        moderator_only=True,
        example="/settings series IMSA",
    ),
    CommandSpec(
        name="settings moderators",
        description="Who else may run moderator commands here (moderators)",
        options=(OptionSpec(name="users", description="Mention the users; 'none' clears",
                            required=True, rest=True),),
        moderator_only=True,
        example="/settings moderators @ann @ben",
    ),
)

SPECS_BY_NAME: dict[str, CommandSpec] = {spec.name: spec for spec in SPECS}
# "/lineup set 31 …" typed as words reaches "lineup-set": Discord cannot have /lineup be both
# a command and a group, so the corrections are top-level commands with a spaced alias.
WORD_ALIASES: dict[tuple[str, str], str] = {
    (spec.name.split("-", 1)[0], spec.name.split("-", 1)[1]): spec.name
    for spec in SPECS if "-" in spec.name and spec.name.split("-", 1)[0] in
    {other.name for other in SPECS}
}
GROUPS: frozenset[str] = frozenset(spec.group for spec in SPECS if spec.sub)
