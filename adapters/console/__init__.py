"""The local adapter: alerts printed to a terminal, slash commands typed at a prompt."""

from adapters.console.render import render_alert, render_reply
from adapters.console.repl import CONSOLE_WORKSPACE, ConsoleSession
from adapters.console.sender import ConsoleSender

__all__ = ["CONSOLE_WORKSPACE", "ConsoleSender", "ConsoleSession", "render_alert",
           "render_reply"]
