"""Whether a move is told as history: dated long before the news, or told in the simple past
after the news with a time long gone ("last year", "in January 2024"). Such a move is the
driver's background, not news, and its confidence is cut below the floor."""

from __future__ import annotations

import re

from bot.models import MoveKind
from bot.rules.document import (
    _FUTURE_MARKERS,
    _NOUN_USE,
    _YEAR_WORD,
    WORDS,
    RawMove,
    _Doc,
    _is_past_tense,
    _is_verb,
)

_DETERMINERS = frozenset({*WORDS["determiners"], "his", "her"})
_RELATIVE_ASIDE = re.compile(r", (?:who|which) ")
_RECENTLY = frozenset({"days", "hours", "shortly", "just", "moments", "minutes", "immediately"})
_SPANS_OF_TIME = frozenset(WORDS["spans_of_time"])
# "weeks after Haas chose him": a distance before "after" makes its clause the story before
_DISTANCES = _SPANS_OF_TIME | {"weeks"}
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


_MODALS = WORDS["modals"]


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
        # ("was told he would not be retained": a modal looks ahead from the past, it tells
        # no past move)
        return verb not in _MODALS and _is_past_tense(verb)
    # "signed a contract extension", "handed his seat to": the verb before the noun
    before = doc.folded[max(0, item.trigger[0] - 40):item.trigger[0]].split()[-4:]
    return any(_is_past_tense(word) for word in before)


# "Alonso joined the Silverstone squad from Alpine at the start of last year"
_PAST_TIMES = "|".join(map(re.escape, WORDS["past_times"]))  # (an alternation, for patterns)
_PAST_TIME = re.compile(r"\b(?:" + _PAST_TIMES + r")\b")


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


# "regrets about walking away from Red Bull to join Renault": a move talked of as a thing
_TALKED_OF = re.compile(r"\b(?:" + "|".join(WORDS["talked_of"]) + r") [a-z]+ing\b")
_HABIT = re.compile(r"\b(?:many|several|numerous|countless) times\b|\bsince (?:19|20)\d\d\b")
# "returns to the cockpit after missing two rounds with a broken wrist"
_SETBACKS = "|".join(map(re.escape, sorted(WORDS["setbacks"], key=len, reverse=True)))
_AFTER_SETBACK = re.compile(r"\bafter (?:[\w'’\-]+ ){0,5}?(?:" + _SETBACKS +
                            r")(?![\w\-]| out\b)")
_LONG_AGO = re.compile(r"\b(?:years|seasons|decades|a decade) (?:ago|after|on)\b")
# Every _LONG_AGO match holds "s ago", "s after" or "s on" ("years ago") or "a decade ": a text
# with neither has no match in any of its spans, so one quick look per article spares the
# searches per trigger. (The literal start lets the regex engine skip ahead in C.)
_LONG_AGO_WORDS = re.compile(r"s (?:ago|after|on)")
# "joining McLaren was the best decision": the -ing form is a noun, the subject of "was".
_GERUND_SUBJECT = re.compile(r" (?:[\w'’\-]+ ){1,4}(?:was|is|has been|had been|would be|"
                             r"will be|remains) (?:the|a|an|his|her|my|their|one)\b")


def _may_tell_long_ago(doc: _Doc) -> bool:
    found = doc.memo.get(("long ago words",))
    if found is None:
        found = doc.memo[("long ago words",)] = "a decade " in doc.folded or \
            _LONG_AGO_WORDS.search(doc.folded) is not None
    return found  # type: ignore[return-value]


