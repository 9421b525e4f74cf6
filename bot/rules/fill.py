"""Filling a pattern's slots: the names to the left and to the right of its trigger, nearest
first, within the clause, with the lists of names coordinated there."""

from __future__ import annotations

import re

from bot.models import MoveKind
from bot.rules.document import (
    _AUXILIARIES,
    _CAR_IN_LIST,
    _DENIALS,
    _MODEL_WORDS,
    _OWN_REPORT_VERBS,
    _PRONOUNS,
    _RACES_AFTER_AND,
    _SPEECH_VERBS,
    CAR,
    PERSON,
    SERIES,
    SLOT_KIND,
    TEAM,
    WORDS,
    EngineBase,
    Mention,
    _coordinated,
    _Doc,
    _is_finite,
    _is_list,
    _is_state_verb,
    _outside_asides,
    _possessive,
)
from bot.rules.team_context import (
    _after_car,
    _describes_person,
    _is_make,
    _makers_group,
    _owned_make,
    after_a_spell,
)
from bot.rules.text import fold

_SUBORDINATE = WORDS["subordinators"]
_ONWARD = frozenset({"to", "with", "at", "for", "into"})
_STEP_UP_FROM = re.compile(r"(?: up|\bgraduat[a-z]*) from$")
_RESULT_NOUNS = WORDS["result_nouns"]
_HELD_ROLES = WORDS["held_roles"]
_THINGS = WORDS["team_things"]
_FINITE_AUXILIARIES = frozenset({"will", "is", "are", "has", "have", "was", "were", "had", "would"})
# "McLaren fans will choose ...": the team names whose people they are, not who acts.
_TEAMS_PEOPLE = frozenset({"fans", "supporters", "boss", "bosses", "chief", "engineers",
                           "mechanics", "staff", "insiders", "management", "principal"})
# "Lorenzo's surprise decision to call time on his career": the owner of the decision acts.
_DECISION_GAP = re.compile(r"\s*(?:s\s+)?(?:(?:surprise|shock|sudden|late|final|own)\s+)?"
                           r"(?:decision|choice|plan|intention|wish)\s+$")
# "Haas has terminated Mazepin's contract": the driver's own deal is the object, not a seat.
_OWNED_DEALS = (["contract"], ["deal"], ["agreement"])
# "Bottas's contract with Sauber", "Hulkenberg's Haas deal", "Ocon's time at Alpine": the
# possessive owns a deal or a spell
_OWN_DEAL_AFTER = re.compile(r" *s +(?:[a-z0-9]+ +){0,3}?(?:contract|deal|agreement|future|time|"
                             r"stint|spell|tenure|association|partnership)\b")
_TIME_CLAUSE_OPENERS = frozenset({"when", "after", "once", "as", "before", "until"})
# A headline's verbless predicates: "Lawson in", "Magnussen out", "Sainz to Williams"
_HEADLINE_PREDICATES = (["in"], ["out"], ["to"], ["back"], ["set"], ["up"], ["off"])
# The verbs of an entry list: "lists A alongside B and C" names a crew.
_ENTRY_VERBS = (["lists"], ["listed"], ["fields"], ["field"], ["fielded"], ["enters"],
                ["entered"])


def _ends_with_and(gap: str) -> bool:
    """"... for a second season and": an object phrase closed by "and" (no new subject)."""
    words = gap.split()
    return 1 < len(words) <= 8 and words[-1] == "and" and not _PRONOUNS & set(words)


def _own_report(gap: list[str], verb_phrase: list[str]) -> bool:
    """"X has confirmed he will join", "X denied that she is leaving": the pronoun right after
    the subject's own speech verb is the subject. ("X said he will be driving for Y" tells
    where he is, maybe already: no news of a move.)"""
    if len(gap) < 2 or gap[-1] not in _PRONOUNS:
        return False
    verb = next((w for w in verb_phrase
                 if w not in _AUXILIARIES and w not in ("be", "been", "being", "to")), "")
    if _is_state_verb(verb):
        return False
    reporting = [w for w in gap[:-1] if w != "that"]
    return bool(reporting) and all(w in _OWN_REPORT_VERBS or w in _DENIALS for w in reporting)


def _pronoun_after_own_clause(gap: list[str]) -> bool:
    """"the bike that Marquez will leave behind when he moves to": the pronoun opening a
    clause of time after the person's own verb is that person."""
    return len(gap) >= 3 and gap[0] in _AUXILIARIES and gap[-1] in ("he", "she") and \
        gap[-2] in _TIME_CLAUSE_OPENERS


