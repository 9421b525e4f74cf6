"""How names and car numbers compare: the one place that says when two spellings are the
same driver, team, series or car. Storage keeps these keys in its `*_key` columns, so a
change here is a change to every stored key and wants a migration."""

from __future__ import annotations

import re
import unicodedata

_NOT_WORD = re.compile(r"[^\w]+")


def name_key(text: str) -> str:
    """Compare names the way fans write them: no accents, case or punctuation.

    "Jean-Éric Vergne" and "jean eric vergne" share a key; so do "#31" and "31"."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_NOT_WORD.sub(" ", bare.casefold()).split())


_CAR_WORDS = ("no ", "nr ", "car ")


def car_key(car: str | None) -> str:
    """'#31', 'No. 31', 'car 31' and '31' are one car; '' for no car."""
    if not car:
        return ""
    key = name_key(car)
    for prefix in _CAR_WORDS:
        if key.startswith(prefix):
            key = key[len(prefix):]
    return key.replace(" ", "")


_NUMBER_PREFIX = r"(?:#|no\.?|nr\.?)"
_SHOWN_PREFIX = re.compile(rf"^\s*(?:{_NUMBER_PREFIX}|car)\s*", re.IGNORECASE)
# An entry list is typed by people who know the cars: a number of at most four letters or
# digits, perhaps written '#31' or 'No. 31'. Anything else is a mistake worth reporting.
_ENTRY_LIST_CAR = re.compile(rf"^{_NUMBER_PREFIX}?\s*([0-9A-Za-z]{{1,4}})$", re.IGNORECASE)


def car_display(car: str | None) -> str | None:
    """The number as answers show it: '#31' and 'No. 31' become '31'."""
    if not car:
        return None
    bare = _SHOWN_PREFIX.sub("", car).strip()
    return bare or None


def entry_list_car(text: str) -> str | None:
    """The car number an entry-list cell gives ('#31' -> '31'), or None if it is none."""
    match = _ENTRY_LIST_CAR.match(text)
    return match.group(1) if match else None
