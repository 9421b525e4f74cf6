"""The shared vocabulary of the rules engine's reading steps: the document read, its mentions
and raw moves, and the small text helpers every step uses."""

from __future__ import annotations

import itertools
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from lemminflect import getAllLemmas, getInflection

from bot.models import MoveKind, Status
from bot.rules.gazetteer import HOW_RANK, Gazetteer, TeamCandidate
from bot.rules.patterns import Pattern, Rules, load_words
from bot.rules.phrasebook import Phrasebook
from bot.rules.text import fold, verb_lemmas

# The closed word classes live in rules.toml's [words] table, beside the phrases they serve.
WORDS = load_words(Path(__file__).parent / "data" / "rules.toml")
PERSON, TEAM, SERIES, CAR = "person", "team", "series", "car"


# A feed item states its news up front; reading a runaway 1 MB "summary" in full would only
# let one bad entry stall a poll cycle.
MAX_TITLE = 1_000


MAX_BODY = 20_000


# Cues looked for in every sentence (the rest only where a trigger is).
GLOBAL_CUES = frozenset(("from_team", "replaces", "epithet", "next_season", "this_season",
                         "season_end", "non_driver", "past_spell", "car_launch", "current_spell",
                         "arrival_told"))


SLOT_KIND = {"driver": PERSON, "replaced": PERSON, "team": TEAM, "car": CAR}


_UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĒĖĘĚĞĢĪĮİĶĹĻĽŁŃŅŇŌŐŒŔŘŚŞŠŢŤŪŮŰŲŹŻŽ"


_WORD = rf"(?:\d+(?=[{_UPPER}]))?[{_UPPER}][\w'’\-]*"


_PARTICLE = r"(?:van|von|de|der|den|da|di|du|dos|das|del|della|la|le|ten|ter|bin|al)"


# _WORD as a run's first word, written to open with one character class: the regex engine
# then skips to the next digit or capital in C instead of trying the whole pattern at every
# position of the text (twice as fast). A digit opens it only when digits run into a capital.
# Initials ("J.J. Yeley", "A.J. Foyt") open a run as one word.
_FIRST_WORD = rf"[\d{_UPPER}](?:(?<=\d)\d*[{_UPPER}]|(?<!\d))(?:\.(?:[{_UPPER}]\.)+|[\w'’\-]*)"
_NAME_RUN = re.compile(
    rf"{_FIRST_WORD}(?:[ \t]+(?:{_PARTICLE}[ \t]+)*(?:{_WORD}|Jr\.?|Sr\.?|II|III|IV))*"
)


# "van der Zande" in running text: the particles before a capitalised surname.
_LEADING_PARTICLES = re.compile(
    r"(?:^|(?<=[\s(\"“]))(?:(?:van|von|de|der|den|da|di|du|dos|del|della|la|le|ten|ter)[ \t]+)+$"
)


_CAR_DIGITS = re.compile(r"\.?[ \t]?#?(\d{1,3})\b(?![.,:/]\d)")


_HASH_DIGITS = re.compile(r"#(\d{1,3})\b(?![.,:/]\d)")


_THE_CAR = re.compile(r"the (\d{1,3}) (?:car|entry)\b")


# Words after which a number is a car number; found by the automaton, digits checked here.
CAR_WORDS = ("no", "nr", "number", "car", "car number", "car no")


def car_numbers(text: str, after_words: list[tuple[int, int]] | None = None
                ) -> list[tuple[int, int, str]]:
    """"No. 31", "#31", "No.18", "car 31", "car number 31", "the 31 car": (start, end, "31").

    `after_words` are the spans of CAR_WORDS the automaton found; without them the text is
    scanned for those words here."""
    if after_words is None:
        lowered = text.lower()
        after_words = [(m.start(), m.end()) for m in re.finditer(
            r"\b(?:car number|car no|number|car|no|nr)\b", lowered)]
    found = []
    for start, end in after_words:
        match = _CAR_DIGITS.match(text, end)
        if match and (text[start].isupper() or text[start:end].lower() != "no"):
            found.append((start, match.end(), match.group(1)))
    if "#" in text:
        found.extend((m.start(), m.end(), m.group(1)) for m in _HASH_DIGITS.finditer(text))
    if " car" in text or " entry" in text:
        found.extend((m.start(), m.end(), m.group(1)) for m in _THE_CAR.finditer(text))
    found.sort()
    return found


