"""Delivering alerts to Slack: chat.postMessage for channels, conversations.open for DMs,
one bot token per workspace, and Slack's errors turned into what the delivery worker
should do about them (bot.ports delivery errors)."""

from __future__ import annotations

import logging
import time
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.oauth.installation_store.async_installation_store import (
    AsyncInstallationStore,
)
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.clients import retry_after_seconds, web_client
from adapters.slack.moderators import ModeratorLookup
from adapters.slack.pacing import PACE_SECONDS, ChannelPacer, trace_config
from adapters.slack.render import fallback_text, render_alert
from bot.messages import Alert
from bot.models import DestinationKind
from bot.ports import (
    DeliveryError,
    DestinationForbidden,
    DestinationGone,
    InstallRevoked,
    RetryLater,
)

log = logging.getLogger(__name__)

# Connections kept open to Slack at most: one per channel being posted to at once (the
# delivery worker sends to up to its batch, 200, channels concurrently).
MAX_CONNECTIONS = 256
METADATA_EVENT = "pitboard_alert"
# Messages of a channel's history searched for an earlier post before a resend: the post
# is at most a lease (minutes) old, and alerts channels are not that busy.
HISTORY_LOOKBACK = 100

GONE_ERRORS = frozenset({"channel_not_found", "user_not_found", "user_disabled",
                         "cannot_dm_bot", "users_not_found"})
FORBIDDEN_ERRORS = frozenset({
    "not_in_channel", "is_archived", "channel_is_archived", "restricted_action",
    "restricted_action_read_only_channel", "restricted_action_thread_only_channel",
    "restricted_action_non_threadable_channel", "ekm_access_denied", "missing_scope",
    "team_access_not_granted", "messages_tab_disabled", "cannot_dm_user",
})
REVOKED_ERRORS = frozenset({"invalid_auth", "token_revoked", "account_inactive", "not_authed",
                            "token_expired", "app_uninstalled", "team_not_found"})
TRANSIENT_ERRORS = frozenset({"ratelimited", "rate_limited", "internal_error", "fatal_error",
                              "service_unavailable", "request_timeout"})
# Our message was refused as built; the plain-text fallback still says everything.
BAD_BLOCKS_ERRORS = frozenset({"invalid_blocks", "invalid_blocks_format", "msg_too_long",
                               "msg_blocks_too_long"})


def delivery_error(exc: SlackApiError, what: str) -> DeliveryError:
    """The DeliveryError the delivery worker acts on, for a failed Web API call."""
    response = exc.response
    status = response.status_code
    error = response.get("error") if isinstance(response.data, dict) else None
    reason = f"{what}: {error or f'HTTP {status}'}"
    if status == 429 or error in TRANSIENT_ERRORS or status >= 500:
        return RetryLater(reason, retry_after_seconds(response.headers))
    if error in REVOKED_ERRORS:
        return InstallRevoked(reason)
    if error in GONE_ERRORS:
        return DestinationGone(reason)
    if error in FORBIDDEN_ERRORS:
        return DestinationForbidden(reason)
    # Anything else is unexpected (a bug of ours or a new Slack error): try again later,
    # and the worker gives the row up after its attempt limit.
    return RetryLater(reason)


