"""The clause around a trigger: its bounds and asides, who its subject is when the subject is
not the name just before the verb ("His team-mate X", "with A and B again sharing", ", who
..."), and the cues that stand for the whole clause (a move called off, a comeback)."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from bot.models import MoveKind
from bot.rules.document import (
    _NUMBER_WORDS,
    CAR,
    PERSON,
    SERIES,
    TEAM,
    WORDS,
    EngineBase,
    Mention,
    RawMove,
    _coordinated,
    _Doc,
    _is_past_tense,
    _team_rank,
    _title_people,
)
from bot.rules.history import _DETERMINERS, _RELATIVE_ASIDE
from bot.rules.patterns import Pattern
from bot.rules.scans import clause_breaks
from bot.rules.team_context import _describes_person, _is_make

# "Returning drivers A, B and C make up the #35 crew": who is there already
# ("23XI regulars A and B", "the team's full-time drivers A, B and C": those it has.)
_INCUMBENT_WORDS = frozenset(WORDS["incumbent_words"])
_INCUMBENTS_BEFORE = re.compile(r"\b(?:(?:" + "|".join(WORDS["incumbent_words"]) +
                                r"|returning|(?:the team s|its|their) (?:full[ -]time|current)) "
                                r"(?:drivers|riders|crew|trio|duo|pair)|regulars|incumbents) $")
_LAUNCH_VERBS = frozenset({"launch", "launches", "launched", "launching"})
_LIST_ADVERBS = frozenset({"again", "also", "still", "now", "both", "all"})
_SUBORDINATE_WORDS = frozenset({"after", "because", "since", "when", "while", "as", "once"})
# "to a race seat with": the team the seat is at, named after the driver.
_SEAT_WITH = re.compile(r"\bto (?:a|an|the|his|her)(?: [a-z\-]+){0,3} (?:seat|drive|ride|place|"
                        r"berth) (?:with|at|in) $")
_CLAUSE_EPITHET = re.compile(r"(?:,|\band|\bbut|\bwhile) the ([a-z0-9\-]+) $")


# The words that may follow an epithet the verb has for its object ("signed the Briton to
# drive", "released the Dane after"): an adjective ("the British livery") is followed by a noun.
_AFTER_OBJECT = frozenset({"to", "for", "in", "on", "at", "as", "with", "from", "until", "after",
                           "and", "ahead", "next", "this", "through", "despite", "who"})

_SUBORDINATE_CLAUSE = re.compile(r", (?:as|while|because|since|although|though|whereas) ")


def _counted(doc: _Doc, position: int) -> bool:
    """"97 race wins", "two podiums": a number just before makes it a career's tally; "who
    won the race in 2021", a relative clause, and "after winning the title", the person's or
    the crew's history. (A number the clause's comma closes is no tally: "driving the No. 84,
    finished fifth".)"""
    start = max(0, position - 16)
    start = max(start, doc.text.rfind(",", start, position) + 1)
    before = doc.folded[start:position].split()[-2:]
    return any(word.isdigit() or word in _NUMBER_WORDS or word in ("who", "which")
               for word in before) or before[-1:] in (["after"], ["since"])


# ", with the team hoping he will be a front-runner again": a clause of its own after the move
_CLAUSE_AFTER = re.compile(r",\s+(?:with|while|whereas|as)\s")
# ", completing a line-up with": the trigger's verb is a participle after the comma.
_PARTICIPLE_BEFORE = re.compile(r",\s+[a-z]+ing\s+(?:a|an|the|his|her|its|their)\s+$")


_CLAUSE_BREAK = re.compile(r", (?:and|but|while) |; ")


def _other_clause(doc: _Doc, position: int, t_start: int) -> bool:
    """"..., with whom he won the Rolex 24, and Dixon will join the pair": a cue in a clause
    before the trigger's, closed by ", and", is not about the trigger's move."""
    return position < t_start and _CLAUSE_BREAK.search(doc.text, position, t_start) is not None


