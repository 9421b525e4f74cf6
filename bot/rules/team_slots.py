"""Teams no list knows, named in one word ("Prema", "Carlin", "DAMS") or a few that read as no
person's name ("Vasser Sullivan" in a headline), read from their slot: the subject of a verb only
a team does to a driver, or the object of a verb that takes a team. (Teams whose names hold a
team word are read by the shape of their names, in names.py and name_shapes.py.)"""

from __future__ import annotations

from functools import lru_cache

import pycountry

from bot.rules.document import TEAM, WORDS, Mention
from bot.rules.gazetteer import iso_country_names
from bot.rules.text import fold, is_english_word, verb_lemmas

_SUBJECT_VERBS = WORDS["team_subject_verbs"]
_OBJECT_VERBS = WORDS["team_object_verbs"]
_VERB_AND_PREPOSITION = {tuple(phrase.rsplit(" ", 1)) for phrase in
                         WORDS["team_object_verbs_and_prepositions"]}
_PREPOSITIONS = frozenset(preposition for _, preposition in _VERB_AND_PREPOSITION)
_AUXILIARIES = WORDS["auxiliaries"] | {"to"}
# "will return to Spain", "moves to Queensland": where a driver goes is not always a team.
# (Countries under every name ISO gives them, and the states of the countries whose news
# names them in English.)
_PLACES = WORDS["regions"] | frozenset(
    fold(name).lower() for name in iso_country_names()) | frozenset(
    fold(state.name).lower() for code in ("US", "CA", "AU", "GB", "NZ")
    for state in pycountry.subdivisions.get(country_code=code) or ())


@lru_cache(maxsize=4096)  # (asked of the words around every capitalised run)
def _lemmas(word: str) -> frozenset[str]:
    return frozenset((*verb_lemmas(word), word))


def _verb_before(words: list[str]) -> set[str]:
    """The lemmas of the verb the words before a name end in: "will race for" -> race (for)."""
    if not words:
        return set()
    if words[-1] in _PREPOSITIONS and len(words) >= 2:
        verb = words[-2] if words[-2] != "up" or len(words) < 3 else f"{words[-3]} up"
        lemmas = _lemmas(verb) if " " not in verb else {
            f"{lemma} up" for lemma in _lemmas(verb.split()[0])}
        return {f"{lemma} {words[-1]}" for lemma in lemmas
                if (lemma, words[-1]) in _VERB_AND_PREPOSITION}
    return {lemma for lemma in _lemmas(words[-1]) if lemma in _OBJECT_VERBS}


def _verb_after(words: list[str]) -> bool:
    """Whether the words after a name open with a verb only a team does ("Prema completes",
    "Carlin has signed", "DAMS will field")."""
    while words and words[0] in _AUXILIARIES:
        words = words[1:]
    return bool(words) and bool(_lemmas(words[0]) & _SUBJECT_VERBS) and \
        words[0] not in ("sign", "name")  # (a bare form after a name is a noun: "Prema name")


def teams_by_slot(text: str, folded: str, runs: list[tuple[int, int]], mask: bytearray,
                  not_names: frozenset[str], first_names: frozenset[str],
                  teams: list[Mention]) -> list[Mention]:
    """A capitalised run of up to three words nothing else has read (not a person's name, not
    a place), in a team's slot, as a team; the team the article names in full when it is a
    word of that team's name ("Pons will run ..." after "Pons Racing", "Coyne signs ..." over
    "Dale Coyne Racing")."""
    found: list[Mention] = []
    for start, end in runs:
        if mask.find(1, start, end) != -1:
            continue
        if text.endswith(("'s", "’s"), start, end):
            end -= 2
        word = text[start:end]
        key = folded[start:end]
        words = key.split()
        if len(words) > 1:
            # "Vasser Sullivan", "Inter Europol": a name of two or three words no reading of
            # names took for a person's (and not English words alone: "Silly Season")
            if len(words) > 3 or words[0] in first_names or " ".join(words) in _PLACES or any(
                    w in not_names or any(ch.isdigit() for ch in w) for w in words) or all(
                    is_english_word(w) for w in words):
                continue
        elif len(key) < 3 or key in not_names or key in first_names or key in _PLACES or \
                any(ch.isdigit() for ch in word) or (is_english_word(key) and not word.isupper()):
            continue
        before = folded[max(0, start - 40):start].split()[-3:]
        after = folded[end:end + 40].split()[:3]
        if _verb_before(before) or _verb_after(after):
            mask[start:end] = b"\x01" * (end - start)
            named = next((team for team in teams
                          if f" {key} " in f" {' '.join(fold(team.value).lower().split())} "),
                         None)
            found.append(Mention(start, end, TEAM, named.value if named else word,
                                 candidates=named.candidates if named else ()))
    return found
