from __future__ import annotations

from bot.models import Destination, DestinationKind, Subscription, TargetKind
from storage import SqlStore

ALICE_DM = Destination(platform="discord", workspace="g1", user="alice",
                       kind=DestinationKind.DM)
BOB_MENTION = Destination(platform="discord", workspace="g1", channel="c-news", user="bob",
                          kind=DestinationKind.MENTION)
NEWS = Destination(platform="discord", workspace="g1", channel="c-news")
PADDOCK = Destination(platform="discord", workspace="g1", channel="c-paddock")
SLACK_NEWS = Destination(platform="slack", workspace="T1", channel="C1")


def sub(destination: Destination, target: TargetKind, value: str) -> Subscription:
    return Subscription(destination=destination, target=target, value=value)


async def test_following_twice_is_not_an_error(store: SqlStore) -> None:
    assert await store.follow(sub(ALICE_DM, TargetKind.TEAM, "Cadillac Racing"))
    assert not await store.follow(sub(ALICE_DM, TargetKind.TEAM, "cadillac  racing"))
    assert await store.follow(sub(ALICE_DM, TargetKind.CAR, "#31"))
    assert not await store.follow(sub(ALICE_DM, TargetKind.CAR, "No. 31"))
    subs = await store.subscriptions_for("discord", "g1", "alice")
    assert [(s.target, s.value) for s in subs] == [(TargetKind.TEAM, "Cadillac Racing"),
                                                    (TargetKind.CAR, "#31")]
    assert all(s.id is not None and s.destination.id is not None for s in subs)
    assert subs[0].destination.user == "alice" and subs[0].destination.channel is None


async def test_unfollow_by_id_or_by_value(store: SqlStore) -> None:
    await store.follow(sub(ALICE_DM, TargetKind.DRIVER, "Jean-Éric Vergne"))
    await store.follow(sub(ALICE_DM, TargetKind.SERIES, "IMSA"))
    [driver, _series] = await store.subscriptions_for("discord", "g1", "alice")
    assert await store.unfollow(driver)
    assert not await store.unfollow(driver)
    assert await store.unfollow(sub(ALICE_DM, TargetKind.SERIES, "imsa"))
    assert await store.subscriptions_for("discord", "g1", "alice") == []
    assert not await store.unfollow(sub(BOB_MENTION, TargetKind.SERIES, "imsa"))


async def test_subscriptions_for_a_workspace_or_a_user(store: SqlStore) -> None:
    await store.follow(sub(ALICE_DM, TargetKind.TEAM, "Porsche Penske"))
    await store.follow(sub(BOB_MENTION, TargetKind.TEAM, "Porsche Penske"))
    await store.follow(sub(SLACK_NEWS, TargetKind.SERIES, "WEC"))
    await store.set_alert_channel(NEWS)
    everyone = await store.subscriptions_for("discord", "g1", None)
    assert {(s.destination.user, s.target) for s in everyone} == {
        ("alice", TargetKind.TEAM), ("bob", TargetKind.TEAM), (None, TargetKind.ALL)}
    assert [s.destination.kind for s in await store.subscriptions_for("discord", "g1", "bob")
            ] == [DestinationKind.MENTION]
    assert len(await store.subscriptions_for("slack", "T1", None)) == 1


async def test_the_alerts_channel_is_replaced_not_added(store: SqlStore) -> None:
    await store.set_alert_channel(NEWS)
    await store.set_alert_channel(NEWS)
    await store.set_alert_channel(PADDOCK)
    await store.set_alert_channel(SLACK_NEWS)
    alerts = [s for s in await store.subscriptions_for("discord", "g1", None)
              if s.target is TargetKind.ALL]
    assert [s.destination.channel for s in alerts] == ["c-paddock"]
    found = await store.matching_destinations({})
    assert {(d.platform, d.channel) for d in found} == {("discord", "c-paddock"),
                                                        ("slack", "C1")}


async def test_matching_destinations(store: SqlStore) -> None:
    await store.follow(sub(ALICE_DM, TargetKind.TEAM, "Action Express Racing"))
    await store.follow(sub(ALICE_DM, TargetKind.DRIVER, "Tom Blomqvist"))
    await store.follow(sub(BOB_MENTION, TargetKind.CAR, "#31"))
    await store.follow(sub(PADDOCK, TargetKind.SERIES, "IndyCar"))
    await store.set_alert_channel(NEWS)

    found = await store.matching_destinations({
        TargetKind.DRIVER: {"tom blomqvist"}, TargetKind.TEAM: {"Action Express Racing"},
        TargetKind.CAR: {"No. 31"}, TargetKind.SERIES: {"imsa"}})
    assert sorted((d.kind.value, d.channel or d.user) for d in found) == [
        ("channel", "c-news"), ("dm", "alice"), ("mention", "c-news")]
    assert len({d.id for d in found}) == 3  # alice matched twice, listed once

    indy = await store.matching_destinations({TargetKind.SERIES: ["IndyCar"]})
    assert sorted(d.channel or "" for d in indy) == ["c-news", "c-paddock"]

    [alice] = [d for d in found if d.user == "alice"]
    assert alice.id is not None
    assert await store.mark_destination_broken(alice.id, "403 Forbidden")
    assert not await store.mark_destination_broken(alice.id, "403 again")  # told once
    found = await store.matching_destinations({TargetKind.DRIVER: {"Tom Blomqvist"}})
    assert [d.channel for d in found] == ["c-news"]
    # following again (the user fixed their DMs) un-breaks the destination
    await store.follow(sub(ALICE_DM, TargetKind.DRIVER, "Tom Blomqvist"))
    found = await store.matching_destinations({TargetKind.DRIVER: {"Tom Blomqvist"}})
    assert sorted(d.channel or d.user or "" for d in found) == ["alice", "c-news"]


async def test_settings_per_workspace(store: SqlStore) -> None:
    assert await store.get_setting("discord", "g1", "series") is None
    await store.set_setting("discord", "g1", "series", "IMSA")
    await store.set_setting("discord", "g1", "series", "WEC")
    await store.set_setting("slack", "g1", "series", "F1")
    assert await store.get_setting("discord", "g1", "series") == "WEC"
    assert await store.get_setting("slack", "g1", "series") == "F1"
    assert await store.get_setting("discord", "g2", "series") is None