def _cues_allow(doc: _Doc, pattern: Pattern, s_start: int, s_end: int, t_start: int) -> bool:
    """Whether the sentence's cues let the pattern read: none of its veto classes in the
    trigger's clause ("Toyota's No. 7, shared by A, B and C, held off ...": a race), and one of
    its licence classes before the trigger, if it has any ("newcomer Dragon Racing fields a
    Ferrari for A": only a new entry's present-tense crew is news)."""
    if any(s_start <= c_start < s_end and not _counted(doc, c_start)
           and not _other_clause(doc, c_start, t_start)
           for name in pattern.vetoed_by for c_start, _ in doc.cues.get(name, ())):
        return False
    return not pattern.licensed_by or any(
        s_start <= c_start < t_start
        for name in pattern.licensed_by for c_start, _ in doc.cues.get(name, ()))


# ", driving a Ferrari 488 for AF Corse": a participle phrase that goes on with the verb's
# subject and names the team it drives for.
_DRIVING_PHRASE = re.compile(r",?\s*(?:driving|racing|riding|competing|piloting)\b")


# "join RLL's full-time trio of Rahal, Lundgaard and Harvey": the crew the team has
_HELD_CREW = re.compile(r"\b(?:[a-z0-9\-]+ s|its|their) (?:full[ -]time|current|regular|existing) "
                        r"(?:drivers|riders|trio|duo|pair|pairing|line-up|lineup|crew) of ?$")


# "has joined Haas as reserve, 24 hours after driving first practice for Alpine": a phrase of
# what came before, after the move
_EARLIER_PHRASE = re.compile(r"\b(?:after|before|since|having) [a-z]+ing\b")


def _race_in_clause(doc: _Doc, s_start: int, s_end: int, t_end: int) -> bool:
    """The sentence tells of a race or an outing ("pole position", "first practice"), other than
    in a phrase after the move of what the driver did before it."""
    return any(s_start <= c_start < s_end and not (
        c_start >= t_end and _EARLIER_PHRASE.search(doc.folded, t_end, c_start))
        for c_start, _ in doc.cues.get("race_context", ()))


def _race_outcome(doc: _Doc, patterns: Sequence[Pattern], t_start: int, t_end: int,
                  before_words: list[str], s_start: int, s_end: int) -> bool:
    """The trigger tells of a race in a sentence with its result: "Palou wins at Laguna Seca as
    Herta retires" (a DNF); "crashed out of qualifying, leaving Williams with a repair job";
    "made his debut in Melbourne and finished fourth", "making his debut for Ducati, won the
    opener". ("retired after 97 race wins" counts a career, not a race.)"""
    results = doc.cues.get("race_result")
    first_word = doc.folded[t_start:t_end].split()[0]
    return bool(results) and (
        any(pattern.kind is MoveKind.RETIRE for pattern in patterns) or
        first_word == "leaving" or
        ("debut" in doc.folded[t_start:t_end] and any(
            _is_past_tense(word) or word.endswith("ing")
            for word in [*before_words[-3:], first_word]))) and any(
        s_start <= c_start < s_end and not _counted(doc, c_start) for c_start, _ in results)


def _crew_as_it_stands(doc: _Doc, pattern: Pattern, drivers: list[Mention], c_left: int,
                       t_start: int) -> bool:
    """A crew told as the crew a team has, not as news: by its noun with no verb taking it ("The
    No. 8 crew of A, B and C"), or told of its car beside a headline that names one or two
    others ("Schumacher joins Alpine" + "The No. 35 will be driven by A, B and C")."""
    named = _title_people(doc)
    if not named.isdisjoint(m.value for m in drivers):
        return False
    return (pattern.crew and not any(c_left <= start < t_start for start in doc.trigger_starts)
            ) or (pattern.beside_headline and 1 <= len(named) <= 2)


def _made_room(doc: _Doc, s_start: int, clause_start: int, drivers: list[Mention]) -> bool:
    """The relative clause opening at `clause_start` is about the driver whose seat a move
    earlier in the sentence takes ("taking the seat of Larson, who was fired by the team"),
    and the drivers read for it are he."""
    antecedent = next((m for m in reversed(doc.mentions) if m.kind == PERSON and
                       s_start <= m.start and m.end <= clause_start), None)
    return antecedent is not None and [m.value for m in drivers] == [antecedent.value] and any(
        s_start <= start < antecedent.start and any("replaced" in p.right for p in patterns)
        for start, _, patterns in doc.triggers)


def _phrasal_noun(doc: _Doc, t_start: int, t_end: int, patterns: Sequence[Pattern]) -> bool:
    """The words of a phrasal verb ("line up", "call up") written as one hyphenated noun: "its
    race line-up with immediate effect" lines nobody up."""
    return re.search(r"\w[-‑]up\b", doc.text[t_start:t_end]) is not None and all(
        "> up" in pattern.text for pattern in patterns)


