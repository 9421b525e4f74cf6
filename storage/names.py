"""Every driver, team, series and car name seen: autocomplete and forgiving look-ups
without a DISTINCT scan of the big tables."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.models import Extraction, TargetKind
from storage.base import StoreBase, insert_ignoring
from storage.columns import target_key
from storage.errors import translate_errors
from storage.tables import names

Named = tuple[TargetKind, str | None]


def named_in(extraction: Extraction, series: str | None) -> list[Named]:
    """The names an extraction (of an article of `series`) mentions."""
    pairs: list[Named] = []
    for move in extraction.moves:
        pairs += [(TargetKind.DRIVER, move.driver), (TargetKind.TEAM, move.team),
                  (TargetKind.TEAM, move.from_team), (TargetKind.SERIES, move.series),
                  (TargetKind.CAR, move.car), (TargetKind.DRIVER, move.replaces)]
        pairs += [(TargetKind.DRIVER, mate) for mate in move.teammates]
    for line in extraction.lineup:
        pairs += [(TargetKind.DRIVER, line.driver), (TargetKind.TEAM, line.team),
                  (TargetKind.SERIES, line.series), (TargetKind.CAR, line.car)]
    pairs.append((TargetKind.SERIES, series))
    return pairs


async def remember_names(connection: AsyncConnection, pairs: Sequence[Named]) -> None:
    rows = {}
    for kind, name in pairs:
        if not name:
            continue
        key = target_key(kind, name)
        if key:
            rows.setdefault((kind.value, key), name)
    if rows:
        await connection.execute(
            insert_ignoring(connection, names),
            [{"kind": kind, "key": key, "name": name} for (kind, key), name in rows.items()],
        )


class NameStorage(StoreBase):
    @translate_errors
    async def known_names(self, kind: TargetKind) -> list[str]:
        async with self._read() as connection:
            rows = await connection.execute(
                select(names.c.name).where(names.c.kind == kind.value).order_by(names.c.key))
            return [row.name for row in rows]
