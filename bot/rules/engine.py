"""The rules engine: one Aho-Corasick pass finds gazetteer names, trigger phrases and cues; the
patterns of rules.toml then fill their slots from the names around each trigger."""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import ahocorasick
from rapidfuzz import fuzz

from bot.models import Article, Extraction, LineupEntry, Move, MoveKind, Status
from bot.rules.gazetteer import HOW_RANK, Gazetteer, TeamCandidate
from bot.rules.patterns import Pattern, Rules, load_rules
from bot.rules.summary import summarize
from bot.rules.text import clean, fold, sentence_spans

PERSON, TEAM, SERIES, CAR = "person", "team", "series", "car"
# A feed item states its news up front; reading a runaway 1 MB "summary" in full would only
# let one bad entry stall a poll cycle.
MAX_TITLE = 1_000
MAX_BODY = 20_000
# Cues looked for in every sentence (the rest only where a trigger is).
GLOBAL_CUES = frozenset(("from_team", "replaces", "epithet", "next_season", "this_season",
                         "season_end", "non_driver"))
SLOT_KIND = {"driver": PERSON, "replaced": PERSON, "team": TEAM, "car": CAR}

_UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĒĖĘĚĞĢĪĮİĶĹĻĽŁŃŅŇŌŐŒŔŘŚŞŠŢŤŪŮŰŲŹŻŽ"
_WORD = rf"[{_UPPER}][\w'’\-]*"
_PARTICLE = r"(?:van|von|de|der|den|da|di|du|dos|das|del|della|la|le|ten|ter|bin|al)"
_NAME_RUN = re.compile(
    rf"{_WORD}(?:[ \t]+(?:{_PARTICLE}[ \t]+)*(?:{_WORD}|Jr\.?|Sr\.?|II|III|IV))*"
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
_YEAR = re.compile(r"\b(?:19|20)(\d\d)(?:[-/–](\d\d(?:\d\d)?))?\b")
_FE_SEASON = re.compile(
    r"\b[Ss]eason (\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"thirteen|fourteen|fifteen)\b")
_NUMBER_WORDS = {w: i for i, w in enumerate((
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen"))}
_ASIDE = re.compile(
    r"\([^()\n]{0,200}\)"
    r"|,[ \t]+(?:who|which|whose|where|currently|now|still|also|already|having|after|fresh|"
    r"until|aged|formerly|previously|like|once|then)\b[^,;()\n]{0,200},"
    r"|,[ \t]+(?:a|an|the|his|her|their|its|as)\b[^,;()\n]{0,45},"
    r"|,[ \t]+(?:the[ \t]+)?(?:son|daughter|brother|sister|father|mother|nephew|niece|grandson|"
    r"granddaughter|cousin|wife|husband)[ \t]+of\b[^,;()\n]{0,80},"
)
_CLAUSE_BREAK = re.compile(
    r";|:|,[ \t]+while\b|[ \t]while\b|,[ \t]+whereas\b|,[ \t]+but\b|[ \t]-[ \t]|—"
)
_AUXILIARIES = frozenset(("was", "is", "will", "has", "had", "would", "are", "were", "have",
                          "could", "may", "might", "should", "must", "did", "does"))
# After "X confirms <driver> will ...": verbs that still announce a seat, and the kind they make
# (None keeps the trigger's own).
_SEAT_VERBS: dict[str, MoveKind | None] = {
    "partner": None, "race": None, "drive": None, "ride": None, "compete": None, "line": None,
    "join": None, "replace": None, "team": None, "pair": None, "take": None, "step": None,
    "move": None, "become": None, "remain": MoveKind.EXTEND, "stay": MoveKind.EXTEND,
    "continue": MoveKind.EXTEND,
}
_DENIALS = frozenset(("denies", "denied", "shuts down", "shut down", "quashes", "quashed",
                      "rules out", "ruled out", "dismisses", "dismissed", "staying put",
                      "stays put"))
# Words too common in team names to tie two teams together.
_GENERIC_TEAM_WORDS = frozenset(("the", "of", "and", "with", "by", "f1", "gp", "grand", "prix",
                                 "world", "rally", "works", "factory", "official", "s"))
_PARTICLE_WORDS = frozenset(("van", "von", "de", "der", "den", "da", "di", "du", "dos", "del",
                            "della", "la", "le", "ten", "ter"))
_SPEECH_VERBS = frozenset(("announces", "announced", "confirms", "confirmed", "says", "said",
                           "reveals", "revealed", "admits", "admitted", "insists", "states",
                           "stated", "declares", "declared", "has", "had"))
_BE_WORDS = (["is"], ["are"], ["was"], ["were"], ["be"], ["been"], ["being"])
_PRONOUNS = frozenset(("he", "she", "they", "it", "him", "her", "them", "we", "i"))
# "the Brackley team", "the Italian outfit", "the Woking-based squad": a team by description.
_DESCRIBED_TEAM = re.compile(
    r"\bthe (?:[a-z0-9]+ ){1,2}(?:team|squad|outfit|organisation|organization|operation|"
    r"stable|marque|manufacturer|factory|entrant|brand)\b")
# "as Andretti's reserve driver": the team the driver has been with.
_ROLE_AT = re.compile(r"['’]s\s+(?:(?:reserve|test|development|simulator|junior|third|works|"
                      r"factory|full-time|official|race|lead|number one|no\. 1)\s+"
                      r"(?:and\s+\w+\s+)?)?(?:driver|rider)\b")
_PAST_VERBS = frozenset(("left", "joined", "moved", "quit", "retired", "signed", "switched",
                         "departed", "was", "raced", "drove", "rode", "had", "exited", "rejoined",
                         "returned", "replaced", "succeeded", "stepped", "graduated"))
# "Harvick's successor", "Ocon's seat": the driver whose place the mover takes.
_SEAT_OF = re.compile(r"['’]s\s+(?:(?:old|former|vacant|vacated|empty|race)\s+)?"
                      r"(?:successor|replacement|seat|place|ride|drive|spot)\b")
_ENTITY_KINDS = frozenset(("team", "driver", "series"))
_REFERENCE_WORDS = ("he ", "she ", "his ", "her ", "the ")
_COORDINATION = re.compile(r"^(?:\s*(?:,|and|&|as well as|along with|plus|nor|or)\s*)+$")
# "A, Dutchman B and 19-year-old C": a list whose names carry a short description.
_LIST_GAP = re.compile(
    r"^\s*(?:,\s*(?:and\s+|&\s+|plus\s+)?|and\s+|&\s+|plus\s+|as well as\s+|along with\s+)"
    r"(?P<words>(?:[\w'’.\-]+\s+){0,4})$")
_LIST_GAP_WITH = re.compile(r"^\s*(?:with|alongside|and)\s+(?P<words>(?:[\w'’.\-]+\s+){0,3})$")
# Words that start another clause or phrase: a list does not run across them.
_LIST_BREAK = frozenset((
    "will", "is", "are", "was", "were", "has", "have", "had", "who", "which", "while", "as",
    "at", "for", "to", "from", "after", "by", "whose", "where", "when", "but", "also", "in",
    "with", "of", "on", "the", "his", "her", "their", "its", "said", "says", "joins", "join",
    "leaves", "stays", "remains", "would", "could", "be", "been", "that", "than", "team",
))

def _coordinated(between: str, *, with_ok: bool = False) -> bool:
    """The text between two names makes them one list: "A and B", "A, B and C", "A, Dutchman
    B and Australian C"; with `with_ok`, also "A with B" (a crew named after its verb)."""
    if _COORDINATION.match(between):
        return True
    match = _LIST_GAP.match(between) or (_LIST_GAP_WITH.match(between) if with_ok else None)
    if match is None:
        return False
    words = fold(match.group("words")).split()
    return not any(w in _LIST_BREAK or w.isdigit() for w in words)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Capitalised words that start sentences or name things, never a person's first or last name.
_NOT_NAME = _words("""
    the a an in on at for with after before his her their its it this that these those next
    last team former ex new reigning rookie veteran champion drivers driver rider riders
    dutchman briton spaniard kiwi frenchman german italian american australian brazilian
    belgian dane swede finn japanese mexican canadian argentine swiss austrian portuguese
    monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december racing motorsport motorsports
    team series championship cup grand prix hours speedway raceway circuit international
    motor engineering academy formula gp hypercar sports sportscar rolex indianapolis mans
    gt world endurance 24 500 e-prix eprix race sprint feature qualifying practice he she
    they we i but and or so as if when while once both all one two three four five six seven
    eight nine ten ntt fia imsa wec nascar motogp indycar f1 f2 f3 lmp2 lmp1 gtp gtd lmgt3
    lmdh also however meanwhile although though because since according said says told
    statement official it's that's there here what who why how more most many much some
    other another each every first second third fourth fifth sixth final chevrolet honda
    toyota porsche ferrari mercedes audi bmw cadillac acura lamborghini mclaren alpine
    peugeot ducati yamaha kawasaki aprilia ktm suzuki hyundai nissan jaguar maserati lola
    dallara oreca ligier chevy red bull haas sauber stake rb alphatauri corse pro am silver
    bronze gold class lap laps pole podium north south east west united states kingdom new
    san santa st saint mount park city county valley beach
""")
_TEAM_WORDS = _words("""
    racing motorsport motorsports team autosport autosports competition engineering garage
    sport corse gp motorsport's racing's
""")


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
    triggers: list[tuple[int, int, list[Pattern]]]
    object_kind: dict[int, tuple[int, MoveKind]]
    asides: list[tuple[int, int]]
    series_seen: set[str]
    focus: str | None = None
    car_sentences: list[int] = field(default_factory=list)
    trigger_starts: list[int] = field(default_factory=list)
    first_person: list[str | None] = field(default_factory=list)  # per sentence
    person_sentences: dict[str, set[int]] = field(default_factory=dict)
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
        return max(0, bisect_right(self.starts, position) - 1)


class Engine:
    """Extracts driver moves from articles. Build once (the automaton is the costly part)."""

    def __init__(self, gazetteer: Gazetteer, rules: Rules) -> None:
        self.gazetteer = gazetteer
        self.rules = rules
        self.settings = {"left_words": 14, "right_words": 10, "right_driver_words": 6}
        # Words that open a run of capitals without being a name: the code's own list, and
        # the demonyms and epithets of rules.toml ("Dutchman Morris Schuring").
        self.not_names = _NOT_NAME | frozenset(
            word for cue in ("demonym", "epithet") for phrase in rules.cues.get(cue, ())
            for word in phrase.split() if len(phrase.split()) == 1)
        self.settings.update({k: int(v) for k, v in rules.settings.items()})
        # Two automata: the first reads the whole article for names, triggers and the cues
        # other sentences are searched for; the second reads only the sentences with a
        # trigger, for the cues that qualify a move where it is stated.
        entries: dict[str, list[tuple[str, object]]] = {}
        local: dict[str, list[tuple[str, object]]] = {}
        for key, kind, payload in gazetteer.surface_forms():
            if key:
                entries.setdefault(key, []).append((kind, payload))
        for key, patterns in rules.patterns_by_trigger.items():
            entries.setdefault(key, []).append(("trigger", patterns))
        for cue_class, phrases in rules.cues.items():
            target = entries if cue_class in GLOBAL_CUES else local
            for phrase in phrases:
                if phrase:
                    target.setdefault(phrase, []).append(("cue", cue_class))
        for role, phrases in rules.roles.items():
            for phrase in phrases:
                if phrase:
                    local.setdefault(phrase, []).append(("role", role))
        for phrase, kind in rules.object_kind.items():
            local.setdefault(phrase, []).append(("object_kind", kind))
        for phrase in CAR_WORDS:
            entries.setdefault(phrase, []).append(("car_word", None))
        # Headline-only patterns ("Hamilton to Ferrari") have a third automaton that reads only
        # the title, so the body's many "to"s and "for"s cost nothing at all.
        headline: dict[str, list[tuple[str, object]]] = {}
        for key, payloads in entries.items():
            kept = []
            for kind, payload in payloads:
                if kind == "trigger":
                    title_only = [p for p in payload if p.title_only]  # type: ignore[attr-defined]
                    if title_only:
                        headline.setdefault(key, []).append(("trigger", title_only))
                    payload = [p for p in payload if not p.title_only]  # type: ignore[attr-defined]
                    if not payload:
                        continue
                kept.append((kind, payload))
            entries[key] = kept
        self._automaton = _automaton({k: v for k, v in entries.items() if v})
        self._local_automaton = _automaton(local)
        self._headline_automaton = _automaton(headline)
        # Teammate cues in a sentence the local pass did not read ("He will partner X" after
        # the last trigger), looked for only when a move needs them.
        self._mate_automaton = _automaton(
            {p: [("cue", "teammate")] for p in rules.cues.get("teammate", ()) if p})

    @classmethod
    def from_directories(cls, directories: list[Path], rules_path: Path | None = None
                         ) -> Engine:
        """An engine over the gazetteer files in `directories` (later ones merged on top)
        and a rules file (the packaged rules.toml by default)."""
        if rules_path is None:
            rules_path = Path(__file__).parent / "data" / "rules.toml"
        return cls(Gazetteer.load(directories), load_rules(rules_path))

    # ----- reading the article ------------------------------------------------------------------

    def _read(self, article: Article) -> _Doc:
        title = clean((article.title or "")[:MAX_TITLE]).strip()
        body = clean((article.summary or "")[:MAX_BODY]).strip()
        text = f"{title}\n{body}" if body else title
        folded = fold(text)
        title_end = len(title)
        cues: dict[str, list[tuple[int, int]]] = {}
        roles: list[tuple[int, int, str]] = []
        triggers: list[tuple[int, int, list[Pattern]]] = []
        entity_hits: list[tuple[int, int, str, object]] = []
        object_kind: dict[int, tuple[int, MoveKind]] = {}
        car_words: list[tuple[int, int]] = []
        self._scan(self._automaton, folded, 0, title_end, triggers, cues, roles, car_words,
                   object_kind, entity_hits)
        if title_end and self._headline_automaton.kind == ahocorasick.AHOCORASICK:
            headline: list[tuple[int, int, list[Pattern]]] = []
            self._scan(self._headline_automaton, folded[:title_end], 0, title_end, headline,
                       cues, roles, car_words, object_kind, entity_hits)
            if headline:
                spans = {(t[0], t[1]): i for i, t in enumerate(triggers)}
                for start, end, patterns in headline:
                    at = spans.get((start, end))
                    if at is None:
                        triggers.append((start, end, patterns))
                    else:
                        triggers[at] = (start, end, [*triggers[at][2], *patterns])
        published = article.published.date() if article.published else None
        if not triggers:  # nothing can move: skip the rest of the reading
            return _Doc(text=text, folded=folded, title_end=title_end, sentences=[], starts=[],
                        published=published, series_hint=None, mentions=[], by_sentence=[],
                        cues=cues, roles=roles, triggers=[], object_kind=object_kind, asides=[],
                        series_seen=set())
        sentences = sentence_spans(text)
        starts = [s for s, _ in sentences]
        local_range = (0, 0)
        if self._local_automaton.kind == ahocorasick.AHOCORASICK and sentences:
            # One pass from the first sentence with a trigger to the last one.
            first = max(0, bisect_right(starts, min(t[0] for t in triggers)) - 1)
            last = max(0, bisect_right(starts, max(t[0] for t in triggers)) - 1)
            s_start, s_end = sentences[first][0], sentences[last][1]
            local_range = (s_start, s_end)
            self._scan(self._local_automaton, folded[s_start:s_end], s_start, title_end,
                       triggers, cues, roles, car_words, object_kind, entity_hits)
        series_hint = None
        if article.series:
            series_hint = self.gazetteer.canonical_series(article.series) or article.series
        # New names are looked for in every sentence: a headline's "Hitech enters F2 with
        # Mazepin and Ghiotto" names by surname drivers whom only a quiet sentence of the body
        # names in full.
        cars = car_numbers(text, car_words) if triggers else []
        regions = [(title_end, len(text))] if triggers else []
        mentions = self._mentions(text, folded, entity_hits, title_end, regions, cars)
        asides = [m.span() for index in sorted({bisect_right(starts, t[0]) - 1 for t in triggers})
                  for m in _ASIDE.finditer(text, *sentences[max(0, index)])]
        by_sentence: list[list[Mention]] = [[] for _ in sentences]
        doc = _Doc(text=text, folded=folded, title_end=title_end, sentences=sentences,
                   starts=starts, published=published, series_hint=series_hint,
                   mentions=mentions, by_sentence=by_sentence, cues=cues, roles=roles,
                   triggers=_longest(triggers), object_kind=object_kind, asides=asides,
                   series_seen={m.value for m in mentions if m.kind == SERIES})
        index = 0
        last = len(sentences) - 1
        first_person: list[str | None] = [None] * len(sentences)
        car_sentences: list[int] = []
        if sentences:
            for mention in mentions:  # both in text order: one merge walk
                while index < last and starts[index + 1] <= mention.start:
                    index += 1
                by_sentence[index].append(mention)
                if mention.kind == PERSON:
                    if first_person[index] is None:
                        first_person[index] = mention.value
                    doc.person_sentences.setdefault(mention.value, set()).add(index)
                elif mention.kind == CAR and (not car_sentences or car_sentences[-1] != index):
                    car_sentences.append(index)
        doc.memo[("local range",)] = local_range
        # "Rahal Letterman Lanigan Racing in 2025" holds no "racing in": a trigger never starts
        # inside a name.
        names = [(m.start, m.end) for m in mentions if m.kind in (TEAM, PERSON)]
        if names:
            name_starts = [n[0] for n in names]
            doc.triggers = [t for t in doc.triggers if not _inside(names, name_starts, t[0])]
        doc.trigger_starts = [t[0] for t in doc.triggers]
        doc.first_person = first_person
        doc.car_sentences = car_sentences
        self._mark_non_drivers(doc)
        return doc

    @staticmethod
    def _scan(automaton: ahocorasick.Automaton, folded: str, offset: int, title_end: int,
              triggers: list[tuple[int, int, list[Pattern]]],
              cues: dict[str, list[tuple[int, int]]], roles: list[tuple[int, int, str]],
              car_words: list[tuple[int, int]], object_kind: dict[int, tuple[int, MoveKind]],
              entity_hits: list[tuple[int, int, str, object]]) -> None:
        """One automaton pass over `folded` (which starts at `offset` in the article)."""
        for end_index, (size, payloads) in automaton.iter(f" {folded} "):
            # `start` is where the padding space before the word sits in the padded text,
            # which is where the word starts in the unpadded one.
            start = end_index - size + 1 + offset
            end = end_index - 1 + offset
            for kind, payload in payloads:  # the commonest kinds first
                if kind in _ENTITY_KINDS:
                    entity_hits.append((start, end, kind, payload))
                elif kind == "cue":
                    cues.setdefault(payload, []).append((start, end))  # type: ignore[arg-type]
                elif kind == "trigger":
                    triggers.append((start, end, payload))  # type: ignore[arg-type]
                elif kind == "car_word":
                    car_words.append((start, end))
                elif kind == "role":
                    roles.append((start, end, payload))  # type: ignore[arg-type]
                elif start not in object_kind or object_kind[start][0] < end:
                    object_kind[start] = (end, payload)  # type: ignore[assignment]

    def _mentions(self, text: str, folded: str, entity_hits: list[tuple[int, int, str, object]],
                  title_end: int, regions: list[tuple[int, int]],
                  cars: list[tuple[int, int, str]]) -> list[Mention]:
        # Longest match wins among gazetteer names; "Ed Carpenter Racing" beats "Ed Carpenter".
        chosen: list[Mention] = []
        mask = bytearray(len(text) + 1)
        acronyms = self.gazetteer.acronym_keys
        for start, end, kind, payload in sorted(entity_hits, key=lambda h: (-(h[1] - h[0]), h[0])):
            if mask.find(1, start, end) != -1:
                continue
            if end - start <= 5 and folded[start:end] in acronyms and not text[start:end].isupper():
                continue  # "art" in prose is not ART Grand Prix
            mask[start:end] = b"\x01" * (end - start)
            if kind == "series":
                chosen.append(Mention(start, end, SERIES, str(payload)))
            elif kind == "team":
                chosen.append(Mention(start, end, TEAM, text[start:end],
                                      candidates=payload))  # type: ignore[arg-type]
            elif kind == "driver" and len(payload) == 1:  # type: ignore[arg-type]
                chosen.append(Mention(start, end, PERSON, payload[0],  # type: ignore[index]
                                      known=True))
        # Names the gazetteer does not know: runs of capitalised words.
        runs: list[tuple[int, int, list[tuple[int, int]]]] = []
        matches = [m for r_start, r_end in regions
                   for m in _NAME_RUN.finditer(text, r_start, r_end)]
        for match in matches:
            if mask.find(0, match.start(), match.end()) == -1:
                continue  # wholly a gazetteer name
            run_start = match.start()
            if text[run_start - 1:run_start] == " ":
                particles = _LEADING_PARTICLES.search(text, max(0, run_start - 24), run_start)
                if particles:
                    run_start = particles.start()
            pieces: list[list[tuple[int, int]]] = [[]]
            for token in _TOKEN.finditer(text, run_start, match.end()):
                t_start, t_end = token.span()
                if mask.find(1, t_start, t_end) != -1:
                    pieces.append([])
                    continue
                pieces[-1].append((t_start, t_end))
                if text.endswith(("'s", "’s", "s'", "s’"), t_start, t_end):
                    pieces.append([])
            for piece in pieces:
                while piece and _word_key(text, folded, *piece[0]) in self.not_names:
                    piece = piece[1:]
                if piece:
                    runs.append((piece[0][0], piece[-1][1], piece))
        surnames: dict[str, str] = {}
        firsts: dict[str, list[str]] = {}
        # A gazetteer driver's full name was found wherever it is written by the automaton;
        # only the shorter forms need looking for.
        found_in_full: set[str] = set()
        for name in {m.value for m in chosen if m.kind == PERSON}:
            keys = _name_keys(name)
            if keys:  # _register, inlined: this loop runs for every name of every article
                for key in keys:
                    surnames.setdefault(key, name)
                firsts.setdefault(keys[0].split(" ", 1)[0], []).append(name)
                found_in_full.add(keys[0])
        unknown: list[list[tuple[int, int]]] = []
        for start, end, piece in runs:
            words = [_strip_possessive(text[a:b]) for a, b in piece]
            folded_words = [_word_key(text, folded, a, b) for a, b in piece]
            if len(words) >= 2 and any(w in _TEAM_WORDS for w in folded_words[1:]):
                chosen.append(Mention(start, end, TEAM, " ".join(words)))
                mask[start:end] = b"\x01" * (end - start)
                continue
            if " ".join(folded_words) not in surnames and start >= title_end and \
                    2 <= len(words) <= 4 and not any(
                        w in self.not_names or len(w) < 2 or any(ch.isdigit() for ch in w)
                        for w in folded_words):
                unknown.append(piece)
        for piece in unknown:
            name = " ".join(_strip_possessive(text[a:b]) for a, b in piece).replace("’", "'")
            first = _name_words(name)[0]
            # "Marcus Amstrong" in an article about Marcus Armstrong is a typo, not a new driver.
            for known in firsts.get(first, []):
                if fuzz.ratio(fold(name), fold(known)) >= 88:
                    name = known
                    break
            chosen.append(Mention(piece[0][0], piece[-1][1], PERSON, name,
                                  known=name in self.gazetteer.drivers))
            mask[piece[0][0]:piece[-1][1]] = b"\x01" * (piece[-1][1] - piece[0][0])
            self._register(name, surnames, firsts)
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
                        mask.find(1, position, end) == -1 and \
                        not text[max(position - 1, text.rfind(" ", position, end)) + 1].islower():
                    mask[position:end] = b"\x01" * (end - position)
                    if text.startswith(("'s", "’s"), end):
                        end += 2
                    chosen.append(Mention(position, end, PERSON, surnames[key], known=True))
                position = folded.find(key, end)
        chosen.extend(Mention(start, end, CAR, number) for start, end, number in cars)
        chosen.sort(key=lambda m: m.start)
        return chosen

    @staticmethod
    def _register(name: str, surnames: dict[str, str], firsts: dict[str, list[str]]) -> None:
        keys = _name_keys(name)
        if not keys:
            return
        for key in keys:
            surnames.setdefault(key, name)
        firsts.setdefault(keys[0].split(" ", 1)[0], []).append(name)

    def _mark_non_drivers(self, doc: _Doc) -> None:
        roles = doc.cues.get("non_driver", [])
        if not roles:
            return
        non_drivers: set[str] = set()
        for mention in doc.mentions:
            if mention.kind != PERSON:
                continue
            s_start, s_end = doc.sentences[doc.sentence_of(mention.start)]
            for c_start, c_end in roles:
                if not s_start <= c_start < s_end:
                    continue
                if c_end <= mention.start:
                    gap = doc.folded[c_end:mention.start]
                    close = len(gap.split()) <= (2 if mention.known else 3)
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
                    # "Adrian Newey will join Aston Martin in March as managing technical
                    # partner": the post he is named to, said after the move. (A known driver
                    # "continues representing the team as an ambassador" is still a driver.)
                    close = close or (not mention.known and len(words) <= 12
                                      and "as" in words[-3:] and not any(
                        w in ("driver", "drivers", "rider", "riders", "and", "alongside")
                        for w in words))
                if close and not _person_between(doc, min(c_end, mention.end),
                                                 max(c_start, mention.start), mention):
                    non_drivers.add(mention.value)
        for mention in doc.mentions:
            if mention.kind == PERSON and mention.value in non_drivers:
                mention.non_driver = True

    # ----- the moves --------------------------------------------------------------------------

    def extract(self, article: Article) -> Extraction:
        doc = self._read(article)
        if not doc.triggers:
            return Extraction()
        focus = self._focus_team(doc)
        if focus is not None:
            doc.focus = self._team_name(doc, focus, None)[0]
        raw: list[RawMove] = []
        for t_start, t_end, patterns in doc.triggers:
            raw.extend(self._apply(doc, t_start, t_end, patterns, focus))
        if not raw:
            return Extraction()
        seats = [item for item in raw if item.pattern.lineup_only]
        raw = self._one_per_sentence(doc, [item for item in raw if not item.pattern.lineup_only])
        moves = self._finish(doc, raw, focus) if raw else []
        lineup = self._lineup(doc, moves, seats)
        if not moves and not lineup:
            return Extraction()
        return Extraction(moves=tuple(moves), lineup=tuple(lineup),
                          summaries=tuple(summarize(m) for m in moves))

    def _one_per_sentence(self, doc: _Doc, raw: list[RawMove]) -> list[RawMove]:
        """One move per driver and direction per sentence: the one whose team is named most
        exactly (a team's name over a maker's), then the nearest trigger."""
        best: dict[tuple[int, str, str], RawMove] = {}
        for item in raw:
            key = (item.sentence, item.driver, item.kind.direction)
            current = best.get(key)
            if current is None or _team_rank(item) < _team_rank(current):
                best[key] = item
        for item in raw:  # what the dropped ones knew is not lost
            kept = best[(item.sentence, item.driver, item.kind.direction)]
            if kept is not item:
                kept.replaced = kept.replaced or item.replaced
                kept.car = kept.car or item.car
        keep = {id(m) for m in best.values()}
        return [m for m in raw if id(m) in keep]

    def _focus_team(self, doc: _Doc) -> Mention | None:
        teams = [m for m in doc.mentions if m.kind == TEAM]
        if not teams:
            return None
        # A maker's or sponsor's name in the title ("Falken names two Porsche crews") says
        # less than a team the article names as such.
        named = [m for m in teams if (not m.candidates or any(
            c.how in ("name", "alias") for c in m.candidates)) and not _is_make(doc, m)]
        in_title = [m for m in named or teams if m.start < doc.title_end]
        if in_title:
            # "Bottas leaves Mercedes for multi-year Alfa Romeo deal": where the title goes.
            for mention in in_title:
                if doc.folded[max(0, mention.start - 16):mention.start].split()[-2:] and any(
                        w in _DESTINATION_WORDS
                        for w in doc.folded[max(0, mention.start - 16):mention.start].split()[-2:]):
                    return mention
            return in_title[0]
        teams = named or teams
        counts: dict[str, int] = {}
        for mention in teams:
            key = self._team_name(doc, mention, None)[0]
            counts[key] = counts.get(key, 0) + 1
        best = max(counts.values())
        return next(m for m in teams if counts[self._team_name(doc, m, None)[0]] == best)

    def _in_cue(self, doc: _Doc, cue: str, start: int, end: int) -> bool:
        return any(start <= c_start and c_end <= end for c_start, c_end in doc.cues.get(cue, ()))

    def _aside_of(self, doc: _Doc, position: int) -> tuple[int, int] | None:
        for a_start, a_end in doc.asides:
            if a_start <= position < a_end:
                return a_start, a_end
        return None

    def _visible(self, doc: _Doc, sentence: int, t_start: int) -> list[Mention]:
        s_start, s_end = doc.sentences[sentence]
        if not any(s_start <= a < s_end for a, _ in doc.asides):
            return doc.by_sentence[sentence]
        aside = self._aside_of(doc, t_start)
        seen = []
        for mention in doc.by_sentence[sentence]:
            own = self._aside_of(doc, mention.start)
            if own is not None and own != aside:
                continue
            seen.append(mention)
        return seen

    def _clause_bounds(self, doc: _Doc, sentence: int, t_start: int, t_end: int
                       ) -> tuple[int, int]:
        s_start, s_end = doc.sentences[sentence]
        key = ("breaks", sentence)
        breaks = doc.memo.get(key)
        if breaks is None:
            breaks = doc.memo[key] = [m.span() for m in
                                      _CLAUSE_BREAK.finditer(doc.text, s_start, s_end)]
        left, right = s_start, s_end
        for b_start, b_end in breaks:  # type: ignore[attr-defined]
            if b_end <= t_start:
                left = b_end
            elif b_start >= t_end:
                right = b_start
                break
        return left, right

    def _fill_left(self, doc: _Doc, mentions: list[Mention], slot: str, t_start: int,
                   floor: int, used: set[int], kind: MoveKind = MoveKind.JOIN) -> list[Mention]:
        want = SLOT_KIND[slot]
        before = [m for m in mentions
                  if m.end <= t_start and m.start >= floor and id(m) not in used]
        for mention in reversed(before):
            if mention.kind == SERIES or (mention.kind == CAR and want != CAR):
                continue
            if want == TEAM and mention.kind == TEAM and self._after_cue(doc, mention, "from_team"):
                continue  # "ex-Ganassi driver Felix Rosenqvist": his past, not the move's team
            if want == PERSON and mention.kind == PERSON and (
                    doc.text.startswith(("'s", "’s"), mention.end)
                    or doc.text.endswith(("'s", "’s"), mention.start, mention.end)):
                continue  # "Felipe Nasr, Cameron's co-champion, will ...": Nasr is the subject
            if mention.kind == PERSON and want == TEAM and \
                    doc.text[mention.end:t_start].strip(" ,") in ("and", "") and \
                    mention.end <= t_start:
                # "Nissan has retained Rowland and signed Nato": skip the first verb's object.
                continue
            if mention.kind != want:
                return []
            gap = _outside_asides(doc, mention.end, t_start).split()
            if len(gap) > self.settings["left_words"]:
                return []
            if want == PERSON and any(w in _PRONOUNS for w in gap) and "who" not in gap and \
                    not (kind in (MoveKind.LEAVE, MoveKind.RETIRE) and gap[:1] and
                         gap[0] in _SPEECH_VERBS):
                # "X said that he will be driving for Y": who "he" is, the rules cannot
                # tell; but "X announces he will retire" is X's own news.
                return []
            found = [mention]
            if want == PERSON:
                index = before.index(mention)
                while index > 0:
                    previous = before[index - 1]
                    between = doc.text[previous.end:found[-1].start]
                    if previous.kind != PERSON or not _coordinated(between):
                        break
                    found.append(previous)
                    index -= 1
                found.reverse()
                if not _is_list(doc, found):
                    found = found[-1:]
            return found
        return []

    def _implied_subject(self, doc: _Doc, sentence: int, t_start: int) -> Mention | None:
        """"The Spaniard chose to step away..." after a sentence about Aleix Espargaro: the
        epithet (or "He"/"She") opening a sentence that names nobody is that driver."""
        start = doc.sentences[sentence][0]
        span_end = self._opening_reference(doc, sentence, t_start)
        if span_end is None:
            return None
        name = self._topic(doc, sentence - 1)
        if name is None:
            return None
        word_start = doc.folded.rfind(" ", start, span_end - 1) + 1 if \
            doc.folded[start:span_end].count(" ") > 0 and \
            doc.folded[start:span_end].split()[-1:] in (["he"], ["she"]) else start
        return Mention(max(start, word_start), min(span_end, t_start), PERSON, name,
                       known=True, non_driver=name in self._non_drivers(doc))

    def _opening_reference(self, doc: _Doc, sentence: int, limit: int | None = None
                           ) -> int | None:
        """Where "He", "She" or "The Spaniard, 24," opening a sentence ends; None when the
        sentence opens otherwise."""
        if limit is None:
            key = ("opening", sentence)
            if key not in doc.memo:
                doc.memo[key] = self._opening_reference(doc, sentence, doc.sentences[sentence][1])
            return doc.memo[key]  # type: ignore[return-value]
        start, end = doc.sentences[sentence]
        limit = min(end, limit)
        opening = doc.folded[start:start + 40].split()[:5]
        if opening[:1] in (["he"], ["she"], ["his"], ["her"]):
            return start + len(opening[0])
        if "he" in opening[1:4] or "she" in opening[1:4]:
            # "At Yamaha he replaces Razgatlioglu", "In 2024, she moves to ...": the subject
            # after a short opening phrase, with nobody named before it.
            word = "he" if "he" in opening[1:4] else "she"
            position = doc.folded.find(f" {word} ", start, start + 40) + 1
            if 0 < position < limit and not any(
                    m.kind == PERSON and m.start < position for m in doc.by_sentence[sentence]):
                return position + len(word)
        if opening[:1] == ["the"]:
            epithets = doc.cues.get("epithet", ())
            if not epithets:
                return None
            starts = doc.memo.get(("epithet starts",))
            if starts is None:
                epithets.sort()
                starts = doc.memo[("epithet starts",)] = [c for c, _ in epithets]
            index = bisect_left(starts, start)  # type: ignore[arg-type]
            if index < len(epithets):
                c_start, c_end = epithets[index]
                if c_start < limit and c_start - start <= 80 and \
                        len(doc.folded[start:c_start].split()) <= 5:
                    return c_end
        return None

    def _reference_openings(self, doc: _Doc) -> list[int]:
        """The sentences that open with "He", "She", "His", "Her" or "The <epithet>"."""
        found = doc.memo.get(("references",))
        if found is None:
            # "The ..." refers back only with an epithet ("The Spaniard"), which most
            # articles never write.
            words = _REFERENCE_WORDS if doc.cues.get("epithet") else _REFERENCE_WORDS[:4]
            found = doc.memo[("references",)] = [
                i for i, (start, _) in enumerate(doc.sentences)
                if i and doc.folded.startswith(words, start)
                and self._opening_reference(doc, i) is not None]
        return found  # type: ignore[return-value]

    def _topic(self, doc: _Doc, sentence: int) -> str | None:
        """Who the text is about at a sentence: the first person it names, or, when it opens
        with "He" or an epithet and names nobody before, whom the sentences before were
        about ("Foster, 21, won the title. He will partner Rahal. The Briton steps up...").
        At most four sentences back."""
        key = ("topic", sentence)
        if key not in doc.memo:
            doc.memo[key] = self._find_topic(doc, sentence)
        return doc.memo[key]  # type: ignore[return-value]

    def _find_topic(self, doc: _Doc, sentence: int) -> str | None:
        for index in range(sentence, max(-1, sentence - 4), -1):
            first = doc.first_person[index]
            if first is not None and self._opening_reference(doc, index) is None:
                return first
            if first is not None:
                # "He will be team-mates with Graham Rahal": Rahal is not the subject.
                s_start = doc.sentences[index][0]
                early = [m for m in doc.by_sentence[index] if m.kind == PERSON]
                if early and early[0].start - s_start <= 30 and \
                        len(doc.folded[s_start:early[0].start].split()) <= 1:
                    return first
        return None

    def _non_drivers(self, doc: _Doc) -> set[str]:
        found = doc.memo.get(("non_drivers",))
        if found is None:
            found = doc.memo[("non_drivers",)] = {
                m.value for m in doc.mentions if m.kind == PERSON and m.non_driver}
        return found  # type: ignore[return-value]

    def _subject(self, doc: _Doc, mentions: list[Mention], t_start: int, floor: int
                 ) -> list[Mention]:
        people = [m for m in mentions if m.kind == PERSON and floor <= m.start and m.end <= t_start
                  and not doc.text.startswith(("'s", "’s"), m.end)]
        if not people:
            return []
        found = [people[0]]
        for following in people[1:]:
            if not _coordinated(doc.text[found[-1].end:following.start]) or \
                    doc.text.endswith(("'s", "’s"), following.start, following.end):
                break
            found.append(following)
        return found

    def _fill_right(self, doc: _Doc, mentions: list[Mention], slot: str, t_end: int,
                    ceiling: int, used: set[int]) -> list[Mention]:
        want = SLOT_KIND[slot]
        after = [m for m in mentions if m.start >= t_end and m.end <= ceiling and id(m) not in used]
        limit = self.settings["right_driver_words" if want == PERSON else "right_words"]
        for position, mention in enumerate(after):
            if mention.kind == SERIES or (mention.kind == CAR and want != CAR):
                continue
            if mention.kind != want:
                return []
            if len(doc.folded[t_end:mention.start].split()) > limit:
                return []
            if want == PERSON and _possessive(doc, mention):
                return []  # "Stewart-Haas names Harvick's successor": the successor is named
            found = [mention]
            if want == TEAM and mention.candidates and all(
                    c.how in ("sponsor", "manufacturer") for c in mention.candidates):
                # "a Dallara-Honda ride ... with Meyer Shank Racing": the team's own name, when
                # it follows in the clause, says more than a maker's.
                for later in after[position + 1:]:
                    if later.kind == PERSON:
                        break
                    if later.kind == TEAM and any(c.how in ("name", "alias")
                                                  for c in later.candidates) and \
                            len(doc.folded[t_end:later.start].split()) <= limit + 4 and \
                            doc.folded[:later.start].split()[-1:] in (["with"], ["for"], ["at"]) \
                            and not self._after_cue(doc, later, "from_team"):
                        return [later]
            if want == PERSON:
                for following in after[position + 1:]:
                    between = doc.text[found[-1].end:following.start]
                    if following.kind == CAR and _CAR_IN_LIST.match(
                            doc.text, found[-1].end, following.start):
                        continue  # "A and B in the No. 25 and C with D in the No. 24"
                    if following.kind != PERSON:
                        break
                    previous = max((m for m in after if m.end <= following.start),
                                   key=lambda m: m.end)
                    if previous.kind == CAR:
                        between = doc.text[previous.end:following.start]
                        if not _coordinated(between, with_ok=True):
                            break
                    elif not _coordinated(between, with_ok=True):
                        break
                    found.append(following)
                if not _is_list(doc, found):
                    found = found[:1]
            return found
        return []

    def _apply(self, doc: _Doc, t_start: int, t_end: int, patterns: list[Pattern],
               focus: Mention | None) -> list[RawMove]:
        sentence = doc.sentence_of(t_start)
        s_start, s_end = doc.sentences[sentence]
        stand_in = None
        if doc.first_person[sentence] is None or not any(
                m.kind == PERSON and m.end <= t_start for m in doc.by_sentence[sentence]):
            stand_in = self._implied_subject(doc, sentence, t_start)
            if stand_in is None and (doc.first_person[sentence] is None or all(
                    "driver" in pattern.left for pattern in patterns)):
                return []  # nobody named or meant where the pattern wants its driver
        if all("driver" in pattern.right for pattern in patterns) and not any(
                m.kind == PERSON and m.start >= t_end for m in doc.by_sentence[sentence]):
            return []  # "..., the team announced on Monday": nobody is announced
        blockers = doc.cues.get("blockers", ())
        if any(c_start < t_end and t_start < c_end and not self._ends_in_name(doc, sentence, c_end)
               for c_start, c_end in blockers):
            return []  # "returns to racing", but not "returns to Racing Bulls"
        if _cue_between(doc, "race_context", s_start, s_end):
            return []
        for c_start, _ in doc.cues.get("race_position", ()):
            if t_end <= c_start < s_end and len(doc.folded[t_end:c_start].split()) <= 3:
                return []  # "were promoted to the top step", "moved up to second"
        if _cue_between(doc, "race_result", s_start, s_end) and any(
                pattern.kind is MoveKind.RETIRE for pattern in patterns):
            return []  # "Palou wins at Laguna Seca as Herta retires": a DNF
        first_word = doc.folded[t_start:t_end].split()[0]
        before_words = doc.folded[max(s_start, t_start - 40):t_start].split()
        if first_word.endswith("ing") and before_words[-1:] and before_words[-1] in _NOUN_USE:
            return []  # "changed his mind about retiring": a thing talked of, not done
        mentions = self._visible(doc, sentence, t_start)
        absolute = _WITH_EPITHET.search(doc.folded, max(s_start, t_start - 40), t_start)
        if absolute is not None and not (absolute.group().split()[-1] in self.not_names
                                         or absolute.group().split()[-1].endswith("old")):
            absolute = None  # "with the team taking..." names no person
        if first_word.endswith("ing") and absolute is not None and stand_in is None and \
                doc.first_person[sentence] is not None:
            # "..., with the Spaniard taking over from Vettel": the epithet is the sentence's
            # first person, not the name nearest the verb.
            first = next(m for m in doc.by_sentence[sentence] if m.kind == PERSON)
            stand_in = Mention(absolute.start(), absolute.end(), PERSON, first.value,
                               known=first.known, non_driver=first.non_driver)
            mentions = [m for m in mentions if not absolute.start() <= m.start < t_start]
        if stand_in is not None:
            mentions = sorted([stand_in, *mentions], key=lambda m: m.start)
        c_left, c_right = self._clause_bounds(doc, sentence, t_start, t_end)
        # "who has left to join Maserati": a later trigger owns what follows it.
        following = bisect_right(doc.trigger_starts, t_end)
        if following < len(doc.trigger_starts) and doc.trigger_starts[following] < c_right:
            c_right = doc.trigger_starts[following]
        best: tuple[int, Pattern, dict[str, list[Mention]]] | None = None
        bare = doc.folded[t_start:t_end] in ("to", "for")
        ends_clause = t_end >= len(doc.text) or doc.text[t_end:t_end + 2].lstrip(" ")[:1] in (
            "", ".", ",", ";", ":", "!", "?", "\n")
        participle = doc.text[max(0, t_start - 2):t_start].strip() == "," and \
            doc.folded[t_start:t_end].split()[0].endswith("ing")
        if not participle and (doc.folded[c_left:t_start].split()[-1:] == ["and"] or
                               doc.folded.startswith("to ", t_start)):
            # "Rea will leave Kawasaki at the end of the season and join Pata Yamaha", "will
            # leave Triple Eight to race in NASCAR with Trackhouse": the second verb's subject
            # is the clause's, not the team just before it.
            before = [m for m in mentions if c_left <= m.start and m.end <= t_start]
            participle = bool(before) and before[-1].kind != PERSON
        # "will be paired with X": a team's verb after a form of "be" is passive, and its
        # subject is who it was done to.
        passive = doc.folded[max(s_start, t_start - 12):t_start].split()[-1:] in _BE_WORDS
        for pattern in patterns:
            if pattern.title_only and t_start >= doc.title_end:
                continue
            if passive and pattern.left[:1] == ("team",) and "driver" in pattern.right:
                continue
            if pattern.title_only and bare and not any(
                    m.end <= t_start and not doc.text[m.end:t_start].strip(" '’s")
                    for m in mentions if m.kind == PERSON):
                continue  # "Hamilton to Ferrari", but not "Bearman tests for Haas"
            if pattern.clause_end and not ends_clause:
                continue
            filled: dict[str, list[Mention]] = {}
            used: set[int] = set()
            ok = True
            distance = 0
            for slot in pattern.left:
                if slot == "driver" and participle:
                    # "Lawson will race alongside Verstappen, replacing Perez": the clause's
                    # subject replaces, not the name just before the comma.
                    found = self._subject(doc, mentions, t_start, c_left)
                else:
                    found = self._fill_left(doc, mentions, slot, t_start, c_left, used,
                                            pattern.kind)
                if not found:
                    ok = slot == "team"
                    if not ok:
                        break
                    continue
                filled[slot] = found
                used.update(id(m) for m in found)
                distance += t_start - found[-1].end
            if not ok:
                continue
            for slot in pattern.right:
                found = self._fill_right(doc, mentions, slot, t_end, c_right, used)
                if not found:
                    if slot in ("driver", "replaced", "car"):
                        ok = False
                        break
                    continue
                filled[slot] = found
                used.update(id(m) for m in found)
                distance += found[0].start - t_end
            if not ok or "driver" not in filled:
                continue
            if pattern.follow and not self._followed_by(doc, pattern, filled):
                continue
            missing = sum(1 for slot in (*pattern.left, *pattern.right) if slot not in filled)
            score = missing * 10_000 + distance
            if best is None or score < best[0]:
                best = (score, pattern, filled)
        if best is None:
            return []
        _, pattern, filled = best
        drivers = [m for m in filled["driver"] if not m.non_driver]
        if not drivers or (pattern.plural and len(filled["driver"]) < 2):
            return []  # "Ragan drives the No. 38 for Front Row": where he is, not news
        kind = pattern.kind
        # "Triple Eight confirms Van Gisbergen exit": the word after the name decides the kind.
        last = filled["driver"][-1]
        if last.start >= t_end:
            following = doc.folded[last.end:last.end + 30]
            offset = last.end + (len(following) - len(following.lstrip()))
            if offset in doc.object_kind:
                kind = doc.object_kind[offset][1]
            elif following.split()[:1] and following.split()[0] in _AUXILIARIES:
                # "McLaren announced that Hughes was leaving": the clause's own verb decides,
                # read by its own trigger if it has one; "... confirms Lawson will partner
                # Verstappen" still announces a seat.
                verb = following.split()[1:2]
                if not verb or verb[0] not in _SEAT_VERBS:
                    return []
                kind = _SEAT_VERBS[verb[0]] or kind
        if kind is MoveKind.PROMOTE and (any(
                m.kind == SERIES and t_end <= m.start and
                len(doc.folded[t_end:m.start].split()) <= 1 for m in mentions) or any(
                t_end <= c_start and len(doc.folded[t_end:c_start].split()) <= 1
                for c_start, _ in doc.cues.get("new_level", ()))):
            # "steps up to MotoGP with Trackhouse", "steps up to Hypercar": a new series or
            # class, which is a join.
            kind = MoveKind.JOIN
        if kind is MoveKind.JOIN and _cue_between(doc, "retention", c_left, c_right):
            kind = MoveKind.EXTEND  # "will drive for the team again in 2026"
        if self._negated(doc, t_start, t_end, drivers, s_start, s_end):
            # "X will not continue with Y" is an exit; "will not join" is nothing at all.
            if kind is not MoveKind.EXTEND or self._denied(doc, s_start, s_end):
                return []
            kind = MoveKind.LEAVE
        for _c_start, c_end in doc.cues.get("background", ()):
            if 0 <= t_start - c_end <= 30 and len(doc.folded[c_end:t_start].split()) <= 2:
                return []  # "had already been confirmed": earlier news restated
        before = doc.folded[max(s_start, t_start - 40):t_start].split()[-3:]
        if "who" in before:
            verb = (before[before.index("who") + 1:] + doc.folded[t_start:t_end].split())[0]
            if verb in _PAST_VERBS:
                # "Van Gisbergen, who left the team last year, watched", "Hamlin, who signed
                # a new deal with Joe Gibbs Racing last year, finished fifth": their past.
                return []
        for c_start, _ in doc.cues.get("programme", ()):
            if t_end <= c_start < s_end and len(doc.folded[t_end:c_start].split()) <= 3:
                return []  # "has joined the Mercedes junior programme": no seat
        for c_start, _ in doc.cues.get("non_driver", ()):
            if not t_end <= c_start < s_end:
                continue
            between = doc.folded[t_end:c_start].split()
            if len(between) <= 3 or (len(between) <= 10 and "as" in between[-3:]
                                     and not {"driver", "rider"} & set(between)):
                # "joins the ownership group", "promoted to team principal", "will join Aston
                # Martin in March as managing technical partner"
                return []
        status = self._status(doc, t_start, t_end, s_start, s_end)
        team = (filled.get("team") or [None])[0]
        from_context = False
        teammates: list[Mention] = []
        if team is None:
            # The object of "joins" was a person ("joins A and B"): teammates, not a team.
            after = [m for m in mentions if m.start >= t_end and m.end <= c_right]
            if after and after[0].kind == PERSON and "team" in pattern.right and \
                    kind in (MoveKind.JOIN, MoveKind.EXTEND):
                    teammates = [m for m in after if m.kind == PERSON and m not in drivers]
            generic = self._generic_team(doc, t_end, c_left, c_right)
            if teammates or generic or not (set(pattern.left) | set(pattern.right)) & {"team"}:
                team = self._team_in_sentence(doc, mentions, drivers, t_start, c_right)
                if team is None and (generic or teammates or "team" not in pattern.right):
                    team = focus
                    from_context = True
        if team is None and kind not in (MoveKind.RETIRE,):
            return []
        replaced = filled.get("replaced", [None])[0]
        car = filled.get("car", [None])[0]
        if kind is MoveKind.JOIN and replaced is not None and self._interim(doc, s_start, s_end):
            kind = MoveKind.REPLACE
        moves = []
        for driver in drivers:
            moves.append(RawMove(
                kind=kind, driver=driver.value, driver_mention=driver, sentence=sentence,
                trigger=(t_start, t_end), pattern=pattern, team=team,
                team_from_context=from_context,
                replaced=replaced.value if replaced is not None and replaced.value != driver.value
                else None,
                car=car.value if car is not None else None, status=status,
                teammates=teammates, co_drivers=tuple(d.value for d in drivers),
            ))
        return moves

    @staticmethod
    def _ends_in_name(doc: _Doc, sentence: int, position: int) -> bool:
        return any(m.start < position <= m.end and m.kind in (TEAM, PERSON)
                   for m in doc.by_sentence[sentence])

    def _generic_team(self, doc: _Doc, t_end: int, c_left: int, c_right: int) -> bool:
        """The clause names the team only as "the team", "the squad", "its", or "the
        Brackley team", "the Italian outfit"..."""
        return _cue_between(doc, "generic_team", c_left, c_right) or \
            _DESCRIBED_TEAM.search(doc.folded, t_end, c_right) is not None

    @staticmethod
    def _followed_by(doc: _Doc, pattern: Pattern, filled: dict[str, list[Mention]]) -> bool:
        """"Norris extends McLaren deal": the word after the last slot completes the phrase."""
        last = max((found[-1] for found in filled.values()), key=lambda m: m.end)
        words = [w for w in doc.folded[last.end:last.end + 40].split() if w != "s"][:2]
        return any(w in pattern.follow for w in words)

    def _team_in_sentence(self, doc: _Doc, mentions: list[Mention], drivers: list[Mention],
                          t_start: int, ceiling: int) -> Mention | None:
        teams = [m for m in mentions if m.kind == TEAM and not self._after_cue(doc, m, "from_team")
                 and not _possessive_of_person(doc, m, mentions) and m.start < ceiling]
        if not teams:
            return None
        after = [m for m in teams if m.start >= t_start]
        return after[0] if after else teams[-1]

    def _after_cue(self, doc: _Doc, mention: Mention, cue: str, words: int = 2) -> bool:
        ends = doc.memo.get(("cue ends", cue))
        if ends is None:
            ends = doc.memo[("cue ends", cue)] = sorted(e for _, e in doc.cues.get(cue, ()))
        index = bisect_left(ends, mention.start - 20 * words)  # type: ignore[arg-type]
        while index < len(ends) and ends[index] <= mention.start:  # type: ignore[arg-type]
            if len(doc.folded[ends[index]:mention.start].split()) <= words:  # type: ignore
                return True
            index += 1
        return False

    def _negated(self, doc: _Doc, t_start: int, t_end: int, drivers: list[Mention],
                 s_start: int, s_end: int) -> bool:
        opening = drivers[0].start if drivers else s_start
        if doc.folded[max(s_start, opening - 9):opening].split()[-1:] == ["neither"]:
            return True  # "neither A nor B will be retained"
        left_edge = max(s_start, max((d.end for d in drivers if d.end <= t_start), default=s_start))
        for c_start, c_end in doc.cues.get("negation", ()):
            if c_start >= t_start and c_end <= t_end:
                continue  # "will not return to" is itself a leave trigger
            if left_edge <= c_start and c_end <= t_start and \
                    len(doc.folded[c_end:t_start].split()) <= 4 and \
                    "and" not in doc.folded[c_end:t_start].split():
                # "reverses retirement and re-signs": the denial's object is its own.
                return True
            if s_start <= c_start < s_end and doc.folded[c_start:c_end] in _DENIALS:
                return True
        return False

    def _denied(self, doc: _Doc, s_start: int, s_end: int) -> bool:
        return any(s_start <= c < s_end and doc.folded[c:e] in _DENIALS
                   for c, e in doc.cues.get("negation", ()))

    def _status(self, doc: _Doc, t_start: int, t_end: int, s_start: int, s_end: int) -> Status:
        """A rumour cue before the trigger, or after it in the same clause, makes a rumour,
        unless the article says it was made official in between."""
        if doc.text[s_start:s_end].rstrip().endswith("?"):
            return Status.RUMOUR  # "Coyne parts ways with Siegel?" asks, it does not report
        clause_end = s_end
        for match in _RUMOUR_CLAUSE_END.finditer(doc.text, t_end, s_end):
            clause_end = match.start()
            break
        confirmations = [c for c, _ in doc.cues.get("confirmation", ()) if s_start <= c < t_start]
        for c_start, c_end in doc.cues.get("rumour", ()):
            if c_start >= t_start and c_end <= t_end:
                continue
            if s_start <= c_start and c_end <= min(clause_end, t_end + 60):
                if c_end <= t_start and any(c_end <= c <= t_start for c in confirmations):
                    continue  # "Amid rumours ..., Aprilia has made it official that ..."
                return Status.RUMOUR
        return Status.CONFIRMED

    def _interim(self, doc: _Doc, s_start: int, s_end: int) -> bool:
        return _cue_between(doc, "interim", s_start, s_end)

    # ----- from raw moves to moves ---------------------------------------------------------------

    def _team_name(self, doc: _Doc, mention: Mention, car: str | None
                   ) -> tuple[str, str | None, float]:
        """Canonical team, its series, and a confidence factor for how sure the name is."""
        key = ("team", mention.start, car, doc.focus)
        if key not in doc.memo:
            doc.memo[key] = self._resolve_team(doc, mention, car)
        return doc.memo[key]  # type: ignore[return-value]

    def _resolve_team(self, doc: _Doc, mention: Mention, car: str | None
                      ) -> tuple[str, str | None, float]:
        candidates = list(mention.candidates)
        if car is None and len(candidates) == 1:
            only = candidates[0]  # one team by this name: nothing to decide
            if only.how in ("name", "alias"):
                return only.team, only.series, 1.0
        sentence = doc.sentence_of(mention.start)
        nearby = {m.value for m in doc.by_sentence[sentence] if m.kind == SERIES}
        if not candidates:
            return mention.value, (next(iter(nearby)) if len(nearby) == 1
                                   else doc.series_hint), 0.9
        hint = {doc.series_hint} if doc.series_hint else set()
        for series_set in (nearby, hint, doc.series_seen):
            narrowed = [c for c in candidates if c.series in series_set]
            if narrowed:
                candidates = narrowed
                break
        if car is not None:
            with_car = [c for c in candidates
                        if car in self.gazetteer.teams[(c.series, c.team)].cars]
            if not with_car:
                # "Cadillac Racing ... No. 31": another entry of the same make runs that car.
                words = set(fold(mention.value).split()) - _TEAM_WORDS - _GENERIC_TEAM_WORDS
                for series in {c.series for c in candidates}:
                    for info, info_words in self.gazetteer.teams_with_car(series, car):
                        if words & info_words:
                            with_car.append(TeamCandidate(info.name, info.series, "alias"))
            if with_car:
                candidates = with_car
        best = HOW_RANK[candidates[0].how]
        if best >= HOW_RANK["sponsor"] and doc.focus is not None:
            # "the team's No. 66 ... Honda" in a story about Meyer Shank Racing: that team.
            for candidate in candidates:
                if candidate.team == doc.focus:
                    return candidate.team, candidate.series, 0.9
        top = [c for c in candidates if HOW_RANK[c.how] == best]
        teams = {(c.team, c.series) for c in top}
        if len(teams) == 1:
            chosen = top[0]
            return chosen.team, chosen.series, 1.0 if chosen.how in ("name", "alias") else 0.9
        series = {c.series for c in top}
        return mention.value, (series.pop() if len(series) == 1 else doc.series_hint), 0.7

    def _finish(self, doc: _Doc, raw: list[RawMove], focus: Mention | None) -> list[Move]:
        merged: dict[tuple[str, str, str], dict[str, object]] = {}
        order: list[tuple[str, str, str]] = []
        sentences_of: dict[str, set[int]] = {}
        for item in raw:
            sentences_of.setdefault(item.driver, set()).add(item.sentence)
        for item in raw:
            car = item.car or self._car_for(doc, item, sentences_of[item.driver])
            team, series, certainty = ("", doc.series_hint, 1.0)
            if item.team is not None:
                team, series, certainty = self._team_name(doc, item.team, car)
            key = (item.driver, item.kind.direction, team)
            confidence = item.pattern.confidence * certainty
            if item.team_from_context:
                confidence *= 0.85
            if item.status is Status.RUMOUR:
                confidence *= 0.5
            if not item.driver_mention.known:
                confidence *= 0.9
            entry = merged.get(key)
            if entry is None:
                alternatives = {c.team for c in item.team.candidates} if (
                    item.team is not None and certainty <= 0.7) else set()
                entry = {"kind": item.kind, "team": team or None, "series": series,
                         "alternatives": alternatives, "brand": _brand_only(item),
                         "car": car, "replaced": item.replaced, "status": item.status,
                         "confidence": confidence, "items": [item],
                         "teammates": list(item.teammates)}
                merged[key] = entry
                order.append(key)
                continue
            entry["items"].append(item)  # type: ignore[union-attr]
            entry["brand"] = entry["brand"] and _brand_only(item)
            if item.status is Status.CONFIRMED:
                entry["status"] = Status.CONFIRMED
            entry["confidence"] = max(entry["confidence"], confidence)  # type: ignore[type-var]
            entry["car"] = entry["car"] or car
            entry["replaced"] = entry["replaced"] or item.replaced
            # The lead states the move; a later "stood in for" is background, but a later
            # sentence may say the arrival is a promotion or the departure a retirement.
            if item.kind in (MoveKind.PROMOTE, MoveKind.RETIRE) and entry["kind"] in (
                    MoveKind.JOIN, MoveKind.LEAVE):
                entry["kind"] = item.kind
            entry["teammates"].extend(item.teammates)  # type: ignore[union-attr]
        # "Cadillac" (two Cadillac entries) beside "Action Express Racing": the same move.
        for key in list(order):
            alternatives = merged[key]["alternatives"] if key in merged else set()
            if not alternatives:
                continue
            driver, direction, _team = key
            targets = [k for k in order if k != key and k[0] == driver and k[1] == direction
                       and k[2] in alternatives]  # type: ignore[operator]
            if targets:
                target = merged[targets[0]]
                source = merged.pop(key)
                order.remove(key)
                target["items"].extend(source["items"])  # type: ignore[union-attr]
                target["car"] = target["car"] or source["car"]
                target["replaced"] = target["replaced"] or source["replaced"]
        # A move with no team joins the same driver's move in the same direction.
        for key in list(order):
            driver, direction, team = key
            if team:
                continue
            others = [k for k in order if k[0] == driver and k[1] == direction and k[2]]
            if len(others) == 1 and key in merged:
                target = merged[others[0]]
                source = merged.pop(key)
                order.remove(key)
                target["kind"] = source["kind"] if source["kind"] in (
                    MoveKind.RETIRE, MoveKind.PROMOTE, MoveKind.REPLACE) else target["kind"]
                target["items"].extend(source["items"])  # type: ignore[union-attr]
        # "BMW confirms Rossi" and "Rossi will race for Team WRT": the maker announced a seat
        # at the team it names, which is the move.
        for key in list(order):
            driver, direction, _team = key
            if merged[key]["brand"] and any(
                    k != key and k[0] == driver and k[1] == direction and k[2]
                    and not merged[k]["brand"] for k in order):
                merged.pop(key)
                order.remove(key)
        # Leaving a team and arriving at it: "Arrow McLaren has parted ways with Malukas ...
        # Malukas moved to Arrow McLaren over the winter" restates how he got there; the move
        # stated first is the story.
        for key in list(order):
            driver, direction, team = key
            if direction == "arrive" and team and (driver, "depart", team) in merged and \
                    merged[(driver, "depart", team)]["kind"] is MoveKind.LEAVE:
                depart = (driver, "depart", team)
                later = key if _first_sentence(merged[key]) >= _first_sentence(merged[depart]) \
                    else depart
                merged.pop(later)
                order.remove(later)
        # Staying and arriving at the same team: the explicit retention is the story.
        for key in list(order):
            driver, direction, team = key
            if direction == "arrive" and (driver, "stay", team) in merged:
                merged.pop(key)
                order.remove(key)
        # "Barnard takes over from Hughes at McLaren" + "Hughes joins Maserati": Hughes comes
        # from McLaren.
        seat_left: dict[str, str] = {}
        for key in order:
            if key[1] == "arrive" and key[2] and merged[key]["replaced"]:
                seat_left.setdefault(str(merged[key]["replaced"]), key[2])
        moves: list[Move] = []
        leaves = {(k[0]): k for k in order if k[1] == "depart" and
                  merged[k]["kind"] is MoveKind.LEAVE}
        dropped: set[tuple[str, str, str]] = set()
        for key in order:
            entry = merged[key]
            driver, direction, team = key
            items: list[RawMove] = entry["items"]  # type: ignore[assignment]
            kind: MoveKind = entry["kind"]  # type: ignore[assignment]
            first = items[0]
            from_team = None
            if direction == "arrive":
                from_team = self._from_team(doc, items, team)
                if from_team is None and seat_left.get(driver, team) != team:
                    from_team = seat_left[driver]
                leave_key = leaves.get(driver)
                if leave_key and leave_key[2] and leave_key[2] != team and \
                        merged[leave_key]["status"] is Status.CONFIRMED and \
                        entry["status"] is Status.CONFIRMED:
                    from_team = from_team or leave_key[2]
                    if from_team == leave_key[2]:
                        dropped.add(leave_key)
            replaced = entry["replaced"] or (
                self._replaced(doc, items) if direction == "arrive" else None)
            if kind is MoveKind.JOIN and replaced and any(
                    self._interim(doc, *doc.sentences[item.sentence]) for item in items):
                # "Alpine will run Colapinto in place of Doohan for the next five grands prix"
                kind = MoveKind.REPLACE
            season = self._season(doc, items, kind)
            confidence = float(entry["confidence"])  # type: ignore[arg-type]
            if season is not None and doc.published is not None and \
                    season < doc.published.year - 1:
                confidence *= 0.4  # "signed for McLaren in 2007": career history restated
            role = self._role(doc, items, kind)
            if kind is MoveKind.JOIN and self._prior_role(doc, items):
                kind = MoveKind.PROMOTE
            evidence_span = doc.sentences[first.sentence]
            evidence = doc.text[evidence_span[0]:evidence_span[1]].strip()
            moves.append(Move(
                driver=doc.name(driver), kind=kind,
                team=self._team_as_written(doc, entry["team"]),  # type: ignore[arg-type]
                car=entry["car"], series=entry["series"],  # type: ignore[arg-type]
                season=season, role=role,
                from_team=self._team_as_written(doc, from_team) if from_team != team else None,
                replaces=doc.name(replaced) if replaced and replaced != driver else None,
                teammates=tuple(dict.fromkeys(
                    [doc.name(m.value) for m in entry["teammates"]  # type: ignore[union-attr]
                     if m.value != driver] + ([doc.name(m) for m in self._teammates(doc, items)]
                                              if direction != "depart" else []))),
                status=entry["status"],  # type: ignore[arg-type]
                confidence=round(min(1.0, confidence), 3),
                evidence=evidence[:500],
            ))
        return [m for m, key in zip(moves, order, strict=True) if key not in dropped]

    def _team_as_written(self, doc: _Doc, team: str | None) -> str | None:
        """The team under a name the article uses: the gazetteer's name when the article
        writes it, else the fullest of the article's own names or aliases for the team
        ("Andretti Autosport" in a 2022 story, not today's "Andretti Global"). A sponsor's or
        maker's name is not the team's, so it never stands in."""
        if not team:
            return team
        key = ("written", team)
        if key in doc.memo:
            return doc.memo[key]  # type: ignore[return-value]
        written = team
        if not _writes(doc, _name_key(team)):
            best = 0
            for mention in doc.mentions:
                if mention.kind == TEAM and mention.end - mention.start > best and any(
                        c.team == team and c.how in ("name", "alias")
                        for c in mention.candidates):
                    best = mention.end - mention.start
                    written = _strip_possessive(doc.text[mention.start:mention.end])
            # "Red Bull" is plainly Red Bull Racing: the shared name keeps one team per team.
            ours, theirs = f" {_name_key(written)} ", f" {_name_key(team)} "
            if ours in theirs or theirs in ours:
                written = team
        doc.memo[key] = written
        return written

    def _car_for(self, doc: _Doc, item: RawMove, busy: set[int] | frozenset[int] = frozenset()
                 ) -> str | None:
        """The car number stated for this driver: in the move's clause, else a sentence that
        names the driver and one car and nobody else."""
        c_left, c_right = self._clause_bounds(doc, item.sentence, *item.trigger)
        mentions = doc.by_sentence[item.sentence]
        cars = [m for m in mentions if m.kind == CAR and c_left <= m.start < c_right]
        if len({m.value for m in cars}) == 1:
            return cars[0].value  # "In the #36, A joins B and new signing C": one crew
        if cars:
            mates = set(self._teammates(doc, [item])) | {m.value for m in item.teammates}
            others = [m for m in mentions if m.kind == PERSON and m.value != item.driver
                      and m.value not in mates and m.value not in item.co_drivers
                      and c_left <= m.start < c_right]
            anchor = item.driver_mention.start
            cars.sort(key=lambda m: abs(m.start - anchor))
            for car in cars:
                low, high = sorted((anchor, car.start))
                if not any(low < o.start < high for o in others):
                    return car.value
        about: set[int] | None = None
        for index in doc.car_sentences:
            sentence_mentions = doc.by_sentence[index]
            if index == item.sentence or index in busy:
                continue
            people = [m for m in sentence_mentions if m.kind == PERSON]
            for person in people:
                if person.value != item.driver:
                    continue
                low, high = self._clause_bounds(doc, index, person.start, person.end)
                numbers = {m.value for m in sentence_mentions
                           if m.kind == CAR and low <= m.start < high}
                strangers = [m for m in people if low <= m.start < high
                             and m.value not in item.co_drivers and m.value != item.driver]
                if len(numbers) == 1 and not strangers:
                    return numbers.pop()
            numbers = {m.value for m in sentence_mentions if m.kind == CAR}
            if len(numbers) != 1:
                continue
            if about is None:
                about = set(self._sentences_about(doc, [item]))
            if index in about and (
                    not people or self._opening_reference(doc, index, people[0].start)):
                # "The New Zealander takes over the #66"; "The Pole will share the No. 83
                # with A and B".
                return numbers.pop()
        return None

    def _sentences_about(self, doc: _Doc, items: list[RawMove]) -> list[int]:
        """The move's sentences, those whose first person is the driver, and a following
        sentence that opens with "He"/"She" and names nobody."""
        driver = items[0].driver
        key = ("about", driver, items[0].sentence if len(items) == 1 else
               tuple(sorted({item.sentence for item in items})))
        if key in doc.memo:
            return doc.memo[key]  # type: ignore[return-value]
        found = {item.sentence for item in items}
        found.update(i for i, first in enumerate(doc.first_person) if first == driver)
        # "He ...", "The Spaniard, who ... Vowles, ..." after sentences about the driver.
        named = doc.person_sentences.get(driver)
        if named:
            first = min(named)
            found.update(i for i in self._reference_openings(doc)
                         if i > first and i not in found and self._topic(doc, i) == driver)
        doc.memo[key] = sorted(found)
        return doc.memo[key]  # type: ignore[return-value]

    def _teammates(self, doc: _Doc, items: list[RawMove]) -> list[str]:
        """Drivers named after "teamed with", "alongside", "co-drivers" in the move's
        sentences: the same car or team."""
        key = ("mates", items[0].driver, tuple(sorted({item.sentence for item in items})))
        if key not in doc.memo:
            doc.memo[key] = self._find_teammates(doc, items)
        return doc.memo[key]  # type: ignore[return-value]

    def _find_teammates(self, doc: _Doc, items: list[RawMove]) -> list[str]:
        driver = items[0].driver
        cues = doc.cues.get("teammate", ())
        mates: list[str] = []
        own = {item.sentence for item in items}
        # "He will partner Andrea Locatelli" after the move: the driver's teammate too.
        own.update(i for i in self._reference_openings(doc)
                   if i > min(own) and self._topic(doc, i) == driver)
        read_from, read_to = doc.memo.get(("local range",), (0, 0))  # type: ignore[misc]
        for index in sorted(own):
            s_start, s_end = doc.sentences[index]
            people = [m for m in doc.by_sentence[index] if m.kind == PERSON]
            if not people:
                continue
            if not read_from <= s_start < read_to:
                cues = self._mate_cues(doc, index)
            else:
                cues = doc.cues.get("teammate", ())
            for c_start, c_end in cues:
                if not s_start <= c_start < s_end:
                    continue
                following = [m for m in people if m.start >= c_end]
                if not following or len(doc.folded[c_end:following[0].start].split()) > 8:
                    continue
                chain = [following[0]]
                for nxt in following[1:]:
                    if not _coordinated(doc.text[chain[-1].end:nxt.start]):
                        break
                    chain.append(nxt)
                mates.extend(m.value for m in chain if m.value != driver and not m.non_driver)
        return list(dict.fromkeys(mates))

    def _mate_cues(self, doc: _Doc, index: int) -> list[tuple[int, int]]:
        key = ("mate cues", index)
        if key not in doc.memo:
            found: dict[str, list[tuple[int, int]]] = {}
            if self._mate_automaton.kind == ahocorasick.AHOCORASICK:
                s_start, s_end = doc.sentences[index]
                self._scan(self._mate_automaton, doc.folded[s_start:s_end], s_start, 0,
                           [], found, [], [], {}, [])
            doc.memo[key] = found.get("teammate", [])
        return doc.memo[key]  # type: ignore[return-value]

    def _from_team(self, doc: _Doc, items: list[RawMove], team: str) -> str | None:
        driver = items[0].driver
        found: list[tuple[bool, str]] = []
        about = self._sentences_about(doc, items)
        # A sentence that names nobody, right after one about the driver, is about them too.
        nearby = set(about) | {i + 1 for i in about if i + 1 < len(doc.sentences)
                               and not doc.first_person[i + 1]}
        for index in sorted(nearby):
            mentions = doc.by_sentence[index]
            for mention in mentions:
                if mention.kind != TEAM:
                    continue
                if self._after_cue(doc, mention, "from_team") or _possessive_before(
                        doc, mention, driver, mentions) or _ROLE_AT.match(
                        doc.text, mention.end):
                    name = self._team_name(doc, mention, None)[0]
                    if name == team:
                        continue
                    # "taking over from Hughes, who has left to join Maserati": Hughes left.
                    people = [m for m in mentions if m.kind == PERSON and m.end <= mention.start]
                    if people and people[-1].value != driver:
                        continue
                    # A sentence about the driver alone says it best: "A and B join, having
                    # left X and Y" is vaguer than "B moves on after seven seasons with Y".
                    alone = len({m.value for m in people}) <= 1
                    if alone:
                        return name
                    found.append((alone, name))
        if found:
            return found[0][1]
        # "Meyer Shank Racing, his sports car team, has put that program on hiatus";
        # "during his Rahal Letterman Lanigan Racing spell": the nearest person named before
        # (or the driver the sentence is about) is the one whose team it was.
        nearby |= doc.person_sentences.get(driver, set())
        for index in sorted(nearby):
            s_start, s_end = doc.sentences[index]
            folded = f" {doc.folded[s_start:s_end]} "
            if " his " not in folded and " her " not in folded:
                continue  # both shapes below need "his" or "her"
            for mention in doc.by_sentence[index]:
                if mention.kind != TEAM:
                    continue
                his_team = _HIS_TEAM.match(doc.text, mention.end) or (
                    _HIS_BEFORE.search(doc.text, max(0, mention.start - 8), mention.start)
                    and _SPELL_AFTER.match(doc.text, mention.end))
                if not his_team:
                    continue
                name = self._team_name(doc, mention, None)[0]
                people = [m for m in doc.by_sentence[index]
                          if m.kind == PERSON and m.end <= mention.start]
                if name != team and (people[-1].value == driver if people
                                     else index in about or index - 1 in about):
                    return name
        return None

    def _replaced(self, doc: _Doc, items: list[RawMove]) -> str | None:
        driver = items[0].driver
        for index in self._sentences_about(doc, items):
            mentions = doc.by_sentence[index]
            for mention in mentions:
                if mention.kind == PERSON and mention.value != driver and (
                        self._after_cue(doc, mention, "replaces", words=3) or (
                            _possessive(doc, mention) and _SEAT_OF.match(
                                doc.text, mention.end - 2 if doc.text.endswith(
                                    ("'s", "’s"), mention.start, mention.end)
                                else mention.end))):
                    # "takes the seat of three-time champion Shane van Gisbergen", "named
                    # Berry as Kevin Harvick's successor"
                    return mention.value
        return None

    def _season(self, doc: _Doc, items: list[RawMove], kind: MoveKind) -> int | None:
        """The first season in the new seat; for a leave or retirement the last one."""
        departing = kind.direction == "depart"
        for item in items:
            s_start, s_end = doc.sentences[item.sentence]
            found = self._season_in(doc, s_start, s_end, departing, anchor=item.trigger[1])
            if found is not None:
                return found
        title = self._season_in(doc, 0, doc.title_end, departing)
        if title is not None:
            return title
        for index in self._sentences_about(doc, items):
            s_start, s_end = doc.sentences[index]
            found = self._season_in(doc, s_start, s_end, departing, strict=True)
            if found is not None:
                return found
        found = self._season_in(doc, 0, len(doc.text), departing, strict=True)
        if found is None and doc.published is not None and (
                departing or kind is MoveKind.REPLACE):
            # A release or a stand-in with no season named happens in the current one.
            found = doc.published.year
        return found

    def _season_in(self, doc: _Doc, start: int, end: int, departing: bool,
                   strict: bool = False, relative: bool = True, anchor: int = -1) -> int | None:
        key = ("season", start, end, departing, strict, relative, anchor)
        if key not in doc.memo:
            doc.memo[key] = self._read_season(doc, start, end, departing, strict, relative,
                                              anchor)
        return doc.memo[key]  # type: ignore[return-value]

    def _read_season(self, doc: _Doc, start: int, end: int, departing: bool,
                     strict: bool, relative: bool, anchor: int) -> int | None:
        """The season a span of text names: a year, "2023-24" (the year it ends), Formula E's
        "Season 11", or "next season"/"this season"/"when the season ends" against the
        article's date. `strict` (for text that is not the move's own sentence) counts only
        years that read as seasons ("in 2025", "the 2025 season") and reads them as written;
        in the move's own sentence "X will not race for Y in 2025" means a last season of
        2024, and an older year counts only right after the trigger ("moved to BMW in 2021")."""
        text = doc.text[start:end]
        years: list[tuple[int, int]] = []
        for match in _YEAR.finditer(text):
            if strict and not (_SEASON_BEFORE.search(text, max(0, match.start() - 14),
                                                     match.start())
                               or _SEASON_AFTER.match(text, match.end())):
                continue
            year = 1900 + int(match.group(1)) if match.group(0).startswith("19") else \
                2000 + int(match.group(1))
            if match.group(2):  # "2023-24" is the season that ends in 2024
                tail = match.group(2)
                year = int(tail) if len(tail) == 4 else (year // 100) * 100 + int(tail)
            years.append((match.start(), year))
        for match in (_FE_SEASON.finditer(text) if "eason " in text else ()):
            if "formula e" in doc.folded or (doc.series_hint or "") == "Formula E":
                number = match.group(1)
                years.append((match.start(), 2014 + (
                    int(number) if number.isdigit() else _NUMBER_WORDS[number])))
        if doc.published is not None:
            year_now = doc.published.year
            right_after = anchor - start
            years = [(p, y) for p, y in years if year_now - 1 <= y <= year_now + 3 or (
                y < year_now and anchor >= 0 and p - right_after >= 0 and
                len(text[right_after:p].split()) <= 6)]
            for c_start, _ in doc.cues.get("next_season", ()):
                if start <= c_start < end:
                    # Who leaves "next season" races for the last time this one.
                    years.append((c_start - start, year_now + (0 if departing else 1)))
            for c_start, _ in doc.cues.get("this_season", ()):
                if start <= c_start < end:
                    years.append((c_start - start, year_now))
            for c_start, _ in doc.cues.get("season_end", ()):
                if start <= c_start < end:
                    # Leaving "when the season ends" ends this season; arriving starts the next.
                    years.append((c_start - start, year_now + (0 if departing else 1)))
        elif not years and relative and any(
                start <= c < end for c, _ in doc.cues.get("next_season", ())):
            # No date: "next season" is the latest season the article names.
            latest = self._season_in(doc, 0, len(doc.text), False, strict=True, relative=False)
            if latest is not None:
                years.append((0, latest - (1 if departing else 0)))
        if not years:
            return None
        if departing:
            prefix = text.lower()
            for position, year in years:
                before = prefix[max(0, position - 12):position]
                future = doc.published is None or year >= doc.published.year
                if (not strict or future) and _SEASON_IN_FOR.search(before) and \
                        not _SEASON_END_WORDS.search(prefix[max(0, position - 30):position]):
                    return year - 1
            return min(y for _, y in years)
        return max(y for _, y in years)

    def _role_cues(self, doc: _Doc, item: RawMove) -> tuple[list[str], list[str]]:
        """Roles named near the move: (the new role, the role the driver had before).

        A role is near when it is within eight words of the trigger or of the driver. It is
        the previous role when it comes right before the name ("reserve driver Jack Doohan
        will race") or after "until now", "previously", "after serving"..."""
        key = ("roles", item.sentence, item.trigger, item.driver_mention.start)
        if key in doc.memo:
            return doc.memo[key]  # type: ignore[return-value]
        s_start, s_end = doc.sentences[item.sentence]
        series = [m for m in doc.by_sentence[item.sentence] if m.kind == SERIES]
        prior_cues = doc.cues.get("prior_role", [])
        anchor = item.driver_mention
        current: list[str] = []
        previous: list[str] = []
        for r_start, r_end, role in doc.roles:
            if not s_start <= r_start < s_end:
                continue
            if role == "endurance" and any(m.start <= r_start < m.end for m in series):
                continue  # "World Endurance Championship" is not an endurance role
            near = min(_words_between(doc, r_end, item.trigger[0]),
                       _words_between(doc, item.trigger[1], r_start),
                       _words_between(doc, r_end, anchor.start),
                       _words_between(doc, anchor.end, r_start))
            if near > 8 and (near > 16 or _person_between(
                    doc, min(anchor.end, r_end), max(anchor.start, r_start), anchor)):
                # Further off, a role is the driver's only while nobody else is named between:
                # "A will make his debut with T in 2024, driving the No. 20 on road courses".
                continue
            before_name = r_end <= anchor.start and _words_between(doc, r_end, anchor.start) <= 1
            after_prior = any(s_start <= p_start and p_end <= r_start and
                              len(doc.folded[p_end:r_start].split()) <= 5
                              for p_start, p_end in prior_cues)
            (previous if before_name or after_prior else current).append(role)
        doc.memo[key] = (current, previous)
        return current, previous

    def _role(self, doc: _Doc, items: list[RawMove], kind: MoveKind) -> str | None:
        if kind is MoveKind.REPLACE:
            return "part-time"
        found = [role for item in items for role in self._role_cues(doc, item)[0]]
        for role in self.rules.role_priority:
            if role in found:
                return role
        return self.rules.default_role.get(kind.value)

    def _prior_role(self, doc: _Doc, items: list[RawMove]) -> bool:
        """A reserve, test or development driver of the team now races for it: a promotion."""
        return any(role in ("reserve", "test")
                   for item in items for role in self._role_cues(doc, item)[1])

    # ----- lineup --------------------------------------------------------------------------------

    def _lineup(self, doc: _Doc, moves: list[Move], seats: list[RawMove]) -> list[LineupEntry]:
        """Who the article places in a team or car: the movers who arrive or stay, their
        named teammates, and line-up statements ("A, B and C will share the No. 7")."""
        entries: dict[tuple[str, str | None], LineupEntry] = {}
        for move in moves:
            if move.status is not Status.CONFIRMED or move.kind.direction == "depart" or \
                    move.team is None:
                continue
            entries.setdefault((move.driver, move.team), LineupEntry(
                driver=move.driver, team=move.team, car=move.car, series=move.series,
                season=move.season, role=move.role))
            for mate in move.teammates:
                entries.setdefault((mate, move.team), LineupEntry(
                    driver=mate, team=move.team, car=move.car, series=move.series,
                    season=move.season))
        for item in seats:
            if item.status is not Status.CONFIRMED or item.team is None:
                continue
            car = item.car or self._car_for(doc, item)
            team, series, _ = self._team_name(doc, item.team, car)
            team = self._team_as_written(doc, team) or team
            season = self._season(doc, [item], MoveKind.JOIN)
            for name in map(doc.name, (item.driver, *self._teammates(doc, [item]))):
                entries.setdefault((name, team), LineupEntry(driver=name, team=team, car=car,
                                                     series=series, season=season))
        return list(entries.values())


def _automaton(entries: dict[str, list[tuple[str, object]]]) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for key, payloads in entries.items():
        # Keys carry a space each side, as does the text: every match is a whole word run,
        # and "ex" inside "next" is never reported at all.
        automaton.add_word(f" {key} ", (len(key) + 2, tuple(payloads)))
    if entries:
        automaton.make_automaton()
    return automaton


def _longest(triggers: list[tuple[int, int, list[Pattern]]]
             ) -> list[tuple[int, int, list[Pattern]]]:
    """Overlapping triggers: the longest phrase speaks ("will not return to" over "return to")."""
    if len(triggers) < 2:
        return triggers
    kept: list[tuple[int, int, list[Pattern]]] = []
    for trigger in sorted(triggers, key=lambda t: (t[0] - t[1], t[0])):
        start, end = trigger[0], trigger[1]
        if not any(start < k[1] and k[0] < end for k in kept):
            kept.append(trigger)
    kept.sort(key=lambda t: t[0])
    return kept


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
    if len(words) > 2 and words[1] in (
            "van", "von", "de", "der", "da", "di", "du", "dos", "del", "la", "le"):
        keys.append(words[-1])
    return tuple(keys)


@lru_cache(maxsize=16384)
def _name_words(name: str) -> tuple[str, ...]:
    return tuple(fold(name).split())


def _words_between(doc: _Doc, start: int, end: int) -> int:
    """Words from `start` to `end`; a large number when `end` comes first."""
    if end < start:
        return 1_000
    return len(doc.folded[start:end].split())


def _outside_asides(doc: _Doc, start: int, end: int) -> str:
    """The folded text between two offsets, without the asides ", who ... ," inside it."""
    pieces = []
    position = start
    for a_start, a_end in doc.asides:
        if a_start >= position and a_end <= end:
            pieces.append(doc.folded[position:a_start])
            position = a_end
    pieces.append(doc.folded[position:end])
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


def _possessive(doc: _Doc, mention: Mention) -> bool:
    return doc.text.startswith(("'s", "’s"), mention.end) or doc.text.endswith(
        ("'s", "’s"), mention.start, mention.end)


def _is_list(doc: _Doc, names: list[Mention]) -> bool:
    """"A and B", "A, B and C": a list ends with a word. "Arrow McLaren releases Malukas,
    Pourchaire takes over" is two clauses, not a list."""
    return len(names) < 2 or any(
        doc.text[a.end:b.start].strip(" ,") for a, b in itertools.pairwise(names))


def _first_sentence(entry: dict[str, object]) -> int:
    return min(item.sentence for item in entry["items"])  # type: ignore[attr-defined]


def _spelling(text: str, mentions: list[Mention], driver: str) -> str:
    """How the article spells a known driver in full: the fullest spelling it uses, the first
    of equals; a headline in capitals is no one's spelling."""
    best, width = driver, 1
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


_NOUN_USE = frozenset(("about", "of", "from", "after", "before", "without", "considering",
                       "over", "against", "on", "into"))
_WITH_EPITHET = re.compile(r"\bwith the (?:[a-z0-9\-]+ ){0,2}?[a-z\-]+ $")
_DESTINATION_WORDS = frozenset(("to", "for", "joins", "signs", "with", "at"))
_COUNT_WORDS = frozenset(("two", "three", "four", "five", "six", "both", "a", "an", "its",
                          "their", "his", "her", "the", "new"))


def _is_make(doc: _Doc, mention: Mention) -> bool:
    """"two Porsche 911 GT3 Rs", "its Ferrari 499P": a make naming a car, not a team."""
    after = doc.folded[mention.end:mention.end + 12].split()[:1]
    before = doc.folded[max(0, mention.start - 8):mention.start].split()[-1:]
    return bool(after and any(ch.isdigit() for ch in after[0])) or (
        bool(before) and before[0] in _COUNT_WORDS and bool(after) and after[0] in (
            "crews", "crew", "cars", "car", "entries", "entry", "drivers", "line-up", "lineup"))


def _brand_only(item: RawMove) -> bool:
    """The move's team was named only by a sponsor's or manufacturer's name."""
    return item.team is not None and bool(item.team.candidates) and all(
        c.how in ("sponsor", "manufacturer") for c in item.team.candidates)


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
    return any(m.kind == PERSON and m is not exclude and low <= m.start < high
               for m in doc.mentions)


def _possessive_of_person(doc: _Doc, team: Mention, mentions: list[Mention]) -> bool:
    """"Ferrari's Carlos Sainz": the team belongs to the person's past, not the move."""
    tail = doc.text[team.end:team.end + 3]
    if not tail.startswith(("'s", "’s")):
        return False
    return any(m.kind == PERSON and 0 <= m.start - team.end <= 4 for m in mentions)


def _possessive_before(doc: _Doc, team: Mention, driver: str, mentions: list[Mention]) -> bool:
    tail = doc.text[team.end:team.end + 3]
    if not tail.startswith(("'s", "’s")):
        return False
    return any(m.kind == PERSON and m.value == driver and 0 <= m.start - team.end <= 4
               for m in mentions)