def _an_entry(doc: _Doc, mention: Mention) -> bool:
    """"Tech3": a team by its own name, not a make ("Proton's Porsche squad" is Proton's)."""
    named = sum(c.how in ("name", "alias") for c in mention.candidates)
    return named > 0 and named >= sum(c.how == "manufacturer" for c in mention.candidates)


def _singular_who(gap: list[str], trigger_words: list[str]) -> bool:
    """The gap before a verb ends a relative clause in the singular: "... who takes"."""
    if "who" not in gap:
        return False
    verb = [*gap[len(gap) - gap[::-1].index("who"):], *trigger_words][:1]
    return bool(verb) and (verb[0] in ("is", "has", "was", "does") or (
        verb[0].endswith("s") and not verb[0].endswith("ss")))


def _of_whom(gap: list[str]) -> str | None:
    """"the last of whom": which of a list a relative clause is about."""
    if "whom" not in gap:
        return None
    at = gap.index("whom")
    return gap[at - 2] if at >= 2 and gap[at - 1] == "of" else None


def _held_role_before(gap: list[str]) -> bool:
    """"... alongside his role as": a role the driver holds names its own team."""
    return any(word in ("his", "her", "their") and gap[i + 1] in _HELD_ROLES
               for i, word in enumerate(gap[:-1]))


def _opens_clause(following: str) -> bool:
    """The words after a name make it a subject: "D drives for", "D will race", "D is", "D
    steps in"."""
    word = following.split()[:1]
    return bool(word) and (word[0] in _FINITE_AUXILIARIES or _is_finite(word[0]))


def _list_gaps_outside_asides(doc: _Doc, start: int, end: int) -> tuple[str, ...]:
    """The gap between two names without its asides, read both ways when an aside opens it:
    "A, who made his debut in 2021, alongside B" (the aside between), "A, who returns, B and C"
    (its closing comma is the list's)."""
    gap = _outside_asides(doc, start, end, folded=False)
    if any(a_start == start for a_start, _ in doc.asides):
        return gap, f",{gap}"
    return (gap,)


