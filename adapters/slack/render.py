"""Pure functions from Pitboard's neutral messages to Slack Block Kit.

Every string is escaped (`&`, `<`, `>`) before it reaches Slack, so text from a feed can
never become a mention (`<!channel>`, `<@U123>`) or a disguised link (`<https://evil|click>`).
The only markup that survives is what this module builds itself: links to http(s) URLs
with escaped labels, channel references (`<#C123>`, which notify nobody), Slack date
tokens, and a mention of the one follower an alert is addressed to."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from bot.messages import Alert, Card, CardField, Reply

# Block Kit limits (https://api.slack.com/reference/block-kit/blocks)
MAX_BLOCKS = 50
MAX_SECTION_TEXT = 3000
MAX_FIELDS = 10
MAX_FIELD_TEXT = 2000
MAX_CONTEXT_ELEMENTS = 10
# Slack truncates `text` at 40,000 characters; the fallback is for notifications, so far less.
MAX_FALLBACK_TEXT = 3000
ELLIPSIS = "…"

Block = dict[str, Any]

_USER_ID = re.compile(r"[UW][A-Z0-9]{2,}")
_SAFE_CHANNEL_REF = re.compile(r"&lt;#([CG][A-Z0-9]+)&gt;")
# The units truncation must not split: our own <...> markup, escape sequences, whitespace runs.
_ATOMS = re.compile(r"<[^<>]*>|&(?:amp|lt|gt);|\s+|[^\s<&]+|.", re.DOTALL)


def escape(text: str) -> str:
    """Slack's three control characters; everything else is shown as written."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_allowing_channels(text: str) -> str:
    """Escape, then let bare channel references the core writes (`<#C123>`) work again:
    a channel link notifies nobody, so this cannot be abused to ping."""
    return _SAFE_CHANNEL_REF.sub(r"<#\1>", escape(text))


def truncate(mrkdwn: str, limit: int) -> str:
    """Cut already-escaped mrkdwn to `limit` characters, ending in "…".

    Cuts at a word boundary when one lies in the back half of the budget, and never inside
    a link, mention or escape sequence (those are dropped whole rather than split)."""
    if len(mrkdwn) <= limit:
        return mrkdwn
    budget = limit - len(ELLIPSIS)
    if budget <= 0:
        return ELLIPSIS[:limit]
    word_cut = -1
    atom_cut = 0
    for match in _ATOMS.finditer(mrkdwn):
        start, end = match.span()
        token = match.group()
        if token.isspace() and start <= budget:
            word_cut = start
        if end > budget:
            if not token.isspace() and token[0] not in "<&" and start < budget:
                atom_cut = budget  # plain characters of a word may be split as a last resort
            break
        atom_cut = end
    cut = word_cut if word_cut >= budget // 2 else atom_cut
    return mrkdwn[:cut].rstrip() + ELLIPSIS


def fit(text: str, limit: int) -> str:
    """Escape plain text and cut it to fit a Block Kit limit."""
    return truncate(escape(text), limit)


def safe_url(url: str | None) -> str | None:
    """A URL usable inside `<url|label>`, or None: only http(s), no spaces, and none of the
    characters that would end the link early."""
    if not url:
        return None
    url = url.strip()
    if not url.lower().startswith(("http://", "https://")) or any(c.isspace() for c in url):
        return None
    if len(url) > 1500:
        return None
    return escape(url).replace("|", "%7C")


def link(url: str | None, label: str, limit: int) -> str:
    """`<url|label>` with the label escaped and cut so the whole link fits in `limit`;
    just the escaped label if the URL is unusable."""
    target = safe_url(url)
    if target is None or len(target) + 4 >= limit:
        return fit(label, limit)
    return f"<{target}|{fit(label, limit - len(target) - 3)}>"


def slack_date(moment: datetime) -> str:
    """A date token each reader sees in their own time zone; the fallback is UTC."""
    fallback = moment.strftime("%Y-%m-%d %H:%M UTC")
    return f"<!date^{int(moment.timestamp())}^{{date_short_pretty}} {{time}}|{fallback}>"


def mrkdwn(text: str) -> dict[str, str]:
    return {"type": "mrkdwn", "text": text}


