"""The rules engine: one Aho-Corasick pass finds gazetteer names, trigger phrases and cues; the
patterns of rules.toml then fill their slots from the names around each trigger.

The reading steps live in their own modules, each a mixin of Engine: reading (the document),
names (mentions), coref (who is meant), slots and fill (patterns, their slots and cues), crews,
hedges, seasons (when and as what), resolve (teams, merging, line-ups)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from bot.models import Article, Extraction, Move, Status
from bot.rules.coref import Coreference
from bot.rules.crews import Crews
from bot.rules.document import (
    _GENERIC_TEAM_WORDS,
    _NOT_NAME,
    _TEAM_WORDS,
    CAR_WORDS,
    GLOBAL_CUES,
    RawMove,
    _Doc,
    _name_key,
    _writes,
)
from bot.rules.gazetteer import Gazetteer
from bot.rules.hedges import Hedges
from bot.rules.names import Names
from bot.rules.patterns import Rules, load_rules
from bot.rules.phrasebook import Phrasebook
from bot.rules.reading import Reader
from bot.rules.resolve import Resolver
from bot.rules.seasons import Seasons
from bot.rules.slots import Slots
from bot.rules.summary import summarize
from bot.rules.text import fold


def _one_entry_per_move(doc: _Doc, moves: list[Move]) -> list[Move]:
    """"McLaren releases Hinchcliffe" over "Arrow McLaren SP has released James Hinchcliffe":
    one move told twice, the team named shorter once. Of two moves of a driver in the same
    direction whose teams share a distinctive word, the one naming the team as the article
    writes it (and more fully) stays."""
    kept: list[Move] = []
    for move in moves:
        twin = next((k for k in kept if k.driver == move.driver and
                     k.kind.direction == move.kind.direction and k.team and move.team and
                     _team_words(k.team) & _team_words(move.team)), None)
        if twin is None:
            kept.append(move)
            continue
        better, other = (move, twin) if _naming(doc, move) > _naming(doc, twin) else (twin, move)
        # (what the other telling knew is not lost: "takes over the No. 28" beside "will
        # drive for Andretti Autosport")
        kept[kept.index(twin)] = replace(
            better, car=better.car or other.car, from_team=better.from_team or other.from_team,
            replaces=better.replaces or other.replaces)
    return kept


def _the_car_left(moves: list[Move]) -> list[Move]:
    """"Rossi takes over the No. 20 from Pigot, who will not return": the car a leaving driver
    gives up is the one his successor takes, when the text gives his own none."""
    taken = {(m.replaces, m.team): m.car for m in moves
             if m.kind.direction == "arrive" and m.replaces and m.car}
    return [replace(m, car=taken[(m.driver, m.team)])
            if m.kind.direction == "depart" and m.car is None and (m.driver, m.team) in taken
            else m for m in moves]


def _team_words(team: str) -> set[str]:
    return set(fold(team).split()) - _GENERIC_TEAM_WORDS - _TEAM_WORDS


def _naming(doc: _Doc, move: Move) -> tuple[bool, bool, int]:
    team = move.team or ""
    return _writes(doc, _name_key(team)), move.car is not None, len(team)


class Engine(Reader, Names, Coreference, Slots, Hedges, Crews, Seasons, Resolver):
    """Extracts driver moves from articles. Build once (the automaton is the costly part)."""

    def __init__(self, gazetteer: Gazetteer, rules: Rules) -> None:
        self.gazetteer = gazetteer
        self.rules = rules
        # (rules.toml's own values: a moderator's rules file without them still reads)
        self.settings = {"left_words": 14, "right_words": 10, "right_driver_words": 6,
                         "next_season_month": 10, "next_season_month_stay": 6}
        # Cue classes any one of which, in a sentence, says a list of drivers there is no
        # crew announced (a race, a rumour, a denial, staff, the past).
        self.crew_vetoes = tuple(str(c) for c in rules.crew_vetoes)
        self.crew_lineups = tuple(str(c) for c in rules.crew_lineups)
        self.crew_background = frozenset(rules.crew_background)
        # Words that open a run of capitals without being a name: the code's own list, and
        # the demonyms and epithets of rules.toml ("Dutchman Morris Schuring").
        single = [phrase for cue in ("demonym", "epithet") for phrase in rules.cues.get(cue, ())
                  if " " not in phrase]
        # "Belgians Kobe Pauwels and Matisse Lismont": plurals open a name run too.
        self.not_names = _NOT_NAME | frozenset(single) | frozenset(f"{w}s" for w in single)
        self.first_names = gazetteer.first_names()
        self.settings.update({k: v for k, v in rules.settings.items() if isinstance(v, int)})
        # Two sets of phrases: the first is read in the whole article (names, triggers and the
        # cues other sentences are searched for); the second only in the sentences with a
        # trigger (the cues that qualify a move where it is stated).
        entries: dict[str, list[tuple[str, object]]] = {}
        local: dict[str, list[tuple[str, object]]] = {}
        for key, kind, payload in gazetteer.surface_forms():
            if key:
                entries.setdefault(key, []).append((kind, payload))
                if kind == "place":
                    # "Kubica replaces Räikkönen at Zandvoort", "Raikkonen drives
                    # Trackhouse's No. 91 at Watkins Glen", "in Jeddah": a move at a race
                    # venue is for that race.
                    for preposition in ("at", "in"):
                        local.setdefault(f"{preposition} {key}", []).extend(
                            [("cue", "one_race"), ("role", "part-time")])
        for key, candidates in gazetteer.short_team_names(self.not_names).items():
            entries.setdefault(key, []).append(("team", candidates))
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
        # Headline-only patterns ("Hamilton to Ferrari") are a third set, read only in the
        # title, so the body's many "to"s and "for"s cost nothing at all.
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
        # One automaton holds all three, each in a layer of its own (see reading.py).
        self._phrases = Phrasebook({k: v for k, v in entries.items() if v}, headline, local)

    @classmethod
    def from_directories(cls, directories: list[Path], rules_path: Path | None = None
                         ) -> Engine:
        """An engine over the gazetteer files in `directories` (later ones merged on top)
        and a rules file (the packaged rules.toml by default)."""
        if rules_path is None:
            rules_path = Path(__file__).parent / "data" / "rules.toml"
        return cls(Gazetteer.load(directories), load_rules(rules_path))

    def extract(self, article: Article) -> Extraction:
        doc = self._read(article)
        if not doc.triggers:
            return Extraction()
        focus = self._focus_team(doc)
        if focus is not None:
            doc.focus = self._team_name(doc, focus, None)[0]
        raw: list[RawMove] = []
        for t_start, t_end, patterns in doc.triggers:
            found = self._apply(doc, t_start, t_end, patterns, focus)
            for s_start, s_end, s_patterns in doc.shorter.get((t_start, t_end), ()):
                # (only a phrase whose slots all come before it: "A and Yamaha have parted
                # ways with immediate effect", where the longer phrase wants a name after)
                ending = [pattern for pattern in s_patterns if not pattern.right]
                if found or not ending:
                    break
                found = self._apply(doc, s_start, s_end, ending, focus)
            raw.extend(found)
        raw.extend(self._crew_lists(doc, raw, focus))
        raw.extend(self._gapped(doc, raw))
        self._leaves_of_the_replaced(doc, raw)
        denied = [item for item in raw if item.status is Status.DENIED]
        raw = [item for item in raw if item.status is not Status.DENIED]
        denials = tuple(self._finish(doc, denied, focus)) if denied else ()
        if not raw:
            return Extraction(denials=denials)
        seats = [item for item in raw if item.pattern.lineup_only]
        raw = self._one_per_sentence(doc, [item for item in raw if not item.pattern.lineup_only])
        # Below the floor the rules are guessing ("signed for McLaren in 2007" restated as
        # career background): such a move is no news at all.
        floor = self.rules.settings.get("min_confidence", 0.0)
        moves = [m for m in (self._finish(doc, raw, focus) if raw else []) if m.confidence >= floor]
        moves = _the_car_left(_one_entry_per_move(doc, moves))
        lineup = self._lineup(doc, moves, seats)
        if not moves and not lineup:
            return Extraction(denials=denials)
        return Extraction(moves=tuple(moves), lineup=tuple(lineup),
                          summaries=tuple(summarize(m) for m in moves), denials=denials)
