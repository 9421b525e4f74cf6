"""Plain-text rendering of the neutral chat model, for terminals and logs."""

from __future__ import annotations

from bot.messages import Alert, Card, Reply

RULE = "─" * 60


def render_card(card: Card) -> str:
    lines = [f"▌ {card.title}"]
    if card.description:
        lines += [f"  {line}" for line in card.description.splitlines()]
    for field in card.fields:
        lines.append(f"  {field.name}: {field.value}".replace("\n", "\n    "))
    tail = " · ".join(x for x in (card.footer, card.url) if x)
    if tail:
        lines.append(f"  {tail}")
    return "\n".join(lines)


def render_reply(reply: Reply) -> str:
    parts = []
    if reply.text:
        parts.append(("⚠ " if reply.error else "") + reply.text)
    parts += [render_card(card) for card in reply.cards]
    return "\n".join(parts)


def render_alert(alert: Alert) -> str:
    destination = alert.destination
    if destination.kind.value == "dm":
        heading = f"🔔 Alert for {destination.user} (you follow this)"
    else:
        heading = f"🔔 Alert in #{destination.channel or 'alerts'}"
    return f"{RULE}\n{heading}\n{render_card(alert.card)}"
