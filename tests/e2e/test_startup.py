"""A first run guides: `pitboard run` and `pitboard web` say what is on and what is off
with the setting that turns it on; logs are formatted once; library noise stays out."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import pytest
from rich.console import Console
from slack_bolt.logger.messages import (
    warning_client_prioritized_and_token_skipped,
    warning_token_skipped,
)

from bot.app import run_web, run_worker
from bot.config import Settings
from bot.logs import configure_logging
from bot.startup import setup_summary, slack_mode
from tests.e2e.procs import REPO_ROOT, Worker, wait_until, worker_env
from tests.e2e.test_platforms import free_port
from tests.fakes.discord_server import FakeDiscord
from tests.fakes.slack_server import FakeSlack

PASSWORD = "pit-lane-s3cret"


def bare_settings(tmp_path: Path, **extra) -> Settings:
    return Settings(_env_file=None, database_url=f"sqlite:///{tmp_path / 'first.db'}",
                    pitboard_feeds="", **extra)


async def until_logged(caplog: pytest.LogCaptureFixture, text: str) -> None:
    for _ in range(400):
        if text in caplog.text:
            return
        await asyncio.sleep(0.025)
    pytest.fail(f"never logged {text!r}:\n{caplog.text}")


async def test_run_with_nothing_configured_says_what_to_set(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="bot.app")
    stop = asyncio.Event()
    worker = asyncio.create_task(run_worker(bare_settings(tmp_path), stop=stop))
    try:
        await until_logged(caplog, "Pitboard running")
    finally:
        stop.set()
        await asyncio.wait_for(worker, 10)
    text = caplog.text
    assert "platforms console" in text and "0 feeds" in text
    assert "Discord is off: set DISCORD_TOKEN" in text
    assert "Slack is off: set SLACK_BOT_TOKEN and SLACK_APP_TOKEN" in text
    assert "No feeds yet: `pitboard feed add URL`" in text
    assert "set PITBOARD_METRICS_PORT" in text


async def test_run_in_slack_http_mode_needs_no_signing_secret(tmp_path, caplog):
    """Only `pitboard web` verifies Slack's requests; the worker just delivers."""
    caplog.set_level(logging.INFO, logger="bot.app")
    async with FakeSlack() as slack:
        slack.add_workspace("T1", "xoxb-first-run")
        settings = bare_settings(tmp_path, slack_bot_token="xoxb-first-run",
                                 slack_api_base_url=slack.api_url, pitboard_console=False)
        stop = asyncio.Event()
        worker = asyncio.create_task(run_worker(settings, stop=stop))
        try:
            await until_logged(caplog, "Pitboard running")
        finally:
            stop.set()
            await asyncio.wait_for(worker, 10)
    assert "platforms slack" in caplog.text
    assert "Slack (HTTP mode: this worker delivers" in caplog.text
    assert "xoxb-first-run" not in caplog.text


async def test_web_without_slack_says_so_and_answers_503_on_the_host_set(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="bot.app")
    port = free_port()
    settings = bare_settings(tmp_path, port=port, pitboard_web_host="127.0.0.1")
    stop = asyncio.Event()
    server = asyncio.create_task(run_web(settings, stop=stop))
    try:
        await until_logged(caplog, "Pitboard web listening")
        async with aiohttp.ClientSession() as session, \
                session.post(f"http://127.0.0.1:{port}/slack/events") as response:
            assert response.status == 503
            assert "SLACK_SIGNING_SECRET" in await response.text()
        async with aiohttp.ClientSession() as session, \
                session.get(f"http://127.0.0.1:{port}/metrics") as response:
            assert response.status == 200
            assert "pitboard_database_up 1.0" in await response.text()
    finally:
        stop.set()
        await asyncio.wait_for(server, 10)
    assert f"on 127.0.0.1:{port}" in caplog.text
    assert "Slack is off: /slack/* answers 503 until SLACK_SIGNING_SECRET" in caplog.text


def test_rich_console_lines_carry_the_level_once(monkeypatch):
    monkeypatch.setattr("sys.stderr.isatty", lambda: True, raising=False)
    try:
        configure_logging("INFO", "auto")
        [handler] = logging.getLogger().handlers
        out = io.StringIO()
        handler.console = Console(file=out, width=200)  # type: ignore[attr-defined]
        logging.getLogger("bot.app").info("Pitboard running: platforms console")
    finally:
        logging.basicConfig(force=True)
    line = out.getvalue()
    assert "bot.app: Pitboard running" in line
    assert line.count("INFO") == 1, line


def test_json_log_lines_and_quiet_library_warnings(capsys):
    try:
        configure_logging("INFO", "json")
        logging.getLogger("slack_bolt.AsyncApp").warning(warning_token_skipped())
        logging.getLogger("slack_bolt.AsyncApp").warning(
            warning_client_prioritized_and_token_skipped())
        logging.getLogger("apscheduler.scheduler").warning(
            'Execution of job "PitboardApp.deliver_tick" skipped: maximum number of running '
            "instances reached (1)")
        logging.getLogger("bot.app").warning("feed %s: %s", "http://x", "timed out")
        try:
            raise ValueError("boom")
        except ValueError:
            logging.getLogger("bot.pipeline").exception("poll failed")
    finally:
        logging.basicConfig(force=True)
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    assert [(e["level"], e["logger"], e["message"]) for e in lines] == [
        ("WARNING", "bot.app", "feed http://x: timed out"),
        ("ERROR", "bot.pipeline", "poll failed")]
    assert "ValueError: boom" in lines[1]["exc_info"]


