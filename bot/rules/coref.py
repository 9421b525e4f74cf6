"""Who a sentence is about: "He", "The Spaniard", surnames, and the team the article is about."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import replace

from bot.models import MoveKind
from bot.rules.document import (
    _DESTINATION_WORDS,
    _REFERENCE_WORDS,
    PERSON,
    TEAM,
    WORDS,
    EngineBase,
    Mention,
    RawMove,
    _coordinated,
    _Doc,
    _is_participle,
)
from bot.rules.team_context import (
    _describes_person,
    _is_make,
)
from bot.rules.text import fold

# "Triple Eight's Craig Lowndes", "Triple Eight driver Craig Lowndes": the team as his title
_TITLED_BY = re.compile(r"(?:['’]s)? (?:(?:driver|rider|racer|star|veteran|ace) )?")
_WORKS_TEAM = re.compile(r"\bthe (?:factory|works) (?:team|squad|outfit|operation)\b")
_WORKS_NAME = re.compile(r"\b(?:factory|works)\b")
# A headline's second clause: "Kirkwood lands Andretti seat as Rossi heads to McLaren"
_TITLE_CLAUSE_BREAK = re.compile(r" (?:as|while|after|with) |[,;:]")
# Words that open a clause of its own inside a sentence ("after López was drafted ...").
_OPENERS = re.compile(r"\b(?:" + "|".join(sorted(WORDS["subordinators"] - {"who", "whose",
                                                                         "which"})) + r")\b")


def _written_name(doc: _Doc, mention: Mention) -> bool:
    """The mention writes a word of the person's name (not "the Briton", not "he")."""
    written = set(doc.folded[mention.start:mention.end].split())
    return any(word in written for word in fold(mention.value).split())


