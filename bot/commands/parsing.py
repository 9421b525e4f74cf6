"""Options parsed once: typed text ("/lineup 31 IMSA 2024", for the console and Slack) or a
platform's own values (Discord's) become `Options`, checked against the command's spec and
typed (int for integer options, text for the rest). The handlers read them as they are."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.commands.specs import (
    GROUPS,
    SPECS_BY_NAME,
    WORD_ALIASES,
    CommandSpec,
    OptionSpec,
    OptionType,
)
from bot.messages import OptionValue

_OPTION_NAME = re.compile(r"[a-z]+", re.IGNORECASE)


class UsageError(ValueError):
    """Bad input from a user: the message is shown to them as it is."""

    def __init__(self, message: str, spec: CommandSpec | None = None) -> None:
        super().__init__(message)
        self.spec = spec


class Options(Mapping[str, OptionValue]):
    """One command's options, parsed and checked against its spec: the core takes them as
    they are instead of parsing them again."""

    __slots__ = ("_values", "spec")

    def __init__(self, spec: CommandSpec, values: Mapping[str, OptionValue]) -> None:
        self.spec = spec
        self._values = dict(values)

    def __getitem__(self, name: str) -> OptionValue:
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"Options({self.spec.name!r}, {self._values!r})"


@dataclass(frozen=True, slots=True)
class ParsedCommand:
    spec: CommandSpec
    options: Options


# How alike a typed word must be to a command's or option's name to be offered instead.
_SUGGEST_SCORE = 70.0


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """" Did you mean /lineup?" for a mistyped name; "" when nothing is close."""
    found = process.extractOne(word.casefold(), list(choices), scorer=fuzz.WRatio,
                               score_cutoff=_SUGGEST_SCORE)
    return f" Did you mean {found[0]}?" if found else ""


def unknown_command(name: str) -> str:
    commands = sorted({f"/{spec.group}" for spec in SPECS_BY_NAME.values()} |
                      {f"/{name}" for name in SPECS_BY_NAME if " " not in name})
    return (f"Unknown command /{name}."
            f"{did_you_mean('/' + name, commands)} Type /help for the list.")


def _unknown_option(spec: CommandSpec, name: str) -> UsageError:
    names = [f"{option.name}:" for option in spec.options]
    return UsageError(f"Unknown option {name!r}.{did_you_mean(name + ':', names)} "
                      f"Usage: {spec.usage}", spec)


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
            raise UsageError(f"Unknown /{name} action {words[0]!r}."
                             f"{did_you_mean(words[0], [f'/{name} {sub}' for sub in subs])}"
                             f" Try: {', '.join(subs)}")
        return SPECS_BY_NAME[full], words[1:]
    if words and (name, words[0].casefold()) in WORD_ALIASES:
        return SPECS_BY_NAME[WORD_ALIASES[(name, words[0].casefold())]], words[1:]
    if name not in SPECS_BY_NAME:
        raise UsageError(unknown_command(name))
    return SPECS_BY_NAME[name], words


def validate_option(spec: CommandSpec, option: OptionSpec, given: OptionValue) -> OptionValue:
    """The option's value checked and typed: int for integer options, else text."""
    if option.type is OptionType.INTEGER and isinstance(given, int):
        return _in_range(spec, option, given)
    value = str(given).strip()
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
        return _in_range(spec, option, number)
    if option.type is OptionType.CHANNEL:
        return value.strip("<>#").split("|", 1)[0]
    if len(value) > 300:
        raise UsageError(f"{option.name} is too long (300 characters at most).", spec)
    return value


def _in_range(spec: CommandSpec, option: OptionSpec, number: int) -> int:
    low, high = option.min_value, option.max_value
    if (low is not None and number < low) or (high is not None and number > high):
        raise UsageError(f"{option.name} must be between {low} and {high}.", spec)
    return number


def _complete(spec: CommandSpec, options: Mapping[str, OptionValue]) -> Options:
    missing = [o.name for o in spec.options if o.required and o.name not in options]
    if missing:
        raise UsageError(f"Missing {', '.join(missing)}. Usage: {spec.usage}", spec)
    return Options(spec, options)


def check_options(spec: CommandSpec, given: Mapping[str, OptionValue]) -> Options:
    """Options a platform named itself (Discord's, the CLI's): known, valid, complete.
    Empty values count as not given."""
    known = {option.name: option for option in spec.options}
    unknown = set(given) - set(known)
    if unknown:
        raise _unknown_option(spec, sorted(unknown)[0])
    return _complete(spec, {name: validate_option(spec, known[name], value)
                            for name, value in given.items() if str(value).strip()})


def parse_options(spec: CommandSpec, words: list[str]) -> Options:
    """Bind positional words to options in order.

    A `rest` option ("/driver nyck de vries") takes every remaining word, except trailing
    words that are valid choices of the options after it ("/follow driver nyck de vries dm")."""
    options: dict[str, OptionValue] = {}
    by_name = {option.name: option for option in spec.options}
    remaining = []
    named: dict[str, list[str]] = {}
    taking: list[str] | None = None  # the words of a takes_words option named last
    for word in words:  # "team:Penske" names its option, as on Discord
        name, colon, value = word.partition(":")
        if colon and value and _OPTION_NAME.fullmatch(name) and \
                name.casefold() not in by_name and not value.startswith("//"):
            raise _unknown_option(spec, name)  # "colour:red", but not "https://..."
        if colon and name.casefold() in by_name and value:
            named[name.casefold()] = taking = [value]
            if not by_name[name.casefold()].takes_words or " " in value:
                taking = None  # a quoted value is whole already
        elif taking is not None and not (word.isdigit() and len(word) == 4):
            taking.append(word)
        else:
            taking = None  # a season ends the name; the words after it are positional
            remaining.append(word)
    for name, given in named.items():
        options[name] = validate_option(spec, by_name[name], " ".join(given))
    positional = [option for option in spec.options if option.name not in options]
    for index, option in enumerate(positional):
        if not remaining:
            break
        if option.rest:
            tail: dict[str, OptionValue] = {}
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
    return _complete(spec, options)


def _reorder_optional(spec: CommandSpec, options: dict[str, OptionValue]) -> None:
    """`/lineup 31 2024` means season 2024, not series "2024"."""
    by_name = {o.name: o for o in spec.options}
    if "team" in options and "car" in options and "car" in by_name:
        # "/lineup team:Penske IMSA 2024": with a team named, the words are series and season.
        words = [str(options.pop("car"))] + [str(options.pop(k)) for k in ("series", "season")
                                             if k in options]
        for word in words:
            key = "season" if word.isdigit() and len(word) == 4 else "series"
            if key in options:
                raise UsageError(f"Too many words: {word!r}. Usage: {spec.usage}", spec)
            options[key] = validate_option(spec, by_name[key], word)
    if "series" in by_name and "season" in by_name:
        series, season = options.get("series"), options.get("season")
        if isinstance(series, str) and series.isdigit() and not season:
            options["season"] = validate_option(spec, by_name["season"], options.pop("series"))


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
