"""Delivers alerts by printing them: `pitboard run` without tokens, and the demo."""

from __future__ import annotations

import sys
from typing import TextIO

from adapters.console.render import render_alert
from bot.messages import Alert


class ConsoleSender:
    platform = "console"

    def __init__(self, out: TextIO | None = None) -> None:
        self._out = out or sys.stdout
        self.delivered: list[Alert] = []

    async def send(self, alert: Alert) -> None:
        print(render_alert(alert), file=self._out, flush=True)
        self.delivered.append(alert)

    async def notify_moderators(self, workspace: str, text: str) -> None:
        print(f"[moderators of {workspace}] {text}", file=self._out, flush=True)