async def test_worker_start_has_no_voice_warnings_and_logs_json(tmp_path):
    """The real discord.py client, built by a real `pitboard run`, against a fake Discord."""
    async with FakeDiscord() as discord_fake:
        env = worker_env(f"sqlite:///{tmp_path / 'w.db'}", discord_fake,
                         LOG_LEVEL="INFO", PITBOARD_LOG_FORMAT="json")
        worker = Worker.start("json", env, tmp_path)
        try:
            await wait_until(lambda: "Pitboard running" in worker.log_tail(200), within=60,
                             what="the worker to start", workers=[worker])
            await wait_until(lambda: discord_fake.identified.is_set(), within=30,
                             what="the gateway login", workers=[worker])
        finally:
            worker.stop()
    text = worker.log_path.read_text()
    assert "PyNaCl" not in text and "davey" not in text
    entries = [json.loads(line) for line in text.splitlines() if line.strip()]
    assert any("platforms discord" in e["message"] for e in entries)


def test_half_an_oauth_set_up_is_not_slack_on(tmp_path):
    """A client id without its secret would build neither a sender nor a Bolt app: Slack
    stays off and the start-up log says which settings are missing."""
    settings = bare_settings(tmp_path, slack_client_id="123.456",
                             slack_signing_secret="0123456789abcdef0123456789abcdef")
    assert slack_mode(settings) is None
    _, off = setup_summary(settings, url="sqlite:///x.db", feed_count=1, command="web")
    assert any("SLACK_BOT_TOKEN (or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET)" in line
               for line in off)



@pytest.mark.parametrize("leave", ["/quit", "ctrl-c"])
def test_run_in_a_terminal_takes_commands_and_leaves_at_once(tmp_path, leave):
    """`pitboard run` with a terminal on stdin: /help answers at once; /quit or ctrl-C
    stops it without waiting for another Enter."""
    controller, terminal = os.openpty()
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("DISCORD_", "SLACK_", "PITBOARD_", "DATABASE_URL"))}
    env = {**clean, "PYTHONPATH": str(REPO_ROOT), "PYTHONUNBUFFERED": "1",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'tty.db'}", "PITBOARD_POLL_SECONDS": "3600"}
    out_path = tmp_path / "out.txt"
    with out_path.open("wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "bot.cli", "run"], cwd=tmp_path,
                                   env=env, stdin=terminal, stdout=out,
                                   stderr=subprocess.STDOUT)
        os.close(terminal)
        try:
            def wait_for(text: str) -> None:
                deadline = time.monotonic() + 60
                while text not in out_path.read_text(errors="replace"):
                    assert process.poll() is None, out_path.read_text(errors="replace")
                    assert time.monotonic() < deadline, out_path.read_text(errors="replace")
                    time.sleep(0.05)

            wait_for("pitboard> ")
            os.write(controller, b"/help\n")
            wait_for("Pitboard commands:")
            if leave == "/quit":
                os.write(controller, b"/quit\n")
            else:
                process.send_signal(signal.SIGINT)
            assert process.wait(timeout=10) == 0
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
            os.close(controller)
    assert "Traceback" not in out_path.read_text(errors="replace")


async def test_a_rejected_discord_token_is_logged_not_swallowed(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="bot.app")
    async with FakeDiscord() as discord_fake:
        discord_fake.fail("GET", "/users/@me", 401, message="401: Unauthorized")
        settings = bare_settings(tmp_path, discord_token="rejected-token",
                                 discord_api_base_url=discord_fake.api_base,
                                 discord_gateway_url=discord_fake.gateway_url,
                                 pitboard_console=False)
        stop = asyncio.Event()
        worker = asyncio.create_task(run_worker(settings, stop=stop))
        try:
            await until_logged(caplog, "Discord stopped: LoginFailure")
        finally:
            stop.set()
            await asyncio.wait_for(worker, 10)
    assert "check DISCORD_TOKEN" in caplog.text and "pitboard doctor" in caplog.text
    assert "rejected-token" not in caplog.text


async def test_discord_sync_with_a_rejected_token_is_one_line(tmp_path):
    async with FakeDiscord() as discord_fake:
        discord_fake.fail("GET", "/users/@me", 401, message="401: Unauthorized")
        clean = {k: v for k, v in os.environ.items()
                 if not k.startswith(("DISCORD_", "SLACK_", "PITBOARD_", "DATABASE_URL"))}
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", "discord", "sync", cwd=tmp_path,
            env={**clean, "PYTHONPATH": str(REPO_ROOT),
                 "DATABASE_URL": f"sqlite:///{tmp_path / 'sync.db'}",
                 "DISCORD_TOKEN": "rejected-token", "DISCORD_API_BASE_URL": discord_fake.api_base},
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        _, err = await asyncio.wait_for(process.communicate(), 60)
    # discord.py's own INFO line about logging in may come first; then one line, and no
    # warnings about sessions left open.
    lines = [line for line in err.decode().strip().splitlines() if " INFO " not in line]
    assert process.returncode == 1
    assert len(lines) == 1 and "Discord rejected DISCORD_TOKEN" in lines[0], lines
