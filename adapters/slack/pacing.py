"""Pacing requests to a Slack channel by when Slack received them.

Slack allows about one message per second per channel and counts a post when it arrives,
a moment the sender never sees directly. What it does see:

- when the request left: the HTTP session's trace hooks stamp the moment its last bytes
  were written to the socket (waiting for a connection, or for a busy event loop, does
  not count);
- when the answer came back;
- the message's `ts`, Slack's own clock at the post. Slack's clock runs at a fixed
  offset from ours, and each answer bounds that offset from below (the post was made
  before we read the answer): the best bound of the last minute turns a `ts` into a
  local time the post arrived at or before.

A request is paced from that arrival time (or from its answer when no `ts` came back:
an edit, an error), less the shortest way out a request can take, taken as half the
fastest round trip seen. That gives about one post per `pace` per channel however long
Slack takes to answer, and no post arriving sooner than `pace` after the one before."""

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
# Added to each pace for Slack's own handling, which the estimates leave out.
MARGIN_SECONDS = 0.01
# Clocks drift apart by a few parts per million: an offset bound older than this many
# seconds is replaced by a newer one.
OFFSET_WINDOW_SECONDS = 60.0


@dataclass(slots=True)
class Turn:
    """One request's turn at a channel: the caller records Slack's `ts` of the message
    when the answer has one; the trace hooks record when the request left."""

    left: float | None = None
    server_time: float | None = None

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


class _OffsetBound:
    """The largest lower bound on (Slack's clock - ours) of the last window or so."""

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
        self._fastest_trip: float | None = None
        self._offset = _OffsetBound(OFFSET_WINDOW_SECONDS)

    @contextlib.asynccontextmanager
    async def turn(self, key: Hashable) -> AsyncIterator[Turn]:
        async with self._locks.setdefault(key, asyncio.Lock()):
            loop = asyncio.get_running_loop()
            wait = self._next_at.get(key, 0.0) - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            turn = Turn()
            token = _turn.set(turn)
            try:
                yield turn
            finally:
                _turn.reset(token)
                self._after(key, turn, loop.time())

    def _after(self, key: Hashable, turn: Turn, answered: float) -> None:
        arrived = answered  # at the latest
        if turn.server_time is not None:
            self._offset.add(answered, turn.server_time - answered)
            offset = self._offset.best()
            if offset is not None:
                arrived = min(arrived, turn.server_time - offset)
        if turn.left is not None:
            arrived = max(arrived, turn.left)  # a clock that jumped cannot make it earlier
        # The next request's way out: no shorter than half the fastest round trip.
        way_out = (self._fastest_trip or 0.0) / 2
        if self._pace > 0:
            self._next_at[key] = arrived - way_out + self._pace + self._margin
        if turn.left is not None and turn.server_time is not None:
            trip = answered - turn.left
            if self._fastest_trip is None or trip < self._fastest_trip:
                self._fastest_trip = trip
