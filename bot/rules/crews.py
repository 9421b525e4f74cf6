"""Crews named without a verb: "Kobayashi, Conway and López in the No. 7" read as the crew
announced, unless a cue class of [crew_lists] in rules.toml says otherwise; and clauses that
drop the verb they share ("A is named in the No. 777, and B in its No. 74")."""

from __future__ import annotations

import re
from dataclasses import replace

from bot.models import MoveKind, Status
from bot.rules.clauses import _INCUMBENTS_BEFORE
from bot.rules.document import (
    _CAR_LIST_GAP,
    _FUTURE_MARKERS,
    CAR,
    PERSON,
    TEAM,
    WORDS,
    EngineBase,
    Mention,
    RawMove,
    _coordinated,
    _Doc,
    _is_participle,
    _title_people,
)
from bot.rules.history import _PAST_TIMES
from bot.rules.patterns import Pattern
from bot.rules.reading import SENTENCE, _drop_months, read_layer
from bot.rules.team_context import (
    _describes_person,
    _is_make,
    _owned_make,
)
from bot.rules.text import verb_lemmas

CREW_LIST = Pattern(kind=MoveKind.JOIN, text="{driver}, {driver} and {driver} (a crew list)",
                   left=(), right=(), confidence=0.75)
GAPPED = Pattern(kind=MoveKind.JOIN, text="{driver} <verb> ..., and {driver} ... (a gapped clause)",
                 left=(), right=(), confidence=0.75)
CREW_LINEUP = Pattern(kind=MoveKind.JOIN, text="{driver}, {driver} and {driver} (a line-up)",
                      left=(), right=(), confidence=0.75, lineup_only=True)
_LINEUP_GAPPED = replace(GAPPED, lineup_only=True)


# "A is named in the No. 777, and B in its No. 74": the second clause drops the verb it shares.
# (after the first clause's own time or place: "in the No. 93 next season, with A and B ...")
_GAP_OPENING = re.compile(r"(?:\s+(?:next|this|in|for|from)\s+(?:season|year|20\d\d))?"
                          r"\s*(?:,\s*(?:and|while|with)|;|;\s*and)\s+$")
_GAP_FOLLOWING = frozenset({"in", "at", "with", "for", "the", "its", "his", "her", "their", "a",
                            "an", "alongside"})
_GAP_END = re.compile(r",\s*(?:and|while|but)\b|;|\.\s")
# "A and B will drive the SC63, together with factory duo C and D": more subjects of the verb
_MORE_SUBJECTS = re.compile(r"(?:\s+(?:next|this|in|for|from)\s+(?:season|year|20\d\d))?"
                            r"\s*,\s*(?:together with|along with|as well as)\s+$")
# "two cars, one for A and B and the other for C and D": the second crew of a verb said once
_OTHER_CAR = re.compile(r"\s*[,;]?\s*(?:and\s+)?(?:the other|another|the second|a second|the "
                        r"sister|its sister|the second car|the other car|the sister car|its "
                        r"sister car|the other entry|the sister entry)\s+(?:one\s+)?for\s+$")


def _having_now(doc: _Doc, start: int, end: int) -> bool:
    """"The No. 9 has A, B and C"; not "has confirmed A, B and C" ("has" helps a verb) nor
    "will have A, B and C" (a crew to come is news)."""
    following = doc.folded[end:end + 30].split()[:2]
    before = doc.folded[max(0, start - 12):start].split()[-1:]
    return not any(_is_participle(word) for word in following) and \
        not set(before) & _FUTURE_MARKERS


_ANNOUNCING = WORDS["announcing_verbs"]
# A colon's clause ending in one of these keeps the crews listed after it.
_KEPT = frozenset({"unchanged", "intact", "over", "together"})


def _news_is_elsewhere(doc: _Doc, run: list[Mention]) -> bool:
    """"ELMS entry: Piquet joins record field ... Proton has one car for A, B and C": a crew
    listed without a verb, whom the headline does not name, is the field around the news,
    not news of its own, even in a story about crews ("Aston Martin completes its crews ...
    The single IMSA entry goes to A and B"): real news tells a signing with a verb. (A crew
    said to be unchanged is news of a stay wherever it is told; so is one listed after a
    verb that announces it: "Jota has named its crews: A and B in the No. 12; C and D ...".)"""
    return not _title_people(doc) & {m.value for m in run} and not _announced(doc, run[0].start)


