"""Fault injection and rate limits of the stand-in.

Queued faults (``fail_next``), random faults (``fail_randomly``), answers held
back (``delay_answer``) and token-bucket rate limits on chat.postMessage
(``enforce_rate_limits``).
"""

from __future__ import annotations

import math
import random
from collections import deque
from dataclasses import dataclass

from .base import StandInBase
from .model import Reply, SlackError

RATE_LIMIT_JITTER = 0.010  # seconds a post may arrive early (see _check_rate_limit)
_DEFAULT_FAULT_ERRORS = {429: "ratelimited", 500: "internal_error", 503: "service_unavailable"}


@dataclass
class Fault:
    """A queued failure for the next ``remaining`` calls of a method."""

    status: int
    retry_after: int
    error: str | None
    remaining: int
    applied: bool = False  # the call takes effect, yet the answer is an error


@dataclass
class RandomFaults:
    """A share of calls that fail, drawn from a seeded generator."""

    rate: float
    statuses: tuple[int, ...]
    applied_rate: float
    rng: random.Random


@dataclass
class Bucket:
    """A token bucket: its tokens as of ``updated`` (the stand-in's clock)."""

    tokens: float
    updated: float


class FaultsMixin(StandInBase):
    """Make calls fail, answer late, or be rate limited."""

    _faults: dict[str, deque[Fault]]
    _random_faults: dict[str, RandomFaults]
    _delays: dict[str, tuple[float, int]]
    _rate: float | None
    _workspace_rate: float | None
    _burst: float
    _buckets: dict[str, Bucket]

    def fail_next(
        self,
        method: str,
        n: int = 1,
        status: int = 429,
        retry_after: int = 1,
        error: str | None = None,
        applied: bool = False,
    ) -> None:
        """Make the next ``n`` calls of ``method`` fail (``applied``: after taking effect).

        429 answers with Retry-After, 5xx with an error body, and 200 needs ``error``
        (e.g. ``"channel_not_found"``). ``method`` may also be ``"response_url"`` or
        ``"file_upload"`` (the upload URL of files_upload_v2).
        """
        if status == 200 and not error:
            raise ValueError("a status-200 fault needs an error, e.g. error='channel_not_found'")
        with self._lock:
            self._faults.setdefault(method, deque()).append(
                Fault(status, retry_after, error, n, applied)
            )

    def delay_answer(self, method: str, seconds: float, after: int = 0) -> None:
        """Do the call that comes after the next ``after`` calls of ``method`` at once, but
        answer it only ``seconds`` later: the window in which a caller may die."""
        with self._lock:
            self._delays[method] = (seconds, after)

    def fail_randomly(
        self,
        method: str,
        rate: float,
        statuses: tuple[int, ...] = (429, 500, 503),
        applied_rate: float = 0.0,
        seed: int = 0,
    ) -> None:
        """Make a share ``rate`` of the calls of ``method`` fail with one of ``statuses``;
        a share ``applied_rate`` of the 5xx ones take effect all the same, as a server that
        fails after doing the work. ``rate=0`` stops it."""
        with self._lock:
            if rate <= 0:
                self._random_faults.pop(method, None)
                return
            self._random_faults[method] = RandomFaults(
                rate, statuses, applied_rate, random.Random(seed)
            )

    def enforce_rate_limits(
        self,
        per_channel_per_second: float | None = 1.0,
        burst: int = 1,
        workspace_per_minute: float | None = None,
    ) -> None:
        """Rate-limit chat.postMessage per channel and, optionally, for the whole workspace
        (token buckets); ``None`` turns a limit off."""
        with self._lock:
            self._rate = per_channel_per_second
            self._burst = float(max(1, burst))
            self._workspace_rate = workspace_per_minute / 60 if workspace_per_minute else None
            self._buckets.clear()

    def _take_delay(self, method: str) -> float:
        delay = self._delays.get(method)
        if delay is None:
            return 0.0
        if delay[1] > 0:
            self._delays[method] = (delay[0], delay[1] - 1)
            return 0.0
        del self._delays[method]
        return delay[0]

    def _take_fault(self, method: str) -> Fault | None:
        queue = self._faults.get(method)
        if not queue:
            return self._random_fault(method)
        fault = queue[0]
        fault.remaining -= 1
        if fault.remaining <= 0:
            queue.popleft()
        return fault

    def _random_fault(self, method: str) -> Fault | None:
        chaos = self._random_faults.get(method)
        if chaos is None or chaos.rng.random() >= chaos.rate:
            return None
        status = chaos.rng.choice(chaos.statuses)
        applied = status >= 500 and chaos.rng.random() < chaos.applied_rate
        return Fault(status, retry_after=1, error=None, remaining=1, applied=applied)

    def _fault_reply(self, fault: Fault) -> Reply:
        error = fault.error or _DEFAULT_FAULT_ERRORS.get(fault.status, "fatal_error")
        headers = {"Retry-After": str(fault.retry_after)} if fault.status == 429 else {}
        return Reply(fault.status, {"ok": False, "error": error}, headers)

    def _check_rate_limit(self, channel: str) -> None:
        """Token buckets, timed on arrival. A post may arrive ``RATE_LIMIT_JITTER`` seconds
        early, as when the one before it was held up on the way: a limiter across a network
        sees jitter, not a faster pace. The allowance never adds up, since a post taken
        early leaves its bucket in debt: over time, the rate stays the limit."""
        limits = [(channel, self._rate), ("*workspace*", self._workspace_rate)]
        buckets = [self._refilled(key, rate) for key, rate in limits if rate]
        for bucket, rate in buckets:
            if bucket.tokens < 1 - RATE_LIMIT_JITTER * rate:
                wait = max(1, math.ceil((1 - bucket.tokens) / rate))
                raise SlackError("ratelimited", status=429, headers={"Retry-After": str(wait)})
        for bucket, _ in buckets:
            bucket.tokens -= 1

    def _refilled(self, key: str, rate: float) -> tuple[Bucket, float]:
        now = self._time()
        bucket = self._buckets.setdefault(key, Bucket(self._burst, now))
        bucket.tokens = min(self._burst, bucket.tokens + (now - bucket.updated) * rate)
        bucket.updated = now
        return bucket, rate
