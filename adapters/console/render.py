"""Plain-text rendering of the neutral chat model, for terminals and logs."""

from __future__ import annotations

import re

from bot.messages import Alert, Card, Reply

RULE = "─" * 60
# Chat references the core writes for the platforms to render: <#channel>, <#C1|name>,
# <@user>. A terminal shows them as a reader would see them in the chat: #name, @user.
_REFERENCE = re.compile(r"<([#@])([^>|\s]+)(?:\|([^>]+))?>")


def plain(text: str) -> str:
    return _REFERENCE.sub(lambda m: f"{m[1]}{m[3] or m[2]}", text)


def render_card(card: Card) -> str:
    lines = [f"▌ {plain(card.title)}"]
    if card.description:
        lines += [f"  {plain(line)}" for line in card.description.splitlines()]
    for field in card.fields:
        lines.append(f"  {field.name}: {plain(field.value)}".replace("\n", "\n    "))
    tail = " · ".join(x for x in (card.footer, card.url) if x)
    if tail:
        lines.append(f"  {tail}")
    return "\n".join(lines)


def render_reply(reply: Reply) -> str:
    parts = []
    if reply.text:
        parts.append(("⚠ " if reply.error else "") + plain(reply.text))
    parts += [render_card(card) for card in reply.cards]
    return "\n".join(parts)


def render_alert(alert: Alert) -> str:
    destination = alert.destination
    if destination.kind.value == "dm":
        heading = f"🔔 Alert for {destination.user} (you follow this)"
    else:
        heading = f"🔔 Alert in #{destination.channel or 'alerts'}"
    return f"{RULE}\n{heading}\n{render_card(alert.card)}"
