"""How names are compared in the database: the same keys the domain uses."""

from __future__ import annotations

import re

from bot.alerts import car_key as _car_key
from bot.models import TargetKind, name_key


def car_key(car: str | None) -> str:
    """'#31', 'No. 31' and '31' are one car; '' for no car."""
    return _car_key(car) if car else ""


_CAR_PREFIX = re.compile(r"^\s*(?:#|no\.?|nr\.?|car)\s*", re.IGNORECASE)


def car_display(car: str | None) -> str | None:
    """The number as answers show it: '#31' and 'No. 31' become '31'."""
    if not car:
        return None
    bare = _CAR_PREFIX.sub("", car).strip()
    return bare or None


def key(text: str | None) -> str:
    return name_key(text) if text else ""


def target_key(target: TargetKind, value: str) -> str:
    return car_key(value) if target is TargetKind.CAR else name_key(value)
