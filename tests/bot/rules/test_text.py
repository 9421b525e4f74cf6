"""Sentence splitting: where news sentences end, abbreviations and name suffixes included."""

from __future__ import annotations

import pytest

from bot.rules.text import sentence_spans


def sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in sentence_spans(text)]


@pytest.mark.parametrize(("text", "expected"), [
    ("He drives the No. 9 car. She drives the No. 5.",
     ["He drives the No. 9 car.", "She drives the No. 5."]),
    ("A.J. Foyt Racing runs Santino Ferrucci.", ["A.J. Foyt Racing runs Santino Ferrucci."]),
    ("Martin Truex Jr. will drive the No. 19.", ["Martin Truex Jr. will drive the No. 19."]),
    ("He replaces Dale Earnhardt Jr. The team confirmed it on Monday.",
     ["He replaces Dale Earnhardt Jr.", "The team confirmed it on Monday."]),
    ("It is 3.5 seconds. U.S. fans cheered.", ["It is 3.5 seconds.", "U.S. fans cheered."]),
])
def test_sentences_end_where_news_sentences_end(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected
