"""bot.keys: when two spellings are the same name or the same car."""

from __future__ import annotations

import pytest

from bot.keys import car_display, car_key, entry_list_car, name_key


@pytest.mark.parametrize(("one", "other"), [
    ("Jean-Éric Vergne", "jean eric vergne"),
    ("Pato O'Ward", "pato o ward"),
    ("#31", "31"),
])
def test_names_compare_without_accents_case_or_punctuation(one: str, other: str) -> None:
    assert name_key(one) == name_key(other)


@pytest.mark.parametrize(("written", "key", "shown"), [
    ("31", "31", "31"),
    ("#31", "31", "31"),
    ("No. 31", "31", "31"),
    ("nr 5", "5", "5"),
    ("car 7", "7", "7"),
    ("01", "01", "01"),
    ("", "", None),
    (None, "", None),
])
def test_car_numbers(written: str | None, key: str, shown: str | None) -> None:
    assert car_key(written) == key
    assert car_display(written) == shown


@pytest.mark.parametrize(("cell", "car"), [
    ("31", "31"), ("#31", "31"), ("No. 31", "31"), ("no31", "31"), ("7X", "7X"),
    ("car ten", None), ("12345", None), ("3 1", None),
])
def test_entry_list_cars(cell: str, car: str | None) -> None:
    assert entry_list_car(cell) == car
