"""The gazetteer's look-ups, the merge of a deployment's own files, and live reload."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

import bot.rules as rules
from bot.models import Article, name_key
from bot.rules import Engine, Gazetteer
from bot.rules.patterns import RulesError, build_rules

FIXTURES = Path(__file__).parent / "fixtures"


def test_packaged_lookups() -> None:
    gaz = rules.gazetteer()
    assert gaz.canonical_series("WeatherTech SportsCar Championship") == "IMSA"
    assert gaz.canonical_series("Formula 1") == "F1"
    assert gaz.canonical_team("Whelen Action Express", series="IMSA") == "Action Express Racing"
    assert {"action express racing", "cadillac", "whelen"} <= gaz.team_keys(
        "Action Express Racing")
    assert "F1" in gaz.series_names()
    assert "Ferrari" in gaz.team_names("F1")
    assert "Lewis Hamilton" in gaz.driver_names()
    assert gaz.canonical_driver("lewis hamilton") == "Lewis Hamilton"
    assert gaz.canonical_team("no such team at all") is None


def test_a_names_team_candidates_come_best_first() -> None:
    # The engine reads a name's best reading from its first candidate and a maker's from its
    # last (names._car_owners, coref._focus_team, resolve._brand_only, resolve._resolve_team).
    from bot.rules.gazetteer import HOW_RANK

    teams = [payload for _, kind, payload in rules.gazetteer().surface_forms() if kind == "team"]
    assert teams
    for candidates in teams:
        ranks = [HOW_RANK[c.how] for c in candidates]  # type: ignore[attr-defined]
        assert ranks == sorted(ranks)


def test_deployment_directory_merges_on_top(tmp_path: Path) -> None:
    (tmp_path / "teams").mkdir()
    (tmp_path / "teams" / "kart.toml").write_text(
        'series = "IMSA"\n[[team]]\nname = "Action Express Racing"\naliases = ["The Whelen Boys"]\n'
        'colour = "#112233"\n', encoding="utf-8")
    gaz = Gazetteer.load([rules.GAZETTEER_DIR, tmp_path])
    assert gaz.canonical_team("the whelen boys") == "Action Express Racing"
    assert gaz.canonical_team("Whelen Action Express") == "Action Express Racing"  # kept
    assert gaz.team_colour("Action Express Racing") == 0x112233


def test_a_broken_file_is_reported_and_skipped(tmp_path: Path) -> None:
    (tmp_path / "broken.toml").write_text("[[driver]\nname = ", encoding="utf-8")
    (tmp_path / "ok.toml").write_text('[[driver]]\nname = "Zed Quill"\n', encoding="utf-8")
    gaz = Gazetteer.load([tmp_path])
    assert gaz.driver_names() == ["Zed Quill"]
    assert len(gaz.errors) == 1 and "broken.toml" in gaz.errors[0]


def test_a_gazetteer_file_added_at_run_time_is_picked_up(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(rules.ENV_DIR, str(tmp_path))
    monkeypatch.setattr(rules, "CHECK_EVERY_SECONDS", 0.0)
    story = Article(entry_id="k", title="Kartwerk Racing Collective signs Zed Quill",
                    series="IMSA")
    (tmp_path / "drivers.toml").write_text('[[driver]]\nname = "Zed Quill"\n', encoding="utf-8")
    rules.reload()
    before = rules.extract(story).moves
    assert all(m.team != "Kartwerk" for m in before)
    (tmp_path / "teams").mkdir()
    (tmp_path / "teams" / "kartwerk.toml").write_text(
        'series = "IMSA"\n[[team]]\nname = "Kartwerk"\naliases = ["Kartwerk Racing Collective"]\n',
        encoding="utf-8")
    future = time.time() + 5  # a coarse file-system clock must still see a change
    os.utime(tmp_path / "teams" / "kartwerk.toml", (future, future))
    after = rules.extract(story).moves  # no reload() call: the mtime check finds the file
    assert [(m.driver, m.team) for m in after] == [("Zed Quill", "Kartwerk")]
    assert rules.gazetteer().canonical_team("kartwerk racing collective") == "Kartwerk"
    monkeypatch.delenv(rules.ENV_DIR)
    rules.reload()


def test_fixture_gazetteer_engine_reads_its_own_names() -> None:
    engine = Engine.from_directories([FIXTURES / "gazetteer"])
    moves = engine.extract(Article(entry_id="f", title="Orbit Racing signs Ana Lindqvist",
                                   summary="Lindqvist will drive the No. 9.")).moves
    assert [(m.driver, m.team, m.car, m.series) for m in moves] == [
        ("Ana Lindqvist", "Orbit Racing", "9", "Test Cup")]
    assert name_key("Orbit") in engine.gazetteer.team_keys("Orbit Racing")


@pytest.mark.parametrize("bad", [
    {"move": [{"kind": "teleport", "patterns": ["{driver} teleports to {team}"]}]},
    {"move": [{"kind": "join", "patterns": ["{driver} joins {team} at {car} now"]}]},
    {"move": [{"kind": "join", "patterns": ["{team} signs {pilot}"]}]},
    {"move": [{"kind": "join", "patterns": ["{team} signs"]}]},
    {},
])
def test_bad_rules_are_refused_with_a_message(bad: dict[str, object]) -> None:
    with pytest.raises(RulesError):
        build_rules(bad)


def test_acronyms_match_only_in_capitals() -> None:
    assert "art" in rules.gazetteer().acronym_keys
    signed = rules.extract(Article(entry_id="a", title="Victor Martins signs with ART for 2025",
                                   series="F2")).moves
    assert [m.team for m in signed] == ["ART Grand Prix"]
    prose = rules.extract(Article(entry_id="b", title="Victor Martins signs with art dealers",
                                  series="F2")).moves
    assert prose == ()


def test_packaged_data_loads_cleanly() -> None:
    gaz = Gazetteer.load([rules.GAZETTEER_DIR])
    assert gaz.errors == []
    assert len(gaz.series_names()) >= 15 and len(gaz.driver_names()) >= 300
    for team in gaz.teams.values():
        assert team.series in gaz.series, (team.name, team.series)


@pytest.mark.parametrize("region", ["Northern Ireland", "New South Wales", "Costa Rica"])
def test_a_country_or_region_of_several_words_is_a_place_not_a_new_driver(region: str) -> None:
    assert region in rules.gazetteer().places
    found = rules.extract(Article(
        entry_id="p", title="M-Sport news", series="WRC",
        summary=f"M-Sport Ford has confirmed the 22-year-old from {region} in its second car "
                "for next season.")).moves
    assert region not in {m.driver for m in found}


def test_a_one_word_country_stays_free_to_be_a_name() -> None:
    assert "Jordan" not in rules.gazetteer().places  # Jordan Taylor, Jordan King


def test_a_teams_bad_successor_is_reported_and_the_team_kept(tmp_path: Path) -> None:
    (tmp_path / "teams.toml").write_text(
        'series = "F1"\n'
        '[[team]]\nname = "Quill Racing"\nsuccessor = 7\nnicknames = "the Quills"\n'
        '[[team]]\nname = "Quill Works"\nsuccessor = "Quill GP"\n', encoding="utf-8")
    gaz = Gazetteer.load([tmp_path])
    assert gaz.canonical_team("Quill Racing") == "Quill Racing"
    assert gaz.canonical_team("the Quills") == "Quill Racing"  # one nickname, not a list
    assert gaz.lineage("Quill Racing") == {"Quill Racing"}
    # (a successor no entry names still joins the lineage; looking it up finds nothing)
    assert gaz.lineage("Quill Works") == {"Quill Works", "Quill GP"}
    assert gaz.team_info("Quill GP") is None
    assert len(gaz.errors) == 1 and "successor must be a team's name" in gaz.errors[0]


@pytest.mark.parametrize(("summary", "team"), [
    ("Kim Larsen will attempt the Indianapolis 500 with Dreyer & Reinbold Racing.",
     "Dreyer & Reinbold Racing"),
    # (a dash inside a name is no break of the clause either)
    ("Kim Larsen will continue with Aruba.it Racing - Ducati for one more season.",
     "Aruba.it Racing - Ducati"),
])
def test_a_team_named_with_spaced_punctuation_is_read_whole(summary: str, team: str) -> None:
    found = rules.extract(Article(entry_id="g", title="Seat news", summary=summary,
                            published=datetime(2024, 3, 1, tzinfo=UTC))).moves
    assert [(m.driver, m.team) for m in found] == [("Kim Larsen", team)]
