from __future__ import annotations

from adapters.slack.clients import web_client
from adapters.slack.moderators import ModeratorCheck, parse_user_ids
from tests.adapters.slack.conftest import BOT_TOKEN, TEAM


def test_user_ids_in_any_shape():
    assert parse_user_ids("U1AB, <@U2CD|ann>\nW3EF junk u4") == {"U1AB", "U2CD", "W3EF"}
    assert parse_user_ids(None) == set()


async def test_admins_owners_and_listed_users(slack):
    slack.add_user("UADMIN", admin=True)
    slack.add_user("UOWNER", owner=True)
    slack.add_user("UFAN")

    async def listed(workspace):
        return {"ULISTED"} if workspace == TEAM else set()

    check = ModeratorCheck(listed)
    client = web_client(BOT_TOKEN, base_url=slack.api_url)
    assert await check.is_moderator(client, TEAM, "UADMIN")
    assert await check.is_moderator(client, TEAM, "UOWNER")
    assert not await check.is_moderator(client, TEAM, "UFAN")
    assert await check.is_moderator(client, TEAM, "ULISTED")
    assert not await check.is_moderator(client, "T9", "ULISTED")
    assert not await check.is_moderator(client, TEAM, "UNOBODY")  # users.info: user_not_found


async def test_a_failed_lookup_refuses_but_is_not_cached(slack):
    slack.add_user("UADMIN", admin=True)
    slack.fail("users.info", "internal_error")
    check = ModeratorCheck(None, cache_seconds=60)
    client = web_client(BOT_TOKEN, base_url=slack.api_url)
    assert not await check.is_moderator(client, TEAM, "UADMIN")
    assert await check.is_moderator(client, TEAM, "UADMIN")
    assert await check.is_moderator(client, TEAM, "UADMIN")
    assert len(slack.calls_to("users.info")) == 2  # the success was cached


async def test_the_cache_expires(slack):
    slack.add_user("UADMIN", admin=True)
    check = ModeratorCheck(None, cache_seconds=0)
    client = web_client(BOT_TOKEN, base_url=slack.api_url)
    assert await check.is_moderator(client, TEAM, "UADMIN")
    slack.users["UADMIN"]["is_admin"] = False  # demoted
    assert not await check.is_moderator(client, TEAM, "UADMIN")


async def test_a_broken_settings_lookup_grants_nothing(slack):
    slack.add_user("UFAN")

    async def broken(workspace):
        raise RuntimeError("database away")

    check = ModeratorCheck(broken)
    client = web_client(BOT_TOKEN, base_url=slack.api_url)
    assert not await check.is_moderator(client, TEAM, "UFAN")
