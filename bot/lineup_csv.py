"""Entry lists as CSV: `pitboard lineup import FILE.csv` and `pitboard lineup export`.

Columns: series, season, car, team, driver, role (header required, any order, any case;
role may be empty, and one of car or team must be given). The series must be one the bot
knows (stored as the gazetteer spells it), the role one of bot.models.Role. Rows that
cannot be used are reported with their line number and the reason; the others are loaded.
Importing the same file twice changes nothing."""

from __future__ import annotations

import asyncio
import csv
import io
import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import IO

from bot.keys import entry_list_car, name_key
from bot.models import ImportReport, Role, RowProblem, Seat
from bot.ports import LineupStore

COLUMNS = ("series", "season", "car", "team", "driver", "role")
REQUIRED = ("series", "season", "driver")
FIRST_SEASON, LAST_SEASON = 1900, 2100
_MAX_NAME = 300
_SURROGATE = re.compile("[\udc80-\udcff]")
BATCH = 500

Progress = Callable[[int, int], None]  # (rows done, rows in the file)
SeriesNamer = Callable[[str], str | None]  # a written series -> its name, None if unknown
_ROLES = {name_key(role.value): role.value for role in Role}


class CsvFormatError(ValueError):
    """The file as a whole cannot be read as an entry list (no header, missing columns)."""


def _clean(value: str | None) -> str:
    return " ".join((value or "").split())


def _default_series() -> SeriesNamer:
    from bot.rules import gazetteer

    return gazetteer().canonical_series


def parse_row(row: dict[str | None, str | None], series_named: SeriesNamer | None = None
              ) -> Seat | str:
    """A Seat, or the reason the row cannot be used."""
    if row.get(None):
        return f"more fields than the header has columns ({len(COLUMNS)} expected)"
    values = {column: _clean(row.get(column)) for column in COLUMNS}
    if any(_SURROGATE.search(value) for value in values.values()):
        return "not valid UTF-8 text"
    for column in REQUIRED:
        if not values[column]:
            return f"{column} is empty"
    try:
        season = int(values["season"])
    except ValueError:
        return f"season {values['season']!r} is not a year"
    if not FIRST_SEASON <= season <= LAST_SEASON:
        return f"season {season} is outside {FIRST_SEASON}-{LAST_SEASON}"
    car = values["car"]
    if car:
        number = entry_list_car(car)
        if number is None:
            return f"car {car!r} is not a car number"
        car = number
    if not car and not values["team"]:
        return "needs a car or a team"
    for column in ("series", "team", "driver", "role"):
        if len(values[column]) > _MAX_NAME:
            return f"{column} is longer than {_MAX_NAME} characters"
    if series_named is not None:
        series = series_named(values["series"])
        if series is None:
            return f"series {values['series']!r} is not a series the bot knows"
        values["series"] = series
    if values["role"]:
        role = _ROLES.get(name_key(values["role"]))
        if role is None:
            return f"role {values['role']!r} is not one of {', '.join(_ROLES.values())}"
        values["role"] = role
    return Seat(driver=values["driver"], team=values["team"] or None, car=car or None,
                       series=values["series"], season=season, role=values["role"] or None)


def read_entries(stream: IO[str], series_named: SeriesNamer | None = None
                 ) -> Iterator[tuple[int, Seat | str]]:
    """(line number, entry or reason) for every data row; raises CsvFormatError for a file
    that is not an entry list at all."""
    reader = csv.reader(stream)
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise CsvFormatError(f"line 1: {error}") from None
    if not header:
        raise CsvFormatError("the file is empty: expected a header line "
                             f"({', '.join(COLUMNS)})")
    names = [_clean(name).casefold() for name in header]
    missing = [column for column in COLUMNS if column not in names]
    if missing:
        raise CsvFormatError(f"line 1: the header lacks {', '.join(missing)} "
                             f"(expected {', '.join(COLUMNS)})")
    line = reader.line_num
    while True:
        start = line + 1  # a quoted field may span lines: report where the row begins
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            line = reader.line_num
            yield start, f"unreadable: {error}"
            continue
        line = reader.line_num
        if not any(_clean(value) for value in fields):
            continue  # blank lines are no one's mistake
        row: dict[str | None, str | None] = dict(zip(names, fields, strict=False))
        if len(fields) > len(names):
            row[None] = ",".join(fields[len(names):])
        yield start, parse_row(row, series_named)


async def import_csv(store: LineupStore, path: str | os.PathLike[str], *,
                     progress: Progress | None = None, actor: str = "import",
                     series_named: SeriesNamer | None = None) -> ImportReport:
    """Load an entry list; returns what was added, updated, unchanged and the problems.
    Series are checked against `series_named` (default: the gazetteer's)."""
    series_named = series_named or _default_series()
    data = await asyncio.to_thread(Path(path).read_bytes)
    # Bad bytes stay visible (as surrogates), so only the rows holding them are refused.
    text = data.decode("utf-8-sig", errors="surrogateescape")
    rows = list(read_entries(io.StringIO(text, newline=""), series_named))
    total = len(rows)
    report = ImportReport()
    problems: list[RowProblem] = []
    for start in range(0, total, BATCH):
        chunk = rows[start:start + BATCH]
        entries = [entry for _, entry in chunk if isinstance(entry, Seat)]
        problems += [RowProblem(line=line, reason=entry) for line, entry in chunk
                     if isinstance(entry, str)]
        if entries:
            done = await store.import_lineup(entries, actor=actor)
            report = replace(report, added=report.added + done.added,
                             updated=report.updated + done.updated,
                             unchanged=report.unchanged + done.unchanged,
                             skipped=report.skipped + done.skipped)
        if progress is not None:
            progress(min(start + BATCH, total), total)
    return replace(report, rows=total, problems=tuple(problems))


async def export_csv(store: LineupStore, target: str | os.PathLike[str] | IO[str], *,
                     series: str | None = None, season: int | None = None) -> int:
    """Write the open seats as an entry list (the import format); returns the row count."""
    seats = await store.all_seats(series=series, season=season)
    if isinstance(target, str | os.PathLike):
        buffer = io.StringIO(newline="")
        _write(buffer, seats)
        await asyncio.to_thread(Path(target).write_text, buffer.getvalue(), "utf-8")
    else:
        _write(target, seats)
    return len(seats)


def _write(stream: IO[str], seats: Sequence[Seat]) -> None:
    writer = csv.writer(stream)
    writer.writerow(COLUMNS)
    for seat in seats:
        writer.writerow([seat.series or "", seat.season, seat.car or "", seat.team or "",
                         seat.driver, seat.role or ""])