class Coreference(EngineBase):
    def _implied_subject(self, doc: _Doc, sentence: int, t_start: int) -> Mention | None:
        """"The Spaniard chose to step away..." after a sentence about Aleix Espargaro: the
        epithet (or "He"/"She") opening a sentence that names nobody is that driver."""
        start = doc.sentences[sentence][0]
        span_end = self._opening_reference(doc, sentence, t_start)
        if span_end is None:
            return None
        name = self._topic(doc, sentence - 1)
        country = self.rules.nationalities.get(doc.folded[start:span_end].split()[-1])
        if country is not None and (name is None or self._nationality(name) not in (None,
                                                                                    country)):
            # "The Italian will not continue": the Italian the article has named last.
            name = self._named_from(doc, sentence, country) or name
        if name is None:
            return None
        word_start = doc.folded.rfind(" ", start, span_end - 1) + 1 if \
            doc.folded[start:span_end].count(" ") > 0 and \
            doc.folded[start:span_end].split()[-1:] in (["he"], ["she"]) else start
        return Mention(max(start, word_start), min(span_end, t_start), PERSON, name,
                       known=True, non_driver=name in self._non_drivers(doc))

    def _leaves_of_the_replaced(self, doc: _Doc, raw: list[RawMove]) -> None:
        """"A takes B's seat at Dragon. The former Le Mans winner and the team parted ways":
        an epithet read as A would have A leave the team he joins; it is B who left."""
        replaced = {(item.driver, self._team_key(doc, item)): item.replaced for item in raw
                    if item.kind.direction == "arrive" and item.replaced
                    and not item.team_from_context}
        if not replaced:
            return
        for position, item in enumerate(raw):
            if item.kind is not MoveKind.LEAVE or _written_name(doc, item.driver_mention):
                continue
            other = replaced.get((item.driver, self._team_key(doc, item)))
            if other is not None:
                mention = item.driver_mention
                raw[position] = replace(item, driver=other, driver_mention=Mention(
                    mention.start, mention.end, PERSON, other, known=True))

    def _works_team(self, doc: _Doc, start: int, end: int, focus: Mention | None
                    ) -> Mention | None:
        """"Binder and Miller stay at the factory team" in a story about Tech3: the one works
        team the article names that is not the team it is about."""
        if focus is None or _WORKS_TEAM.search(doc.folded, start, end) is None:
            return None
        focus_name = self._team_name(doc, focus, None)[0]
        focus_info = self.gazetteer.team_info(focus_name)
        makes = set(focus_info.manufacturers) if focus_info is not None else set()
        works: dict[str, Mention] = {}
        for mention in doc.mentions:
            if mention.kind == TEAM:
                name = self._team_name(doc, mention, None)[0]
                info = self.gazetteer.team_info(name)
                # (the works team of the same make: "the factory team" in a Ducati story
                # about Ducati's own team is that team)
                if name != focus_name and info is not None and \
                        makes & set(info.manufacturers) and _WORKS_NAME.search(fold(name)):
                    works.setdefault(name, mention)
        return next(iter(works.values())) if len(works) == 1 else None

    def _current_team(self, doc: _Doc, driver: str) -> Mention | None:
        """The team the driver races for now, as the article tells it: named as his title
        ("Triple Eight's Craig Lowndes", "Triple Eight driver Craig Lowndes"), by his current
        spell ("currently races for Pramac", "has driven for Triple Eight since 2010"), or as
        the last arrival it tells ("before his move to Triple Eight in 2010")."""
        names = [m for m in doc.mentions if m.kind == PERSON and m.value == driver]
        for name in names:
            team = next((m for m in doc.mentions if m.kind == TEAM and m.end <= name.start and
                         _TITLED_BY.fullmatch(doc.text, m.end, name.start) and
                         doc.folded[max(0, m.start - 8):m.start].split()[-1:] not in (
                             ["former"], ["ex"])), None)  # ("Former HRT driver X": his past)
            if team is not None:
                return team
        # (sentences that name him, or nobody: "He has driven for ...")
        about = {doc.sentence_of(m.start) for m in names} | {
            i for i, first in enumerate(doc.first_person) if first is None}
        for cue in ("current_spell", "arrival_told"):
            told = [m for start, end in doc.cues.get(cue, ()) if doc.sentence_of(start) in about
                    for m in doc.mentions if m.kind == TEAM and m.start >= end and
                    len(doc.folded[end:m.start].split()) <= 3]
            if told:
                # the spell he is in; the last arrival told
                return told[0] if cue == "current_spell" else told[-1]
        return None

    def _team_key(self, doc: _Doc, item: RawMove) -> str | None:
        return self._team_name(doc, item.team, None)[0] if item.team is not None else None

    def _nationality(self, name: str) -> str | None:
        info = self.gazetteer.drivers.get(name)
        return info.nationality if info is not None else None

    def _named_from(self, doc: _Doc, sentence: int, country: str) -> str | None:
        """The last person named before `sentence` (up to four back) who is from `country`."""
        for index in range(sentence - 1, max(-1, sentence - 5), -1):
            for mention in reversed(doc.by_sentence[index]):
                if mention.kind == PERSON and self._nationality(mention.value) == country:
                    return mention.value
        return None

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
        head = doc.folded[start:start + 40]
        if "he" not in head and "his" not in head:
            return None  # (each reading below needs "he", "she", "his", "her" or "the")
        opening = head.split()[:5]
        if opening[:1] in (["he"], ["she"], ["his"], ["her"]):
            if opening[0] in ("his", "her") and any(
                    m.kind == PERSON and m.start < start + 45 for m in doc.by_sentence[sentence]):
                return None  # "His Suzuki team-mate Alex Rins has ...": Rins is the subject
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
                early = next((m for m in doc.by_sentence[index] if m.kind == PERSON), None)
                if early is not None and early.start - s_start <= 30 and \
                        len(doc.folded[s_start:early.start].split()) <= 1:
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

    def _own_subject(self, doc: _Doc, mentions: list[Mention], t_start: int, floor: int
                     ) -> list[Mention]:
        """The subject of the clause the words at `t_start` end: after the last comma or
        subordinator that a person follows ("after López was drafted into Toyota's line-up in
        place of Conway"), or the person a participle phrase after a comma describes ("Russell,
        confirmed at Mercedes in place of Bottas"); else the sentence clause's first."""
        openers = [m.end() for m in _OPENERS.finditer(doc.folded, floor, t_start)] + [
            at + 1 for at, char in enumerate(doc.text[floor:t_start], floor) if char == ","]
        for opener in sorted(openers, reverse=True):
            after = self._subject(doc, mentions, t_start, opener)
            if after:
                return after
            following = doc.folded[opener:opener + 24].split()[:1]
            if doc.text[opener - 1] == "," and following and _is_participle(following[0]):
                described = [m for m in mentions if m.kind == PERSON and
                             0 <= opener - 1 - m.end <= 1]
                if described:
                    return described
        return self._subject(doc, mentions, t_start, floor)

    def _focus_team(self, doc: _Doc) -> Mention | None:
        teams = [m for m in doc.mentions if m.kind == TEAM]
        if not teams:
            return None
        # A maker's or sponsor's name in the title ("Falken names two Porsche crews") says
        # less than a team the article names as such.
        def named_as_team(m: Mention) -> bool:
            # (A name's candidates come best first, as Gazetteer.index sorts them: it names
            # a team as such when its first does.)
            return (not m.candidates or m.candidates[0].how in ("name", "alias")
                    ) and not _is_make(doc, m)

        # (Mentions are in text order, the title's first. When the title names a team as such,
        # the body's teams are never weighed: they are not read at all.)
        title_end = doc.title_end
        cut = next((i for i, m in enumerate(teams) if m.start >= title_end), len(teams))
        named = [m for m in teams[:cut] if named_as_team(m)]
        if named:
            in_title = named
        else:
            named = [m for m in teams[cut:] if named_as_team(m)]
            in_title = [] if named else teams[:cut]
        if in_title:
            # "Bottas leaves Mercedes for multi-year Alfa Romeo deal": where the title goes.
            kept = []
            for mention in in_title:
                if self._after_cue(doc, mention, "from_team", 1):
                    continue  # "Hamilton to swap Mercedes for Ferrari"
                if _describes_person(doc, mention, doc.mentions):
                    continue  # "Hitech signs Mercedes junior Aron": whose junior he is
                kept.append(mention)
                if len(kept) > 1 and kept[0].start > 0 and _TITLE_CLAUSE_BREAK.search(
                        doc.text, kept[0].end, mention.start):
                    # "A lands Andretti's No. 27 as Rossi heads to McLaren": the destination of
                    # a second clause is not the story's team. (A title opening with a name
                    # may open with a person read as a team: "Nakajima hangs up helmet as".)
                    continue
                if doc.folded[max(0, mention.start - 16):mention.start].split()[-2:] and any(
                        w in _DESTINATION_WORDS
                        for w in doc.folded[max(0, mention.start - 16):mention.start].split()[-2:]):
                    return mention
            body = [m for m in teams[cut:] if named_as_team(m)]
            if kept or not body:
                return in_title[0]
            # "Rebellion names ex-Porsche duo": the title's only team is where they came from;
            # the body says which team the article is about.
            named = body
        teams = named or teams
        # "leave Corvette Racing to rejoin ... Taylor spent four seasons with Corvette": the
        # team left, however often named, is not the one the article is about.
        teams = [m for m in teams if not self._after_cue(doc, m, "from_team")] or teams
        counts: dict[str, int] = {}
        for mention in teams:
            key = self._team_name(doc, mention, None)[0]
            counts[key] = counts.get(key, 0) + 1
        best = max(counts.values())
        return next(m for m in teams if counts[self._team_name(doc, m, None)[0]] == best)
