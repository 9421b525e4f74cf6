"""What every command handler may use: storage, the names the bot knows without a database,
the feed URL check, and the look-ups several handlers share."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from bot.alerts import workspace_scope
from bot.commands.parsing import UsageError
from bot.messages import CommandCall, Reply
from bot.models import PresetFeed
from bot.ports import FeedPrimer, FeedProbe, FeedUrlChecker, Gazetteer, Store

DEFAULT_SERIES = "default_series"  # the setting /lineup falls back to
MODERATORS = "moderators"  # user ids the platform's own admin check does not cover
OPERATOR = "operator"  # the platform name of commands run from the `pitboard` CLI


def _default_gazetteer() -> Gazetteer:
    from bot.rules import gazetteer

    return gazetteer()


def refusal(text: str) -> Reply:
    """An answer that says no: shown to the one user who asked."""
    return Reply(text=text, error=True, ephemeral=True)


class Context:
    def __init__(self, store: Store, *, gazetteer: Gazetteer | None = None,
                 check_feed_url: FeedUrlChecker | None = None,
                 probe_feed: FeedProbe | None = None,
                 prime_feed: FeedPrimer | None = None,
                 presets: Sequence[PresetFeed] = ()) -> None:
        self.store = store
        self.presets = tuple(presets)  # the feed catalogue: /feed presets
        self.check_feed_url = check_feed_url
        # Without a probe (unit tests of the commands alone) a URL is stored unchecked and
        # its first poll records its entries.
        self.probe_feed = probe_feed
        self.prime_feed = prime_feed
        self._gazetteer = gazetteer  # loaded on first use when not given

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None:
            self._gazetteer = _default_gazetteer()
        return self._gazetteer

    def series(self, text: str | None) -> str | None:
        """The series `text` names, as the gazetteer spells it; None when not given."""
        if not text:
            return None
        series = self.gazetteer.canonical_series(text)
        if series is None:
            known = ", ".join(self.gazetteer.series_names()[:12])
            raise UsageError(f"I don't know the series {text!r}. Try one of: {known}.")
        return series

    def required_series(self, text: str | None) -> str:
        series = self.series(text)
        if series is None:
            raise UsageError("Name the series.")
        return series

    @staticmethod
    def scope(platform: str, workspace: str) -> str | None:
        """Whose feeds: the operator's own (the CLI) belong to no workspace and alert
        everyone."""
        return None if platform == OPERATOR else workspace_scope(platform, workspace)


Handler = Callable[[Context, CommandCall], Awaitable[Reply]]
