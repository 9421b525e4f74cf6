"""What a run of capitals names: a person (whose name may hold a team's or a town's), a
championship ("the FIM JuniorGP Moto3 standings"), or a team by its sponsor's and maker's names
("Petronas Yamaha") or after a person ("Dale Coyne Racing")."""

from __future__ import annotations

import re

from bot.rules.document import (
    _AUXILIARIES,
    _TEAM_WORDS,
    _UPPER,
    PERSON,
    TEAM,
    WORDS,
    Mention,
    _Doc,
)
from bot.rules.text import fold

_COMPETITION_NOUNS = frozenset(WORDS["competition_nouns"])
_TITLE_HOLDERS = frozenset({"champion", "champions", "winner", "winners", "title", "titles",
                            "runner-up", "race", "races", "crown", "crowns"})


def _names_a_competition(text: str, folded: str, end: int, start: int = -1) -> bool:
    # "the FIM JuniorGP Moto3 standings": a class or a series may stand between, but no word
    # in lower case ("Jan Nowak for season 10", "Jan Nowak next season"). ("Jan Nowak will
    # race for ...", "signed Jan Nowak to race for ...": after an auxiliary or "to", "race" is
    # a verb.)
    following = folded[end:end + 30].split()[:2]
    class_between = following[1:2] and following[1] in _COMPETITION_NOUNS and \
        not text[end:end + 30].split()[0].islower()
    if following and following[0] not in _AUXILIARIES and following[0] != "to" and (
            following[0] in _COMPETITION_NOUNS or class_between):
        return True
    # "four-time champion of Argentina's Turismo Carretera": what a title is won in
    before = folded[max(0, start - 30):start].split()[-3:] if start >= 0 else []
    if before[-1:] in (["of"], ["in"]):
        return any(word in _TITLE_HOLDERS for word in before[:-1])
    # ("champion of Argentina's ...": the country's own series)
    return len(before) >= 3 and before[-1] == "s" and before[-3:-2] in (["of"], ["in"]) and \
        any(word in _TITLE_HOLDERS for word in folded[max(0, start - 45):start].split()[-5:])


def _in_a_persons_name(text: str, folded: str, start: int, end: int,
                       first_names: frozenset[str]) -> bool:
    """Whether a one-word team's or place's name is part of a person's name: a run of capitals
    opened by a first name, with the word the last of it ("Kazuki Nakajima", "Michael Ruben
    Rinaldi") or the first name itself before a surname ("Austin Hill"). A run opened by
    another capital is a sponsor's or a team's ("Arctic Wolf Honda")."""
    if " " in folded[start:end]:
        return False
    line_start = text.rfind("\n", 0, start) + 1
    words = text[max(line_start, start - 40):start].split(" ")[:-1] if start > line_start \
        and text[start - 1] == " " else []
    run: list[str] = []
    while words and words[-1][:1].isupper() and words[-1].isalpha() and len(run) < 3:
        run.insert(0, words.pop())
    following = text[end:end + 30].split(" ", 2)[1:2] if text[end:end + 1] == " " else []
    if not run and following and following[0][:1].isupper() and following[0].isalpha():
        run = [text[start:end]]  # the first name is the word itself
    if not run or fold(run[0]) not in first_names:
        return False
    # ("Buemi, Naoki Nakajima": a word the punctuation closes is no part of the run)
    return not words or not words[-1][:1].isupper() or not words[-1][-1:].isalnum()


def _sponsor_and_make(text: str, chosen: list[Mention]) -> list[Mention]:
    """"Petronas Yamaha", "Monster Yamaha": a sponsor's name next to a maker's names the team
    that has both, when the two names share teams and neither names a team outright."""
    merged: list[Mention] = []
    for mention in chosen:
        previous = merged[-1] if merged else None
        if previous is not None and previous.kind == TEAM == mention.kind and \
                text[previous.end:mention.start] == " " and \
                {c.how for c in previous.candidates} == {"sponsor"} and \
                "manufacturer" in {c.how for c in mention.candidates}:
            makes = {(c.team, c.series) for c in mention.candidates}
            both = tuple(c for c in previous.candidates if (c.team, c.series) in makes)
            if both:
                merged[-1] = Mention(previous.start, mention.end, TEAM,
                                     text[previous.start:mention.end], candidates=both)
                continue
        merged.append(mention)
    return merged


def _surname_again(text: str, title_end: int, surname: str) -> bool:
    """Whether a name in a headline is a person's the body goes on to call by surname alone
    ("Marcus Armstrong lands full-time Ganassi seat" ... "Armstrong, 23, ..."). Only in a
    headline written in sentence case: in title case every word has a capital."""
    alone = re.compile(r"(?<![\w\-])" + re.escape(surname) + r"(?![\w\-])")
    return not _in_title_case(text[:title_end]) and alone.search(text, title_end) is not None


def _in_title_case(title: str) -> bool:
    words = [w for w in title.split() if w[:1].isalpha()]
    return len(words) >= 4 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


# A team named after its founder: "Ed Carpenter Racing", "Kyle Busch Motorsports"
_NEXT_WORD = re.compile(rf"[ \t]+([{_UPPER}][a-z]+)\b")
_NAMED_AFTER_WORDS = _TEAM_WORDS - {"team", "sport", "gp", "garage"}


def _team_named_after(text: str, folded: str, start: int, end: int, kind: str,
                      payload: object, title_end: int) -> int | None:
    """Where a team no list knows ends, named after what the gazetteer read at start..end,
    or None: after a person ("Dale Coyne Racing", "Sébastien Loeb Racing"), or after the
    sponsor of another team ("Richard Mille Racing"; but "Haribo Motorsport" is Haribo Racing
    Team written otherwise). (In a headline in title case, "Racing" may be a verb: "Verstappen
    Racing To Win".)"""
    if kind not in ("staff", "driver") and not (kind == "team" and all(
            candidate.how == "sponsor" and not fold(candidate.team).startswith(folded[start:end])
            for candidate in payload)):  # type: ignore[attr-defined]
        return None
    following = _NEXT_WORD.match(text, end)
    if following is None or following.group(1).lower() not in _NAMED_AFTER_WORDS or (
            start < title_end and _in_title_case(text[:title_end])):
        return None
    return following.end()


_OWNER_TITLES = frozenset({"owner", "co-owner", "co owner", "team owner"})
_LIST_GOES_ON = re.compile(r"\s*(?:,|and\b|&)\s*")


def _owner_in_a_crew(doc: _Doc, mention: Mention, c_start: int, c_end: int) -> bool:
    """"brings an Aston Martin for team owner Satoshi Hoshino, Tomonobu Fujii and Ross Gunn":
    an owner named first in a list of drivers races himself, as many sportscar owners do."""
    if c_end > mention.start or doc.folded[c_start:c_end] not in _OWNER_TITLES:
        return False
    listed = _LIST_GOES_ON.match(doc.text, mention.end)
    return listed is not None and any(
        other.kind == PERSON and other.start == listed.end() for other in doc.mentions)


def _opens_sentence(text: str, start: int) -> bool:
    position = start - 1
    while position >= 0 and text[position] in " \t":
        position -= 1
    return position < 0 or text[position] in '.!?\n:"“'