def _announced(doc: _Doc, position: int, retained: bool = False) -> bool:
    """Whether the list at `position` follows a colon whose clause announces it, in its own
    sentence or one that a semicolon joins to it; with `retained`, also one that says the
    crews are kept ("four crews carried over unchanged: A and B at Rookie, C and D at SARD")."""
    colon = doc.text.rfind(":", 0, position)
    stop = max(doc.text.rfind(mark, 0, position) for mark in ".!?\n")
    if colon <= stop:
        return False
    before = doc.folded[max(stop + 1, colon - 60):colon].split()
    return any(lemma in _ANNOUNCING for word in before[-12:] for lemma in verb_lemmas(word)) or (
        retained and bool(_KEPT & set(before[-3:])))


# "second last year", "won the race in 2022": a result dated before the news, in its own clause
_DATED_AFTER = re.compile(r"\s+(?:[a-z0-9]+\s+){0,3}?(?:" + _PAST_TIMES + r"|in (20\d\d))\b")


def _dated_past(doc: _Doc, start: int, end: int) -> bool:
    """A cue whose clause dates it before the article: what a team or driver did before, said
    to describe them ("GetSpeed, second last year, keeps its crews"), not a race it reports."""
    dated = _DATED_AFTER.match(doc.folded, end)
    if dated is None or "," in doc.text[end:dated.end()]:
        return False
    year = dated.group(1)
    return year is None or (doc.published is not None and int(year) < doc.published.year)


