"""How Pitboard logs: one format per line (plain, rich on a terminal, or JSON), and the
libraries' warnings that say nothing to a Pitboard operator filtered out."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

# (logger, text in the message) pairs that are noise for Pitboard's operators.
QUIET: tuple[tuple[str, str], ...] = (
    # Pitboard never joins voice; discord.py warns about its optional voice libraries.
    ("discord.client", "voice will NOT be supported"),
    # Bolt is given a ready client (or OAuth installs) while SLACK_BOT_TOKEN is set for our
    # own sender; it warns that it will not use the token, which is as intended.
    ("slack_bolt", "`token` will be unused"),
    ("slack_bolt", "`token` (or SLACK_BOT_TOKEN env variable) will be ignored"),
    # A delivery batch that outlasts the tick skips the next tick on purpose (max_instances=1).
    ("apscheduler", "maximum number of running instances reached"),
)


class _Drop(logging.Filter):
    """Drops one library's records that contain `text` (its child loggers' too)."""

    def __init__(self, logger_name: str, text: str) -> None:
        super().__init__()
        self._logger_name = logger_name
        self._text = text

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name != self._logger_name and \
                not record.name.startswith(self._logger_name + "."):
            return True
        return self._text not in record.getMessage()


class JsonFormatter(logging.Formatter):
    """One JSON object a line, for log shippers: time (UTC, ISO 8601), level, logger,
    message, and the traceback as one string when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(level: str = "INFO", log_format: str = "auto") -> None:
    """`log_format`: "json", "plain", or "auto" (rich on a terminal, plain otherwise)."""
    handler: logging.Handler
    log_format = log_format.lower()
    if log_format == "json":
        handler = logging.StreamHandler()
        handler.setFormatter(JsonFormatter())
    elif log_format == "auto" and sys.stderr.isatty():
        from rich.logging import RichHandler

        handler = RichHandler(show_path=False)
        # Rich prints the time and level itself; basicConfig's default format would add
        # the level a second time ("INFO INFO:bot.app: ...").
        handler.setFormatter(logging.Formatter("%(name)s: %(message)s"))
    else:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    for logger_name, text in QUIET:
        # On the handler, so it catches the library's child loggers as well.
        handler.addFilter(_Drop(logger_name, text))
    logging.basicConfig(level=level.upper(), handlers=[handler], force=True)
    # Migrations run on every start and the scheduler ticks every few seconds: their
    # step-by-step chatter is not news to the operator (their warnings still are).
    for chatty in ("alembic", "apscheduler"):
        logging.getLogger(chatty).setLevel(logging.WARNING)

