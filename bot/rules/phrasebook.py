"""The phrase automata the engine reads articles with, stored lean.

An Aho-Corasick automaton that keeps a Python object per phrase holds ~860,000 small objects
for the gazetteer and the expanded patterns (22 MB). Here each phrase stores one machine
integer instead: the phrase's length and the index of what it stands for in a table where
equal payloads are kept once."""

from __future__ import annotations

from collections.abc import Iterator

import ahocorasick

Payloads = tuple[tuple[str, object], ...]

_SIZE_BITS = 12  # a phrase (with its two padding spaces) is shorter than 4,096 characters
_SIZE_MASK = (1 << _SIZE_BITS) - 1


class Phrasebook:
    """Whole-word phrases of folded text, each with the (kind, payload) pairs it stands for."""

    __slots__ = ("automaton", "payloads")

    def __init__(self, entries: dict[str, list[tuple[str, object]]]) -> None:
        self.automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        self.payloads: list[Payloads] = []
        index_of: dict[Payloads, int] = {}
        for key, pairs in entries.items():
            payloads = tuple((kind, tuple(payload) if isinstance(payload, list) else payload)
                             for kind, payload in pairs)
            index = index_of.get(payloads)
            if index is None:
                index = index_of[payloads] = len(self.payloads)
                self.payloads.append(payloads)
            # Keys carry a space each side, as does the text: every match is a whole word
            # run, and "ex" inside "next" is never reported at all.
            size = len(key) + 2
            if size > _SIZE_MASK:
                raise ValueError(f"phrase too long for the automaton: {key[:40]!r}...")
            self.automaton.add_word(f" {key} ", index << _SIZE_BITS | size)
        if entries:
            self.automaton.make_automaton()

    @property
    def ready(self) -> bool:
        return self.automaton.kind == ahocorasick.AHOCORASICK

    def matches(self, padded: str) -> Iterator[tuple[int, int, Payloads]]:
        """(end index, phrase size, payloads) of every phrase in `padded` (" text ")."""
        payloads = self.payloads
        for end_index, code in self.automaton.iter(padded):
            yield end_index, code & _SIZE_MASK, payloads[code >> _SIZE_BITS]
