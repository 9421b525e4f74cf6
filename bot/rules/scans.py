"""Scans the rules engine runs many times an article, written to do the least work: a pattern
that has no literal to skip ahead with is tried only where a match can start, and a fact of a
sentence is read once per article. Each gives exactly what the plain form it stands for (named
in its docstring) gives: the readings do not change, only their cost."""

from __future__ import annotations

import re

from bot.rules.document import _ASIDE, _YEAR, PERSON, Mention, _Doc
from bot.rules.patterns import Pattern

# A colon is no break: "keeps both its crews intact: A, B and C in the No. 2" names the object.
_CLAUSE_BREAK = re.compile(
    r";|,[ \t]+while\b|[ \t]while\b|,[ \t]+whereas\b|,[ \t]+but\b|[ \t]-[ \t]|—"
)


def clause_breaks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The clause breaks of text[start:end]. Every alternative of _CLAUSE_BREAK holds one of
    these marks, and the pattern tries every space: without a mark it need not run."""
    segment = text[start:end]
    # (", whereas" and ", but" need a comma, " - " a blank before the dash.)
    if not (";" in segment or "while" in segment or "—" in segment or " -" in segment
            or "\t-" in segment or ("," in segment and ("but" in segment
                                                        or "whereas" in segment))):
        return []
    return [m.span() for m in _CLAUSE_BREAK.finditer(text, start, end)]


def aside_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """What `_ASIDE.finditer(text, start, end)` finds, tried only where an aside can open (at
    a "(" or a ","): the pattern has no literal to skip ahead with, and tries every position."""
    found = []
    position = start
    while True:
        comma, bracket = text.find(",", position, end), text.find("(", position, end)
        if comma == -1 and bracket == -1:
            return found
        opening = bracket if comma == -1 or (bracket != -1 and bracket < comma) else comma
        match = _ASIDE.match(text, opening, end)
        if match is None:
            position = opening + 1
        else:
            found.append(match.span())
            position = match.end()


def year_matches(text: str) -> list[re.Match[str]]:
    """What `_YEAR.finditer(text)` finds, tried only where a "19" or a "20" starts: the
    pattern opens with an alternation, which the regex engine tries at every position."""
    found = []
    position = 0
    while True:
        nineteen, twenty = text.find("19", position), text.find("20", position)
        if nineteen == -1 and twenty == -1:
            return found
        at = twenty if nineteen == -1 or (twenty != -1 and twenty < nineteen) else nineteen
        match = _YEAR.match(text, at)
        if match is None:
            position = at + 1
        else:
            found.append(match)
            position = match.end()


def people_reach(doc: _Doc, sentence: int) -> tuple[float, float]:
    """Where the sentence's first-ending person ends and its last-starting person starts
    (inf and -1 when it names nobody): read once per sentence, not once per trigger."""
    key = ("people reach", sentence)
    found = doc.memo.get(key)
    if found is None:
        first_end, last_start = float("inf"), -1
        for m in doc.by_sentence[sentence]:
            if m.kind == PERSON:
                if m.end < first_end:
                    first_end = m.end
                if m.start > last_start:
                    last_start = m.start
        found = doc.memo[key] = (first_end, last_start)
    return found  # type: ignore[return-value]


def driver_fillable(patterns: list[Pattern], mentions: list[Mention], c_left: int, t_start: int,
                    t_end: int, c_right: int) -> list[Pattern]:
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
