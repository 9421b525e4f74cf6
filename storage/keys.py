"""How names are compared in the database: the same keys the domain uses."""

from __future__ import annotations

from bot.alerts import car_key as _car_key
from bot.models import TargetKind, name_key


def car_key(car: str | None) -> str:
    """'#31', 'No. 31' and '31' are one car; '' for no car."""
    return _car_key(car) if car else ""


def key(text: str | None) -> str:
    return name_key(text) if text else ""


def target_key(target: TargetKind, value: str) -> str:
    return car_key(value) if target is TargetKind.CAR else name_key(value)
