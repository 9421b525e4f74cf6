"""The gazetteer: series, teams (with aliases, sponsors, manufacturers, car numbers) and drivers,
loaded from TOML files. Later directories are merged on top of earlier ones, so a deployment
can add names or correct facts without touching the packaged data."""

from __future__ import annotations

import logging
import re
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pycountry

from bot.models import name_key
from bot.rules.text import fold, is_english_word

log = logging.getLogger(__name__)

# ("Illes Balears [Islas Baleares]": two names of one place)
_BRACKETS = re.compile(r"\s*\[|\]")
_PLACE_PARTICLES = frozenset({"of", "and", "the", "de", "del", "da", "do", "dos", "das", "la",
                              "le", "el"})


@cache
def iso_country_names() -> tuple[str, ...]:
    """Every name ISO 3166 gives a country: its name, common name and official name."""
    return tuple(name for country in pycountry.countries
                 for attribute in ("name", "common_name", "official_name")
                 if (name := getattr(country, attribute, None)))


@cache  # (ISO data does not change while the bot runs; a gazetteer reload need not reread it)
def iso_place_names() -> frozenset[str]:
    """Countries and their regions as ISO 3166 names them ("Northern Ireland", "New South
    Wales", "Costa Rica"): places, never a new driver ("the 25-year-old from Northern
    Ireland"). Only names of several capitalised words: one word ("Jordan", "Georgia") is as
    often a person's name."""
    names: set[str] = set()
    for text in (*iso_country_names(), *(region.name for region in pycountry.subdivisions)):
        for part in _BRACKETS.split(text):
            words = part.strip(" ,").split()
            if len(words) > 1 and all(word[:1].isupper() or word in _PLACE_PARTICLES
                                      for word in words):
                names.add(" ".join(words))
    return frozenset(names)


@dataclass(slots=True)
class SeriesInfo:
    name: str
    aliases: list[str] = field(default_factory=list)
    vehicle: str = "car"


@dataclass(slots=True)
class TeamInfo:
    name: str
    series: str
    aliases: list[str] = field(default_factory=list)
    sponsors: list[str] = field(default_factory=list)
    manufacturers: list[str] = field(default_factory=list)
    cars: list[str] = field(default_factory=list)
    colour: int | None = None
    bases: list[str] = field(default_factory=list)  # "the Woking team"
    nicknames: list[str] = field(default_factory=list)  # "the Silver Arrows"
    successor: str | None = None  # the name it raced under next ("Toro Rosso" -> "AlphaTauri")


@dataclass(slots=True)
class DriverInfo:
    name: str
    aliases: list[str] = field(default_factory=list)
    series: list[str] = field(default_factory=list)
    nationality: str | None = None  # ISO 3166-1 alpha-2: "the Spaniard" is the one from ES


@dataclass(frozen=True, slots=True)
class TeamCandidate:
    """One team a written name may stand for, and how the name relates to it."""

    team: str
    series: str
    how: str  # "name", "alias", "sponsor" or "manufacturer"


# A written name standing for a team (how="name"/"alias") outranks a sponsor or maker's name.
HOW_RANK = {"name": 0, "alias": 1, "sponsor": 2, "manufacturer": 3}


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(v) for v in value if isinstance(v, str | int) and str(v).strip()]
    return []


def _colour(value: object) -> int | None:
    if isinstance(value, str) and value.startswith("#") and len(value) == 7:
        try:
            return int(value[1:], 16)
        except ValueError:
            return None
    return None


def toml_files(directories: Iterable[Path]) -> Iterator[Path]:
    for directory in directories:
        if directory.is_dir():
            yield from sorted(directory.rglob("*.toml"))


def _merge(old: list[str], new: list[str]) -> list[str]:
    seen = {name_key(x) for x in old}
    return old + [x for x in new if name_key(x) not in seen]


