"""What a driver or team says about a move: their own report of it ("X has confirmed she will
join Y"), and a denial, which is no move but is kept apart so an alert already sent for the
rumour can be corrected. Sentences in words of their own, none from the corpus."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.models import Article, Extraction, Status
from bot.rules import extract

DATE = datetime(2025, 3, 4, tzinfo=UTC)


def read(title: str, summary: str, series: str = "F1") -> Extraction:
    return extract(Article(entry_id="s", title=title, summary=summary, series=series,
                           published=DATE))


def facts(moves: tuple[object, ...]) -> set[tuple[str, str, str | None]]:
    return {(m.driver, m.kind.value, m.team) for m in moves}  # type: ignore[attr-defined]


@pytest.mark.parametrize("sentence", [
    "Esteban Ocon has confirmed he will join Haas next season.",
    "Esteban Ocon revealed that he is joining Haas for next season.",
    "Esteban Ocon says he will join Haas next season.",
])
def test_a_drivers_own_report_names_the_driver_behind_the_pronoun(sentence: str) -> None:
    found = read("Ocon's next step", sentence)
    assert ("Esteban Ocon", "join", "Haas") in facts(found.moves)
    assert not found.denials


@pytest.mark.parametrize(("title", "sentence", "expected"), [
    ("Ocon shuts down Haas talk", "Esteban Ocon has denied that he will join Haas next season.",
     ("Esteban Ocon", "join", "Haas")),
    ("Haas calm on rumours", "Haas dismissed claims that Esteban Ocon will join the team.",
     ("Esteban Ocon", "join", "Haas")),
    ("Ocon stays calm", "Esteban Ocon ruled out joining Haas next season.",
     ("Esteban Ocon", "join", "Haas")),
])
def test_a_denial_is_no_move_but_is_kept_as_a_denial(
        title: str, sentence: str, expected: tuple[str, str, str]) -> None:
    found = read(title, sentence)
    assert not found.moves
    assert expected in facts(found.denials)
    assert all(m.status is Status.DENIED for m in found.denials)


def test_a_plain_negation_is_neither_a_move_nor_a_denial() -> None:
    found = read("Haas line-up", "Esteban Ocon will not join Haas next season.")
    assert not found.moves and not found.denials



def test_a_verb_form_after_a_determiner_is_a_noun_not_a_move() -> None:
    found = read("Ferrari hires a designer",
                 "Enrico Cardile will join Ferrari from next year. Charles Leclerc said the "
                 "signing showed Ferrari's ambition.")
    assert "Charles Leclerc" not in {m.driver for m in found.moves}


def test_being_close_to_agreeing_a_deal_is_talk_not_a_move() -> None:
    found = extract(Article(entry_id="r", title="Albon weighs his options",
                            summary="Alex Albon is close to agreeing a deal to race for Sauber "
                                    "in 2026, though he says nothing has been decided.",
                            series="F1", published=datetime(2025, 3, 1, tzinfo=UTC))).moves
    assert not [m for m in found if m.status.value == "confirmed"]


@pytest.mark.parametrize("option", [
    "after the team took up its option on his contract",
    "once Haas picked up the option for a third year",
])
def test_an_option_taken_up_is_a_contract_not_a_maybe(option: str) -> None:
    found = extract(Article(entry_id="o", title="Team news", series="F1",
                            published=datetime(2024, 10, 9, tzinfo=UTC),
                            summary=f"Kim Larsen will remain at Haas next season {option}.")).moves
    assert [(m.driver, m.kind.value, m.status.value) for m in found] == [
        ("Kim Larsen", "extend", "confirmed")]
