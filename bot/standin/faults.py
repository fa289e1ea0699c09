"""Fault injection of the stand-in.

Queued faults (``fail_next``), random faults (``fail_randomly``) and answers held
back (``delay_answer``). The dispatch asks ``take_fault`` and ``take_delay`` for
each Web API call, the upload and response URLs ``take_fault``.
"""

from __future__ import annotations

import random
from collections import deque
from dataclasses import dataclass

from .model import Reply
from .state import StandInState

_DEFAULT_FAULT_ERRORS = {429: "ratelimited", 500: "internal_error", 503: "service_unavailable"}


@dataclass
class Fault:
    """A queued failure for the next ``remaining`` calls of a method."""

    status: int
    retry_after: int
    error: str | None
    remaining: int
    applied: bool = False  # the call takes effect, yet the answer is an error

    def reply(self) -> Reply:
        """The answer the failing call gets."""
        error = self.error or _DEFAULT_FAULT_ERRORS.get(self.status, "fatal_error")
        headers = {"Retry-After": str(self.retry_after)} if self.status == 429 else {}
        return Reply(self.status, {"ok": False, "error": error}, headers)


@dataclass
class RandomFaults:
    """A share of calls that fail, drawn from a seeded generator."""

    rate: float
    statuses: tuple[int, ...]
    applied_rate: float
    rng: random.Random


class Faults:
    """Make calls fail or answer late."""

    def __init__(self, state: StandInState) -> None:
        self._state = state
        self._queued: dict[str, deque[Fault]] = {}
        self._random: dict[str, RandomFaults] = {}
        self._delays: dict[str, tuple[float, int]] = {}

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
        with self._state.lock:
            self._queued.setdefault(method, deque()).append(
                Fault(status, retry_after, error, n, applied)
            )

    def delay_answer(self, method: str, seconds: float, after: int = 0) -> None:
        """Do the call that comes after the next ``after`` calls of ``method`` at once, but
        answer it only ``seconds`` later: the window in which a caller may die."""
        with self._state.lock:
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
        with self._state.lock:
            if rate <= 0:
                self._random.pop(method, None)
                return
            self._random[method] = RandomFaults(rate, statuses, applied_rate, random.Random(seed))

    def reset(self) -> None:
        """Forget queued and random faults (answers to delay are kept)."""
        with self._state.lock:
            self._queued.clear()
            self._random.clear()

    def take_delay(self, method: str) -> float:
        """The seconds to hold back this call's answer (called once per call)."""
        delay = self._delays.get(method)
        if delay is None:
            return 0.0
        if delay[1] > 0:
            self._delays[method] = (delay[0], delay[1] - 1)
            return 0.0
        del self._delays[method]
        return delay[0]

    def take_fault(self, method: str) -> Fault | None:
        """The fault this call of ``method`` meets, if any (called once per call)."""
        queue = self._queued.get(method)
        if not queue:
            return self._random_fault(method)
        fault = queue[0]
        fault.remaining -= 1
        if fault.remaining <= 0:
            queue.popleft()
        return fault

    def _random_fault(self, method: str) -> Fault | None:
        chaos = self._random.get(method)
        if chaos is None or chaos.rng.random() >= chaos.rate:
            return None
        status = chaos.rng.choice(chaos.statuses)
        applied = status >= 500 and chaos.rng.random() < chaos.applied_rate
        return Fault(status, retry_after=1, error=None, remaining=1, applied=applied)
