"""An operator's first run: `pitboard feed check URL` shows what Pitboard reads in a feed
without storing or sending anything; `pitboard poll --now` polls every feed at once.
Real subprocesses against the fake site on 127.0.0.1."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import storage
from tests.e2e.test_loop import BLOMQVIST, OLD_NEWS
from tests.fakes.feed_server import rss


def environment(tmp_path: Path) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("DISCORD_", "SLACK_", "DATABASE_URL", "PITBOARD_"))}
    return {**clean, "DATABASE_URL": f"sqlite:///{tmp_path / 'op.db'}",
            "PITBOARD_ALLOW_PRIVATE_FEEDS": "true"}


async def pitboard(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    # Not subprocess.run: the fake site answers from this test's event loop.
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", *args, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), 60)
    return process.returncode or 0, out.decode(), err.decode()


async def test_feed_check_prints_items_and_moves_and_stores_nothing(tmp_path, server):
    server.set_feed("/imsa.xml", rss([BLOMQVIST, OLD_NEWS], title="Sportscar News"))
    env = environment(tmp_path)
    code, out, err = await pitboard(env, "feed", "check", server.url("/imsa.xml"),
                                    "--series", "IMSA")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("Sportscar News — ")
    assert "2 entries; the latest 2:" in out
    blomqvist = out.index(BLOMQVIST["title"])
    old = out.index(OLD_NEWS["title"])
    assert blomqvist < old  # newest first
    moves = out[blomqvist:old]
    assert "→ " in moves and "Tom Blomqvist" in moves and "Action Express Racing" in moves
    assert "→ no driver move read" in out[old:]
    assert not (tmp_path / "op.db").exists()  # nothing stored: not even a database


async def test_feed_check_says_why_a_url_is_no_feed(tmp_path, server):
    server.fail("/gone.xml", 404)
    code, _out, err = await pitboard(environment(tmp_path), "feed", "check",
                                    server.url("/gone.xml"))
    assert code != 0 and "no feed at this address" in err


async def test_poll_now_polls_every_feed_whatever_its_schedule(tmp_path, server):
    env = environment(tmp_path)
    server.set_feed("/a.xml", rss([OLD_NEWS]))
    server.set_feed("/b.xml", rss([BLOMQVIST]))
    store = await storage.SqlStore.open(env["DATABASE_URL"])
    try:
        for path in ("/a.xml", "/b.xml"):
            await store.add_feed(server.url(path), interval_seconds=3600)
        paused = await store.add_feed(server.url("/c.xml"))
        await store.set_paused(paused.id, True)
    finally:
        await store.close()
    code, out, err = await pitboard(env, "poll")
    assert code == 0, err
    assert len(server.requests_for("/a.xml")) == 1  # new feeds are due at once
    code, out, err = await pitboard(env, "poll")
    assert code == 0 and len(server.requests_for("/a.xml")) == 1  # not due for an hour
    code, out, err = await pitboard(env, "poll", "--now")
    assert code == 0, err
    assert len(server.requests_for("/a.xml")) == 2 and len(server.requests_for("/b.xml")) == 2
    assert f"{server.url('/a.xml')}: not modified" in out
    assert server.requests_for("/c.xml") == []  # paused stays paused


async def test_feeds_and_feed_list_show_each_feeds_health(tmp_path, server):
    env = {**environment(tmp_path), "COLUMNS": "200"}
    server.set_feed("/ok.xml", rss([OLD_NEWS, BLOMQVIST], title="Sportscar [News]"))
    server.fail("/gone.xml", 410)
    server.fail("/down.xml", 500)
    store = await storage.SqlStore.open(env["DATABASE_URL"])
    try:
        for path in ("/ok.xml", "/gone.xml", "/down.xml"):
            await store.add_feed(server.url(path))
    finally:
        await store.close()
    code, _, err = await pitboard(env, "poll")
    assert code == 0, err
    code, out, err = await pitboard(env, "feeds")
    assert code == 0, err
    rows = {line.split("│")[1].strip(): line for line in out.splitlines()
            if line.count("│") > 2 and line.split("│")[1].strip().isdigit()}
    assert "Sportscar [News]" in rows["1"] and "just now" in rows["1"]
    assert "in 10 min" in rows["1"] or "in 9 min" in rows["1"]
    assert "│ 2 " in rows["1"]  # entries seen
    assert rows["1"].split("│")[7].strip() == "0"  # alerts produced: a first poll makes none
    assert "disabled" in rows["2"] and "stopped: the site says the feed is gone" in out
    assert "never" in rows["3"] and "last error: HTTP 500" in out

    code, out, err = await pitboard(env, "feed", "list")
    assert code == 0, err
    assert "1. Sportscar [News] (every 10 min)" in out
    assert "last success: just now · next poll: in" in out and "2 entries seen" in out
    assert "0 alerts produced" in out
    assert "2. " in out and "(disabled)" in out and "/feed resume 2 starts it again" in out
    assert "3. " in out and "last success: never" in out and "last error: HTTP 500" in out
