"""Where a driver comes from: the team a cue names as left behind ("joins from Carlin", "after
seven seasons with Andretti"), a spell the text tells, or "his" team named in passing."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.models import MoveKind
from bot.rules.document import (
    _HIS_BEFORE,
    _HIS_TEAM,
    _ROLE_AT,
    _SPELL_AFTER,
    PERSON,
    TEAM,
    WORDS,
    EngineBase,
    Mention,
    RawMove,
    _coordinated,
    _Doc,
)
from bot.rules.team_context import _possessive_before

_EXIT_AFTER = re.compile(r" +s? *(?:" + "|".join(map(re.escape, sorted(WORDS["exit_nouns"])))
                         + r")\b")
_EXIT_OPENERS = (["after"], ["following"], ["his"], ["her"])


def _named_before_an_exit(doc: _Doc, mention: Mention) -> bool:
    """"signs for Honda after Suzuki exit", "following his Yamaha departure": the team a
    leaving noun follows."""
    return _EXIT_AFTER.match(doc.folded, mention.end) is not None and \
        doc.folded[max(0, mention.start - 16):mention.start].split()[-1:] in _EXIT_OPENERS


def _last_list(doc: _Doc, people: list[Mention]) -> set[str]:
    """The person named last, with those coordinated with them just before ("A, B and C")."""
    names = {people[-1].value}
    for before, after in zip(reversed(people[:-1]), reversed(people[1:]), strict=True):
        if not _coordinated(doc.text[before.end:after.start]):
            break
        names.add(before.value)
    return names


def _kind_by_team_after(doc: _Doc, kind: MoveKind, t_end: int, teams: Sequence[Mention]
                        ) -> MoveKind:
    """The kind of a move as the team after its verb tells it: "Piastri signs McLaren
    extension", "Norris confirms McLaren exit" (the word after the team names what was
    signed); "who leaves at season's end for Arrow McLaren" ("for" after a leave verb names
    where he goes)."""
    for team in teams:
        if team.start < t_end:
            continue
        following = doc.folded[team.end:team.end + 30]
        offset = team.end + (len(following) - len(following.lstrip()))
        if offset in doc.object_kind:
            return doc.object_kind[offset][1]
        between = doc.folded[t_end:team.start].split()
        if kind is MoveKind.LEAVE and between[-1:] == ["for"]:
            return MoveKind.JOIN
    return kind


class Origins(EngineBase):
    def _from_team(self, doc: _Doc, items: list[RawMove], team: str) -> str | None:
        """The team the driver of `items` comes from, other than `team`, or None."""
        driver = items[0].driver
        about = self._sentences_about(doc, items)
        # A sentence that names nobody, right after one about the driver, is about them too.
        nearby = set(about) | {i + 1 for i in about if i + 1 < len(doc.sentences)
                               and not doc.first_person[i + 1]}
        named = self._from_cue_team(doc, nearby, driver, team)
        if named is not None:
            return named
        spell = self._past_spell_team(doc, nearby, driver, team)
        if spell is not None:
            return spell
        # ("A and B leave X and Y respectively": pairs that the finish reads together.)
        named_in = doc.person_sentences.get(driver, set())
        elsewhere = {i for i in named_in - nearby
                     if "respectively" not in doc.folded[slice(*doc.sentences[i])]}
        # "Meyer Shank Racing, his sports car team, has put that program on hiatus";
        # "during his Rahal Letterman Lanigan Racing spell": the nearest person named before
        # (or the driver the sentence is about) is the one whose team it was.
        nearby |= named_in
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
        # ("..., while Sargeant switches from Carlin": another sentence naming him says whence.)
        return self._from_cue_team(doc, elsewhere, driver, team)

    def _past_spell_team(self, doc: _Doc, sentences: set[int], driver: str, team: str
                         ) -> str | None:
        """"The 20-year-old is racing for the Truck title with Kyle Busch Motorsports this
        season": where a sentence about the driver says they spent or spend their racing."""
        spells = doc.cues.get("past_spell", ())
        if not spells:
            return None
        for index in sorted(sentences):
            s_start, s_end = doc.sentences[index]
            cue_ends = [end for start, end in spells if s_start <= start < s_end]
            if not cue_ends:
                continue
            for mention in doc.by_sentence[index]:
                if mention.kind != TEAM or mention.start < cue_ends[0]:
                    continue
                before = doc.folded[max(s_start, mention.start - 9):mention.start].split()
                if before[-1:] not in (["with"], ["for"], ["at"]) and \
                        before[-2:] not in (["as", "a"], ["as", "an"]):
                    continue  # ("won at Phoenix as a Joe Gibbs Racing driver": his team then)
                people = {m.value for m in doc.by_sentence[index]
                          if m.kind == PERSON and m.end <= mention.start}
                name = self._team_name(doc, mention, None)[0]
                if name != team and people <= {driver}:
                    return name
        return None

    def _from_cue_team(self, doc: _Doc, sentences: set[int], driver: str, team: str
                       ) -> str | None:
        """The team a cue in these sentences says the driver comes from ("joins from
        Carlin", "after seven seasons with Andretti")."""
        found: list[tuple[bool, str]] = []
        for index in sorted(sentences):
            mentions = doc.by_sentence[index]
            for mention in mentions:
                if mention.kind != TEAM or (doc.series_hint and mention.candidates and all(
                        c.how == "sponsor" and c.series != doc.series_hint
                        for c in mention.candidates)):
                    continue  # "a Whelen Modified Tour champion": a sponsor of another series
                if self._after_cue(doc, mention, "from_team") or _possessive_before(
                        doc, mention, driver, mentions) or (doc.text.startswith(
                            ("'s", "’s"), mention.end) and _ROLE_AT.match(doc.text, mention.end)
                        ) or _named_before_an_exit(doc, mention):
                    name = self._team_name(doc, mention, None)[0]
                    if name == team:
                        continue
                    # "taking over from Hughes, who has left to join Maserati": Hughes left.
                    # ("Lynn, Bamber and Bourdais all arrive from Ganassi": each of the list.)
                    people = [m for m in mentions if m.kind == PERSON and m.end <= mention.start]
                    if people and driver not in _last_list(doc, people):
                        continue
                    # A sentence about the driver alone says it best: "A and B join, having
                    # left X and Y" is vaguer than "B moves on after seven seasons with Y".
                    alone = len({m.value for m in people}) <= 1
                    if alone:
                        return name
                    found.append((alone, name))
        return found[0][1] if found else None