def _seat_words(words: list[str]) -> bool:
    """The words before a team in a driving phrase make it the seat's: "driving a Ferrari for
    AF Corse", "... with Prema", "... entered by AF Corse", "... run by Prema"."""
    return words[-1] in ("for", "with") or (len(words) == 2 and words[1] == "by" and words[0] in (
        "entered", "run", "fielded", "operated", "prepared"))


# "will make the jump to the Cup Series as the full-time driver of JTG's No. 47": the seat named
# by the role the driver takes
_ROLE_OF = re.compile(r"\bas (?:the|a|an|its|their) (?:[a-z\-]+ ){0,2}(?:driver|rider) "
                      r"(?:of|for|at|with) $")


def _team_of_role_after(doc: _Doc, mentions: list[Mention], t_end: int, c_right: int
                        ) -> Mention | None:
    """The team of "as the full-time driver of Team" later in the move's clause."""
    for mention in mentions:
        if mention.kind == TEAM and t_end <= mention.start < c_right and _ROLE_OF.search(
                doc.folded, max(t_end, mention.start - 40), mention.start):
            return mention
    return None


_STEP_UP = re.compile(r"\b(?:move|moves|moving|step|steps|stepping|graduate|graduates|"
                      r"graduating) up (?:to|into) $")


def _steps_up_to_series(doc: _Doc, mentions: list[Mention], t_end: int, s_end: int) -> bool:
    """A stay said with a step up to another series in the same sentence: a switch between
    the team's programmes."""
    return any(m.kind == SERIES and t_end <= m.start < s_end and _STEP_UP.search(
        doc.folded, max(t_end, m.start - 24), m.start) for m in mentions)


def _incumbents(doc: _Doc, drivers: list[Mention], s_start: int, t_start: int,
                t_end: int) -> bool:
    """The drivers are named as those the team already has: "the team's regular drivers A and
    B", "its full-time trio of A, B and C", "Returning drivers A, B and C"."""
    first = drivers[0]
    if first.start >= t_end:
        return bool(_INCUMBENT_WORDS & set(doc.folded[t_end:first.start].split()) or
                    _HELD_CREW.search(doc.folded, max(s_start, t_start - 40), t_end))
    return first.end <= t_start and _INCUMBENTS_BEFORE.search(
        doc.folded, max(s_start, first.start - 24), first.start) is not None


def _who_after(doc: _Doc, aside: tuple[int, int], mention: Mention, t_start: int) -> bool:
    """"..., where he will partner Gerloff, who stays on for a second season": the person
    closing an aside is the subject of the "who" clause that follows it."""
    return mention.kind == PERSON and not doc.text[mention.end:aside[1]].strip(" ,") and \
        doc.folded[aside[1]:t_start].split()[:1] == ["who"] and \
        len(doc.folded[aside[1]:t_start].split()) <= 3


def _kept_by_verb_before(doc: _Doc, s_start: int, t_start: int,
                         mentions: list[Mention]) -> bool:
    """A crew told as a noun ("crew of", "pairing of") is the object of a retaining verb
    just before it: its noun phrase opens right after the verb, with nothing named between
    ("has kept its crew of", but not "stay in the No. 12 and are joined by")."""
    index = bisect_right(doc.trigger_starts, t_start - 1) - 1
    if index < 0:
        return False
    start, end, patterns = doc.triggers[index]
    gap = doc.folded[end:t_start].split()
    return s_start <= start and end <= t_start and \
        all(p.kind is MoveKind.EXTEND for p in patterns) and \
        0 < len(gap) <= 6 and gap[0] in _DETERMINERS and "and" not in gap and \
        not any(end <= m.start < t_start for m in mentions) and \
        not {",", ";", ":"} & set(doc.text[end:t_start])


def _car_shown_before(doc: _Doc, s_start: int, t_start: int) -> bool:
    """A car launch just before the trigger in its sentence: "the livery of its new car, which
    A and B will race", "the livery A and B race in Singapore" tell who races the car shown,
    not who is new."""
    return any(s_start <= c_start and c_end <= t_start and (
        (len(doc.folded[c_end:t_start].split()) <= 6 and
         not {":", ";"} & set(doc.text[c_end:t_start])) or _RELATIVE_ASIDE.search(
            doc.text, max(s_start, t_start - 80), t_start))
        for c_start, c_end in doc.cues.get("car_launch", ()))


