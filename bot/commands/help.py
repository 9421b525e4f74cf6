"""/help: every command, or one, as its spec describes it."""

from __future__ import annotations

from bot.commands.context import Context, Handler
from bot.commands.parsing import UsageError, unknown_command
from bot.commands.specs import SPECS
from bot.messages import CommandCall, Reply


async def help_(ctx: Context, call: CommandCall) -> Reply:
    wanted = call.text("command")
    if wanted:
        name = wanted.lstrip("/").casefold()
        specs = [s for s in SPECS if s.name == name or s.group == name]
        if not specs:
            raise UsageError(unknown_command(name))
        lines = [f"{s.usage}: {s.description}" + (f"  e.g. {s.example}" if s.example else "")
                 for s in specs]
        return Reply(text="\n".join(lines), ephemeral=True)
    shown = [s for s in SPECS if call.is_moderator or not s.moderator_only]
    lines = [f"{s.usage}: {s.description}" for s in shown]
    return Reply(text="Pitboard commands:\n" + "\n".join(lines), ephemeral=True)


HANDLERS: dict[str, Handler] = {"help": help_}
