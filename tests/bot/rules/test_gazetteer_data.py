"""The packaged gazetteer data itself: one entry per person, aliases that name one driver only,
and the keys the loader does not read yet (nationality, bases, successor, staff) well formed."""

from __future__ import annotations

import re
import tomllib
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

import bot.rules as rules
from bot.rules.text import fold

DATA = rules.GAZETTEER_DIR

# ISO 3166-1 alpha-2 codes; a driver's nationality must be one of them.
ISO_COUNTRIES = frozenset(re.findall(r"[A-Z]{2}", """
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT
BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH
ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT
HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS
LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI
NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG
SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG
UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW"""))

# Different people who share a name, each listed on purpose.
SHARED_NAMES = {"ian james"}  # the sports-car driver and the Formula E team principal


def key(text: str) -> str:
    return " ".join(fold(text).split())


def entries(kind: str, folder: str) -> list[tuple[Path, dict[str, Any]]]:
    found = []
    for path in sorted((DATA / folder).glob("*.toml")):
        with path.open("rb") as fh:
            found += [(path, entry) for entry in tomllib.load(fh).get(kind, [])]
    return found


DRIVERS = entries("driver", "drivers")
TEAM_FILES = sorted((DATA / "teams").glob("*.toml"))


def test_every_driver_once_and_every_alias_one_driver() -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for _, driver in DRIVERS:
        for text in (driver["name"], *driver.get("aliases", [])):
            owners[key(text)].add(driver["name"])
    names = [key(d["name"]) for _, d in DRIVERS]
    assert sorted(n for n in set(names) if names.count(n) > 1) == []
    assert {k: sorted(v) for k, v in owners.items() if len(v) > 1} == {}


def test_drivers_have_a_nationality_and_known_series() -> None:
    series = set(rules.gazetteer().series)
    for path, driver in DRIVERS:
        assert driver.get("nationality") in ISO_COUNTRIES, (path.name, driver["name"])
        assert driver.get("series"), (path.name, driver["name"])
        assert set(driver["series"]) <= series, (path.name, driver["name"])


@pytest.mark.parametrize("path", TEAM_FILES, ids=lambda p: p.stem)
def test_team_bases_nicknames_and_successors(path: Path) -> None:
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    names = {team["name"] for team in data["team"]}
    based: dict[str, str] = {}
    for team in data["team"]:
        for place in [*team.get("bases", []), *team.get("nicknames", [])]:
            assert key(place) not in based, (place, based.get(key(place)), team["name"])
            based[key(place)] = team["name"]
        successor = team.get("successor")
        assert successor is None or (successor in names and successor != team["name"]), (
            team["name"], successor)


def test_staff_are_named_once_and_are_not_drivers() -> None:
    with (DATA / "staff.toml").open("rb") as fh:
        staff = tomllib.load(fh)["staff"]
    drivers = {key(text) for _, d in DRIVERS for text in (d["name"], *d.get("aliases", []))}
    names = [key(person["name"]) for person in staff]
    assert len(names) == len(set(names))
    for person in staff:
        assert person.get("role"), person["name"]
        spellings = {key(t) for t in (person["name"], *person.get("aliases", []))}
        assert not (spellings & drivers) - SHARED_NAMES, person["name"]
