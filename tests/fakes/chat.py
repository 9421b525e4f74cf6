"""Pitboard in a chat window, for end-to-end tests of one line each, as errbot's test
backend does it:

    def test_lineup(bot):
        bot.read("Tom Blomqvist will join Cadillac", "... No. 31 ...", series="IMSA")
        assert "Derani" in bot.say("/lineup 31")

Everything below the chat is real: the rules engine reads the article, a SQLite store in a
temporary file records it, the command core answers, and the console adapter parses what
is typed and renders the answer as the terminal shows it. It runs on an event loop of its
own, so the tests are plain functions."""

from __future__ import annotations

import asyncio
import io
from datetime import datetime
from pathlib import Path

from adapters.console import ConsoleSession, render_reply
from bot.commands import Commands
from bot.models import Article, utcnow
from bot.pipeline import confident_part
from bot.rules import extract, gazetteer
from storage import SqlStore


class ChatBot:
    def __init__(self, folder: Path) -> None:
        self._loop = asyncio.Runner()
        self.store: SqlStore = self._loop.run(SqlStore.open(
            f"sqlite+aiosqlite:///{folder / 'chat.db'}"))
        self.commands = Commands(self.store, gazetteer=gazetteer())
        self._fan = ConsoleSession(self.commands, out=io.StringIO(), user="fan",
                                   moderator=False)
        self._moderator = ConsoleSession(self.commands, out=io.StringIO(), user="marshal",
                                         moderator=True)
        self._articles = 0
        self._feed_id: int | None = None

    def say(self, line: str, *, moderator: bool = False) -> str:
        """Type `line` as a fan (or a moderator); the answer as the console shows it."""
        session = self._moderator if moderator else self._fan
        return render_reply(self._loop.run(session.execute(line)))

    def read(self, title: str, body: str = "", *, series: str | None = None,
             published: datetime | None = None) -> list[str]:
        """An article arrives and is read as a poll reads it; the headlines it made news of."""
        return self._loop.run(self._read(title, body, series, published or utcnow()))

    async def _read(self, title: str, body: str, series: str | None,
                    published: datetime) -> list[str]:
        if self._feed_id is None:
            self._feed_id = (await self.store.add_feed("https://news.example/rss")).id
        self._articles += 1
        [article] = await self.store.add_articles(self._feed_id, [Article(
            entry_id=f"article-{self._articles}", title=title, summary=body,
            url=f"https://news.example/{self._articles}", published=published,
            series=series, source="News Example")])
        extraction = confident_part(extract(article))
        return [story.summary for story in await self.store.record_extraction(article,
                                                                               extraction)]

    def close(self) -> None:
        self._loop.run(self.store.close())
        self._loop.close()
