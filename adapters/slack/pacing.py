"""Pacing requests to a Slack channel by when Slack received them.

Slack allows about one message per second per channel and counts a post when it arrives,
a moment the sender never sees directly. It lies between the call and its answer; pacing
from the answer is safe but adds a whole round trip (and whatever held the answer up: a
busy Slack, this busy event loop) to every post. The message's `ts` is Slack's own clock
at the post, and Slack's clock runs at a fixed offset from ours: each answer bounds that
offset from below (the post was made before we read the answer), and the best bound of
the last minute turns a `ts` into a local time the post arrived at or before. The next
post to the channel leaves `pace` after that. It arrives later still (it has its way to
go), so no post arrives sooner than `pace` after the one before, while a post or answer
held up on the way costs the next one nothing.

That still spends a round trip per post: the last post's way back (in the offset bound)
and the next one's way there. Once the pacer has watched paced posts, it also knows the
quickest way there: the session's trace hooks stamp when each request left (its bytes
written; waiting for a connection or a busy event loop does not count),
and `ts - left` is the offset plus that post's way there, smallest for the quickest. The
next post then leaves `pace` after the last one's `ts` less that quickest way, and
arrives no sooner than `pace` after it unless it travels faster than every post of the
last minute did (the margin covers that sliver). Not before a post that waited for its
channel's pace has answered: a fan-out's first posts all leave together and queue at
Slack one after another, and those first answers alone overstate the quickest way
(trusted at once, they drew 429s). A paced post leaves when its channel's last post
arrived, not with the whole burst: its way there is one the later posts will share.
Until then each pace pays a round trip; a trust waiting a fixed 3 s made a fan-out pay
it three times instead of once (0.1 s a channel and a round at 100 ms).

A call without a `ts` in its answer (an edit, an error) paces from its answer, and no
post leaves sooner than `pace` after the call before it (a clock that jumped cannot
make it earlier)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Hashable
from contextvars import ContextVar
from dataclasses import dataclass
from types import SimpleNamespace

import aiohttp

# chat.postMessage: about one message per second per channel.
PACE_SECONDS = 1.0
# Added to each pace for the moment between Slack counting a post and stamping its ts.
MARGIN_SECONDS = 0.01
# Clocks drift apart by a few parts per million: an offset bound older than this many
# seconds is replaced by a newer one.
OFFSET_WINDOW_SECONDS = 60.0


@dataclass(slots=True)
class Turn:
    """One call's turn at a channel: the caller records Slack's `ts` of the message when
    the answer has one; the trace hooks record when the request left."""

    left: float | None = None
    server_time: float | None = None
    paced: bool = False  # it waited for the channel's last call: not part of a burst

    def answered_with(self, ts: object) -> None:
        try:
            self.server_time = float(str(ts))
        except ValueError:
            self.server_time = None


_turn: ContextVar[Turn | None] = ContextVar("slack_turn", default=None)


async def _stamp_departure(session: aiohttp.ClientSession, context: SimpleNamespace,
                           params: object) -> None:
    turn = _turn.get()
    if turn is not None:  # a retry writes again: the last write is when it left
        turn.left = asyncio.get_running_loop().time()


def trace_config() -> aiohttp.TraceConfig:
    """Hooks for a ClientSession: stamp each paced request's departure on its Turn."""
    trace = aiohttp.TraceConfig()
    trace.on_request_headers_sent.append(_stamp_departure)
    trace.on_request_chunk_sent.append(_stamp_departure)
    return trace


@dataclass(frozen=True, slots=True)
class _Last:
    """A channel's last call: when it was made, answered, and its ts if it had one."""

    called: float
    answered: float
    server_time: float | None


class _LowerBound:
    """The largest of the lower bounds added in the last window or so: a bound that old
    may have drifted with the clocks, so a newer one replaces it."""

    def __init__(self, window: float) -> None:
        self._window = window
        self._current: tuple[float, float] | None = None  # (started, bound) of this window
        self._previous: float | None = None

    def add(self, now: float, bound: float) -> None:
        if self._current is None or now - self._current[0] > self._window:
            self._previous = self._current[1] if self._current else None
            self._current = (now, bound)
        elif bound > self._current[1]:
            self._current = (self._current[0], bound)

    def best(self) -> float | None:
        bounds = [b for b in (self._previous, self._current and self._current[1])
                  if b is not None]
        return max(bounds) if bounds else None


class ChannelPacer:
    """One request at a time per key (a workspace's channel), each `pace` after the one
    before as Slack counts it; different keys never wait for each other."""

    def __init__(self, pace_seconds: float = PACE_SECONDS,
                 margin_seconds: float = MARGIN_SECONDS) -> None:
        self._pace = pace_seconds
        self._margin = margin_seconds
        self._locks: dict[Hashable, asyncio.Lock] = {}
        self._last: dict[Hashable, _Last] = {}
        # (Slack's clock - ours): at least ts - answer, for every post.
        self._offset = _LowerBound(OFFSET_WINDOW_SECONDS)
        # -(Slack's clock - ours + the quickest way there): left - ts at best.
        self._quickest = _LowerBound(OFFSET_WINDOW_SECONDS)
        self._trusted = False  # a paced post's way there is in `_quickest`

    @contextlib.asynccontextmanager
    async def turn(self, key: Hashable) -> AsyncIterator[Turn]:
        async with self._locks.setdefault(key, asyncio.Lock()):
            loop = asyncio.get_running_loop()
            last = self._last.get(key)
            if last is not None and self._pace > 0:
                # Worked out now, not at the last answer: the bounds are better by now.
                wait = (self._pace_from(last) + self._pace + self._margin
                        - loop.time())
                if wait > 0:
                    await asyncio.sleep(wait)
            turn = Turn(paced=last is not None)
            called = loop.time()
            token = _turn.set(turn)
            try:
                yield turn
            finally:
                _turn.reset(token)
                self._after(key, turn, called, loop.time())

    def _after(self, key: Hashable, turn: Turn, called: float, answered: float) -> None:
        if turn.server_time is not None:
            self._offset.add(answered, turn.server_time - answered)
            if turn.left is not None:
                self._quickest.add(answered, turn.left - turn.server_time)
                self._trusted = self._trusted or turn.paced
        self._last[key] = _Last(called=called, answered=answered,
                                server_time=turn.server_time)

    def _pace_from(self, last: _Last) -> float:
        """The moment on our clock the channel's next pace runs from."""
        start = last.answered  # the post arrived before its answer
        if last.server_time is not None:
            offset = self._offset.best()
            if offset is not None:  # when it arrived, at the latest
                start = min(start, last.server_time - offset)
            quickest = self._quickest.best()
            if quickest is not None and self._trusted:
                # ...less the quickest way there: the next post takes at least that long.
                start = min(start, last.server_time + quickest)
        # Never before the call: a clock that jumped cannot make it earlier.
        return max(last.called, start)
