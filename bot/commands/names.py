"""Forgiving name lookup for fans' typing: accents, case, surname only, small typos."""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.keys import name_key

# Below this WRatio score a candidate is noise, not a typo.
_MIN_SCORE = 80.0
# A winner this far ahead of the runner-up is taken without asking.
_CLEAR_LEAD = 8.0
# A mistyped prefix against the same number of letters of a word: "vesrt" is "verst" (80),
# a three-letter prefix one letter off (67) is too little to go on.
_SUGGEST_MIN_SCORE = 75.0
_SUGGEST_MIN_LETTERS = 4  # fewer typed letters of a word are no typo of anything yet


@dataclass(frozen=True, slots=True)
class NameMatch:
    name: str | None  # the one name meant, when it is clear
    candidates: tuple[str, ...] = ()  # otherwise, what the user may have meant


class NameIndex:
    """Names folded and laid out once, so a look-up never re-reads or re-keys them: the
    exact keys, every word-aligned tail ("de vries", "vries") and the choice lists rapidfuzz
    scores against. `add` keeps it current as names are learned."""

    def __init__(self, names: Iterable[str] = ()) -> None:
        self._by_key: dict[str, str] = {}
        self._tails: dict[str, list[str]] = {}  # tail -> the keys ending in it
        self._word_sets: dict[str, list[str]] = {}  # words sorted: "verstappen max"
        self._keys: list[str] = []  # the prepared choice list, in the order names arrived
        # n -> every distinct n-word tail of a longer name: surnames are shared, so this
        # list is far shorter than the names, and a surname typo is scored once per surname
        self._tails_by_words: dict[int, list[str]] = {}
        self._seen: set[str] = set()  # names as given: a re-read skips them unfolded
        # autocomplete's sorted views, built on first use after a change
        self._sorted: tuple[list[str], list[str], dict[str, list[str]]] | None = None
        self.add(names)

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name_key(name) in self._by_key

    def add(self, names: Iterable[str]) -> int:
        """Take in names not known yet; returns how many were new."""
        added = 0
        for name in names:
            if name in self._seen:
                continue
            self._seen.add(name)
            key = name_key(name)
            if not key or key in self._by_key:
                continue
            self._by_key[key] = name
            self._keys.append(key)
            words = key.split()
            self._word_sets.setdefault(" ".join(sorted(words)), []).append(name)
            for start in range(1, len(words)):
                tail = " ".join(words[start:])
                if tail not in self._tails:
                    self._tails[tail] = []
                    self._tails_by_words.setdefault(len(words) - start, []).append(tail)
                self._tails[tail].append(key)
            added += 1
        if added:
            self._sorted = None
        return added

    def match(self, query: str, *, limit: int = 5) -> NameMatch:
        wanted = name_key(query)
        if not wanted or not self._keys:
            return NameMatch(None)
        exact = self._by_key.get(wanted)
        if exact is not None:
            return NameMatch(exact)
        # "blomqvist" or "de vries": a surname (or its tail) names a driver when only one fits.
        tails = [self._by_key[key] for key in self._tails.get(wanted, ())]
        if len(tails) == 1:
            return NameMatch(tails[0])
        if len(tails) > 1:
            return NameMatch(None, tuple(sorted(tails))[:limit])
        # The words in another order ("verstappen max").
        shuffled = self._word_sets.get(" ".join(sorted(wanted.split())), ())
        if len(shuffled) == 1:
            return NameMatch(shuffled[0])
        # A typo in the full name or in the surname alone ("blomqvst"): both scored by
        # rapidfuzz over the prepared lists, the better score of a name counting. Plain
        # ratio, not WRatio: its partial and token passes cost 15x on 12,000 names, and
        # the exact, surname and word-order look-ups above already cover what they add.
        best: dict[str, float] = {}
        for key, score, _ in process.extract(wanted, self._keys, scorer=fuzz.ratio,
                                             processor=None, limit=limit,
                                             score_cutoff=_MIN_SCORE):
            best[key] = score
        for tail, score, _ in process.extract(
                wanted, self._tails_by_words.get(len(wanted.split()), ()), scorer=fuzz.ratio,
                processor=None, limit=limit, score_cutoff=_MIN_SCORE):
            for key in self._tails[tail]:
                best[key] = max(score, best.get(key, 0.0))
        ranked = sorted(((score, key) for key, score in best.items()), reverse=True)[:limit]
        return _decide([(self._by_key[key], score) for score, key in ranked])

    def typo(self, query: str, *, limit: int = 5, cutoff: float | None = None) -> NameMatch:
        """The exact name, or the one name `query` is a typo of as a whole (team names
        share words, "Racing", so a tail means nothing), or the close candidates."""
        return typo_among(query, (self,), limit=limit, cutoff=cutoff)

    def exact(self, query: str) -> str | None:
        return self._by_key.get(name_key(query))

    def _views(self) -> tuple[list[str], list[str], dict[str, list[str]]]:
        """(the keys sorted, the word-aligned tails sorted, each word -> the keys with it)."""
        if self._sorted is None:
            words: dict[str, list[str]] = {}
            for key in self._keys:
                for word in set(key.split()):
                    words.setdefault(word, []).append(key)
            self._sorted = (sorted(self._keys), sorted(self._tails), words)
        return self._sorted

    def completions(self, wanted: str, limit: int) -> tuple[list[str], list[str]]:
        """(names whose key starts with the folded `wanted`, names with a later word
        starting with it): each a range of a sorted list, found by bisection."""
        keys, tails, _ = self._views()
        starts = _prefixed(keys, wanted, limit)
        later = {key for tail in _prefixed(tails, wanted, limit) for key in self._tails[tail]}
        return ([self._by_key[key] for key in starts],
                [self._by_key[key] for key in sorted(later)[:limit]])

    def mistyped(self, wanted: str, limit: int) -> list[tuple[str, float]]:
        """Names with a word whose start is like `wanted`'s last word ("vesrt" for
        "Verstappen"): scored over the distinct words, far fewer than the names."""
        *_, words = self._views()
        last = wanted.split()[-1]
        if len(last) < _SUGGEST_MIN_LETTERS:
            return []
        heads = [word[:len(last)] for word in words]
        owners = list(words.values())
        found: dict[str, float] = {}
        for _, score, at in process.extract(last, heads, scorer=fuzz.ratio, processor=None,
                                            limit=limit, score_cutoff=_SUGGEST_MIN_SCORE):
            for key in sorted(owners[at]):  # best-scored words first, enough names only
                if len(found) >= limit:
                    return list(found.items())
                found.setdefault(self._by_key[key], score)
        return list(found.items())

    def _close(self, wanted: str, limit: int, cutoff: float) -> list[tuple[str, float]]:
        """(name, score) of the whole names closest to the folded `wanted`."""
        return [(self._by_key[key], score) for key, score, _ in process.extract(
            wanted, self._keys, scorer=fuzz.ratio, processor=None, limit=limit,
            score_cutoff=cutoff)]


