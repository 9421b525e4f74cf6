"""One line per move, as alerts and `pitboard extract` show it."""

from __future__ import annotations

from bot.models import Move, MoveKind, Status

_VERB = {
    MoveKind.LEAVE: "leaves",
    MoveKind.EXTEND: "stays at",
    MoveKind.RETIRE: "retires",
    MoveKind.PROMOTE: "promoted at",
    MoveKind.REPLACE: "stands in at",
}


def _where(move: Move) -> str:
    place = move.team or move.series or ""
    if move.car:
        place = f"{place} #{move.car}".strip()
    context = " ".join(str(x) for x in (move.series, move.season) if x)
    details = ", ".join(x for x in (context, move.role) if x)
    return f"{place} ({details})" if details and place else place or details


def summarize(move: Move) -> str:
    """`Tom Blomqvist → Action Express Racing #31 (IMSA 2024, endurance) · from Meyer Shank
    Racing · with Pipo Derani, Jack Aitken`, or `X leaves Team (Series 2024)` and so on."""
    where = _where(move)
    if move.kind in (MoveKind.JOIN,):
        line = f"{move.driver} → {where}" if where else f"{move.driver} joins"
    elif move.kind is MoveKind.RETIRE:
        line = f"{move.driver} retires" + (f" from {where}" if where else "")
    else:
        line = f"{move.driver} {_VERB[move.kind]} {where}".rstrip()
    parts = [line]
    if move.from_team:
        parts.append(f"from {move.from_team}")
    if move.replaces:
        parts.append(f"replacing {move.replaces}")
    if move.teammates:
        parts.append("with " + ", ".join(move.teammates))
    if move.status is Status.RUMOUR:
        parts.append("rumour")
    return " · ".join(parts)
