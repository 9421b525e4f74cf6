"""Who may run moderator commands in a Slack workspace: admins and owners (users.info),
plus the user ids a workspace lists in its Pitboard settings."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Awaitable, Callable, Collection

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.ports import SettingsStore

log = logging.getLogger(__name__)

# workspace (team id) -> Slack user ids allowed to moderate, besides admins and owners
ModeratorLookup = Callable[[str], Awaitable[Collection[str]]]

MODERATORS_SETTING = "moderators"
_USER_ID = re.compile(r"[UW][A-Z0-9]{2,}")


def parse_user_ids(text: str | None) -> set[str]:
    """"U1, U2", "<@U1> <@U2|ann>" or one per line: every Slack user id in the text."""
    return set(_USER_ID.findall(text or ""))


def moderators_from_settings(settings: SettingsStore, *, platform: str = "slack",
                             key: str = MODERATORS_SETTING) -> ModeratorLookup:
    """A ModeratorLookup reading the workspace's `moderators` setting (user ids, any
    separator) from the core's settings store."""

    async def lookup(workspace: str) -> Collection[str]:
        return parse_user_ids(await settings.get_setting(platform, workspace, key))

    return lookup


class ModeratorCheck:
    """Answers "may this user moderate here?", caching users.info for a few minutes so a
    burst of commands costs one API call (users.info is Tier 4, but not free)."""

    def __init__(self, moderator_ids: ModeratorLookup | None = None, *,
                 cache_seconds: float = 120.0, max_entries: int = 10_000) -> None:
        self._moderator_ids = moderator_ids
        self._cache_seconds = cache_seconds
        self._max_entries = max_entries
        self._admins: dict[tuple[str, str], tuple[float, bool]] = {}

    async def is_moderator(self, client: AsyncWebClient, workspace: str, user: str) -> bool:
        if await self._listed(workspace, user):
            return True
        return await self._is_admin(client, workspace, user)

    async def _listed(self, workspace: str, user: str) -> bool:
        if self._moderator_ids is None:
            return False
        try:
            return user in await self._moderator_ids(workspace)
        except Exception:  # a settings hiccup must not grant anything, nor break the command
            log.warning("could not read the moderators setting of %s", workspace, exc_info=True)
            return False

    async def _is_admin(self, client: AsyncWebClient, workspace: str, user: str) -> bool:
        key = (workspace, user)
        now = time.monotonic()
        cached = self._admins.get(key)
        if cached is not None and cached[0] > now:
            return cached[1]
        try:
            response = await client.users_info(user=user)
        except SlackApiError as exc:
            # Not cached: a transient failure should not lock an admin out for minutes.
            log.warning("users.info for %s in %s failed: %s", user, workspace,
                        exc.response.get("error"))
            return False
        profile = response.get("user") or {}
        admin = bool(profile.get("is_admin") or profile.get("is_owner")
                     or profile.get("is_primary_owner"))
        if len(self._admins) >= self._max_entries:
            self._admins.clear()
        self._admins[key] = (now + self._cache_seconds, admin)
        return admin
