"""Names and mentions: gazetteer names, names no list knows, and who is not a driver."""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache
from itertools import pairwise, takewhile
from operator import attrgetter

from rapidfuzz import fuzz

from bot.rules.document import (
    _LEADING_PARTICLES,
    _NAME_RUN,
    _NUMBER_WORDS,
    _SPEECH_VERBS,
    _TEAM_WORDS,
    _UPPER,
    CAR,
    PERSON,
    SERIES,
    TEAM,
    WORDS,
    EngineBase,
    Mention,
    _Doc,
    _name_keys,
    _name_words,
    _outside_asides,
    _person_between,
    _strip_possessive,
    _word_key,
)
from bot.rules.name_shapes import (
    _in_a_persons_name,
    _in_title_case,
    _names_a_competition,
    _opens_sentence,
    _owner_in_a_crew,
    _sponsor_and_make,
    _surname_again,
    _team_named_after,
)
from bot.rules.team_slots import teams_by_slot
from bot.rules.text import fold, is_english_word, verb_lemmas

# "Rowe's", "Gruppe M's": a capitalised run of up to four words, possessive.
_OWNER = re.compile(
    rf"(?<![\w'’])([{_UPPER}][\w\-]*(?:[ \t]+[{_UPPER}\d][\w\-]*){{0,3}})['’]s(?=\s)")
# The words _LEADING_PARTICLES reads; a run not preceded by one has no leading particles.
_PARTICLES = ("van", "von", "de", "der", "den", "da", "di", "du", "dos", "del", "della", "la",
              "le", "ten", "ter")
# How far after "X's" the thing X owns may be: three words of at most 60 characters, plus two.
_OWNER_REACH = 62
# "Latvala will become team principal": a known driver named to a post is staff now.
_BECOMES = ("becomes ", "will become ", "has become ", "to become ",
            "is to become ", "became ")

_VENUE_WORDS = frozenset(WORDS["venue_words"])
_DETERMINERS = [[word] for word in WORDS["determiners"]]
# A staff title before one of these is not the title of the name after it.
_CLAUSE_OPENERS = frozenset({"as", *WORDS["subordinators"]})


_FIRST_NAME_AND = re.compile(rf"\b([{_UPPER}][a-z\u00e0-\u00ff'’\-]+) (?:and|&) $")
_AND_BEFORE_NAME = ("and ", "& ", "and \n", "& \n")  # how a _FIRST_NAME_AND match can end


def _owner_may_hold(text: str, held: list[int]) -> bool:
    """Whether some "'s" has a car or a make within an owner's reach after it. The owner
    pattern has no literal to start from, so it tries every position of the text; most
    articles have no possessive that close to a car, and so need no such pass at all."""
    for mark in ("'s", "’s"):
        position = text.find(mark)
        while position != -1:
            after = position + 2
            # The reach of a match ending here is at most 62 characters past its end.
            at = bisect_left(held, after)
            if at < len(held) and held[at] <= after + _OWNER_REACH:
                return True
            position = text.find(mark, after)
    return False


# Where an owner's "'s" may end a match of _OWNER, and the characters its name run is made of.
_OWNER_MARK = re.compile(r"['’]s(?=\s)")
_OWNER_START = re.compile(rf"[{_UPPER}]")


def _run_char(char: str) -> bool:
    return char.isalnum() or char in "_-"  # what [\w\-] matches


def _owner_matches(text: str) -> list[re.Match[str]]:
    """What `_OWNER.finditer(text)` finds, without trying every position of the text.

    A match is a run of at most four words (word characters and hyphens, spaces or tabs
    between) that ends at an "'s" before a space; it holds no apostrophe, so each "'s" ends at
    most one match, and only the four words before it can start one. There the leftmost start
    that matches is the one finditer takes."""
    found = []
    for mark in _OWNER_MARK.finditer(text):
        end = mark.start()
        low = end
        for _ in range(4):
            while low > 0 and _run_char(text[low - 1]):
                low -= 1
            blank = low
            while blank > 0 and text[blank - 1] in " \t":
                blank -= 1
            if blank == low or blank == 0 or not _run_char(text[blank - 1]):
                break
            low = blank
        for start in _OWNER_START.finditer(text, low, end):
            match = _OWNER.match(text, start.start())
            if match is not None:
                found.append(match)
                break
    return found


