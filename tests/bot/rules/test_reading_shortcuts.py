"""The reading steps' shortcuts find exactly what the plain patterns they stand in for find:
each was written for speed alone, and a reading may never change because of one."""

from __future__ import annotations

import random
import re
from re import _parser  # type: ignore[attr-defined]

from bot.rules.document import _YEAR
from bot.rules.names import _OWNER, _owner_matches
from bot.rules.scans import _ASIDE


def _random_texts(pieces: list[str], count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 14))) for _ in range(count)]


def test_owners_are_found_as_the_owner_pattern_finds_them() -> None:
    texts = [
        "Rowe's BMW and Gruppe M's No. 999 lead; Jean-Eric Vergne's Peugeot follows.",
        "Heart of Racing's No. 27 Aston Martin, McLaren's  car, O'Ward's Arrow McLaren's",
        "The team's plan: Iron Dames' Porsche and Proton’s 911 at Sebring's twelve hours.",
    ]
    texts += _random_texts(["A", "Bc", "É", "a", "1", "-", "_", " ", "\t", "'s", "’s", "'", "s",
                            "S", "\n", ",", "x y", "Mc Laren", "  "], 20_000, seed=3)
    for text in texts:
        expected = [(m.span(), m.span(1)) for m in _OWNER.finditer(text)]
        assert [(m.span(), m.span(1)) for m in _owner_matches(text)] == expected, text


def test_every_aside_opens_with_a_comma_or_a_bracket() -> None:
    # The reader runs _ASIDE only over sentences holding "," or "(": an alternative that
    # opens otherwise would need that shortcut changed.
    (op, (_, alternatives)), *rest = _parser.parse(_ASIDE.pattern)
    assert op is _parser.BRANCH and not rest
    for alternative in alternatives:
        first_op, value = alternative[0]
        assert first_op is _parser.LITERAL and chr(value) in "(,", alternative


def test_years_are_found_as_a_word_broken_year_pattern_finds_them() -> None:
    plain = re.compile(r"\b(?:19|20)(\d\d)(?:[-/–](\d\d(?:\d\d)?))?\b")
    texts = ["In 2024-25 and 1999/2000, the 2020s; a2024 b 2025x 2026– 2019–20."]
    texts += _random_texts(["19", "20", "2", "0", "1", "9", "a", " ", "-", "/", "–", "_", "é",
                            "2024", "\n"], 20_000, seed=4)
    for text in texts:
        for position in (0, 1, 3):
            expected = [(m.span(), m.groups()) for m in plain.finditer(text, position)]
            assert [(m.span(), m.groups()) for m in _YEAR.finditer(text, position)] == expected
