"""Turning typed text ("/lineup 31 IMSA 2024") into a spec and options, for the platforms
whose commands arrive as text: the console, and Slack's slash commands."""

from __future__ import annotations

import shlex
from dataclasses import dataclass

from bot.commands.specs import (
    GROUPS,
    SPECS_BY_NAME,
    WORD_ALIASES,
    CommandSpec,
    OptionSpec,
    OptionType,
)


class UsageError(ValueError):
    """Bad input from a user: the message is shown to them as it is."""

    def __init__(self, message: str, spec: CommandSpec | None = None) -> None:
        super().__init__(message)
        self.spec = spec


@dataclass(frozen=True, slots=True)
class ParsedCommand:
    spec: CommandSpec
    options: dict[str, str]


def _split(text: str) -> list[str]:
    try:
        return shlex.split(text)
    except ValueError:  # an unbalanced quote: fall back to plain words rather than refuse
        return text.split()


def resolve_spec(command: str, words: list[str]) -> tuple[CommandSpec, list[str]]:
    """Find the spec for `/command words...`; subcommand groups take their first word."""
    name = command.lstrip("/").strip().casefold()
    if name in GROUPS:
        if not words:
            subs = sorted(s.sub for s in SPECS_BY_NAME.values() if s.group == name and s.sub)
            raise UsageError(f"/{name} needs one of: {', '.join(subs)}")
        full = f"{name} {words[0].casefold()}"
        if full not in SPECS_BY_NAME:
            subs = sorted(s.sub for s in SPECS_BY_NAME.values() if s.group == name and s.sub)
            raise UsageError(f"Unknown /{name} action {words[0]!r}. Try: {', '.join(subs)}")
        return SPECS_BY_NAME[full], words[1:]
    if words and (name, words[0].casefold()) in WORD_ALIASES:
        return SPECS_BY_NAME[WORD_ALIASES[(name, words[0].casefold())]], words[1:]
    if name not in SPECS_BY_NAME:
        raise UsageError(f"Unknown command /{name}. Type /help for the list.")
    return SPECS_BY_NAME[name], words


def validate_option(spec: CommandSpec, option: OptionSpec, value: str) -> str:
    value = value.strip()
    if option.choices:
        for choice in option.choices:
            if choice.casefold() == value.casefold():
                return choice
        raise UsageError(
            f"{option.name} must be one of {', '.join(option.choices)}. Usage: {spec.usage}",
            spec,
        )
    if option.type is OptionType.INTEGER:
        try:
            number = int(value)
        except ValueError:
            raise UsageError(f"{option.name} must be a whole number. Usage: {spec.usage}",
                             spec) from None
        low, high = option.min_value, option.max_value
        if (low is not None and number < low) or (high is not None and number > high):
            raise UsageError(f"{option.name} must be between {low} and {high}.", spec)
        return str(number)
    if option.type is OptionType.CHANNEL:
        return value.strip("<>#").split("|", 1)[0]
    if len(value) > 300:
        raise UsageError(f"{option.name} is too long (300 characters at most).", spec)
    return value


def parse_options(spec: CommandSpec, words: list[str]) -> dict[str, str]:
    """Bind positional words to options in order.

    A `rest` option ("/driver nyck de vries") takes every remaining word, except trailing
    words that are valid choices of the options after it ("/follow driver nyck de vries dm")."""
    options: dict[str, str] = {}
    by_name = {option.name: option for option in spec.options}
    remaining = []
    for word in words:  # "team:Penske" names its option, as on Discord
        name, colon, value = word.partition(":")
        if colon and name.casefold() in by_name and value:
            options[name.casefold()] = validate_option(spec, by_name[name.casefold()], value)
        else:
            remaining.append(word)
    positional = [option for option in spec.options if option.name not in options]
    for index, option in enumerate(positional):
        if not remaining:
            break
        if option.rest:
            tail: dict[str, str] = {}
            for later in reversed(positional[index + 1:]):
                if len(remaining) > 1 and later.choices and any(
                    c.casefold() == remaining[-1].casefold() for c in later.choices
                ):
                    tail[later.name] = validate_option(spec, later, remaining.pop())
            options[option.name] = validate_option(spec, option, " ".join(remaining))
            options.update(tail)
            remaining = []
            break
        options[option.name] = validate_option(spec, option, remaining.pop(0))
    if remaining:
        raise UsageError(f"Too many words: {' '.join(remaining)!r}. Usage: {spec.usage}", spec)
    _reorder_optional(spec, options)
    missing = [o.name for o in spec.options if o.required and o.name not in options]
    if missing:
        raise UsageError(f"Missing {', '.join(missing)}. Usage: {spec.usage}", spec)
    return options


def _reorder_optional(spec: CommandSpec, options: dict[str, str]) -> None:
    """`/lineup 31 2024` means season 2024, not series "2024"."""
    names = {o.name for o in spec.options}
    if "team" in options and "car" in options and "car" in names:
        # "/lineup team:Penske IMSA 2024": with a team named, the words are series and season.
        words = [options.pop("car")] + [options.pop(k) for k in ("series", "season")
                                          if k in options]
        for word in words:
            key = "season" if word.isdigit() and len(word) == 4 else "series"
            if key in options:
                raise UsageError(f"Too many words: {word!r}. Usage: {spec.usage}", spec)
            options[key] = word
    if {"series", "season"} <= names:
        series, season = options.get("series"), options.get("season")
        if series and series.isdigit() and not season:
            season_spec = next(o for o in spec.options if o.name == "season")
            options["season"] = validate_option(spec, season_spec, options.pop("series"))


def parse_text(command: str, text: str) -> ParsedCommand:
    """`/lineup` + "31 IMSA" -> the lineup spec with car=31, series=IMSA."""
    spec, words = resolve_spec(command, _split(text))
    return ParsedCommand(spec=spec, options=parse_options(spec, words))


def parse_line(line: str) -> ParsedCommand:
    """A whole typed line: "/lineup 31" or "lineup 31"."""
    words = _split(line.strip())
    if not words:
        raise UsageError("Type a command, e.g. /lineup 31. /help lists them all.")
    spec, rest = resolve_spec(words[0], words[1:])
    return ParsedCommand(spec=spec, options=parse_options(spec, rest))
