"""Whole conversations, one line each: an article is read, a fan or a moderator asks."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.fakes.chat import ChatBot

BLOMQVIST = (
    "Tom Blomqvist will join Cadillac as endurance driver for No. 31 Whelen Action Express",
    "Next season Tom Blomqvist joins Cadillac Racing as an endurance driver, teamed with "
    "Pipo Derani and Jack Aitken in the No. 31 Whelen Action Express Racing Cadillac "
    "V-Series.R from the Rolex 24 at Daytona.",
)
OCTOBER_2023 = datetime(2023, 10, 19, 14, 5, tzinfo=UTC)


@pytest.fixture
def blomqvist(bot: ChatBot) -> ChatBot:
    bot.read(*BLOMQVIST, series="IMSA", published=OCTOBER_2023)
    return bot


def test_an_article_makes_news_and_a_lineup(bot: ChatBot) -> None:
    [headline] = bot.read(*BLOMQVIST, series="IMSA", published=OCTOBER_2023)
    assert "Tom Blomqvist → Action Express Racing #31" in headline
    assert "Derani" in bot.say("/lineup 31")


def test_lineup_by_car_team_and_driver(blomqvist: ChatBot) -> None:
    assert "Pipo Derani" in blomqvist.say("/lineup 31 IMSA 2024")
    assert "#31 Jack Aitken" in blomqvist.say("/team Whelen Action Express")
    assert "Action Express Racing" in blomqvist.say("/driver blomqvst")
    assert "No lineup known yet for car #31 in F1" in blomqvist.say("/lineup 31 F1")


def test_only_moderators_correct_a_lineup(blomqvist: ChatBot) -> None:
    assert "moderators only" in blomqvist.say("/lineup set 31 IMSA 2024 Pipo Derani")
    assert "set by marshal" in blomqvist.say("/lineup set 31 IMSA 2024 Pipo Derani",
                                             moderator=True)
    assert "Jack Aitken" not in blomqvist.say("/lineup 31 IMSA 2024")
    assert "set Pipo Derani" in blomqvist.say("/lineup history 31")


def test_a_fan_follows_and_asks_for_help(bot: ChatBot) -> None:
    assert "Following team Action Express Racing" in bot.say("/follow team Whelen Action Express")
    assert "team: Action Express Racing" in bot.say("/following")
    assert "/feed add" not in bot.say("/help")
    assert "Unknown command /pitstop" in bot.say("/pitstop")


def test_driver_and_news_mark_a_denied_story(bot: ChatBot) -> None:
    """A move a later article denies is shown as denied wherever it is named; a move no
    one denied is not."""
    september, october = (datetime(2024, month, 2, 9, tzinfo=UTC) for month in (9, 10))
    assert bot.read("Haas signs Esteban Ocon for 2025", series="F1", published=september)
    assert bot.read("Kimi Antonelli joins Mercedes for 2025", series="F1",
                    published=september)
    before = bot.say("/driver Esteban Ocon")
    assert "Esteban Ocon → Haas" in before and "Denied" not in before
    assert not bot.read("Esteban Ocon has denied that he will join Haas next season.",
                        series="F1", published=october)

    driver = bot.say("/driver Ocon")
    [move] = [line for line in driver.splitlines() if "Esteban Ocon → Haas" in line]
    assert move.endswith("❌ Denied by News Example")
    [seat] = [line for line in driver.splitlines() if "2025 · Haas" in line]
    assert seat.endswith("· denied")
    assert "Denied" not in bot.say("/driver Kimi Antonelli")

    news = bot.say("/news").split("▌")
    [ocon] = [card for card in news if "Esteban Ocon → Haas" in card]
    [antonelli] = [card for card in news if "Antonelli → Mercedes" in card]
    assert "Denied by News Example: Esteban Ocon has denied" in ocon
    assert "❌ Denied" in ocon
    assert "Denied" not in antonelli
