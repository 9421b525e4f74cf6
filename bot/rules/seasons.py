"""When and as what: the season a move is for, and the role it gives."""

from __future__ import annotations

import re

from bot.models import MoveKind
from bot.rules.document import (
    _FE_ORDINAL_SEASON,
    _FE_SEASON,
    _NUMBER_WORDS,
    _ORDINALS,
    _RACES_AFTER_AND,
    _SEASON_AFTER,
    _SEASON_BEFORE,
    _SEASON_END_WORDS,
    _SEASON_IN_FOR,
    _SPEECH_VERBS,
    PERSON,
    SERIES,
    TEAM,
    EngineBase,
    RawMove,
    _Doc,
    _person_between,
    _words_between,
)
from bot.rules.history import _MONTHS
from bot.rules.scans import year_matches

# "2012 champion Hunter-Reay", "the 2022 Indianapolis 500 winner": a year naming a title held
_TITLE_AFTER = re.compile(r"(?:\s+[\w'’.\-]+){0,3}?\s+(?:champion|champions|winner|winners|"
                          r"runner-up)\b", re.I)


_CONTRACT_END = re.compile(r"\b(?:through|until|till|thru|up to)(?:\s+the)?(?:\s+end\s+of)?"
                           r"(?:\s+the)?\s+$", re.I)
# "an extension with McLaren to 2026", "a deal that runs to the end of 2026": a plain "to" before
# the year ends a contract once a deal's word has come before it
_TO_YEAR = re.compile(r"\bto(?:\s+the\s+end\s+of)?(?:\s+the)?\s+$", re.I)
_DEAL_WORD = re.compile(r"\b(?:deal|contract|extension|agreement|terms)\b", re.I)


# ", with D added for the ovals", ", while D ...": a clause of its own after the driver
_OWN_CLAUSE = re.compile(r"[,;]\s+(?:with|while|whereas|and)\s")


# "in 2024 and 2025", "for the 2025 and 2026 seasons": the later year of a pair is not the first
_SECOND_OF_PAIR = re.compile(r"\b(?:19|20)\d\d\s*(?:and|&|to|-|–)\s*$")


# January to April named after the news: months of the coming year when told late in one
_MONTH_AHEAD = re.compile(r"\b(?:in|from|by|until|next|this coming|early|late)\s+"
                          r"(" + "|".join(_MONTHS[:4]) + r")\b", re.I)


def _season_count(word: str) -> int:
    """Which season a count names: "11", "11th", "eleven" or "eleventh"."""
    if word[0].isdigit():
        return int(word.rstrip("stndrh"))
    return _NUMBER_WORDS[word] if word in _NUMBER_WORDS else _ORDINALS[word]


