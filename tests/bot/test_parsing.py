import pytest

from bot.commands.parsing import UsageError, parse_line, parse_text
from bot.commands.specs import SPECS


@pytest.mark.parametrize(
    ("line", "name", "options"),
    [
        ("/lineup 31", "lineup", {"car": "31"}),
        ("lineup 31 IMSA 2024", "lineup", {"car": "31", "series": "IMSA", "season": 2024}),
        ("/lineup 31 2024", "lineup", {"car": "31", "season": 2024}),
        ("/driver nyck de vries", "driver", {"name": "nyck de vries"}),
        ("/follow team Cadillac", "follow", {"target": "team", "value": "Cadillac"}),
        ("/follow driver Nyck de Vries dm", "follow",
         {"target": "driver", "value": "Nyck de Vries", "via": "dm"}),
        ("/follow TEAM 'Action Express Racing' mention", "follow",
         {"target": "team", "value": "Action Express Racing", "via": "mention"}),
        ("/feed add https://x.example/rss IMSA 15", "feed add",
         {"url": "https://x.example/rss", "series": "IMSA", "every": 15}),
        ("/feed list", "feed list", {}),
        ("/alerts channel <#C123|news>", "alerts channel", {"channel": "C123"}),
        ("/news", "news", {}),
        ("/lineup team:Penske 2024", "lineup", {"team": "Penske", "season": 2024}),
        ('/lineup team:"Team Penske" IMSA 2023', "lineup",
         {"team": "Team Penske", "series": "IMSA", "season": 2023}),
        ("/lineup set 31 IMSA 2024 Pipo Derani, Jack Aitken", "lineup-set",
         {"car": "31", "series": "IMSA", "season": 2024, "drivers": "Pipo Derani, Jack Aitken"}),
        ("/lineup history 31", "lineup-history", {"car": "31"}),
        ("/lineup-remove 31 IMSA 2024 Tom Blomqvist", "lineup-remove",
         {"car": "31", "series": "IMSA", "season": 2024, "driver": "Tom Blomqvist"}),
        ("/changes IMSA 7d", "changes", {"series": "IMSA", "since": "7d"}),
        ("/team Team Penske", "team", {"name": "Team Penske"}),
    ],
)
def test_typed_lines_bind_to_the_spec_options(line, name, options):
    parsed = parse_line(line)
    assert parsed.spec.name == name
    assert parsed.options == options


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("/pitstop", "Unknown command /pitstop"),
        ("/lineup-set 31 IMSA", "Missing season, drivers"),
        ("/news ten", "count must be a whole number"),
        ("/news 99", "between 1 and 10"),
        ("/follow boat Cadillac", "target must be one of team, driver, car, series"),
        ("/feed", "/feed needs one of: add, list, pause, presets, remove, resume"),
        ("/feed explode 3", "Unknown /feed action 'explode'"),
        ("/lineup 31 IMSA 2024 extra", "Too many words"),
        ("", "Type a command"),
    ],
)
def test_bad_input_is_a_short_usage_error(line, message):
    with pytest.raises(UsageError) as caught:
        parse_line(line)
    assert message in str(caught.value)


def test_slack_style_command_and_text():
    parsed = parse_text("/feed", "pause 3")
    assert parsed.spec.name == "feed pause"
    assert parsed.options == {"feed": 3}


def test_unbalanced_quote_still_parses_as_words():
    assert parse_line('/driver "de vries').options == {"name": '"de vries'}


def test_every_spec_has_usage_and_unique_name():
    names = [spec.name for spec in SPECS]
    assert len(names) == len(set(names))
    for spec in SPECS:
        assert spec.usage.startswith(f"/{spec.name}")
        assert spec.description


def test_a_platforms_own_values_are_checked_and_typed_once():
    from bot.commands.parsing import check_options
    from bot.commands.specs import SPECS_BY_NAME

    spec = SPECS_BY_NAME["lineup"]
    # Discord's integers stay integers; text becomes one where the option is an integer
    assert check_options(spec, {"car": "31", "season": 2024}) == {"car": "31", "season": 2024}
    assert check_options(spec, {"season": "2024", "series": ""}) == {"season": 2024}
    with pytest.raises(UsageError, match="between 1950 and 2100"):
        check_options(spec, {"season": 1066})
    with pytest.raises(UsageError, match="Unknown option 'colour'"):
        check_options(spec, {"car": "31", "colour": "red"})
    # a typed line's options are typed the same way
    assert parse_line("/lineup 31 2024").options == check_options(spec, {"car": "31",
                                                                          "season": 2024})
