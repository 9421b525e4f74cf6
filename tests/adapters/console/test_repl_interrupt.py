"""ctrl-C at the console prompt ends the wait whichever thread the kernel hands it to."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]

# The signal goes to the prompt's own reader thread, as the kernel may send a process's
# ctrl-C to any of its threads: asyncio.run's handler alone ran only once the idle main
# thread woke, so the prompt waited for ever (a full test run caught it now and then).
SCRIPT = textwrap.dedent("""
    import asyncio, os, signal, threading, time
    from adapters.console.repl import _readline

    def interrupt_the_reader():
        while True:
            reader = next((t for t in threading.enumerate() if t.name == "console-input"),
                          None)
            if reader is not None:
                time.sleep(0.2)  # the loop is idle in select() by now
                signal.pthread_kill(reader.ident, signal.SIGINT)
                return
            time.sleep(0.05)

    read_end, _write_end = os.pipe()  # stays open and silent: a prompt waiting for a line
    threading.Thread(target=interrupt_the_reader, daemon=True).start()
    try:
        asyncio.run(_readline(os.fdopen(read_end)))
    except KeyboardInterrupt:
        print("left at ctrl-C")
""")


def test_ctrl_c_taken_by_another_thread_still_ends_the_prompt() -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=REPO_ROOT, capture_output=True,
                          text=True, timeout=30)
    assert done.stdout.strip() == "left at ctrl-C", done.stderr
