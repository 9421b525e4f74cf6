"""The phrase automaton the engine reads articles with, stored lean.

An Aho-Corasick automaton that keeps a Python object per phrase holds ~860,000 small objects
for the gazetteer and the expanded patterns (22 MB). Here each phrase stores one machine
integer instead: the phrase's length and the index of what it stands for in a table where
equal payloads are kept once.

One automaton serves every reading pass. Walking it is the costly part of a pass (its nodes are
out of the processor's cache by the next article), so the phrases of the passes that read only
part of an article (the title; the sentences with a trigger) are in the same automaton, in
layers of their own, and the one walk over the whole article finds them all."""

from __future__ import annotations

import ahocorasick

Payloads = tuple[tuple[str, object], ...]
Layers = tuple[Payloads, ...]  # a phrase's payloads, one entry per layer

_SIZE_BITS = 12  # a phrase (with its two padding spaces) is shorter than 4,096 characters
_SIZE_MASK = (1 << _SIZE_BITS) - 1


def _payloads(pairs: list[tuple[str, object]] | None) -> Payloads:
    if not pairs:
        return ()
    return tuple((kind, tuple(payload) if isinstance(payload, list) else payload)
                 for kind, payload in pairs)


class Phrasebook:
    """Whole-word phrases of folded text, each with the (kind, payload) pairs it stands for in
    each layer: `Phrasebook(whole_article, title_only, ...)`."""

    __slots__ = ("automaton", "layers", "payloads")

    def __init__(self, *layers: dict[str, list[tuple[str, object]]]) -> None:
        self.automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        self.payloads: list[Layers] = []
        # Which layers have any phrase at all: a pass over an empty layer is skipped.
        self.layers = tuple(bool(layer) for layer in layers)
        index_of: dict[Layers, int] = {}
        for number, layer in enumerate(layers):
            for key in layer:
                if any(key in earlier for earlier in layers[:number]):
                    continue  # added with the first layer that has it
                payloads = tuple(_payloads(other.get(key)) for other in layers)
                index = index_of.get(payloads)
                if index is None:
                    index = index_of[payloads] = len(self.payloads)
                    self.payloads.append(payloads)
                # Keys carry a space each side, as does the text: every match is a whole
                # word run, and "ex" inside "next" is never reported at all.
                size = len(key) + 2
                if size > _SIZE_MASK:
                    raise ValueError(f"phrase too long for the automaton: {key[:40]!r}...")
                self.automaton.add_word(f" {key} ", index << _SIZE_BITS | size)
        if any(self.layers):
            self.automaton.make_automaton()

    @property
    def ready(self) -> bool:
        return self.automaton.kind == ahocorasick.AHOCORASICK

    def spans(self, folded: str, offset: int = 0) -> list[tuple[int, int, Layers]]:
        """(start, end, payloads by layer) of every phrase in `folded`, which starts at
        `offset` in the article; in the automaton's order (by end, the longest first)."""
        if not self.ready:
            return []
        payloads = self.payloads
        # In the padded text a match's first character is the padding space before the word,
        # which sits where the word starts in the unpadded text.
        return [(end_index - (code & _SIZE_MASK) + 1 + offset, end_index - 1 + offset,
                 payloads[code >> _SIZE_BITS])
                for end_index, code in self.automaton.iter(f" {folded} ")]