class Gazetteer:
    """Names the engine recognises, and the look-ups the rest of the bot needs."""

    def __init__(self) -> None:
        self.series: dict[str, SeriesInfo] = {}
        self.teams: dict[tuple[str, str], TeamInfo] = {}  # (series, name) -> team
        self.drivers: dict[str, DriverInfo] = {}
        # People news names who never drive (team principals, owners, engineers...) and places
        # (circuits, towns): both read as names so that neither is taken for a new driver.
        self.staff: dict[str, list[str]] = {}
        self.places: dict[str, list[str]] = {}
        self.errors: list[str] = []
        self._series_by_key: dict[str, str] = {}
        self._series_asked: dict[str, str | None] = {}
        self._teams_by_key: dict[str, list[TeamCandidate]] = {}
        self._drivers_by_key: dict[str, list[str]] = {}
        self._drivers_by_surname: dict[str, list[str]] = {}
        self._team_words: dict[str, frozenset[str]] = {}
        self._teams_by_car: dict[tuple[str, str], list[tuple[TeamInfo, frozenset[str]]]] = {}
        self._lineages: dict[str, frozenset[str]] = {}
        self._teams_by_name: dict[str, TeamInfo] = {}
        # Keys every spelling of which is a short all-capitals acronym (ART, RB, MSR, WRT):
        # prose must write them in capitals too, or "art" and "var" would become teams.
        self.acronym_keys: frozenset[str] = frozenset()

    # ----- loading ---------------------------------------------------------------------------

    @classmethod
    def load(cls, directories: Iterable[Path]) -> Gazetteer:
        gazetteer = cls()
        for path in toml_files(directories):
            try:
                with path.open("rb") as fh:
                    data = tomllib.load(fh)
            except (OSError, tomllib.TOMLDecodeError) as exc:
                # A deployment's typo must not take the bot down: skip the file, say why.
                gazetteer.errors.append(f"{path}: {exc}")
                log.warning("gazetteer file %s skipped: %s", path, exc)
                continue
            gazetteer.add(data, origin=str(path))
        for place in iso_place_names():
            gazetteer.places.setdefault(place, [])
        gazetteer.index()
        return gazetteer

    def add(self, data: dict[str, object], *, origin: str = "<data>") -> None:
        for entry in data.get("series", []) if isinstance(data.get("series"), list) else []:
            if not isinstance(entry, dict) or not entry.get("name"):
                self.errors.append(f"{origin}: a [[series]] without a name")
                continue
            name = str(entry["name"])
            info = self.series.setdefault(name, SeriesInfo(name=name))
            info.aliases = _merge(info.aliases, _strings(entry.get("aliases")))
            if entry.get("vehicle") in ("car", "bike"):
                info.vehicle = str(entry["vehicle"])
        file_series = data.get("series") if isinstance(data.get("series"), str) else None
        for entry in data.get("team", []) if isinstance(data.get("team"), list) else []:
            series = entry.get("series", file_series) if isinstance(entry, dict) else None
            if not isinstance(entry, dict) or not entry.get("name") or not series:
                self.errors.append(f"{origin}: a [[team]] without a name or series")
                continue
            key = (str(series), str(entry["name"]))
            team = self.teams.setdefault(key, TeamInfo(name=key[1], series=key[0]))
            team.aliases = _merge(team.aliases, _strings(entry.get("aliases")))
            team.bases = _merge(team.bases, _strings(entry.get("bases")))
            team.nicknames = _merge(team.nicknames, _strings(entry.get("nicknames")))
            team.sponsors = _merge(team.sponsors, _strings(entry.get("sponsors")))
            team.manufacturers = _merge(team.manufacturers, _strings(entry.get("manufacturers")))
            team.cars = _merge(team.cars, [c.lstrip("#") for c in _strings(entry.get("cars"))])
            team.colour = _colour(entry.get("colour")) or team.colour
            successor = entry.get("successor")
            if isinstance(successor, str):
                team.successor = successor
            elif successor is not None:
                self.errors.append(f"{origin}: team {key[1]!r}: successor must be a team's name")
        for kind, target in (("staff", self.staff), ("place", self.places)):
            for entry in data.get(kind, []) if isinstance(data.get(kind), list) else []:
                if not isinstance(entry, dict) or not entry.get("name"):
                    self.errors.append(f"{origin}: a [[{kind}]] without a name")
                    continue
                name = str(entry["name"])
                target[name] = _merge(target.get(name, []), _strings(entry.get("aliases")))
        for entry in data.get("driver", []) if isinstance(data.get("driver"), list) else []:
            if not isinstance(entry, dict) or not entry.get("name"):
                self.errors.append(f"{origin}: a [[driver]] without a name")
                continue
            name = str(entry["name"])
            driver = self.drivers.setdefault(name, DriverInfo(name=name))
            driver.aliases = _merge(driver.aliases, _strings(entry.get("aliases")))
            driver.series = _merge(driver.series, _strings(entry.get("series")))
            if isinstance(entry.get("nationality"), str):
                driver.nationality = str(entry["nationality"]).upper()

    def index(self) -> None:
        lines: dict[str, set[str]] = {}
        for info in self.teams.values():
            if info.successor:
                # (one set per lineage, shared by every name in it)
                merged = lines.get(info.name, {info.name}) | lines.get(
                    info.successor, {info.successor})
                for name in merged:
                    lines[name] = merged
        self._lineages = {name: frozenset(names) for name, names in lines.items()}
        self._teams_by_name = {}
        for info in self.teams.values():  # (the first entry of a name, as a scan would find)
            self._teams_by_name.setdefault(info.name, info)
        self._series_by_key = {}
        self._series_asked = {}
        for info in self.series.values():
            for text in (info.name, *info.aliases):
                self._series_by_key.setdefault(name_key(text), info.name)
        self._teams_by_key = {}
        places = {name_key(text) for name, aliases in self.places.items()
                  for text in (name, *aliases)}
        for team in self.teams.values():
            # A team's base names it in prose as its aliases do ("the Woking team"), unless
            # the base is also a circuit ("will race at Silverstone").
            bases = [b for b in team.bases if name_key(b) not in places]
            for how, names in (("name", [team.name]),
                               ("alias", [*team.aliases, *bases, *team.nicknames]),
                               ("sponsor", team.sponsors), ("manufacturer", team.manufacturers)):
                for text in names:
                    bucket = self._teams_by_key.setdefault(name_key(text), [])
                    if not any(c.team == team.name and c.series == team.series for c in bucket):
                        bucket.append(TeamCandidate(team.name, team.series, how))
        for bucket in self._teams_by_key.values():
            bucket.sort(key=lambda c: HOW_RANK[c.how])
        spellings: dict[str, list[str]] = {}
        for info in self.series.values():
            for text in (info.name, *info.aliases):
                spellings.setdefault(name_key(text), []).append(text)
        for team in self.teams.values():
            for text in (team.name, *team.aliases, *team.sponsors, *team.manufacturers):
                spellings.setdefault(name_key(text), []).append(text)
        for driver in self.drivers.values():
            for text in (driver.name, *driver.aliases):
                spellings.setdefault(name_key(text), []).append(text)
        self.acronym_keys = frozenset(
            key for key, texts in spellings.items()
            if len(key) <= 5 and all(_is_acronym(t) for t in texts))
        self._teams_by_car = {}
        for team in self.teams.values():
            words = frozenset(fold(" ".join(
                (team.name, *team.aliases, *team.sponsors, *team.manufacturers))).split())
            for car in team.cars:
                self._teams_by_car.setdefault((team.series, car), []).append((team, words))
        words_by_series: dict[str, set[str]] = {}
        for key, candidates in self._teams_by_key.items():
            for candidate in candidates:
                if candidate.how in ("name", "alias"):
                    words_by_series.setdefault(candidate.series, set()).update(
                        word for word in key.split() if len(word) >= 4)
        self._team_words = {series: frozenset(words) for series, words in words_by_series.items()}
        self._drivers_by_key = {}
        self._drivers_by_surname = {}
        for driver in self.drivers.values():
            for text in (driver.name, *driver.aliases):
                by_name = self._drivers_by_key.setdefault(name_key(text), [])
                if driver.name not in by_name:
                    by_name.append(driver.name)
                name_words = fold_key(text).split()
                if len(name_words) >= 2:
                    surnames = {_surname(name_words)}
                    # "Hunter-Reay" alone is Ryan Hunter-Reay: a hyphened surname is one name
                    last = text.split()[-1]
                    if "-" in last.strip("-"):
                        surnames.add(fold_key(last))
                    for surname in surnames:
                        by_surname = self._drivers_by_surname.setdefault(surname, [])
                        if driver.name not in by_surname:
                            by_surname.append(driver.name)


    def short_team_names(self, not_names: frozenset[str]) -> dict[str, tuple[TeamCandidate, ...]]:
        """"D'station" for D'station Racing, "Kondo" for Kondo Racing: a team's name without
        its trailing generic word, where that is no English word, none of `not_names` ("American
        Racing" is not "American") and names nothing else; keyed as surface_forms keys them."""
        taken = set(self._teams_by_key) | set(self._drivers_by_key) | set(
            self._drivers_by_surname) | set(self._series_by_key) | {
            name_key(text) for name, aliases in (*self.staff.items(), *self.places.items())
            for text in (name, *aliases)}
        first_names = self.first_names()
        shorts: dict[str, list[TeamCandidate]] = {}
        for team in self.teams.values():
            words = team.name.split()
            while len(words) > 1 and fold(words[-1]).casefold() in _GENERIC_SUFFIXES:
                words = words[:-1]
            if len(words) == len(team.name.split()):
                continue
            key = name_key(" ".join(words))
            if len(key) < 4 or key in taken or key.split()[-1] in _FUNCTION_WORDS or all(
                    is_english_word(w) or w in not_names or w in _FUNCTION_WORDS
                    for w in key.split()) or (" " not in key and key in first_names):
                continue  # ("Heart of", "Riley" of Riley Motorsports: a first name too)
            bucket = shorts.setdefault(key, [])
            if not any(c.team == team.name and c.series == team.series for c in bucket):
                bucket.append(TeamCandidate(team.name, team.series, "alias"))
        return {fold_key(key): tuple(bucket) for key, bucket in shorts.items()}

    # ----- what the engine's automaton is built from ----------------------------------------

    def surface_forms(self) -> Iterator[tuple[str, str, object]]:
        """(folded text, kind, payload) for every name the engine should spot in prose."""
        # The automaton reads folded text (fold: "ø" is "o", "ı" is "i"), which name_key
        # leaves as they are: the keys are folded the same way here.
        for key, series in self._series_by_key.items():
            yield fold_key(key), "series", series
        for key, candidates in self._teams_by_key.items():
            yield fold_key(key), "team", tuple(candidates)
        # "Dreyer & Reinbold Racing", "Aruba.it Racing – Ducati": prose keeps the spaces the
        # punctuation leaves ("dreyer   reinbold racing"), which a single-spaced key misses.
        spaced = {fold(text).strip(): name_key(text) for team in self.teams.values()
                  for text in (team.name, *team.aliases)}
        for text, key in spaced.items():
            if text != fold_key(text) and key in self._teams_by_key:
                yield text, "team", tuple(self._teams_by_key[key])
        for key, names in self._drivers_by_key.items():
            yield fold_key(key), "driver", tuple(names)
        drivers = self._drivers_by_key
        for name, aliases in self.staff.items():
            for text in (name, *aliases):
                if name_key(text) not in drivers:  # a driver turned boss is still a driver
                    yield fold_key(text), "staff", name
        for name, aliases in self.places.items():
            for text in (name, *aliases):
                if name_key(text) not in drivers and name_key(text) not in self._teams_by_key:
                    yield fold_key(text), "place", name

    def teams_with_car(self, series: str, car: str) -> list[tuple[TeamInfo, frozenset[str]]]:
        """The teams that ran car `car` in `series`, each with the words of all its names."""
        return self._teams_by_car.get((series, car), [])

    def lineage(self, team: str) -> frozenset[str]:
        """Every name a team raced under, before and after ("AlphaTauri": Toro Rosso,
        AlphaTauri, RB, Racing Bulls), from the `successor` each older name gives."""
        return self._lineages.get(team, frozenset({team}))

    def team_info(self, team: str, series: str | None = None) -> TeamInfo | None:
        if series is not None and (series, team) in self.teams:
            return self.teams[(series, team)]
        return self._teams_by_name.get(team)

    def team_candidates(self, text: str) -> list[TeamCandidate]:
        return list(self._teams_by_key.get(name_key(text), ()))

    # ----- the look-ups the rest of the bot uses ------------------------------------------------

    def canonical_series(self, text: str) -> str | None:
        # Asked for every article with the few series names feeds are configured with: each
        # answer is kept (name_key normalises Unicode, which costs a few microseconds).
        if text in self._series_asked:
            return self._series_asked[text]
        key = name_key(text)
        found = self._series_by_key.get(key)
        if found is None and key.endswith(" series"):
            found = self._series_by_key.get(key.removesuffix(" series"))
        if len(self._series_asked) < 1024:
            self._series_asked[text] = found
        return found

    def canonical_team(self, text: str, series: str | None = None) -> str | None:
        candidates = self._teams_by_key.get(name_key(text), [])
        if series is not None:
            series = self.canonical_series(series) or series
            in_series = [c for c in candidates if c.series == series]
            if in_series:
                candidates = in_series
        if not candidates:
            return None
        best_rank = HOW_RANK[candidates[0].how]
        best = {c.team for c in candidates if HOW_RANK[c.how] == best_rank}
        return candidates[0].team if len(best) == 1 else None

    def driver_by_surname(self, key: str, series: str | None = None) -> str | None:
        """The one driver a headline's bare surname ("Hamilton", "de Vries") can mean: the
        only driver with that surname, or the only one of them in `series`."""
        names = self._drivers_by_surname.get(key, ())
        if len(names) > 1 and series is not None:
            names = [n for n in names if series in self.drivers[n].series]
        if len(names) != 1:
            return None
        # "leaves Gibbs for Childress": a team named after its owner, in the series the
        # article (or else the driver) races in, is the team's.
        series_of = [series] if series is not None else self.drivers[names[0]].series
        if any(key in self._team_words.get(s, ()) for s in series_of):
            return None
        return names[0]

    def canonical_driver(self, text: str) -> str | None:
        names = self._drivers_by_key.get(name_key(text), [])
        return names[0] if len(names) == 1 else None

    def team_keys(self, text: str) -> set[str]:
        keys = {name_key(text)} - {""}
        for candidate in self._teams_by_key.get(name_key(text), []):
            if candidate.how in ("name", "alias") or len(self._teams_by_key[name_key(text)]) == 1:
                info = self.teams[(candidate.series, candidate.team)]
                for name in (info.name, *info.aliases, *info.sponsors, *info.manufacturers):
                    keys.add(name_key(name))
        return keys

    def team_colour(self, team: str) -> int | None:
        info = self.team_info(team)
        if info is None:
            canonical = self.canonical_team(team)
            info = self.team_info(canonical) if canonical else None
        return info.colour if info else None

    def series_names(self) -> list[str]:
        return sorted(self.series)

    def team_names(self, series: str | None = None) -> list[str]:
        if series is not None:
            series = self.canonical_series(series) or series
        return sorted({t.name for t in self.teams.values() if series is None or t.series == series})

    def driver_names(self) -> list[str]:
        return sorted(self.drivers)

    def first_names(self) -> frozenset[str]:
        """The first words of the names of the people the gazetteer knows, drivers and staff,
        as name_key writes them ("kazuki", "toto")."""
        keys = [*self._drivers_by_key, *(name_key(name) for name in self.staff)]
        return frozenset(key.split()[0] for key in keys if " " in key)

    def vehicle(self, series: str | None) -> str:
        info = self.series.get(series or "")
        return info.vehicle if info else "car"


_SURNAME_PARTICLES = frozenset(("van", "von", "de", "der", "den", "da", "di", "du", "dos", "del",
                                "della", "la", "le", "ten", "ter", "al"))


def _surname(words: list[str]) -> str:
    """"max verstappen" -> "verstappen"; "nyck de vries" -> "de vries"; "martin truex jr" ->
    "truex"."""
    if words[-1] in ("jr", "sr", "ii", "iii", "iv") and len(words) > 2:
        words = words[:-1]
    start = len(words) - 1
    while start > 1 and words[start - 1] in _SURNAME_PARTICLES:
        start -= 1
    return " ".join(words[start:])


# The words a team's name may end with that say only what it is: "Kondo Racing" is "Kondo".
_GENERIC_SUFFIXES = frozenset(("racing", "motorsport", "motorsports", "team", "competition",
                               "autosport", "autosports", "engineering"))


_FUNCTION_WORDS = frozenset(("of", "the", "by", "and", "s", "de", "di", "da", "del", "la",
                             "le", "van", "von", "for", "at"))


def _is_acronym(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def fold_key(text: str) -> str:
    """The form a gazetteer name takes in folded text: lower case, no accents, single spaces."""
    return " ".join(fold(text).split())
