"""Text preparation shared by the gazetteer and the engine.

`fold` maps a text to a lower-case, accent-free copy of EXACTLY the same length, so an offset
found in the folded copy (where the Aho-Corasick automaton runs) is an offset in the original.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

from lemminflect import getAllLemmas

# Latin letters that Unicode does not decompose into a base letter and a mark.
_PLAIN = {"ı": "i", "ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ħ": "h",
          "ŧ": "t", "ß": "s", "æ": "a", "Æ": "a", "œ": "o", "Œ": "o", "þ": "t", "ð": "d"}


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if char in _PLAIN:
        return _PLAIN[char]
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    lowered = (base or char).lower()
    if len(lowered) != 1:
        lowered = char.lower() if len(char.lower()) == 1 else char
    return lowered if lowered.isalnum() else " "


class _FoldTable(dict[int, str]):
    """A lazy str.translate table: each non-ASCII code point is folded once, then remembered."""

    def __missing__(self, code: int) -> str:
        folded = _fold_char(chr(code))
        self[code] = folded
        return folded


_ASCII_BYTES = bytes(
    (c if chr(c).isalnum() else 32) for c in bytes(range(128)).lower()
) + b" " * 128
_FOLD_TABLE = _FoldTable({c: chr(_ASCII_BYTES[c]) for c in range(128)})


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def fold(text: str) -> str:
    """The form names are matched in: lower case, no accents, every non-alphanumeric character
    a space, and EXACTLY as long as `text`, so offsets carry over.

    "Pato O'Ward" folds to "pato o ward", the same words as bot.models.name_key gives."""
    folded = text.encode("ascii", "replace").translate(_ASCII_BYTES).decode("ascii")
    if text.isascii():
        return folded
    # Accented letters are few even in French or Turkish names: patch them in one by one.
    matches = list(_NON_ASCII.finditer(text))
    if len(matches) > 24:
        return text.translate(_FOLD_TABLE)
    pieces = []
    position = 0
    for match in matches:
        pieces.append(folded[position:match.start()])
        pieces.append(match.group().translate(_FOLD_TABLE))
        position = match.end()
    pieces.append(folded[position:])
    return "".join(pieces)


_TAG = re.compile(r"<[^>]{0,400}>")
_SPACE = re.compile(r"[ \t\r\f\v]+")


def clean(text: str) -> str:
    """Feed text as plain prose: tags dropped, entities decoded, runs of spaces squeezed."""
    if "<" in text:
        text = _TAG.sub("", text)
    if "&" in text:
        text = html.unescape(text)
    if "  " in text or "\t" in text or "\r" in text or "\f" in text or "\v" in text:
        text = _SPACE.sub(" ", text)
    return text


# A sentence ends at . ! ? (optionally followed by a closing quote or bracket) before a space and
# a capital, digit or quote, or at a line break; abbreviations such as "No." and "Jr." are glued
# back afterwards.
_BOUNDARY = re.compile(r"[.!?…\n][\"'”’)\]]?[ \t\n]*")
_OPENS_SENTENCE = re.compile(r"[\"“‘'(A-Z0-9À-Ý]")
_INITIALS = re.compile(r"(?:[A-Z]\.)+[A-Z]")
_ABBREVIATIONS = frozenset((
    "No", "Nr", "Nos", "Jr", "Sr", "Dr", "Mr", "Mrs", "Ms", "St", "Mt", "Mk", "vs", "Fla", "Tenn",
    "Calif", "Ind", "Ariz", "Ga", "Va", "Ky", "Ill", "Mich", "Jan", "Feb", "Mar", "Apr", "Aug",
    "Sep", "Sept", "Oct", "Nov", "Dec", "Inc", "Ltd", "Co", "Corp", "approx", "ca",
))

# After "Jr." a word that only ever opens a sentence starts a new one.
_NAME_SUFFIXES = frozenset(("Jr", "Sr"))
_SENTENCE_OPENERS = frozenset((
    "The", "He", "She", "It", "They", "His", "Her", "Their", "This", "That", "These", "A", "An",
    "In", "On", "At", "After", "But", "However", "Meanwhile", "We", "There", "With", "Both",
))


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text`, in order, covering every non-space character."""
    spans: list[tuple[int, int]] = []
    start = 0
    for boundary in _BOUNDARY.finditer(text):
        end = boundary.start()
        if text[end] != "\n" and "\n" in boundary.group():
            end = text.index("\n", end)  # "...ends.\n": the line break ends it
        if text[end] == "\n":
            while end > start and text[end - 1] in " \t":
                end -= 1
            if end > start:
                spans.append((start, end))
            start = boundary.end()
            while start < len(text) and text[start] in " \t\n\r":
                start += 1
            continue
        if boundary.end() == boundary.start() + 1 or not _OPENS_SENTENCE.match(
                text, boundary.end()):
            continue  # "3.5", "U.S.", or a lower-case word after the stop
        if text[end] in ".!?…":
            end += 1
            word = text[max(start - 1, text.rfind(" ", start, end - 1)) + 1:end - 1]
            if word in _ABBREVIATIONS or (len(word) == 1 and word.isupper()) or \
                    _INITIALS.fullmatch(word):  # "A.J. Foyt", "J.R. Hildebrand"
                following = text[boundary.end():boundary.end() + 12].split(" ", 1)[0]
                if not (word in _NAME_SUFFIXES and following in _SENTENCE_OPENERS):
                    continue  # "Truex Jr. The 29-year-old": a name ends the sentence
        if end > start:
            spans.append((start, end))
        start = boundary.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


@lru_cache(maxsize=8192)
def is_english_word(word: str) -> bool:
    """One word the English lexicon knows ("power", "bell"): in prose it may be no name."""
    return " " not in word and bool(getAllLemmas(word))


@lru_cache(maxsize=8192)
def verb_lemmas(word: str) -> tuple[str, ...]:
    """The verbs a word is a form of ("signs", "signed": sign)."""
    return tuple(getAllLemmas(word).get("VERB", ()))
