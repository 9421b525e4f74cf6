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

A call without a `ts` in its answer (an edit, an error) paces from its answer."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Hashable
from dataclasses import dataclass

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
    the answer has one."""

    server_time: float | None = None

    def answered_with(self, ts: object) -> None:
        try:
            self.server_time = float(str(ts))
        except ValueError:
            self.server_time = None


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
        self._next_at: dict[Hashable, float] = {}
        # (Slack's clock - ours): at least ts - answer, for every post.
        self._offset = _LowerBound(OFFSET_WINDOW_SECONDS)

    @contextlib.asynccontextmanager
    async def turn(self, key: Hashable) -> AsyncIterator[Turn]:
        async with self._locks.setdefault(key, asyncio.Lock()):
            loop = asyncio.get_running_loop()
            wait = self._next_at.get(key, 0.0) - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            turn = Turn()
            called = loop.time()
            try:
                yield turn
            finally:
                self._after(key, turn, called, loop.time())

    def _after(self, key: Hashable, turn: Turn, called: float, answered: float) -> None:
        arrived = answered  # at the latest
        if turn.server_time is not None:
            self._offset.add(answered, turn.server_time - answered)
            offset = self._offset.best()
            if offset is not None:
                # Never before the call: a clock that jumped cannot make it earlier.
                arrived = max(called, min(arrived, turn.server_time - offset))
        # No allowance for the next post's own way there: nothing bounds it from below
        # (guessing it from round trips drew 429s whenever a busy moment skewed them).
        if self._pace > 0:
            self._next_at[key] = arrived + self._pace + self._margin
