"""Builders for the storage tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.models import Article, Extraction, LineupEntry, Move, MoveKind, Status

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def at(minutes: float = 0) -> datetime:
    return T0 + timedelta(minutes=minutes)


def article(entry_id: str, title: str = "", *, published: datetime | None = None,
            source: str = "Racer", series: str | None = None) -> Article:
    return Article(entry_id=entry_id, title=title or f"Article {entry_id}",
                   url=f"https://news.example/{entry_id}", published=published or T0,
                   source=source, series=series)


def blomqvist_extraction(status: Status = Status.CONFIRMED) -> Extraction:
    """What the rules engine reads in the Blomqvist article (issue 2)."""
    return Extraction(
        moves=(
            Move(driver="Tom Blomqvist", kind=MoveKind.JOIN, team="Action Express Racing",
                 car="31", series="IMSA", season=2024, role="endurance",
                 from_team="Meyer Shank Racing", status=status,
                 teammates=("Pipo Derani", "Jack Aitken")),
            Move(driver="Tom Blomqvist", kind=MoveKind.JOIN, team="Meyer Shank Racing",
                 series="IndyCar", season=2024, role="full-time", status=status),
        ),
        lineup=(
            LineupEntry(driver="Tom Blomqvist", team="Action Express Racing", car="31",
                        series="IMSA", season=2024, status=status),
            LineupEntry(driver="Pipo Derani", team="Action Express Racing", car="31",
                        series="IMSA", season=2024, status=status),
            LineupEntry(driver="Jack Aitken", team="Action Express Racing", car="31",
                        series="IMSA", season=2024, status=status),
        ),
        summaries=("Tom Blomqvist joins Action Express Racing's No. 31 for the IMSA "
                   "endurance rounds in 2024",
                   "Tom Blomqvist joins Meyer Shank Racing full-time in IndyCar in 2024"),
    )


def move(driver: str, kind: MoveKind = MoveKind.JOIN, **fields: object) -> Extraction:
    """An extraction of one move, with its summary."""
    one = Move(driver=driver, kind=kind, **fields)  # type: ignore[arg-type]
    return Extraction(moves=(one,), summaries=(f"{driver} {kind.value} {one.team or ''}",))
