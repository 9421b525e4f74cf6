"""Scans the rules engine runs many times an article, written to do the least work: a pattern
that has no literal to skip ahead with is tried only where a match can start, and a fact of a
sentence is read once per article. Each gives exactly what the plain form it stands for (named
in its docstring) gives: the readings do not change, only their cost."""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence

from bot.rules.document import _YEAR, PERSON, Mention, RawMove, _Doc
from bot.rules.patterns import Pattern

# A colon is no break: "keeps both its crews intact: A, B and C in the No. 2" names the object.
_CLAUSE_BREAK = re.compile(
    r";|,[ \t]+while\b|[ \t]while\b|,[ \t]+whereas\b|,[ \t]+but\b|[ \t]-[ \t]|—"
    # ", as Kubica joins AF Corse": "as" opening a clause with a subject and verb of its own
    # (not ", as reserve driver")
    r"|,[ \t]+as(?=(?:[ \t]+[A-Z][\w'’.\-]*){1,3}[ \t]+(?:will|has|is|are|joins|moves|heads|"
    r"signs|takes|leaves|stays|returns|switches|replaces|steps|makes|gets|lands)\b)"
)


def clause_breaks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The clause breaks of text[start:end]. Every alternative of _CLAUSE_BREAK holds one of
    these marks, and the pattern tries every space: without a mark it need not run."""
    segment = text[start:end]
    # (", whereas" and ", but" need a comma, " - " a blank before the dash.)
    if not (";" in segment or "while" in segment or "—" in segment or " -" in segment
            or "\t-" in segment or ("," in segment and ("but" in segment
                                                        or "whereas" in segment
                                                        or ", as " in segment))):
        return []
    return [m.span() for m in _CLAUSE_BREAK.finditer(text, start, end)]


def _matches_from(pattern: re.Pattern[str], opener: str, other_opener: str, text: str,
                  start: int, end: int) -> list[re.Match[str]]:
    """What `pattern.finditer(text, start, end)` finds, tried only where one of its two
    openers starts: a pattern with no literal to skip ahead with is tried at every position."""
    found: list[re.Match[str]] = []
    position = start
    while True:
        first, other = text.find(opener, position, end), text.find(other_opener, position, end)
        if first == -1 and other == -1:
            return found
        at = first if other == -1 or (first != -1 and first < other) else other
        match = pattern.match(text, at, end)
        if match is None:
            position = at + 1
        else:
            found.append(match)
            position = match.end()


_ASIDE = re.compile(
    r"\([^()\n]{0,200}\)"
    # ", who returns to the series, B and C": a relative aside whose last word is no name ends
    # at its comma, whatever list follows
    r"|,[ \t]+(?:who|which|whose)\b[^,;()\n]{0,200}[ \t][a-z0-9][\w'’\-]*,"
    r"|,[ \t]+(?:who|which|whose|where|currently|now|still|also|already|having|after|fresh|"
    r"until|aged|formerly|previously|like|once|then|left|in[ \t]+partnership|"
    r"(?:run|operated)[ \t]+(?:in[ \t]+partnership|jointly|alongside))\b[^,;()\n]{0,200},"
    # (not a comma inside a list: ", where A, B and C stay in the No. 8")
    r"(?![ \t]+[A-Z][\w'’\-]*(?:[ \t]+[A-Z][\w'’\-]*)*[ \t]*(?:,|and\b|&))"
    r"|,[ \t]+(?:who|whose|in[ \t]+partnership|(?:run|operated)[ \t]+in[ \t]+partnership)\b"
    r"[^,;()\n]{0,200}?(?=\.(?:\s|$))"  # "..., who is heading to IndyCar."
    # ", taking over from Ricciardo,": a participle's phrase between the subject and its verb
    r"|,[ \t]+[a-z]+ing\b[^,;()\n]{0,80},(?=[ \t]+(?:will|would|has|have|is|are|was|were|had)\b)"
    r"|,[ \t]+(?:a|an|the|his|her|their|its|as|in[ \t]+(?:his|her|their)|new[ \t]+to)\b"
    r"[^,;()\n]{0,45},"
    # ", the British driver who won Le Mans in 2020 and raced for Cadillac in 2024,": a
    # description with a relative clause of its own runs longer
    r"|,[ \t]+(?:a|an|the)\b[^,;()\n]{0,45}\b(?:who|whose)\b[^,;()\n]{0,150},"
    # ", Porsche's first American factory driver,": a possessive title in apposition
    r"|,[ \t]+[A-Z][\w\-]*(?:[ \t]+[A-Z][\w\-]*){0,2}['’]s[ \t][^,;()\n]{0,45},"
    r"|,[ \t]+(?:the[ \t]+)?(?:(?:younger|older|elder|big|little|twin|late)[ \t]+)?"
    r"(?:son|daughter|brother|sister|father|mother|nephew|niece|grandson|"
    r"granddaughter|cousin|wife|husband)[ \t]+of\b[^,;()\n]{0,80},"
)


def aside_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """What `_ASIDE.finditer(text, start, end)` finds: an aside opens at a "(" or a ","."""
    return [match.span() for match in _matches_from(_ASIDE, ",", "(", text, start, end)]


def year_matches(text: str) -> list[re.Match[str]]:
    """What `_YEAR.finditer(text)` finds: a year starts with "19" or "20"."""
    return _matches_from(_YEAR, "19", "20", text, 0, len(text))


def people_reach(doc: _Doc, sentence: int) -> tuple[int, int]:
    """Where the sentence's first-ending person ends and its last-starting person starts
    (past any text and -1 when it names nobody): read once per sentence, not once per trigger."""
    key = ("people reach", sentence)
    found = doc.memo.get(key)
    if found is None:
        first_end, last_start = sys.maxsize, -1
        for m in doc.by_sentence[sentence]:
            if m.kind == PERSON:
                if m.end < first_end:
                    first_end = m.end
                if m.start > last_start:
                    last_start = m.start
        found = doc.memo[key] = (first_end, last_start)
    return found  # type: ignore[return-value]


def driver_fillable(patterns: Sequence[Pattern], mentions: list[Mention], c_left: int, t_start: int,
                    t_end: int, c_right: int) -> Sequence[Pattern]:
    """The patterns that can fill their driver: slots._apply fills a driver before the
    trigger only from a person named in [c_left, t_start), after it only from one in
    [t_end, c_right), and a pattern without its driver is no reading. The others need not be
    tried; the best of those left is the best of all. (`mentions` are in text order.)"""
    before = after = False
    for m in mentions:
        if m.kind == PERSON:
            if m.end <= t_start:
                before = before or c_left <= m.start
            elif t_end <= m.start and m.end <= c_right:
                after = True
                break  # (every person before the trigger came earlier)
    if before and after:
        return patterns
    return [p for p in patterns if ("driver" in p.left or "driver" in p.right) and
            (before or "driver" not in p.left) and (after or "driver" not in p.right)]


_RECORD = r" (?:the only|the first|the last|one of|only the|an? \w+-time|an? \w+ time)\b"
_RECORD_COMPANY = re.compile(r" *(?:as|among)" + _RECORD)
# _RECORD_COMPANY without its leading blanks: in a span exactly when _RECORD_COMPANY is, and
# quick to rule one out, for its literal "a" lets the regex engine skip ahead in C.
_RECORD_WORDS = re.compile(r"a(?:s|mong)" + _RECORD)


def record_company(folded: str, start: int, end: int) -> re.Match[str] | None:
    """What `_RECORD_COMPANY.search(folded, start, end)` finds ("as the only four-time
    winners"), searched for only in a span that has its words."""
    if _RECORD_WORDS.search(folded, start, end) is None:
        return None
    return _RECORD_COMPANY.search(folded, start, end)


_ANOTHER_CAR = re.compile(r"\b(?:the|its) (?:sister|other|second) (?:car|entry)\b")


def in_another_car(doc: _Doc, item: RawMove) -> bool:
    """"B is back in the sister car": a car other than the one named, which is no number of his."""
    return _ANOTHER_CAR.search(doc.folded, *item.trigger) is not None
