"""The engine's phrase automaton: whole-word matches, each phrase's payloads by layer, equal
payloads stored once, and a layer read from the whole article's walk exactly as a walk over
its span alone would read it."""

from __future__ import annotations

import random

import pytest

from bot.rules.phrasebook import Phrasebook
from bot.rules.reading import _scan, read_layer


def test_whole_word_phrases_are_found_with_their_payloads() -> None:
    book = Phrasebook({"ex": [("cue", "prior_role")], "will join": [("trigger", "join")],
                       "join": [("trigger", "join")]})
    text = "next year he will join ex champions"
    found = [(text[start:end], layers[0]) for start, end, layers in book.spans(text)]
    assert ("will join", (("trigger", "join"),)) in found
    assert ("ex", (("cue", "prior_role"),)) in found
    # "ex" inside "next" is no match: one "ex", the whole word.
    assert [phrase for phrase, _ in found].count("ex") == 1
    # Offsets are the article's when the text read starts further in.
    assert [(s, e) for s, e, _ in book.spans(text[13:], 13)] == [
        (s, e) for s, e, _ in book.spans(text) if s >= 13]


def test_a_phrase_carries_its_payloads_in_each_layer() -> None:
    book = Phrasebook({"next season": [("cue", "next_season")]},
                      {"to": [("trigger", "headline")]},
                      {"next season": [("role", "full-time")]})
    assert book.layers == (True, True, True)
    found = {start: layers for start, _, layers in book.spans("to race next season")}
    assert found[0] == ((), (("trigger", "headline"),), ())
    assert found[8] == ((("cue", "next_season"),), (), (("role", "full-time"),))


def test_equal_payloads_are_kept_once() -> None:
    book = Phrasebook({"lewis hamilton": [("driver", ["Lewis Hamilton"])],
                       "hamilton": [("driver", ["Lewis Hamilton"])],
                       "ferrari": [("team", "Ferrari")]})
    assert len(book.payloads) == 2


def test_an_empty_book_is_not_ready_and_a_runaway_phrase_is_refused() -> None:
    empty = Phrasebook({}, {})
    assert not empty.ready and empty.layers == (False, False)
    assert empty.spans("anything at all") == []
    with pytest.raises(ValueError, match="too long"):
        Phrasebook({"x" * 5000: [("cue", "c")]})


def _sinks() -> tuple[list, dict, list, list, dict, list]:  # type: ignore[type-arg]
    return [], {}, [], [], {}, []


def test_a_layer_read_from_the_whole_walk_is_what_a_walk_over_its_span_finds() -> None:
    words = ["at", "spa", "spam", "at spa", "next", "season", "a", "b", "ab", "x"]
    book = Phrasebook({"ab": [("cue", "whole")]},
                      {},
                      {"at spa": [("cue", "one_race")], "next season": [("cue", "next")],
                       "a b": [("role", "part-time")], "b": [("cue", "bee")]})
    rng = random.Random(9)
    for _ in range(3000):
        folded = " ".join(rng.choice([*words, ""]) for _ in range(rng.randint(0, 9)))
        start = rng.randint(0, len(folded))
        end = rng.randint(start, len(folded))
        expected, got = _sinks(), _sinks()
        alone = [(s, e, layers) for s, e, layers in book.spans(folded[start:end], start)]
        _scan(alone, 2, *expected)
        # Spans whose edges cut a word ("spa" of "spam") are read by a walk of their own.
        read_layer(book, book.spans(folded), folded, start, end, 2, *got)
        assert got == expected, (folded, start, end)
