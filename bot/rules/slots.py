"""Applying a pattern at its trigger: its clause, which of its patterns fits best (the slots are
filled in bot.rules.fill), and the hedges, denials and cues that qualify the move."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import replace

from bot.models import MoveKind, Status
from bot.rules.clauses import (
    _CLAUSE_AFTER,
    _PARTICIPLE_BEFORE,
    _SUBORDINATE_CLAUSE,
    Clauses,
    _car_shown_before,
    _crew_as_it_stands,
    _cues_allow,
    _describes_object,
    _incumbents,
    _kept_by_verb_before,
    _made_room,
    _onward_team,
    _opens_longer_cue,
    _phrasal_noun,
    _race_in_clause,
    _race_outcome,
    _race_position_after,
    _steps_up_to_series,
    _team_of_role_after,
    _team_placed_after,
)
from bot.rules.document import (
    _AUXILIARIES,
    _BE_WORDS,
    _FUTURE_MARKERS,
    _PAST_VERBS,
    _SEAT_VERBS,
    CAR,
    PERSON,
    SERIES,
    SLOT_KIND,
    TEAM,
    WORDS,
    Mention,
    RawMove,
    _coordinated,
    _Doc,
    _hyphened,
    _is_past_tense,
    _is_state_now,
    _outside_asides,
    _title_people,
    _with_epithet,
)
from bot.rules.fill import SlotFilling
from bot.rules.history import (
    _DETERMINERS,
    _RELATIVE_ASIDE,
    restated_background,
    talked_of_or_long_ago,
)
from bot.rules.origins import _kind_by_team_after
from bot.rules.patterns import Pattern
from bot.rules.scans import _RECORD_COMPANY, driver_fillable, people_reach, record_company
from bot.rules.team_context import _describes_person, _makers_group

_TO_WORDS = WORDS["to_words"]
_SEAT_AT = frozenset({"with", "for", "at", "alongside"})
_CREW_VERB_STEMS = ("shar", "driv", "rac", "rid", "pilot")
_RECENT_TIME = re.compile(r"\b(?:" + "|".join(map(re.escape, WORDS["recent_times"])) + r")\b")
# "will race the team's 2025 car", "its new car": the car as a product the team shows
_TEAMS_OWN_CAR = re.compile(r" (?:the team s|the team's|its|their) (?:new|\d{4}) (?:car|cars|bike|"
                            r"bikes)\b")
_GOING_WORDS = frozenset({"off", "heading", "moving", "joining", "leaving", "switching",
                          "returning", "going", "bound"})
_PLAN_NOUNS = frozenset(WORDS["plan_nouns"])
_MOVE_NOUNS = frozenset(WORDS["move_nouns"])



class Slots(Clauses, SlotFilling):
    def _apply(self, doc: _Doc, t_start: int, t_end: int, patterns: Sequence[Pattern],
               focus: Mention | None) -> list[RawMove]:
        sentence = doc.sentence_of(t_start)
        s_start, s_end = doc.sentences[sentence]
        stand_in = None
        object_pronoun = self._object_pronoun(doc, sentence, t_start, t_end, patterns)
        first_end, last_start = people_reach(doc, sentence)
        driver_left = all("driver" in pattern.left for pattern in patterns)  # (asked twice)
        if object_pronoun is None and (doc.first_person[sentence] is None or first_end > t_start):
            stand_in = self._implied_subject(doc, sentence, t_start)
            if stand_in is None and (doc.first_person[sentence] is None or driver_left):
                return []  # nobody named or meant where the pattern wants its driver
        if driver_left and (
                record := record_company(doc.folded, t_end, s_end)) is not None and sum(
                1 for m in doc.by_sentence[sentence]
                if m.kind == PERSON and t_end <= m.start and m.end <= record.start()) >= 2:
            return []  # "joins A.J. Foyt, Al Unser and Rick Mears as the only four-time winners"
        if object_pronoun is None and last_start < t_end and all(
                "driver" in pattern.right for pattern in patterns):
            return []  # "..., the team announced on Monday": nobody is announced
        blockers = doc.cues.get("blockers", ())
        if any(c_start < t_end and t_start < c_end and not self._ends_in_name(doc, sentence, c_end)
               and not t_start < c_start < c_end <= t_end for c_start, c_end in blockers):
            # "returns to racing", but not "returns to Racing Bulls"; nor a blocker inside
            # the trigger after its first word, which the phrase was written around ("has
            # extended his stay at"; but "now lines up", opening it, still blocks)
            return []
        if _race_in_clause(doc, s_start, s_end, t_end) or \
                self._called_off(doc, s_start, s_end, t_start):
            return []  # a race, not a seat; or "the move is off"
        trigger_words = doc.folded[t_start:t_end].split()
        first_word = trigger_words[0]
        if _phrasal_noun(doc, t_start, t_end, patterns):
            return []  # "removed from its race line-up with immediate effect": a noun
        if _car_shown_before(doc, s_start, t_start):
            return []  # "the livery of its new car, which A and B will race"
        # Who races the car shown, not who is new: a line-up. ("A and B will race the team's
        # 2025 car"; "... unveiled its livery. A and B will race the cars in Mexico City",
        # "... unveiled its A424. A, B and C will share the No. 35")
        crew_verb = any(word.startswith(_CREW_VERB_STEMS) for word in trigger_words)
        seats_only = (crew_verb and _TEAMS_OWN_CAR.match(doc.folded, t_end) is not None) or (
            (crew_verb or doc.folded[t_end:t_end + 10].split()[:2] in (["the", "car"],
                                                                        ["the", "cars"])) and
            self._unveiled_before(doc, doc.sentences[max(0, sentence - 2)][0], t_start))
        if _race_position_after(doc, t_end, s_end, trigger_words[-1] in _TO_WORDS):
            return []  # "were promoted to the top step", "moved up to second"
        before_words = doc.folded[max(s_start, t_start - 40):t_start].split()
        if _race_outcome(doc, patterns, t_start, t_end, before_words, s_start, s_end):
            return []  # "Palou wins at Laguna Seca as Herta retires": a DNF
        if talked_of_or_long_ago(doc, sentence, t_start, t_end, trigger_words, before_words):
            return []
        mentions = self._visible(doc, sentence, t_start)
        absolute = _with_epithet(doc.folded, max(s_start, t_start - 40), t_start)
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
        if stand_in is None and absolute is None:
            stand_in = self._clause_epithet(doc, sentence, s_start, t_start)
            if stand_in is not None:
                mentions = [m for m in mentions if not stand_in.start <= m.start < t_start]
        if stand_in is not None:
            mentions = sorted([stand_in, *mentions], key=lambda m: m.start)
        if object_pronoun is not None:
            mentions = sorted([*mentions, object_pronoun], key=lambda m: m.start)
        c_left, c_right = self._clause_bounds(doc, sentence, t_start, t_end)
        # "who has left to join Maserati": a later trigger owns what follows it.
        next_trigger = bisect_right(doc.trigger_starts, t_end)
        own_aside = self._aside_of(doc, t_start)
        while next_trigger < len(doc.trigger_starts) and doc.trigger_starts[next_trigger] < c_right:
            # ("for A, who made his debut in 2021, alongside B": an aside's verb owns only
            # the aside.)
            aside = self._aside_of(doc, doc.trigger_starts[next_trigger])
            if (aside is None or aside == own_aside) and not _describes_object(
                    doc, next_trigger, t_end) and not _opens_longer_cue(doc, next_trigger):
                c_right = doc.trigger_starts[next_trigger]
                break
            next_trigger += 1
        patterns = driver_fillable(patterns, mentions, c_left, t_start, t_end, c_right)
        if not patterns:
            return []  # nobody named where any pattern takes its driver from
        best: tuple[int, Pattern, dict[str, list[Mention]]] | None = None
        # "retained his title": a determiner right after a one-word trigger opens its object
        object_follows = len(trigger_words) == 1 and next(
            iter(doc.folded[t_end:t_end + 8].split()), "") in _DETERMINERS
        hyphened = _hyphened(doc.text, t_start)
        bare = doc.folded[t_start:t_end] in ("to", "for")
        ends_clause = t_end >= len(doc.text) or doc.text[t_end:t_end + 2].lstrip(" ")[:1] in (
            "", ".", ",", ";", ":", "!", "?", "\n")
        participle = (doc.text[max(0, t_start - 2):t_start].strip() == "," and
                      first_word.endswith("ing")) or \
            (doc.text.find(",", max(s_start, t_start - 30), t_start) != -1 and  # (its comma)
             _PARTICIPLE_BEFORE.search(doc.text, max(s_start, t_start - 30), t_start) is not None)
        if not participle and (doc.folded[c_left:t_start].split()[-1:] == ["and"] or
                               doc.folded.startswith("to ", t_start)):
            # "Rea will leave Kawasaki at the end of the season and join Pata Yamaha", "will
            # leave Triple Eight to race in NASCAR with Trackhouse": the second verb's subject
            # is the clause's, not the team just before it.
            before = [m for m in mentions if c_left <= m.start and m.end <= t_start]
            # ("replaces Ricciardo, who agreed to end his deal early, and will line up
            # alongside Norris": the aside after the object closes before the second verb.)
            participle = bool(before) and (before[-1].kind != PERSON or (
                doc.folded[c_left:t_start].split()[-1:] == ["and"] and
                _RELATIVE_ASIDE.match(doc.text, before[-1].end) is not None) or
                doc.folded[max(0, before[-1].start - 16):before[-1].start].split()[-1:] in (
                    ["by"], ["from"]))
        # "will be paired with X": a team's verb after a form of "be" is passive, and its
        # subject is who it was done to.
        passive = doc.folded[max(s_start, t_start - 12):t_start].split()[-1:] in _BE_WORDS
        headline_subject = self._headline_subject(doc, sentence, s_start, t_start)
        launch_object = any(t_end <= c_start < s_end and
                            len(doc.folded[t_end:c_start].split()) <= 2
                            for c_start, _ in doc.cues.get("car_launch", ()))
        fills: dict[tuple[str, str, bool, frozenset[int]], list[Mention]] = {}
        for pattern in patterns:
            if pattern.title_only and t_start >= doc.title_end:
                continue
            if passive and pattern.left[:1] == ("team",) and "driver" in pattern.right:
                continue
            if passive and first_word == "joined" and pattern.left[:1] == ("driver",):
                continue  # "Fassbender is joined in the No. 93 by A and B": they join him
            if pattern.title_only and bare and not any(
                    m.end <= t_start and not doc.text[m.end:t_start].strip(" '’s")
                    for m in mentions if m.kind == PERSON):
                continue  # "Hamilton to Ferrari", but not "Bearman tests for Haas"
            if pattern.clause_end and not ends_clause:
                continue
            if pattern.after_comma and doc.text[max(0, t_start - 2):t_start].strip() != ",":
                continue
            if not pattern.right and object_follows:
                continue  # "retained his BTCC title": a verb with an object is no passive
            if pattern.right[:1] == ("driver",) and launch_object:
                continue  # "unveiled the livery of the GR010 that A and B will race": a thing
            if (pattern.vetoed_by or pattern.licensed_by) and \
                    not _cues_allow(doc, pattern, s_start, s_end, t_start):
                continue  # "Toyota's No. 7, shared by A, B and C, held off ...": a race
            filled: dict[str, list[Mention]] = {}
            used: set[int] = set()
            ok = True
            distance = 0
            for slot in pattern.left:
                if headline_subject is not None:
                    # "Bastianini loses Ducati seat to Marquez, heads to Tech3": the headline's
                    # second verb has its first verb's subject.
                    found = [headline_subject] if SLOT_KIND[slot] == headline_subject.kind \
                        else []
                elif slot == "team" and (subject := self._shared_team_subject(
                        doc, mentions, c_left, t_start)) is not None:
                    # "Trackhouse has taken over the RNF Aprilia operation and will field A
                    # and B": the second verb's subject is the first's
                    found = [subject]
                elif slot == "driver" and pattern.subject and not participle:
                    # "Guintoli will race the GSX-RR at Austria in place of Mir"
                    found = self._own_subject(doc, mentions, t_start, c_left)
                elif slot == "driver" and participle:
                    # "Lawson will race alongside Verstappen, replacing Perez": the clause's
                    # subject replaces, not the name just before the comma. ("takes the seat
                    # of Rins, who is heading to Yamaha to partner Quartararo": in a "who"
                    # clause, whom it is about.)
                    antecedent = self._antecedent(doc, mentions, own_aside)
                    found = [antecedent] if antecedent is not None else \
                        self._with_list(doc, mentions, t_start) or \
                        self._subject(doc, mentions, t_start, c_left)
                    if antecedent is None and found and doc.first_person[sentence] is not None and \
                            c_left <= s_start + 1:
                        # "The Dane joins A and B in the No. 94, taking over from C": the
                        # epithet opening the sentence is its subject, not the object A.
                        opening = self._implied_subject(doc, sentence, found[0].start)
                        if opening is not None and opening.end <= found[0].start:
                            found = [opening]
                else:
                    # Many patterns share a trigger and ask for the same slot: fill it once.
                    key = ("L", slot, pattern.kind is MoveKind.LEAVE or
                           pattern.kind is MoveKind.RETIRE, frozenset(used))
                    if key not in fills:
                        fills[key] = self._fill_left(doc, mentions, slot, t_start, c_left, used,
                                                     pattern.kind)
                    found = fills[key]
                if not found:
                    # A team's verb with no team before it ("Experienced names such as Bottas")
                    # is a noun, or someone else's verb, unless "the team" or "it" is the subject.
                    ok = slot == "team" and not (
                        "driver" in pattern.right and pattern.left[:1] == ("team",)
                        and not self._generic_team(doc, c_left, c_left, t_start)
                        and doc.folded[c_left:t_start].split()[-2:][:1] not in (["it"], ["they"]))
                    if not ok:
                        break
                    continue
                filled[slot] = found
                used.update(map(id, found))
                distance += t_start - found[-1].end
            if not ok:
                continue
            for slot in pattern.right:
                key = ("R", slot, False, frozenset(used))
                if key not in fills:
                    fills[key] = self._fill_right(doc, mentions, slot, t_end, c_right, used)
                found = fills[key]
                if not found:
                    if slot in ("driver", "replaced", "car"):
                        ok = False
                        break
                    continue
                filled[slot] = found
                used.update(map(id, found))
                distance += found[0].start - t_end
            if not ok or "driver" not in filled:
                continue
            if bare and "driver" in filled and \
                    self._object_of_verb_before(doc, filled["driver"][0]):
                continue  # "Tander joins van Gisbergen for Red Bull": Tander's, not his
            if bare and ("team" not in filled or not _SEAT_AT.issuperset([
                    word for word in doc.folded[t_end:filled["team"][0].start].split()
                    if word != "the"][-1:])):
                # "Sainz holds off Norris to end Red Bull's run", "X to step back and run the
                # team": "to" a verb, and the team no seat's (but "Larson to tackle Indy 500
                # with Arrow McLaren")
                continue

            if pattern.follow and not self._followed_by(doc, pattern, filled):
                continue
            if hyphened and pattern.left[:1] == ("team",) and (
                    "team" not in filled or filled["team"][-1].end != t_start - 1):
                continue  # "NASCAR-bound van Gisbergen": the word the suffix is on is the team
            if pattern.plural and len(filled["driver"]) < 2:
                continue  # "Ragan drives the No. 38 for Front Row": where he is, not news
            if pattern.adjacent and any(slot not in filled or doc.folded[
                    t_end:filled[slot][0].start].split() not in ([], ["the"])
                    for slot in pattern.right):
                continue  # "moves from the No. 3 to Kondo's No. 24": no team right after
            missing = sum(1 for slot in (*pattern.left, *pattern.right) if slot not in filled)
            score = missing * 10_000 + distance
            if best is None or score < best[0]:
                best = (score, pattern, filled)
        if best is None:
            return []
        _, pattern, filled = best
        drivers = [m for m in filled["driver"] if not m.non_driver]
        if not drivers:
            return []
        if pattern.kind is not MoveKind.EXTEND and _incumbents(doc, drivers, s_start, t_start,
                                                                t_end):
            # "will share the car with the team's regular drivers A and B", "Returning
            # drivers A, B and C make up the #35 crew": who is there, a line-up (but a team
            # that "keeps its regular pairing of A and B" retains them)
            seats_only = True
        if pattern.mates and _title_people(doc).isdisjoint(m.value for m in drivers):
            # "Hartley will share the car with Buemi and Nakajima": the news is Hartley's
            seats_only = True
        kind = pattern.kind
        if kind is MoveKind.EXTEND and "team" in filled and _makers_group(doc, filled["team"][0]):
            return []  # "staying in the Ford camp" with another team: no stay with a team
        # "Triple Eight confirms Van Gisbergen exit": the word after the name decides the kind.
        last = filled["driver"][-1]
        word_after = doc.folded[last.end:min(last.end + 16, s_end)].split()[:1]
        if last.start >= t_end and word_after and (word_after[0] in _PLAN_NOUNS or (
                kind is MoveKind.LEAVE and word_after[0] in _MOVE_NOUNS)):
            # "Red Bull drops Palou plan", "abandons Herta move": what is dropped is a plan
            return []
        if last.start >= t_end:
            following = doc.folded[last.end:min(last.end + 30, s_end)]  # (its own sentence's)
            offset = last.end + (len(following) - len(following.lstrip()))
            if offset in doc.object_kind:
                kind = doc.object_kind[offset][1]
            elif following.split()[:1] and following.split()[0] in _AUXILIARIES:
                # "McLaren announced that Hughes was leaving": the clause's own verb decides,
                # read by its own trigger if it has one; "... confirms Lawson will partner
                # Verstappen" still announces a seat.
                clause_verb = following.split()[1:2]
                if not clause_verb or clause_verb[0] not in _SEAT_VERBS:
                    return []
                kind = _SEAT_VERBS[clause_verb[0]] or kind
        kind = _kind_by_team_after(doc, kind, t_end, filled.get("team", ())[:1] or [
            m for m in mentions if m.kind == TEAM and t_end <= m.start < c_right][:1])
        if kind is MoveKind.PROMOTE and (any(
                m.kind == SERIES and t_end <= m.start and
                len(doc.folded[t_end:m.start].split()) <= 1 for m in mentions) or any(
                t_end <= c_start and len(doc.folded[t_end:c_start].split()) <= 1
                for c_start, _ in doc.cues.get("new_level", ()))):
            # "steps up to MotoGP with Trackhouse", "steps up to Hypercar": a new series or
            # class, which is a join.
            kind = MoveKind.JOIN
        if kind is MoveKind.EXTEND and _steps_up_to_series(doc, mentions, t_end, s_end):
            kind = MoveKind.JOIN  # "will stay with Aspar in 2025 but move up to Moto2"
        # "Iron Dames unchanged, Riberas joins Heart of Racing": a stay said of others before
        # the subject is theirs.
        # ("two drivers unchanged: A and B are joined by newcomer C": the colon opens what C
        # is the object of.)
        subject_start = drivers[0].start if drivers[0].start < t_start else \
            doc.text.rfind(":", c_left, t_start) + 1 or c_left
        if drivers[0].start >= t_end and (trigger_words[0] == "joined" or doc.folded[
                c_left:t_start].split()[-1:] == ["and"]):
            subject_start = t_start  # "will again run A and has added B"; "A stays, joined by B"
        if kind is MoveKind.JOIN and any(
                max(c_left, subject_start) <= c_start < c_right and
                self._aside_of(doc, c_start) in (None, own_aside) and not (
                    c_start >= t_end and _CLAUSE_AFTER.search(doc.text, t_end, c_start)) and not (
                    doc.folded[c_start:c_end] == "again" and (
                        self._told_as_return(doc) or self._interim(doc, s_start, s_end)))
                for c_start, c_end in doc.cues.get("retention", ())):
            # "will drive for the team again in 2026"; but "Magnussen returns to Haas ... will
            # race for Haas again this season" is a comeback
            kind = MoveKind.EXTEND
        if kind is MoveKind.JOIN and not pattern.left and \
                _kept_by_verb_before(doc, s_start, t_start, mentions):
            kind = MoveKind.EXTEND  # "has kept its Le Mans-winning crew of A, B and C"
        if kind is MoveKind.JOIN and _crew_as_it_stands(doc, pattern, drivers, c_left, t_start):
            seats_only = True
        denied = False
        if self._negated(doc, t_start, t_end, drivers, s_start, s_end):
            # "X denies he will join Y" is kept as a denial (it corrects an alert already
            # sent); "X will not continue with Y" is an exit; "will not join" is nothing.
            if self._denied(doc, s_start, s_end):
                denied = True
            elif kind is not MoveKind.EXTEND:
                return []
            else:
                kind = MoveKind.LEAVE
        if restated_background(doc, s_start, t_start, trigger_words):
            return []
        # "Van Gisbergen, who left the team last year, watched", "Albon, who lost his seat to
        # Perez, will drive": a relative clause in the past is the person's history.
        clause_start = max(s_start, doc.text.rfind(",", max(s_start, t_start - 120), t_start) + 1)
        clause_words = doc.folded[clause_start:t_start].split()
        pronoun = "who" if "who" in clause_words else "which" if "which" in clause_words else None
        if pronoun is not None:
            relative = clause_words[clause_words.index(pronoun) + 1:]
            verb = (relative + trigger_words)[0]
            # "seat to Perez" is no infinitive; "will join" in the trigger is the future;
            # "who is off to Aston Martin" is going now.
            going = not relative and len(trigger_words) > 1 and trigger_words[1] in _GOING_WORDS
            future = _FUTURE_MARKERS & (set(relative) | set(trigger_words) - {"to"})
            # ("partner Leclerc, who signed a new deal last week": a stay told as news)
            # ("alongside Rins, who was confirmed on Tuesday": any move told with a recent
            # time in its own clause)
            comma = doc.text.find(",", t_end, s_end)
            recent_end = s_end if kind is MoveKind.EXTEND or comma < 0 else comma
            told_now = bool(kind is MoveKind.EXTEND and {"has", "have", "recently"} & set(
                relative)) or _RECENT_TIME.search(doc.folded, clause_start, recent_end) is not None
            # ("taking the seat of Larson, who was fired by the team": the exit that made room
            # for the move is news with it)
            told_now = told_now or _made_room(doc, s_start, clause_start, drivers)
            if not going and not future and not told_now and (
                    verb in _PAST_VERBS or _is_past_tense(verb) or (
                        _is_state_now(verb) and kind is not MoveKind.EXTEND and not any(
                            clause_start <= c_start < s_end
                            for c_start, _ in doc.cues.get("next_season", ())))):
                # (but "will partner Fullwood, who stays for a second year": a stay told now)
                return []
        for c_start, c_end in doc.cues.get("programme", ()):
            if "from" in doc.folded[t_end:c_start].split()[:1]:
                continue  # "whose promotion from the Ferrari academy": where he comes from
            if t_end <= c_start < s_end and (len(doc.folded[t_end:c_start].split()) <= 3 or any(
                    doc.folded[m.end:c_start].split()[:1] in (["to"], ["into"], ["in"], ["as"]) and
                    len(doc.folded[m.end:c_start].split()) <= 3 for m in drivers)) and \
                    not any(m.kind == PERSON and 0 <= m.start - c_end <= 12 for m in drivers):
                # "has joined the Mercedes junior programme": no seat. ("promoted academy
                # driver Colapinto": the programme describes the driver.)
                return []
        for c_start, c_end in doc.cues.get("non_driver", ()):
            if first_word.endswith("ing") and s_start <= c_start and c_end <= t_start and \
                    "as" in doc.folded[max(s_start, c_start - 8):c_start].split()[-2:] and \
                    len(doc.folded[c_end:t_start].split()) <= 8:
                # "take over as team principal of Triple Eight in 2022, succeeding Dane": the
                # post is what is taken over
                return []
            if not t_end <= c_start < s_end or any(0 <= m.start - c_end <= 1 for m in drivers):
                continue  # ("keeps team owner Tan and Verhagen together": the driver's title)
            between = doc.folded[t_end:c_start].split()
            if kind is MoveKind.RETIRE and "become" in between:
                continue  # "ended his career to become team principal": the post comes after
            if (len(between) <= 3 and "," not in doc.text[t_end:c_start]) or (
                    len(between) <= 10 and ("as" in between[-3:] or between[-1:] == ["role"])
                    and not {"driver", "rider"} & set(between)):
                # "joins the ownership group", "promoted to team principal", "will join Aston
                # Martin in March as managing technical partner", "... in a new role: team
                # principal"
                return []
        if any(0 <= c_start - t_end <= 1 for c_start, _ in doc.cues.get("unnamed_team", ())):
            return []  # "who have moved to different teams": no team to follow
        status = Status.DENIED if denied else self._status(doc, t_start, t_end, s_start, s_end)
        team = next(iter(filled.get("team", ())), None)
        if team is not None and team.end <= t_start and kind.direction == "arrive" and \
                pattern.left[:1] == ("team",):
            team = _team_placed_after(doc, mentions, drivers[-1], s_end) or team
        if kind is MoveKind.LEAVE and team is not None and team.start >= t_end:
            if (onward := _onward_team(doc, mentions, team)) is not None:
                kind, team = MoveKind.JOIN, onward
            elif pattern.adjacent:
                return []  # "switched from Yamaha": a switch says where to, or tells nothing
        from_context = False
        anaphor_car: Mention | None = None
        teammates: list[Mention] = []
        if team is None:
            # The object was a person ("joins A and B", "partners Ferrari junior A"): teammates.
            after = [m for m in mentions if m.start >= t_end and m.end <= c_right and not (
                m.kind == TEAM and _describes_person(doc, m, mentions))]
            if after and after[0].kind == PERSON and "team" in pattern.right and \
                    kind in (MoveKind.JOIN, MoveKind.EXTEND):
                    # "joins A and B", not "joins A, who stays, in the team formed by C"
                    teammates = [after[0]]
                    for next_named in after[1:]:
                        if next_named.kind != PERSON or not _coordinated(_outside_asides(
                                doc, teammates[-1].end, next_named.start, folded=False)):
                            break
                        teammates.append(next_named)
                    teammates = [m for m in teammates if m not in drivers]
                    if teammates and _RECORD_COMPANY.match(doc.folded, teammates[-1].end):
                        return []  # "joins Rouse and Turkington as the only four-time champions"
            # "Cassidy stays with a familiar powertrain, as Envision is a customer of the
            # British manufacturer": the clause after ", as" has its own team and subject.
            subordinate = _SUBORDINATE_CLAUSE.search(doc.text, t_end, c_right)
            own_right = subordinate.start() if subordinate else c_right
            if trigger_words[-1] == "from" and kind.direction == "arrive":
                own_right = t_start  # "Harvey arrives from Meyer Shank": what follows is whence
            generic = self._generic_team(doc, t_end, c_left, own_right)
            if teammates or generic or not (set(pattern.left) | set(pattern.right)) & {"team"}:
                # "The Mercedes junior will partner Cordeel, who stays with the British team":
                # an aside's own "the team" is not a team named outside it.
                seen = [m for m in mentions if own_aside[0] <= m.start < own_aside[1]] \
                    if generic and own_aside is not None else mentions
                team = self._team_in_sentence(doc, seen, drivers, t_start, own_right, kind)
                if team is None and generic:
                    team, anaphor_car = self._car_named_before(doc, c_left, c_right)
                if team is None and generic:
                    team = self._works_team(doc, t_end, own_right, focus)
                if team is None and (generic or teammates or "team" not in pattern.right):
                    team = focus
                    from_context = True
        if team is not None and focus is not None and kind is MoveKind.LEAVE and \
                team.start > t_end and any(m.kind == SERIES and t_end <= m.start < team.start and
                                           len(doc.folded[t_end:m.start].split()) <= 1
                                           for m in mentions):
            # "Lotterer is leaving Formula E to concentrate on Porsche's Hypercar programme":
            # he leaves the series, and with it the team he races for there
            team, from_context = focus, True
        if team is None and kind is MoveKind.LEAVE and \
                doc.folded[t_end:t_end + 9].strip().startswith("the car"):
            # "Kurt Busch will not return to the car next year": the car named before
            team, anaphor_car = self._car_named_before(doc, t_end, t_end + 9, the_car_too=True)
        if team is None and focus is not None and (
                kind is MoveKind.LEAVE or (kind is MoveKind.JOIN and "return" in doc.folded[
                    t_start:t_end] and focus.start < doc.title_end)) and any(
                m.kind == SERIES and 0 <= m.start - t_end <= 5 and (
                    not focus.candidates or any(c.series == m.value for c in focus.candidates))
                for m in mentions):
            # "Rovanperä will leave the World Rally Championship", "Pedrosa will return to
            # MotoGP as a wildcard": the team he races for there
            team, from_context = focus, True
        if team is None and kind is MoveKind.LEAVE and \
                _made_room(doc, s_start, clause_start, drivers):
            # "replacing Wallace, who is leaving to drive for a new team": he leaves the seat
            # the move before him takes
            team = next((m for m in reversed(doc.by_sentence[sentence]) if m.kind == TEAM and
                         m.end <= drivers[0].start), None)
            if team is None:
                team, from_context = focus, True
        if team is None and kind.direction == "arrive" and (car := next((
                m for m in mentions if m.kind == CAR and m.start >= t_end and
                doc.folded[t_end:m.start].split() in ([], ["the"])), None)) is not None:
            # "will join the No. 40 crew": the car carries the team written beside it before
            team, anaphor_car = self._team_of_car(doc, car, focus), car
        if team is None and "team" in pattern.right:
            team = self._team_of_participle_after(doc, mentions, c_right, s_end) or \
                _team_of_role_after(doc, mentions, t_end, c_right)
        if team is None and kind not in (MoveKind.RETIRE,):
            return []
        if from_context and kind in (MoveKind.PROMOTE, MoveKind.JOIN) and \
                "return" not in doc.folded[t_start:t_end] and any(
                m.kind == SERIES and 0 <= m.start - t_end <= 2 for m in mentions) and not any(
                m.kind == TEAM and t_end <= m.start < c_right for m in mentions):
            # "Ogura, who steps up to MotoGP next season": a move up to a series, the team it
            # is with not named (the one the article is about is the one he leaves)
            return []
        if kind is MoveKind.RETIRE and (from_context or "team" not in pattern.right):
            # "Rossi will retire ... in his first season with Petronas", "Triple Eight driver
            # Lowndes will retire, 24 years after his debut with HRT": the team he is with now
            team = self._current_team(doc, drivers[0].value) or team
        if kind.direction == "arrive" and team is not None and team.end <= t_start:
            # "Ferrari has promoted Bearman to a race seat with Haas": the seat's team
            team = self._seat_named_after(doc, mentions, drivers[-1].end, c_right) or team
        replaced = filled.get("replaced", [None])[0]
        car = filled.get("car", [anaphor_car])[0]
        if (kind is MoveKind.JOIN and self._stands_in(doc, s_start, s_end, replaced, drivers)) or (
                kind is MoveKind.EXTEND and any(s_start <= c_start < t_start for c_start, _ in
                                                doc.cues.get("absence", ())) and any(
                    m.kind == PERSON and m.end <= t_start and m not in drivers
                    for m in doc.by_sentence[sentence])):
            kind = MoveKind.REPLACE  # ("Martin is sidelined, so Savadori stays in the Aprilia")
        # "will be driven by its WEC crew of A, B and C", "A and B will drive for the team next
        # season": with no team of their own, the drivers the team has; news names the team.
        seats_only = seats_only or (pattern.named_team and from_context and kind is MoveKind.JOIN)
        moves = []
        teams = self._respectively(doc, mentions, drivers, team, c_right)
        co_drivers = tuple(d.value for d in drivers)
        for driver in drivers:
            moves.append(RawMove(
                kind=kind, driver=driver.value, driver_mention=driver, sentence=sentence,
                trigger=(t_start, t_end),
                pattern=replace(pattern, lineup_only=True) if seats_only else pattern,
                team=teams.get(id(driver), team),
                team_from_context=from_context,
                replaced=replaced.value if replaced is not None and replaced.value != driver.value
                else None,
                car=car.value if car is not None else None, status=status,
                teammates=teammates, co_drivers=co_drivers,
            ))
        return moves
