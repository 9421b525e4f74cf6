"""Platform-neutral slash commands.

    specs.py     every command and its options, declared once
    parsing.py   options parsed once: typed text, or a platform's own values
    core.py      Commands: the handler for a call, who may run it, one error fallback
    lineups.py   /lineup, /team, /changes, /driver, /news and the moderators' corrections
    follows.py   /follow, /unfollow, /following
    admin.py     /feed, /alerts channel, /settings
    help.py      /help

Adapters build a CommandCall (or hand typed text to `run_text`) and render the Reply."""

from bot.commands.core import Commands
from bot.commands.parsing import UsageError
from bot.commands.specs import SPECS

__all__ = ["SPECS", "Commands", "UsageError"]
