"""What every command handler may use: storage, the names the bot knows without a database,
the feed URL check, and the look-ups several handlers share."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable, Sequence
from functools import cached_property

from bot.alerts import workspace_scope
from bot.commands.names import NameIndex
from bot.commands.parsing import UsageError
from bot.keys import name_key
from bot.messages import CommandCall, Reply
from bot.models import PresetFeed, TargetKind
from bot.ports import FeedPrimer, FeedProbe, FeedUrlChecker, Gazetteer, Store

log = logging.getLogger(__name__)

DEFAULT_SERIES = "default_series"  # the setting /lineup falls back to
MODERATORS = "moderators"  # user ids the platform's own admin check does not cover
OPERATOR = "operator"  # the platform name of commands run from the `pitboard` CLI
# The terminal's console is the operator too: its /feed list shows (and /feed add makes)
# the operator's feeds, those PITBOARD_FEEDS and the demo poll.
OPERATOR_PLATFORMS = frozenset({OPERATOR, "console"})


def _default_gazetteer() -> Gazetteer:
    from bot.rules import gazetteer

    return gazetteer()


# Names other processes learn (a poller elsewhere) reach this process's index within this
# many seconds: a call after it answers at once and re-reads the names table behind it.
NAMES_REFRESH_SECONDS = 30.0
# A name the index does not know re-reads the table at once (it may have been learned a
# moment ago), but not more often than this: a stream of nonsense costs one read a second.
NAMES_MISS_REREAD_SECONDS = 1.0


class LiveNames:
    """A NameIndex of one kind of name (drivers): the gazetteer's and the names table's,
    read once and kept current. Names this process learns are added as it learns them;
    the table is re-read in the background when the index is older than the refresh time,
    and at once (at most once a second) when a look-up finds nothing."""

    def __init__(self, store: Store, kind: TargetKind, base: Callable[[], Iterable[str]], *,
                 refresh_after: float = NAMES_REFRESH_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._store, self._kind, self._base = store, kind, base
        self._refresh_after, self._clock = refresh_after, clock
        self._index: NameIndex | None = None
        self._read_at = 0.0
        self._lock = asyncio.Lock()
        self._behind: asyncio.Task[None] | None = None

    async def index(self) -> NameIndex:
        if self._index is None:
            await self.reread()
        elif self._clock() - self._read_at >= self._refresh_after and self._behind is None:
            self._behind = asyncio.create_task(self._reread_behind())
        assert self._index is not None
        return self._index

    async def reread(self) -> NameIndex:
        """Read the names table and add what the index lacks."""
        async with self._lock:
            started = self._clock()
            names = await self._store.known_names(self._kind)
            if self._index is None:
                self._index = NameIndex(self._base())
            self._index.add(names)
            self._read_at = started
            return self._index

    async def reread_after_miss(self) -> bool:
        """Re-read on a miss unless the index is fresher than a second; True if it did."""
        if self._index is not None and \
                self._clock() - self._read_at < NAMES_MISS_REREAD_SECONDS:
            return False
        await self.reread()
        return True

    def learn(self, names: Iterable[str]) -> None:
        if self._index is not None:
            self._index.add(names)

    async def settled(self) -> None:
        """Wait for a background re-read (tests, shutdown)."""
        if self._behind is not None:
            await self._behind

    async def _reread_behind(self) -> None:
        try:
            await self.reread()
        except Exception:  # the old index keeps answering; the next call tries again
            log.warning("re-reading the %s names failed", self._kind.value, exc_info=True)
        finally:
            self._behind = None


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
        self.drivers = LiveNames(store, TargetKind.DRIVER,
                                 lambda: self.gazetteer.driver_names())
        self.teams = LiveNames(store, TargetKind.TEAM, tuple)  # the teams we hold news of

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None:
            self._gazetteer = _default_gazetteer()
        return self._gazetteer

    @cached_property
    def gazetteer_teams(self) -> NameIndex:
        """The teams the gazetteer knows, by name: typos and autocomplete."""
        return NameIndex(self.gazetteer.team_names())

    @cached_property
    def team_words(self) -> frozenset[str]:
        """Words too common in team names to tell teams apart ("racing", "team",
        "motorsport"): in one gazetteer team name in twenty or more."""
        names = self.gazetteer.team_names()
        counts = Counter(word for name in names for word in set(name_key(name).split()))
        return frozenset(word for word, count in counts.items() if count * 20 >= len(names))

    @cached_property
    def gazetteer_series(self) -> NameIndex:
        return NameIndex(self.gazetteer.series_names())

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
        return None if platform in OPERATOR_PLATFORMS else workspace_scope(platform, workspace)


Handler = Callable[[Context, CommandCall], Awaitable[Reply]]
