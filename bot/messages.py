"""The neutral chat model. Adapters turn platform requests into a CommandCall and render
Reply, Card and Alert into embeds, Block Kit or console text; the core never builds
platform JSON."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType

from bot.models import Destination, Status


@dataclass(frozen=True, slots=True, kw_only=True)
class CommandCall:
    name: str  # a spec name: "lineup", "feed add"
    options: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    platform: str = "console"
    workspace: str = "local"
    channel: str | None = None
    user: str = "local-user"
    user_name: str | None = None
    # Set by the adapter from the platform's own permission model (Manage Server,
    # workspace admin); the core refuses moderator commands when it is False.
    is_moderator: bool = False

    def get(self, name: str, default: str | None = None) -> str | None:
        value = self.options.get(name)
        return default if value in (None, "") else value


@dataclass(frozen=True, slots=True, kw_only=True)
class CardField:
    name: str
    value: str
    inline: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class Card:
    title: str
    description: str | None = None
    fields: tuple[CardField, ...] = ()
    url: str | None = None
    colour: int | None = None
    footer: str | None = None
    timestamp: datetime | None = None
    status: Status | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Reply:
    text: str = ""
    cards: tuple[Card, ...] = ()
    ephemeral: bool = False
    error: bool = False

    def plain(self) -> str:
        """Everything the reply says, as plain text: console output and chat fallbacks."""
        parts = [self.text] if self.text else []
        for card in self.cards:
            parts.append(card.title)
            if card.description:
                parts.append(card.description)
            parts.extend(f"{f.name}: {f.value}" for f in card.fields)
            if card.url:
                parts.append(card.url)
        return "\n".join(parts)


@dataclass(frozen=True, slots=True, kw_only=True)
class Alert:
    """One story rendered neutrally for one destination."""

    story_id: int
    revision: int
    card: Card
    text: str  # one-line plain fallback (notifications, Slack `text`)
    destination: Destination
    # Only ever followers of this story who asked to be mentioned in this channel: one post
    # per channel names them all, rather than one identical post per follower.
    mention_users: tuple[str, ...] = ()
