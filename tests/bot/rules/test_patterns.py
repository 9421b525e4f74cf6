"""rules.toml as a moderator writes it: alternatives, slots, and a new phrase taking effect."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.models import Article, MoveKind
from bot.rules import RULES_PATH, Engine, RulesError, gazetteer
from bot.rules.patterns import build_rules, compile_pattern, expand


def test_alternatives_multiply_out() -> None:
    assert expand("{driver} (will join|joins) {team}") == ["{driver} will join {team}",
                                                          "{driver} joins {team}"]
    assert expand("(a|b) x (c|d)") == ["a x c", "a x d", "b x c", "b x d"]


def test_slots_before_the_words_are_looked_for_on_the_left() -> None:
    [(key, pattern)] = compile_pattern(MoveKind.JOIN, "{team} {driver} a new deal",
                                       title_only=False, confidence=0.9)
    assert key == "a new deal"
    assert pattern.left == ("driver", "team") and pattern.right == ()


def test_a_phrase_added_to_the_rules_is_read() -> None:
    with RULES_PATH.open("rb") as fh:
        data = tomllib.load(fh)
    story = Article(entry_id="p", title="Lewis Hamilton pens Ferrari pact", series="F1")
    before = Engine(gazetteer(), build_rules(data)).extract(story).moves
    assert before == ()
    data["move"].append({"kind": "join", "patterns": ["{driver} pens {team}"]})
    after = Engine(gazetteer(), build_rules(data)).extract(story).moves
    assert [(m.driver, m.kind, m.team) for m in after] == [
        ("Lewis Hamilton", MoveKind.JOIN, "Ferrari")]


def test_a_group_s_follow_words_must_come_after_its_slots() -> None:
    with RULES_PATH.open("rb") as fh:
        data = tomllib.load(fh)
    data["move"].append({"kind": "extend", "follow": ["pact"],
                         "patterns": ["{driver} (prolongs) {team}"]})
    engine = Engine(gazetteer(), build_rules(data))
    kept = engine.extract(Article(entry_id="p", title="Lewis Hamilton prolongs Mercedes pact",
                                  series="F1")).moves
    assert [(m.driver, m.kind, m.team) for m in kept] == [
        ("Lewis Hamilton", MoveKind.EXTEND, "Mercedes")]
    other = engine.extract(Article(entry_id="p", title="Lewis Hamilton prolongs Mercedes streak",
                                   series="F1")).moves
    assert other == ()


def test_a_group_of_mates_places_its_drivers_in_the_line_up_unless_the_title_names_them(
        ) -> None:
    with RULES_PATH.open("rb") as fh:
        data = tomllib.load(fh)
    data["move"].append({"kind": "join", "mates": True,
                         "patterns": ["(shoulder to shoulder with) {driver}"]})
    engine = Engine(gazetteer(), build_rules(data))
    summary = "Lewis Hamilton joins Ferrari, shoulder to shoulder with Charles Leclerc."
    quiet = engine.extract(Article(entry_id="p", title="Ferrari news", summary=summary,
                                   series="F1"))
    assert "Charles Leclerc" not in {m.driver for m in quiet.moves}
    assert "Charles Leclerc" in {seat.driver for seat in quiet.lineup}
    named = engine.extract(Article(entry_id="p", title="Hamilton and Leclerc: Ferrari's pair",
                                   summary=summary, series="F1"))
    assert "Charles Leclerc" in {m.driver for m in named.moves}


def test_a_group_after_a_comma_reads_its_words_only_after_one() -> None:
    with RULES_PATH.open("rb") as fh:
        data = tomllib.load(fh)
    data["move"].append({"kind": "join", "after_comma": True,
                         "patterns": ["{team} enlisting {driver}"]})
    engine = Engine(gazetteer(), build_rules(data))

    def movers(summary: str) -> set[str]:
        return {m.driver for m in engine.extract(Article(entry_id="p", title="Ferrari news",
                                                         summary=summary, series="F1")).moves}

    assert movers("Ferrari has rebuilt its line-up, enlisting Lewis Hamilton.") == {
        "Lewis Hamilton"}
    assert movers("Ferrari has rebuilt its line-up enlisting Lewis Hamilton.") == set()


@pytest.mark.parametrize(("subject", "mover"), [(True, "Antonio Giovinazzi"),
                                                 (False, "Charles Leclerc")])
def test_a_group_of_the_clause_s_subject_gives_the_move_to_the_subject(subject: bool,
                                                                      mover: str) -> None:
    with RULES_PATH.open("rb") as fh:
        data = tomllib.load(fh)
    data["move"].append({"kind": "replace", "subject": subject,
                         "patterns": ["{driver} as cover for {replaced}"]})
    engine = Engine(gazetteer(), build_rules(data))
    found = engine.extract(Article(
        entry_id="p", title="Ferrari news", series="F1",
        summary="Antonio Giovinazzi will race the car at Monza alongside Charles Leclerc as "
                "cover for Carlos Sainz.")).moves
    assert [m.driver for m in found if m.replaces == "Carlos Sainz"] == [mover]


def test_a_verb_added_by_its_lemma_is_read_in_every_tense() -> None:
    with RULES_PATH.open("rb") as fh:
        data = tomllib.load(fh)
    data["move"].append({"kind": "join", "patterns": ["{driver} <enlist> with {team}"]})
    engine = Engine(gazetteer(), build_rules(data))
    for written in ("enlists", "has enlisted", "will enlist", "is enlisting"):
        story = Article(entry_id="p", title=f"Lewis Hamilton {written} with Ferrari",
                        series="F1")
        assert [(m.driver, m.kind) for m in engine.extract(story).moves] == [
            ("Lewis Hamilton", MoveKind.JOIN)], written


def test_a_cue_added_to_the_rules_takes_effect() -> None:
    with RULES_PATH.open("rb") as fh:
        data = tomllib.load(fh)
    story = Article(entry_id="p", title="Lewis Hamilton joins Ferrari, the grapevine has it",
                    series="F1")
    before = Engine(gazetteer(), build_rules(data)).extract(story).moves
    assert [m.status.value for m in before] == ["confirmed"]
    data["cues"]["rumour"].append("the grapevine")
    after = Engine(gazetteer(), build_rules(data)).extract(story).moves
    assert [m.status.value for m in after] == ["rumour"]


@pytest.mark.parametrize("key", ["vetoed_by", "background_when_past"])
def test_a_crew_list_veto_must_name_a_cue_class(key: str) -> None:
    with RULES_PATH.open("rb") as fh:
        data = tomllib.load(fh)
    data["crew_lists"][key].append("no such class")
    with pytest.raises(RulesError, match="no such class"):
        build_rules(data)


def test_which_vetoes_a_past_date_turns_into_background_is_data() -> None:
    with RULES_PATH.open("rb") as fh:
        data = tomllib.load(fh)
    story = Article(entry_id="p", series="WEC", title="Entry list is out", published=datetime(
        2024, 2, 1, tzinfo=UTC), summary="Hertz Team Jota, fourth last year, stays unchanged "
        "with Jenson Button, Phil Hanson and Callum Ilott in the No. 38 Porsche.")
    assert Engine(gazetteer(), build_rules(data)).extract(story).moves
    data["crew_lists"]["background_when_past"].remove("race_position")
    assert not Engine(gazetteer(), build_rules(data)).extract(story).moves


def test_a_group_veto_silences_its_patterns_in_a_sentence_with_the_cue() -> None:
    with RULES_PATH.open("rb") as fh:
        data = tomllib.load(fh)
    story = Article(entry_id="p", series="F1", title="Ferrari news",
                    summary="Lewis Hamilton signs for Ferrari after the grapevine lunch.")
    assert Engine(gazetteer(), build_rules(data)).extract(story).moves
    data["cues"]["gossip"] = ["grapevine"]
    for group in data["move"]:
        group["vetoed_by"] = ["gossip"]
    assert not Engine(gazetteer(), build_rules(data)).extract(story).moves
    group["vetoed_by"] = ["no such class"]
    with pytest.raises(RulesError, match="no such class"):
        build_rules(data)


def test_a_group_licence_lets_its_patterns_read_only_after_the_cue() -> None:
    with RULES_PATH.open("rb") as fh:
        data = tomllib.load(fh)
    data["cues"]["scoop"] = ["exclusive"]
    data["move"].append({"kind": "join", "licensed_by": ["scoop"],
                         "patterns": ["{driver} pens {team}"]})
    engine = Engine(gazetteer(), build_rules(data))

    def read(summary: str) -> list[str]:
        story = Article(entry_id="p", series="F1", title="Ferrari news", summary=summary)
        return [m.driver for m in engine.extract(story).moves]

    assert read("Exclusive: Lewis Hamilton pens Ferrari for next season.") == ["Lewis Hamilton"]
    assert read("Lewis Hamilton pens Ferrari for next season.") == []
    data["move"][-1]["licensed_by"] = ["no such class"]
    with pytest.raises(RulesError, match="licensed_by names no cue class"):
        build_rules(data)


@pytest.mark.parametrize("flag", ["mates", "after_comma", "lineup_only", "subject", "adjacent",
                                  "crew"])
def test_a_groups_yes_or_no_setting_written_as_text_is_named_as_an_error(flag: str) -> None:
    with RULES_PATH.open("rb") as fh:
        data = tomllib.load(fh)
    data["move"].append({"kind": "join", flag: "false", "patterns": ["{driver} pens {team}"]})
    with pytest.raises(RulesError, match=f"{flag} must be true or false"):
        build_rules(data)


def test_an_adjacent_flag_written_as_text_is_named_as_an_error() -> None:
    with pytest.raises(RulesError, match="adjacent"):
        build_rules({"move": [{"kind": "leave", "adjacent": "yes",
                               "patterns": ["{driver} (switches from) {team}"]}]})


def test_no_module_of_the_rules_engine_is_over_600_lines() -> None:
    # The issue that split bot/rules/engine.py set the limit: a reading step that outgrows it
    # is two steps.
    folder = Path(__file__).resolve().parents[3] / "bot" / "rules"
    sizes = {path.name: len(path.read_text(encoding="utf-8").splitlines())
             for path in folder.glob("*.py")}
    assert {name: size for name, size in sizes.items() if size > 600} == {}


def test_a_rules_file_without_the_season_months_falls_back_to_the_defaults() -> None:
    # A moderator's own rules.toml written before these settings existed still reads dated
    # news: the engine knows when a season turns without being told.
    with RULES_PATH.open("rb") as fh:
        data = tomllib.load(fh)
    del data["settings"]["next_season_month"], data["settings"]["next_season_month_stay"]
    engine = Engine(gazetteer(), build_rules(data))
    found = engine.extract(Article(
        entry_id="p", title="Tickford keeps Waters", series="Supercars",
        summary="Cameron Waters has re-signed with Tickford Racing.",
        published=datetime(2024, 7, 2, tzinfo=UTC))).moves
    assert [(m.driver, m.season) for m in found] == [("Cameron Waters", 2025)]
