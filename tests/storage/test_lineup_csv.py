from __future__ import annotations

import io
from pathlib import Path

import pytest

from bot.lineup_csv import CsvFormatError, export_csv, import_csv
from bot.models import RowProblem
from storage import SqlStore

GOOD = """series,season,car,team,driver,role
IMSA,2025,31,Action Express Racing,Pipo Derani,full-time
IMSA,2025,#31,Action Express Racing,Jack Aitken,full-time
IMSA,2025,No. 31,Action Express Racing,Tom Blomqvist,endurance
WEC,2025,8,Toyota Gazoo Racing,Sébastien Buemi,
IndyCar,2025,,Meyer Shank Racing,Felix Rosenqvist,full-time
"""

BAD = """Series, Season ,CAR,team,driver,role
IMSA,2025,31,Action Express Racing,Pipo Derani,full-time
IMSA,twenty,10,Wayne Taylor Racing,Filipe Albuquerque,
,2025,10,Wayne Taylor Racing,Ricky Taylor,

IMSA,2025,10,Wayne Taylor Racing,,
IMSA,1850,10,Wayne Taylor Racing,Ricky Taylor,
IMSA,2025,car ten,Wayne Taylor Racing,Ricky Taylor,
IMSA,2025,,,Ricky Taylor,
IMSA,2025,10,Wayne Taylor Racing,Ricky Taylor,full-time,extra
IMSA,2025,10,"Wayne Taylor
Racing",Ricky Taylor,full-time
IMSA,2025,10,Wayne Taylor Racing,Filipe Albuquerque,full-time
"""


def _file(tmp_path: Path, text: str | bytes, name: str = "entries.csv") -> Path:
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return path


async def test_import_is_idempotent_and_reports_progress(store: SqlStore,
                                                         tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    report = await import_csv(store, _file(tmp_path, GOOD),
                              progress=lambda done, total: calls.append((done, total)))
    assert (report.rows, report.added, report.updated, report.unchanged) == (5, 5, 0, 0)
    assert report.problems == ()
    assert calls[-1] == (5, 5)
    again = await import_csv(store, _file(tmp_path, GOOD))
    assert (again.added, again.updated, again.unchanged) == (0, 0, 5)
    seats = await store.lineup("31", series="IMSA", season=2025)
    assert [(s.car, s.driver, s.role) for s in seats] == [
        ("31", "Jack Aitken", "full-time"), ("31", "Pipo Derani", "full-time"),
        ("31", "Tom Blomqvist", "endurance")]
    [rosenqvist] = await store.team_lineup("Meyer Shank Racing")
    assert rosenqvist.car is None


async def test_bad_rows_are_reported_with_line_and_reason(store: SqlStore,
                                                          tmp_path: Path) -> None:
    report = await import_csv(store, _file(tmp_path, BAD))
    assert report.problems == (
        RowProblem(line=3, reason="season 'twenty' is not a year"),
        RowProblem(line=4, reason="series is empty"),
        RowProblem(line=6, reason="driver is empty"),
        RowProblem(line=7, reason="season 1850 is outside 1900-2100"),
        RowProblem(line=8, reason="car 'car ten' is not a car number"),
        RowProblem(line=9, reason="needs a car or a team"),
        RowProblem(line=10, reason="more fields than the header has columns (6 expected)"),
    )
    # the multi-line quoted team is one row (lines 11-12); the good rows are loaded
    assert report.added == 3 and report.rows == 10
    drivers = [s.driver for s in await store.lineup("10", series="IMSA")]
    assert drivers == ["Filipe Albuquerque", "Ricky Taylor"]


async def test_unknown_series_and_roles_are_refused_with_their_line(store: SqlStore,
                                                                    tmp_path: Path) -> None:
    text = ("series,season,car,team,driver,role\n"
            "Tiddlywinks,2025,31,Action Express Racing,Pipo Derani,full-time\n"
            "imsa,2025,31,Action Express Racing,Jack Aitken,Full Time\n"
            "IMSA,2025,31,Action Express Racing,Tom Blomqvist,wizard\n"
            "IMSA,2025,31,Action Express Racing,Jordan Taylor,third driver\n")
    report = await import_csv(store, _file(tmp_path, text))
    assert report.problems == (
        RowProblem(line=2, reason="series 'Tiddlywinks' is not a series the bot knows"),
        RowProblem(line=4, reason="role 'wizard' is not one of full-time, endurance, reserve, "
                                  "test, third driver, part-time"),
    )
    # the others are stored as the bot spells series and roles
    seats = {s.driver: s for s in await store.lineup("31", series="IMSA", season=2025)}
    assert set(seats) == {"Jack Aitken", "Jordan Taylor"}
    assert (seats["Jack Aitken"].series, seats["Jack Aitken"].role) == ("IMSA", "full-time")


async def test_undecodable_bytes_refuse_only_their_row(store: SqlStore,
                                                       tmp_path: Path) -> None:
    data = ("\ufeff" + GOOD).encode("utf-8") + b"IMSA,2025,5,Mustang Sampling,J\xe9r\xf4me,\n"
    report = await import_csv(store, _file(tmp_path, data))
    assert report.added == 5
    assert report.problems == (RowProblem(line=7, reason="not valid UTF-8 text"),)


@pytest.mark.parametrize(("text", "message"), [
    ("", "the file is empty"),
    ("series,season,driver\nIMSA,2025,X\n", "the header lacks car, team, role"),
    ("series,season,car,team,driver\nIMSA,2025,31,AXR,X\n", "line 1: the header lacks role"),
])
async def test_files_that_are_not_entry_lists(store: SqlStore, tmp_path: Path, text: str,
                                              message: str) -> None:
    with pytest.raises(CsvFormatError, match=message):
        await import_csv(store, _file(tmp_path, text))


async def test_export_round_trips(store: SqlStore, tmp_path: Path) -> None:
    await import_csv(store, _file(tmp_path, GOOD))
    out = tmp_path / "export.csv"
    assert await export_csv(store, out) == 5
    exported = out.read_text(encoding="utf-8")
    assert exported.splitlines() == [
        "series,season,car,team,driver,role",
        "IMSA,2025,31,Action Express Racing,Jack Aitken,full-time",
        "IMSA,2025,31,Action Express Racing,Pipo Derani,full-time",
        "IMSA,2025,31,Action Express Racing,Tom Blomqvist,endurance",
        "IndyCar,2025,,Meyer Shank Racing,Felix Rosenqvist,full-time",
        "WEC,2025,8,Toyota Gazoo Racing,Sébastien Buemi,",
    ]
    again = await import_csv(store, out)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 5)
    stream = io.StringIO()
    assert await export_csv(store, stream, series="wec") == 1
    assert stream.getvalue().splitlines()[1] == "WEC,2025,8,Toyota Gazoo Racing,Sébastien Buemi,"


async def test_an_entry_list_never_overrides_a_moderator(store: SqlStore,
                                                         tmp_path: Path) -> None:
    await store.set_lineup("31", "IMSA", 2025, ["Pipo Derani"], moderator="mod",
                           team="Action Express Racing")
    report = await import_csv(store, _file(tmp_path, GOOD))
    assert report.skipped == 1 and report.added == 4
    [derani] = [s for s in await store.lineup("31", series="IMSA")
                if s.driver == "Pipo Derani"]
    assert derani.corrected_by == "mod" and derani.role is None
