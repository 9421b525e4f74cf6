"""Operator mistakes end in one plain line saying what is wrong and what to do, and a
non-zero exit: never a traceback. Each case runs the real `pitboard` command."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.e2e.test_cli import pitboard

REPO_ROOT = Path(__file__).resolve().parents[2]


def one_plain_line(done: subprocess.CompletedProcess[str], *, says: str) -> str:
    assert done.returncode != 0, done
    assert "Traceback" not in done.stdout + done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert says in lines[0], lines[0]
    return lines[0]


def test_extract_of_a_missing_file(tmp_path):
    done = pitboard("extract", "--jsonl", str(tmp_path / "missing.jsonl"))
    line = one_plain_line(done, says="cannot read")
    assert "missing.jsonl" in line and "standard input" in line


def test_lineup_export_to_an_unwritable_path(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    target = tmp_path / "no-such-folder" / "seats.csv"
    line = one_plain_line(pitboard("lineup", "export", str(target), env=env),
                          says="cannot write")
    assert str(target) in line and "standard output" in line


@pytest.mark.parametrize("url", ["mysql://user:pw@db.example/pitboard", "not a url"])
def test_database_url_with_an_unknown_scheme(url):
    line = one_plain_line(pitboard("feed", "list", env={"DATABASE_URL": url}),
                          says="DATABASE_URL is not usable")
    assert "postgresql://" in line and "sqlite:///" in line
    assert "pw@" not in line


def test_unreachable_database_is_named_without_its_password():
    # Port 1 on loopback: nothing listens there, the connection is refused at once.
    url = "postgresql://pitboard:s3cret-pw@127.0.0.1:1/pitboard"
    line = one_plain_line(pitboard("feed", "list", env={"DATABASE_URL": url}),
                          says="cannot reach the database")
    assert "s3cret-pw" not in line
    assert "127.0.0.1:1" in line and "pitboard doctor" in line


def test_a_closed_pipe_ends_quietly():
    """`pitboard slack manifest | head -1`: the reader leaves before the manifest is written."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "SLACK_"))}
    process = subprocess.Popen([sys.executable, "-m", "bot.cli", "slack", "manifest"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=clean)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # before the interpreter has even started: the write must fail
    code = process.wait(timeout=60)
    errors = process.stderr.read().decode()
    process.stderr.close()
    assert code != 0
    assert errors == ""


def test_slack_manifest_refuses_a_prefix_slack_would_refuse():
    line = one_plain_line(pitboard("slack", "manifest", "--prefix", "BAD PREFIX/"),
                          says="--prefix 'BAD PREFIX/' cannot start a Slack command")
    assert "pb-" in line
    one_plain_line(pitboard("slack", "manifest", "--prefix", "a-prefix-far-too-long-for-it-"),
                   says="too long")
    assert pitboard("slack", "manifest", "--prefix", "pb-").returncode == 0


@pytest.mark.parametrize("every", ["0", "1"])
def test_feed_add_every_out_of_range_is_refused_alike(tmp_path, every):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
           "PITBOARD_ALLOW_PRIVATE_FEEDS": "1"}
    one_plain_line(pitboard("feed", "add", "http://127.0.0.1:9/imsa.xml", "--every", every,
                            env=env), says="every must be between 5 and 1440")
    listed = pitboard("feed", "list", env=env)
    assert "imsa.xml" not in listed.stdout


def test_a_setting_of_the_wrong_type_is_named():
    line = one_plain_line(pitboard("poll", env={"PITBOARD_POLL_SECONDS": "often"}),
                          says="PITBOARD_POLL_SECONDS")
    assert "integer" in line


def test_an_unknown_log_level_is_named():
    line = one_plain_line(pitboard("feed", "list", env={"LOG_LEVEL": "loud"}),
                          says="LOG_LEVEL")
    assert "DEBUG, INFO, WARNING" in line


def test_web_on_a_port_in_use(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = pitboard("web", env={"DATABASE_URL": f"sqlite:///{tmp_path / 'web.db'}",
                                    "PORT": str(port), "PITBOARD_WEB_HOST": "127.0.0.1"})
    line = one_plain_line(done, says="cannot listen for HTTP")
    assert "set PORT" in line


def test_run_skips_a_bad_feed_entry_and_starts_the_rest(tmp_path):
    database = f"sqlite:///{tmp_path / 'cli.db'}"
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("DISCORD_", "SLACK_", "PITBOARD_", "DATABASE_URL"))}
    env = {**clean, "DATABASE_URL": database, "PITBOARD_ALLOW_PRIVATE_FEEDS": "1",
           "PITBOARD_POLL_SECONDS": "3600", "PITBOARD_CONSOLE": "1",
           "PYTHONPATH": str(REPO_ROOT), "PYTHONUNBUFFERED": "1",
           "PITBOARD_FEEDS": "http://127.0.0.1:9/a.xml, ftp://wrong/feed ,http://127.0.0.1:9/b.xml"}
    log_path = tmp_path / "run.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "bot.cli", "run"], cwd=tmp_path,
                                   env=env, stdin=subprocess.DEVNULL, stdout=log,
                                   stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            while "Pitboard running" not in log_path.read_text(errors="replace"):
                assert process.poll() is None, log_path.read_text(errors="replace")
                assert time.monotonic() < deadline, log_path.read_text(errors="replace")
                time.sleep(0.1)
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=20)
    text = log_path.read_text(errors="replace")
    assert "Traceback" not in text
    assert "PITBOARD_FEEDS: skipping ftp://wrong/feed" in text
    listed = pitboard("feed", "list", env={"DATABASE_URL": database})
    assert "a.xml" in listed.stdout and "b.xml" in listed.stdout