def section(text: str) -> Block:
    return {"type": "section", "text": mrkdwn(truncate(text, MAX_SECTION_TEXT))}


def _field_text(card_field: CardField) -> str:
    name = fit(card_field.name, 200)
    value = truncate(escape_allowing_channels(card_field.value),
                     MAX_FIELD_TEXT - len(name) - 3)
    return f"*{name}*\n{value}"


def field_blocks(fields: Iterable[CardField]) -> list[Block]:
    """Short fields side by side (at most ten per section); long ones as their own section."""
    blocks: list[Block] = []
    row: list[dict[str, str]] = []
    for card_field in fields:
        if card_field.inline:
            row.append(mrkdwn(_field_text(card_field)))
            if len(row) == MAX_FIELDS:
                blocks.append({"type": "section", "fields": row})
                row = []
            continue
        if row:
            blocks.append({"type": "section", "fields": row})
            row = []
        name = fit(card_field.name, 200)
        blocks.append(section(f"*{name}*\n{escape_allowing_channels(card_field.value)}"))
    if row:
        blocks.append({"type": "section", "fields": row})
    return blocks


def context_block(parts: Iterable[str]) -> Block | None:
    """A grey line under a card; `parts` are already mrkdwn."""
    shown = [p for p in parts if p]
    if not shown:
        return None
    text = truncate("  ·  ".join(shown), MAX_SECTION_TEXT)
    return {"type": "context", "elements": [mrkdwn(text)]}


def card_blocks(card: Card, *, mention: str | None = None) -> list[Block]:
    """One card: a bold summary (linked to its source), the description, fields, and a
    context line with source, status marker and time."""
    prefix = f"{mention} " if mention else ""
    title = link(card.url, card.title, MAX_SECTION_TEXT - len(prefix) - 4)
    blocks: list[Block] = [section(f"{prefix}*{title}*")]
    if card.description:
        blocks.append(section(escape_allowing_channels(card.description)))
    blocks.extend(field_blocks(card.fields))
    context = context_block([
        fit(card.footer, 1000) if card.footer else "",
        slack_date(card.timestamp) if card.timestamp else "",
    ])
    if context:
        blocks.append(context)
    return blocks


def _capped(blocks: list[Block]) -> list[Block]:
    if len(blocks) <= MAX_BLOCKS:
        return blocks
    kept = blocks[: MAX_BLOCKS - 1]
    note = {"type": "context",
            "elements": [mrkdwn(f"{ELLIPSIS} {len(blocks) - len(kept)} more blocks not shown")]}
    return [*kept, note]


def fallback_text(text: str, limit: int = MAX_FALLBACK_TEXT) -> str:
    return truncate(escape_allowing_channels(text), limit)


def render_reply(reply: Reply) -> dict[str, Any]:
    """A command's answer as `respond()` / `chat.postMessage` arguments: text + blocks
    (and response_type, which callers may drop when posting)."""
    blocks: list[Block] = []
    if reply.text:
        text = escape_allowing_channels(reply.text)
        if reply.error:
            text = f":warning: {text}"
        blocks.append(section(text))
    for index, card in enumerate(reply.cards):
        if index or blocks:
            blocks.append({"type": "divider"})
        blocks.extend(card_blocks(card))
    return {
        "response_type": "ephemeral" if reply.ephemeral or reply.error else "in_channel",
        "text": fallback_text(reply.plain() or " "),
        "blocks": _capped(blocks),
    }


def user_mention(user: str | None) -> str | None:
    """`<@U123>` for a Slack user id Pitboard stored itself; anything else is refused."""
    if user and _USER_ID.fullmatch(user):
        return f"<@{user}>"
    return None


def render_alert(alert: Alert) -> dict[str, Any]:
    """`chat.postMessage` arguments (text, blocks) for one alert. The only live mention is
    the followers this post is addressed to."""
    mentions = [m for m in (user_mention(u) for u in dict.fromkeys(alert.mention_users)) if m]
    mention = " ".join(mentions) or None
    prefix = f"{mention} " if mention else ""
    return {
        "text": prefix + fallback_text(alert.text, MAX_FALLBACK_TEXT - len(prefix)),
        "blocks": _capped(card_blocks(alert.card, mention=mention)),
    }
