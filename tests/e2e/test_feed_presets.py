"""The feed catalogue: `/feed presets` lists well-known feeds by series and `/feed add preset
IMSA` adds a series' feeds through the same checks as `/feed add URL`. The catalogue's URLs
are pointed at a fake site on 127.0.0.1 with PITBOARD_FEED_CATALOGUE. Real app, fetcher,
commands and SQLite; the CLI in a real subprocess."""

from __future__ import annotations

import asyncio
import io
import os
import sys
from pathlib import Path

import pytest

import feeds
from bot.app import PitboardApp
from bot.config import Settings
from tests.e2e.test_loop import BLOMQVIST, OLD_NEWS
from tests.fakes.feed_server import FakeFeedServer, rss

MOD = {"platform": "console", "workspace": "local", "user": "mod", "is_moderator": True}
FAN = {"platform": "console", "workspace": "local", "user": "fan", "is_moderator": False}


@pytest.fixture
async def server():
    async with FakeFeedServer() as fake:
        fake.set_feed("/sportscar.xml", rss([BLOMQVIST, OLD_NEWS], title="Sportscar News"))
        fake.set_feed("/paddock.xml", rss([OLD_NEWS], title="Paddock Wire"))
        fake.fail("/moved-away.xml", 404)
        fake.set_feed("/f1.xml", rss([OLD_NEWS], title="Grand Prix Daily"))
        yield fake


def catalogue(tmp_path: Path, server: FakeFeedServer) -> Path:
    entries = [("IMSA", "Sportscar News Co", "/sportscar.xml"),
               ("IMSA", "Paddock Wire Ltd", "/paddock.xml"),
               ("IMSA", "Gone Racing", "/moved-away.xml"),
               ("F1", "Grand Prix Daily", "/f1.xml"),
               ("MotoGP", "Gone Racing", "/moved-away.xml")]
    path = tmp_path / "catalogue.toml"
    path.write_text("".join(
        f'[[feed]]\nseries = "{series}"\npublisher = "{publisher}"\n'
        f'url = "{server.url(where)}"\n' for series, publisher, where in entries))
    return path


@pytest.fixture
async def app(tmp_path: Path, server: FakeFeedServer):
    settings = Settings(_env_file=None, database_url=f"sqlite+aiosqlite:///{tmp_path}/p.db",
                        pitboard_allow_private_feeds=True, pitboard_console=True,
                        pitboard_feed_catalogue=str(catalogue(tmp_path, server)))
    application = await PitboardApp.create(
        settings, console_out=io.StringIO(),
        fetch_settings=feeds.FetchSettings(allow_private=True, timeout_seconds=2.0))
    yield application
    await application.close()


async def test_presets_are_listed_by_series(app, server):
    fan = await app.commands.run_text("/feed presets", **FAN)
    assert fan.error and "moderators only" in fan.text  # as the whole /feed group
    reply = await app.commands.run_text("/feed presets", **MOD)
    assert not reply.error, reply.text
    lines = reply.plain().splitlines()
    assert lines[1].startswith("IMSA: Sportscar News Co " + server.url("/sportscar.xml"))
    assert "Gone Racing" in lines[1] and lines[2].startswith("F1: Grand Prix Daily")
    only_f1 = (await app.commands.run_text("/feed presets f1", **MOD)).plain()
    assert "Grand Prix Daily" in only_f1 and "IMSA" not in only_f1
    none = await app.commands.run_text("/feed presets WEC", **MOD)
    assert none.error and "No preset feeds for WEC" in none.text
    unknown = await app.commands.run_text("/feed presets nosuchseries", **MOD)
    assert unknown.error and "I don't know the series" in unknown.text


async def test_add_preset_adds_a_series_feeds_through_the_checked_path(app, server):
    reply = await app.commands.run_text("/feed add preset imsa", **MOD)
    assert not reply.error, reply.text
    text = reply.plain()
    assert text.startswith("Added 2 of the 3 IMSA preset feeds.")
    assert "Sportscar News Co: Added feed" in text and "Sportscar News" in text
    # The dead one is refused with its reason, as /feed add URL refuses it; the others stand.
    assert (f"Gone Racing ({server.url('/moved-away.xml')}): Can't add that feed: HTTP 404"
            in text)
    added = await app.store.list_feeds(None)
    assert sorted(f.url for f in added) == sorted(
        [server.url("/sportscar.xml"), server.url("/paddock.xml")])
    # Probed and primed like any added feed: named from their titles, entries recorded
    # silently, the series set.
    assert all(f.primed and f.series == "IMSA" for f in added)
    assert {f.title for f in added} == {"Sportscar News", "Paddock Wire"}
    assert (await app.deliver_now()).sent == 0

    again = await app.commands.run_text("/feed add preset IMSA", **MOD)
    assert "Added 0 of the 3" in again.plain() and "already on the feed list" in again.plain()
    assert not again.error  # one refused, but the others are already there
    assert len(await app.store.list_feeds(None)) == 2


async def test_add_preset_needs_a_moderator_and_a_series_with_presets(app):
    fan = await app.commands.run_text("/feed add preset IMSA", **FAN)
    assert fan.error and "moderators only" in fan.text
    no_series = await app.commands.run_text("/feed add preset", **MOD)
    assert no_series.error and "Name the series" in no_series.text
    empty = await app.commands.run_text("/feed add preset WEC", **MOD)
    assert empty.error and "No preset feeds for WEC" in empty.text
    refused = await app.commands.run_text("/feed add preset MotoGP", **MOD)
    assert refused.error and refused.plain().startswith("Added 0 of the 1 MotoGP preset feed.")
    assert "Can't add that feed: HTTP 404" in refused.plain()
    assert await app.store.list_feeds() == []


async def test_a_broken_catalogue_is_logged_and_the_bot_still_runs(tmp_path, caplog):
    path = tmp_path / "broken.toml"
    path.write_text('[[feed]]\nseries = "IMSA"\n')
    settings = Settings(_env_file=None, database_url=f"sqlite+aiosqlite:///{tmp_path}/b.db",
                        pitboard_console=True, pitboard_feed_catalogue=str(path))
    application = await PitboardApp.create(settings, console_out=io.StringIO())
    try:
        reply = await application.commands.run_text("/feed presets", **MOD)
    finally:
        await application.close()
    assert "No preset feeds in this deployment's catalogue" in reply.text
    assert "entry 1: needs a publisher" in caplog.text


async def cli(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    # Not subprocess.run: the fake site answers from this test's event loop.
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", *args, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), 60)
    return process.returncode or 0, out.decode(), err.decode()


async def test_the_cli_lists_and_adds_presets(tmp_path, server):
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("DISCORD_", "SLACK_", "DATABASE_URL", "PITBOARD_"))}
    env = {**clean, "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
           "PITBOARD_ALLOW_PRIVATE_FEEDS": "true",
           "PITBOARD_FEED_CATALOGUE": str(catalogue(tmp_path, server))}
    code, out, err = await cli(env, "feed", "presets", "--series", "F1")
    assert code == 0, err
    assert "F1: Grand Prix Daily " + server.url("/f1.xml") in out and "IMSA" not in out
    code, out, err = await cli(env, "feed", "add", "preset", "F1")
    assert code == 0, err
    assert "Added 1 of the 1 F1 preset feed." in out and "Grand Prix Daily" in out
    code, out, err = await cli(env, "feed", "add", server.url("/f1.xml"), "F1")
    assert code == 2 and "one URL at a time" in err
    code, out, err = await cli(env, "feed", "list")
    assert code == 0 and "Grand Prix Daily" in out
