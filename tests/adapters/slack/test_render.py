from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from adapters.slack import render
from bot.cards import render_alert as neutral_alert
from bot.messages import Alert, Card, CardField, Reply
from bot.models import Destination, DestinationKind, Move, MoveKind, Source, Status, Story

EVIL = "<!channel> <@U123> & <https://evil|click>"
# What Slack would parse as markup: anything between < and > that we did not write.
LIVE_MARKUP = ("<!channel>", "<!here>", "<!everyone>", "<@U123>", "<https://evil", "|click>")


def story(title: str = "Tom Blomqvist joins Action Express Racing", **move_fields) -> Story:
    fields = dict(driver="Tom Blomqvist", kind=MoveKind.JOIN, team="Action Express Racing",
                  car="31", series="IMSA", season=2024, role="endurance",
                  from_team="Meyer Shank Racing", teammates=("Pipo Derani", "Jack Aitken"))
    fields.update(move_fields)
    return Story(id=7, move=Move(**fields), summary=title, revision=1,
                 source=Source(title=title, url="https://news.example/a?x=1&y=2",
                               name="Sportscar365",
                               published=datetime(2024, 1, 5, 12, 0, tzinfo=UTC)))


def channel_alert(s: Story) -> Alert:
    return neutral_alert(s, Destination(platform="slack", workspace="T1", channel="C1"))


def all_text(payload: dict) -> str:
    return json.dumps(payload, ensure_ascii=False)


def test_escape_the_three_control_characters():
    assert render.escape(EVIL) == (
        "&lt;!channel&gt; &lt;@U123&gt; &amp; &lt;https://evil|click&gt;")


def test_feed_strings_are_inert_everywhere_in_an_alert():
    s = story(EVIL, team=EVIL, from_team="<!here>", teammates=("<@U999>",))
    payload = render.render_alert(channel_alert(s))
    text = all_text(payload)
    for markup in (*LIVE_MARKUP, "<!here>", "<@U999>"):
        assert markup not in text
    assert "&lt;!channel&gt; &lt;@U123&gt; &amp; &lt;https://evil|click&gt;" in payload["text"]
    # The story link itself is ours and stays a link, with the & of its query escaped.
    assert "<https://news.example/a?x=1&amp;y=2|" in payload["blocks"][0]["text"]["text"]


def test_alert_has_summary_fields_context_and_fallback():
    payload = render.render_alert(channel_alert(story()))
    blocks = payload["blocks"]
    assert blocks[0]["type"] == "section"
    assert "Tom Blomqvist joins Action Express Racing" in blocks[0]["text"]["text"]
    fields = [f["text"] for b in blocks if "fields" in b for f in b["fields"]]
    assert "*Team*\nAction Express Racing" in fields
    assert "*Car*\n#31" in fields
    for name in ("Series", "Season", "Role", "From", "Teammates"):
        assert any(f.startswith(f"*{name}*") for f in fields), name
    context = blocks[-1]
    assert context["type"] == "context"
    line = context["elements"][0]["text"]
    assert "Sportscar365" in line and "Confirmed" in line
    assert f"<!date^{int(datetime(2024, 1, 5, 12, tzinfo=UTC).timestamp())}^" in line
    assert payload["text"] == "Tom Blomqvist joins Action Express Racing"


def test_rumour_is_marked():
    payload = render.render_alert(channel_alert(story(status=Status.RUMOUR)))
    assert "Rumour" in payload["blocks"][-1]["elements"][0]["text"]
    assert payload["text"].startswith("Rumour:")


def test_mention_only_for_the_follower_and_only_a_user_id():
    s = story()
    mention = neutral_alert(s, Destination(platform="slack", workspace="T1", channel="C1",
                                           user="U42", kind=DestinationKind.MENTION))
    payload = render.render_alert(mention)
    assert payload["text"].startswith("<@U42> ")
    assert payload["blocks"][0]["text"]["text"].startswith("<@U42> ")
    forged = Alert(story_id=1, revision=1, card=Card(title="x"), text="x",
                   destination=mention.destination, mention_users=("!channel", "U77"))
    assert "<!channel>" not in all_text(render.render_alert(forged))
    assert render.render_alert(forged)["text"].startswith("<@U77> ")


def test_javascript_and_pipe_urls_do_not_become_links():
    card = Card(title="t", url="javascript:alert(1)")
    assert render.card_blocks(card)[0]["text"]["text"] == "*t*"
    card = Card(title="t", url="https://a.example/x|evil>")
    text = render.card_blocks(card)[0]["text"]["text"]
    assert text == "*<https://a.example/x%7Cevil&gt;|t>*"


@pytest.mark.parametrize("limit", [20, 37, 100, 3000])
def test_truncate_never_splits_words_links_or_escapes(limit):
    words = "Blomqvist &amp; Derani <https://news.example/a|the link> share car &lt;31&gt; "
    text = words * 200
    cut = render.truncate(text, limit)
    assert len(cut) <= limit
    assert cut.endswith("…")
    body = cut[:-1]
    assert text.startswith(body)
    # The cut falls before a space: no word is broken.
    assert text[len(body)] == " "
    assert body.count("<") == body.count(">")
    assert not any(body.endswith(p) for p in ("&", "&am", "&amp", "&l", "&lt", "<https"))


def test_truncate_leaves_short_text_alone_and_hard_cuts_one_long_word():
    assert render.truncate("short", 10) == "short"
    assert render.truncate("x" * 50, 10) == "x" * 9 + "…"


def test_block_kit_limits_are_respected():
    long = "word " * 2000
    fields = tuple(CardField(name=f"F{i}", value=long) for i in range(25))
    cards = tuple(Card(title=long, description=long, fields=fields) for _ in range(10))
    payload = render.render_reply(Reply(text=long, cards=cards))
    blocks = payload["blocks"]
    assert len(blocks) <= 50
    for block in blocks:
        if block["type"] == "section":
            if "text" in block:
                assert len(block["text"]["text"]) <= 3000
            assert len(block.get("fields", [])) <= 10
            for f in block.get("fields", []):
                assert len(f["text"]) <= 2000
        if block["type"] == "context":
            assert len(block["elements"]) <= 10
    assert len(payload["text"]) <= 3000


def test_reply_rendering_types_and_channel_refs():
    answer = render.render_reply(Reply(text="Lineup for car #31", cards=(Card(title="#31"),)))
    assert answer["response_type"] == "in_channel"
    personal = render.render_reply(Reply(text="Alerts go to <#C0ALERTS>.", ephemeral=True))
    assert personal["response_type"] == "ephemeral"
    # A channel reference the core wrote stays a link (it notifies nobody)...
    assert "<#C0ALERTS>" in personal["blocks"][0]["text"]["text"]
    # ...but nothing that could ping does.
    error = render.render_reply(Reply(text="no <!here> <@U1>", error=True))
    assert error["response_type"] == "ephemeral"
    assert "<!here>" not in all_text(error) and "<@U1>" not in all_text(error)
    assert error["blocks"][0]["text"]["text"].startswith(":warning:")


def test_non_inline_fields_get_their_own_section():
    card = Card(title="Tom Blomqvist", fields=(
        CardField(name="Seats", value="IMSA · 2024 · Action Express Racing", inline=False),
        CardField(name="Team", value="AXR"),
    ))
    blocks = render.card_blocks(card)
    assert blocks[1]["text"]["text"].startswith("*Seats*\n")
    assert blocks[2]["fields"][0]["text"] == "*Team*\nAXR"