def _describes_object(doc: _Doc, index: int, t_end: int) -> bool:
    """The trigger at `index` opens the noun phrase right after a verb ("succeeds the retiring
    Harvick"): it describes the verb's object rather than starting a clause of its own."""
    start, _, patterns = doc.triggers[index]
    return all(not p.left for p in patterns) and \
        len(doc.folded[t_end:start].split()) == 0 and doc.folded.startswith("the ", start)


def _opens_longer_cue(doc: _Doc, index: int) -> bool:
    """The trigger at `index` is the first word of a longer cue ("for" in "for a ninth
    season"): the cue's phrase, not a verb that opens a clause of its own."""
    start, end, _ = doc.triggers[index]
    return any(c_start == start and c_end > end
               for cues in doc.cues.values() for c_start, c_end in cues)


def _participle_at(doc: _Doc, position: int) -> bool:
    """A past participle with no auxiliary opens the text at `position`: "retained", "signed"."""
    word = doc.folded[position:position + 20].split()[:1]
    return bool(word) and word[0].endswith("ed") and _is_past_tense(word[0])


def _onward_team(doc: _Doc, mentions: list[Mention], team: Mention) -> Mention | None:
    """"Busch leaves Gibbs for Richard Childress Racing", "switches from Ferrari to Williams":
    the team an exit goes on to, which makes it half of a transfer whose other half is the
    move."""
    for mention in mentions:
        if mention.kind != TEAM or mention.start <= team.end:
            continue
        words = _after_own_car(doc.folded[team.end:mention.start].split())
        if (words[:1] in (["for"], ["to"]) and len(words) <= 3) or _ONWARD_SEAT.search(
                doc.folded, team.end, mention.start) is not None:
            return mention
    return None


def _after_own_car(words: list[str]) -> list[str]:
    """"leaves KCMG's No. 18 for Impul": the words after the team's own car, if it has one."""
    if words[:2] == ["s", "no"] and words[2:3] and words[2].isdigit():
        return words[3:]
    return words[2:] if words[:1] == ["s"] and words[1:2] and words[1].isdigit() else words


# "departs Porsche for a seat at Toyota", "leaves Honda ahead of a move to Ducati": where he
# goes, told by what he takes there
_ONWARD_SEAT = re.compile(
    r" (?:for (?:a |an |his |her |the )?(?:[a-z\-]+ )?(?:" + "|".join(WORDS["seat_nouns"]) +
    r") (?:at|with|in)|(?:a|an|his|her) (?:" + "|".join(WORDS["move_nouns"]) + r") to) $")


def _team_placed_after(doc: _Doc, mentions: list[Mention], driver: Mention, s_end: int
                       ) -> Mention | None:
    """"KTM promotes Acosta to MotoGP with GASGAS Tech3", "Nissan has moved Chiyo to NDDP
    Racing": the team of its own an agent places the driver in, named after him."""
    after = [m for m in mentions if driver.end < m.start < s_end and
             len(doc.folded[driver.end:m.start].split()) <= 5]
    first_team = next((i for i, m in enumerate(after) if m.kind == TEAM), None)
    if first_team is None or any(m.kind == PERSON for m in after[:first_team]) or \
            doc.folded[driver.end:after[first_team].start].split()[-1:] not in (
                ["with"], ["at"], ["to"], ["into"]):
        return None
    # ("..., with Ferrari factory driver C": a title, not a team)
    return next((m for m in after[first_team:first_team + 2] if m.kind == TEAM and
                 not _is_make(doc, m) and not _describes_person(doc, m, mentions)), None)


def _race_position_after(doc: _Doc, t_end: int, s_end: int, ends_in_to: bool) -> bool:
    """A race position right after the trigger: "were promoted to the top step", "moved up to
    second", "joined Larson in the top five"."""
    for c_start, _ in doc.cues.get("race_position", ()):
        if not t_end <= c_start < s_end:
            continue
        between = doc.folded[t_end:c_start].split()
        if (len(between) <= 2 and (between[:1] in (["to"], ["into"], ["on"], ["onto"], ["up"],
                                                   ["at"]) or (not between and ends_in_to))) \
                or (len(between) <= 6 and between[-1:] in (["in"], ["on"], ["into"])):
            return True
    return False


