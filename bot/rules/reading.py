"""Reading an article: one automaton pass for names, triggers and cues, then sentences and the
mentions in them."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from bot.models import Article, MoveKind
from bot.rules.document import (
    _ENTITY_KINDS,
    CAR,
    MAX_BODY,
    MAX_TITLE,
    PERSON,
    SERIES,
    TEAM,
    EngineBase,
    Mention,
    _Doc,
    _inside,
    _within,
    car_numbers,
)
from bot.rules.patterns import Pattern
from bot.rules.phrasebook import Layers, Phrasebook
from bot.rules.scans import aside_spans
from bot.rules.text import clean, fold, sentence_spans


def _longest(triggers: list[tuple[int, int, Sequence[Pattern]]],
             shorter: dict[tuple[int, int], list[tuple[int, int, Sequence[Pattern]]]]
             ) -> list[tuple[int, int, Sequence[Pattern]]]:
    """Overlapping triggers: the longest phrase speaks ("will not return to" over "return to").
    A displaced phrase that starts where the longer one does goes into `shorter`."""
    if len(triggers) < 2:
        return triggers
    kept: list[tuple[int, int, Sequence[Pattern]]] = []
    for trigger in sorted(triggers, key=_longest_first):
        start, end = trigger[0], trigger[1]
        for k in kept:
            if start < k[1] and k[0] < end:
                if start == k[0]:
                    shorter.setdefault((k[0], k[1]), []).append(trigger)
                break
        else:
            kept.append(trigger)
    kept.sort(key=lambda t: t[0])
    return kept


def _longest_first(t: tuple[int, int, Sequence[Pattern]]) -> tuple[int, int]:
    return (t[0] - t[1], t[0])


class Reader(EngineBase):
    def _read(self, article: Article) -> _Doc:
        title = clean((article.title or "")[:MAX_TITLE]).strip()
        body = clean((article.summary or "")[:MAX_BODY]).strip()
        text = f"{title}\n{body}" if body else title
        folded = fold(text)
        title_end = len(title)
        cues: dict[str, list[tuple[int, int]]] = {}
        roles: list[tuple[int, int, str]] = []
        triggers: list[tuple[int, int, Sequence[Pattern]]] = []
        entity_hits: list[tuple[int, int, str, object]] = []
        object_kind: dict[int, tuple[int, MoveKind]] = {}
        car_words: list[tuple[int, int]] = []
        phrases = self._phrases
        hits = phrases.spans(folded)
        # The hits of the other layers, picked out in the same pass: read_layer keeps only
        # those, so it walks a few hits instead of all of them.
        title_hits: list[tuple[int, int, Layers]] = []
        local_hits: list[tuple[int, int, Layers]] = []
        _scan(hits, WHOLE, triggers, cues, roles, car_words, object_kind, entity_hits,
              (title_hits, local_hits))
        if title_end and phrases.layers[TITLE]:
            headline: list[tuple[int, int, Sequence[Pattern]]] = []
            read_layer(phrases, title_hits, folded, 0, title_end, TITLE, headline, cues, roles,
                       car_words, object_kind, entity_hits)
            if headline:
                spans = {(t[0], t[1]): i for i, t in enumerate(triggers)}
                for start, end, patterns in headline:
                    at = spans.get((start, end))
                    if at is None:
                        triggers.append((start, end, patterns))
                    else:
                        triggers[at] = (start, end, [*triggers[at][2], *patterns])
        published = article.published.date() if article.published else None
        if not triggers:  # nothing can move: skip the rest of the reading
            return _Doc(text=text, folded=folded, title_end=title_end, sentences=[], starts=[],
                        published=published, series_hint=None, mentions=[], by_sentence=[],
                        cues=cues, roles=roles, triggers=[], object_kind=object_kind, asides=[],
                        series_seen=set())
        sentences = sentence_spans(text)
        starts = [s for s, _ in sentences]
        local_range = (0, 0)
        if phrases.layers[SENTENCE] and sentences:
            # From the first sentence with a trigger to the last one.
            trigger_starts = [t[0] for t in triggers]
            first = max(0, bisect_right(starts, min(trigger_starts)) - 1)
            last = max(0, bisect_right(starts, max(trigger_starts)) - 1)
            s_start, s_end = sentences[first][0], sentences[last][1]
            local_range = (s_start, s_end)
            read_layer(phrases, local_hits, folded, s_start, s_end, SENTENCE, triggers, cues,
                       roles, car_words, object_kind, entity_hits)
        _drop_months(text, cues)
        series_hint = None
        if article.series:
            series_hint = self.gazetteer.canonical_series(article.series) or article.series
        # New names are looked for in every sentence: a headline's "Hitech enters F2 with
        # Mazepin and Ghiotto" names by surname drivers whom only a quiet sentence of the body
        # names in full.
        cars = car_numbers(text, car_words) if triggers else []
        # (A headline's "Brenner Motorsport completes its crews" names a team too.)
        regions = [(0, len(text))] if triggers else []
        mentions = self._mentions(text, folded, entity_hits, title_end, regions, cars,
                                  series_hint)
        asides: list[tuple[int, int]] = []
        for index in sorted({bisect_right(starts, t[0]) - 1 for t in triggers}):
            s_start, s_end = sentences[max(0, index)]
            # Every aside opens with "(" or ",": a sentence with neither needs no pattern run.
            if text.find(",", s_start, s_end) != -1 or text.find("(", s_start, s_end) != -1:
                asides.extend(aside_spans(text, s_start, s_end))
        by_sentence: list[list[Mention]] = [[] for _ in sentences]
        shorter: dict[tuple[int, int], list[tuple[int, int, Sequence[Pattern]]]] = {}
        doc = _Doc(text=text, folded=folded, title_end=title_end, sentences=sentences,
                   starts=starts, published=published, series_hint=series_hint,
                   mentions=mentions, by_sentence=by_sentence, cues=cues, roles=roles,
                   triggers=_longest(triggers, shorter), shorter=shorter,
                   object_kind=object_kind, asides=asides,
                   series_seen={m.value for m in mentions if m.kind == SERIES})
        index = 0
        last = len(sentences) - 1
        first_person: list[str | None] = [None] * len(sentences)
        car_sentences: list[int] = []
        if sentences:
            for mention in mentions:  # both in text order: one merge walk
                while index < last and starts[index + 1] <= mention.start:
                    index += 1
                by_sentence[index].append(mention)
                if mention.kind == PERSON:
                    if first_person[index] is None:
                        first_person[index] = mention.value
                    doc.person_sentences.setdefault(mention.value, set()).add(index)
                elif mention.kind == CAR and (not car_sentences or car_sentences[-1] != index):
                    car_sentences.append(index)
        doc.memo[("local range",)] = local_range
        doc.memo[("phrases",)] = local_hits  # (read_layer's SENTENCE layer, for crews.py)
        # "Rahal Letterman Lanigan Racing in 2025" holds no "racing in": a trigger never starts
        # inside a name.
        names = [(m.start, m.end) for m in mentions if m.kind in (TEAM, PERSON)]
        if names:
            name_starts = [n[0] for n in names]
            doc.triggers = [t for t in doc.triggers if not _inside(names, name_starts, t[0])]
            # ("Intact GP" keeps nothing intact: a cue's words inside a name some list knows
            # are the name's; a run read as a name may have taken in a word before it)
            known = [(m.start, m.end) for m in mentions if (m.kind == TEAM and m.candidates) or (
                m.kind == PERSON and m.known) or m.kind == SERIES]
            known_starts = [n[0] for n in known]
            for cue_class, spans in cues.items():
                if any(_within(known, known_starts, span) for span in spans):
                    cues[cue_class] = [span for span in spans
                                       if not _within(known, known_starts, span)]
        doc.trigger_starts = [t[0] for t in doc.triggers]
        doc.first_person = first_person
        doc.car_sentences = car_sentences
        self._mark_non_drivers(doc)
        return doc


def _drop_months(text: str, cues: dict[str, list[tuple[int, int]]]) -> None:
    """"was announced in May": the month, not the hedge "may" (folded text has no capitals)."""
    rumours = cues.get("rumour")
    if rumours:
        cues["rumour"] = [(start, end) for start, end in rumours
                          if not (text[start:end] == "May" and start > 0 and
                                  text[start - 1] not in "\n\"'‘“")]


# The layers of the engine's Phrasebook: phrases read in the whole article, in its title only,
# and in the sentences with a trigger only.
WHOLE, TITLE, SENTENCE = 0, 1, 2


def read_layer(phrases: Phrasebook, hits: list[tuple[int, int, Layers]], folded: str,
               start: int, end: int, layer: int, *sinks: object) -> None:
    """Read the phrases of one layer in folded[start:end] into `sinks` (as _scan takes them).

    `hits` are the whole article's (or those of them with phrases in `layer`): when the
    span's edges are word breaks, the phrases wholly inside it are exactly those a walk over
    the span alone would find, in the same order, and no second walk is needed."""
    if (start == 0 or folded[start - 1] == " ") and (end == len(folded) or folded[end] == " "):
        found = [hit for hit in hits if start <= hit[0] and hit[1] <= end and hit[2][layer]]
    else:
        found = phrases.spans(folded[start:end], start)
    _scan(found, layer, *sinks)  # type: ignore[arg-type]


def _scan(hits: list[tuple[int, int, Layers]], layer: int,
          triggers: list[tuple[int, int, Sequence[Pattern]]],
          cues: dict[str, list[tuple[int, int]]], roles: list[tuple[int, int, str]],
          car_words: list[tuple[int, int]], object_kind: dict[int, tuple[int, MoveKind]],
          entity_hits: list[tuple[int, int, str, object]],
          others: tuple[list[tuple[int, int, Layers]], ...] | None = None) -> None:
    """The payloads of one layer of `hits`, sorted into what the reading steps use; with
    `others` (a list per layer after `layer`), the hits with phrases in those layers too."""
    title_hits, local_hits = others if others is not None else ([], [])
    for hit in hits:  # (one walk sorts both the payloads and the hits of the other layers)
        start, end, layers = hit
        if others is not None:
            if layers[TITLE]:
                title_hits.append(hit)
            if layers[SENTENCE]:
                local_hits.append(hit)
        for kind, payload in layers[layer]:  # the commonest kinds first
            if kind in _ENTITY_KINDS:
                entity_hits.append((start, end, kind, payload))
            elif kind == "cue":
                # (get before setdefault: no empty list built for a cue class already seen)
                cue_spans = cues.get(payload)  # type: ignore[call-overload]
                if cue_spans is None:
                    cues[payload] = [(start, end)]  # type: ignore[index]
                else:
                    cue_spans.append((start, end))
            elif kind == "trigger":
                triggers.append((start, end, payload))  # type: ignore[arg-type]
            elif kind == "car_word":
                car_words.append((start, end))
            elif kind == "role":
                roles.append((start, end, payload))  # type: ignore[arg-type]
            elif start not in object_kind or object_kind[start][0] < end:
                object_kind[start] = (end, payload)  # type: ignore[assignment]