class Crews(EngineBase):
    def _crew_lists(self, doc: _Doc, raw: list[RawMove], focus: Mention | None
                    ) -> list[RawMove]:
        """Drivers named together with a car or a team, in a sentence no verb of the rules
        reads: "Kobayashi, Conway and López in the No. 7, Buemi, Hartley and Hirakawa in the
        No. 8". An entry list names the crews it announces; a race report, a rumour or a
        denial in the sentence says otherwise."""
        read = {item.sentence for item in raw}
        found: list[RawMove] = []
        for index, mentions in enumerate(doc.by_sentence):
            if index in read:
                continue  # the sentence's own verb said what it says: its others are mates
            people = [m for m in mentions if m.kind == PERSON and not m.non_driver]
            if len(people) < 2:
                continue
            places = [m for m in mentions if m.kind == CAR or (
                m.kind == TEAM and not _owned_make(doc, m) and not _is_make(doc, m)
                and not _describes_person(doc, m, mentions)
                and not self._after_cue(doc, m, "from_team"))]
            cues = self._sentence_cues(doc, index)
            if not any(m.kind == CAR for m in places) and not (
                    _announced(doc, people[0].start, retained=bool(cues.get("retention")))):
                # a crew is announced with its car, or after a colon that announces or keeps it
                # ("has named its five drivers: A, B, ...", "unchanged: A and B at X")
                continue
            if any(name not in self.crew_background or not _dated_past(doc, start, end)
                   for name in self.crew_vetoes for start, end in cues.get(name, ())):
                continue
            if self._unveiled_before(  # type: ignore[attr-defined]
                    doc, doc.sentences[max(0, index - 2)][0], people[0].start):
                continue  # "... unveiled its A424. A, B and C in the No. 35": the car shown
            runs: list[list[Mention]] = [[people[0]]]
            for person in people[1:]:
                between = doc.text[runs[-1][-1].end:person.start]
                if _coordinated(between, with_ok=True) or _CAR_LIST_GAP.match(between):
                    runs[-1].append(person)
                else:
                    runs.append([person])
            for run in runs:
                if len(run) < 2 or len({m.value for m in run}) < 2:
                    continue
                teams = [m for m in places if m.kind == TEAM]
                # ("A and B at Rookie Racing, C and D at Cerumo": the team after "at" is theirs)
                team = next((m for m in teams if m.start > run[-1].end and doc.folded[
                    run[-1].end:m.start].split() in (["at"], ["with"], ["for"])), None) or (
                    min(teams, key=lambda m: abs(m.start - run[0].start)) if teams else focus)
                if team is None:
                    continue
                kind = MoveKind.EXTEND if cues.get("retention") else MoveKind.JOIN
                # "Boutsen's No. 9 has A, B and C": who sits where now, not who is new there.
                # ("Returning drivers A, B and C make up the #35 crew": who is there already)
                pattern = CREW_LINEUP if _INCUMBENTS_BEFORE.search(
                    doc.folded, max(0, run[0].start - 24), run[0].start) or any(
                    _having_now(doc, start, end) for name in self.crew_lineups
                    for start, end in cues.get(name, ())) or (
                    kind is MoveKind.JOIN and _news_is_elsewhere(doc, run)) else CREW_LIST
                names = tuple(m.value for m in run)
                for person in run:
                    found.append(RawMove(
                        kind=kind, driver=person.value, driver_mention=person, sentence=index,
                        trigger=(run[0].start, run[-1].end), pattern=pattern, team=team,
                        team_from_context=team is focus, co_drivers=names))
        return found

    def _gapped(self, doc: _Doc, raw: list[RawMove]) -> list[RawMove]:
        """"Shahin is named in the No. 777, and Schumacher in its No. 74": a clause that
        drops the verb of the one before it says the same of its own driver (and car)."""
        found: list[RawMove] = []
        named = {(item.sentence, item.driver) for item in raw}
        for item in raw:
            if item.status is not Status.CONFIRMED:
                continue
            s_end = doc.sentences[item.sentence][1]
            mentions = doc.by_sentence[item.sentence]
            for position, person in enumerate(mentions):
                if person.kind != PERSON or person.start <= item.trigger[1] or \
                        person.non_driver or (item.sentence, person.value) in named or \
                        position == 0:
                    continue
                bare_and = doc.text[mentions[position - 1].end:person.start].strip() == "and"
                after_team = bare_and and mentions[position - 1].kind == TEAM
                # ("A and B in the #10, which carries IMPUL branding, and C and D in the #11":
                # the aside's closing comma opens the gapped clause.)
                opening = next((a_end - 1 for a_start, a_end in doc.asides
                                if a_start <= mentions[position - 1].start < a_end <= person.start),
                               mentions[position - 1].end)
                # ("together with Porsche factory duo C": the title stands in the gap)
                title = mentions[position - 1]
                gap = (mentions[position - 2].end, title.start) if position > 1 and \
                    title.kind == TEAM and _describes_person(doc, title, [person]) else \
                    (opening, person.start)
                # The verb said once is the whole clause's: "and the other for C and D",
                # "A and B will drive ..., together with C and D".
                said_once = _OTHER_CAR.fullmatch(doc.text, opening, person.start) is not None or (
                    item.driver_mention.start < item.trigger[0] and
                    _MORE_SUBJECTS.fullmatch(doc.text, *gap) is not None)
                if not said_once and not _GAP_OPENING.fullmatch(doc.text, opening,
                                                                person.start) and not (
                        bare_and and mentions[position - 1].kind in (CAR, TEAM)):
                    # ("A and B stay in the No. 10 and C and D in the No. 40", "A moves to
                    # Shank and B to Ganassi": after a car or a team, "and" alone opens the
                    # gapped clause.)
                    continue
                # ("..., with A, B and C in the No. 6": the clause's subject may be a list.)
                crew = [person]
                for later in mentions[position + 1:]:
                    if later.kind != PERSON or not _coordinated(
                            doc.text[crew[-1].end:later.start]):
                        break
                    crew.append(later)
                last = crew[-1]
                following = doc.folded[last.end:last.end + 20].split()[:1]
                if not said_once and (not following or (
                        following[0] not in _GAP_FOLLOWING and not (
                            after_team and following[0] == "to"))):
                    continue
                end = _GAP_END.search(doc.text, last.end, s_end)
                clause_end = end.start() if end else s_end
                if any(last.end <= t < clause_end for t in doc.trigger_starts):
                    continue  # the clause has a verb of its own
                clause = [m for m in mentions if last.end <= m.start < clause_end]
                cars = [m for m in clause if m.kind == CAR]
                teams = [m for m in clause if m.kind == TEAM and not _is_make(doc, m)]
                if after_team and not teams:
                    continue  # ("joins Shank and Rosenqvist at the Indy 500": no team of its own)
                for member in crew:
                    named.add((item.sentence, member.value))
                    found.append(RawMove(
                        kind=item.kind, driver=member.value, driver_mention=member,
                        sentence=item.sentence, trigger=item.trigger,
                        # (the verb said once reads both clauses alike: a crew as it stands too)
                        pattern=_LINEUP_GAPPED if item.pattern.lineup_only else GAPPED,
                        team=teams[0] if teams else item.team,
                        team_from_context=item.team_from_context and not teams,
                        car=cars[0].value if cars else None))
                break
        return found

    def _sentence_cues(self, doc: _Doc, index: int) -> dict[str, list[tuple[int, int]]]:
        """Every cue of a sentence, the local ones included (read only when asked)."""
        key = ("sentence cues", index)
        if key not in doc.memo:
            s_start, s_end = doc.sentences[index]
            found: dict[str, list[tuple[int, int]]] = {
                name: [c for c in spans if s_start <= c[0] < s_end]
                for name, spans in doc.cues.items()}
            local: dict[str, list[tuple[int, int]]] = {}
            read_layer(self._phrases, doc.memo[("phrases",)], doc.folded,  # type: ignore[arg-type]
                       s_start, s_end, SENTENCE, [], local, [], [], {}, [])
            _drop_months(doc.text, local)
            for name, spans in local.items():
                found[name] = sorted(set(found.get(name, []) + spans))
            doc.memo[key] = found
        return doc.memo[key]  # type: ignore[return-value]

