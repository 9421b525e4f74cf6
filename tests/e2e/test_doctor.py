"""`pitboard doctor` as an operator runs it (a real subprocess) against a fake Discord and a
fake Slack on 127.0.0.1 and real databases: exit 0 when all is well, 1 with a fix per
problem otherwise."""

from __future__ import annotations

import asyncio
import base64
import os
import sys
from pathlib import Path

import pytest

from bot.config import Settings
from bot.doctor import configuration, discord_token_shape
from tests.e2e.procs import REPO_ROOT
from tests.fakes.db import open_test_store
from tests.fakes.discord_server import FakeDiscord
from tests.fakes.slack_server import FakeSlack

BOT_ID = "1187654321098765432"
DISCORD_TOKEN = (base64.urlsafe_b64encode(BOT_ID.encode()).decode().rstrip("=")
                 + ".GxYz12.abcdefghijklmnopqrstuvwxyz0123456789AB")
SLACK_BOT = "xoxb-1111-2222-doctor"
SLACK_APP = "xapp-1-A111-doctor"
SIGNING_SECRET = "0123456789abcdef0123456789abcdef"


async def doctor(env: dict[str, str], cwd: Path) -> tuple[int, str, str]:
    """The real command, run without blocking the loop the fakes answer on."""
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("DISCORD_", "SLACK_", "PITBOARD_", "DATABASE_URL"))}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "doctor", cwd=cwd,
        env={**clean, "PYTHONPATH": str(REPO_ROOT), **env},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


@pytest.fixture
async def fakes():
    async with FakeDiscord() as discord_fake, FakeSlack() as slack:
        slack.add_workspace("T1", SLACK_BOT, name="Pit Lane")
        yield discord_fake, slack


def platform_env(discord_fake: FakeDiscord, slack: FakeSlack) -> dict[str, str]:
    return {"DISCORD_TOKEN": DISCORD_TOKEN, "DISCORD_API_BASE_URL": discord_fake.api_base,
            "SLACK_BOT_TOKEN": SLACK_BOT, "SLACK_APP_TOKEN": SLACK_APP,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_API_BASE_URL": slack.api_url}


async def test_all_good_exits_0(tmp_path, fakes):
    discord_fake, slack = fakes
    store = await open_test_store(tmp_path / "ok.db")  # migrated to the newest schema
    await store.close()
    code, out, err = await doctor(
        {"DATABASE_URL": f"sqlite:///{tmp_path / 'ok.db'}", **platform_env(discord_fake, slack)},
        tmp_path)
    assert code == 0, out + err
    assert "FAIL" not in out
    assert "schema up to date" in out
    assert "accepts DISCORD_TOKEN" in out
    assert "accepts SLACK_BOT_TOKEN (workspace Pit Lane)" in out
    assert "accepts SLACK_APP_TOKEN" in out
    assert out.rstrip().endswith("All good.")
    assert [r.path for r in discord_fake.requests] == ["/users/@me"]
    for secret in (DISCORD_TOKEN, SLACK_BOT, SLACK_APP, SIGNING_SECRET):
        assert secret not in out + err


async def test_each_problem_is_named_with_its_fix(tmp_path, fakes):
    discord_fake, slack = fakes
    discord_fake.fail("GET", "/users/@me", 401, message="401: Unauthorized")
    env = {**platform_env(discord_fake, slack),
           "DATABASE_URL": "postgresql://pitboard:s3cret-pw@127.0.0.1:1/pitboard",
           "SLACK_BOT_TOKEN": "xoxb-not-installed-anywhere",
           "SLACK_SIGNING_SECRET": "not-the-secret"}
    code, out, err = await doctor(env, tmp_path)
    assert code == 1
    assert "Traceback" not in out + err
    assert "s3cret-pw" not in out + err
    expected = [
        ("FAIL  database: cannot connect to postgresql+asyncpg://pitboard:***@127.0.0.1:1",
         "start the database"),
        ("FAIL  SLACK_SIGNING_SECRET: is not 32 hexadecimal characters", "Signing Secret"),
        ("rejects DISCORD_TOKEN (401)", "Reset Token"),
        ("rejects SLACK_BOT_TOKEN (invalid_auth)", "api.slack.com/apps"),
    ]
    lines = out.splitlines()
    for problem, fix in expected:
        [at] = [i for i, line in enumerate(lines) if problem in line]
        assert lines[at + 1].strip().startswith("fix:") and fix in lines[at + 1], lines[at:at + 2]
    assert "4 problems found." in out


async def test_an_empty_database_and_an_unreachable_api(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}",
           "SLACK_BOT_TOKEN": SLACK_BOT, "SLACK_API_BASE_URL": "http://127.0.0.1:1/api/",
           "PITBOARD_FEEDS": "http://127.0.0.1:9/a.xml,ftp://wrong/feed",
           "PITBOARD_ALLOW_PRIVATE_FEEDS": "1"}
    code, out, _ = await doctor(env, tmp_path)
    assert code == 1
    assert "has no Pitboard tables yet" in out and "pitboard db upgrade" in out
    assert "FAIL  PITBOARD_FEEDS: ftp://wrong/feed would be skipped" in out
    assert "a.xml" not in out
    assert "Slack API http://127.0.0.1:1/api/auth.test: cannot be reached" in out


def test_token_shapes():
    assert discord_token_shape(DISCORD_TOKEN).ok
    assert "'Bot '" in discord_token_shape("Bot " + DISCORD_TOKEN).detail
    assert not discord_token_shape("a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4").ok  # a client secret
    settings = Settings(_env_file=None, slack_bot_token=SLACK_APP, slack_app_token=SLACK_BOT,
                        slack_client_id="123.456")
    problems = {f.check: f.detail for f in configuration(settings) if not f.ok}
    assert problems["SLACK_BOT_TOKEN"] == (
        "should start with xoxb- but looks like an app-level token")
    assert problems["SLACK_APP_TOKEN"] == "should start with xapp- but looks like a bot token"
    assert "only one of SLACK_CLIENT_ID" in problems["Slack OAuth"]
    assert "SLACK_SIGNING_SECRET" in problems["Slack installs"]
