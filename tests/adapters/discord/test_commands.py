"""Every slash command end to end: INTERACTION_CREATE into discord.py's real command tree,
the real command core over a real SqlStore, the callback JSON asserted as the fake got it."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import discord

from adapters.discord import PitboardDiscord
from bot.commands import Commands
from bot.messages import CommandCall, Reply
from bot.models import DestinationKind, TargetKind
from storage import SqlStore
from tests.adapters.discord.conftest import (
    ALERTS_CHANNEL_ID,
    CHANNEL_ID,
    FAN_ID,
    GUILD_ID,
    MANAGE_SERVER,
    MODERATOR_ID,
    Invoke,
    MakeBot,
    seed_story,
)
from tests.fakes.discord_server import APPLICATION_ID, FakeDiscord, interaction_payload

EPHEMERAL = 64
NO_PINGS = {"parse": []}


def option(name: str, value: Any, kind: int = 3, **extra: Any) -> dict[str, Any]:
    return {"name": name, "type": kind, "value": value, **extra}


def public(callback: dict[str, Any]) -> dict[str, Any]:
    assert callback["type"] == 4  # CHANNEL_MESSAGE_WITH_SOURCE
    data = callback["data"]
    assert not data.get("flags", 0) & EPHEMERAL, data
    assert data["allowed_mentions"] == NO_PINGS
    return data


def private(callback: dict[str, Any]) -> dict[str, Any]:
    assert callback["type"] == 4
    data = callback["data"]
    assert data["flags"] & EPHEMERAL, data
    assert data["allowed_mentions"] == NO_PINGS
    return data


# ----- fans ---------------------------------------------------------------------------------


async def test_lineup_answers_with_an_embed(invoke: Invoke, store: SqlStore) -> None:
    await seed_story(store)
    data = public(await invoke("lineup", [option("car", "31")]))
    assert data["content"] == "Lineup for car #31"
    (embed,) = data["embeds"]
    assert embed["title"] == "#31 · Action Express Racing"
    assert embed["description"] == "Tom Blomqvist · endurance · confirmed · source: IMSA Wire"
    assert embed["url"] == "https://news.example/a1"
    assert {f["name"]: f["value"] for f in embed["fields"]} == {"Series": "IMSA",
                                                                "Season": "2024"}


async def test_lineup_with_series_and_season_options(invoke: Invoke, store: SqlStore) -> None:
    await seed_story(store)
    data = public(await invoke("lineup", [option("car", "31"), option("series", "IMSA"),
                                          option("season", 2024, kind=4)]))
    assert data["embeds"][0]["title"].endswith("Action Express Racing")
    data = private(await invoke("lineup", [option("car", "31"),
                                           option("season", 2023, kind=4)]))
    assert data["content"].startswith("No lineup known yet for car #31 in 2023")
    assert "embeds" not in data or data["embeds"] == []


async def test_driver_answers_with_seats_and_moves(invoke: Invoke, store: SqlStore) -> None:
    await seed_story(store)
    data = public(await invoke("driver", [option("name", "blomqvist")]))
    (embed,) = data["embeds"]
    assert embed["title"] == "Tom Blomqvist"
    fields = {f["name"]: f for f in embed["fields"]}
    assert "Action Express Racing" in fields["Seats"]["value"]
    assert fields["Seats"]["inline"] is False
    assert "Tom Blomqvist joins Action Express Racing" in fields["Recent moves"]["value"]


async def test_news_renders_the_alert_card(invoke: Invoke, store: SqlStore) -> None:
    await seed_story(store)
    data = public(await invoke("news", [option("count", 1, kind=4)]))
    (embed,) = data["embeds"]
    assert embed["title"] == "Tom Blomqvist joins Action Express Racing (#31, IMSA 2024)"
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert fields == {"Team": "Action Express Racing", "Car": "#31", "Series": "IMSA",
                      "Season": "2024", "Role": "endurance", "From": "Meyer Shank Racing",
                      "Teammates": "Pipo Derani"}
    assert embed["footer"]["text"] == "✅ Confirmed · IMSA Wire"
    assert embed["timestamp"].startswith("2024-01-05T12:00:00")
    assert embed["url"] == "https://news.example/a1"


async def test_news_with_nothing_yet_is_private(invoke: Invoke) -> None:
    data = private(await invoke("news"))
    assert data["content"] == "No driver moves seen yet."


async def test_follow_following_unfollow(invoke: Invoke, store: SqlStore) -> None:
    data = private(await invoke("follow", [option("target", "team"),
                                           option("value", "Ferrari"),
                                           option("via", "dm")]))
    # A maker's name covers every entry racing under it, and the answer says which.
    assert data["content"].startswith("Following team Ferrari (covers Ferrari (F1), ")
    assert data["content"].endswith(" more): alerts reach you by direct message.")
    (sub,) = await store.subscriptions_for("discord", str(GUILD_ID), str(FAN_ID))
    assert (sub.target, sub.value) == (TargetKind.TEAM, "Ferrari")
    assert sub.destination.kind is DestinationKind.DM
    assert sub.destination.user == str(FAN_ID)

    data = private(await invoke("following"))
    assert data["content"] == "You follow:\nteam: Ferrari — by direct message"

    data = private(await invoke("unfollow", [option("target", "team"),
                                             option("value", "ferrari")]))
    assert data["content"] == "Stopped following team Ferrari."
    assert await store.subscriptions_for("discord", str(GUILD_ID), str(FAN_ID)) == []


async def test_follow_by_mention_goes_to_the_alerts_channel(invoke: Invoke,
                                                            store: SqlStore) -> None:
    await invoke("alerts channel", [option("channel", str(ALERTS_CHANNEL_ID), kind=7)],
                 permissions=MANAGE_SERVER, user_id=MODERATOR_ID,
                 resolved=_resolved_channel(ALERTS_CHANNEL_ID))
    data = private(await invoke("follow", [option("target", "car"), option("value", "31"),
                                           option("via", "mention")]))
    assert "with a mention in the alerts channel" in data["content"]
    (sub,) = await store.subscriptions_for("discord", str(GUILD_ID), str(FAN_ID))
    assert sub.destination.kind is DestinationKind.MENTION
    assert sub.destination.channel == str(ALERTS_CHANNEL_ID)


async def test_following_in_a_dm_uses_the_dm_workspace(invoke: Invoke,
                                                       store: SqlStore) -> None:
    private(await invoke("follow", [option("target", "driver"),
                                    option("value", "Max Verstappen")], guild_id=None))
    (sub,) = await store.subscriptions_for("discord", "dm", str(FAN_ID))
    assert sub.value == "Max Verstappen"
    assert sub.destination.kind is DestinationKind.DM


async def test_help_lists_fan_commands_privately(invoke: Invoke) -> None:
    data = private(await invoke("help"))
    assert data["content"].startswith("Pitboard commands:")
    assert "/lineup" in data["content"]
    assert "/feed add" not in data["content"]
    data = private(await invoke("help", [option("command", "lineup")]))
    assert "/lineup 31 IMSA 2024" in data["content"]


# ----- moderators ---------------------------------------------------------------------------


async def test_a_fan_cannot_add_a_feed(invoke: Invoke, store: SqlStore) -> None:
    data = private(await invoke("feed add", [option("url", "https://news.example/f1.xml")]))
    assert data["content"] == ("/feed add is for moderators: it needs the Manage Server "
                               "permission in this server.")
    assert await store.list_feeds() == []


async def test_a_moderator_manages_feeds(invoke: Invoke, store: SqlStore) -> None:
    mod = {"permissions": MANAGE_SERVER, "user_id": MODERATOR_ID}
    data = private(await invoke("feed add", [option("url", "https://news.example/f1.xml"),
                                             option("series", "F1"),
                                             option("every", 15, kind=4)], **mod))
    assert data["content"].startswith("Added feed 1: https://news.example/f1.xml (every 15 min")
    (feed,) = await store.list_feeds()
    assert (feed.url, feed.series, feed.interval_seconds) == (
        "https://news.example/f1.xml", "F1", 900)
    assert feed.workspace == f"discord:{GUILD_ID}"

    data = private(await invoke("feed list", **mod))
    assert data["content"] == ("Feeds:\n1. https://news.example/f1.xml (every 15 min, F1)\n"
                               "   last success: never · next poll: due now · 0 entries seen"
                               " · 0 alerts produced\nFailed alerts here: none.")

    private(await invoke("feed pause", [option("feed", 1, kind=4)], **mod))
    assert (await store.get_feed(1)).paused is True  # type: ignore[union-attr]
    private(await invoke("feed resume", [option("feed", 1, kind=4)], **mod))
    assert (await store.get_feed(1)).paused is False  # type: ignore[union-attr]
    data = private(await invoke("feed remove", [option("feed", 1, kind=4)], **mod))
    assert data["content"] == "Removed feed 1."
    assert await store.list_feeds() == []


async def test_administrators_count_as_moderators(invoke: Invoke, store: SqlStore) -> None:
    private(await invoke("feed add", [option("url", "https://news.example/x.xml")],
                         permissions=discord.Permissions(administrator=True)))
    assert len(await store.list_feeds()) == 1


async def test_every_moderator_command_refuses_a_fan(invoke: Invoke, store: SqlStore) -> None:
    for name, options in [
        ("feed list", []),
        ("feed remove", [option("feed", 1, kind=4)]),
        ("feed pause", [option("feed", 1, kind=4)]),
        ("feed resume", [option("feed", 1, kind=4)]),
        ("settings series", [option("series", "F1")]),
    ]:
        data = private(await invoke(name, options))
        assert "needs the Manage Server permission" in data["content"], name
    data = private(await invoke("alerts channel", [option("channel", str(CHANNEL_ID), kind=7)],
                                resolved=_resolved_channel(CHANNEL_ID)))
    assert "needs the Manage Server permission" in data["content"]
    assert await store.subscriptions_for("discord", str(GUILD_ID), None) == []
    assert await store.get_setting("discord", str(GUILD_ID), "default_series") is None


def _resolved_channel(channel_id: int) -> dict[str, Any]:
    return {"channels": {str(channel_id): {
        "id": str(channel_id), "name": "paddock-news", "type": 0,
        "permissions": str(discord.Permissions.all().value), "guild_id": str(GUILD_ID)}}}


async def test_alerts_channel_sets_the_guild_alerts_channel(invoke: Invoke,
                                                            store: SqlStore) -> None:
    data = private(await invoke("alerts channel",
                                [option("channel", str(ALERTS_CHANNEL_ID), kind=7)],
                                permissions=MANAGE_SERVER,
                                resolved=_resolved_channel(ALERTS_CHANNEL_ID)))
    assert data["content"] == f"Driver-move alerts will be posted in <#{ALERTS_CHANNEL_ID}>."
    (sub,) = await store.subscriptions_for("discord", str(GUILD_ID), None)
    assert sub.target is TargetKind.ALL
    assert sub.destination.channel == str(ALERTS_CHANNEL_ID)
    assert sub.destination.kind is DestinationKind.CHANNEL


async def test_settings_series_sets_the_default_for_lineup(invoke: Invoke,
                                                           store: SqlStore) -> None:
    data = private(await invoke("settings series", [option("series", "imsa")],
                                permissions=MANAGE_SERVER))
    assert data["content"] == "/lineup now defaults to IMSA here."
    assert await store.get_setting("discord", str(GUILD_ID), "default_series") == "IMSA"


async def test_bad_input_comes_back_as_a_private_usage_error(invoke: Invoke) -> None:
    data = private(await invoke("lineup", [option("car", "31"), option("series", "Nope")]))
    assert data["content"].startswith("I don't know the series 'Nope'")


# ----- autocomplete -------------------------------------------------------------------------


async def _autocomplete(bot: PitboardDiscord, fake: FakeDiscord, name: str,
                        options: list[dict[str, Any]], **payload: Any) -> list[dict[str, Any]]:
    data = interaction_payload(name, options, interaction_type=4, **payload)
    await bot.tree._call(discord.Interaction(data=data, state=bot._connection))
    (callback,) = fake.callbacks(data["id"])
    assert callback["type"] == 8  # APPLICATION_COMMAND_AUTOCOMPLETE_RESULT
    return callback["data"]["choices"]  # type: ignore[no-any-return]


async def test_autocomplete_offers_names_from_the_database(
        bot: PitboardDiscord, fake_discord: FakeDiscord, store: SqlStore) -> None:
    await seed_story(store)
    choices = await _autocomplete(bot, fake_discord, "driver",
                                  [option("name", "blom", focused=True)])
    assert {"name": "Tom Blomqvist", "value": "Tom Blomqvist"} in choices
    # /follow team <value>: the value suggestions follow the target picked first.
    choices = await _autocomplete(bot, fake_discord, "follow",
                                  [option("target", "team"),
                                   option("value", "action", focused=True)])
    assert {"name": "Action Express Racing", "value": "Action Express Racing"} in choices
    assert len(choices) <= 25


async def test_feed_autocomplete_offers_feed_numbers(
        bot: PitboardDiscord, fake_discord: FakeDiscord, store: SqlStore) -> None:
    await store.add_feed("https://news.example/imsa.xml", title="IMSA Wire",
                         workspace=f"discord:{GUILD_ID}")
    choices = await _autocomplete(bot, fake_discord, "feed pause",
                                  [option("feed", "", kind=4, focused=True)],
                                  permissions=MANAGE_SERVER)
    assert choices == [{"name": "1 IMSA Wire", "value": 1}]


# ----- slow answers -------------------------------------------------------------------------


class SlowCommands:
    """The real core, answering late: Discord needs an answer within 3 s."""

    def __init__(self, core: Commands, delay: float) -> None:
        self.core = core
        self.delay = delay

    async def run(self, call: CommandCall) -> Reply:
        await asyncio.sleep(self.delay)
        return await self.core.run(call)

    async def suggest(self, kind: str, prefix: str, *, platform: str, workspace: str
                      ) -> list[str]:
        return await self.core.suggest(kind, prefix, platform=platform, workspace=workspace)


async def test_a_slow_answer_is_deferred_then_edited_in(
        make_bot: MakeBot, commands: Commands, fake_discord: FakeDiscord,
        store: SqlStore) -> None:
    await seed_story(store)
    bot = await make_bot(SlowCommands(commands, 0.2), defer_after=0.05)
    data = interaction_payload("lineup", [option("car", "31")])
    await bot.tree._call(discord.Interaction(data=data, state=bot._connection))
    (callback,) = fake_discord.callbacks(data["id"])
    assert callback["type"] == 5  # DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE: "thinking…"
    assert not callback.get("data", {}).get("flags", 0) & EPHEMERAL
    (edit,) = [r for r in fake_discord.followups() if r.method == "PATCH"]
    assert edit.path == f"/webhooks/{APPLICATION_ID}/{data['token']}/messages/@original"
    assert edit.json["embeds"][0]["title"].endswith("Action Express Racing")
    assert edit.json["allowed_mentions"] == NO_PINGS


async def test_a_slow_private_answer_replaces_the_public_placeholder(
        make_bot: MakeBot, commands: Commands, fake_discord: FakeDiscord) -> None:
    bot = await make_bot(SlowCommands(commands, 0.2), defer_after=0.05)
    data = interaction_payload("lineup", [option("car", "99")])
    await bot.tree._call(discord.Interaction(data=data, state=bot._connection))
    assert fake_discord.callbacks(data["id"])[0]["type"] == 5
    methods = [(r.method, r.path.rsplit("/", 1)[-1]) for r in fake_discord.followups()]
    assert methods == [("DELETE", "@original"), ("POST", data["token"])]
    followup = fake_discord.followups()[-1]
    assert followup.json["flags"] & EPHEMERAL
    assert followup.json["content"].startswith("No lineup known yet")
    assert followup.json["allowed_mentions"] == NO_PINGS


async def test_autocomplete_with_the_database_gone_offers_nothing_rather_than_failing(
        bot: PitboardDiscord, fake_discord: FakeDiscord, store: SqlStore,
        tmp_path: Path) -> None:
    await store.close()
    (tmp_path / "pitboard.db").unlink()  # the next query meets an empty file: no tables
    choices = await _autocomplete(bot, fake_discord, "driver",
                                  [option("name", "blom", focused=True)])
    assert choices == []


async def test_a_value_out_of_range_is_refused_privately(invoke: Invoke) -> None:
    data = private(await invoke("news", [option("count", 99, kind=4)]))
    assert data["content"] == "count must be between 1 and 10."


async def test_a_command_discord_knows_but_the_bot_does_not_gets_an_answer(
        bot: PitboardDiscord, fake_discord: FakeDiscord) -> None:
    """E.g. a command removed in an upgrade before the next sync: discord.py raises before
    any callback runs, and the tree's error handler still answers the user."""
    data = interaction_payload("pitstop")
    bot.tree._from_interaction(discord.Interaction(data=data, state=bot._connection))
    await fake_discord.wait_for(lambda fake: fake.callbacks(data["id"]))
    (callback,) = fake_discord.callbacks(data["id"])
    assert callback["data"]["flags"] & EPHEMERAL
    assert callback["data"]["content"].startswith("That didn't work:")
    assert callback["data"]["allowed_mentions"] == NO_PINGS
