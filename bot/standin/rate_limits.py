"""Slack's rate limits on chat.postMessage: token buckets per channel and per workspace."""

from __future__ import annotations

import math
from dataclasses import dataclass

from .model import SlackError
from .state import StandInState

RATE_LIMIT_JITTER = 0.010  # seconds a post may arrive early (see RateLimits.check)
_WORKSPACE = "*workspace*"


@dataclass
class Bucket:
    """A token bucket: its tokens as of ``updated`` (the stand-in's clock)."""

    tokens: float
    updated: float


class RateLimits:
    """Token buckets for chat.postMessage, off until ``enforce`` turns them on."""

    def __init__(self, state: StandInState) -> None:
        self._state = state
        self._rate: float | None = None
        self._workspace_rate: float | None = None
        self._burst = 1.0
        self._buckets: dict[str, Bucket] = {}

    def enforce(
        self,
        per_channel_per_second: float | None = 1.0,
        burst: int = 1,
        workspace_per_minute: float | None = None,
    ) -> None:
        """Rate-limit chat.postMessage per channel and, optionally, for the whole workspace
        (token buckets); ``None`` turns a limit off."""
        with self._state.lock:
            self._rate = per_channel_per_second
            self._burst = float(max(1, burst))
            self._workspace_rate = workspace_per_minute / 60 if workspace_per_minute else None
            self._buckets.clear()

    def reset(self) -> None:
        """Fill every bucket again (the limits are kept)."""
        with self._state.lock:
            self._buckets.clear()

    def check(self, channel: str) -> None:
        """Token buckets, timed on arrival. A post may arrive ``RATE_LIMIT_JITTER`` seconds
        early, as when the one before it was held up on the way: a limiter across a network
        sees jitter, not a faster pace. The allowance never adds up, since a post taken
        early leaves its bucket in debt: over time, the rate stays the limit."""
        limits = [(channel, self._rate), (_WORKSPACE, self._workspace_rate)]
        buckets = [self._refilled(key, rate) for key, rate in limits if rate]
        for bucket, rate in buckets:
            if bucket.tokens < 1 - RATE_LIMIT_JITTER * rate:
                wait = max(1, math.ceil((1 - bucket.tokens) / rate))
                raise SlackError("ratelimited", status=429, headers={"Retry-After": str(wait)})
        for bucket, _ in buckets:
            bucket.tokens -= 1

    def _refilled(self, key: str, rate: float) -> tuple[Bucket, float]:
        now = self._state.clock()
        bucket = self._buckets.setdefault(key, Bucket(self._burst, now))
        bucket.tokens = min(self._burst, bucket.tokens + (now - bucket.updated) * rate)
        bucket.updated = now
        return bucket, rate
