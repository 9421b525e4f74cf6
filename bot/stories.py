"""What a move does to a story: plain data in, intents out, no I/O.

In the manner of lemon24/reader's update Decider: storage reads the stories an article's
moves name (`StoryState`), hands them here with the moves, and writes the `StoryIntent`s
that come back, deciding nothing itself. tests/bot/test_stories.py pins the rules down:

- One story per `Move.story_key()`: a new key makes a story at revision 1.
- The same key from another article adds that article as a source. The revision goes up
  (an alert goes out again) only when a rumour is confirmed; the story then takes the
  confirmed move, keeping the details the confirmation left out.
- Details the story lacked (car, role, series, from-team, replaces, teammates) are filled
  in quietly, without a new revision: "now we know the car number" is not worth a second
  alert.
- A rumour of a story already confirmed changes nothing but the source list.
- An article that told a story before (in an earlier recording or earlier in this one)
  changes nothing, not even details.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from bot.models import Extraction, Move, Status
from bot.rules import summarize


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryState:
    """A story as recorded, as far as the decision needs it."""

    move: Move
    revision: int
    told_by_article: bool = False  # the article being recorded is already a source of it


class StoryChange(StrEnum):
    NEW = "new"  # a story at revision 1, with the article as its source
    SOURCE = "source"  # the article becomes another source; the story stays as it is
    DETAILS = "details"  # another source, and details the story lacked, quietly
    CONFIRMED = "confirmed"  # a rumour confirmed: the next revision, worth an alert again
    REPEAT = "repeat"  # the article told this story before: nothing to write


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryIntent:
    """What to write for one move: the story as it should stand afterwards."""

    key: str  # Move.story_key(): which story
    change: StoryChange
    move: Move  # the story's move after the change
    revision: int
    summary: str | None = None  # NEW and CONFIRMED: the story's new headline

    @property
    def news(self) -> bool:
        """Worth an alert: a new story, or a rumour now confirmed."""
        return self.change in (StoryChange.NEW, StoryChange.CONFIRMED)

    @property
    def adds_source(self) -> bool:
        return self.change is not StoryChange.REPEAT

    @property
    def writes_story(self) -> bool:
        """The story row itself changes (beyond its list of sources)."""
        return self.change in (StoryChange.NEW, StoryChange.DETAILS, StoryChange.CONFIRMED)


def fill_details(move: Move, other: Move) -> Move:
    """`move`, with the details only `other` knows."""
    return replace(
        move,
        car=move.car or other.car,
        role=move.role or other.role,
        series=move.series or other.series,
        from_team=move.from_team or other.from_team,
        replaces=move.replaces or other.replaces,
        teammates=move.teammates or other.teammates,
    )


def decide_story(state: StoryState | None, move: Move, summary: str) -> StoryIntent:
    """What `move`, with its one-line `summary`, does to the story it belongs to."""
    key = move.story_key()
    if state is None:
        return StoryIntent(key=key, change=StoryChange.NEW, move=move, revision=1,
                           summary=summary)
    current = state.move
    unchanged = StoryIntent(key=key, change=StoryChange.SOURCE, move=current,
                            revision=state.revision)
    if state.told_by_article:
        return replace(unchanged, change=StoryChange.REPEAT)
    if current.status is Status.RUMOUR and move.status is Status.CONFIRMED:
        return StoryIntent(key=key, change=StoryChange.CONFIRMED,
                           move=fill_details(move, current), revision=state.revision + 1,
                           summary=summary)
    if move.status is current.status:
        enriched = fill_details(current, move)
        if enriched != current:
            return replace(unchanged, change=StoryChange.DETAILS, move=enriched)
    return unchanged  # a rumour of a confirmed story, or nothing new


def decide_stories(known: Mapping[str, StoryState], moves: Sequence[tuple[Move, str]]
                   ) -> list[StoryIntent]:
    """One intent per (move, summary), in order: a later move of the same article sees the
    story as the earlier ones left it (and that the article now tells it)."""
    states = dict(known)
    intents = []
    for move, summary in moves:
        intent = decide_story(states.get(move.story_key()), move, summary)
        states[intent.key] = StoryState(move=intent.move, revision=intent.revision,
                                        told_by_article=True)
        intents.append(intent)
    return intents


def told_moves(extraction: Extraction) -> list[tuple[Move, str]]:
    """The extraction's moves with their summaries; a move the rules engine gave no summary
    gets the one `bot.rules.summarize` writes."""
    return [(move, extraction.summaries[position]
             if position < len(extraction.summaries) and extraction.summaries[position]
             else summarize(move))
            for position, move in enumerate(extraction.moves)]