_RACING_VERBS = frozenset(WORDS["racing_verbs"])
_DESCRIPTOR_SUFFIXES = frozenset(WORDS["descriptor_suffixes"])
_AUXILIARY_OR_ADVERB = frozenset({"will", "would", "to", "is", "also", "again", "still", "now",
                                  "then", "himself", "herself", "s"})
_HEADLINE_MOVE_VERBS = frozenset(WORDS["headline_move_verbs"])


def _move_verb_follows(following: str) -> bool:
    """The words after a headline's opening word are a move ("to race", "signs", "will
    leave"), so the word is its subject, however English it looks ("Button", "Power")."""
    for word in following.split()[:3]:
        if word in _AUXILIARY_OR_ADVERB:
            continue
        return any(lemma in _HEADLINE_MOVE_VERBS
                   for lemma in verb_lemmas(word))
    return False


def _races(following: str) -> bool:
    """The words after a name say the person races ("will race", "driving", "also shares")."""
    words = following.split()[:4]
    for at, word in enumerate(words[:3]):
        if word in _AUXILIARY_OR_ADVERB:
            continue
        # ("co-owner Renauer steps in for Bohn": a seat taken for another driver)
        return _is_racing_verb(word) or (word in ("steps", "step", "stepping") and
                                         words[at + 1:at + 2] == ["in"])
    return False


@lru_cache(maxsize=4096)
def _is_racing_verb(word: str) -> bool:
    return any(lemma in _RACING_VERBS for lemma in verb_lemmas(word))


# The bytes of the mask of masked characters. bytearray.find takes a byte value too, but then
# builds the one-byte needle on every call, which costs nearly twice as much.
_MASKED, _OPEN = b"\x01", b"\x00"
_START = attrgetter("start")


# "six GR Supras", "two Porsche 963s": what is counted is a car, never a person.
_COUNTED = [[word] for word, number in (*_NUMBER_WORDS.items(),
                                         *((str(n), n) for n in range(2, 13)))
            if 2 <= number <= 12]


