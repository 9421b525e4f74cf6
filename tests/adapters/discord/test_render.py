"""Rendering is pure: neutral Reply/Alert in, Discord content and embeds out, within limits."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import discord
from hypothesis import given
from hypothesis import strategies as st

from adapters.discord import render
from adapters.discord.render import (
    cut,
    defuse_mentions,
    escape,
    render_alert,
    render_reply,
)
from bot.messages import Alert, Card, CardField, Reply
from bot.models import Destination, DestinationKind, Status

URL = re.compile(r"https?://\S+")

words = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)),
                min_size=1, max_size=30)
links = st.builds(lambda path: f"https://example.com/{path}",
                  st.text(alphabet="abcdefghij_-/0123456789", min_size=1, max_size=80))
markdown_links = st.builds(lambda text, url: f"[{text}]({url})",
                           st.text(alphabet="abc def", min_size=1, max_size=20), links)
texts = st.lists(st.one_of(words, links, markdown_links), min_size=1, max_size=60).map(" ".join)


@given(texts, st.integers(min_value=2, max_value=400))
def test_cut_fits_keeps_a_prefix_and_never_splits_a_link(text: str, limit: int) -> None:
    shortened = cut(text, limit)
    assert len(shortened) <= limit
    if len(text) <= limit:
        assert shortened == text
        return
    assert shortened.endswith("…")
    kept = shortened[:-1]
    assert text.startswith(kept)
    # Every link that survives is whole: the original has the same link at that spot.
    for found in URL.finditer(kept):
        whole = URL.match(text, found.start())
        assert whole is not None and whole.group() == found.group(), (found.group(), text)
    for opened in re.finditer(r"\]\(", kept):
        assert ")" in kept[opened.end():], kept


def test_cut_stops_at_a_word_boundary() -> None:
    assert cut("Tom Blomqvist joins Action Express Racing", 20) == "Tom Blomqvist joins…"
    assert cut("short", 20) == "short"


def test_cut_drops_a_link_rather_than_breaking_it() -> None:
    text = "Read more at https://example.com/a/very/long/path/to/the/article and more"
    assert cut(text, 40) == "Read more at…"
    text = "See [the full story](https://example.com/story/12345) now"
    assert cut(text, 30) == "See…"


def test_cut_hard_cuts_one_giant_word() -> None:
    assert cut("x" * 50, 10) == "x" * 9 + "…"


def test_mentions_are_defused_but_channel_links_kept() -> None:
    text = "@everyone @here <@456> <@!789> <@&123> in <#42>"
    defused = defuse_mentions(text)
    assert "@everyone" not in defused and "@here" not in defused
    assert not re.search(r"<@[!&]?\d+>", defused)
    assert "<#42>" in defused
    # What readers see is unchanged apart from the invisible break.
    assert defused.replace("\u200b", "") == text


def test_escape_keeps_urls_clickable() -> None:
    escaped = escape("**bold** https://example.com/a_b_c")
    assert "\\*\\*bold\\*\\*" in escaped
    assert "https://example.com/a_b_c" in escaped


def _huge_card(n: int = 0) -> Card:
    return Card(
        title=f"{n} " + "Title word " * 60,
        description="Description word " * 400,
        fields=tuple(CardField(name="Name " * 80, value="Value word " * 200)
                     for _ in range(30)),
        url="https://example.com/story",
        footer="Footer " * 400,
        colour=0x1E90FF,
    )


def test_every_embed_limit_holds_for_oversized_cards() -> None:
    message = render_reply(Reply(text="Text " * 600, cards=tuple(_huge_card(i) for i in range(12))))
    assert message.content is not None and len(message.content) <= render.CONTENT_LIMIT
    assert 1 <= len(message.embeds) <= render.EMBEDS_PER_MESSAGE
    assert sum(len(embed) for embed in message.embeds) <= render.EMBEDS_TOTAL_LIMIT
    for embed in message.embeds:
        data = embed.to_dict()
        assert len(data["title"]) <= render.TITLE_LIMIT
        assert len(data.get("description", "")) <= render.DESCRIPTION_LIMIT
        assert len(data.get("fields", [])) <= render.FIELD_COUNT_LIMIT
        for field in data.get("fields", []):
            assert 0 < len(field["name"]) <= render.FIELD_NAME_LIMIT
            assert 0 < len(field["value"]) <= render.FIELD_VALUE_LIMIT
        assert len(data.get("footer", {}).get("text", "")) <= render.FOOTER_LIMIT
    assert "more not shown" in message.content


def test_reply_cards_become_embeds_with_fields_link_colour_and_time() -> None:
    when = datetime(2024, 1, 5, 12, 0, tzinfo=UTC)
    card = Card(title="#31 · Action Express Racing", description="Tom Blomqvist · endurance",
                fields=(CardField(name="Series", value="IMSA"),
                        CardField(name="Season", value="2024", inline=False)),
                url="https://example.com/31", colour=0xC0C0C0, footer="Latest source: X",
                timestamp=when)
    message = render_reply(Reply(text="Lineup for car #31", cards=(card,)))
    assert message.content == "Lineup for car #31"
    assert message.ephemeral is False
    (embed,) = message.embeds
    data = embed.to_dict()
    assert data["title"] == "#31 · Action Express Racing"
    assert data["url"] == "https://example.com/31"
    assert data["color"] == 0xC0C0C0
    assert data["timestamp"].startswith("2024-01-05T12:00:00")
    assert data["fields"] == [
        {"name": "Series", "value": "IMSA", "inline": True},
        {"name": "Season", "value": "2024", "inline": False},
    ]
    assert data["footer"]["text"] == "Latest source: X"


def test_error_and_ephemeral_replies_are_private() -> None:
    assert render_reply(Reply(text="nope", error=True)).ephemeral is True
    assert render_reply(Reply(text="yours", ephemeral=True)).ephemeral is True
    assert render_reply(Reply()).content == "Done."


def test_an_unusable_card_url_is_left_out_instead_of_failing_the_message() -> None:
    for url in ("javascript:alert(1)", "https://exa mple.com", "x" * 3000):
        embed = render.card_embed(Card(title="t", url=url))
        assert embed.url is None


def _alert(title: str, *, kind: DestinationKind = DestinationKind.CHANNEL,
           mention_user: str | None = None) -> Alert:
    return Alert(story_id=1, revision=1,
                 card=Card(title=title, status=Status.RUMOUR),
                 text=title,
                 destination=Destination(platform="discord", workspace="1", channel="2",
                                         kind=kind, user=mention_user),
                 mention_users=(mention_user,) if mention_user else ())


def test_alert_from_a_feed_cannot_mention_anyone() -> None:
    message = render_alert(_alert("@everyone <@&123> <@456> read this"))
    assert message.content is None
    assert message.allowed_mentions.to_dict() == {"parse": []}
    title = message.embeds[0].title or ""
    assert "@everyone" not in title and "<@&123>" not in title and "<@456>" not in title
    assert message.embeds[0].footer.text == "💬 Rumour"


def test_a_personal_follow_mentions_exactly_that_user() -> None:
    message = render_alert(_alert("@here news", kind=DestinationKind.MENTION,
                                  mention_user="700000000000000003"))
    assert message.content == "<@700000000000000003>"
    assert message.allowed_mentions.to_dict() == {"parse": [], "users": [700000000000000003]}
    # Something that isn't a user id never becomes a mention.
    message = render_alert(_alert("x", kind=DestinationKind.MENTION, mention_user="@everyone"))
    assert message.content is None
    assert isinstance(message.allowed_mentions, discord.AllowedMentions)
    assert message.allowed_mentions.to_dict()["parse"] == []


def test_one_post_mentions_exactly_its_followers_and_no_one_else() -> None:
    alert = Alert(story_id=1, revision=1, card=Card(title="@everyone news"), text="x",
                  destination=Destination(platform="discord", workspace="1", channel="2"),
                  mention_users=("700000000000000003", "@here", "700000000000000004",
                                 "700000000000000003"))
    message = render_alert(alert)
    assert message.content == "<@700000000000000003> <@700000000000000004>"
    assert message.allowed_mentions.to_dict() == {
        "parse": [], "users": [700000000000000003, 700000000000000004]}


def test_only_real_headings_are_escaped() -> None:
    assert escape("#31 · Action Express Racing") == "#31 · Action Express Racing"
    assert escape("# Breaking") == "\\# Breaking"
    assert escape("news\n## Big") == "news\n\\## Big"
