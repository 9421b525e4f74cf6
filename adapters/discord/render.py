"""Neutral replies and alerts as Discord messages: pure functions, no I/O.

Everything in the neutral model is plain text, some of it straight from news feeds, so every
string is escaped for Discord markdown and has its user/role/everyone mentions defused before
it reaches an embed or a message. The hard guarantee against pings is AllowedMentions on the
client and on every message; the escaping only keeps feed text from *looking* like a mention.

Discord rejects a whole message when one limit is exceeded, and discord.py does not check, so
every value is cut to its limit here: at a word boundary, with "…", and never inside a URL
or a markdown link (a cut link is a broken link)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import discord

from bot.messages import STATUS_MARK, Alert, Card, Reply

ELLIPSIS = "…"

# https://discord.com/developers/docs/resources/message#embed-object-embed-limits
CONTENT_LIMIT = 2000
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FIELD_COUNT_LIMIT = 25
FOOTER_LIMIT = 2048
EMBEDS_TOTAL_LIMIT = 6000
EMBEDS_PER_MESSAGE = 10
URL_LIMIT = 2048

# Spans a cut must not enter: markdown links, <bracketed> URLs and bare URLs.
_UNCUTTABLE = re.compile(r"\[[^\]\n]*\]\([^)\s]*\)|<https?://[^>\s]+>|https?://\S+")
_EVERYONE = re.compile(r"@(everyone|here)\b", re.IGNORECASE)
_USER_OR_ROLE = re.compile(r"<@([!&]?)(\d+)>")
_SNOWFLAKE = re.compile(r"^\d{1,20}$")
# escape_markdown guards every "#" that starts a line, but only "# ", "## " and "### " are
# headings: car numbers ("#31 · Action Express Racing") need no backslash.
_NOT_A_HEADING = re.compile(r"^\\(#{1,3})(?=[^#\s])", re.MULTILINE)


def cut(text: str, limit: int) -> str:
    """`text` shortened to at most `limit` characters, ending in "…" when shortened.

    Cuts at the last word boundary that fits; a word longer than the whole budget is cut
    hard, but a URL or markdown link never is: it is dropped whole instead."""
    if len(text) <= limit:
        return text
    if limit <= len(ELLIPSIS):
        return ELLIPSIS[:limit]
    budget = limit - len(ELLIPSIS)
    inside = bytearray(len(text) + 1)  # 1 where a cut would split a link
    starts = set()
    for match in _UNCUTTABLE.finditer(text):
        starts.add(match.start())
        inside[match.start() + 1:match.end()] = b"\x01" * (match.end() - match.start() - 1)

    position = budget
    while position > 0:
        at_boundary = text[position].isspace() or text[position - 1].isspace() \
            or position in starts
        if at_boundary and not inside[position]:
            break
        position -= 1
    head = text[:position].rstrip()
    if not head:  # one giant word: cut it, unless that would split a link
        position = budget
        while position > 0 and inside[position]:
            position -= 1
        head = text[:position]
    return head + ELLIPSIS


def defuse_mentions(text: str) -> str:
    """Make @everyone, @here, <@user> and <@&role> inert and shown as typed.

    A zero-width space breaks the token without changing what readers see. Channel links
    (<#id>) are left alone: they never notify anyone and the core uses them on purpose."""
    text = _EVERYONE.sub("@\u200b\\1", text)
    return _USER_OR_ROLE.sub("<@\u200b\\1\\2>", text)


def escape(text: str) -> str:
    """Plain neutral text, safe to show in Discord markdown: formatting characters escaped
    (URLs left intact so they stay clickable), mentions defused."""
    escaped = discord.utils.escape_markdown(defuse_mentions(text), ignore_links=True)
    return _NOT_A_HEADING.sub(r"\1", escaped)


def _link(url: str | None) -> str | None:
    """A URL Discord will accept in an embed, or None (a bad one fails the whole message)."""
    if not url or len(url) > URL_LIMIT or any(c.isspace() for c in url):
        return None
    return url if url.startswith(("http://", "https://")) else None


def card_embed(card: Card) -> discord.Embed:
    embed = discord.Embed(
        title=cut(escape(card.title), TITLE_LIMIT) or None,
        description=cut(escape(card.description), DESCRIPTION_LIMIT)
        if card.description else None,
        url=_link(card.url),
        colour=card.colour,
        timestamp=card.timestamp,
    )
    for card_field in card.fields[:FIELD_COUNT_LIMIT]:
        # Discord refuses empty field names and values; a zero-width space is the usual fill.
        embed.add_field(
            name=cut(escape(card_field.name), FIELD_NAME_LIMIT) or "\u200b",
            value=cut(escape(card_field.value), FIELD_VALUE_LIMIT) or "\u200b",
            inline=card_field.inline,
        )
    footer = card.footer or (STATUS_MARK.get(card.status) if card.status else None)
    if footer:
        # Footers are not markdown, so only mentions need defusing there.
        embed.set_footer(text=cut(defuse_mentions(footer), FOOTER_LIMIT))
    return embed


def _shrink_to_total(embeds: list[discord.Embed], total: int) -> int:
    """Trim from the end until the embeds fit in `total` characters; returns embeds dropped."""
    dropped = 0
    while embeds and sum(len(e) for e in embeds) > total:
        overflow = sum(len(e) for e in embeds) - total
        last = embeds[-1]
        if last.description and len(last.description) > overflow + 1:
            last.description = cut(last.description, len(last.description) - overflow)
        elif last.fields:
            last.remove_field(len(last.fields) - 1)
        elif last.description:
            last.description = None
        else:
            embeds.pop()
            dropped += 1
    return dropped


@dataclass(slots=True)
class DiscordMessage:
    """What goes into `send`/`send_message`: content, embeds and who may be pinged."""

    content: str | None = None
    embeds: list[discord.Embed] = field(default_factory=list)
    allowed_mentions: discord.AllowedMentions = field(
        default_factory=discord.AllowedMentions.none)
    ephemeral: bool = False

    def send_kwargs(self) -> dict[str, object]:
        """Keyword arguments for Messageable.send, InteractionResponse.send_message and
        Webhook.send; empty parts are left out rather than sent empty."""
        kwargs: dict[str, object] = {"allowed_mentions": self.allowed_mentions}
        if self.content:
            kwargs["content"] = self.content
        if self.embeds:
            kwargs["embeds"] = self.embeds
        return kwargs


def render_cards(cards: Sequence[Card]) -> tuple[list[discord.Embed], int]:
    """Embeds for up to ten cards within the 6,000-character total; returns (embeds, left out)."""
    embeds = [card_embed(card) for card in cards[:EMBEDS_PER_MESSAGE]]
    left_out = len(cards) - len(embeds)
    left_out += _shrink_to_total(embeds, EMBEDS_TOTAL_LIMIT)
    return embeds, left_out


def render_reply(reply: Reply) -> DiscordMessage:
    embeds, left_out = render_cards(reply.cards)
    note = f"(+{left_out} more not shown)" if left_out else ""
    text = cut(escape(reply.text), CONTENT_LIMIT - len(note) - 1) if reply.text else ""
    text = "\n".join(part for part in (text, note) if part)
    if not text and not embeds:
        text = "Done."
    return DiscordMessage(
        content=text or None,
        embeds=embeds,
        allowed_mentions=discord.AllowedMentions.none(),
        ephemeral=reply.ephemeral or reply.error,
    )


def render_text(text: str) -> DiscordMessage:
    """A short notice (moderator notices, refusals): escaped, cut, pinging no one."""
    return DiscordMessage(content=cut(escape(text), CONTENT_LIMIT) or "\u200b")


def render_alert(alert: Alert) -> DiscordMessage:
    """The alert card as one embed. The only mentions ever allowed are the followers this
    post is for (personal follows delivered into the alerts channel), named exactly."""
    embeds, _ = render_cards([alert.card])
    users = [user for user in dict.fromkeys(alert.mention_users) if _SNOWFLAKE.match(user)]
    if users:
        return DiscordMessage(
            content=" ".join(f"<@{user}>" for user in users),
            embeds=embeds,
            allowed_mentions=discord.AllowedMentions(
                everyone=False, roles=False, replied_user=False,
                users=[discord.Object(id=int(user)) for user in users]),
        )
    return DiscordMessage(embeds=embeds, allowed_mentions=discord.AllowedMentions.none())