class Seasons(EngineBase):
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
        if found is not None and not departing and doc.published is not None and \
                found < doc.published.year:
            # ("NISMO makes two changes from 2019", told in January 2020: a season gone by,
            # named elsewhere in the article, is no arrival's)
            found = None
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
        years = list(self._years_written(doc, start, end, strict))
        written = {position for position, _ in years}
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
            if not departing and ("uary" in text or "arch" in text or "pril" in text):
                # "for the Rolex 24 in January", told in December: the coming year's January
                for match in _MONTH_AHEAD.finditer(text):
                    if _MONTHS.index(match.group(1).lower()) + 1 < doc.published.month - 2:
                        years.append((match.start(), year_now + 1))
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
        if years and doc.asides:
            # "A, who ran a partial schedule for the team this year, will drive the No. 19":
            # an aside's time is its own
            years = [(p, y) for p, y in years if not any(
                a_start <= start + p < a_end and not a_start <= anchor < a_end
                for a_start, a_end in doc.asides)]
        if not departing:
            # "will remain with Penske through 2026", "a deal until the end of 2027": the year
            # a contract runs to, not the first season in the seat
            years = [(p, y) for p, y in years if not _CONTRACT_END.search(text, max(0, p - 28), p)
                     and not _SECOND_OF_PAIR.search(text, max(0, p - 12), p) and not (
                         _TO_YEAR.search(text, max(0, p - 20), p) and
                         _DEAL_WORD.search(text, 0, p))]
        if not years:
            return None
        if departing:
            prefix = text.lower()
            for position, year in years:
                if position not in written:
                    continue  # "dropped for the rest of the season": this one, as it says
                before = prefix[max(0, position - 12):position]
                future = doc.published is None or year >= doc.published.year
                if (not strict or future) and _SEASON_IN_FOR.search(before) and \
                        not _SEASON_END_WORDS.search(prefix[max(0, position - 30):position]):
                    return year - 1
            return min(y for _, y in years)
        return max(y for _, y in years)

    def _years_written(self, doc: _Doc, start: int, end: int, strict: bool
                       ) -> list[tuple[int, int]]:
        """(offset in the span, year) of each year and Formula E season a span writes. Kept
        per span: a sentence is read for the season of every move in it, each with its own
        trigger, and only what follows (the trigger's reach) differs between them."""
        key = ("years", start, end, strict)
        found = doc.memo.get(key)
        if found is not None:
            return found  # type: ignore[return-value]
        text = doc.text[start:end]
        years: list[tuple[int, int]] = []
        # Every year starts "19" or "20": most sentences need no pattern run at all.
        for match in (year_matches(text) if "19" in text or "20" in text else ()):
            if strict and not (_SEASON_BEFORE.search(text, max(0, match.start() - 14),
                                                     match.start())
                               or _SEASON_AFTER.match(text, match.end())):
                continue
            if _TITLE_AFTER.match(text, match.end()):
                continue  # "2012 champion Hunter-Reay": the year of a title he holds
            year = 1900 + int(match.group(1)) if match.group(0).startswith("19") else \
                2000 + int(match.group(1))
            if match.group(2):  # "2023-24" is the season that ends in 2024
                tail = match.group(2)
                year = int(tail) if len(tail) == 4 else (year // 100) * 100 + int(tail)
            years.append((match.start(), year))
        formula_e = "eason" in text and (
            "formula e" in doc.folded or (doc.series_hint or "") == "Formula E")
        if formula_e:  # "Season 11", "season seven", "Formula E's ninth season", "its 10th"
            for match in (*_FE_SEASON.finditer(text), *_FE_ORDINAL_SEASON.finditer(text)):
                years.append((match.start(), 2014 + _season_count(match.group(1))))
        doc.memo[key] = years
        return years

    def _role_cues(self, doc: _Doc, item: RawMove
                   ) -> tuple[list[str], list[tuple[str, int]]]:
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
        previous: list[tuple[str, int]] = []
        for r_start, r_end, role in doc.roles:
            if not s_start <= r_start < s_end:
                continue
            if role == "endurance" and any(m.start <= r_start < m.end for m in series):
                continue  # "World Endurance Championship" is not an endurance role
            if role == "part-time" and doc.text[r_start:r_start + 3] in ("at ", "in ") and \
                    _SPEECH_VERBS.intersection(doc.folded[max(s_start, r_start - 16):r_start]
                                               .split()[-1:]):
                continue  # "the team confirmed at Suzuka": where the news was told, no race
            near = min(_words_between(doc, r_end, item.trigger[0]),
                       _words_between(doc, item.trigger[1], r_start),
                       _words_between(doc, r_end, anchor.start),
                       _words_between(doc, anchor.end, r_start))
            if near > 8 and (near > 16 or _person_between(
                    doc, min(anchor.end, r_end), max(anchor.start, r_start), anchor)):
                # Further off, a role is the driver's only while nobody else is named between:
                # "A will make his debut with T in 2024, driving the No. 20 on road courses".
                continue
            if anchor.end <= r_start and _OWN_CLAUSE.search(doc.text, anchor.end, r_start) and \
                    _person_between(doc, anchor.end, r_start, anchor):
                continue  # "A, B and C next season, with D added for the ovals": D's role
            if any(a_start <= item.trigger[0] < a_end and not a_start <= r_start < a_end and
                   not a_start <= anchor.start < a_end for a_start, a_end in doc.asides):
                continue  # "A, who will race the WEC with Jota, makes his Daytona debut"
            if anchor.end <= r_start and doc.folded.startswith(" by ", r_end) and any(
                    m.kind == PERSON and m is not anchor and 0 <= m.start - r_end <= 5
                    for m in doc.by_sentence[item.sentence]):
                continue  # "A and B share the No. 25, backed up in the long races by C": C's
            if _RACES_AFTER_AND.search(doc.text, max(s_start, r_start - 20), r_start):
                if r_end <= anchor.start and _words_between(doc, r_end, anchor.start) <= 3:
                    current.append(role)
                continue
            # ("A, who has been Williams' reserve driver, will make his debut": an aside
            # between the name and the verb says what he was.)
            before_name = (r_end <= anchor.start and _words_between(doc, r_end, anchor.start) <= 1
                           ) or any(anchor.end <= a_start < r_start < a_end <= item.trigger[0]
                                    for a_start, a_end in doc.asides)
            after_prior = any(s_start <= p_start and p_end <= r_start and
                              len(doc.folded[p_end:r_start].split()) <= 5
                              for p_start, p_end in prior_cues)
            if before_name or after_prior:
                previous.append((role, r_start))
            else:
                current.append(role)
        doc.memo[key] = (current, previous)
        return current, previous

    def _role(self, doc: _Doc, items: list[RawMove], kind: MoveKind) -> str | None:
        if kind is MoveKind.REPLACE:
            return "part-time"
        # The move's own sentence says it best: "will race full-time next season" is not
        # undone by "a part-time programme" told of this year further on.
        found = self._role_cues(doc, items[0])[0] or [
            role for item in items[1:] for role in self._role_cues(doc, item)[0]]
        if kind in (MoveKind.RETIRE, MoveKind.LEAVE):
            # "will retire after the finale at Phoenix": the last race of a seat, not a one-off;
            # "will stop racing full-time and become a test rider": the role after, not the one
            # left.
            found = [role for role in found if role not in ("part-time", "test", "reserve")]
        for role in self.rules.role_priority:
            if role in found:
                return role
        if kind in (MoveKind.JOIN, MoveKind.EXTEND) and \
                doc.series_hint in self.rules.one_off_series:
            return "part-time"  # "Falken names its Nürburgring 24 Hours crews"
        return self.rules.default_role.get(kind.value)

    def _prior_role(self, doc: _Doc, items: list[RawMove], team: str) -> bool:
        """A reserve, test or development driver of the team now races for it: a promotion.
        (Another team's, "Haas tester Fittipaldi lands a DTM seat with WRT", joins.)"""
        return any(role in ("reserve", "test") and not self._role_at_another_team(
            doc, r_start, team)
            for item in items for role, r_start in self._role_cues(doc, item)[1])

    def _role_at_another_team(self, doc: _Doc, r_start: int, team: str) -> bool:
        """A team named right before the role ("Haas tester", "Red Bull Formula 1 test
        driver") that is not the team of the move."""
        return any(mention.kind == TEAM and mention.end <= r_start and
                   len(doc.folded[mention.end:r_start].split()) <= 2 and
                   self._team_name(doc, mention, None)[0] != team for mention in doc.mentions)
