"""A prompt where the local operator types slash commands, as a chat user would."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
import threading
from typing import TextIO

from adapters.console.render import render_reply
from bot.commands.parsing import UsageError, parse_line
from bot.messages import CommandCall, Reply
from bot.ports import CommandRunner

CONSOLE_WORKSPACE = "local"
CONSOLE_CHANNEL = "alerts"
QUIT_WORDS = frozenset({"quit", "exit", "/quit", "/exit", ":q"})


class ConsoleSession:
    """The terminal user is the operator, so they moderate the local workspace (unless told
    otherwise: a test may speak as a fan)."""

    def __init__(self, runner: CommandRunner, *, out: TextIO | None = None,
                 user: str = "you", moderator: bool = True) -> None:
        self._runner = runner
        self._out = out or sys.stdout
        self._user = user
        self._moderator = moderator

    async def execute(self, line: str) -> Reply:
        try:
            parsed = parse_line(line)
        except UsageError as exc:
            return Reply(text=str(exc), error=True, ephemeral=True)
        return await self._runner.run(CommandCall(
            name=parsed.spec.name, options=parsed.options, platform="console",
            workspace=CONSOLE_WORKSPACE, channel=CONSOLE_CHANNEL, user=self._user,
            user_name=self._user, is_moderator=self._moderator))

    async def say(self, line: str) -> Reply:
        """Run one line and print it with its answer, as in a chat transcript."""
        print(f"\n> {line}", file=self._out, flush=True)
        reply = await self.execute(line)
        print(render_reply(reply), file=self._out, flush=True)
        return reply

    async def prompt(self, stdin: TextIO | None = None) -> None:
        """Read commands until EOF or quit; with no terminal attached, return at once."""
        stdin = stdin or sys.stdin
        while True:
            print("\npitboard> ", end="", file=self._out, flush=True)
            line = await _readline(stdin)
            if not line:  # EOF: ctrl-D, or no input at all (CI)
                print(file=self._out)
                return
            line = line.strip()
            if not line:
                continue
            if line.casefold() in QUIT_WORDS:
                return
            reply = await self.execute(line)
            print(render_reply(reply), file=self._out, flush=True)


async def _readline(stdin: TextIO) -> str:
    """One line from `stdin`, read in a daemon thread of its own: ctrl-C ends the wait
    and the program leaves at once. (asyncio.to_thread's pool thread would be joined at
    exit, so leaving needed one more Enter.)

    ctrl-C is caught by the loop itself while it waits. The kernel may hand the signal to
    any thread (this reader, a database worker), and asyncio.run's own handler then runs
    only once the main thread wakes, which an idle loop never does: the loop's handler
    writes to its wake-up pipe and so wakes it whichever thread took the signal."""
    loop = asyncio.get_running_loop()
    answer: asyncio.Future[str] = loop.create_future()

    def settle(line: str | BaseException) -> None:
        if answer.done():
            return  # cancelled meanwhile: nobody waits for this line
        if isinstance(line, BaseException):
            answer.set_exception(line)
        else:
            answer.set_result(line)

    def read() -> None:
        try:
            line: str | BaseException = stdin.readline()
        except (OSError, ValueError) as exc:  # stdin closed under us
            line = exc
        with contextlib.suppress(RuntimeError):  # the loop is gone: the program left
            loop.call_soon_threadsafe(settle, line)

    previous = signal.getsignal(signal.SIGINT)
    try:
        loop.add_signal_handler(signal.SIGINT, lambda: settle(KeyboardInterrupt()))
        caught = True
    except (NotImplementedError, RuntimeError, ValueError):
        caught = False  # off the main thread, or Windows: asyncio.run's handler stays
    threading.Thread(target=read, name="console-input", daemon=True).start()
    try:
        return await answer
    finally:
        if caught:
            loop.remove_signal_handler(signal.SIGINT)
            if previous is not None:
                signal.signal(signal.SIGINT, previous)  # asyncio.run's, for what follows