_MODEL_WORDS = re.compile(r"^\s*(?:[\w'’.\-]+\s+){1,4}?(?=(?:,|and\b|&|with\b))")
# "A and B in the No. 7, C and D in the No. 8": a crew list runs on across its cars.
_CAR_LIST_GAP = re.compile(
    r"^\s*(?:in|driving|sharing)\s+(?:the|its|their)?\s*(?:no\.?|#|car)\s*\d+"
    r"[^,;]{0,30}(?:,|;)?\s*(?:and|while|with)?\s*$", re.I)
_CAR_IN_LIST = re.compile(r"\s*(?:in|driving|sharing)\s+(?:the|its|their)\s+(?:\w+\s+){0,2}$")


_HIS_TEAM = re.compile(
    r",[ \t]+(?:his|her)[ \t]+(?:(?:former|old|previous|current|[\w-]+)[ \t]+){0,3}"
    r"(?:team|squad|outfit|employers?|entrant)\b")


_HIS_BEFORE = re.compile(r"\b(?:his|her)\s+(?:the\s+)?$")


_SPELL_AFTER = re.compile(r"\s+(?:spell|stint|tenure|days|time|years|seasons|career)\b")


# After these a sentence says something else: "will race for Haas, ending speculation that he
# might stay", "will join Ferrari, where he could win an eighth title".
_RUMOUR_CLAUSE_END = re.compile(
    r",[ \t]+(?:with|while|whereas|but|and|ending|putting|where|which|who|after|amid|despite|"
    r"following|having|as)\b|;|:|[ \t]-[ \t]|—")


_SEASON_BEFORE = re.compile(
    r"\b(?:for|in|from|of|until|through|starting|beginning|the|since|its|their|his|her)\s+"
    r"(?:the\s+)?$", re.I)


_SEASON_AFTER = re.compile(
    r"\s*(?:season|campaign|championship|schedule|series|grid|line-?up|roster|title|plans|"
    r"programme|program|effort|entry|"
    r"NTT|IndyCar|F1|Formula|NASCAR|MotoGP|WEC|IMSA|Supercars|WorldSBK|Xfinity|Cup)\b", re.I)


_SEASON_IN_FOR = re.compile(r"\b(?:in|for|from)\s+$")


_SEASON_END_WORDS = re.compile(r"end of|after|when|once")

# "\b(?:19|20)...": the break before the year is checked once its "19" or "20" is read, so that
# the search can skip straight to those digits.
_YEAR = re.compile(r"(?:19|20)(?<!\w\d\d)(\d\d)(?:[-/–](\d\d(?:\d\d)?))?\b")


_FE_SEASON = re.compile(
    r"\b[Ss]eason (\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"thirteen|fourteen|fifteen)\b")


