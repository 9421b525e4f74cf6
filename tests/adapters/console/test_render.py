"""The console prints chat references as a reader sees them in the chat."""

from __future__ import annotations

import io
from pathlib import Path

import storage
from adapters.console import ConsoleSession, render_reply
from bot.commands import Commands
from bot.messages import Card, CardField, Reply
from bot.rules import gazetteer


def test_channel_and_user_references_read_as_names():
    reply = Reply(text="Alerts go to <#paddock-news>, Slack's <#C0123|imsa-news>, and "
                       "<@U42> by DM.",
                  cards=(Card(title="In <#alerts>", description="see <#C9|general>",
                              fields=(CardField(name="Where", value="<#news>"),)),))
    text = render_reply(reply)
    assert "Alerts go to #paddock-news, Slack's #imsa-news, and @U42 by DM." in text
    assert "In #alerts" in text and "see #general" in text and "Where: #news" in text
    assert "<" not in text


async def test_alerts_channel_answer_in_the_console(tmp_path: Path):
    store = await storage.SqlStore.open(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
    out = io.StringIO()
    try:
        session = ConsoleSession(Commands(store, gazetteer=gazetteer()), out=out)
        await session.say("/alerts channel #paddock-news")
    finally:
        await store.close()
    assert "Driver-move alerts will be posted in #paddock-news." in out.getvalue()
