"""The qualifiers of a reading: the cues around a trigger that say whether what it reads
happened (negation, denial), how sure it is (rumour), whether it is for a few races (interim),
and where the team named only generically is."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from bot.models import MoveKind, Status
from bot.rules.document import (
    _DENIALS,
    _DESCRIBED_TEAM,
    _PRONOUNS,
    _RUMOUR_CLAUSE_END,
    CAR,
    PERSON,
    TEAM,
    WORDS,
    EngineBase,
    Mention,
    _cue_between,
    _Doc,
    _hyphened,
    _possessive,
)
from bot.rules.patterns import Pattern
from bot.rules.team_context import (
    _after_car,
    _describes_person,
    _is_make,
    _owned_make,
    _possessive_of_person,
    after_a_spell,
)

_CAR_ANAPHOR = re.compile(r"\b(?:that|this|the same) (?:car|entry)\b")
_THE_CAR = re.compile(r"\bthe car\b")


_SUBORDINATORS = frozenset(WORDS["subordinators"])
_ERA_WORDS = WORDS["era_words"]
_SEAT_VETOES = frozenset(WORDS["seat_vetoes"])


def _clause_closed(doc: _Doc, s_start: int, c_end: int, t_start: int) -> bool:
    """A semicolon, or a colon after a clause of its own (not a headline's "Rumour:"), between
    a cue and the trigger: the cue is the closed clause's."""
    for mark in (";", ":"):
        at = doc.text.find(mark, c_end, t_start)
        if at != -1 and (mark == ";" or len(doc.folded[s_start:at].split()) >= 4):
            return True
    return False


def _era_of(doc: _Doc, team: Mention) -> bool:
    """"after his Corvette years", "her Ganassi days": a team naming a time of one's past."""
    return doc.folded[team.end:team.end + 16].split()[:1] in ([w] for w in _ERA_WORDS)
# "Williams reserve Aitken handed debut": a role inside a team may be where the move is.
_IN_TEAM_ROLES = frozenset({"reserve", "test", "development", "junior", "juniors", "academy"})


def _titled_elsewhere(doc: _Doc, team: Mention, mentions: list[Mention]) -> bool:
    """"Porsche Carrera Cup champion C", "Aston Martin factory driver D": the team is a title
    the person holds, not where the sentence's move goes."""
    if not _describes_person(doc, team, mentions):
        return False
    following = next(m for m in mentions if m.start >= team.end)
    return not _IN_TEAM_ROLES & set(doc.folded[team.end:following.start].split())


_WHO_CLAUSE = re.compile(r", (?:who|whose)\b")


def _in_others_relative(doc: _Doc, t_start: int, team: Mention, drivers: list[Mention]) -> bool:
    """The team is inside a "who" clause that opens after the trigger on someone other than
    the move's drivers."""
    openings = list(_WHO_CLAUSE.finditer(doc.text, t_start, team.start))
    if not openings:
        return False
    opening = openings[-1]
    antecedent = next((m for m in reversed(doc.mentions) if m.kind == PERSON and
                       t_start <= m.start and m.end <= opening.start()), None)
    return antecedent is not None and antecedent.value not in {d.value for d in drivers}


def _team_beside(doc: _Doc, car: Mention) -> Mention | None:
    """The team written beside a car: "the No. 23 NISMO car", "Wayne Taylor Racing's No. 40"."""
    return next((m for m in doc.mentions if m.kind == TEAM and (
        0 <= m.start - car.end <= 3 or (0 <= car.start - m.end <= 4 and _possessive(doc, m)))),
        None)


class Hedges(EngineBase):
    @staticmethod
    def _ends_in_name(doc: _Doc, sentence: int, position: int) -> bool:
        return any(m.start < position <= m.end and m.kind in (TEAM, PERSON)
                   for m in doc.by_sentence[sentence])

    def _generic_team(self, doc: _Doc, t_end: int, c_left: int, c_right: int) -> bool:
        """The clause names the team only as "the team", "the squad", "its", or "the
        Brackley team", "the Italian outfit"..."""
        return _cue_between(doc, "generic_team", c_left, c_right) or (
            doc.folded.find("the ", t_end, c_right) != -1 and  # (what every match opens with)
            _DESCRIBED_TEAM.search(doc.folded, t_end, c_right) is not None)

    @staticmethod
    def _car_named_before(doc: _Doc, c_left: int, c_right: int, the_car_too: bool = False
                          ) -> tuple[Mention | None, Mention | None]:
        """"That car keeps A and B" after "the No. 23 NISMO car": the car named last before,
        and the team written beside it (`the_car_too`: "the car" also refers back)."""
        anaphor = _CAR_ANAPHOR.search(doc.folded, c_left, c_right) or (
            _THE_CAR.search(doc.folded, c_left, c_right) if the_car_too else None)
        if anaphor is None:
            return None, None
        cars = [m for m in doc.mentions if m.kind == CAR and m.end <= anaphor.start()]
        if not cars:
            return None, None
        car = cars[-1]
        team = _team_beside(doc, car)
        return (team, car) if team is not None else (None, None)

    @staticmethod
    def _team_of_car(doc: _Doc, car: Mention, focus: Mention | None) -> Mention | None:
        """"Herta will join the No. 40 crew" after "the team's No. 40 Acura": the team the text
        writes beside the same number earlier ("Wayne Taylor Racing's No. 40", "the team's No.
        40", the story's team)."""
        for same in (m for m in doc.mentions if m.kind == CAR and m.value == car.value and
                     m.start < car.start):
            if (team := _team_beside(doc, same)) is not None:
                return team
            if focus is not None and doc.folded[max(0, same.start - 12):same.start].split()[
                    -2:] in (["team", "s"], ["its"]):
                return focus
        return None

    @staticmethod
    def _followed_by(doc: _Doc, pattern: Pattern, filled: dict[str, list[Mention]]) -> bool:
        """"Norris extends McLaren deal": the word after the last slot completes the phrase."""
        last = max((found[-1] for found in filled.values()), key=lambda m: m.end)
        words = [w for w in doc.folded[last.end:last.end + 40].split() if w != "s"][:2]
        return any(w in pattern.follow for w in words) and _SEAT_VETOES.isdisjoint(words)

    def _team_in_sentence(self, doc: _Doc, mentions: list[Mention], drivers: list[Mention],
                          t_start: int, ceiling: int, kind: MoveKind = MoveKind.JOIN
                          ) -> Mention | None:
        teams = [m for m in mentions if m.kind == TEAM and m.start < ceiling
                 and not self._after_cue(doc, m, "from_team")
                 and not _possessive_of_person(doc, m, mentions)
                 and not _describes_person(doc, m, mentions)
                 and not _era_of(doc, m)
                 and not (m.start > t_start and after_a_spell(doc, t_start, m))
                 and not _owned_make(doc, m) and not (
                     kind.direction == "arrive" and _titled_elsewhere(doc, m, mentions))]
        if kind is MoveKind.RETIRE and drivers:
            # "... with Marc VDS before Lorenzo's decision to call time": a team named before
            # the clause of the one who retires is not his.
            teams = [m for m in teams if m.start > drivers[0].start or not _SUBORDINATORS & set(
                doc.folded[m.end:drivers[0].start].split())]
        # "A and B remain in the No. 12 alongside Lynn, who raced Ganassi's Cadillac this
        # year": a team in another person's relative clause after the move is his past
        teams = [m for m in teams if not (m.start > t_start and _in_others_relative(
            doc, t_start, m, drivers))]
        if not teams:
            return None
        # "A partners B in the No. 3, and Action Express enters ...": a team that is the
        # subject of a later verb belongs to that clause.
        teams = [m for m in teams if not (m.start > t_start and self._subject_of_later_verb(
            doc, m, t_start)) and not (m.end <= t_start and self._object_of_earlier_verb(
                doc, m, t_start))]
        if not teams:
            return None
        after = [m for m in teams if m.start >= t_start]
        if after and self._make_of_car(doc, after[0], mentions):
            # "will drive the No. 8 Chevrolet for Richard Childress Racing": the entrant
            # named after the car's make
            entrant = next((m for m in after[1:] if not self._make_of_car(doc, m, mentions)
                            and not _is_make(doc, m)), None)
            if entrant is not None:
                return entrant
            # "Winward's champions A and B will again drive the No. 48 Mercedes-AMG": the make
            # names the car; the entrant named before is the team.
            entrants = [m for m in teams if m.start < t_start and
                        not self._make_of_car(doc, m, mentions)]
            if entrants:
                return entrants[-1]
        if after:
            return after[0]
        # "Heart of Racing's No. 27 Aston Martin will be driven by ...": the entrant, not the
        # make that names the car
        entrants = [m for m in teams if not self._make_of_car(doc, m, mentions)]
        return entrants[-1] if entrants else teams[-1]

    @staticmethod
    def _subject_of_later_verb(doc: _Doc, team: Mention, t_start: int) -> bool:
        index = bisect_left(doc.trigger_starts, team.end)
        return index < len(doc.trigger_starts) and doc.trigger_starts[index] > t_start and \
            len(doc.folded[team.end:doc.trigger_starts[index]].split()) <= 1 and \
            not doc.text[team.end:doc.trigger_starts[index]].strip(" ").startswith(("'", "’"))

    @staticmethod
    def _object_of_earlier_verb(doc: _Doc, team: Mention, t_start: int) -> bool:
        """"takes the R1 that A will vacate when he moves to BMW, and will partner B": a team
        right after an earlier verb of the sentence, in a clause of its own ("when he"), is
        that verb's."""
        index = bisect_right(doc.trigger_starts, team.start) - 1
        if index < 0 or doc.trigger_starts[index] >= t_start:
            return False
        v_start, v_end = doc.triggers[index][0], doc.triggers[index][1]
        opening = doc.folded[max(0, v_start - 20):v_start].split()[-2:]
        return v_end <= team.start and len(doc.folded[v_end:team.start].split()) <= 1 and \
            len(opening) == 2 and opening[0] in _SUBORDINATORS | {"as", "once"} and \
            opening[1] in _PRONOUNS

    @staticmethod
    def _make_of_car(doc: _Doc, team: Mention, mentions: list[Mention]) -> bool:
        named = makes = 0
        for candidate in team.candidates:
            if candidate.how == "manufacturer":
                makes += 1
            elif candidate.how in ("name", "alias"):
                named += 1
        return makes > named and _after_car(team, mentions)

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
        if doc.folded.find("neither", max(s_start, opening - 9), opening) != -1 and \
                doc.folded[max(s_start, opening - 9):opening].split()[-1:] == ["neither"] and \
                not any(drivers[0].end <= a_start <= t_start < a_end
                        for a_start, a_end in doc.asides):
            # "neither A nor B will be retained" (but "Neither A, who joins Sauber, nor B":
            # the aside's verb is A's own)
            return True
        negations = doc.cues.get("negation")
        if not negations:
            return False
        left_edge = s_start
        for driver in drivers:
            if left_edge < driver.end <= t_start:
                left_edge = driver.end
        for c_start, c_end in negations:
            if c_start >= t_start and c_end <= t_end:
                continue  # "will not return to" is itself a leave trigger
            if left_edge <= c_start and c_end <= t_start and \
                    len(doc.folded[c_end:t_start].split()) <= 4 and \
                    "and" not in doc.folded[c_end:t_start].split():
                # "reverses retirement and re-signs": the denial's object is its own.
                return True
            if s_start <= c_start < s_end and self._is_denial(doc, c_start, c_end):
                return True
        return False

    def _is_denial(self, doc: _Doc, start: int, end: int) -> bool:
        # ("was ruled out with a fractured hand", "ruled out of the race": unfit, not denied)
        return doc.folded[start:end] in _DENIALS and not self._is_trigger(doc, start, end) \
            and not doc.folded.startswith((" with ", " of ", " through "), end)

    @staticmethod
    def _is_trigger(doc: _Doc, start: int, end: int) -> bool:
        """"A stays put at X, and B is back in the sister car": a denial word that is itself
        another driver's verb of staying denies nothing else."""
        index = bisect_right(doc.trigger_starts, start) - 1
        while index >= 0 and doc.triggers[index][0] >= start - 60:
            if doc.triggers[index][1] >= end and any(
                    p.kind is MoveKind.EXTEND for p in doc.triggers[index][2]):
                return True
            index -= 1
        return False

    def _denied(self, doc: _Doc, s_start: int, s_end: int) -> bool:
        return any(s_start <= c < s_end and self._is_denial(doc, c, e)
                   for c, e in doc.cues.get("negation", ()))

    def _status(self, doc: _Doc, t_start: int, t_end: int, s_start: int, s_end: int) -> Status:
        """A rumour cue before the trigger, or after it in the same clause, makes a rumour,
        unless the article says it was made official in between."""
        if doc.text.find("?", s_start, s_end) != -1 and \
                doc.text[s_start:s_end].rstrip().endswith("?"):
            return Status.RUMOUR  # "Coyne parts ways with Siegel?" asks, it does not report
        rumours = doc.cues.get("rumour")
        if not rumours:
            return Status.CONFIRMED  # the clause's end below only bounds a rumour cue
        clause_end = s_end
        for match in _RUMOUR_CLAUSE_END.finditer(doc.text, t_end, s_end):
            clause_end = match.start()
            break
        for a_start, a_end in doc.asides:
            if a_start <= t_start < a_end:
                # "Bastianini, whose departure Ducati confirmed, is expected to ...": the
                # hedge after the aside is not the aside's
                clause_end = min(clause_end, a_end)
        if _hyphened(doc.text, t_start) and doc.folded[t_start:t_end] == "bound":
            # "who had hoped to sign him as the successor to Ferrari-bound Lewis Hamilton":
            # an adjective's move is hedged only by a word inside its own noun phrase.
            s_start = max(s_start, t_start - 25)
        confirming = doc.cues.get("confirmation", ())
        confirmations = [c for c, _ in confirming if s_start <= c < t_start]
        for c_start, c_end in rumours:
            if c_start >= t_start and c_end <= t_end:
                continue
            if any(f_start <= c_start and c_end <= f_end for f_start, f_end in confirming):
                continue  # "after the team exercised an option on his contract": taken up
            if c_end <= t_start and _clause_closed(doc, s_start, c_end, t_start):
                continue  # "Bautista is not ready to stop yet: he will continue with Ducati"
            if s_start <= c_start and c_end <= min(clause_end, t_end + 60):
                if c_end <= t_start and any(c_end <= c <= t_start for c in confirmations):
                    continue  # "Amid rumours ..., Aprilia has made it official that ..."
                return Status.RUMOUR
        return Status.CONFIRMED

    def _stands_in(self, doc: _Doc, s_start: int, s_end: int, replaced: Mention | None,
                   movers: Sequence[Mention] = ()) -> bool:
        """An arrival for a while: someone named as replaced and the sentence interim, or an
        absence in the sentence ("while Jones recovers", "misses Spa"), not told in an aside
        on the mover himself ("Bearman, the junior who impressed as a stand-in, is confirmed":
        what he did before)."""
        own = {aside for m in movers if (aside := self._aside_of(doc, m.end + 1)) is not None
               and aside[0] <= m.end + 2}
        return (replaced is not None and self._interim(doc, s_start, s_end)) or any(
            s_start <= c_start < s_end and self._aside_of(doc, c_start) not in own
            for c_start, _ in doc.cues.get("absence", ()))

    def _interim(self, doc: _Doc, s_start: int, s_end: int) -> bool:
        # ("The teenager, who won at Phoenix this spring, takes over the car": a venue in an
        # aside is where something else happened.)
        return _cue_between(doc, "interim", s_start, s_end) or any(
            s_start <= c_start < s_end and self._aside_of(doc, c_start) is None
            for c_start, _ in doc.cues.get("one_race", ()))