class SlotFilling(EngineBase):
    def _fill_left(self, doc: _Doc, mentions: list[Mention], slot: str, t_start: int,
                   floor: int, used: set[int], kind: MoveKind = MoveKind.JOIN) -> list[Mention]:
        want = SLOT_KIND[slot]
        before = [m for m in mentions
                  if m.end <= t_start and m.start >= floor and id(m) not in used]
        shared_subject = False
        for at in range(len(before) - 1, -1, -1):  # (nearest first; `at` is its place)
            mention = before[at]
            if mention.kind == SERIES or (mention.kind == CAR and want != CAR):
                continue
            if want == TEAM and mention.kind == TEAM and self._after_cue(
                    doc, mention, "from_team") and doc.text[mention.end:t_start].strip(" -‑"):
                # "ex-Ganassi driver Felix Rosenqvist": his past, not the move's team (but
                # "from the Andretti-bound Ericsson": the word on the name is the move's)
                continue
            if want == TEAM and mention.kind == TEAM and (
                    _owned_make(doc, mention) or _describes_person(doc, mention, mentions) or
                    next(iter(doc.folded[mention.end:mention.end + 14].split()), "")
                    in _TEAMS_PEOPLE):
                continue  # "Sheargold Motorsport's Am-class Mercedes-AMG lists ...": the owner
            if want == TEAM and mention.kind == TEAM and any(
                    car.kind == CAR and 0 <= mention.start - car.end <= 2 and any(
                        owner.kind == TEAM and _possessive(doc, owner) and
                        0 <= car.start - owner.end <= 4 for owner in before)
                    for car in before):
                continue  # "Heart of Racing's No. 27 Aston Martin": the make names the car
            if want == PERSON and mention.kind == PERSON and (
                    doc.text.startswith(("'s", "’s"), mention.end)
                    or doc.text.endswith(("'s", "’s"), mention.start, mention.end)) and \
                    not _DECISION_GAP.match(doc.folded, mention.end, t_start) and \
                    doc.text[mention.end:t_start].strip(" '’") and not (
                        kind in (MoveKind.LEAVE, MoveKind.EXTEND) and _OWN_DEAL_AFTER.match(
                            doc.folded, mention.end)):
                # "Felipe Nasr, Cameron's co-champion, will ...": Nasr is the subject (but
                # "Bottas's contract with Sauber will not be renewed" is Bottas's exit, and a
                # pattern may itself open with the possessive: "Antonelli's move to")
                continue
            to_verb = doc.text[mention.end:t_start]
            if mention.kind == PERSON and want == TEAM and mention.end <= t_start and (
                    (to_verb.strip(" ,") in ("and", "") and (
                        to_verb.strip() or at == 0 or before[at - 1].kind != TEAM or
                        _coordinated(doc.text[before[at - 1].end:mention.start]))) or
                    _ends_with_and(doc.folded[mention.end:t_start])):
                # "Nissan has retained Rowland and signed Nato", "Hitech has kept Crawford for
                # a second season and added Aron": the second verb shares the first's subject
                # (but in "Hyundai confirmed A will contest" the name right before is it).
                shared_subject = True
                continue
            if want == PERSON and mention.kind == TEAM and doc.folded[
                    max(0, mention.start - 7):mention.start].split()[-1:] in (["who"], ["whom"]) \
                    and set(doc.folded[mention.end:t_start].split()) <= _SPEECH_VERBS:
                continue  # "Grosjean, who Andretti has confirmed will not be retained"
            if mention.kind != want:
                return []
            if want == PERSON and (doc.text[mention.end:t_start].strip(" ,") == "and" or
                                   _ends_with_and(doc.folded[mention.end:t_start])) and any(
                    m.kind == PERSON and m.start >= t_start and
                    len(doc.folded[t_start:m.start].split()) <= 4 for m in mentions):
                return []  # "dropped Sargeant and promoted Colapinto": an object, not a subject
            gap = _outside_asides(doc, mention.end, t_start).split()
            if len(gap) > self.settings["left_words"] and not shared_subject:
                return []
            # "makes her Daytona debut": "her" before a noun is whose, not who.
            pronouns = [w for i, w in enumerate(gap) if w in _PRONOUNS and not (
                w == "her" and i + 1 < len(gap))]
            if want == PERSON and pronouns and "who" not in gap and \
                    not _pronoun_after_own_clause(gap) and \
                    not (kind in (MoveKind.LEAVE, MoveKind.RETIRE) and gap[:1] and
                         gap[0] in _SPEECH_VERBS) and not _own_report(
                        gap, doc.folded[t_start:t_start + 40].split()[:4]):
                # "X said that he will be driving for Y": who "he" is, the rules cannot
                # tell; but "X announces he will retire" is X's own news.
                return []
            found = [mention]
            if want == PERSON:
                index = at
                while index > 0:
                    previous = before[index - 1]
                    if previous.kind == SERIES and index > 1:
                        # "A, B and former Formula 1 driver C": a series inside a description
                        index -= 1
                        continue
                    between = doc.text[previous.end:found[-1].start]
                    if previous.kind != PERSON or not (_coordinated(between) or _coordinated(
                            _outside_asides(doc, previous.end, found[-1].start, folded=False))):
                        # ("A, in his first full season, and B share the No. 9": the aside
                        # about A does not break the list.)
                        break
                    found.append(previous)
                    index -= 1
                found.reverse()
                if not _is_list(doc, found) or (len(found) > 1 and (_singular_who(
                        gap, doc.folded[t_start:t_start + 20].split()) or
                        _of_whom(gap) in ("last", "latter"))):
                    # ("joins A, B and C, the champion who takes over the No. 8", "A, B and
                    # C, the last of whom joined from Andretti": the relative clause is about
                    # C alone; "A and B, who stay" about both.)
                    found = found[-1:]
                elif len(found) > 1 and _of_whom(gap) in ("first", "former"):
                    found = found[:1]
            return found
        return []

    def _fill_right(self, doc: _Doc, mentions: list[Mention], slot: str, t_end: int,
                    ceiling: int, used: set[int]) -> list[Mention]:
        want = SLOT_KIND[slot]
        after = [m for m in mentions if m.start >= t_end and m.end <= ceiling and id(m) not in used]
        limit = self.settings["right_driver_words" if want == PERSON else "right_words"]
        # ("steps up from Prema to ART": the team right after "from" is the origin)
        from_origin = want == TEAM and _STEP_UP_FROM.search(doc.folded, max(0, t_end - 16),
                                                            t_end) is not None
        for position, mention in enumerate(after):
            if from_origin and mention.kind == TEAM:
                if "," in doc.text[t_end:mention.start]:
                    return []  # "who moves up from X's Truck team, is under contract to Y"
                if _ONWARD.isdisjoint(doc.folded[t_end:mention.start].split()):
                    continue
            if mention.kind == SERIES or (mention.kind == CAR and want != CAR) or (
                    want == PERSON and mention.kind == TEAM and (
                        _is_make(doc, mention) or _after_car(mention, after) or
                        _describes_person(doc, mention, after[position + 1:]))):
                # "brings an Aston Martin Vantage GT3 for A, B and C", "is joined in the
                # No. 93 Porsche by A and B"
                continue
            if want == PERSON and mention.kind == PERSON and _possessive(doc, mention) and \
                    position + 1 < len(after) and after[position + 1].kind == PERSON and \
                    len(doc.folded[mention.end:after[position + 1].start].split()) <= 3:
                continue  # "has signed Ocon's replacement Doohan": whose replacement
            if want == PERSON and mention.kind == TEAM and position + 1 < len(after) and \
                    after[position + 1].kind == CAR and \
                    len(doc.folded[mention.end:after[position + 1].start].split()) <= 1:
                continue  # "joined in Proton's No. 93 Porsche by A and B": whose car
            if want == CAR and mention.kind == TEAM and position + 1 < len(after) and \
                    after[position + 1].kind == CAR and \
                    len(doc.folded[mention.end:after[position + 1].start].split()) <= 1:
                continue  # "drive the Manthey PureRxcing No. 92": the car's entrant first
            if mention.kind != want:
                return []
            # (a name passed over on the way to a team counts as one word: "will contest the
            # full 2023 NASCAR Craftsman Truck Series in the No. 11 Toyota Tundra for Tricon")
            if len(doc.folded[t_end:mention.start].split()) - (0 if want == PERSON else sum(
                    len(doc.folded[m.start:m.end].split()) - 1 for m in after[:position])
                    ) > limit:
                return []
            if want == TEAM and any(
                    t_end <= c_start and len(doc.folded[c_end:mention.start].split()) <= 2
                    for c_start, c_end in doc.cues.get("from_team", ())
                    if c_end <= mention.start):
                return []  # "returns to IndyCar after two seasons with Andretti": his past
            if want == TEAM and "," in doc.text[t_end:mention.start] and fold(
                    doc.text[t_end:mention.start].rsplit(",", 1)[1]).split()[:1] in (
                    [word] for word in (*_SUBORDINATE, "as")):
                # "stays with a familiar powertrain, as Envision is a customer": the team is
                # in a clause of its own
                return []
            if want == TEAM and after_a_spell(doc, t_end, mention):
                # "joining WSR after two seasons racing BMWs for Ciceley": the team of the
                # spell behind him
                return []
            if want == TEAM and (_describes_person(doc, mention, after) or (
                    doc.text[mention.end:mention.end + 9].split()[:1] in (["driver"], ["rider"])
                    and doc.folded[max(0, mention.start - 5):mention.start].split()[-1:] == [
                        "the"])):
                # "partnering Ferrari junior Oliver Bearman": whose junior he is; "leaving the
                # Invicta Virtuosi driver needing only a few points": the object is a person
                # (but "will be a Racing Bulls driver" is a seat)
                return []
            if want == TEAM and (_held_role_before(doc.folded[t_end:mention.start].split()) or (
                    _possessive(doc, mention) and not _THINGS.isdisjoint([w for w in doc.folded[
                        mention.end:mention.end + 30].split() if w != "s"][:2]))):
                # "will contest the season alongside his role as Mercedes' reserve", "to stay
                # with Ganassi's Cup equipment": the team of another role, the owner of a thing
                return []
            if want == TEAM and any(
                    t_end <= c_start and c_end <= mention.start and
                    not doc.folded[t_end:c_start].split()
                    for c_start, c_end in doc.cues.get("generic_team", ())):
                # "returns to the family team after a decade with Corvette": the slot is
                # filled by the team the article is about, not by a name further on
                return []
            if want == TEAM and _possessive(doc, mention) and position + 1 < len(after) and \
                    after[position + 1].kind == TEAM and _an_entry(doc, after[position + 1]) and \
                    len(doc.folded[mention.end:after[position + 1].start].split()) <= 1:
                mention = after[position + 1]  # "signed for KTM's Tech3 team": the entry
            if slot == "driver" and _possessive(doc, mention) and [
                    w for w in doc.folded[mention.end:mention.end + 16].split()
                    if w != "s"][:1] not in _OWNED_DEALS:
                return []  # "Stewart-Haas names Harvick's successor": the successor is named
            if want == PERSON and doc.folded[t_end:mention.start].split()[-1:] == ["with"] and \
                    _RESULT_NOUNS & set(doc.folded[t_end:mention.start].split()):
                return []  # "a career that brought seven Cup titles with Johnson": won with him
            if want == PERSON and doc.folded[t_end:mention.start].split()[:1] in (["it"],
                                                                                  ["them"]):
                return []  # "the two teams that will run it, among them A and B": the car
            if want == PERSON and (doc.text[t_end:mention.start].lstrip().startswith(",") or
                                   _SUBORDINATE & set(doc.folded[t_end:mention.start].split())):
                # "Suzuki has confirmed, two years after Joan Mir won the title": a name in
                # another clause is not the verb's object.
                return []
            found = [mention]
            if want == TEAM and ((mention.candidates and all(
                    c.how in ("sponsor", "manufacturer") for c in mention.candidates)) or
                    doc.folded[t_end:mention.start].split()[-1:] in (["a"], ["an"]) or
                    _makers_group(doc, mention) or _after_car(mention, after)):
                # "a Dallara-Honda ride ... with Meyer Shank Racing", "will ride a Ducati for
                # Pramac", "returns to KTM's stable with Tech3", "the No. 19 Toyota for Joe
                # Gibbs Racing": the team's own name, when it follows in the clause, says more
                # than a maker's.
                for later in after[position + 1:]:
                    if later.kind == PERSON:
                        break
                    if later.kind == TEAM and (not later.candidates or any(
                            c.how in ("name", "alias") for c in later.candidates)) and \
                            len(doc.folded[t_end:later.start].split()) <= limit + 4 and \
                            doc.folded[max(0, later.start - 12):later.start].split()[-1:] in (
                                ["with"], ["for"], ["at"], ["by"], ["team"]) \
                            and not self._after_cue(doc, later, "from_team"):
                        return [later]
            if want == PERSON:
                # (An entry list's verb or a car, by number or by make, says a crew is
                # listed: "lists A alongside B and C".)
                entry_verb = doc.folded[max(0, t_end - 12):t_end].split()[-1:] in _ENTRY_VERBS
                for index, following in enumerate(after[position + 1:], position + 1):
                    between = doc.text[found[-1].end:following.start]
                    if between.split()[:1] == ["alongside"] and not (
                            entry_verb and index + 1 < len(after) and
                            after[index + 1].kind == PERSON and _coordinated(
                                doc.text[following.end:after[index + 1].start])):
                        # "confirms Bortoleto alongside Hulkenberg", "has added De Vries
                        # alongside Kobayashi and Conway in the No. 7", "will field A alongside
                        # B": his team-mates (but an entry's crew goes on: "fields a Ferrari for
                        # A alongside B and C")
                        break
                    if following.kind == CAR and _CAR_IN_LIST.match(
                            doc.text, found[-1].end, following.start):
                        continue  # "A and B in the No. 25 and C with D in the No. 24"
                    if following.kind == SERIES and _RACES_AFTER_AND.search(
                            doc.text, found[-1].end, following.start):
                        continue  # "A, B and, for the Endurance Cup rounds, C": C's races
                    if following.kind in (TEAM, SERIES) and _describes_person(doc, following,
                                                                               after):
                        # "and Porsche Carrera Cup champion C", ", British GT graduate C": C's
                        # title
                        continue
                    if following.kind == TEAM and _after_car(following, after):
                        continue  # "A and B in the No. 6 Porsche 963 and C": the car's make
                    if following.kind != PERSON:
                        break
                    previous = max((m for m in after if m.end <= following.start and not (
                        m.kind == TEAM and _after_car(m, after))), key=lambda m: m.end)
                    if previous.kind == CAR:
                        # "in the No. 25 M Hybrid V8 and Philipp Eng": the car's model first
                        between = _MODEL_WORDS.sub("", doc.text[previous.end:following.start],
                                                   count=1)
                        if not _coordinated(between, with_ok=True):
                            break
                    elif not _coordinated(between, with_ok=True) and not any(
                            _coordinated(gap, with_ok=True) for gap in _list_gaps_outside_asides(
                                doc, found[-1].end, following.start)):
                        # "for A, who made his debut in 2021, alongside B and C": the aside
                        # about A does not break the list; in "A, who returns, B and C" its
                        # closing comma is the list's
                        break
                    if ", and" in between and _opens_clause(
                            doc.folded[following.end:following.end + 16]):
                        break  # "... and C, and 2016 winner D drives for Triple Eight": D's own
                    found.append(following)
                if not _is_list(doc, found) and (found[-1].start >= doc.title_end or _opens_clause(
                        doc.folded[found[-1].end:found[-1].end + 16]) or doc.folded[
                        found[-1].end:found[-1].end + 8].split()[:1] in _HEADLINE_PREDICATES):
                    # ("confirms Norris, Piastri for 2025": a headline's list; but "releases
                    # Malukas, Pourchaire takes over" and "drops Ricciardo, Lawson in" are two
                    # clauses)
                    found = found[:1]
            return found
        return []