def talked_of_or_long_ago(doc: _Doc, sentence: int, t_start: int, t_end: int,
                          trigger_words: list[str], before_words: list[str]) -> bool:
    """The trigger's move is a habit, a thing talked of, a comeback from a setback, or told of
    a time years ago: no move of now."""
    s_start, s_end = doc.sentences[sentence]
    first_word = trigger_words[0]
    if first_word in ("has", "have") and _HABIT.search(doc.folded, t_end, s_end):
        return True  # "Bradl has stood in for Marquez many times since 2020": a habit
    if first_word.endswith("ing") and before_words[-1:] and before_words[-1] in _NOUN_USE:
        return True  # "changed his mind about retiring": a thing talked of, not done
    if first_word.endswith("ing") and _GERUND_SUBJECT.match(doc.folded, t_end):
        return True  # "said joining McLaren was the best decision": a thing talked of
    if any(word.startswith("return") or word == "back" for word in trigger_words) and \
            _AFTER_SETBACK.search(doc.folded, t_end, s_end):
        return True  # "returns to his Erebus Camaro after a back injury": a comeback
    if first_word not in _FUTURE_MARKERS and _may_tell_long_ago(doc) and (
            ago := _LONG_AGO.search(doc.folded, s_start, t_start)) is not None and \
            not {";", ":"} & set(doc.text[ago.end():t_start]):
        return True  # "Fifteen years ago this week Rossi won ... on his debut for Yamaha"
    window = max(s_start, t_start - 80)
    # (The pattern needs an "-ing" word: a plain find rules most windows out first.)
    if first_word == "to" and doc.folded.find("ing", window, t_start) != -1 and \
            _TALKED_OF.search(doc.folded, window, t_start) and \
            "," not in doc.text[window:t_start]:
        return True  # "no regrets about walking away from Red Bull in 2018 to join Renault"
    # "Twenty years ago this week, Alonso signed for Renault", "Ten years after he left
    # McLaren to join Mercedes": history
    return _may_tell_long_ago(doc) and (_is_past_tense(first_word) or (
        first_word == "to" and any(_is_past_tense(word) for word in before_words[-4:]))) and bool(
        _LONG_AGO.search(doc.folded, s_start, s_end) or
        _LONG_AGO.search(doc.folded, 0, doc.title_end) or
        _LONG_AGO.search(doc.folded, *doc.sentences[max(0, sentence - 1)]))


def restated_background(doc: _Doc, s_start: int, t_start: int, trigger_words: list[str]) -> bool:
    """A background cue ("after", "had already", "since") just before the trigger tells
    what happened before the news, or earlier news restated."""
    for c_start, c_end in doc.cues.get("background", ()):
        if c_start < s_start:
            continue  # "... after Misano. He will be replaced by ...": another sentence's
        if _RECENTLY.intersection(doc.folded[max(0, c_start - 12):c_start].split()[-1:]):
            continue  # "days after it terminated Mazepin's contract": recent news
        gap = doc.folded[c_end:t_start].split()
        if 0 <= t_start - c_end <= 40 and gap[:1] and gap[0].endswith("ing") and \
                len(gap) <= 4 and not {",", ";"} & set(doc.text[c_end:t_start]):
            return True  # "after losing his race seat to Perez": what happened before
        if gap[:1] == ["all"] and doc.folded[c_start:c_end] == "after":
            continue  # "will start the Indy 500 after all, replacing Wilson": an idiom
        if gap[-1:] and gap[-1] in _SPANS_OF_TIME and doc.folded[c_start:c_end] == "after":
            continue  # "is leaving after 15 years to drive for RCR": how long, not when
        if doc.folded[max(0, c_start - 6):c_start].split()[-1:] in (["has"], ["have"]) and (
                doc.folded[c_start:c_end] == "since" or (trigger_words[0] == "to" and
                gap[-1:] and gap[-1] in WORDS["commitment_verbs"])):
            # "who has since agreed a deal with Aprilia": since then, now news; "who has
            # already agreed to join Trackhouse": a move still to come
            continue
        if doc.folded[c_start:c_end] == "after" and gap and not _DISTANCES.intersection(
                doc.folded[max(0, c_start - 8):c_start].split()):
            # "will race for Mugen after Ticktum was dropped": the exit that made the news,
            # not background (but "weeks after Haas chose him" is the story before)
            continue
        if 0 <= t_start - c_end <= 30 and len(gap) <= 2 \
                and not ("," in doc.text[c_end:t_start] and (_RELATIVE_ASIDE.search(
                    doc.text, max(s_start, c_end - 100), c_end) or
                    any(a_start <= c_start < a_end for a_start, a_end in doc.asides))):
            # "had already been confirmed": earlier news restated. ("X, who raced for
            # them before, will take over": the comma closes the aside.)
            return True
    return False
