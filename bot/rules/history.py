"""Whether a move is told as history: dated long before the news, or told in the simple past
after the news with a time long gone ("last year", "in January 2024"). Such a move is the
driver's background, not news, and its confidence is cut below the floor."""

from __future__ import annotations

import re

from bot.models import MoveKind
from bot.rules.document import _YEAR_WORD, WORDS, RawMove, _Doc, _is_past_tense, _is_verb

_DETERMINERS = frozenset({"a", "an", "the", "his", "her", "their", "its"})
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")
_MONTH_YEAR = re.compile(r"\b(" + "|".join(_MONTHS) + r") (\d{4})\b")


def _dated_before(doc: _Doc, start: int, end: int) -> bool:
    """The span writes a year before the news's, or a month of its year already past ("signed
    an extension in January 2024", told in June)."""
    assert doc.published is not None
    if any(int(year) < doc.published.year for year in _YEAR_WORD.findall(doc.text, start, end)):
        return True
    return any((int(year), _MONTHS.index(month) + 1) < (doc.published.year,
                                                         doc.published.month)
               for month, year in _MONTH_YEAR.findall(doc.folded, start, end))


def _in_relative_clause(doc: _Doc, item: RawMove) -> bool:
    """"..., who also moved to BMW in 2021": the move's verb follows "who" in its clause."""
    clause = doc.folded[max(doc.sentences[item.sentence][0], item.trigger[0] - 40):
                        item.trigger[0]].split(",")[-1].split()
    return "who" in clause


def _participle_clause(doc: _Doc, item: RawMove) -> list[str] | None:
    """"Mercedes had bought the team, bringing in Schumacher": the words of the clause before
    the comma a participle trigger follows, whose tense it has (None for other triggers)."""
    first = doc.folded[item.trigger[0]:item.trigger[1]].split()[0]
    if not first.endswith("ing") or doc.text[max(0, item.trigger[0] - 2):item.trigger[0]].strip(
            ) != ",":
        return None
    s_start = doc.sentences[item.sentence][0]
    comma = doc.text.rfind(",", s_start, item.trigger[0])
    return doc.folded[max(s_start, doc.text.rfind(",", s_start, comma) + 1):comma].split()


def told_in_pluperfect(doc: _Doc, item: RawMove) -> bool:
    """"... had bought the team, bringing in A and B": what had happened before the story."""
    clause = _participle_clause(doc, item)
    return clause is not None and "had" in clause


def told_in_past(doc: _Doc, item: RawMove) -> bool:
    """The move's verb is in the simple past ("joined", "signed"; "handed his seat to")."""
    clause = _participle_clause(doc, item)
    if clause is not None:
        return "had" in clause or (not {"has", "have", "will", "is", "are"} & set(clause) and any(
            _is_past_tense(word) for word in clause))
    words = doc.folded[item.trigger[0]:item.trigger[1]].split()
    verb = None if words[0] in _DETERMINERS else next(
        (word for word in words if word not in ("seat", "seats", "ride", "drive", "debut")
         and _is_verb(word)), None)
    if verb is not None:
        return _is_past_tense(verb)
    # "signed a contract extension", "handed his seat to": the verb before the noun
    before = doc.folded[max(0, item.trigger[0] - 40):item.trigger[0]].split()[-4:]
    return any(_is_past_tense(word) for word in before)


# "Alonso joined the Silverstone squad from Alpine at the start of last year"
_PAST_TIME = re.compile(r"\b(?:" + "|".join(map(re.escape, WORDS["past_times"])) + r")\b")


def history_discount(doc: _Doc, items: list[RawMove], season: int | None) -> float:
    """0.4 for a move told as history, 1.0 for news."""
    if season is not None and doc.published is not None and \
            season < doc.published.year - 2:
        # "signed for McLaren in 2007": career history restated (a move of the season
        # before last is still recent news told again, and labelled as such)
        return 0.4
    if doc.published is None:
        return 1.0
    if all(told_in_pluperfect(doc, i) for i in items):
        return 0.4
    if all(told_in_past(doc, i) and any(
            int(year) < doc.published.year - 2 for year in _YEAR_WORD.findall(
                doc.text, *doc.sentences[i.sentence])) for i in items):
        # "In 2007 Hamilton joined McLaren": told in the past, in a sentence dated long
        # before the news
        return 0.4
    if all(told_in_past(doc, i) and i.sentence >= 2 and (
            _PAST_TIME.search(doc.folded, *doc.sentences[i.sentence]) or (
                not _in_relative_clause(doc, i) and _dated_before(
                    doc, *doc.sentences[i.sentence])))
           for i in items):
        # "Alonso joined the squad from Alpine last year", "He joined Alpine in 2023",
        # told after the news: the driver's background. (A relative clause's "who
        # moved to BMW in 2021" is recent news restated, and counted.)
        return 0.4
    if items[0].kind is MoveKind.EXTEND and 3 <= doc.published.month <= 9 and all(
            "continue" in doc.folded[slice(*doc.sentences[i.sentence])] and any(
                i.trigger[1] <= c_start < doc.sentences[i.sentence][1] and
                not doc.folded[c_start:c_end].endswith(" s") and
                not doc.folded.startswith(" s ", c_end)
                for c_start, c_end in doc.cues.get("this_season", ()))
            for i in items):
        # "said A and B would continue to race for it this season", mid-season: the seats
        # they have, not a new deal
        return 0.4
    return 1.0
