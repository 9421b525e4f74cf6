"""`--roles` and the Discord shard settings as read from the environment: what each value
means, and a clear error for each bad one."""

from __future__ import annotations

import pydantic
import pytest

from bot.config import Settings
from bot.roles import ROLES, RoleError, Roles, parse_roles


def settings(**env: str) -> Settings:
    return Settings(_env_file=None, **env)  # type: ignore[call-arg]


def test_no_roles_given_means_every_configured_one() -> None:
    assert parse_roles(None, discord_configured=False, slack_socket_configured=False) \
        == Roles(poll=True, deliver=True, discord=False, slack=False)
    assert parse_roles(None, discord_configured=True, slack_socket_configured=True).names \
        == ROLES


@pytest.mark.parametrize(("text", "names"), [
    ("poll", ("poll",)),
    ("deliver", ("deliver",)),
    (" Deliver , POLL ", ("poll", "deliver")),
    ("discord", ("discord",)),
    ("slack,deliver", ("deliver", "slack")),
    ("poll,deliver,discord,slack", ROLES),
])
def test_roles_named(text: str, names: tuple[str, ...]) -> None:
    roles = parse_roles(text, discord_configured=True, slack_socket_configured=True)
    assert roles.names == names


@pytest.mark.parametrize(("text", "says"), [
    ("pol", "unknown role 'pol'"),
    ("poll,gateway", "unknown role 'gateway'"),
    ("poll,,deliver", "unknown role (an empty name)"),
    ("", "--roles needs at least one of poll, deliver, discord, slack"),
    (" , ", "--roles needs at least one"),
])
def test_unknown_roles_are_refused(text: str, says: str) -> None:
    with pytest.raises(RoleError) as caught:
        parse_roles(text, discord_configured=True, slack_socket_configured=True)
    assert says in str(caught.value)


def test_a_platform_role_needs_its_platform() -> None:
    with pytest.raises(RoleError, match="role 'discord' needs DISCORD_TOKEN"):
        parse_roles("poll,discord", discord_configured=False, slack_socket_configured=True)
    with pytest.raises(RoleError, match="role 'slack' holds Slack Socket Mode"):
        parse_roles("slack", discord_configured=True, slack_socket_configured=False)


@pytest.mark.parametrize(("count", "ids", "shards"), [
    (None, None, None),
    ("4", None, None),
    ("4", "0,1", (0, 1)),
    ("8", "0-3", (0, 1, 2, 3)),
    ("8", " 6, 0-1 ", (6, 0, 1)),
    ("1", "0", (0,)),
])
def test_shard_settings(count: str | None, ids: str | None,
                        shards: tuple[int, ...] | None) -> None:
    env = {key: value for key, value in (("discord_shard_count", count),
                                         ("discord_shard_ids", ids)) if value is not None}
    read = settings(**env)
    assert read.discord_shard_count == (int(count) if count else None)
    assert read.discord_shards == shards


@pytest.mark.parametrize(("count", "ids", "says"), [
    (None, "0", "DISCORD_SHARD_IDS needs DISCORD_SHARD_COUNT"),
    ("4", "4", "shard 4 does not exist with DISCORD_SHARD_COUNT=4"),
    ("4", "a", "'a' is not a shard number or range"),
    ("4", "-1", "'-1' is not a shard number or range"),
    ("4", "3-1", "range '3-1' runs backwards"),
    ("4", "1,0-2", "names a shard twice"),
    ("0", None, "greater than or equal to 1"),
])
def test_bad_shard_settings_are_refused(count: str | None, ids: str | None, says: str) -> None:
    env = {key: value for key, value in (("discord_shard_count", count),
                                         ("discord_shard_ids", ids)) if value is not None}
    with pytest.raises(pydantic.ValidationError, match=says):
        settings(**env)


def test_shard_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISCORD_SHARD_COUNT", "6")
    monkeypatch.setenv("DISCORD_SHARD_IDS", "4-5")
    monkeypatch.setenv("PITBOARD_FEED_LEASE_SECONDS", "90")
    read = Settings(_env_file=None)  # type: ignore[call-arg]
    assert (read.discord_shard_count, read.discord_shards) == (6, (4, 5))
    assert read.pitboard_feed_lease_seconds == 90