class Names(EngineBase):
    def _mentions(self, text: str, folded: str, entity_hits: list[tuple[int, int, str, object]],
                  title_end: int, regions: list[tuple[int, int]],
                  cars: list[tuple[int, int, str]], series: str | None = None) -> list[Mention]:
        # Longest match wins among gazetteer names; "Ed Carpenter Racing" beats "Ed Carpenter".
        chosen: list[Mention] = []
        mask = bytearray(len(text) + 1)
        acronyms = self.gazetteer.acronym_keys
        for start, end, kind, payload in sorted(entity_hits, key=lambda h: (-(h[1] - h[0]), h[0])):
            if mask.find(_MASKED, start, end) != -1:
                continue
            if end - start <= 5 and folded[start:end] in acronyms and not text[start:end].isupper():
                continue  # "art" in prose is not ART Grand Prix
            if kind in ("team", "place") and _in_a_persons_name(text, folded, start, end,
                                                                 self.first_names):
                continue  # "Kazuki Nakajima", "Austin Hill": a person, read as a name below
            mask[start:end] = b"\x01" * (end - start)
            if kind == "series":
                chosen.append(Mention(start, end, SERIES, str(payload)))
            elif (named_after := _team_named_after(text, folded, start, end, kind, payload,
                                                   title_end)) is not None:
                mask[start:named_after] = b"\x01" * (named_after - start)
                chosen.append(Mention(start, named_after, TEAM, text[start:named_after]))
            elif kind == "team":
                if text[end:end + 1] in "-‑" and end < len(text) and folded[
                        end + 1:end + 12].split("-")[0].split(" ")[0] in _DESCRIPTOR_SUFFIXES:
                    continue  # "the Jaguar-powered team" is another team
                chosen.append(Mention(start, end, TEAM, text[start:end],
                                      candidates=payload))  # type: ignore[arg-type]
            elif kind == "staff":
                chosen.append(Mention(start, end, PERSON, str(payload), known=True,
                                      non_driver=True))
            elif kind == "place":
                pass  # masked: a circuit or a town is nobody
            elif kind == "driver" and len(payload) == 1:  # type: ignore[arg-type]
                chosen.append(Mention(start, end, PERSON, payload[0],  # type: ignore[index]
                                      known=True))
        # Names the gazetteer does not know: runs of capitalised words.
        runs: list[tuple[int, int, list[tuple[int, int]]]] = []
        # One pass over the capitalised runs serves the unknown names (in the regions asked
        # for) and the bare surnames (everywhere).
        all_runs = [m.span() for m in _NAME_RUN.finditer(text)]
        if regions == [(0, len(text))]:  # the usual case: the whole text, every run
            matches = all_runs
        elif len(regions) == 1:  # without a generator per capitalised run
            r_start, r_end = regions[0]
            matches = [m for m in all_runs if r_start <= m[0] < r_end]
        else:
            matches = [m for m in all_runs
                       if any(r_start <= m[0] < r_end for r_start, r_end in regions)]
        for run_start, run_end in matches:
            if mask.find(_OPEN, run_start, run_end) == -1:
                continue  # wholly a gazetteer name
            if self._unknown_team_around_a_make(text, folded, run_start, run_end, chosen, mask):
                continue
            if text[run_start - 1:run_start] == " " and text[
                    max(0, run_start - 24):run_start].rstrip(" \t").endswith(_PARTICLES):
                # (The pattern, anchored at its end, tries every position before the run.)
                particles = _LEADING_PARTICLES.search(text, max(0, run_start - 24), run_start)
                if particles:
                    run_start = particles.start()
            # The run's words are its non-blank tokens (only spaces and tabs are between them).
            run_words = text[run_start:run_end].split()
            if len(run_words) < 2:
                # Both readings below (a name no list knows, a team's name) take two words or
                # more: a one-word run was read to no effect. (A reading of one word would
                # have to come before this.)
                continue
            pieces: list[list[tuple[int, int]]] = [[]]
            t_end = run_start
            for word in run_words:
                t_start = text.find(word, t_end)
                t_end = t_start + len(word)
                if mask.find(_MASKED, t_start, t_end) != -1:
                    pieces.append([])
                    continue
                pieces[-1].append((t_start, t_end))
                if text.endswith(("'s", "’s", "s'", "s’"), t_start, t_end):
                    pieces.append([])
            for piece in pieces:
                if piece and _word_key(text, folded, *piece[0]) == "team":
                    # "Team Go Eleven"; ("Team MPC R8 LMS": the car's model is not the name)
                    named = list(takewhile(lambda token: not any(
                        ch.isdigit() for ch in text[token[0]:token[1]]), piece))
                    if len(named) >= 3 or (len(named) == 2 and not is_english_word(
                            second := _word_key(text, folded, *named[1])) and
                            second not in self.not_names):
                        # ("Team Hendrikse", but not "Team Principal" nor "Team Orders")
                        runs.append((named[0][0], named[-1][1], named))
                        continue
                while piece:
                    opening = _word_key(text, folded, *piece[0])
                    if len(piece) > 2 and " ".join(
                            _word_key(text, folded, *token) for token in piece[:2]
                    ) in self.rules.nationalities:
                        piece = piece[2:]  # "New Zealander Andy Higgins"
                    elif opening in self.not_names and not (
                            len(piece) == 2 and piece[0][0] == run_start and
                            opening in self.first_names and
                            folded[max(0, run_start - 8):run_start].split()[-1:]
                            not in _DETERMINERS):
                        # ("Dane Cameron", but "the Dane Cameron" and "Dane Kevin Magnussen")
                        piece = piece[1:]
                    else:
                        break
                if len(piece) >= 2:  # (one word: read to no effect below)
                    runs.append((piece[0][0], piece[-1][1], piece))
        surnames: dict[str, str] = {}
        firsts: dict[str, list[str]] = {}
        # A gazetteer driver's full name was found wherever it is written by the automaton;
        # only the shorter forms need looking for.
        found_in_full: set[str] = set()
        # In text order, so a surname two drivers share goes to the first written (and the
        # reading is the same on every run, whatever the hash seed).
        for name in dict.fromkeys(m.value for m in sorted(chosen, key=_START)
                                  if m.kind == PERSON):
            keys = _name_keys(name)
            if keys:  # _register, inlined: this loop runs for every name of every article
                for key in keys:
                    surnames.setdefault(key, name)
                firsts.setdefault(keys[0].split(" ", 1)[0], []).append(name)
                found_in_full.add(keys[0])
        unknown: list[list[tuple[int, int]]] = []
        team_shorts: dict[str, str] = {}
        for start, end, piece in runs:
            words = [_strip_possessive(text[a:b]) for a, b in piece]
            folded_words = [_word_key(text, folded, a, b) for a, b in piece]
            if folded_words[-1] in _VENUE_WORDS:
                # "Barber Motorsports Park", "Road Atlanta Raceway": a circuit no list knows
                mask[start:end] = b"\x01" * (end - start)
                continue
            if len(words) >= 2 and (folded_words[0] == "team" or any(
                    w in _TEAM_WORDS and (start >= title_end or w != "gp")
                    for w in folded_words[1:])):
                # (A headline's "at Harvest GP" is a race.)
                chosen.append(Mention(start, end, TEAM, " ".join(words)))
                mask[start:end] = b"\x01" * (end - start)
                short = folded_words[1:] if folded_words[0] == "team" else \
                    folded_words[:next(i for i, w in enumerate(folded_words)
                                       if i and w in _TEAM_WORDS)]
                if short and len(" ".join(short)) >= 4 and not any(
                        w in self.not_names or w in _TEAM_WORDS for w in short):
                    team_shorts.setdefault(" ".join(short), " ".join(words))
                continue
            # (What counts or determines a run is in its own clause: a headline ending "gets
            # RCR's No. 2" does not count the body's first name, nor "in season nine:" or "the
            # No. 2," the name after the colon or the comma.)
            near = max(0, start - 12)
            near = max(near, *(text.rfind(mark, near, start) + 1 for mark in "\n:;,"))
            if " ".join(folded_words) not in surnames and (start >= title_end or (
                    folded_words[0] in self.first_names and _surname_again(
                        text, title_end, words[-1]))) and \
                    2 <= len(words) <= 4 and not _names_a_competition(text, folded, end, start) \
                    and folded[near:start].split()[-1:] not in _COUNTED \
                    and folded[max(near, start - 8):start].split()[-1:] not in _DETERMINERS \
                    and not any(
                        (w in self.not_names and not (at == 0 and w in self.first_names))
                        or len(w) < 2 or any(ch.isdigit() for ch in w)
                        for at, w in enumerate(folded_words)) and not any(
                        "-" in w and w.replace("-", "").isupper() for w in words):
                # ("Civic Type R-GT": a model's letters, not a name)
                unknown.append(piece)
        for piece in unknown:
            name = " ".join(_strip_possessive(text[a:b]) for a, b in piece).replace("’", "'")
            if fold(name) in surnames:
                continue  # "Van der Linde" after "Sheldon van der Linde": read as a surname below
            first = _name_words(name)[0]
            # "Marcus Amstrong" in an article about Marcus Armstrong is a typo, not a new driver.
            for known in firsts.get(first, []):
                if fuzz.ratio(fold(name), fold(known)) >= 88:
                    name = known
                    break
            # (The name ends before its "'s", as a listed name does: "Wielgus's switch to".)
            name_end = piece[-1][1] - 2 * text.endswith(("'s", "’s"), *piece[-1])
            chosen.append(Mention(piece[0][0], name_end, PERSON, name,
                                  known=name in self.gazetteer.drivers))
            mask[piece[0][0]:piece[-1][1]] = b"\x01" * (piece[-1][1] - piece[0][0])
            self._register(name, surnames, firsts)
        # "Tempesta back with Cheever" beside "Tempesta Racing": a team no list knows, by the
        # words of its name before "Racing", wherever written with a capital.
        for key, team_name in team_shorts.items():
            position = folded.find(key)
            while position != -1:
                end = position + len(key)
                if (position == 0 or folded[position - 1] == " ") and (
                        end == len(folded) or folded[end] == " ") and \
                        mask.find(1, position, end) == -1 and text[position].isupper():
                    mask[position:end] = b"\x01" * (end - position)
                    chosen.append(Mention(position, end, TEAM, team_name))
                position = folded.find(key, end)
        # Later mentions by surname ("Armstrong", "Van der Zande"), anywhere in the article,
        # longest first, each a whole word run written with a capital.
        for key in sorted(surnames, key=len, reverse=True):
            if key in found_in_full:
                continue
            position = folded.find(key)
            while position != -1:
                end = position + len(key)
                if (position == 0 or folded[position - 1] == " ") and (
                        end == len(folded) or folded[end] == " ") and \
                        mask.find(_MASKED, position, end) == -1 and \
                        not text[max(position - 1, text.rfind(" ", position, end)) + 1].islower():
                    mask[position:end] = b"\x01" * (end - position)
                    if text.startswith(("'s", "’s"), end):
                        end += 2
                    chosen.append(Mention(position, end, PERSON, surnames[key], known=True))
                position = folded.find(key, end)
        title_case: bool | None = None  # worked out when first needed
        # A bare surname the article never writes in full ("Hamilton to join Ferrari"): the
        # one driver of the gazetteer it can mean, in the article's series when several share it.
        inferred: set[str] | None = None
        for start, end in all_runs:
            if (masked := mask.find(_MASKED, start, end)) != -1:
                # "Albon's Williams future": a possessive name before a known team's name
                if masked == start or not text.endswith(("'s ", "’s "), start, masked):
                    continue
                end = masked - 1
            if text.endswith(("'s", "’s"), start, end):
                end -= 2
            key = " ".join(folded[start:end].split())
            if key in self.not_names or len(key) < 3 or (len(key) == 3 and (
                    text[start:end].isupper() or is_english_word(key) or
                    key in self.gazetteer.acronym_keys)):
                continue  # ("Rea" and "Mir" are names; "Red", and "Abt" for ABT, are not)
            if is_english_word(key):
                if title_case is None:
                    title_case = _in_title_case(text[:title_end])
                if (title_case or _opens_sentence(text, start)) and not (
                        start == 0 and series is not None and
                        _move_verb_follows(folded[end:end + 30])):
                    # "Power", "Bell", "Love" open sentences as words as often as names (but
                    # "Button to race Jota Porsche" opens a headline with its subject)
                    continue
            driver = self.gazetteer.driver_by_surname(key, series)
            if driver is None and series is None:
                # No series given ("Hamilton to join Ferrari" typed in): the series of the
                # teams and championships the article names decide between namesakes.
                if inferred is None:
                    inferred = {c.series for m in chosen if m.kind == TEAM
                                for c in m.candidates} | {m.value for m in chosen
                                                          if m.kind == SERIES}
                readings = {self.gazetteer.driver_by_surname(key, s) for s in inferred} - {None}
                driver = readings.pop() if len(readings) == 1 else None
            if driver is not None:
                mask[start:end] = b"\x01" * (end - start)
                chosen.append(Mention(start, end, PERSON, driver, known=True))
        chosen.extend(teams_by_slot(text, folded, all_runs, mask, self.not_names,
                                    self.first_names, [m for m in chosen if m.kind == TEAM]))
        chosen.extend(self._car_owners(text, folded, mask, chosen, cars))
        chosen.extend(Mention(start, end, CAR, number) for start, end, number in cars)
        chosen.sort(key=_START)
        chosen = _sponsor_and_make(text, chosen)
        self._shared_surnames(text, chosen)
        return chosen

    def _shared_surnames(self, text: str, chosen: list[Mention]) -> None:
        """"father and son Juan Pablo and Sebastian Montoya", "brothers Alex and Marc
        Marquez": first names coordinated before a full name share its surname."""
        people = [m for m in chosen if m.kind == PERSON]
        for first, full in pairwise(people):
            if first.known or text[first.end:full.start].strip() not in ("and", "&"):
                continue
            surname = full.value.split()[-1]
            if len(full.value.split()) < 2 or first.value.endswith(surname):
                continue
            named = self.gazetteer.canonical_driver(f"{first.value} {surname}")
            if named is not None:
                first.value = named
                first.known = True
        # (A first name no list reads alone: "brothers Alex and Marc Marquez".)
        taken: set[tuple[int, int]] | None = None  # (built when first needed: rarely)
        for full in people:
            # The pattern ends in "and " or "& " right before the name ($ may also match
            # before a final line break): without one, no search over 30 characters.
            if not text.endswith(_AND_BEFORE_NAME, 0, full.start):
                continue
            words = full.value.split()
            match = _FIRST_NAME_AND.search(text, max(0, full.start - 30), full.start)
            if len(words) < 2 or match is None:
                continue
            named = self.gazetteer.canonical_driver(f"{match.group(1)} {words[-1]}")
            if named is None:
                continue
            if taken is None:
                taken = {(m.start, m.end) for m in chosen}
            if match.span(1) not in taken:
                chosen.append(Mention(match.start(1), match.end(1), PERSON, named, known=True))
        chosen.sort(key=_START)

    def _car_owners(self, text: str, folded: str, mask: bytearray, chosen: list[Mention],
                    cars: list[tuple[int, int, str]]) -> list[Mention]:
        """"Rowe's BMW", "Gruppe M's No. 999": whoever owns a car is its team, even a team
        no list knows. A make or a car number owned by a name makes that name a team."""
        owners: list[Mention] = []
        if "'s" not in text and "’s" not in text:
            return owners  # nobody owns anything
        held = [start for start, _, _ in cars]
        for m in chosen:  # (a maker's name is the last, worst, of a name's candidates)
            if m.kind == TEAM and m.candidates and m.candidates[-1].how == "manufacturer":
                held.append(m.start)
        held.sort()
        if not held or not _owner_may_hold(text, held):
            return owners
        for match in _owner_matches(text):
            start, end = match.span(1)
            if mask.find(_MASKED, start, end) != -1:
                continue
            key = " ".join(folded[start:end].split())
            if key in self.not_names or len(key) < 3:
                continue
            # What the owner holds follows within a few words ("Rowe's factory-backed BMW").
            after = match.end()
            reach = after + len(" ".join(text[after:after + 60].split()[:3])) + 2
            if any(after <= place <= reach for place in held):
                owners.append(Mention(start, end, TEAM, text[start:end]))
                mask[start:match.end()] = b"\x01" * (match.end() - start)
        return owners

    @staticmethod
    def _register(name: str, surnames: dict[str, str], firsts: dict[str, list[str]]) -> None:
        keys = _name_keys(name)
        if not keys:
            return
        for key in keys:
            surnames.setdefault(key, name)
        firsts.setdefault(keys[0].split(" ", 1)[0], []).append(name)

    @staticmethod
    def _unknown_team_around_a_make(text: str, folded: str, run_start: int, run_end: int,
                                    chosen: list[Mention], mask: bytearray) -> bool:
        """"the Yamaha Motoxracing WorldSBK Team", "Petronas Sepang Racing": a team no list
        knows, written around a maker's, a sponsor's or a series' name and ending in a team
        word, is that team, not the maker's team. Replaces the names inside it in `chosen`."""
        words = folded[run_start:run_end].split()
        if len(words) < 3 or words[-1] not in _TEAM_WORDS:
            return False
        inner = [m for m in chosen if run_start <= m.start and m.end <= run_end]
        if not inner or any(m.kind not in (TEAM, SERIES) or (m.kind == TEAM and (
                not m.candidates or m.candidates[0].how not in ("sponsor", "manufacturer",
                                                                "alias") or
                len(fold(m.value).split()) > 1)) for m in inner):
            return False  # ("Red Bull KTM Factory Racing" is a name the gazetteer has)
        for m in inner:
            chosen.remove(m)
        name = " ".join(_strip_possessive(word) for word in text[run_start:run_end].split())
        chosen.append(Mention(run_start, run_end, TEAM, name))
        mask[run_start:run_end] = b"\x01" * (run_end - run_start)
        return True

    def _mark_non_drivers(self, doc: _Doc) -> None:
        # Staff the gazetteer knows are nobody's driver, by full name or by surname.
        non_drivers: set[str] = {m.value for m in doc.mentions
                                 if m.kind == PERSON and m.value in self.gazetteer.staff}
        roles = doc.cues.get("non_driver", [])
        if not roles:
            for mention in doc.mentions:
                if mention.kind == PERSON and mention.value in non_drivers:
                    mention.non_driver = True
            return
        for mention in doc.mentions:
            if mention.kind != PERSON:
                continue
            s_start, s_end = doc.sentences[doc.sentence_of(mention.start)]
            for c_start, c_end in roles:
                if not s_start <= c_start < s_end:
                    continue
                if c_end <= mention.start:
                    gap = doc.folded[c_end:mention.start]
                    # ("... shuffles crew chiefs as Preece stays": a new clause between.)
                    # ("The team principal said de Vries brought ...": whom the boss spoke of.)
                    close = len(gap.split()) <= (2 if mention.known else 3) and \
                        not _races(doc.folded[mention.end:mention.end + 40]) and \
                        not _CLAUSE_OPENERS & set(gap.split()) and \
                        not _SPEECH_VERBS & set(gap.split())
                else:
                    gap = doc.folded[mention.end:c_start]
                    words = gap.split()
                    limit = 3 if mention.known else (
                        8 if words[:1] in (["is"], ["was"], ["as"], ["becomes"]) else 5)
                    close = len(words) <= limit and not any(
                        w in ("driver", "drivers", "rider", "and", "will", "has", "signed")
                        for w in words)
                    close = close and (not mention.known or doc.text[mention.end:c_start]
                                       .lstrip().startswith((",", "is", "as", "was")))
                    # ("Castroneves, who remains a co-owner of Meyer Shank": a driver the
                    # gazetteer knows keeps driving whatever else his relative clause adds.)
                    close = close and not (mention.known and words[:1] == ["who"] and not " ".join(
                        words[1:]).startswith(_BECOMES))
                    # "Latvala will become team principal": named to a post, staff now.
                    close = close or (len(words) <= 3 and gap.lstrip().startswith(_BECOMES))
                    # "Chris Gayle, who has been Ty Gibbs's crew chief, ...": the post named in
                    # his own relative clause
                    close = close or (not mention.known and words[:1] == ["who"] and words[1:2] in (
                        ["is"], ["was"], ["has"], ["had"]) and len(words) <= 8 and not any(
                        w in ("driver", "drivers", "rider", "riders", "and") for w in words))
                    # "Adrian Newey will join Aston Martin in March as managing technical
                    # partner": the post he is named to, said after the move. (A known driver
                    # "continues representing the team as an ambassador" is still a driver.)
                    words = _outside_asides(doc, mention.end, c_start).split()
                    close = close or (not mention.known and len(words) <= 12
                                      and "as" in words[-3:] and not any(
                        w in ("driver", "drivers", "rider", "riders", "and", "alongside")
                        for w in words))
                if close and not _person_between(doc, min(c_end, mention.end),
                                                 max(c_start, mention.start), mention) and \
                        not _owner_in_a_crew(doc, mention, c_start, c_end):
                    non_drivers.add(mention.value)
        # ("Iribe will again race the team's McLaren ... Iribe, a co-founder of Oculus": one
        # the article says races is a driver, whatever else he is.)
        non_drivers -= {m.value for m in doc.mentions if m.kind == PERSON and _races(
            doc.folded[m.end:m.end + 40]) and m.value not in self.gazetteer.staff}
        for mention in doc.mentions:
            if mention.kind == PERSON and mention.value in non_drivers:
                mention.non_driver = True
