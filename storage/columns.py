"""Column widths, and the text and keys that fit in them.

Bounded columns hold clipped text: a runaway name from a feed must not make PostgreSQL
refuse the whole article (SQLite would not care). Keys are bot.keys' keys of the clipped
text, so a query with the unclipped name finds the stored row."""

from __future__ import annotations

from dataclasses import replace

from bot.keys import car_key, name_key
from bot.models import LineupEntry, Move, TargetKind

# Casefolding can lengthen text ("ß" -> "ss"), hence half the key column's width.
NAME_CHARS = 150  # drivers, teams (columns of 300)
SERIES_CHARS = 100  # columns of 200
CAR_CHARS = 10  # columns of 20
ROLE_CHARS = 100


def clip(text: str | None, limit: int) -> str | None:
    if text is None or len(text) <= limit:
        return text
    return text[:limit].rstrip()


def stored_name_key(text: str | None) -> str:
    """The key of a name as it is stored (clipped); '' for none."""
    return name_key(text[:NAME_CHARS]) if text else ""


def stored_car_key(car: str | None) -> str:
    """The key of a car number as it is stored (clipped); '' for none."""
    return car_key(car[:CAR_CHARS]) if car else ""


def target_key(target: TargetKind, value: str) -> str:
    return stored_car_key(value) if target is TargetKind.CAR else stored_name_key(value)


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
