"""`pitboard doctor`: the probes behind it (database, feeds, platform APIs), each problem
with its fix."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.config import Settings


class CliError(Exception):
    """A failure the operator can fix: printed as one line (what is wrong, what to do),
    never as a traceback."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


PROBE_SECONDS = 5.0


async def _doctor(settings: Settings) -> int:
    from bot import doctor

    findings = [*await _probe_database(settings), *doctor.configuration(settings),
                *await _probe_feeds(settings), *await _probe_apis(settings)]
    text, code = doctor.report(findings)
    print(text)
    return code


async def _probe_database(settings: Settings) -> list[Any]:
    import storage
    from bot import doctor

    try:
        url = _database_url(settings)
    except CliError as exc:
        return [doctor.problem("DATABASE_URL", "is not usable", str(exc))]
    hidden = _hidden(url)
    try:
        current = await asyncio.wait_for(storage.current_revision(url), PROBE_SECONDS * 2)
    except TimeoutError:
        return [doctor.problem("database", f"{hidden} did not answer in {PROBE_SECONDS * 2:g} s",
                               "check the host and port in DATABASE_URL, and the firewall")]
    except Exception as exc:
        cause = exc.__cause__ or exc
        return [doctor.problem(
            "database", f"cannot connect to {hidden} ({type(cause).__name__}: {cause})",
            "start the database, or fix the host, port, user, password and database name "
            "in DATABASE_URL")]
    return [doctor.database_revision(hidden, current, storage.head_revision())]


async def _probe_feeds(settings: Settings) -> list[Any]:
    """PITBOARD_FEEDS entries `pitboard run` would skip (it logs them and starts the rest)."""
    import feeds
    from bot import doctor

    findings = []
    for url in settings.feed_urls:
        try:
            await feeds.check_feed_url_async(
                url, allow_private=settings.pitboard_allow_private_feeds)
        except ValueError as exc:
            findings.append(doctor.problem(
                "PITBOARD_FEEDS", f"{url} would be skipped: {exc}",
                "fix or remove that entry (comma-separated http:// or https:// feed URLs)"))
    if settings.feed_urls and not findings:
        findings.append(doctor.ok("PITBOARD_FEEDS", f"{len(settings.feed_urls)} feed URLs"))
    return findings


async def _probe_apis(settings: Settings) -> list[Any]:
    """Ask each configured platform whether it accepts our tokens: reachability and
    validity in one request each, with short timeouts."""
    import aiohttp

    from bot import doctor

    findings = []
    timeout = aiohttp.ClientTimeout(total=PROBE_SECONDS)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        if settings.discord_token is not None:
            base = (settings.discord_api_base_url or "https://discord.com/api/v10").rstrip("/")
            check = f"Discord API {base}"
            try:
                async with session.get(f"{base}/users/@me", headers={
                        "Authorization": f"Bot {settings.discord_token.get_secret_value()}"}
                        ) as response:
                    body = await response.json(content_type=None) \
                        if response.status == 200 else {}
                    status = response.status
            except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
                findings.append(_unreachable(check, exc, "DISCORD_API_BASE_URL"))
            else:
                if status == 200:
                    findings.append(doctor.ok(check, f"accepts DISCORD_TOKEN (bot "
                                                     f"{body.get('username', '?')})"))
                elif status == 401:
                    findings.append(doctor.problem(
                        check, "rejects DISCORD_TOKEN (401)",
                        "reset the token in the Developer Portal (Bot, Reset Token) and set "
                        "DISCORD_TOKEN to the new one"))
                else:
                    findings.append(doctor.problem(
                        check, f"answered HTTP {status}",
                        "check DISCORD_API_BASE_URL (unset it for Discord's own API)"))
        slack_base = settings.slack_api_base_url or "https://slack.com/api/"
        slack_checks = [("SLACK_BOT_TOKEN", settings.slack_bot_token, "auth.test"),
                        ("SLACK_APP_TOKEN", settings.slack_app_token, "apps.connections.open")]
        for name, secret, method in slack_checks:
            if secret is None:
                continue
            check = f"Slack API {slack_base}{method}"
            try:
                async with session.post(
                        slack_base.rstrip("/") + "/" + method,
                        headers={"Authorization": f"Bearer {secret.get_secret_value()}"}
                        ) as response:
                    status = response.status
                    body = await response.json(content_type=None) if status == 200 else {}
            except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
                findings.append(_unreachable(check, exc, "SLACK_API_BASE_URL"))
                continue
            if status == 200 and body.get("ok"):
                team = f" (workspace {body['team']})" if body.get("team") else ""
                findings.append(doctor.ok(check, f"accepts {name}{team}"))
            elif status == 200:
                findings.append(doctor.problem(
                    check, f"rejects {name} ({body.get('error', 'no reason given')})",
                    f"copy {name} again from your app's settings at api.slack.com/apps "
                    "(reinstall the app if it was removed from the workspace)"))
            else:
                findings.append(doctor.problem(
                    check, f"answered HTTP {status}",
                    "check SLACK_API_BASE_URL (unset it for Slack's own API)"))
    return findings


def _unreachable(check: str, exc: BaseException, setting: str) -> Any:
    from bot import doctor

    reason = "timed out" if isinstance(exc, TimeoutError) else f"{type(exc).__name__}: {exc}"
    return doctor.problem(check, f"cannot be reached ({reason})",
                          f"check the network and proxy, and {setting} if you set it")


def _database_url(settings: Settings) -> str:
    from sqlalchemy.exc import ArgumentError

    from bot.startup import database_url

    try:
        return database_url(settings)
    except (ValueError, ArgumentError) as exc:
        raise CliError(f"DATABASE_URL is not usable ({exc}). Use sqlite:///path/to/pitboard.db "
                       "or postgresql://user:password@host:5432/dbname, or unset it for the "
                       "default SQLite file.", 2) from None


def _hidden(url: str) -> str:
    from bot.startup import safe_url

    return safe_url(url)
