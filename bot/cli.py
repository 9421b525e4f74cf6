"""The `pitboard` command."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from bot.config import Settings


def _configure_logging(level: str) -> None:
    handler: logging.Handler
    if sys.stderr.isatty():
        from rich.logging import RichHandler

        handler = RichHandler(show_path=False)
    else:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=level.upper(), handlers=[handler], force=True)
    # Migrations run on every start and the scheduler ticks every few seconds: their
    # step-by-step chatter is not news to the operator (their warnings still are).
    for chatty in ("alembic", "apscheduler"):
        logging.getLogger(chatty).setLevel(logging.WARNING)


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
    source = open(args.jsonl, encoding="utf-8") if args.jsonl not in (None, "-") else sys.stdin  # noqa: SIM115
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
            if args.series:
                options["series"] = args.series
            if args.every:
                options["every"] = str(args.every)
            call = CommandCall(name="feed add", options=options, platform="operator",
                               workspace="cli", is_moderator=True)
        else:
            call = CommandCall(name="feed list", platform="operator", workspace="cli",
                               is_moderator=True)
        reply = await app.commands.run(call)
        print(reply.plain())
        return 1 if reply.error else 0
    finally:
        await app.close()


async def _poll_once(settings: Settings) -> int:
    from bot.app import PitboardApp

    app = await PitboardApp.create(settings)
    try:
        for report in await app.poll_now():
            state = report.error or ("not modified" if report.not_modified else
                                     f"{report.new_articles} new, {report.new_stories} moves")
            print(f"{report.url}: {state}")
        delivered = await app.deliver_now()
        print(f"{delivered.sent} alerts delivered, {delivered.retried} to retry")
        return 0
    finally:
        await app.close()


async def _discord_sync(settings: Settings, guild_id: int | None) -> int:
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
        names = await sync_commands(discord_bot, guild_id=guild_id)
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

    document = manifest(socket_mode=http_url is None, request_url=http_url,
                        command_prefix=prefix)
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
    print(f"{report.rows} rows: {report.added} added, {report.updated} updated, "
          f"{report.unchanged} unchanged, {report.skipped} kept as moderators set them, "
          f"{len(report.problems)} unusable.")
    for problem in report.problems:
        print(f"  line {problem.line}: {problem.reason}")
    return 1 if report.problems else 0


async def _lineup_export(settings: Settings, path: str | None, series: str | None,
                         season: int | None) -> int:
    import storage
    from bot.lineup_csv import export_csv

    store = await storage.SqlStore.open(_database_url(settings))
    try:
        count = await export_csv(store, path or sys.stdout, series=series, season=season)
    finally:
        await store.close()
    if path:
        print(f"{count} seats written to {path}")
    return 0


def _database_url(settings: Settings) -> str:
    from bot.app import database_url

    return database_url(settings)


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
    feed_add = feed_sub.add_parser("add", help="add a feed")
    feed_add.add_argument("url")
    feed_add.add_argument("--series")
    feed_add.add_argument("--every", type=int, help="minutes between polls")
    feed_sub.add_parser("list", help="list feeds")
    sub.add_parser("poll", help="poll due feeds once, deliver alerts, and exit")
    lineup = sub.add_parser("lineup", help="entry lists: import or export seats as CSV")
    lineup_sub = lineup.add_subparsers(dest="lineup_action", required=True)
    lineup_import = lineup_sub.add_parser(
        "import", help="load a CSV entry list (series,season,car,team,driver,role)")
    lineup_import.add_argument("file")
    lineup_export = lineup_sub.add_parser("export", help="write the open seats as CSV")
    lineup_export.add_argument("file", nargs="?", help="default: standard output")
    lineup_export.add_argument("--series")
    lineup_export.add_argument("--season", type=int)
    sub.add_parser("web", help="Slack HTTP mode (events, OAuth install) and /healthz on $PORT")
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
    if args.command == "extract":
        return cmd_extract(args, sys.stdout)
    settings = Settings()
    _configure_logging(settings.log_level)
    try:
        if args.command == "demo":
            from bot.demo import run_demo

            return asyncio.run(run_demo(script=args.script))
        if args.command == "run":
            from bot.app import run_worker

            asyncio.run(run_worker(settings))
            return 0
        if args.command == "db":
            return asyncio.run(_db_upgrade(settings))
        if args.command == "feed":
            return asyncio.run(_feed_command(settings, args))
        if args.command == "poll":
            return asyncio.run(_poll_once(settings))
        if args.command == "lineup":
            if args.lineup_action == "import":
                if not os.path.isfile(args.file):
                    print(f"pitboard lineup import: no such file {args.file}", file=sys.stderr)
                    return 2
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
    except KeyboardInterrupt:
        return 130
    parser.error(f"unknown command {args.command}")
    return 2


if __name__ == "__main__":
    sys.exit(main())
