"""Pacing chat.postMessage to Slack's published limits, so that 429s stay the exception.

Slack allows about one message a second in a channel (short bursts aside) and several
hundred a minute across a workspace. The pacer waits before each post until both allow it.

It keeps a hair under those limits (``SAFETY_MARGIN``): Slack times a post when it
arrives, the pacer when it leaves, and the network between them never takes the same time
twice. Spaced exactly at the limit, a post delayed a little followed by one delayed less
arrives too soon after it and gets a 429.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

SAFETY_MARGIN = 0.02  # posts are spaced 2% wider than the limits


class Pacer:
    def __init__(
        self,
        per_channel_interval: float = 1.0,
        workspace_per_minute: float | None = 300,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        margin: float = SAFETY_MARGIN,
    ):
        widen = 1 + margin
        self._channel_interval = per_channel_interval * widen
        self._global_interval = 60 / workspace_per_minute * widen if workspace_per_minute else 0.0
        self._clock, self._sleep = clock, sleep
        self._last: dict[str, float] = {}
        self._next_global = 0.0
        self._lock = threading.Lock()

    def wait(self, channel: str) -> float:
        """Sleep until a post to ``channel`` is within the limits; returns the time slept."""
        with self._lock:
            now = self._clock()
            ready = max(
                self._next_global, self._last.get(channel, -1e9) + self._channel_interval, now
            )
            self._last[channel] = ready
            self._next_global = ready + self._global_interval
        if ready > now:
            self._sleep(ready - now)
        return max(0.0, ready - now)

    def back_off(self, channel: str, seconds: float) -> None:
        """Slack said 429 with Retry-After: nothing more to that channel until it passed.

        Other channels go on: the pacer already keeps the workspace's pace, so a 429 is
        taken as the channel's own limit."""
        with self._lock:
            until = self._clock() + seconds
            self._last[channel] = max(self._last.get(channel, -1e9), until - self._channel_interval)
