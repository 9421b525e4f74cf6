"""How a team written beside a name relates to the move: a make naming a car ("its Porsche
963"), a maker's family of teams ("Nissan's fold"), a team a person is titled by ("Mercedes
junior A"), owns ("Rowe's BMW") or left ("after two seasons racing for Ciceley")."""

from __future__ import annotations

import re

from bot.rules.document import _YEAR_WORD, CAR, PERSON, WORDS, Mention, _Doc

_MAKERS_GROUP = WORDS["makers_group"]
# "joining WSR after two seasons racing BMWs for Ciceley": a team named after this is the team
# of a spell behind the driver.
# "after two seasons with Andretti", "after racing for DS Virgin last season"
_AFTER_A_SPELL = re.compile(r"\bafter (?:(?:[a-z0-9\-]+ ){0,3}(?:seasons?|years?|campaigns?|"
                            r"spells?|stints?|decades?)|racing|driving|riding|competing|"
                            r"spending)\b")


def after_a_spell(doc: _Doc, start: int, team: Mention) -> bool:
    """The team is named in the phrase of a spell behind the driver, between `start` and it."""
    spell = _AFTER_A_SPELL.search(doc.folded, start, team.start)
    return spell is not None and "," not in doc.text[spell.end():team.start]


def _makers_group(doc: _Doc, mention: Mention) -> bool:
    """"Nissan's fold", "the Ford camp": a maker's family of teams, not one of them."""
    following = doc.folded[mention.end:mention.end + 24].split()
    return len(following) > 1 and following[following[0] == "s"] in _MAKERS_GROUP


_MODEL_STOP = WORDS["model_stops"]
_COUNT_WORDS = WORDS["count_words"]


def _is_make(doc: _Doc, mention: Mention) -> bool:
    """"two Porsche 911 GT3 Rs", "its Ferrari 499P", "a second Aston Martin Vantage GT3": a
    make naming a car, not a team. (Asked of a team several times an article: read once.)"""
    key = ("make", mention.start, mention.end)
    found = doc.memo.get(key)
    if found is None:
        found = doc.memo[key] = _reads_as_make(doc.folded, mention.start, mention.end)
    return found  # type: ignore[return-value]


def _reads_as_make(folded: str, start: int, end: int) -> bool:
    after = folded[end:end + 24].split()[:2]
    before = folded[max(0, start - 10):start].split()[-1:]
    if after and after[0] not in _MODEL_STOP and any(
            any(map(str.isdigit, word)) and not _YEAR_WORD.fullmatch(word)
            for word in after):
        return True
    if before in (["a"], ["an"]) and after[:1] in (["for"], ["with"]):
        return True  # "brings a Ferrari for A, B and C": one car, where a team is "the"
    return bool(before) and before[0] in _COUNT_WORDS and bool(after) and after[0] in (
        "crews", "crew", "cars", "car", "entries", "entry", "drivers", "line-up", "lineup")


def _owned_make(doc: _Doc, mention: Mention) -> bool:
    """"Sheargold Motorsport's Am-class Mercedes-AMG", "Rowe's BMW": a make someone owns is
    their car, and the owner is the team."""
    # (within its own sentence: a headline's "M-Sport's new signing" owns nothing after it)
    window = doc.text[max(doc.sentences[doc.sentence_of(mention.start)][0],
                          mention.start - 40):mention.start]
    if "'s" not in window and "’s" not in window:
        return False  # (no word before can end in "'s")
    before = window.split()[-3:]
    owner = next((i for i in range(len(before) - 1, -1, -1)
                  if before[i].endswith(("'s", "’s"))), None)
    # ("Herta's time at Andretti": a preposition between says where, not whose.)
    return owner is not None and _PREPOSITIONS.isdisjoint(before[owner + 1:]) and not (
        mention.candidates and mention.candidates[0].how == "name")  # (best first)


_PREPOSITIONS = frozenset({"at", "with", "for", "to", "in", "from", "by"})


def _possessive_of_person(doc: _Doc, team: Mention, mentions: list[Mention]) -> bool:
    """"Ferrari's Carlos Sainz": the team belongs to the person's past, not the move."""
    tail = doc.text[team.end:team.end + 3]
    if not tail.startswith(("'s", "’s")):
        return False
    return any(m.kind == PERSON and 0 <= m.start - team.end <= 4 for m in mentions)


_AFFILIATION_WORDS = frozenset(WORDS["affiliation_words"])


def _describes_person(doc: _Doc, team: Mention, mentions: list[Mention]) -> bool:
    """"Mercedes factory drivers Buhk, Götz and Marciello crew Gruppe M's No. 999": a team
    written as a title before a name says who the person is tied to, not the move's team."""
    following = next((m for m in mentions if m.start >= team.end), None)
    if following is None or following.kind != PERSON:
        return False
    words = doc.folded[team.end:following.start].split()
    return 0 < len(words) <= 4 and all(word in _AFFILIATION_WORDS for word in words)


def _possessive_before(doc: _Doc, team: Mention, driver: str, mentions: list[Mention]) -> bool:
    tail = doc.text[team.end:team.end + 3]
    if not tail.startswith(("'s", "’s")):
        return False
    return any(m.kind == PERSON and m.value == driver and 0 <= m.start - team.end <= 4
               for m in mentions)


def _after_car(team: Mention, mentions: list[Mention]) -> bool:
    """"the No. 6 Porsche 963": a team's name right after a car number is the car's make."""
    return any(m.kind == CAR and 0 <= team.start - m.end <= 2 for m in mentions)