class Clauses(EngineBase):
    @staticmethod
    def _team_of_participle_after(doc: _Doc, mentions: list[Mention], c_right: int,
                                  s_end: int) -> Mention | None:
        """"Albon will race in the DTM this year, driving a Ferrari for AF Corse": the team
        named with "for" or "with" in the participle phrase right after the clause, or as the
        car's entrant ("driving a Ferrari entered by AF Corse")."""
        phrase = _DRIVING_PHRASE.match(doc.text, c_right)
        if phrase is None or "," not in doc.text[max(0, c_right - 3):phrase.end()]:
            return None
        end = doc.text.find(",", phrase.end(), s_end)
        for mention in mentions:
            if mention.kind == TEAM and phrase.end() <= mention.start < (
                    end if end != -1 else s_end) and (words_before := doc.folded[
                    max(0, mention.start - 12):mention.start].split()[-2:]) and _seat_words(
                    words_before):
                return mention
        return None

    def _one_per_sentence(self, doc: _Doc, raw: list[RawMove]) -> list[RawMove]:
        """One move per driver and direction per sentence: the one whose team is named most
        exactly (a team's name over a maker's), then the nearest trigger."""
        best: dict[tuple[int, str, str, tuple[int, int] | None], RawMove] = {}

        def key_of(item: RawMove) -> tuple[int, str, str, tuple[int, int] | None]:
            # "Johnson, who is heading to IndyCar with Ganassi, will race AXR's No. 48": the
            # aside tells another move than the sentence around it.
            return (item.sentence, item.driver, item.kind.direction,
                    self._aside_of(doc, item.trigger[0]))

        for item in raw:
            key = key_of(item)
            current = best.get(key)
            if current is None or _team_rank(item) < _team_rank(current):
                best[key] = item
        for item in raw:  # what the dropped ones knew is not lost
            kept = best[key_of(item)]
            if kept is not item:
                kept.replaced = kept.replaced or item.replaced
                kept.car = kept.car or item.car
        keep = {id(m) for m in best.values()}
        return [m for m in raw if id(m) in keep]

    @staticmethod
    def _unveiled_before(doc: _Doc, start: int, end: int) -> bool:
        """A car shown to the world in [start, end): "unveiled its A424", "the livery"; not a
        class or a programme that "launches at Daytona"."""
        return any(start <= c_start < end and doc.folded[c_start:c_end] not in _LAUNCH_VERBS
                   for c_start, c_end in doc.cues.get("car_launch", ()))

    def _in_cue(self, doc: _Doc, cue: str, start: int, end: int) -> bool:
        return any(start <= c_start and c_end <= end for c_start, c_end in doc.cues.get(cue, ()))

    def _aside_of(self, doc: _Doc, position: int) -> tuple[int, int] | None:
        for a_start, a_end in doc.asides:
            if a_start <= position < a_end:
                return a_start, a_end
        return None

    def _visible(self, doc: _Doc, sentence: int, t_start: int) -> list[Mention]:
        s_start, s_end = doc.sentences[sentence]
        if not doc.asides or not any(s_start <= a < s_end for a, _ in doc.asides):
            return doc.by_sentence[sentence]
        aside = self._aside_of(doc, t_start)
        seen = []
        for mention in doc.by_sentence[sentence]:
            own = self._aside_of(doc, mention.start)
            if own is not None and own != aside and not _who_after(
                    doc, own, mention, t_start) and not (
                    mention.kind in (CAR, PERSON) and not doc.text[own[1]:t_start].strip(" ,")
                    and (mention.kind == CAR or _participle_at(doc, t_start))):
                # ("The single IMSA entry, the blue No. 23, goes to A": the aside right
                # before the verb names the car its subject is; "..., whose team-mate will be
                # Smith, retained for a second season": a participle right after it is of the
                # aside's own last noun.)
                continue
            seen.append(mention)
        return seen

    def _clause_bounds(self, doc: _Doc, sentence: int, t_start: int, t_end: int
                       ) -> tuple[int, int]:
        s_start, s_end = doc.sentences[sentence]
        key = ("breaks", sentence)
        breaks = doc.memo.get(key)
        if breaks is None:
            # (not inside a name: "Aruba.it Racing - Ducati")
            breaks = doc.memo[key] = [b for b in clause_breaks(doc.text, s_start, s_end) if not any(
                m.start < b[0] < m.end for m in doc.by_sentence[sentence])]
        left, right = s_start, s_end
        for b_start, b_end in breaks:  # type: ignore[attr-defined]
            if b_end <= t_start:
                left = b_end
            elif b_start >= t_end:
                right = b_start
                break
        return left, right

    @staticmethod
    def _respectively(doc: _Doc, mentions: list[Mention], drivers: list[Mention],
                      team: Mention | None, c_right: int) -> dict[int, Mention]:
        """"A and B are staying at Ducati and Kawasaki respectively": each driver his team."""
        if team is None or len(drivers) < 2 or \
                doc.folded.find("respectively", team.end, c_right + 20) == -1:
            return {}
        teams = [team]
        for mention in mentions:
            if mention.start > teams[-1].end and mention.kind == TEAM and _coordinated(
                    doc.text[teams[-1].end:mention.start]):
                teams.append(mention)
        if len(teams) != len(drivers):
            return {}
        return {id(driver): own for driver, own in zip(drivers, teams, strict=True)}

    def _object_pronoun(self, doc: _Doc, sentence: int, t_start: int, t_end: int,
                        patterns: Sequence[Pattern]) -> Mention | None:
        """"Tänak's future is unclear after Hyundai released him", "Toyota has signed the
        Northern Irishman": the team's verb has for its object the person named last before
        it, in the sentence or, failing that, the one the text is about (of the epithet's
        nationality, where it has one)."""
        following = doc.folded[t_end:t_end + 8].split()[:1]
        epithet = None
        if following == ["the"]:
            after_the = doc.folded.index("the", t_end) + 4
            age = re.match(r"\d+ ", doc.folded[after_the:after_the + 4])  # "the 28 year old"
            if age is not None:
                after_the += age.end()
            epithet = next(((c_start, c_end) for c_start, c_end in doc.cues.get("epithet", ())
                            if c_start == after_the), None)
            # (a word after it, and none that can follow an object)
            if epithet is not None and not _AFTER_OBJECT.issuperset(
                    doc.folded[epithet[1]:epithet[1] + 12].split()[:1]) and \
                    doc.text[epithet[1]:epithet[1] + 1] not in ",.;:":
                epithet = None  # "keeps the British racing green livery": an adjective
        if (following not in (["him"], ["her"]) and epithet is None) or not any(
                pattern.left[:1] == ("team",) and "driver" in pattern.right
                for pattern in patterns):
            return None
        before = [m for m in doc.by_sentence[sentence]
                  if m.kind == PERSON and m.end <= t_start and not m.non_driver]
        name = before[-1].value if before else (
            self._topic(doc, sentence - 1) if sentence > 0 else None)
        country = self.rules.nationalities.get(doc.folded[slice(*epithet)]) if epithet else None
        if country is not None and (name is None or self._nationality(name) not in (None,
                                                                                    country)):
            name = self._named_from(doc, sentence + 1, country) or name
        if name is None:
            return None
        start = doc.folded.index(following[0], t_end)
        return Mention(start, epithet[1] if epithet else start + len(following[0]), PERSON, name,
                       known=True)

    @staticmethod
    def _seat_named_after(doc: _Doc, mentions: list[Mention], start: int, c_right: int
                          ) -> Mention | None:
        for mention in mentions:
            if mention.kind == TEAM and start <= mention.start < c_right and \
                    _SEAT_WITH.search(doc.folded, start, mention.start):
                return mention
        return None

    def _clause_epithet(self, doc: _Doc, sentence: int, s_start: int, t_start: int
                        ) -> Mention | None:
        """"Rossi will stay with WRT, and the Italian has signed as a BMW works driver": an
        epithet opening a later clause of the sentence is the sentence's first person."""
        if doc.folded.find(" the ", max(s_start, t_start - 40), t_start) == -1:
            return None
        match = _CLAUSE_EPITHET.search(doc.folded, max(s_start, t_start - 40), t_start)
        if match is None:
            return None
        word = match.group(1)
        first = next((m for m in doc.by_sentence[sentence]
                      if m.kind == PERSON and m.end <= match.start()), None)
        if first is None or not (word in self.not_names or word.endswith("-old")):
            return None
        return Mention(match.start(1), t_start, PERSON, first.value, known=first.known,
                       non_driver=first.non_driver)

    @staticmethod
    def _object_of_verb_before(doc: _Doc, person: Mention) -> bool:
        """The person is named right after another verb of the rules: its object."""
        index = bisect_right(doc.trigger_starts, person.start) - 1
        return index >= 0 and person.start - 2 <= doc.triggers[index][1] <= person.start

    @staticmethod
    def _called_off(doc: _Doc, s_start: int, s_end: int, t_start: int) -> bool:
        """"The move is off" in the trigger's clause. ("who is off to Aston Martin" is going;
        "joins Alpine after the move for Piastri collapsed" calls off another move.)"""
        for c_start, c_end in doc.cues.get("called_off", ()):
            if not s_start <= c_start < s_end or doc.folded.startswith(" to ", c_end):
                continue
            low, high = sorted((t_start, c_start))
            if not _SUBORDINATE_WORDS & set(doc.folded[low:high].split()):
                return True
        return False

    @staticmethod
    def _with_list(doc: _Doc, mentions: list[Mention], t_start: int) -> list[Mention]:
        """"..., with A, B and C again sharing the No. 50": the names after "with" are the
        subject of the -ing verb right after them."""
        people = [m for m in mentions if m.end <= t_start]
        if not people or people[-1].kind != PERSON:
            return []
        gap = doc.folded[people[-1].end:t_start].split()
        if len(gap) > 1 or (gap and gap[0] not in _LIST_ADVERBS):
            return []
        found = [people[-1]]
        for previous in reversed(people[:-1]):
            if previous.kind != PERSON or not _coordinated(doc.text[previous.end:found[0].start]):
                break
            found.insert(0, previous)
        if doc.folded[max(0, found[0].start - 6):found[0].start].split()[-1:] != ["with"]:
            return []
        return found if len(found) > 1 else []

    @staticmethod
    def _antecedent(doc: _Doc, mentions: list[Mention], aside: tuple[int, int] | None
                    ) -> Mention | None:
        """The person a ", who ..." aside is about: the one named right before it."""
        if aside is None or doc.folded[aside[0]:aside[0] + 6].lstrip(" ,(").split()[:1] != [
                "who"]:
            return None
        before = [m for m in mentions if m.end <= aside[0]]
        return before[-1] if before and before[-1].kind == PERSON else None

    @staticmethod
    def _shared_team_subject(doc: _Doc, mentions: list[Mention], c_left: int, t_start: int
                             ) -> Mention | None:
        """The team opening the clause, when the verb at `t_start` follows "and" after an
        earlier verb of that team's."""
        if doc.folded[max(c_left, t_start - 6):t_start].split()[-1:] != ["and"]:
            return None
        inside = [m for m in mentions if c_left <= m.start and m.end <= t_start]
        if not inside or inside[0].kind != TEAM or any(m.kind == PERSON for m in inside):
            return None
        # ("Cool Racing will race in the LMP2 class of the ELMS this year, and has signed A":
        # the first verb may take a series or nothing, and the team may be far back.)
        earlier = bisect_left(doc.trigger_starts, inside[0].end)
        if earlier >= len(doc.trigger_starts) or doc.trigger_starts[earlier] >= t_start - 4 or (
                inside[-1].kind == TEAM and len(inside) > 1 and
                doc.trigger_starts[earlier] >= inside[-1].start):
            return None
        return inside[0]

    @staticmethod
    def _told_as_return(doc: _Doc) -> bool:
        """The headline tells a comeback ("returns", "back", "rejoins")."""
        return any(word.startswith(("return", "rejoin", "comeback")) or word == "back"
                   for word in doc.folded[:doc.title_end].split())

    @staticmethod
    def _headline_subject(doc: _Doc, sentence: int, s_start: int, t_start: int
                          ) -> Mention | None:
        """The subject a headline's verb after ", " shares with the verb before it."""
        if t_start >= doc.title_end or doc.text[max(0, t_start - 2):t_start] != ", ":
            return None
        first_verb = bisect_left(doc.trigger_starts, s_start)
        if first_verb >= len(doc.trigger_starts) or doc.trigger_starts[first_verb] >= t_start - 2:
            return None
        return next((m for m in doc.by_sentence[sentence]
                     if m.kind in (PERSON, TEAM) and m.end <= doc.trigger_starts[first_verb]),
                    None)