_NUMBER_WORDS = {w: i for i, w in enumerate((
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen"))}
_ORDINALS = {w: i for i, w in enumerate((
    "zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
    "ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth"))}
# "Formula E's seventh season", "the ninth Formula E season", "the championship's 11th season":
# the championship's own count (not "his seventh season", a driver's).
_FE_ORDINAL_SEASON = re.compile(
    r"\b(?:Formula E['’]s|the championship['’]s|the series['’]|the) (" + "|".join(_ORDINALS) +
    r"|\d{1,2}(?:st|nd|rd|th)) (?:Formula E |FIA Formula E |ABB FIA Formula E )?season\b")


_AUXILIARIES = WORDS["auxiliaries"]


_SEAT_VERBS: dict[str, MoveKind | None] = {
    **dict.fromkeys(WORDS["seat_verbs"]),
    **dict.fromkeys(WORDS["seat_verbs_stay"], MoveKind.EXTEND)}


_DENIALS = WORDS["denials"]


_GENERIC_TEAM_WORDS = WORDS["generic_team_words"]


_PARTICLE_WORDS = WORDS["particles"]


_SPEECH_VERBS = WORDS["speech_verbs"]
_OWN_REPORT_VERBS = _SPEECH_VERBS - WORDS["contested_speech"]


_BE_WORDS = (["is"], ["are"], ["was"], ["were"], ["be"], ["been"], ["being"])


_PRONOUNS = WORDS["pronouns"]


# "the Brackley team", "the Italian outfit", "the Woking-based squad": a team by description.
_DESCRIBED_TEAM = re.compile(
    r"\bthe (?:[a-z0-9]+ ){1,3}(?:team|squad|outfit|organisation|organization|operation|"
    r"stable|marque|manufacturer|factory|entrant|brand)\b")


# "as Andretti's reserve driver": the team the driver has been with.
_ROLE_AT = re.compile(r"['’]s\s+(?:(?:reserve|test|development|simulator|junior|third|works|"
                      r"factory|full-time|official|race|lead|number one|no\. 1)\s+"
                      r"(?:and\s+\w+\s+)?)?(?:driver|rider)\b")


_PAST_VERBS = WORDS["past_verbs"]


_STATE_VERBS = WORDS["state_verbs"]


@lru_cache(maxsize=4096)
def _is_state_now(word: str) -> bool:
    """"partners", "drives", "form": the present simple of a verb that tells where one is."""
    return any(lemma in _STATE_VERBS and (
        word in getInflection(lemma, "VBZ") or word in getInflection(lemma, "VBP"))
               for lemma in verb_lemmas(word))


@lru_cache(maxsize=4096)
def _is_state_verb(word: str) -> bool:
    """Any form of a verb that tells where one is ("driving", "partners", "race")."""
    return any(lemma in _STATE_VERBS for lemma in verb_lemmas(word))


# "will", "to": what follows looks ahead.
_FUTURE_MARKERS = frozenset({"will", "to", "would", "ll", "shall"})


@lru_cache(maxsize=4096)
def _is_participle(word: str) -> bool:
    """"confirmed", "been", "named": the past participle of some verb."""
    return word == "been" or any(word in getInflection(lemma, "VBN")
                                 for lemma in verb_lemmas(word))


@lru_cache(maxsize=4096)
def _is_finite(word: str) -> bool:
    """"steps", "took": the present third person or the simple past of some verb."""
    return any(word in getInflection(lemma, "VBZ") or word in getInflection(lemma, "VBD")
               for lemma in verb_lemmas(word))


@lru_cache(maxsize=8192)
def _is_verb(word: str) -> bool:
    return "VERB" in getAllLemmas(word)


@lru_cache(maxsize=4096)
def _is_past_tense(word: str) -> bool:
    """"made", "lost", "spent": the simple past of some verb (and not also its present)."""
    for lemma in verb_lemmas(word):
        if word in getInflection(lemma, "VBD") and word not in getInflection(lemma, "VBP"):
            return True
    return False


# "Harvick's successor", "Ocon's seat": the driver whose place the mover takes.
_SEAT_OF = re.compile(r"['’]s\s+(?:(?:old|former|vacant|vacated|empty|race)\s+)?"
                      r"(?:successor|replacement|seat|place|ride|drive|spot)\b")


_ENTITY_KINDS = frozenset(("team", "driver", "series", "staff", "place"))


_REFERENCE_WORDS = ("he ", "she ", "his ", "her ", "the ")


_COORDINATION = re.compile(r"^(?:\s*(?:,|and|&|as well as|along with|plus|nor|or)\s*)+$")


# "A, B and, in the Endurance races, C": the races set off after a list's "and" are C's alone
_RACES_AFTER_AND = re.compile(r"\band,\s+(?:in|for|at)\s+(?:the\s+)?$")
# "A, Dutchman B and 19-year-old C": a list whose names carry a short description (and "A, B
# and, in the long races, C": the last name's own races set off after "and").
_LIST_GAP = re.compile(
    r"^\s*(?:,\s*(?:and\s+|&\s+|plus\s+)?|and\s+|&\s+|plus\s+|as well as\s+|along with\s+|"
    r",?\s*and,\s+(?:in|for|at)\s+[^,;()]{1,40},\s+)"
    r"(?P<words>(?:[\w'’.\-]+\s+){0,5})$")


_LIST_GAP_WITH = re.compile(r"^\s*(?:with|alongside|and)\s+(?P<words>(?:[\w'’.\-]+\s+){0,3})$")


_LIST_BREAK = WORDS["list_breaks"]
# "A and reigning champion B": participles that describe a name, not open a clause.
_ADJECTIVE_PARTICIPLES = WORDS["adjective_participles"]


def _coordinated(between: str, *, with_ok: bool = False) -> bool:
    """The text between two names makes them one list: "A and B", "A, B and C", "A, Dutchman
    B and Australian C"; with `with_ok`, also "A with B" (a crew named after its verb)."""
    if _COORDINATION.match(between):
        return True
    match = _LIST_GAP.match(between) or (_LIST_GAP_WITH.match(between) if with_ok else None)
    if match is None:
        return False
    words = fold(match.group("words")).split()
    # ("alongside A, replacing B": a participle opens a clause of its own.)
    return not any(w in _LIST_BREAK or (w.endswith("ing") and _is_verb(w) and
                                        w not in _ADJECTIVE_PARTICIPLES) for w in words)


_NOT_NAME = WORDS["not_names"]


_TEAM_WORDS = WORDS["team_words"]


@dataclass(slots=True)
class Mention:
    start: int
    end: int
    kind: str
    value: str
    known: bool = False
    candidates: tuple[TeamCandidate, ...] = ()
    non_driver: bool = False


@dataclass(slots=True)
class RawMove:
    kind: MoveKind
    driver: str
    driver_mention: Mention
    sentence: int
    trigger: tuple[int, int]
    pattern: Pattern
    team: Mention | None = None
    team_from_context: bool = False
    replaced: str | None = None
    car: str | None = None
    status: Status = Status.CONFIRMED
    teammates: list[Mention] = field(default_factory=list)
    co_drivers: tuple[str, ...] = ()  # others named with the driver: "A and B will join"


@dataclass(slots=True)
class _Doc:
    text: str
    folded: str
    title_end: int
    sentences: list[tuple[int, int]]
    starts: list[int]
    published: date | None
    series_hint: str | None
    mentions: list[Mention]
    by_sentence: list[list[Mention]]
    cues: dict[str, list[tuple[int, int]]]
    roles: list[tuple[int, int, str]]
    triggers: list[tuple[int, int, Sequence[Pattern]]]
    object_kind: dict[int, tuple[int, MoveKind]]
    asides: list[tuple[int, int]]
    series_seen: set[str]
    focus: str | None = None
    car_sentences: list[int] = field(default_factory=list)
    trigger_starts: list[int] = field(default_factory=list)
    first_person: list[str | None] = field(default_factory=list)  # per sentence
    person_sentences: dict[str, set[int]] = field(default_factory=dict)
    # A shorter phrase at the same start that a trigger displaced: read when the longer one
    # fills nothing ("have parted ways" when "have parted ways with" finds no name after it).
    shorter: dict[tuple[int, int], list[tuple[int, int, Sequence[Pattern]]]] = field(
        default_factory=dict)
    memo: dict[tuple[object, ...], object] = field(default_factory=dict)
    spelled: dict[str, str] = field(default_factory=dict)  # gazetteer name -> as written

    def name(self, driver: str) -> str:
        """A driver as the article writes them ("Toprak Razgatlıoğlu", not the gazetteer's
        "Toprak Razgatlioglu"): the fullest spelling it uses, the first of equals."""
        written = self.spelled.get(driver)
        if written is None:
            written = self.spelled[driver] = _spelling(self.text, self.mentions, driver)
        return written

    def sentence_of(self, position: int) -> int:
        return (bisect_right(self.starts, position) or 1) - 1  # (0 before the first)


@lru_cache(maxsize=4096)
def _name_key(name: str) -> str:
    return " ".join(fold(name).split())


def _writes(doc: _Doc, key: str) -> bool:
    """The article has `key` (folded words) as a whole word run."""
    folded = doc.folded
    position = folded.find(key)
    while position != -1:
        end = position + len(key)
        if (position == 0 or folded[position - 1] == " ") and (
                end == len(folded) or folded[end] == " "):
            return True
        position = folded.find(key, position + 1)
    if "  " not in folded:
        return False
    words = doc.memo.get(("words",))
    if words is None:
        words = doc.memo[("words",)] = f" {' '.join(folded.split())} "
    return f" {key} " in words  # type: ignore[operator]


@lru_cache(maxsize=16384)
def _name_keys(name: str) -> tuple[str, ...]:
    """The folded forms a later mention of `name` may take: the full name first, then the
    surname ("Armstrong", "van der Zande" and "Zande" for "Renger van der Zande")."""
    words = _name_words(name)
    if len(words) < 2:
        return ()
    keys = [" ".join(words), " ".join(words[1:])]
    if words[-1] in ("jr", "sr", "ii", "iii") and len(words) > 2:
        keys.append(" ".join(words[1:-1]))
    if len(words) > 2 and words[-1] not in ("jr", "sr", "ii", "iii"):
        # "António Félix da Costa" is "da Costa" and "Costa"; "Juan Pablo Montoya" "Montoya"
        particle = next((i for i in range(1, len(words) - 1) if words[i] in _NAME_PARTICLES),
                        None)
        if particle is not None and particle > 1:
            keys.append(" ".join(words[particle:]))
        keys.append(words[-1])
    return tuple(dict.fromkeys(keys))


_NAME_PARTICLES = frozenset(("van", "von", "de", "der", "da", "di", "du", "dos", "del", "la",
                             "le"))


@lru_cache(maxsize=16384)
def _name_words(name: str) -> tuple[str, ...]:
    return tuple(fold(name).split())


def _words_between(doc: _Doc, start: int, end: int) -> int:
    """Words from `start` to `end`; a large number when `end` comes first."""
    if end < start:
        return 1_000
    return len(doc.folded[start:end].split())


def _outside_asides(doc: _Doc, start: int, end: int, *, folded: bool = True) -> str:
    """The text between two offsets without the asides ", who ... ," inside it."""
    source, pieces = doc.folded if folded else doc.text, []
    position = start
    for a_start, a_end in doc.asides:
        if a_start >= position and a_end <= end:
            pieces.append(source[position:a_start])
            position = a_end
    pieces.append(source[position:end])
    return " ".join(pieces)


def _cue_between(doc: _Doc, cue: str, low: int, high: int) -> bool:
    """A cue of the class starts in [low, high). Most classes are absent from an article, so
    the empty case costs one look-up."""
    found = doc.cues.get(cue)
    return bool(found) and any(low <= c < high for c, _ in found)  # type: ignore[union-attr]


def _inside(spans: list[tuple[int, int]], starts: list[int], position: int) -> bool:
    """`position` falls inside one of the (start-sorted) spans, after its first character."""
    index = bisect_right(starts, position) - 1
    return index >= 0 and spans[index][0] < position < spans[index][1]


def _within(spans: list[tuple[int, int]], starts: list[int], span: tuple[int, int]) -> bool:
    """`span` lies wholly inside one of the (start-sorted) spans."""
    index = bisect_right(starts, span[0]) - 1
    return index >= 0 and spans[index][0] <= span[0] and span[1] <= spans[index][1]


def _hyphened(text: str, position: int) -> bool:
    """The word at `position` is joined by a hyphen to the one before ("Ferrari-bound")."""
    return position > 0 and text[position - 1] in "-‑"


def _possessive(doc: _Doc, mention: Mention) -> bool:
    """"Ganassi's", and a name ending in s with the apostrophe alone ("Hendrick Motorsports'")."""
    return doc.text.startswith(("'s", "’s"), mention.end) or doc.text.endswith(
        ("'s", "’s"), mention.start, mention.end) or (
        doc.text.endswith("s", mention.start, mention.end) and
        doc.text.startswith(("' ", "’ "), mention.end))


def _title_people(doc: _Doc) -> frozenset[str]:
    """The people the headline names: the news is theirs (read once an article)."""
    found = doc.memo.get(("title people",))
    if found is None:
        found = doc.memo[("title people",)] = frozenset(
            m.value for m in doc.mentions if m.start < doc.title_end and m.kind == PERSON)
    return found  # type: ignore[return-value]


def _is_list(doc: _Doc, names: list[Mention]) -> bool:
    """"A and B", "A, B and C": a list ends with a word. "Arrow McLaren releases Malukas,
    Pourchaire takes over" is two clauses, not a list; but names that open their sentence
    are one ("Russell, Hamilton to stay at Mercedes")."""
    return len(names) < 2 or any(
        doc.text[a.end:b.start].strip(" ,") for a, b in itertools.pairwise(names)) or \
        not doc.text[doc.sentences[doc.sentence_of(names[0].start)][0]:names[0].start].strip()


def _spelling(text: str, mentions: list[Mention], driver: str) -> str:
    """How the article spells a known driver in full: the fullest spelling it uses, the first
    of equals; a headline in capitals is no one's spelling."""
    # A spelling with fewer words than the name is a surname ("De Vries"), not a spelling.
    best, width = driver, driver.count(" ")
    for mention in mentions:
        if mention.value != driver or mention.kind != PERSON or not mention.known:
            continue
        if text.startswith(driver, mention.start):
            written = driver
        else:
            written = _strip_possessive(text[mention.start:mention.end]).replace("’", "'")
        words = written.count(" ") + 1
        if words > width and not written.isupper():
            best, width = written, words
    # "Martin Truex Jr" before a full stop is the gazetteer's "Martin Truex Jr.".
    return driver if driver.startswith(best) else best


_NOUN_USE = WORDS["noun_use"]


_WITH_EPITHET = re.compile(r"\bwith the (?:[a-z0-9\-]+ ){0,2}?[a-z\-]+ $")


def _with_epithet(folded: str, start: int, end: int) -> re.Match[str] | None:
    """"with the Spaniard" ending at `end`; the pattern tries every position, so only if there."""
    if folded.find("with the ", start, end) == -1:
        return None
    return _WITH_EPITHET.search(folded, start, end)


_DESTINATION_WORDS = WORDS["destination_words"]


_YEAR_WORD = re.compile(r"(?:19|20)\d\d")
def _team_rank(item: RawMove) -> tuple[int, int]:
    if item.team is None:
        return (9, item.trigger[0])
    ranks = [HOW_RANK[c.how] for c in item.team.candidates] or [1]
    return (min(ranks) + (2 if item.team_from_context else 0), item.trigger[0])


_TOKEN = re.compile(r"\S+")


def _word_key(text: str, folded: str, start: int, end: int) -> str:
    """A capitalised word as name keys have it: folded, possessive dropped."""
    if text.endswith(("'s", "’s"), start, end):
        end -= 2
    return " ".join(folded[start:end].split())


def _strip_possessive(word: str) -> str:
    for suffix in ("'s", "’s"):
        if word.endswith(suffix):
            return word[: -len(suffix)]
    return word.rstrip("'’")


def _person_between(doc: _Doc, low: int, high: int, exclude: Mention) -> bool:
    """Someone else named between; not one named as an owner ("as Elliott's spotter")."""
    return any(m.kind == PERSON and m is not exclude and low <= m.start < high and
               not doc.text.startswith(("'s", "’s"), m.end) for m in doc.mentions)


class EngineBase:
    """What every reading step may use: the data the engine was built from."""

    gazetteer: Gazetteer
    rules: Rules
    settings: dict[str, int]
    not_names: frozenset[str]
    first_names: frozenset[str]  # the first words of the names of drivers and staff
    _phrases: Phrasebook  # layers: WHOLE, TITLE, SENTENCE (reading.py)
