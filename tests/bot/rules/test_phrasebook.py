"""The engine's phrase automata: whole-word matches, each phrase's payloads, equal payloads
stored once."""

from __future__ import annotations

import pytest

from bot.rules.phrasebook import Phrasebook


def test_whole_word_phrases_are_found_with_their_payloads() -> None:
    book = Phrasebook({"ex": [("cue", "prior_role")], "will join": [("trigger", "join")],
                       "join": [("trigger", "join")]})
    text = " next year he will join ex champions "
    found = [(text[end - size + 1:end].strip(), payloads)
             for end, size, payloads in book.matches(text)]
    assert ("will join", (("trigger", "join"),)) in found
    assert ("ex", (("cue", "prior_role"),)) in found
    # "ex" inside "next" is no match: one "ex", the whole word.
    assert [phrase for phrase, _ in found].count("ex") == 1


def test_equal_payloads_are_kept_once() -> None:
    book = Phrasebook({"lewis hamilton": [("driver", ["Lewis Hamilton"])],
                       "hamilton": [("driver", ["Lewis Hamilton"])],
                       "ferrari": [("team", "Ferrari")]})
    assert len(book.payloads) == 2


def test_an_empty_book_is_not_ready_and_a_runaway_phrase_is_refused() -> None:
    assert not Phrasebook({}).ready
    with pytest.raises(ValueError, match="too long"):
        Phrasebook({"x" * 5000: [("cue", "c")]})
