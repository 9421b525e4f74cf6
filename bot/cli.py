"""The `pitboard` command."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import errno
import json
import logging
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TextIO

from bot.checkup import (
    CliError,
    _database_url,
    _doctor,
    _hidden,
)
from bot.config import Settings
from bot.messages import plural

log = logging.getLogger("bot.cli")




def _configure_logging(level: str, log_format: str = "auto") -> None:
    from bot.logs import configure_logging

    configure_logging(level, log_format)


def _read_items(lines: Iterable[str]) -> Iterator[tuple[int, dict[str, Any] | None, str | None]]:
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, None, f"line {number}: not JSON ({exc.msg})"
            continue
        if not isinstance(item, dict) or "title" not in item:
            yield number, None, f"line {number}: expected an object with at least a title"
            continue
        yield number, item, None


def cmd_extract(args: argparse.Namespace, out: TextIO) -> int:
    from bot.rules import extract_item

    if args.text is not None:
        title, _, body = args.text.partition("\n")
        item = {"id": "text", "title": title, "summary": body, "date": args.date,
                "series": args.series}
        print(json.dumps(extract_item(item), ensure_ascii=False), file=out)
        return 0
    try:
        source = open(args.jsonl, encoding="utf-8") \
            if args.jsonl not in (None, "-") else sys.stdin  # noqa: SIM115
    except OSError as exc:
        raise CliError(f"cannot read {args.jsonl}: {exc.strerror or exc}. Give a JSON-lines "
                       "file, or - (or nothing) to read standard input.", 2) from None
    failures = 0
    with source:
        for _, item, error in _read_items(source):
            if error:
                failures += 1
                print(f"pitboard extract: {error}", file=sys.stderr)
                continue
            assert item is not None
            print(json.dumps(extract_item(item), ensure_ascii=False), file=out)
    return 1 if failures else 0


async def _db_upgrade(settings: Settings) -> int:
    from sqlalchemy.engine import make_url

    import storage

    url = _database_url(settings)
    await storage.upgrade(url)
    print(f"Database is up to date: {make_url(url).render_as_string(hide_password=True)}")
    return 0


async def _feed_command(settings: Settings, args: argparse.Namespace) -> int:
    from bot.app import PitboardApp
    from bot.messages import CommandCall

    app = await PitboardApp.create(settings)
    try:
        if args.feed_action == "add":
            options = {"url": args.url}
            if args.preset_series and args.url.casefold() != "preset":
                raise CliError("one URL at a time (or: pitboard feed add preset SERIES)", 2)
            if args.series or args.preset_series:
                options["series"] = args.series or args.preset_series
            if args.every is not None:  # 0 is refused like 1, not taken for "unset"
                options["every"] = str(args.every)
            call = CommandCall(name="feed add", options=options, platform="operator",
                               workspace="cli", is_moderator=True)
        elif args.feed_action == "presets":
            call = CommandCall(name="feed presets", platform="operator", workspace="cli",
                               options={"series": args.series} if args.series else {},
                               is_moderator=True)
        else:
            call = CommandCall(name="feed list", platform="operator", workspace="cli",
                               is_moderator=True)
        reply = await app.commands.run(call)
        if reply.error:
            raise CliError(reply.plain().rstrip("."))
        print(reply.plain())
        return 0
    finally:
        await app.close()


async def _poll_once(settings: Settings, *, every_feed: bool = False) -> int:
    from bot.app import PitboardApp
    from bot.models import utcnow

    app = await PitboardApp.create(settings)
    try:
        if every_feed:
            await app.store.mark_all_due(utcnow())
        # Each round claims what is due; a polled feed is scheduled ahead, so this ends.
        while reports := await app.poll_now():
            for report in reports:
                state = report.error or ("not modified" if report.not_modified else
                                         f"{report.new_articles} new, {report.new_stories} "
                                         "moves")
                print(f"{report.url}: {state}")
            if not every_feed:
                break
        delivered = await app.deliver_now()
        print(f"{plural(delivered.sent, 'alert')} delivered, {delivered.retried} to retry")
        return 0
    finally:
        await app.close()


async def _feeds_table(settings: Settings) -> int:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    import storage
    from bot.commands.admin import feed_state
    from bot.models import utcnow

    store = await storage.SqlStore.open(_database_url(settings))
    try:
        all_feeds = await store.list_feeds(None)
    finally:
        await store.close()
    if not all_feeds:
        print("No feeds yet: `pitboard feed add URL` adds one.")
        return 0
    now = utcnow()
    table = Table(title=plural(len(all_feeds), "feed"))
    for column in ("#", "Feed", "Schedule", "Last success", "Next poll", "Entries",
                   "Alerts", "Problem"):
        table.add_column(column, overflow="fold")
    for feed in all_feeds:
        state = feed_state(feed, now)
        name = feed.title or feed.url
        if feed.workspace:
            name += f" [{feed.workspace}]"
        style = "red" if feed.disabled_reason else ("yellow" if feed.last_error else None)
        cells = (str(feed.id), name, state["schedule"], state["last_success"],
                 state["next_poll"], str(feed.entries_seen), str(feed.alerts_produced),
                 state["problem"] or "—")
        # Text, not markup: a feed's title is the publisher's, "[b]" and all.
        table.add_row(*(Text(cell) for cell in cells), style=style)
    Console().print(table)
    return 0


async def _feed_check(settings: Settings, url: str, series: str | None, limit: int) -> int:
    """The operator's first look at a feed: what Pitboard would read in it, before any
    alert could come of it. Uses the same fetcher, guard and discovery as /feed add."""
    from dataclasses import replace

    import feeds
    from bot.models import utcnow
    from bot.pipeline import confident_part
    from bot.rules import extract, gazetteer

    if series:
        series = gazetteer().canonical_series(series) or series
    fetch_settings = feeds.FetchSettings(
        allow_private=settings.pitboard_allow_private_feeds,
        user_agent=feeds.FetchSettings.user_agent_for(settings.pitboard_contact_url))
    try:
        checked = await feeds.check_feed_url_async(url, allow_private=fetch_settings.allow_private)
    except ValueError as exc:
        raise CliError(f"not a feed URL Pitboard will fetch: {exc}", 2) from None
    async with feeds.HttpFeedFetcher(fetch_settings) as fetcher:
        try:
            probed = await feeds.FeedProbe(fetcher)(checked)
        except ValueError as exc:
            raise CliError(f"{checked}: {exc}") from None
    articles = probed.result.articles
    print(f"{probed.title or '(untitled feed)'} — {probed.url}")
    print(f"{plural(len(articles), 'entry', 'entries')}; the latest "
          f"{min(limit, len(articles))}:")
    for article in sorted(articles, key=lambda a: a.published or utcnow(),
                          reverse=True)[:max(limit, 0)]:
        extraction = confident_part(extract(replace(article, series=series)))
        when = article.published.date().isoformat() if article.published else "undated"
        print(f"\n{when}  {article.title}")
        if article.url:
            print(f"    {article.url}")
        for summary in extraction.summaries or ("no driver move read",):
            print(f"    → {summary}")
    return 0


async def _discord_sync(settings: Settings, guild_id: int | None) -> int:
    import discord

    from adapters.discord import build_discord_bot, sync_commands
    from bot.app import PitboardApp

    if settings.discord_token is None:
        print("Set DISCORD_TOKEN first (Developer Portal → your app → Bot → Reset Token).",
              file=sys.stderr)
        return 2
    app = await PitboardApp.create(settings)
    try:
        discord_bot = build_discord_bot(
            token=settings.discord_token.get_secret_value(), runner=app.commands,
            api_base_url=settings.discord_api_base_url, guild_id=settings.discord_guild_id)
        try:
            names = await sync_commands(discord_bot, guild_id=guild_id)
        except discord.LoginFailure as exc:
            await discord_bot.close()  # its HTTP session was opened for the login
            raise CliError(f"Discord rejected DISCORD_TOKEN ({exc}). Reset the token in the "
                           "Developer Portal (Bot, Reset Token); `pitboard doctor` checks it."
                           ) from None
        where = f"server {guild_id or settings.discord_guild_id}" \
            if guild_id or settings.discord_guild_id else "every server (may take a while)"
        print(f"Synced {len(names)} commands to {where}: {', '.join('/' + n for n in names)}")
        return 0
    finally:
        await app.close()


def _discord_invite(settings: Settings) -> int:
    from adapters.discord import application_id_from_token, invite_url

    app_id = settings.discord_application_id
    if app_id is None and settings.discord_token is not None:
        app_id = application_id_from_token(settings.discord_token.get_secret_value())
    if app_id is None:
        print("Set DISCORD_APPLICATION_ID (or DISCORD_TOKEN) first.", file=sys.stderr)
        return 2
    print(invite_url(app_id))
    return 0


def _slack_manifest(http_url: str | None, prefix: str) -> int:
    from adapters.slack import manifest

    try:
        document = manifest(socket_mode=http_url is None, request_url=http_url,
                            command_prefix=prefix)
    except ValueError as exc:
        raise CliError(str(exc), 2) from None
    print(json.dumps(document, indent=2, ensure_ascii=False))
    return 0


async def _lineup_import(settings: Settings, path: str) -> int:
    from rich.progress import Progress

    import storage
    from bot.lineup_csv import CsvFormatError, import_csv

    store = await storage.SqlStore.open(_database_url(settings))
    try:
        with Progress(transient=True) as bar:
            task = bar.add_task("Importing entry list", total=None)
            report = await import_csv(
                store, path, progress=lambda done, total: bar.update(task, completed=done,
                                                                     total=total))
    except CsvFormatError as exc:
        print(f"pitboard lineup import: {path}: {exc}. Expected the columns "
              "series,season,car,team,driver,role.", file=sys.stderr)
        return 2
    finally:
        await store.close()
    print(f"{plural(report.rows, 'row')}: {report.added} added, {report.updated} updated, "
          f"{report.unchanged} unchanged, {report.skipped} kept as moderators set them, "
          f"{len(report.problems)} unusable.")
    for problem in report.problems:
        print(f"  line {problem.line}: {problem.reason}")
    return 1 if report.problems else 0


def outbox_table(entries: Sequence[Any], title: str) -> Any:
    """A rich Table of outbox rows (bot.models.OutboxEntry), newest first."""
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for column in ("id", "status", "tries", "where", "alert", "queued", "error"):
        table.add_column(column, overflow="fold")
    for entry in entries:
        where = entry.destination
        place = (f"DM {where.user}" if where.kind.value == "dm"
                 else f"#{where.channel}") + f" ({where.platform}:{where.workspace})"
        if where.broken:
            place += f" unusable: {where.broken}"
        table.add_row(str(entry.id), entry.status, str(entry.attempts), place, entry.summary,
                      entry.created_at.strftime("%Y-%m-%d %H:%M"), entry.last_error or "")
    return table


async def _outbox(settings: Settings, limit: int) -> int:
    from rich.console import Console

    import storage

    store = await storage.SqlStore.open(_database_url(settings))
    try:
        queued = await store.outbox_entries(statuses=["pending"], limit=limit)
        failed = await store.outbox_entries(failed_only=True, limit=limit)
        recent = await store.outbox_entries(limit=limit)
    finally:
        await store.close()
    console = Console()
    console.print(outbox_table(queued, f"Queued ({len(queued)} shown)"))
    console.print(outbox_table(failed, f"Failing or given up ({len(failed)} shown)"))
    console.print(outbox_table(recent, f"Most recent ({len(recent)} shown)"))
    return 0


async def _lineup_export(settings: Settings, path: str | None, series: str | None,
                         season: int | None) -> int:
    import storage
    from bot.lineup_csv import export_csv

    store = await storage.SqlStore.open(_database_url(settings))
    try:
        count = await export_csv(store, path or sys.stdout, series=series, season=season)
    except OSError as exc:
        if path is None or isinstance(exc, BrokenPipeError):
            raise
        raise CliError(f"cannot write {path}: {exc.strerror or exc}. Choose a path in a "
                       "folder you can write to, or leave FILE out to print to standard "
                       "output.", 2) from None
    finally:
        await store.close()
    if path:
        print(f"{plural(count, 'seat')} written to {path}")
    return 0


















def _shown_input(error: Any) -> str:
    field = ".".join(str(part) for part in error["loc"]).lower()
    if any(word in field for word in ("token", "secret", "password", "url")):
        return ""  # may hold a credential
    return f" (got {error.get('input')!r})"


def _explain(exc: BaseException, settings: Settings | None) -> str:
    """One line for an error nobody turned into a CliError: the common operator mistakes by
    their type, anything else as a bug to report."""
    import pydantic
    from sqlalchemy.exc import DBAPIError

    import storage

    if isinstance(exc, pydantic.ValidationError):
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc']).upper() or 'setting'}: "
            f"{error['msg']}{_shown_input(error)}" for error in exc.errors())
        return f"the configuration is not valid: {problems}. Fix it in the environment or .env."
    where = "the database"
    if settings is not None:
        with contextlib.suppress(CliError):
            where = f"the database at {_hidden(_database_url(settings))}"
    if isinstance(exc, storage.TRANSIENT_ERRORS):
        cause = exc.__cause__ or exc
        return (f"cannot reach {where} ({type(cause).__name__}: {cause}). Is it running, and "
                "is DATABASE_URL right? `pitboard doctor` checks the whole set-up.")
    if isinstance(exc, DBAPIError):
        return (f"{where} refused the connection or the query ({exc.orig}). Check the user, "
                "password and database name in DATABASE_URL; `pitboard doctor` checks it.")
    if isinstance(exc, OSError) and exc.errno in (errno.EADDRINUSE, errno.EADDRNOTAVAIL,
                                                  errno.EACCES) and exc.filename is None:
        return (f"cannot listen for HTTP ({exc.strerror or exc}). Another process may hold the "
                "port: set PORT (`pitboard web`) or PITBOARD_METRICS_PORT (`pitboard run`) to "
                "a free one, and PITBOARD_WEB_HOST to an address of this machine.")
    if isinstance(exc, OSError) and exc.filename:
        return f"{exc.filename}: {exc.strerror or exc}."
    return (f"unexpected error ({type(exc).__name__}: {exc}). This is a bug in Pitboard: "
            "run again with LOG_LEVEL=DEBUG for the details and report it.")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pitboard", description=(
        "Racing news bot: driver moves and lineups from news feeds, for Discord and Slack."))
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sub.add_parser("run", help="run the scheduler and every configured chat platform")
    demo = sub.add_parser("demo", help="the whole loop offline, with sample feeds")
    demo.add_argument("--script", action="store_true",
                      help="run a fixed scenario without a prompt and exit")
    extract = sub.add_parser("extract", help="print the driver moves in news items (JSONL)")
    extract.add_argument("--jsonl", metavar="FILE",
                         help="items, one JSON object a line (default: stdin)")
    extract.add_argument("--text", help="one item: headline, newline, body")
    extract.add_argument("--date", help="with --text: the article date, YYYY-MM-DD")
    extract.add_argument("--series", help="with --text: the feed's series")
    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_action", required=True)
    db_sub.add_parser("upgrade", help="apply migrations up to the newest schema")
    feed = sub.add_parser("feed", help="operator-level feeds (polled for every workspace)")
    feed_sub = feed.add_subparsers(dest="feed_action", required=True)
    feed_add = feed_sub.add_parser("add", help="add a feed (or: add preset SERIES)")
    feed_add.add_argument("url", help="the feed's URL, or 'preset' for a series' presets")
    feed_add.add_argument("preset_series", nargs="?", metavar="SERIES",
                          help="after 'preset': the series whose preset feeds to add")
    feed_add.add_argument("--series")
    feed_add.add_argument("--every", type=int, help="minutes between polls")
    feed_sub.add_parser("list", help="list feeds")
    feed_presets = feed_sub.add_parser(
        "presets", help="well-known racing news feeds by series (the bundled catalogue)")
    feed_presets.add_argument("--series", help="only this series' feeds")
    feed_check = feed_sub.add_parser(
        "check", help="fetch a feed now and print its latest items with the moves read in "
                      "them (nothing stored, nothing sent)")
    feed_check.add_argument("url")
    feed_check.add_argument("--series", help="the feed's series, as /feed add would set it")
    feed_check.add_argument("--limit", type=int, default=10, help="items to show (default 10)")
    sub.add_parser("feeds", help="every feed's health: last success, last error, next poll, "
                                 "entries seen, disabled or not")
    poll = sub.add_parser("poll", help="poll due feeds once, deliver alerts, and exit")
    poll.add_argument("--now", action="store_true",
                      help="poll every feed now, whatever its schedule")
    lineup = sub.add_parser("lineup", help="entry lists: import or export seats as CSV")
    lineup_sub = lineup.add_subparsers(dest="lineup_action", required=True)
    lineup_import = lineup_sub.add_parser(
        "import", help="load a CSV entry list (series,season,car,team,driver,role)")
    lineup_import.add_argument("file")
    lineup_export = lineup_sub.add_parser("export", help="write the open seats as CSV")
    lineup_export.add_argument("file", nargs="?", help="default: standard output")
    lineup_export.add_argument("--series")
    lineup_export.add_argument("--season", type=int)
    sub.add_parser("doctor", help="check the configuration, database and platform tokens")
    outbox = sub.add_parser("outbox", help="alerts queued, failing and recently sent")
    outbox.add_argument("--limit", type=int, default=20, help="rows per table (default 20)")
    sub.add_parser("web", help="Slack HTTP mode (events, OAuth install), /healthz and /metrics "
                               "on $PORT")
    discord_cmd = sub.add_parser("discord", help="Discord set-up")
    discord_sub = discord_cmd.add_subparsers(dest="discord_action", required=True)
    sync = discord_sub.add_parser("sync", help="upload the slash commands to Discord")
    sync.add_argument("--guild", type=int, help="one server's id: commands show there at once")
    discord_sub.add_parser("invite", help="print the invite URL with the minimal permissions")
    slack_cmd = sub.add_parser("slack", help="Slack set-up")
    slack_sub = slack_cmd.add_subparsers(dest="slack_action", required=True)
    slack_manifest = slack_sub.add_parser("manifest", help="print the Slack app manifest")
    slack_manifest.add_argument("--http", metavar="URL",
                                help="HTTP mode at this public URL (default: Socket Mode)")
    slack_manifest.add_argument("--prefix", default="",
                                help="prefix every command, e.g. pb- for /pb-lineup")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    settings: Settings | None = None
    try:
        if args.command == "extract":
            code = cmd_extract(args, sys.stdout)
        else:
            settings = Settings()
            _configure_logging(settings.log_level, settings.pitboard_log_format)
            code = _dispatch(parser, args, settings)
        # Flushed here, not at exit, so a closed pipe (`pitboard slack manifest | head`)
        # is met below rather than printed by the interpreter on its way out.
        sys.stdout.flush()
        return code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader left (`| head`): the Unix way is to stop quietly. Point stdout at
        # /dev/null so the interpreter's final flush does not complain either.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except CliError as exc:
        print(f"pitboard {args.command}: {exc}", file=sys.stderr)
        return exc.code
    except SystemExit:
        raise
    except Exception as exc:
        log.debug("pitboard %s failed", args.command, exc_info=True)
        print(f"pitboard {args.command}: {_explain(exc, settings)}", file=sys.stderr)
        return 1


def _dispatch(parser: argparse.ArgumentParser, args: argparse.Namespace,
              settings: Settings) -> int:
    if args.command == "demo":
        from bot.demo import run_demo

        return asyncio.run(run_demo(script=args.script))
    if args.command == "feed" and args.feed_action == "check":
        return asyncio.run(_feed_check(settings, args.url, args.series, args.limit))
    if args.command in _NEEDS_DATABASE:
        _database_url(settings)  # a bad DATABASE_URL is one line, before anything starts
    if args.command == "run":
        from bot.app import run_worker

        asyncio.run(run_worker(settings))
        return 0
    if args.command == "db":
        return asyncio.run(_db_upgrade(settings))
    if args.command == "doctor":
        return asyncio.run(_doctor(settings))
    if args.command == "feed":
        return asyncio.run(_feed_command(settings, args))
    if args.command == "outbox":
        return asyncio.run(_outbox(settings, args.limit))
    if args.command == "poll":
        return asyncio.run(_poll_once(settings, every_feed=args.now))
    if args.command == "feeds":
        return asyncio.run(_feeds_table(settings))
    if args.command == "lineup":
        if args.lineup_action == "import":
            if not os.path.isfile(args.file):
                raise CliError(f"no such file {args.file}. Give the path of a CSV entry "
                               "list (series,season,car,team,driver,role).", 2)
            return asyncio.run(_lineup_import(settings, args.file))
        return asyncio.run(_lineup_export(settings, args.file, args.series, args.season))
    if args.command == "web":
        from bot.app import run_web

        asyncio.run(run_web(settings))
        return 0
    if args.command == "discord":
        if args.discord_action == "invite":
            return _discord_invite(settings)
        return asyncio.run(_discord_sync(settings, args.guild))
    if args.command == "slack":
        return _slack_manifest(args.http, args.prefix)
    parser.error(f"unknown command {args.command}")
    return 2


_NEEDS_DATABASE = frozenset({"run", "web", "db", "feed", "feeds", "poll", "lineup", "outbox"})


if __name__ == "__main__":
    sys.exit(main())
