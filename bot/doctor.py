"""`pitboard doctor`: what is wrong with a deployment's set-up, in plain words, each with
its fix. The checks here read only the settings; the probes that reach the database and
the platforms' APIs are wired in by the CLI (the composition root) and report back as
`Finding`s too."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.config import Settings


@dataclass(frozen=True, slots=True)
class Finding:
    check: str  # "Discord token", "database"
    ok: bool
    detail: str  # what was found; never a secret
    fix: str = ""  # what to do about it, when not ok

    def line(self) -> str:
        mark = "ok  " if self.ok else "FAIL"
        text = f"{mark}  {self.check}: {self.detail}"
        return text if self.ok or not self.fix else f"{text}\n      fix: {self.fix}"


def ok(check: str, detail: str) -> Finding:
    return Finding(check, True, detail)


def problem(check: str, detail: str, fix: str) -> Finding:
    return Finding(check, False, detail, fix)


# A bot token: base64 of the bot's user id, a timestamp part, an HMAC part, dot-separated.
_DISCORD_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{20,}")
_SLACK_PREFIXES = {"xoxb-": "a bot token", "xapp-": "an app-level token",
                   "xoxp-": "a user token", "xoxe": "a refresh token"}


def _slack_kind(token: str) -> str:
    return next((kind for prefix, kind in _SLACK_PREFIXES.items() if token.startswith(prefix)),
                "something else")


def discord_token_shape(token: str) -> Finding:
    check = "DISCORD_TOKEN"
    token = token.strip()
    if token.lower().startswith("bot "):
        return problem(check, "starts with 'Bot '",
                       "set only the token itself; Pitboard adds the 'Bot ' prefix")
    if not _DISCORD_TOKEN.fullmatch(token):
        return problem(check, "is not shaped like a bot token (three dot-separated parts)",
                       "copy it from the Developer Portal: your app, Bot, Reset Token (the "
                       "client secret and the public key are not the token)")
    head = token.split(".", 1)[0]
    try:
        user_id = base64.b64decode(head + "=" * (-len(head) % 4), validate=False,
                                   altchars=b"-_").decode()
    except (binascii.Error, UnicodeDecodeError):
        user_id = ""
    if not user_id.isdigit():
        return problem(check, "its first part does not name a bot user",
                       "copy the bot token again from the Developer Portal (Bot, Reset Token)")
    return ok(check, f"shaped like a bot token (bot user {user_id})")


def slack_token_shape(name: str, token: str, prefix: str, where: str) -> Finding:
    token = token.strip()
    if token.startswith(prefix):
        return ok(name, f"starts with {prefix}")
    return problem(name, f"should start with {prefix} but looks like {_slack_kind(token)}",
                   f"copy it from {where}")


def configuration(settings: Settings) -> list[Finding]:
    """Token shapes and settings that only make sense together."""
    findings: list[Finding] = []
    if settings.discord_token is not None:
        findings.append(discord_token_shape(settings.discord_token.get_secret_value()))
    if settings.slack_bot_token is not None:
        findings.append(slack_token_shape(
            "SLACK_BOT_TOKEN", settings.slack_bot_token.get_secret_value(), "xoxb-",
            "your app's OAuth & Permissions page (Bot User OAuth Token)"))
    if settings.slack_app_token is not None:
        findings.append(slack_token_shape(
            "SLACK_APP_TOKEN", settings.slack_app_token.get_secret_value(), "xapp-",
            "Basic Information, App-Level Tokens (scope connections:write)"))
        if settings.slack_bot_token is None and settings.slack_client_id is None:
            findings.append(problem(
                "Slack Socket Mode", "SLACK_APP_TOKEN is set without a bot token",
                "set SLACK_BOT_TOKEN (xoxb-...) too: the app token only opens the socket"))
    if settings.slack_signing_secret is not None:
        secret = settings.slack_signing_secret.get_secret_value().strip()
        if re.fullmatch(r"[0-9a-f]{32}", secret):
            findings.append(ok("SLACK_SIGNING_SECRET", "32 hexadecimal characters"))
        else:
            findings.append(problem(
                "SLACK_SIGNING_SECRET", "is not 32 hexadecimal characters",
                "copy the Signing Secret from Basic Information, App Credentials "
                "(not the client secret or a token)"))
    if bool(settings.slack_client_id) != bool(settings.slack_client_secret):
        findings.append(problem(
            "Slack OAuth", "only one of SLACK_CLIENT_ID and SLACK_CLIENT_SECRET is set",
            "set both (Basic Information, App Credentials), or neither for one workspace"))
    if settings.slack_client_id and settings.slack_signing_secret is None:
        findings.append(problem(
            "Slack installs", "installs need `pitboard web`, which needs SLACK_SIGNING_SECRET",
            "set SLACK_SIGNING_SECRET from Basic Information, App Credentials"))
    if settings.discord_token is None and settings.slack_bot_token is None \
            and settings.slack_client_id is None:
        findings.append(ok("platforms", "none configured: `pitboard run` prints alerts to "
                                        "the console (set DISCORD_TOKEN or SLACK_BOT_TOKEN)"))
    return findings


def database_revision(url: str, current: str | None, head: str | None) -> Finding:
    check = "database"
    if current is None:
        return problem(check, f"{url} has no Pitboard tables yet",
                       "run `pitboard db upgrade` (`pitboard run` also migrates on start)")
    if current != head:
        return problem(check, f"{url} is at schema {current}, this Pitboard needs {head}",
                       "run `pitboard db upgrade`; if the database is newer, upgrade Pitboard")
    return ok(check, f"{url} reachable, schema up to date ({current})")


def report(findings: Iterable[Finding]) -> tuple[str, int]:
    """The printout and the exit code: 0 when every check passed, 1 otherwise."""
    findings = list(findings)
    failed = [f for f in findings if not f.ok]
    lines = [f.line() for f in findings]
    lines.append(f"{len(failed)} problem{'' if len(failed) == 1 else 's'} found."
                 if failed else "All good.")
    return "\n".join(lines), 1 if failed else 0
