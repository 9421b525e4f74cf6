"""bot/stories.py: (story as recorded, move) -> what to write. No database."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.models import Extraction, Move, MoveKind, Status
from bot.rules import summarize
from bot.stories import StoryChange, StoryState, decide_stories, decide_story, told_moves

AXR = "Action Express Racing"
AITKEN = Move(driver="Jack Aitken", kind=MoveKind.JOIN, team=AXR, series="IMSA", season=2024)
RUMOUR = replace(AITKEN, status=Status.RUMOUR)


def story(move: Move, revision: int = 1, *, told: bool = False) -> StoryState:
    return StoryState(move=move, revision=revision, told_by_article=told)


CASES = [
    # (why, the story as recorded, the move, what it comes to, revision, the story's move)
    ("a new move is a new story", None, AITKEN,
     StoryChange.NEW, 1, AITKEN),
    ("another source of the same move is not news", story(AITKEN), AITKEN,
     StoryChange.SOURCE, 1, AITKEN),
    ("a rumour confirmed is the next revision, keeping what only the rumour knew",
     story(replace(RUMOUR, car="31")), replace(AITKEN, role="full-time"),
     StoryChange.CONFIRMED, 2, replace(AITKEN, car="31", role="full-time")),
    ("a confirmation after two revisions is the third", story(RUMOUR, 2), AITKEN,
     StoryChange.CONFIRMED, 3, AITKEN),
    ("details the story lacked fill in quietly", story(AITKEN),
     replace(AITKEN, car="10", role="full-time", teammates=("Pipo Derani",)),
     StoryChange.DETAILS, 1,
     replace(AITKEN, car="10", role="full-time", teammates=("Pipo Derani",))),
    ("a rumour fills in a rumour's details", story(RUMOUR), replace(RUMOUR, car="7"),
     StoryChange.DETAILS, 1, replace(RUMOUR, car="7")),
    ("the story's own details stand", story(replace(AITKEN, car="31")),
     replace(AITKEN, car="32"), StoryChange.SOURCE, 1, replace(AITKEN, car="31")),
    ("a rumour of a confirmed story changes nothing but the sources", story(AITKEN),
     replace(RUMOUR, car="7"), StoryChange.SOURCE, 1, AITKEN),
    ("a confirmation of a confirmed story fills details only", story(AITKEN),
     replace(AITKEN, car="31"), StoryChange.DETAILS, 1, replace(AITKEN, car="31")),
    ("an article that told the story before changes nothing",
     story(RUMOUR, told=True), replace(AITKEN, car="31"), StoryChange.REPEAT, 1, RUMOUR),
]


@pytest.mark.parametrize(("why", "state", "move", "change", "revision", "after"), CASES,
                         ids=[case[0] for case in CASES])
def test_what_a_move_does_to_its_story(why: str, state: StoryState | None, move: Move,
                                       change: StoryChange, revision: int, after: Move
                                       ) -> None:
    intent = decide_story(state, move, "the headline")
    assert (intent.change, intent.revision, intent.move) == (change, revision, after)
    assert intent.key == move.story_key()
    assert intent.news is (change in (StoryChange.NEW, StoryChange.CONFIRMED))
    assert intent.adds_source is (change is not StoryChange.REPEAT)
    # only news gets a new headline; the rest keep the one the story has
    assert intent.summary == ("the headline" if intent.news else None)


def test_a_move_told_twice_in_one_article_is_told_once() -> None:
    retold = replace(AITKEN, driver="jack aitken", car="31")
    intents = decide_stories({}, [(AITKEN, "one"), (retold, "two")])
    assert [i.change for i in intents] == [StoryChange.NEW, StoryChange.REPEAT]
    assert intents[1].move == AITKEN  # the retelling added nothing, not even the car


def test_a_rumour_and_its_confirmation_in_one_article() -> None:
    intents = decide_stories({}, [(RUMOUR, "rumour"), (AITKEN, "confirmed")])
    # the article is a source once: its second telling is not a second alert
    assert [i.change for i in intents] == [StoryChange.NEW, StoryChange.REPEAT]


def test_stories_already_recorded_are_decided_from_their_state() -> None:
    other = Move(driver="Pipo Derani", kind=MoveKind.EXTEND, team=AXR, season=2025)
    known = {RUMOUR.story_key(): story(RUMOUR, 1)}
    intents = decide_stories(known, [(other, "derani"), (AITKEN, "aitken")])
    assert [(i.change, i.revision) for i in intents] == [
        (StoryChange.NEW, 1), (StoryChange.CONFIRMED, 2)]


def test_a_move_without_a_summary_gets_the_rules_engines_line() -> None:
    extraction = Extraction(moves=(AITKEN, RUMOUR), summaries=("Aitken to AXR",))
    assert told_moves(extraction) == [(AITKEN, "Aitken to AXR"), (RUMOUR, summarize(RUMOUR))]
