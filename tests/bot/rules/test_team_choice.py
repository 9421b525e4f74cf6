"""Which team a move goes to when the clause names more than one: a maker and the team that
races its cars, a team and the drivers it is tied to. Each construction in words of its own."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.models import Article, Status
from bot.rules import extract

DATE = datetime(2024, 10, 2, tzinfo=UTC)


def confirmed(title: str, summary: str, series: str | None = None) -> set[tuple[str, str, str]]:
    found = extract(Article(entry_id="t", title=title, summary=summary, series=series,
                            published=DATE)).moves
    return {(m.driver, m.kind.value, m.team or "") for m in found
            if m.status is Status.CONFIRMED}


@pytest.mark.parametrize(("sentence", "series", "team"), [
    ("Enea Bastianini moves on to KTM's stable with Tech3 for next season.", "MotoGP", "Tech3"),
    ("Mitsunori Takaboshi goes back to Nissan's family with Kondo Racing in 2025.", "Super GT",
     "Kondo Racing"),
])
def test_a_makers_stable_goes_to_the_team_named_after_it(sentence: str, series: str,
                                                         team: str) -> None:
    found = confirmed("Line-ups take shape", sentence, series)
    assert {t for _, kind, t in found if kind == "join"} == {team}


@pytest.mark.parametrize("sentence", [
    "Liam Lawson was dropped back to Racing Bulls after two rounds.",
    "Jack Miller, dropped back to Pramac for 2025, said he was fine.",
])
def test_a_driver_dropped_back_to_a_team_joins_it(sentence: str) -> None:
    found = confirmed("Drivers swap seats", sentence)
    assert {kind for _, kind, team in found if team.startswith(("Racing Bulls", "Pramac"))} == \
        {"join"}