def _decide(good: list[tuple[str, float]]) -> NameMatch:
    """The best-scored name when it leads clearly, else the close candidates to ask about."""
    if not good:
        return NameMatch(None)
    if len(good) == 1 or good[0][1] - good[1][1] >= _CLEAR_LEAD:
        return NameMatch(good[0][0])
    return NameMatch(None, tuple(name for name, _ in good))


def match_name(query: str, names: Iterable[str], *, limit: int = 5) -> NameMatch:
    """One look-up over names given now (an index built for the occasion)."""
    return NameIndex(names).match(query, limit=limit)


# Team names share words ("Racing", "Motorsport"), so only a whole-name likeness counts as a
# typo of one: "Hass" is Haas, "Qwertzuiop Racing" is nobody.
_TEAM_MIN_SCORE = 74.0


def typo_among(query: str, indexes: Iterable[NameIndex], *, limit: int = 5,
               cutoff: float | None = None, generic: Collection[str] = ()) -> NameMatch:
    """`NameIndex.typo` over several indexes at once (the teams the gazetteer knows and
    those only articles named): an exact name in any of them wins, else the closest.
    With `generic` words ("racing", "motorsport"), a name must be alike without them
    too: "Zzyzx Motorsport" is no typo of "CLX Motorsport"."""
    indexes = tuple(indexes)
    cutoff = cutoff or _TEAM_MIN_SCORE
    wanted = name_key(query)
    if not wanted:
        return NameMatch(None)
    for index in indexes:
        exact = index._by_key.get(wanted)
        if exact is not None:
            return NameMatch(exact)
    best: dict[str, float] = {}
    for index in indexes:
        for name, score in index._close(wanted, limit, cutoff):
            best[name] = max(score, best.get(name, 0.0))

    def distinct(key: str) -> str:
        return " ".join(word for word in key.split() if word not in generic)

    own = distinct(wanted)
    if generic and own:
        best = {name: score for name, score in best.items()
                if not (theirs := distinct(name_key(name)))
                or fuzz.ratio(own, theirs) >= cutoff}
    ranked = sorted(best.items(), key=lambda pair: (-pair[1], pair[0]))[:limit]
    return _decide(ranked)


def match_typo(query: str, names: Iterable[str], *, limit: int = 5) -> NameMatch:
    """The exact name, or the one name `query` is a typo of, or the close candidates."""
    return NameIndex(names).typo(query, limit=limit)


def _prefixed(ordered: list[str], prefix: str, limit: int) -> list[str]:
    """The first `limit` entries of a sorted list that start with `prefix`."""
    found = []
    for entry in itertools.islice(ordered, bisect.bisect_left(ordered, prefix), None):
        if not entry.startswith(prefix) or len(found) >= limit:
            break
        found.append(entry)
    return found


def suggest(prefix: str, indexes: Iterable[NameIndex], *, limit: int = 25) -> list[str]:
    """Autocomplete from prepared indexes, never a read of the table and never a pass
    over every name: names whose folded form starts with the folded prefix, then names
    with a later word starting with it, then names with a word like a mistyped prefix."""
    indexes = tuple(indexes)
    wanted = name_key(prefix)
    starts: dict[str, None] = {}
    later: dict[str, None] = {}
    for index in indexes:
        first, then = index.completions(wanted, limit)
        starts.update(dict.fromkeys(first))
        later.update(dict.fromkeys(then))
    picked = sorted(starts, key=name_key)
    picked += sorted((name for name in later if name not in starts), key=name_key)
    if len(picked) < limit and wanted:
        close = sorted((pair for index in indexes for pair in index.mistyped(wanted, limit)),
                       key=lambda pair: (-pair[1], pair[0]))
        picked += [name for name in dict.fromkeys(name for name, _ in close)
                   if name not in starts and name not in later]
    return picked[:limit]


def prefix_suggestions(prefix: str, names: Iterable[str], *, limit: int = 25) -> list[str]:
    """`suggest` over names given now (an index built for the occasion)."""
    return suggest(prefix, (NameIndex(names),), limit=limit)
