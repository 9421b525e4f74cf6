"""Forgiving name lookup for fans' typing: accents, case, surname only, small typos."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.keys import name_key

# Below this WRatio score a candidate is noise, not a typo.
_MIN_SCORE = 80.0
# A winner this far ahead of the runner-up is taken without asking.
_CLEAR_LEAD = 8.0


@dataclass(frozen=True, slots=True)
class NameMatch:
    name: str | None  # the one name meant, when it is clear
    candidates: tuple[str, ...] = ()  # otherwise, what the user may have meant


def match_name(query: str, names: Iterable[str], *, limit: int = 5) -> NameMatch:
    by_key: dict[str, str] = {}
    for name in names:
        by_key.setdefault(name_key(name), name)
    wanted = name_key(query)
    if not wanted or not by_key:
        return NameMatch(None)
    if wanted in by_key:
        return NameMatch(by_key[wanted])
    # "blomqvist" or "de vries": a surname (or its tail) names a driver when only one fits.
    tails = [name for key, name in by_key.items() if key.endswith(" " + wanted)]
    if len(tails) == 1:
        return NameMatch(tails[0])
    if len(tails) > 1:
        return NameMatch(None, tuple(sorted(tails))[:limit])
    scored = sorted(((_typo_score(wanted, key), key) for key in by_key), reverse=True)[:limit]
    good = [(by_key[key], score) for score, key in scored if score >= _MIN_SCORE]
    if not good:
        return NameMatch(None)
    if len(good) == 1 or good[0][1] - good[1][1] >= _CLEAR_LEAD:
        return NameMatch(good[0][0])
    return NameMatch(None, tuple(name for name, _ in good))


# Team names share words ("Racing", "Motorsport"), so only a whole-name likeness counts as a
# typo of one: "Hass" is Haas, "Qwertzuiop Racing" is nobody.
_TEAM_MIN_SCORE = 74.0


def match_typo(query: str, names: Iterable[str], *, limit: int = 5) -> NameMatch:
    """The exact name, or the one name `query` is a typo of, or the close candidates."""
    by_key: dict[str, str] = {}
    for name in names:
        by_key.setdefault(name_key(name), name)
    wanted = name_key(query)
    if not wanted or not by_key:
        return NameMatch(None)
    if wanted in by_key:
        return NameMatch(by_key[wanted])
    scored = process.extract(wanted, list(by_key), scorer=fuzz.ratio, limit=limit,
                             score_cutoff=_TEAM_MIN_SCORE)
    good = [(by_key[key], score) for key, score, _ in scored]
    if not good:
        return NameMatch(None)
    if len(good) == 1 or good[0][1] - good[1][1] >= _CLEAR_LEAD:
        return NameMatch(good[0][0])
    return NameMatch(None, tuple(name for name, _ in good))


def _typo_score(wanted: str, key: str) -> float:
    """A typo in the full name or in the surname alone ("blomqvst")."""
    words = len(wanted.split())
    tail = " ".join(key.split()[-words:])
    return max(fuzz.WRatio(wanted, key), fuzz.ratio(wanted, tail))


def prefix_suggestions(prefix: str, names: Iterable[str], *, limit: int = 25) -> list[str]:
    """Autocomplete: names that start with (or have a word starting with) the prefix first,
    then fuzzy matches."""
    unique = sorted(set(names), key=str.casefold)
    wanted = name_key(prefix)
    if not wanted:
        return unique[:limit]
    # Runs on every keystroke: fold each name once and test membership in sets.
    keyed = [(name, name_key(name)) for name in unique]
    starts = [name for name, key in keyed if key.startswith(wanted)]
    taken = set(starts)
    words = [name for name, key in keyed if name not in taken
             and any(w.startswith(wanted) for w in key.split())]
    picked = starts + words
    if len(picked) < limit:
        taken.update(words)
        rest = [(name, key) for name, key in keyed if name not in taken]
        fuzzy = process.extract(wanted, [key for _, key in rest], scorer=fuzz.WRatio,
                                limit=limit - len(picked))
        picked += [rest[index][0] for _, score, index in fuzzy if score >= 60]
    return picked[:limit]