class SlackSender:
    """Implements bot.ports.AlertSender for platform "slack".

    Tokens come from the OAuth installation store (one per workspace) or from the single
    `bot_token`. Posts to one channel are paced to about one per second, Slack's guidance
    for chat.postMessage, so a burst of stories does not end in 429s."""

    platform = "slack"

    def __init__(self, *, bot_token: str | None = None,
                 installation_store: AsyncInstallationStore | None = None,
                 api_base_url: str | None = None,
                 moderator_ids: ModeratorLookup | None = None,
                 pace_seconds: float = PACE_SECONDS, token_cache_seconds: float = 60.0,
                 timeout: int = 30, max_connections: int = MAX_CONNECTIONS,
                 pacer: ChannelPacer | None = None) -> None:
        if bot_token is None and installation_store is None:
            raise ValueError("SlackSender needs a bot token or an installation store")
        self._bot_token = bot_token
        self._installations = installation_store
        self._base_url = api_base_url
        self._moderator_ids = moderator_ids
        self._pacer = pacer or ChannelPacer(pace_seconds)
        self._token_cache_seconds = token_cache_seconds
        self._timeout = timeout
        self._max_connections = max_connections
        self._session: aiohttp.ClientSession | None = None
        self._clients: dict[str, AsyncWebClient] = {}
        self._tokens: dict[str, tuple[float, str]] = {}
        self._revoked: set[str] = set()
        self._dm_channels: dict[tuple[str, str], str] = {}

    # ----- AlertSender ---------------------------------------------------------------------

    async def send(self, alert: Alert) -> str | None:
        """Post the alert; returns "channel id:ts"."""
        destination = alert.destination
        token = await self._token(destination.workspace)
        client = self._client(token)
        if destination.kind is DestinationKind.DM:
            if not destination.user:
                raise DestinationGone("a DM destination without a user")
            channel = await self._dm_channel(client, token, destination.workspace,
                                             destination.user)
        elif destination.channel:
            channel = destination.channel
        else:
            raise DestinationGone(f"a {destination.kind.value} destination without a channel")
        message = render_alert(alert)
        if alert.edit_of:
            return await self._edit(client, token, destination.workspace, alert.edit_of,
                                    message)
        thread_channel, _, thread_ts = (alert.reply_to or "").partition(":")
        if thread_ts and thread_channel == channel:
            # The confirmation answers the rumour's post in its thread, and is shown in
            # the channel too: it is news, not a side remark.
            message["thread_ts"] = thread_ts
            message["reply_broadcast"] = True
        if alert.key:
            # Slack has no idempotency key; the message carries ours instead, so that a
            # resend can find the post an earlier try made (its answer lost, its worker
            # killed before the row was settled) and stop there.
            message["metadata"] = {"event_type": METADATA_EVENT,
                                   "event_payload": {"outbox_key": alert.key}}
            if alert.resend:
                ts = await self._find_posted(client, token, destination.workspace, channel,
                                             alert.key)
                if ts is not None:
                    log.info("alert %s was already posted to %s (ts %s): not posting again",
                             alert.key, channel, ts)
                    return f"{channel}:{ts}"
        ts = await self._post(client, token, destination.workspace, channel, message)
        if thread_ts and thread_channel == channel:
            await self._mark_first_post(client, token, destination.workspace, channel,
                                        thread_ts, render_alert(alert))
        return f"{channel}:{ts}" if ts else None

    async def _edit(self, client: AsyncWebClient, token: str, workspace: str, ref: str,
                    message: dict[str, Any]) -> str:
        """Show the alert in the post `ref` ("channel:ts"), e.g. with another source;
        paced with the channel's posts. A post deleted meanwhile needs no edit."""
        channel, _, ts = ref.partition(":")
        async with self._pacer.turn((workspace, channel)):
            try:
                await self._call(workspace, token, "chat.update", client.chat_update,
                                 channel=channel, ts=ts, text=message["text"],
                                 blocks=message.get("blocks"))
            except DeliveryError as exc:
                cause = exc.__cause__
                if not (isinstance(cause, SlackApiError)
                        and cause.response.get("error") in ("message_not_found",
                                                            "cant_update_message")):
                    raise
                log.info("post %s to edit is gone; nothing to do", ref)
        return ref

    async def _mark_first_post(self, client: AsyncWebClient, token: str, workspace: str,
                               channel: str, ts: str, message: dict[str, Any]) -> None:
        """The rumour's post now shows the confirmed story (chat.update). Best effort, and
        harmless to repeat: the thread reply already says it."""
        try:
            await self._call(workspace, token, "chat.update", client.chat_update,
                             channel=channel, ts=ts, text=message["text"],
                             blocks=message.get("blocks"))
        except DeliveryError as exc:
            log.warning("could not mark the first post %s in %s as confirmed: %s", ts,
                        channel, exc)

    async def _find_posted(self, client: AsyncWebClient, token: str, workspace: str,
                           channel: str, key: str) -> str | None:
        """The ts of our post labelled `key` among the channel's recent messages, if any.
        Best effort: without the history scope the resend goes ahead (at least once)."""
        try:
            response = await self._call(workspace, token, "conversations.history",
                                        client.conversations_history, channel=channel,
                                        limit=HISTORY_LOOKBACK, include_all_metadata=True)
        except (RetryLater, DestinationForbidden) as exc:
            log.warning("could not read %s's history to find alert %s: %s", channel, key,
                        exc)
            return None
        for found in response.get("messages") or ():
            metadata = found.get("metadata") or {}
            if (metadata.get("event_type") == METADATA_EVENT
                    and (metadata.get("event_payload") or {}).get("outbox_key") == key):
                return str(found.get("ts"))
        return None

    async def notify_moderators(self, workspace: str, text: str) -> None:
        """DM each listed moderator, or else whoever installed the app. Best effort: one
        unreachable moderator does not stop the others."""
        recipients = await self._moderators(workspace)
        if not recipients:
            log.warning("no moderators to tell in %s: %s", workspace, text)
            return
        token = await self._token(workspace)
        client = self._client(token)
        message = {"text": fallback_text(text)}
        for user in sorted(recipients):
            try:
                channel = await self._dm_channel(client, token, workspace, user)
                await self._post(client, token, workspace, channel, message)
            except InstallRevoked:
                raise
            except DeliveryError as exc:
                log.warning("could not tell moderator %s in %s: %s", user, workspace, exc)

    async def close(self) -> None:
        self._clients.clear()
        if self._session is not None:
            await self._session.close()
            self._session = None

    # ----- tokens ----------------------------------------------------------------------------

    async def _token(self, workspace: str) -> str:
        now = time.monotonic()
        cached = self._tokens.get(workspace)
        if cached is not None and cached[0] > now and cached[1] not in self._revoked:
            return cached[1]
        token = self._bot_token
        if self._installations is not None:
            bot = await self._installations.async_find_bot(enterprise_id=None,
                                                           team_id=workspace)
            if bot is not None and bot.bot_token:
                token = bot.bot_token
            elif token is None:
                raise InstallRevoked(f"Pitboard is not installed in workspace {workspace}")
        assert token is not None
        if token in self._revoked:
            raise InstallRevoked(f"the bot token for workspace {workspace} was revoked")
        self._tokens[workspace] = (now + self._token_cache_seconds, token)
        return token

    def _client(self, token: str) -> AsyncWebClient:
        if self._session is None or self._session.closed:
            # One session for every workspace's client: its pool keeps connections to
            # Slack open across posts (left alone, slack_sdk opens a session and a fresh
            # connection for each call).
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._max_connections),
                timeout=aiohttp.ClientTimeout(total=self._timeout),
                # stamps when each paced request left (adapters/slack/pacing.py)
                trace_configs=[trace_config()])
            self._clients.clear()
        client = self._clients.get(token)
        if client is None:
            client = web_client(token, base_url=self._base_url, timeout=self._timeout,
                                session=self._session)
            self._clients[token] = client
        return client

    async def _revoke(self, workspace: str, token: str) -> None:
        """Mark the install: this token is never used again, and the installation store
        forgets it (as Bolt does on tokens_revoked), unless a newer install replaced it."""
        self._revoked.add(token)
        self._tokens.pop(workspace, None)
        self._clients.pop(token, None)
        if self._installations is None:
            return
        try:
            bot = await self._installations.async_find_bot(enterprise_id=None,
                                                           team_id=workspace)
            if bot is not None and bot.bot_token == token:
                await self._installations.async_delete_bot(enterprise_id=None,
                                                           team_id=workspace)
                await self._installations.async_delete_installation(enterprise_id=None,
                                                                    team_id=workspace)
        except Exception:  # the in-memory mark already stops further sends
            log.warning("could not remove the revoked install of %s", workspace, exc_info=True)

    async def _moderators(self, workspace: str) -> set[str]:
        recipients: set[str] = set()
        if self._moderator_ids is not None:
            try:
                recipients.update(await self._moderator_ids(workspace))
            except Exception:
                log.warning("could not read the moderators of %s", workspace, exc_info=True)
        if not recipients and self._installations is not None:
            installation = await self._installations.async_find_installation(
                enterprise_id=None, team_id=workspace)
            if installation is not None and installation.user_id:
                recipients.add(installation.user_id)
        return recipients

    # ----- Web API calls ---------------------------------------------------------------------

    async def _call(self, workspace: str, token: str, what: str,
                    call: Any, **kwargs: Any) -> Any:
        try:
            return await call(**kwargs)
        except SlackApiError as exc:
            error = delivery_error(exc, what)
            if isinstance(error, InstallRevoked):
                await self._revoke(workspace, token)
            raise error from exc
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            raise RetryLater(f"{what}: {type(exc).__name__}: {exc}") from exc

    async def _dm_channel(self, client: AsyncWebClient, token: str, workspace: str,
                          user: str) -> str:
        key = (workspace, user)
        channel = self._dm_channels.get(key)
        if channel is None:
            response = await self._call(workspace, token, "conversations.open",
                                        client.conversations_open, users=user)
            channel = response["channel"]["id"]
            self._dm_channels[key] = channel
        return channel

    async def _post(self, client: AsyncWebClient, token: str, workspace: str, channel: str,
                    message: dict[str, Any]) -> str | None:
        async with self._pacer.turn((workspace, channel)) as turn:
            ts = await self._post_now(client, token, workspace, channel, message)
            turn.answered_with(ts)
            return ts

    async def _post_now(self, client: AsyncWebClient, token: str, workspace: str,
                        channel: str, message: dict[str, Any]) -> str | None:
        post = {"channel": channel, "unfurl_links": False, "unfurl_media": False,
                # Mentions come only from <@U...> markup we wrote; never from bare @names.
                "link_names": False, **message}
        try:
            response = await self._call(workspace, token, "chat.postMessage",
                                        client.chat_postMessage, **post)
        except RetryLater as exc:
            cause = exc.__cause__
            if not (isinstance(cause, SlackApiError)
                    and cause.response.get("error") in BAD_BLOCKS_ERRORS
                    and "blocks" in post):
                raise
            log.warning("Slack refused our blocks (%s); posting the text alone", exc)
            post.pop("blocks")
            response = await self._call(workspace, token, "chat.postMessage",
                                        client.chat_postMessage, **post)
        ts = response.get("ts") if response is not None else None
        return str(ts) if ts else None
