"""The Slack app: every command spec as its own slash command and under /pitboard, in
Socket Mode or over HTTP, for one workspace (a bot token) or many (OAuth installs)."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.clients import web_client
from adapters.slack.manifest import EVENTS_PATH, UMBRELLA, slash_commands
from adapters.slack.moderators import ModeratorCheck, ModeratorLookup
from adapters.slack.oauth import SlackOAuth
from adapters.slack.render import escape, render_reply
from bot.commands.parsing import ParsedCommand, UsageError, parse_line, parse_text
from bot.messages import FAILED, CommandCall
from bot.ports import CommandRunner

log = logging.getLogger(__name__)

PLATFORM = "slack"

# Links Slack made of what the user typed (should_escape=false): keep the URL, drop the label.
_TYPED_LINK = re.compile(r"<((?:https?|mailto):[^|>]+)(?:\|[^>]*)?>")
_CHANNEL_REF = re.compile(r"<#([CG][A-Z0-9]+)(?:\|[^>]*)?>")
NOT_INSTALLED = ("Pitboard isn't installed in this workspace (or its install was removed). "
                 "Ask a workspace admin to install it again.")


def command_text(raw: str) -> str:
    """Slash-command text as the user typed it: links back to URLs, channel references to
    `<#C123>` (the parser reads the id from it), and Slack's escapes undone."""
    text = _TYPED_LINK.sub(r"\1", raw)
    text = _CHANNEL_REF.sub(r"<#\1>", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def parse_command(command: str, text: str, *, prefix: str = "") -> ParsedCommand:
    """`/lineup` + "31" or `/pitboard` + "lineup 31" -> spec and options (UsageError if bad)."""
    name = command.lstrip("/")
    if prefix and name.startswith(prefix):
        name = name[len(prefix):]
    text = command_text(text)
    if name == UMBRELLA:
        return parse_line(text if text.strip() else "help")
    return parse_text(name, text)


class SlashCommandHandler:
    """Acks at once (Slack allows three seconds), then answers through `respond()`."""

    def __init__(self, runner: CommandRunner, moderators: ModeratorCheck, *,
                 prefix: str = "") -> None:
        self._runner = runner
        self._moderators = moderators
        self._prefix = prefix

    async def __call__(self, ack: Callable[..., Awaitable[Any]], body: dict[str, Any],
                       respond: Callable[..., Awaitable[Any]], client: AsyncWebClient) -> None:
        try:
            parsed = parse_command(body.get("command", ""), body.get("text") or "",
                                   prefix=self._prefix)
        except UsageError as exc:
            await ack(response_type="ephemeral", text=f":warning: {escape(str(exc))}")
            return
        await ack()
        workspace = body.get("team_id") or ""
        user = body.get("user_id") or ""
        channel = body.get("channel_id")
        spec = parsed.spec
        is_moderator = False
        # Only commands whose answer depends on it pay for the users.info lookup.
        if spec.moderator_only or spec.name == "help":
            is_moderator = await self._moderators.is_moderator(client, workspace, user)
        call = CommandCall(
            name=spec.name,
            options=parsed.options,
            platform=PLATFORM,
            workspace=workspace,
            channel=channel,
            user=user,
            user_name=body.get("user_name"),
            is_moderator=is_moderator,
        )
        try:
            reply = await self._runner.run(call)
        except Exception:  # the core promises not to raise; if it does, the user still hears
            log.exception("slash command /%s failed", spec.name)
            reply = FAILED
        await respond(**render_reply(reply))


def build_slack_app(*, runner: CommandRunner, signing_secret: str,
                    bot_token: str | None = None, oauth: SlackOAuth | None = None,
                    api_base_url: str | None = None,
                    moderator_ids: ModeratorLookup | None = None,
                    admin_cache_seconds: float = 120.0,
                    command_prefix: str = "") -> AsyncApp:
    """The Bolt app. Give `bot_token` for one workspace, or `oauth` (open_slack_oauth) for
    installs into many; `api_base_url` (SLACK_API_BASE_URL) reaches every Web API client.

    Builds nothing on the network: the token is checked with auth.test on the first
    request, so this may be called inside or outside a running loop."""
    if bot_token is None and oauth is None:
        raise ValueError("Slack needs SLACK_BOT_TOKEN (one workspace) or OAuth settings "
                         "(SLACK_CLIENT_ID and SLACK_CLIENT_SECRET) to run")
    client = web_client(bot_token if oauth is None else None, base_url=api_base_url)
    oauth_settings = None
    if oauth is not None:
        oauth_settings = AsyncOAuthSettings(
            client_id=oauth.client_id,
            client_secret=oauth.client_secret,
            scopes=list(oauth.scopes),
            redirect_uri=oauth.redirect_uri,
            install_path=oauth.install_path,
            redirect_uri_path=oauth.redirect_uri_path,
            installation_store=oauth.installation_store,
            state_store=oauth.state_store,
        )
    app = AsyncApp(
        name="pitboard",
        signing_secret=signing_secret,
        client=client,
        oauth_settings=oauth_settings,
        installation_store=oauth.installation_store if oauth else None,
        user_facing_authorize_error_message=NOT_INSTALLED,
    )
    if oauth is not None:
        # Bolt's own listeners delete the workspace's installation from the store.
        app.enable_token_revocation_listeners()
    else:
        # The manifest subscribes to these events; answer them rather than 404 (Slack
        # disables event delivery to apps that keep failing).
        async def on_uninstalled(body: dict[str, Any]) -> None:
            log.warning("Slack workspace %s removed Pitboard or revoked its token",
                        body.get("team_id"))

        app.event("app_uninstalled")(on_uninstalled)
        app.event("tokens_revoked")(on_uninstalled)
    handler = SlashCommandHandler(runner, ModeratorCheck(moderator_ids,
                                                         cache_seconds=admin_cache_seconds),
                                  prefix=command_prefix)

    # Bolt injects listener arguments by parameter name, so it gets a plain function.
    async def on_slash_command(ack: Callable[..., Awaitable[Any]], body: dict[str, Any],
                               respond: Callable[..., Awaitable[Any]],
                               client: AsyncWebClient) -> None:
        await handler(ack, body, respond, client)

    for command in slash_commands(command_prefix):
        app.command(command.command)(on_slash_command)
    return app


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


async def _healthz(_: web.Request) -> web.Response:
    return web.json_response({"ok": True})


def build_web_app(app: AsyncApp, *, path: str = EVENTS_PATH,
                  healthz: Handler | None = None) -> web.Application:
    """HTTP mode: POST /slack/events (commands and events), GET /slack/install and
    /slack/oauth_redirect when OAuth is configured, and GET /healthz (`healthz`: the
    deployment's own health check instead of a bare "ok")."""
    web_app = app.web_app(path=path)
    web_app.router.add_get("/healthz", healthz or _healthz)
    return web_app


async def run_socket_mode(app: AsyncApp, app_token: str,
                          stop: asyncio.Event | None = None) -> None:
    """Connect over Socket Mode (no public URL needed) and serve until `stop` is set or
    the task is cancelled."""
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

    handler = AsyncSocketModeHandler(app, app_token)
    await handler.connect_async()
    try:
        await (stop or asyncio.Event()).wait()
    finally:
        await handler.close_async()
