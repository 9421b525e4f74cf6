"""The neutral chat model. Adapters turn platform requests into a CommandCall and render
Reply, Card and Alert into embeds, Block Kit or console text; the core never builds
platform JSON."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType

from bot.models import Destination, Status

# An option's value as a platform hands it over (Discord's integers stay integers), and as
# bot.commands gives it to the handlers once parsed: int for integer options, else text.
OptionValue = str | int


def plural(count: int, word: str, many: str | None = None) -> str:
    """"1 driver move", "3 driver moves", "0 entries" (give `many` when not word + s)."""
    return f"{count} {word if count == 1 else many or word + 's'}"


@dataclass(frozen=True, slots=True, kw_only=True)
class CommandCall:
    name: str  # a spec name: "lineup", "feed add"
    options: Mapping[str, OptionValue] = field(default_factory=lambda: MappingProxyType({}))
    platform: str = "console"
    workspace: str = "local"
    channel: str | None = None
    user: str = "local-user"
    user_name: str | None = None
    # Set by the adapter from the platform's own permission model (Manage Server,
    # workspace admin); the core refuses moderator commands when it is False.
    is_moderator: bool = False

    def text(self, name: str) -> str | None:
        """A text option; None when not given."""
        value = self.options.get(name)
        return None if value is None or value == "" else str(value)

    def number(self, name: str) -> int | None:
        """An integer option, as bot.commands parsed it; None when not given."""
        value = self.options.get(name)
        return value if isinstance(value, int) else None


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


# How a story's status is marked, decided here once: the mark a card shows (adapters that
# draw cards without a footer show it too), and the lead of the plain text a notification
# shows where there is no card.
STATUS_MARK = {Status.CONFIRMED: "✅ Confirmed", Status.RUMOUR: "💬 Rumour",
               Status.DENIED: "❌ Denied"}
PLAIN_MARK = {Status.CONFIRMED: "", Status.RUMOUR: "Rumour: ", Status.DENIED: "Denied: "}


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


# What a user hears when the core fails on our side: the one sentence for every adapter.
FAILED = Reply(text="Something went wrong on our side. Please try again in a moment.",
               error=True, ephemeral=True)


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
    # The outbox row's key: a platform that can label a message with it (Slack metadata)
    # finds an earlier post of this very alert before a resend posts it twice.
    key: str | None = None
    resend: bool = False  # an earlier try may have been posted; look before posting
    # "channel:message" of this story's earlier post in the same place: a rumour now
    # confirmed answers it (a Discord reply, a Slack thread reply) rather than standing
    # alone as if it were other news.
    reply_to: str | None = None
    # "channel:message": edit that post to show this alert instead of posting (another
    # source reported the story).
    edit_of: str | None = None
