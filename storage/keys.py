"""How names are compared in the database: the same keys the domain uses."""

from __future__ import annotations

import re
from dataclasses import replace

from bot.alerts import car_key as _car_key
from bot.models import LineupEntry, Move, TargetKind, name_key


def car_key(car: str | None) -> str:
    """'#31', 'No. 31' and '31' are one car; '' for no car."""
    return _car_key(car[:CAR_CHARS]) if car else ""


_CAR_PREFIX = re.compile(r"^\s*(?:#|no\.?|nr\.?|car)\s*", re.IGNORECASE)


def car_display(car: str | None) -> str | None:
    """The number as answers show it: '#31' and 'No. 31' become '31'."""
    if not car:
        return None
    bare = _CAR_PREFIX.sub("", car).strip()
    return bare or None


def key(text: str | None) -> str:
    """The comparison key of a name, of the clipped name as it is stored."""
    return name_key(text[:NAME_CHARS]) if text else ""


def target_key(target: TargetKind, value: str) -> str:
    return car_key(value) if target is TargetKind.CAR else key(value)


# Bounded columns hold clipped text: a runaway name from a feed must not make PostgreSQL
# refuse the whole article (SQLite would not care). Keys are made from the clipped text,
# and casefolding can lengthen text ("ß" -> "ss"), hence half the column width.
NAME_CHARS = 150  # drivers, teams (columns of 300)
SERIES_CHARS = 100  # columns of 200
CAR_CHARS = 10  # columns of 20
ROLE_CHARS = 100


def clip(text: str | None, limit: int) -> str | None:
    if text is None or len(text) <= limit:
        return text
    return text[:limit].rstrip()


def clip_move(move: Move) -> Move:
    return replace(
        move, driver=clip(move.driver, NAME_CHARS) or move.driver[:NAME_CHARS],
        team=clip(move.team, NAME_CHARS), car=clip(move.car, CAR_CHARS),
        series=clip(move.series, SERIES_CHARS), role=clip(move.role, ROLE_CHARS),
        from_team=clip(move.from_team, NAME_CHARS), replaces=clip(move.replaces, NAME_CHARS),
        teammates=tuple(clip(mate, NAME_CHARS) or "" for mate in move.teammates))


def clip_entry(entry: LineupEntry) -> LineupEntry:
    return replace(
        entry, driver=clip(entry.driver, NAME_CHARS) or entry.driver[:NAME_CHARS],
        team=clip(entry.team, NAME_CHARS), car=clip(entry.car, CAR_CHARS),
        series=clip(entry.series, SERIES_CHARS), role=clip(entry.role, ROLE_CHARS))
