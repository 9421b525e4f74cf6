"""The console as the operator meets it in `pitboard demo`: its feeds, chat references
printed as a reader sees them, and ctrl-C leaving at once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from tests.e2e.test_cli import pitboard


def test_demo_feed_list_shows_the_feeds_it_polls_and_channels_read_as_names():
    done = pitboard("demo", stdin="/feed list\n/alerts channel #paddock-news\n/linup 31\n")
    assert done.returncode == 0, done.stderr
    listing = done.stdout.split("pitboard> ", 2)[1]
    assert "No feeds yet" not in listing
    assert "Open Wheel Daily" in listing and "Paddock Wire" in listing
    assert "Driver-move alerts will be posted in #paddock-news." in done.stdout
    assert "<#" not in done.stdout
    assert "Unknown command /linup. Did you mean /lineup?" in done.stdout


def test_ctrl_c_at_the_demo_prompt_leaves_at_once():
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DISCORD_", "SLACK_", "DATABASE_URL"))}
    # stdin stays open and silent: the prompt is waiting for a line when ctrl-C comes
    demo = subprocess.Popen([sys.executable, "-m", "bot.cli", "demo"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        seen = b""
        deadline = time.monotonic() + 60
        while b"pitboard> " not in seen and time.monotonic() < deadline:
            chunk = os.read(demo.stdout.fileno(), 4096)  # type: ignore[union-attr]
            if not chunk:
                break
            seen += chunk
        assert b"pitboard> " in seen, seen.decode(errors="replace")
        demo.send_signal(signal.SIGINT)
        # Before the fix it waited for one more Enter: 30 s is far beyond a prompt exit,
        # with room for a loaded machine. (It also waited for ever now and then when the
        # kernel handed ctrl-C to another thread: tests/adapters/console/test_repl_interrupt.py
        # shows that case.)
        code = demo.wait(timeout=30)
        assert code == 130
        assert b"Traceback" not in demo.stderr.read()  # type: ignore[union-attr]
    finally:
        if demo.poll() is None:
            demo.kill()
            demo.wait()
